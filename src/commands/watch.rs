//! `jbuild watch`: recompile on every change through a warm worker, then
//! rerun the program or the checks. Ctrl-C (or SIGTERM) stops everything it
//! started. Settings are read again every round, so an edited `jbuild.toml`
//! applies at the next change.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::build::record::RECORD_DIR;
use crate::build::{Request, build};
use crate::check::CheckOptions;
use crate::context::{Context, Workspace};
use crate::error::ExitStatus;
use crate::project::settings::SETTINGS_FILE;
use crate::project::target::{main_class, resolve_source};
use crate::toolchain::java::ensure_launchable;
use crate::toolchain::javac::Javac;
use crate::toolchain::process::{Io, Spawned, become_subreaper, kill_orphans, stop_on_signals, stop_requested};

/// Changes closer together than this are one change (an editor's save is
/// often several writes): act once things have been quiet this long.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// What `jbuild watch` does after each change.
#[derive(Debug, Clone)]
pub enum WatchAction {
    Compile { targets: Vec<OsString> },
    Run { target: Option<OsString>, args: Vec<OsString> },
    Check(CheckOptions),
}

pub fn command(workspace: &Workspace, then: &WatchAction) -> Result<ExitStatus> {
    // `watch check` may run from a folder of projects: it needs no one project.
    let watched = match then {
        WatchAction::Check(_) => crate::project::discover(&workspace.cwd).unwrap_or_else(|_| workspace.cwd.clone()),
        _ => workspace.context()?.project.root,
    };
    let status = workspace.status;
    stop_on_signals()?;
    become_subreaper();
    let (sender, changes) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender).context("starting the file watcher")?;
    watcher.watch(&watched, RecursiveMode::Recursive).with_context(|| format!("watching {}", watched.display()))?;

    let mut javac = Javac::session();
    let mut program: Option<Spawned> = None;
    loop {
        let outputs = cycle(workspace, then, &mut javac, &mut program);
        status.line("Watching", format_args!("{} for changes (Ctrl-C to stop)", shown(&workspace.cwd, &watched)));
        // Wait for a relevant change, or a signal to stop.
        let mut changed_at: Option<Instant> = None;
        loop {
            if stop_requested() {
                drop(program.take());
                kill_orphans();
                return Ok(ExitStatus::Success);
            }
            if let Some(child) = &mut program
                && let Ok(Some(_)) = child.try_wait()
            {
                program = None;
            }
            if changed_at.is_some_and(|at| at.elapsed() >= DEBOUNCE) {
                break;
            }
            match changes.recv_timeout(Duration::from_millis(50)) {
                // javac reading the sources is not a change.
                Ok(Ok(event)) if !matches!(event.kind, EventKind::Access(_)) => {
                    if event.paths.iter().any(|p| is_relevant(p, &outputs)) {
                        changed_at = Some(Instant::now());
                    }
                }
                Ok(Ok(_)) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                Ok(Err(e)) => status.warning(format_args!("file watcher: {e}")),
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(ExitStatus::Failure),
            }
        }
    }
}

/// One round: compile, and on success (re)start the program or run the
/// checks. Returns the output folders to ignore changes in.
fn cycle(workspace: &Workspace, then: &WatchAction, javac: &mut Javac, program: &mut Option<Spawned>) -> Vec<PathBuf> {
    let mut outputs = Vec::new();
    let result = (|| -> Result<()> {
        match then {
            WatchAction::Compile { targets } => {
                let ctx = workspace.context()?;
                outputs.push(ctx.project.classes.clone());
                let files =
                    targets.iter().map(|t| resolve_source(&ctx.project, &ctx.cwd, t)).collect::<Result<Vec<_>>>()?;
                let request = if files.is_empty() { Request::WholeTree } else { Request::Files(files) };
                build(&ctx, &request, javac)?;
            }
            WatchAction::Run { target, args } => {
                let ctx = workspace.context()?;
                outputs.push(ctx.project.classes.clone());
                restart(&ctx, target.as_deref(), args, javac, program)?;
            }
            WatchAction::Check(options) => {
                crate::check::run(workspace, options)?;
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        workspace.status.error(&e);
    }
    outputs
}

/// Compiles, then stops the previous run (its whole process group) and
/// starts the program again.
fn restart(
    ctx: &Context,
    target: Option<&std::ffi::OsStr>,
    args: &[OsString],
    javac: &mut Javac,
    program: &mut Option<Spawned>,
) -> Result<()> {
    let main = main_class(&ctx.project, &ctx.cwd, target)?;
    ensure_launchable(ctx.jdk()?, &main)?;
    build(ctx, &Request::Files(vec![main.file.clone()]), javac)?;
    if program.is_some() {
        ctx.status.line("Stopping", "the previous run");
        drop(program.take());
    }
    let mut java = ctx.java(&ctx.cwd, &main.name, &[], args)?;
    // Its own process group, so a restart stops everything it started. A
    // background group cannot read the terminal, so it gets no terminal
    // stdin (a pipe is passed on).
    let stdin = if std::io::stdin().is_terminal() { Io::Null } else { Io::Inherit };
    java.own_process_group().stdin(stdin);
    ctx.status.line("Running", &main.name);
    ctx.status.command(&java.display_with_cwd(), "");
    *program = Some(java.spawn()?);
    Ok(())
}

/// Sources, cases, settings and jars matter; editor swap files, `.git` and
/// the project's own output folder do not.
fn is_relevant(path: &Path, outputs: &[PathBuf]) -> bool {
    if outputs.iter().any(|out| path.starts_with(out))
        || path.components().any(|c| c.as_os_str() == RECORD_DIR || c.as_os_str() == ".git")
    {
        return false;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let extension = name.rsplit('.').next().unwrap_or_default();
    // IDE and build files (`.classpath`, `*.iml`, `pom.xml`, `build.gradle`) may change the layout.
    matches!(extension, "java" | "jar" | "in" | "out" | "args" | "code" | "json" | "yml" | "yaml")
        || matches!(extension, "classpath" | "iml" | "xml" | "gradle" | "kts")
        || name == SETTINGS_FILE
}

fn shown(cwd: &Path, path: &Path) -> String {
    match crate::term::relative(cwd, path).as_str() {
        "." => cwd.display().to_string(),
        relative => relative.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_projects_own_output_folder_is_ignored() {
        let outputs = [PathBuf::from("/home/classes/course/ex1/classes")];
        assert!(is_relevant(Path::new("/home/classes/course/ex1/src/a/Main.java"), &outputs));
        assert!(!is_relevant(Path::new("/home/classes/course/ex1/classes/a/Main.java"), &outputs));
        assert!(!is_relevant(Path::new("/p/classes/.jbuild/record.json"), &[]));
        assert!(is_relevant(Path::new("/p/jbuild.toml"), &[]));
        assert!(!is_relevant(Path::new("/p/src/a/.Main.java.swp"), &[]));
    }
}
