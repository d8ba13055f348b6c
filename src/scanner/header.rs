//! Reading only the head of a source file: its package (or module)
//! declaration, which decides the file's source root, without parsing the rest.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

pub use super::declarations::Header;
use super::declarations::header;

/// The first read; nearly every file declares its package well within it.
const FIRST_READ: u64 = 8 * 1024;
/// Files are read whole up to this size when the first read does not tell
/// (a very long licence comment); beyond it the package is taken as unnamed.
const MAX_READ: u64 = 4 * 1024 * 1024;

/// The package (or module) declaration of the file at `path`, read from its
/// head: at most [`FIRST_READ`] bytes for most files.
pub fn read_header(path: &Path) -> std::io::Result<Header> {
    read_head(path).map(|head| head.header)
}

/// What reading a file's head found: its declaration, and the whole file
/// when the first read held all of it (most files), so a scan that follows
/// need not open it again.
#[derive(Debug)]
pub struct Head {
    pub header: Header,
    pub whole: Option<Vec<u8>>,
}

/// [`read_header`], keeping the bytes of a file the first read held whole.
pub fn read_head(path: &Path) -> std::io::Result<Head> {
    let mut file = std::fs::File::open(path)?;
    // One buffer of the first read's size, filled by as few reads as the
    // file allows (`read_to_end` would probe with small reads first).
    let mut bytes = vec![0; FIRST_READ as usize];
    let mut filled = 0;
    while filled < bytes.len() {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    if (bytes.len() as u64) < FIRST_READ {
        let header = header(&String::from_utf8_lossy(&bytes)).unwrap_or(Header::Package(None));
        // Kept: give the rest of the first read's buffer back.
        bytes.shrink_to_fit();
        return Ok(Head { header, whole: Some(bytes) });
    }
    if let Some(header) = header(&String::from_utf8_lossy(&bytes)) {
        return Ok(Head { header, whole: None });
    }
    file.take(MAX_READ - FIRST_READ).read_to_end(&mut bytes)?;
    let header = header(&String::from_utf8_lossy(&bytes)).unwrap_or(Header::Package(None));
    Ok(Head { header, whole: None })
}

/// [`read_head`] of each file, in the same order, on several threads for
/// larger lists. Whole files are kept up to `budget` bytes in all; past it
/// only their headers are.
pub fn read_heads(paths: &[PathBuf], budget: usize) -> Vec<std::io::Result<Head>> {
    let left = std::sync::atomic::AtomicUsize::new(budget);
    crate::par::map(paths, |path| {
        let mut head = read_head(path)?;
        if let Some(bytes) = &head.whole {
            let taken = left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(bytes.len()));
            if taken.is_err() {
                head.whole = None;
            }
        }
        Ok(head)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_of_a_head() {
        let package = |name: &str| Some(Header::Package(Some(name.to_owned())));
        assert_eq!(header("package a.b;\nclass X {}"), package("a.b"));
        assert_eq!(header("/* licence */ @Deprecated package a; "), package("a"));
        assert_eq!(header("\u{feff}// c\npack\\u0061ge x.y;"), package("x.y"));
        assert_eq!(header("import java.util.*; class X {}"), Some(Header::Package(None)));
        assert_eq!(header("void main() {}"), Some(Header::Package(None)));
        assert_eq!(header("import a.B; open module m { }"), Some(Header::Module));
        // Cut before the answer is known: ask for more.
        assert_eq!(header("/* a long licence"), None);
        assert_eq!(header("package com.exam"), None);
        assert_eq!(header("@Generated(value = \"x\""), None);
        assert_eq!(header(""), None);
        // Lexing stops at the first body; braces inside an annotation's
        // parentheses are not one.
        assert_eq!(header("@A({1, 2}) package p.q; class X { \"unterminated"), package("p.q"));
        assert_eq!(header("import a.B; class X { void f() { package"), Some(Header::Package(None)));
    }

    #[test]
    fn small_files_are_kept_whole_within_the_budget() {
        let dir = tempfile::tempdir().unwrap();
        let small = "package a;\nclass S {}\n";
        std::fs::write(dir.path().join("S.java"), small).unwrap();
        std::fs::write(dir.path().join("B.java"), format!("package b;\n/*{}*/", "x".repeat(10_000))).unwrap();
        let paths = [dir.path().join("S.java"), dir.path().join("B.java")];
        let heads = read_heads(&paths, 1 << 20);
        let heads: Vec<Head> = heads.into_iter().map(Result::unwrap).collect();
        assert_eq!(heads[0].whole.as_deref(), Some(small.as_bytes()));
        assert_eq!(heads[1].whole, None, "a file longer than the first read is read again by the scan");
        assert_eq!(heads[1].header, Header::Package(Some("b".into())));
        // No budget: headers only.
        let heads = read_heads(&paths, 3);
        assert!(heads.iter().all(|head| head.as_ref().unwrap().whole.is_none()));
    }

    #[test]
    fn long_heads_are_read_further() {
        let dir = tempfile::tempdir().unwrap();
        let long = format!("/*{}*/\npackage far.away;\nclass X {{}}\n", "x".repeat(20_000));
        std::fs::write(dir.path().join("X.java"), long).unwrap();
        assert_eq!(read_header(&dir.path().join("X.java")).unwrap(), Header::Package(Some("far.away".into())));
        std::fs::write(dir.path().join("E.java"), "").unwrap();
        assert_eq!(read_header(&dir.path().join("E.java")).unwrap(), Header::Package(None));
    }
}
