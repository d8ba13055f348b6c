//! `jbuild check --bless`: the program's actual stdout becomes the expected
//! output of each case whose `.out` (or `stdout-file`) is missing or does
//! not match. A case that failed for another reason than its output is
//! never blessed, nor one judged by a checker (unless its file is
//! missing), nor a regular expression, nor an inline `stdout`.
//!
//! Writes stay inside the project: the path is walked folder by folder from
//! the project root without following any symlink, and the file is written
//! beside its final place and renamed over it, so a reader sees the old or
//! the new output, never half of one.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Write;
use std::os::fd::OwnedFd;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, Result, bail};
use rustix::fs::{AtFlags, FileType, Gid, Mode, OFlags, Uid};

use super::cases::{Case, Text};
use super::compare::Compare;
use super::java_case::{Judged, Texts, compare_of};
use super::runner::Execution;
use super::verdict::Verdict;
use super::{CheckOptions, CheckProject};
use crate::project::normalize;
use crate::term::relative;

/// The files one project's run has blessed, and the output each got: two
/// cases that share an expected output must agree on it.
#[derive(Debug, Default)]
pub struct Ledger {
    written: Mutex<BTreeMap<PathBuf, blake3::Hash>>,
}

/// Blesses the case's expected output with what the program printed, when
/// that is what `--bless` is for; `None` leaves the case to be judged as
/// usual (it passes as it is, or it is not a case `--bless` rewrites).
pub fn bless(
    project: &CheckProject,
    case: &Case,
    texts: &Texts,
    execution: &Execution,
    options: &CheckOptions,
) -> Option<Judged> {
    let Text::File(path) = &case.expected else { return None };
    let shown = relative(&project.ctx.cwd, path);
    if let Some(why) = not_an_expected_output(&project.ctx.project, path) {
        return Some(Judged::config(format!("--bless does not write {shown}: {why}"), String::new()));
    }
    let compare = compare_of(case, options);
    let exists = std::fs::symlink_metadata(path).is_ok();
    if compare == Compare::Regex {
        return (!exists).then(|| {
            Judged::config(format!("--bless does not write regular expressions: write {shown} by hand"), String::new())
        });
    }
    if exists {
        if case.checker.is_some() {
            return None;
        }
        let stdout = String::from_utf8_lossy(&execution.stdout);
        if !matches!(compare.matches(&texts.expected, &stdout), Ok(false)) {
            return None;
        }
    }
    Some(match project.blessings.write(&project.ctx.project.root, path, &execution.stdout) {
        Ok(()) => Judged { blessed: Some(shown), ..Judged::new(Verdict::Pass, String::new(), String::new()) },
        Err(e) => Judged::config(format!("--bless could not write {shown}: {e:#}"), String::new()),
    })
}

/// Why `path` (a `stdout-file` a repository's jbuild.toml names) is no
/// file for `--bless` to overwrite, if it is not one: a source, the
/// settings, the output folder, git's or GitHub's files.
fn not_an_expected_output(project: &crate::project::Project, path: &Path) -> Option<&'static str> {
    let path = normalize(path);
    let inside = path.strip_prefix(&project.root).unwrap_or(&path);
    if path.extension().is_some_and(|e| e == "java") {
        Some("it is a Java source")
    } else if path.file_name().is_some_and(|n| n == crate::project::settings::SETTINGS_FILE) {
        Some("it is jbuild's settings file")
    } else if path.starts_with(&project.classes) {
        Some("it is in the output folder")
    } else if inside.components().any(|c| c.as_os_str() == ".git" || c.as_os_str() == ".github") {
        Some("it belongs to git or GitHub")
    } else if project.roots.iter().any(|r| r.path != project.root && path.starts_with(&r.path)) {
        Some("it is in a source folder")
    } else {
        None
    }
}

impl Ledger {
    fn write(&self, root: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
        let hash = blake3::hash(bytes);
        let mut written = self.written.lock().expect("bless ledger lock");
        match written.get(path) {
            Some(earlier) if *earlier == hash => return Ok(()),
            Some(_) => bail!(
                "another case blessed it in this run with a different output (cases that share an expected output must print the same)"
            ),
            None => {}
        }
        write_inside(root, path, bytes)?;
        written.insert(path.to_path_buf(), hash);
        Ok(())
    }
}

