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
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// Bump when the record's meaning changes; older records are then ignored.
/// 2: outputs carry the fingerprint of the file jbuild installed; sources
/// carry ctime and inode.
const FORMAT: u32 = 2;
/// A record larger than this is not one jbuild wrote for a small project.
const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;
pub const RECORD_DIR: &str = ".jbuild";
const RECORD_FILE: &str = "record.json";
const LOCK_FILE: &str = "lock";
/// javac writes into `.jbuild/staging-XXXX/` before outputs move into place.
pub const STAGING_PREFIX: &str = "staging-";

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

/// A class file as jbuild installed it: deleted later only if it still is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFile {
    pub size: u64,
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
    pub outputs: BTreeMap<String, BTreeMap<String, OutputFile>>,
}

impl BuildRecord {
    pub fn dir(classes: &Path) -> PathBuf {
        classes.join(RECORD_DIR)
    }

    /// Creates the output folder and `.jbuild/` in it, refusing a `.jbuild`
    /// that is a symlink (writes through it would land anywhere).
    pub fn ensure_dir(classes: &Path) -> Result<PathBuf> {
        std::fs::create_dir_all(classes).with_context(|| format!("creating {}", classes.display()))?;
        create_real_folders(classes, Path::new(RECORD_DIR))?;
        Ok(Self::dir(classes))
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
        let mut states = BTreeMap::new();
        for relative in files {
            let key = key_of(relative);
            let path = src.join(relative);
            let meta = std::fs::metadata(&path).with_context(|| format!("reading {}", path.display()))?;
            let size = meta.len();
            let mtime_ns =
                meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
            let ctime_ns = (meta.ctime() as i128 * 1_000_000_000 + meta.ctime_nsec() as i128).max(0) as u128;
            let inode = meta.ino();
            let state = match self.sources.get(&key) {
                Some(known)
                    if known.size == size
                        && known.mtime_ns == mtime_ns
                        && known.ctime_ns == ctime_ns
                        && known.inode == inode =>
                {
                    known.clone()
                }
                _ => SourceState { size, mtime_ns, ctime_ns, inode, hash: hash_file(&path)? },
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
            && self.outputs.values().flat_map(BTreeMap::keys).all(|class| classes.join(class).is_file())
    }
}

/// Whether a record's output entry is a plain relative path of a class file:
/// normal components only (no `..`, no root, no prefix, no `.jbuild`).
pub fn is_output_key(key: &str) -> bool {
    let path = Path::new(key);
    key.ends_with(".class")
        && !key.contains('\\')
        && !key.contains('\0')
        && !key.split('/').any(str::is_empty)
        && path.components().all(|c| matches!(c, Component::Normal(_)))
        && path.components().next().is_some_and(|c| c.as_os_str() != RECORD_DIR)
}

/// What removing owned outputs did.
#[derive(Debug, Default)]
pub struct Removal {
    pub removed: usize,
    /// Listed files left in place because they are no longer what jbuild
    /// wrote (changed, replaced, a symlink), relative to the output folder.
    pub kept: Vec<String>,
}

/// Deletes class files (relative to `classes`) that are still exactly the
/// files jbuild installed, then any package folders this left empty. A file
/// that changed, is not a regular file, or sits behind a symlink stays.
pub fn remove_owned<'a>(
    classes: &Path,
    outputs: impl IntoIterator<Item = (&'a String, &'a OutputFile)>,
) -> Result<Removal> {
    let mut removal = Removal::default();
    let mut folders = BTreeSet::new();
    for (key, owned) in outputs {
        if !is_output_key(key) {
            removal.kept.push(key.clone());
            continue;
        }
        let path = classes.join(key);
        match still_ours(classes, key, owned) {
            Ok(true) => {}
            Ok(false) => {
                removal.kept.push(key.clone());
                continue;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        }
        match std::fs::remove_file(&path) {
            Ok(()) => removal.removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", path.display())),
        }
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != classes && d.starts_with(classes)) {
            folders.insert(d.to_path_buf());
            dir = d.parent();
        }
    }
    // Deepest first; a folder with anything left in it stays.
    for folder in folders.iter().rev() {
        let _ = std::fs::remove_dir(folder);
    }
    Ok(removal)
}

/// Whether `classes/key` is reached through real folders only, is a regular
/// file (not a symlink) and has the size and hash jbuild recorded.
fn still_ours(classes: &Path, key: &str, owned: &OutputFile) -> std::io::Result<bool> {
    if !real_folders_below(classes, Path::new(key).parent().unwrap_or(Path::new("")))? {
        return Ok(false);
    }
    let path = classes.join(key);
    let meta = std::fs::symlink_metadata(&path)?;
    if !meta.file_type().is_file() || meta.len() != owned.size {
        return Ok(false);
    }
    let file = File::options().read(true).custom_flags(libc::O_NOFOLLOW).open(&path)?;
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(file)?;
    Ok(hasher.finalize().to_hex().as_str() == owned.hash)
}

/// Whether every folder from `root` down to `root/relative` exists and is a
/// real folder, not a symlink that could lead out of `root`.
fn real_folders_below(root: &Path, relative: &Path) -> std::io::Result<bool> {
    let mut dir = root.to_path_buf();
    for component in relative.components() {
        dir.push(component);
        if !std::fs::symlink_metadata(&dir)?.file_type().is_dir() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Creates `root/relative` folder by folder, refusing to go through a
/// symlink or a file: jbuild writes class files only inside the output folder.
pub fn create_real_folders(root: &Path, relative: &Path) -> Result<()> {
    let mut dir = root.to_path_buf();
    for component in relative.components() {
        dir.push(component);
        match std::fs::symlink_metadata(&dir) {
            Ok(meta) if meta.file_type().is_dir() => {}
            Ok(meta) if meta.file_type().is_symlink() => {
                bail!(
                    "{} is a symlink; jbuild writes class files only into real folders of the output folder",
                    dir.display()
                )
            }
            Ok(_) => bail!("{} is in the way: it is not a folder", dir.display()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir(&dir).with_context(|| format!("creating {}", dir.display()))?
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
        }
    }
    Ok(())
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

/// An exclusive lock on the output folder, held while compiling or cleaning
/// so two jbuild processes never interleave writes.
pub struct OutputLock {
    _file: File,
}

impl OutputLock {
    pub fn acquire(classes: &Path, on_wait: impl FnOnce()) -> Result<OutputLock> {
        let dir = BuildRecord::ensure_dir(classes)?;
        let path = dir.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .custom_flags(libc::O_NOFOLLOW)
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
    fn output_keys_are_plain_relative_class_paths() {
        for good in ["Main.class", "a/b/C$1.class", "ünï/Cödé.class"] {
            assert!(is_output_key(good), "{good}");
        }
        for bad in [
            "/etc/passwd.class",
            "../src/a/Main.class",
            "a/../../x.class",
            "./a.class",
            "a//b.class",
            "a/b.java",
            "",
            ".jbuild/record.class",
            "a\\..\\b.class",
            "a/b.class/",
        ] {
            assert!(!is_output_key(bad), "{bad:?}");
        }
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

    fn owned(path: &Path) -> OutputFile {
        OutputFile { size: std::fs::metadata(path).unwrap().len(), hash: hash_file(path).unwrap() }
    }

    #[test]
    fn removes_only_files_still_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let classes = dir.path().join("classes");
        std::fs::create_dir_all(classes.join("p")).unwrap();
        std::fs::write(classes.join("p/A.class"), "a").unwrap();
        std::fs::write(classes.join("p/B.class"), "b").unwrap();
        let (a, b) = (owned(&classes.join("p/A.class")), owned(&classes.join("p/B.class")));
        std::fs::write(classes.join("p/B.class"), "B").unwrap(); // same size, other bytes
        let outputs = BTreeMap::from([("p/A.class".to_owned(), a), ("p/B.class".to_owned(), b)]);
        let removal = remove_owned(&classes, &outputs).unwrap();
        assert_eq!((removal.removed, removal.kept), (1, vec!["p/B.class".to_owned()]));
        assert!(!classes.join("p/A.class").exists());
        assert_eq!(std::fs::read_to_string(classes.join("p/B.class")).unwrap(), "B");
    }

    #[test]
    fn never_removes_through_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let (classes, outside) = (dir.path().join("classes"), dir.path().join("outside"));
        std::fs::create_dir_all(&classes).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("V.class"), "victim").unwrap();
        let victim = owned(&outside.join("V.class"));
        std::os::unix::fs::symlink(&outside, classes.join("dir")).unwrap();
        std::os::unix::fs::symlink(outside.join("V.class"), classes.join("V.class")).unwrap();
        let outputs = BTreeMap::from([("dir/V.class".to_owned(), victim.clone()), ("V.class".to_owned(), victim)]);
        let removal = remove_owned(&classes, &outputs).unwrap();
        assert_eq!(removal.removed, 0);
        assert_eq!(std::fs::read_to_string(outside.join("V.class")).unwrap(), "victim");
        assert!(create_real_folders(&classes, Path::new("dir/sub")).is_err());
        assert!(!outside.join("sub").exists());
    }
}
