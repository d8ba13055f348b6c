//! `jbuild clean`: removes what the build record says jbuild wrote, nothing else.

use anyhow::Result;

use crate::build::lock::OutputLock;
use crate::build::outputs::remove_owned;
use crate::build::record::BuildRecord;
use crate::context::Context;
use crate::error::ExitStatus;

/// Everything happens under the output lock, and the lock file stays: a
/// compile waiting on it then simply goes on once `clean` is done.
pub fn command(ctx: &Context) -> Result<ExitStatus> {
    let classes = &ctx.project.classes;
    let dir = BuildRecord::dir(classes);
    if !std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
        ctx.status.line("Clean", "nothing to remove");
        return Ok(ExitStatus::Success);
    }
    let lock = OutputLock::acquire(classes, || ctx.status.line("Blocking", "waiting for another jbuild"))?;
    lock.remove_leftover_staging(classes);
    let (record, untrusted) = BuildRecord::load(classes);
    if let Some(why) = untrusted {
        ctx.status.warning(why);
    }
    let removal = remove_owned(classes, record.outputs.values().flatten())?;
    BuildRecord::remove(classes)?;
    drop(lock);
    if !removal.kept.is_empty() {
        ctx.status.warning(format_args!(
            "left {} in place: changed since jbuild wrote {}",
            removal.kept.join(", "),
            if removal.kept.len() == 1 { "it" } else { "them" }
        ));
    }
    if removal.removed == 0 && removal.kept.is_empty() {
        ctx.status.line("Clean", "nothing to remove");
        return Ok(ExitStatus::Success);
    }
    ctx.status
        .line("Removed", format_args!("{} class file{}", removal.removed, if removal.removed == 1 { "" } else { "s" }));
    Ok(ExitStatus::Success)
}
