//! `jbuild check`: cases for every project found, one report.
//!
//! Graded programs run with jbuild as their subreaper (nothing they start
//! escapes) and with jbuild's `/proc` entries closed to them; Ctrl-C or
//! SIGTERM stops every case and removes its scratch folder.

use anyhow::Result;

use crate::check::{CheckOptions, Format};
use crate::context::Workspace;
use crate::error::ExitStatus;
use crate::toolchain::process::{AbortOnSignal, become_subreaper, set_dumpable};

pub fn command(workspace: &Workspace, options: &CheckOptions) -> Result<ExitStatus> {
    let _abort = AbortOnSignal::install()?;
    become_subreaper();
    set_dumpable(false);
    let status = crate::check::run(workspace, options);
    set_dumpable(true);
    if let (Err(error), Format::Gradescope) = (&status, options.format) {
        // Gradescope needs a results.json whatever happened, or the student
        // sees only that the autograder failed.
        println!("{}", serde_json::to_string_pretty(&crate::check::report::gradescope::failure(error))?);
    }
    status
}
