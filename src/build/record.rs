//! The build record in `classes/.jbuild/`: what the last successful compile
//! read and wrote, so jbuild can tell when class files are current and which
//! class files are its own to remove.
//!
//! The record lives in the repository's tree, so it is untrusted input: it
//! may be committed, edited or crafted. A record with any output entry that
//! is not a plain relative `.class` path is ignored as a whole (jbuild then
//! recompiles and deletes nothing), and a listed class file is deleted only
//! while it is still, byte for byte, the file jbuild installed.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::outputs::{create_real_folders, is_output_key, is_resource_key};

/// Bump when the record's meaning changes; older records are then ignored.
/// 2: outputs carry the fingerprint of the file jbuild installed; sources
/// carry ctime and inode.
const FORMAT: u32 = 2;
/// A record larger than this is not one jbuild wrote for a small project.
const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;
pub const RECORD_DIR: &str = ".jbuild";
const GITIGNORE: &str = ".gitignore";
const GITIGNORE_TEXT: &str = "# Written by jbuild: its build record, never committed.\n*\n";
const RECORD_FILE: &str = "record.json";

/// What is known about one source file: size and mtime as a fast pre-check,
/// the content hash as the truth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceState {
    pub size: u64,
    pub mtime_ns: u128,
    /// ctime and inode make `touch -r` and a file swapped in by rename visible
    /// to the pre-check even when size and mtime stay.
    #[serde(default)]
    pub ctime_ns: u128,
    #[serde(default)]
    pub inode: u64,
    pub hash: String,
}

impl SourceState {
    /// Whether size, mtime, ctime and inode are still what was recorded.
    pub fn unchanged(&self, meta: &std::fs::Metadata) -> bool {
        stat_of(meta) == (self.size, self.mtime_ns, self.ctime_ns, self.inode)
    }
}

/// Size, mtime, ctime (both in ns) and inode.
fn stat_of(meta: &std::fs::Metadata) -> (u64, u128, u128, u64) {
    let mtime_ns = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
    let ctime_ns = (meta.ctime() as i128 * 1_000_000_000 + meta.ctime_nsec() as i128).max(0) as u128;
    (meta.len(), mtime_ns, ctime_ns, meta.ino())
}

/// A class file as jbuild installed it: deleted later only if it still is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFile {
    pub size: u64,
    pub hash: String,
}

/// A file of a resource folder as jbuild copied it into the output folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceCopy {
    /// Size and mtime of the resource when copied: a fast "unchanged" check.
    pub source_size: u64,
    pub source_mtime_ns: u128,
    pub output: OutputFile,
    /// Whether jbuild wrote the copy; a file already there with the same
    /// bytes (the IDE's copy) is left to its owner.
    pub owned: bool,
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
    pub outputs: BTreeMap<String, BTreeMap<String, OutputFile>>,
    /// Copies of resource files, by their path relative to the output folder.
    #[serde(default)]
    pub resources: BTreeMap<String, ResourceCopy>,
}

impl BuildRecord {
    pub fn dir(classes: &Path) -> PathBuf {
        classes.join(RECORD_DIR)
    }

    /// Creates the output folder and `.jbuild/` in it, refusing a `.jbuild`
    /// that is a symlink (writes through it would land anywhere).
    pub fn ensure_dir(classes: &Path) -> Result<PathBuf> {
        std::fs::create_dir_all(classes).with_context(|| format!("creating {}", classes.display()))?;
        let dir = Self::dir(classes);
        let new = !dir.exists();
        create_real_folders(classes, Path::new(RECORD_DIR))?;
        if new {
            // As cargo does for target/: git ignores the folder by itself,
            // whatever the repository's .gitignore says.
            let _ = std::fs::write(dir.join(GITIGNORE), GITIGNORE_TEXT);
        }
        Ok(dir)
    }

    /// Removes `.jbuild/` once nothing but jbuild's own files are left in
    /// it (the lock, the `.gitignore` jbuild wrote), under the lock held by
    /// the caller; anything else in it stays, and so does the folder.
    pub fn remove_dir_when_empty(classes: &Path, lock_file: &Path) {
        let dir = Self::dir(classes);
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        let mut names: Vec<std::ffi::OsString> = Vec::new();
        for entry in entries.flatten() {
            // An empty folder of jbuild's (test-classes/ after its own clean) goes.
            if entry.file_type().is_ok_and(|t| t.is_dir()) && std::fs::remove_dir(entry.path()).is_ok() {
                continue;
            }
            names.push(entry.file_name());
        }
        let ours = |name: &std::ffi::OsString| {
            name == GITIGNORE
                && read_regular_file(&dir.join(GITIGNORE), 64).is_some_and(|b| b == GITIGNORE_TEXT.as_bytes())
                || Some(name.as_os_str()) == lock_file.file_name()
        };
        if !names.iter().all(ours) {
            return;
        }
        for name in &names {
            let _ = std::fs::remove_file(dir.join(name));
        }
        let _ = std::fs::remove_dir(&dir);
    }

