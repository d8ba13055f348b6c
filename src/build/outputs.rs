//! Class files (and resource copies) as jbuild's own: installed only into
//! real folders of the output folder, fingerprinted, and removed only while
//! still as written.

use std::collections::BTreeSet;
use std::fs::File;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Component, Path};

use anyhow::{Context, Result, bail};

use super::record::{OutputFile, RECORD_DIR};

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

/// Whether a record's resource entry is a plain relative path inside the
/// output folder: normal components only, not in `.jbuild`, and no class
/// file (those are javac's).
pub fn is_resource_key(key: &str) -> bool {
    let path = Path::new(key);
    !key.ends_with(".class")
        && !key.is_empty()
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
    remove_owned_files(classes, outputs, is_output_key)
}

/// [`remove_owned`] for any kind of file whose key `is_key` accepts.
pub fn remove_owned_files<'a>(
    classes: &Path,
    outputs: impl IntoIterator<Item = (&'a String, &'a OutputFile)>,
    is_key: fn(&str) -> bool,
) -> Result<Removal> {
    let mut removal = Removal::default();
    let mut folders = BTreeSet::new();
    for (key, owned) in outputs {
        if !is_key(key) {
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
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::create_dir(&dir) {
                Ok(()) => {}
                // Another jbuild created it meanwhile: fine if it is a real folder.
                Err(e)
                    if e.kind() == std::io::ErrorKind::AlreadyExists
                        && std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_dir()) => {}
                Err(e) => return Err(e).with_context(|| format!("creating {}", dir.display())),
            },
            Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::build::record::hash_file;

    #[test]
    fn resource_keys_are_plain_relative_paths_of_other_files() {
        for good in ["app.properties", "img/logo.png", "META-INF/services/x.Y"] {
            assert!(is_resource_key(good), "{good}");
        }
        for bad in ["", "a/B.class", "../x.txt", "/etc/passwd", ".jbuild/record.json", "a//b", "./a", "a\\..\\b"] {
            assert!(!is_resource_key(bad), "{bad:?}");
        }
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
