//! `jbuild clean`: removes what the build records say jbuild wrote (the
//! main classes and the test classes), nothing else.

use std::path::Path;

use anyhow::Result;

use crate::build::lock::OutputLock;
use crate::build::outputs::{Removal, is_resource_key, remove_owned, remove_owned_files};
use crate::build::record::BuildRecord;
use crate::build::source_set::test_classes;
use crate::context::Context;
use crate::error::ExitStatus;

/// Everything happens under each output folder's lock; the lock file goes
/// last, with `.jbuild/` when nothing else is in it (a compile waiting on
/// the lock then locks a new file, see [`OutputLock::acquire`]).
/// Test classes go first: they live inside the main output folder.
pub fn command(ctx: &Context) -> Result<ExitStatus> {
    let mut total = Removal::default();
    let mut resources = false;
    for dir in [test_classes(&ctx.project), ctx.project.classes.clone()] {
        let (removal, copied) = clean(ctx, &dir)?;
        total.removed += removal.removed;
        total.kept.extend(removal.kept);
        resources |= copied;
    }
    if !total.kept.is_empty() {
        ctx.status.warning(format_args!(
            "left {} in place: changed since jbuild wrote {}",
            total.kept.join(", "),
            if total.kept.len() == 1 { "it" } else { "them" }
        ));
    }
    if total.removed == 0 && total.kept.is_empty() {
        ctx.status.line("Clean", "nothing to remove");
        return Ok(ExitStatus::Success);
    }
    ctx.status.line("Removed", crate::term::count(total.removed, if resources { "file" } else { "class file" }));
    Ok(ExitStatus::Success)
}

/// Removes the files the record in `classes` lists, and the record; says
/// whether resource copies were among them.
fn clean(ctx: &Context, classes: &Path) -> Result<(Removal, bool)> {
    let dir = BuildRecord::dir(classes);
    if !std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
        return Ok((Removal::default(), false));
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
    lock.remove_with_record_dir(classes);
    Ok((removal, record.resources.values().any(|copy| copy.owned)))
}
