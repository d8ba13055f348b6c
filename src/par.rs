//! Work over many files, spread over threads when there are enough of them
//! to pay for it: reading, lexing or stat-ing 10,000 files is mostly
//! waiting on the kernel, which both cores can do at once.

use rayon::prelude::*;

/// Below this many items, starting the thread pool costs more than it saves.
pub const THRESHOLD: usize = 64;

/// `f` of each item, in the items' order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    map_above(items, THRESHOLD, f)
}

/// [`map`] with its own threshold (tests force the parallel path with 0).
pub fn map_above<T: Sync, R: Send>(items: &[T], threshold: usize, f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if items.len() > threshold {
        items.par_iter().map(f).collect() // an indexed collect keeps the order
    } else {
        items.iter().map(f).collect()
    }
}

/// Whether `f` holds for every item.
pub fn all<T: Sync>(items: &[T], f: impl Fn(&T) -> bool + Sync + Send) -> bool {
    if items.len() > THRESHOLD { items.par_iter().all(f) } else { items.iter().all(f) }
}