/// Writes `bytes` to `path` inside `root`, atomically, through real
/// folders only: every folder below `root` is opened relative to the one
/// above it with `O_NOFOLLOW`, so no symlink (and no folder swapped for one
/// meanwhile) can lead the write elsewhere. An existing file keeps its
/// mode and owner; a new one gets 0644 and its folder's owner.
pub fn write_inside(root: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    let (root, path) = (normalize(root), normalize(path));
    let inside = path.strip_prefix(&root).ok().filter(|p| !p.as_os_str().is_empty());
    let Some(inside) = inside else { bail!("{} is outside the project {}", path.display(), root.display()) };
    let names: Vec<&OsStr> = inside
        .components()
        .map(|c| match c {
            Component::Normal(name) => Ok(name),
            _ => Err(anyhow::anyhow!("{}: not a plain path inside the project", path.display())),
        })
        .collect::<Result<_>>()?;
    let (name, folders) = names.split_last().expect("a path below the root has a name");
    let mut dir = open(None, root.as_os_str(), OFlags::DIRECTORY)
        .with_context(|| format!("opening the project folder {}", root.display()))?;
    let mut walked = PathBuf::new();
    for folder in folders {
        walked.push(folder);
        dir = open(Some(&dir), folder, OFlags::DIRECTORY | OFlags::NOFOLLOW).map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP | libc::ENOTDIR) => anyhow::anyhow!(
                "{} is a symlink or not a folder; --bless writes only through the project's real folders",
                walked.display()
            ),
            _ => anyhow::Error::new(e).context(format!("opening {}", walked.display())),
        })?;
    }
    let stat = |name: &OsStr| rustix::fs::statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW).map_err(std::io::Error::from);
    let (mode, owner) = match stat(name) {
        Ok(st) if FileType::from_raw_mode(st.st_mode) == FileType::Symlink => bail!(
            "{} is a symlink; --bless does not write through symlinks (bless the file it leads to)",
            inside.display()
        ),
        Ok(st) if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile => {
            bail!("{} is not a regular file", inside.display())
        }
        Ok(st) => (st.st_mode & 0o777, (st.st_uid, st.st_gid)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let st = stat(OsStr::new(".")).context("reading the folder")?;
            (0o644, (st.st_uid, st.st_gid))
        }
        Err(e) => return Err(anyhow::Error::new(e).context(format!("reading {}", inside.display()))),
    };
    let temp = format!(".{}.jbuild-bless-{}", name.to_string_lossy(), crate::toolchain::frame::nonce());
    let fd = open(Some(&dir), OsStr::new(&temp), OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW)
        .with_context(|| format!("creating a file beside {}", inside.display()))?;
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::from(fd);
        file.write_all(bytes)?;
        // Failing to give the file to its old owner (when not root) is harmless.
        let _ = rustix::fs::fchown(&file, Some(Uid::from_raw(owner.0)), Some(Gid::from_raw(owner.1)));
        rustix::fs::fchmod(&file, Mode::from_raw_mode(mode))?;
        file.sync_all()?;
        // Both names are relative to the same open folder.
        rustix::fs::renameat(&dir, OsStr::new(&temp), &dir, *name)?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = rustix::fs::unlinkat(&dir, OsStr::new(&temp), AtFlags::empty());
        return Err(anyhow::Error::new(e).context(format!("writing {}", inside.display())));
    }
    Ok(())
}

/// `openat(dir, name, flags | O_CLOEXEC)` (relative to the working folder
/// without `dir`), files created with mode 0600 until their mode is set.
fn open(dir: Option<&OwnedFd>, name: &OsStr, flags: OFlags) -> std::io::Result<OwnedFd> {
    let mode = Mode::from_raw_mode(0o600);
    let fd = match dir {
        Some(dir) => rustix::fs::openat(dir, name, flags | OFlags::CLOEXEC, mode),
        None => rustix::fs::openat(rustix::fs::CWD, name, flags | OFlags::CLOEXEC, mode),
    };
    Ok(fd?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_new_and_existing_files_atomically() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("tests/Main")).unwrap();
        let out = root.path().join("tests/Main/a.out");
        write_inside(root.path(), &out, b"one\n").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"one\n");
        write_inside(root.path(), &out, b"two\n").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"two\n");
        let names: Vec<_> = std::fs::read_dir(root.path().join("tests/Main")).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
        // `..` that stays inside is fine.
        write_inside(root.path(), &root.path().join("tests/../tests/Main/b.out"), b"b").unwrap();
        assert_eq!(std::fs::read(root.path().join("tests/Main/b.out")).unwrap(), b"b");
    }

    #[test]
    fn never_follows_symlinks_nor_leaves_the_project() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("tests")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.path().join("tests/Linked")).unwrap();
        let error = write_inside(root.path(), &root.path().join("tests/Linked/a.out"), b"x").unwrap_err();
        assert!(format!("{error:#}").contains("tests/Linked is a symlink or not a folder"), "{error:#}");
        std::fs::write(elsewhere.path().join("target.out"), "old").unwrap();
        std::os::unix::fs::symlink(elsewhere.path().join("target.out"), root.path().join("tests/link.out")).unwrap();
        let error = write_inside(root.path(), &root.path().join("tests/link.out"), b"x").unwrap_err();
        assert!(format!("{error:#}").contains("does not write through symlinks"), "{error:#}");
        assert_eq!(std::fs::read_to_string(elsewhere.path().join("target.out")).unwrap(), "old");
        let error = write_inside(root.path(), &root.path().join("../x.out"), b"x").unwrap_err();
        assert!(format!("{error:#}").contains("outside the project"), "{error:#}");
        assert!(std::fs::read_dir(elsewhere.path()).unwrap().count() == 1);
    }
}
