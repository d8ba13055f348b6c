//! `jbuild clean`: removes what the build record says jbuild wrote, nothing else.

use anyhow::{Context as _, Result};

use crate::Context;
use crate::build_record::{BuildRecord, OutputLock};
use crate::compile::remove_outputs;
use crate::error::ExitStatus;

pub fn command(ctx: &Context) -> Result<ExitStatus> {
    let classes = &ctx.project.classes;
    if !BuildRecord::dir(classes).is_dir() {
        ctx.status.line("Clean", "nothing to remove");
        return Ok(ExitStatus::Success);
    }
    let lock = OutputLock::acquire(classes, || ctx.status.line("Blocking", "waiting for another jbuild"))?;
    let record = BuildRecord::load(classes);
    let outputs: Vec<String> = record.outputs.values().flatten().cloned().collect();
    remove_outputs(classes, &outputs)?;
    BuildRecord::remove(classes)?;
    drop(lock);
    let dir = BuildRecord::dir(classes);
    std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    // The output folder itself goes only if jbuild's files were all it held.
    let _ = std::fs::remove_dir(classes);
    ctx.status
        .line("Removed", format_args!("{} class file{}", outputs.len(), if outputs.len() == 1 { "" } else { "s" }));
    Ok(ExitStatus::Success)
}
