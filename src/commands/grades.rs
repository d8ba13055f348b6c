//! `jbuild grades merge A.csv B.csv ...`: the gradebooks of a sharded run
//! (`jbuild check --shard K/N --grades FILE`), added up into one on stdout.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::check::report::grades;
use crate::context::Workspace;
use crate::error::{ExitStatus, usage};

pub fn merge(workspace: &Workspace, files: &[PathBuf]) -> Result<ExitStatus> {
    let mut texts = Vec::new();
    for file in files {
        let path = workspace.cwd.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| usage(format!("{}: {e}", file.display())))?;
        texts.push((file.display().to_string(), text));
    }
    let merged = grades::merge(&texts)?;
    std::io::stdout().lock().write_all(merged.as_bytes()).context("writing the gradebook")?;
    Ok(ExitStatus::Success)
}
