//! `jbuild clean`: removes what the build record says jbuild wrote, nothing else.

use anyhow::Result;

use crate::build::lock::OutputLock;
use crate::build::outputs::{is_resource_key, remove_owned, remove_owned_files};
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
    let mut removal = remove_owned(classes, record.outputs.values().flatten())?;
    let copies = record.resources.iter().filter(|(_, copy)| copy.owned).map(|(key, copy)| (key, &copy.output));
    let resources = remove_owned_files(classes, copies, is_resource_key)?;
    removal.removed += resources.removed;
    removal.kept.extend(resources.kept);
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
    let what = if record.resources.values().any(|copy| copy.owned) { "file" } else { "class file" };
    ctx.status.line("Removed", crate::term::count(removal.removed, what));
    Ok(ExitStatus::Success)
}
