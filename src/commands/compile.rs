//! `jbuild compile [TARGET...]`: source files and classes of one project,
//! or several project folders compiled in one batch through a warm worker.

use std::ffi::OsString;
use std::path::Path;

use anyhow::{Result, bail};

use crate::build::{Request, build};
use crate::context::Workspace;
use crate::error::ExitStatus;
use crate::project::target::resolve_source;
use crate::project::{discover, has_java_files, is_project_dir};
use crate::toolchain::javac::Javac;

pub fn command(workspace: &Workspace, targets: &[OsString]) -> Result<ExitStatus> {
    // Outside any project, a folder of Java files named on the command line
    // is a project too (`jbuild compile ex1 ex2` over exercise folders).
    let outside = std::cell::OnceCell::new();
    let is_project = |dir: &Path| {
        is_project_dir(dir)
            || (dir.is_dir() && *outside.get_or_init(|| discover(&workspace.cwd).is_err()) && has_java_files(dir))
    };
    let projects: Vec<&OsString> = targets.iter().filter(|t| is_project(&workspace.cwd.join(t))).collect();
    if !projects.is_empty() && projects.len() == targets.len() {
        return compile_projects(workspace, &projects);
    }
    let ctx = workspace.context_for(targets.first().map(OsString::as_os_str))?;
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
