//! `jbuild test [FILTER...]`: the JUnit tests of this project (or of every
//! project below here), compiled and run like `jbuild check` runs its
//! cases, with the same limits, box and reports.

use anyhow::Result;

use crate::check::CheckOptions;
use crate::context::Workspace;
use crate::error::ExitStatus;
use crate::toolchain::process::{AbortOnSignal, become_subreaper, set_dumpable};

/// As `jbuild check`: nothing a test starts outlives it, and a test cannot
/// reach jbuild's own stdout through `/proc`.
pub fn command(workspace: &Workspace, options: &CheckOptions) -> Result<ExitStatus> {
    let _abort = AbortOnSignal::install()?;
    become_subreaper();
    set_dumpable(false);
    let status = crate::check::run(workspace, options);
    set_dumpable(true);
    status
}
