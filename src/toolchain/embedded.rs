//! Java programs embedded in jbuild (the warm compiler, the warm case
//! runner), compiled on first use with the selected JDK into the per-user
//! cache.
//!
//! Keyed by the JDK and the program's own source, and safe when several
//! jbuilds get there at once: each compiles into its own temp folder and the
//! first rename wins. The classes run with the user's rights, so they are
//! used only from private folders and only while their hashes match the
//! manifest written when they were compiled; anything else is rebuilt.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::cache::private_dir;
use super::jdk::Jdk;
use super::process::ToolCommand;

/// The file beside the classes that lists their hashes.
const MANIFEST: &str = "classes.blake3";

/// The class folder of `class` (whose source is `source`) for `jdk`, under
/// `cache/kind/`, compiling it there first if needed.
pub fn ensure_compiled(jdk: &Jdk, cache: &Path, kind: &str, class: &str, source: &str) -> Result<PathBuf> {
    let key = blake3::hash(format!("{source}\n{}\n{}", jdk.javac.display(), jdk.version).as_bytes()).to_hex();
    let root = cache.join(kind);
    private_dir(&root)?;
    let dir = root.join(&key.as_str()[..16]);
    if dir.exists() {
        if private_dir(&dir).is_ok() && manifest_matches(&dir) {
            return Ok(dir);
        }
        // Not what jbuild built (tampered, half-written): set it aside.
        let discarded = root.join(format!("discarded-{}", std::process::id()));
        let _ = std::fs::rename(&dir, &discarded);
        let _ = std::fs::remove_dir_all(&discarded);
    }
    let staging = tempfile::Builder::new().prefix("building-").tempdir_in(&root)?;
    let source_file = staging.path().join(format!("{class}.java"));
    std::fs::write(&source_file, source)?;
    let out = staging.path().join("classes");
    let mut javac = ToolCommand::jdk_tool(&jdk.javac);
    javac.arg("-d").arg(&out).arg("-encoding").arg("UTF-8").arg(&source_file);
    let output = javac.output()?;
    if !output.status.success() {
        bail!("compiling jbuild's {class} failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    std::fs::write(out.join(MANIFEST), manifest(&out)?)?;
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o700))?;
    match std::fs::rename(&out, &dir) {
        Ok(()) => Ok(dir),
        Err(_) if manifest_matches(&dir) => Ok(dir), // another jbuild won
        Err(e) => Err(e).with_context(|| format!("installing jbuild's {class} in {}", dir.display())),
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

fn manifest_matches(dir: &Path) -> bool {
    let recorded = std::fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    !recorded.is_empty() && manifest(dir).is_ok_and(|now| now == recorded)
}
