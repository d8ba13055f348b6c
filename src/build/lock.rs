//! The output folder's lock: two jbuilds on one project (an editor and a
//! terminal) take turns, and only the holder may clean up after a killed
//! compile.

use std::fs::File;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::{Context, Result};

use super::record::BuildRecord;

const LOCK_FILE: &str = "lock";
/// javac writes into `.jbuild/staging-XXXX/` before outputs move into place.
pub const STAGING_PREFIX: &str = "staging-";

/// An exclusive lock on the output folder, held while compiling or cleaning
/// so two jbuild processes never interleave writes.
pub struct OutputLock {
    _file: File,
    path: std::path::PathBuf,
}

/// Whether the open `file` is the one at `path` now.
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(open), Ok(now)) => open.dev() == now.dev() && open.ino() == now.ino(),
        _ => false,
    }
}

impl OutputLock {
    pub fn acquire(classes: &Path, on_wait: impl FnOnce()) -> Result<OutputLock> {
        let mut on_wait = Some(on_wait);
        let mut attempts = 0;
        loop {
            attempts += 1;
            let dir = BuildRecord::ensure_dir(classes)?;
            let path = dir.join(LOCK_FILE);
            // O_NONBLOCK: a FIFO planted as the lock fails to open instead of hanging.
            let opened = File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
                .open(&path);
            let file = match opened {
                // A `clean` removed the folder between the two steps: make it again.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && attempts < 100 => continue,
                // A FIFO nobody reads.
                Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
                    anyhow::bail!("{} is not a regular file; remove it (jbuild's lock is a plain file)", path.display())
                }
                opened => opened.with_context(|| format!("opening {}", path.display()))?,
            };
            if !file.metadata().is_ok_and(|m| m.is_file()) {
                anyhow::bail!("{} is not a regular file; remove it (jbuild's lock is a plain file)", path.display());
            }
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    if let Some(on_wait) = on_wait.take() {
                        on_wait();
                    }
                    file.lock().with_context(|| format!("locking {}", path.display()))?;
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("locking {}", path.display()));
                }
            }
            // `clean` removes the lock file while holding it: a lock taken on
            // a file that is no longer at its path locks nothing; take the new one.
            if same_file(&file, &path) {
                return Ok(OutputLock { _file: file, path });
            }
        }
    }

    /// Removes the lock file and `.jbuild/` (when only jbuild's own files
    /// are left in it), still holding the lock: whoever waited on it sees
    /// the file gone and locks a new one.
    pub fn remove_with_record_dir(self, classes: &Path) {
        BuildRecord::remove_dir_when_empty(classes, &self.path);
    }

    /// Removes staging folders that a killed compile left behind. Only the
    /// lock's holder may: no other compile can be using one then.
    pub fn remove_leftover_staging(&self, classes: &Path) {
        let Ok(entries) = std::fs::read_dir(BuildRecord::dir(classes)) else { return };
        for entry in entries.flatten() {
            let is_staging = entry.file_name().to_str().is_some_and(|n| n.starts_with(STAGING_PREFIX));
            // A symlink named like one is not ours: leave it.
            if is_staging && entry.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}
