//! The build record in `classes/.jbuild/`: what the last successful compile
//! read and wrote, so jbuild can tell when class files are current and which
//! class files are its own to remove.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// Bump when the record's meaning changes; older records are then ignored.
const FORMAT: u32 = 1;
pub const RECORD_DIR: &str = ".jbuild";
const RECORD_FILE: &str = "record.json";
const LOCK_FILE: &str = "lock";

/// What is known about one source file: size and mtime as a fast pre-check,
/// the content hash as the truth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceState {
    pub size: u64,
    pub mtime_ns: u128,
    pub hash: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildRecord {
    pub format: u32,
    /// Hash of everything besides the sources that decides the output:
    /// javac path and version, release, encoding, flags, jars.
    pub settings: String,
    /// Every source in the tree (relative to `src/`) when the last compile succeeded.
    pub sources: BTreeMap<String, SourceState>,
    /// Sources whose class files are current for that tree state.
    pub entries: BTreeSet<String>,
    /// Class files (relative to the output folder) jbuild wrote, by source.
    pub outputs: BTreeMap<String, BTreeSet<String>>,
}

impl BuildRecord {
    pub fn dir(classes: &Path) -> PathBuf {
        classes.join(RECORD_DIR)
    }

    /// The record in `classes`, or an empty one when there is none or it is
    /// unreadable (then everything is simply recompiled).
    pub fn load(classes: &Path) -> BuildRecord {
        let path = Self::dir(classes).join(RECORD_FILE);
        std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<BuildRecord>(&bytes).ok())
            .filter(|record| record.format == FORMAT)
            .unwrap_or_default()
    }

    /// Writes the record atomically: a temp file in the same folder, renamed.
    pub fn save(&self, classes: &Path) -> Result<()> {
        let dir = Self::dir(classes);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let record = BuildRecord { format: FORMAT, ..self.clone() };
        let mut file =
            tempfile::NamedTempFile::new_in(&dir).with_context(|| format!("writing in {}", dir.display()))?;
        serde_json::to_writer(&mut file, &record)?;
        file.flush()?;
        let path = dir.join(RECORD_FILE);
        file.persist(&path).with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }

    /// Removes the record file (the lock file stays until the folder goes).
    pub fn remove(classes: &Path) -> Result<()> {
        let path = Self::dir(classes).join(RECORD_FILE);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("removing {}", path.display()))
            }
            _ => Ok(()),
        }
    }

    /// The state of the tree now. Files whose size and mtime match the
    /// record are not read again; others are hashed.
    pub fn current_sources(&self, src: &Path, files: &[PathBuf]) -> Result<BTreeMap<String, SourceState>> {
        let mut states = BTreeMap::new();
        for relative in files {
            let key = key_of(relative);
            let path = src.join(relative);
            let meta = std::fs::metadata(&path).with_context(|| format!("reading {}", path.display()))?;
            let size = meta.len();
            let mtime_ns =
                meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
            let state = match self.sources.get(&key) {
                Some(known) if known.size == size && known.mtime_ns == mtime_ns => known.clone(),
                _ => SourceState { size, mtime_ns, hash: hash_file(&path)? },
            };
            states.insert(key, state);
        }
        Ok(states)
    }

    /// Whether the record says `targets` are current for `sources` and `settings`,
    /// with every class file it lists still present in `classes` (the record
    /// does not know which ones a target uses, so all must be there).
    pub fn is_fresh(
        &self,
        settings: &str,
        sources: &BTreeMap<String, SourceState>,
        targets: &[String],
        classes: &Path,
    ) -> bool {
        self.format == FORMAT
            && self.settings == settings
            && same_contents(&self.sources, sources)
            && targets.iter().all(|t| self.entries.contains(t))
            && self.outputs.values().flatten().all(|class| classes.join(class).is_file())
    }
}

/// Same files with the same hashes; mtimes may differ (a touch is no change).
pub fn same_contents(a: &BTreeMap<String, SourceState>, b: &BTreeMap<String, SourceState>) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|((ka, sa), (kb, sb))| ka == kb && sa.hash == sb.hash)
}

/// The record's key for a source path: `/`-separated, relative to `src/`.
pub fn key_of(relative: &Path) -> String {
    relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

pub fn hash_file(path: &Path) -> Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher
        .update_reader(File::open(path).with_context(|| format!("reading {}", path.display()))?)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(hasher.finalize().to_hex().to_string())
}

/// An exclusive lock on the output folder, held while compiling or cleaning
/// so two jbuild processes never interleave writes.
pub struct OutputLock {
    _file: File,
}

impl OutputLock {
    pub fn acquire(classes: &Path, on_wait: impl FnOnce()) -> Result<OutputLock> {
        let dir = BuildRecord::dir(classes);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                on_wait();
                file.lock().with_context(|| format!("locking {}", path.display()))?;
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("locking {}", path.display()));
            }
        }
        Ok(OutputLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(hash: &str, mtime_ns: u128) -> SourceState {
        SourceState { size: 1, mtime_ns, hash: hash.into() }
    }

    #[test]
    fn touch_is_not_a_change() {
        let a = BTreeMap::from([("A.java".to_owned(), state("h1", 1))]);
        let b = BTreeMap::from([("A.java".to_owned(), state("h1", 2))]);
        assert!(same_contents(&a, &b));
        let c = BTreeMap::from([("A.java".to_owned(), state("h2", 1))]);
        assert!(!same_contents(&a, &c));
        let d = BTreeMap::from([("A.java".to_owned(), state("h1", 1)), ("B.java".to_owned(), state("h1", 1))]);
        assert!(!same_contents(&a, &d));
    }

    #[test]
    fn record_round_trips_and_rejects_other_formats() {
        let dir = tempfile::tempdir().unwrap();
        let mut record = BuildRecord { settings: "s".into(), ..BuildRecord::default() };
        record.entries.insert("A.java".into());
        record.save(dir.path()).unwrap();
        let loaded = BuildRecord::load(dir.path());
        assert_eq!(loaded.entries, record.entries);
        assert_eq!(loaded.format, FORMAT);
        std::fs::write(dir.path().join(RECORD_DIR).join(RECORD_FILE), "{\"format\": 999}").unwrap();
        assert_eq!(BuildRecord::load(dir.path()), BuildRecord::default());
    }
}
