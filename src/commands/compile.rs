//! `jbuild compile [TARGET...]`: source files and classes of one project,
//! or several project folders compiled in one batch through a warm worker.

use std::ffi::OsString;
use std::path::Path;

use anyhow::{Result, bail};

use crate::build::{Request, build};
use crate::context::Workspace;
use crate::error::ExitStatus;
use crate::project::is_project_dir;
use crate::project::target::resolve_source;
use crate::toolchain::javac::Javac;

pub fn command(workspace: &Workspace, targets: &[OsString]) -> Result<ExitStatus> {
    let projects: Vec<&OsString> = targets.iter().filter(|t| is_project_dir(&workspace.cwd.join(t))).collect();
    if !projects.is_empty() && projects.len() == targets.len() {
        return compile_projects(workspace, &projects);
    }
    let ctx = workspace.context()?;
    let files = targets.iter().map(|t| resolve_source(&ctx.project, &ctx.cwd, t)).collect::<Result<Vec<_>>>()?;
    let request = if files.is_empty() { Request::WholeTree } else { Request::Files(files) };
    build(&ctx, &request, &mut ctx.javac())?;
    Ok(ExitStatus::Success)
}

/// Compiles each project's whole tree, all through one warm worker, each to
/// its own output folder. Every project is attempted; the first failure
/// decides the exit code.
fn compile_projects(workspace: &Workspace, dirs: &[&OsString]) -> Result<ExitStatus> {
    let mut javac = if dirs.len() > 1 { Javac::warm(Some(workspace.cwd.clone())) } else { Javac::cold() };
    let mut failed = Vec::new();
    for dir in dirs {
        let result =
            workspace.context_at(&workspace.cwd.join(dir)).and_then(|ctx| build(&ctx, &Request::WholeTree, &mut javac));
        if let Err(e) = result {
            workspace.status.error(&e);
            failed.push(Path::new(dir).display().to_string());
        }
    }
    if failed.is_empty() {
        Ok(ExitStatus::Success)
    } else {
        bail!("{} of {} projects failed to compile: {}", failed.len(), dirs.len(), failed.join(", "))
    }
}
