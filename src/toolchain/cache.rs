//! jbuild's per-user cache folder: the compiled worker and JUnit launcher,
//! and the daemon's socket.
//!
//! Code in it runs (the worker's and launcher's class files), so it is used
//! only when it belongs to the user running jbuild and nobody else can
//! write to it.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};

use super::jdk::Jdk;
use super::process::ToolCommand;

/// The file beside an embedded program's classes that lists their hashes.
const MANIFEST: &str = "classes.blake3";

/// `$JBUILD_CACHE_DIR`, else `$XDG_CACHE_HOME/jbuild`, else `~/.cache/jbuild`,
/// created if needed and checked to be private.
pub fn cache_dir() -> Result<PathBuf> {
    let dir = crate::env::get()
        .cache_dir
        .clone()
        .ok_or_else(|| anyhow!("no cache folder: set JBUILD_CACHE_DIR, XDG_CACHE_HOME or HOME"))?;
    private_dir(&dir)?;
    Ok(dir)
}

/// Creates `dir` (0700) if needed, and refuses it unless it is a real
/// folder owned by this user that no one else may write to; a folder of
/// ours that others can write to is made private first.
pub fn private_dir(dir: &Path) -> Result<()> {
    if !dir.exists() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("making {} private", dir.display()))?;
    }
    let meta = std::fs::symlink_metadata(dir).with_context(|| format!("reading {}", dir.display()))?;
    let uid = rustix::process::geteuid().as_raw();
    if !meta.is_dir() {
        bail!("{} is not a folder (a symlink?); refusing to use it as jbuild's cache", dir.display());
    }
    if meta.uid() != uid {
        bail!(
            "{} belongs to uid {}, not to you (uid {uid}); refusing to use it as jbuild's cache",
            dir.display(),
            meta.uid()
        );
    }
    if meta.mode() & 0o022 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("making {} private", dir.display()))?;
    }
    Ok(())
}

/// A small Java program embedded in jbuild's binary (the compile worker, the
/// JUnit launcher), compiled on first use into the cache.
#[derive(Debug, Clone, Copy)]
pub struct Embedded<'a> {
    /// What it is, for error messages: `the compile worker`.
    pub label: &'a str,
    /// Its folder in the cache.
    pub folder: &'a str,
    /// Its source file's name: `JbuildWorker.java`.
    pub file: &'a str,
    pub source: &'a str,
    /// Jars it is compiled against.
    pub classpath: &'a [PathBuf],
    /// Anything else its class files depend on (such as those jars'
    /// hashes), for the cache key.
    pub key: &'a str,
}

/// The class folder of `program` for `jdk` in the cache folder `cache`,
/// compiling it there first if needed.
///
/// Keyed by the JDK, the program's own source and its `key`, and safe when
/// several jbuilds get there at once: each compiles into its own temp folder
/// and the first rename wins. The classes run with the user's rights, so
/// they are used only from private folders and only while their hashes
/// match the manifest written when they were compiled; anything else is
/// rebuilt.
pub fn compile_embedded(jdk: &Jdk, cache: &Path, program: &Embedded) -> Result<PathBuf> {
    let key =
        blake3::hash(format!("{}\n{}\n{}{}", program.source, jdk.javac.display(), jdk.version, program.key).as_bytes())
            .to_hex();
    let root = cache.join(program.folder);
    private_dir(&root)?;
    let dir = root.join(&key.as_str()[..16]);
    if dir.exists() {
        if private_dir(&dir).is_ok() && manifest_matches(&dir) {
            return Ok(dir);
        }
        // Not what jbuild built (tampered, half-written): set it aside.
        let _ = std::fs::rename(&dir, root.join(format!("discarded-{}", std::process::id())));
        let _ = std::fs::remove_dir_all(root.join(format!("discarded-{}", std::process::id())));
    }
    let staging = tempfile::Builder::new().prefix("building-").tempdir_in(&root)?;
    let source = staging.path().join(program.file);
    std::fs::write(&source, program.source)?;
    let out = staging.path().join("classes");
    let mut javac = ToolCommand::jdk_tool(&jdk.javac);
    javac.launcher_args(crate::build::JAVAC_JVM_OPTIONS);
    javac.arg("-d").arg(&out).arg("-encoding").arg("UTF-8");
    if !program.classpath.is_empty() {
        javac.arg("-classpath").arg(std::env::join_paths(program.classpath).context("joining the classpath")?);
    }
    javac.arg(&source);
    let output = javac.output()?;
    if !output.status.success() {
        bail!("compiling {} failed: {}", program.label, String::from_utf8_lossy(&output.stderr).trim());
    }
    std::fs::write(out.join(MANIFEST), manifest(&out)?)?;
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o700))?;
    match std::fs::rename(&out, &dir) {
        Ok(()) => Ok(dir),
        Err(_) if manifest_matches(&dir) => Ok(dir), // another jbuild won
        Err(e) => Err(e).with_context(|| format!("installing {} in {}", program.label, dir.display())),
    }
}

/// `name hash` lines for every class file in `dir`, sorted.
fn manifest(dir: &Path) -> Result<String> {
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".class") {
            lines.push(format!("{name} {}", crate::build::record::hash_file(&entry.path())?));
        }
    }
    lines.sort();
    Ok(lines.join("\n") + "\n")
}

/// Whether `dir`'s class files are exactly those its manifest lists.
pub fn manifest_matches(dir: &Path) -> bool {
    let recorded = std::fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    !recorded.is_empty() && manifest(dir).is_ok_and(|now| now == recorded)
}
