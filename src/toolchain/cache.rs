//! jbuild's per-user cache folder: the compiled worker and the daemon's socket.
//!
//! Code in it runs (the worker's class file), so it is used only when it
//! belongs to the user running jbuild and nobody else can write to it.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};

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
    // SAFETY: geteuid has no preconditions.
    let uid = unsafe { libc::geteuid() };
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