    /// The record in `classes`, or an empty one when there is none, it is
    /// unreadable or of another format (then everything is simply
    /// recompiled). A record that lists anything but plain relative class
    /// file paths is empty too, and the second value says why, so nothing it
    /// names is ever deleted.
    pub fn load(classes: &Path) -> (BuildRecord, Option<String>) {
        let path = Self::dir(classes).join(RECORD_FILE);
        let Some(bytes) = read_regular_file(&path, MAX_RECORD_BYTES) else { return (BuildRecord::default(), None) };
        let Ok(record) = serde_json::from_slice::<BuildRecord>(&bytes) else { return (BuildRecord::default(), None) };
        if record.format != FORMAT {
            return (BuildRecord::default(), None);
        }
        if let Some(bad) = record.outputs.values().flat_map(BTreeMap::keys).find(|key| !is_output_key(key)) {
            let why = format!(
                "ignoring the build record {}: it lists {bad:?}, which is not a class file inside the output folder; \
                 recompiling, and deleting nothing it names",
                path.display()
            );
            return (BuildRecord::default(), Some(why));
        }
        if let Some(bad) = record.resources.keys().find(|key| !is_resource_key(key)) {
            let why = format!(
                "ignoring the build record {}: it lists the resource {bad:?}, which is not a file inside the output \
                 folder; deleting nothing it names",
                path.display()
            );
            return (BuildRecord::default(), Some(why));
        }
        (record, None)
    }

    /// Writes the record atomically: a temp file in the same folder, renamed.
    pub fn save(&self, classes: &Path) -> Result<()> {
        let dir = Self::ensure_dir(classes)?;
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
        let state = |relative: &PathBuf| -> Result<(String, SourceState)> {
            let key = key_of(relative);
            let path = src.join(relative);
            let meta = std::fs::metadata(&path).with_context(|| format!("reading {}", path.display()))?;
            let state = match self.sources.get(&key) {
                Some(known) if known.unchanged(&meta) => known.clone(),
                _ => {
                    let (size, mtime_ns, ctime_ns, inode) = stat_of(&meta);
                    SourceState { size, mtime_ns, ctime_ns, inode, hash: hash_file(&path)? }
                }
            };
            Ok((key, state))
        };
        crate::par::map(files, state).into_iter().collect()
    }

    /// Whether the record knows the file at `key` and its metadata `meta`
    /// says it is unchanged since (the fast pre-check, without reading it).
    pub fn knows_unchanged(&self, key: &str, meta: &std::fs::Metadata) -> bool {
        self.sources.get(key).is_some_and(|known| known.unchanged(meta))
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
            && crate::par::all(&self.outputs.values().flat_map(BTreeMap::keys).collect::<Vec<_>>(), |class| {
                classes.join(class).is_file()
            })
    }
}

/// The bytes of `path` when it is a regular file (not a symlink, FIFO or
/// device) of at most `limit` bytes.
fn read_regular_file(path: &Path, limit: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let file = File::options().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.file_type().is_file() || meta.len() > limit {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= limit).then_some(bytes)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn state(hash: &str, mtime_ns: u128) -> SourceState {
        SourceState { size: 1, mtime_ns, ctime_ns: 0, inode: 0, hash: hash.into() }
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
        let (loaded, problem) = BuildRecord::load(dir.path());
        assert_eq!((loaded.entries, loaded.format, problem), (record.entries, FORMAT, None));
        std::fs::write(dir.path().join(RECORD_DIR).join(RECORD_FILE), "{\"format\": 999}").unwrap();
        assert_eq!(BuildRecord::load(dir.path()), (BuildRecord::default(), None));
    }

    #[test]
    fn one_bad_entry_makes_the_whole_record_untrusted() {
        let dir = tempfile::tempdir().unwrap();
        let owned = OutputFile { size: 1, hash: "h".into() };
        let mut record = BuildRecord { settings: "s".into(), ..BuildRecord::default() };
        record
            .outputs
            .insert("A.java".into(), BTreeMap::from([("A.class".into(), owned.clone()), ("../x.class".into(), owned)]));
        record.save(dir.path()).unwrap();
        let (loaded, problem) = BuildRecord::load(dir.path());
        assert_eq!(loaded, BuildRecord::default());
        assert!(problem.unwrap().contains("\"../x.class\""));
    }

    #[test]
    fn fresh_only_for_the_same_tree_settings_targets_and_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let classes = dir.path();
        std::fs::create_dir_all(classes.join("a")).unwrap();
        std::fs::write(classes.join("a/Main.class"), "x").unwrap();
        let sources = BTreeMap::from([("a/Main.java".to_owned(), state("h1", 1))]);
        let mut record =
            BuildRecord { format: FORMAT, settings: "s".into(), sources: sources.clone(), ..BuildRecord::default() };
        record.entries.insert("a/Main.java".into());
        record.outputs.insert(
            "a/Main.java".into(),
            BTreeMap::from([("a/Main.class".to_owned(), OutputFile { size: 1, hash: "h".into() })]),
        );
        let targets = ["a/Main.java".to_owned()];
        assert!(record.is_fresh("s", &sources, &targets, classes));
        assert!(!record.is_fresh("other settings", &sources, &targets, classes));
        let edited = BTreeMap::from([("a/Main.java".to_owned(), state("h2", 1))]);
        assert!(!record.is_fresh("s", &edited, &targets, classes));
        assert!(!record.is_fresh("s", &sources, &["b/Other.java".to_owned()], classes), "a target never compiled");
        std::fs::remove_file(classes.join("a/Main.class")).unwrap();
        assert!(!record.is_fresh("s", &sources, &targets, classes), "a recorded class file is missing");
    }
}
