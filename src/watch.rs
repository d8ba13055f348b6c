//! `jbuild watch`: recompile on every change through a warm worker, then
//! rerun the program. Ctrl-C (or SIGTERM) stops everything it started.

use std::path::Path;
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::Context;
use crate::compile::{Request, build};
use crate::config::{Config, WatchAction};
use crate::error::ExitStatus;
use crate::javac::Javac;
use crate::run::{java_command, main_class};
use crate::target::resolve_source;

/// Changes closer together than this are one change (an editor's save is
/// often several writes): act once things have been quiet this long.
const DEBOUNCE: Duration = Duration::from_millis(200);

pub fn command(config: &Config, then: &WatchAction) -> Result<ExitStatus> {
    // `watch check` may run from a folder of projects: it needs no one project.
    let ctx = match then {
        WatchAction::Check(_) => None,
        _ => Some(config.context()?),
    };
    let status = config.status;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).context("installing signal handlers")?;
    }
    let (sender, changes) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender).context("starting the file watcher")?;
    let (watched, extras) = match &ctx {
        Some(ctx) => {
            let root = &ctx.project.root;
            (ctx.project.src.clone(), vec![root.join(crate::settings::SETTINGS_FILE), root.join("lib")])
        }
        None => (crate::project::discover(&config.cwd).unwrap_or_else(|_| config.cwd.clone()), Vec::new()),
    };
    watcher.watch(&watched, RecursiveMode::Recursive).with_context(|| format!("watching {}", watched.display()))?;
    for extra in extras {
        if extra.exists() {
            let _ = watcher.watch(&extra, RecursiveMode::Recursive);
        }
    }

    let mut javac = Javac::warm(None);
    let mut program: Option<Child> = None;
    loop {
        cycle(config, ctx.as_ref(), then, &mut javac, &mut program);
        status.line("Watching", format_args!("{} for changes (Ctrl-C to stop)", display(&config.cwd, &watched)));
        // Wait for a relevant change, or a signal to stop.
        let mut changed_at: Option<Instant> = None;
        loop {
            if stop.load(Ordering::Relaxed) {
                stop_program(&mut program);
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
                    if event.paths.iter().any(|p| is_relevant(p)) {
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

/// One round: compile, and on success (re)start the program.
fn cycle(config: &Config, ctx: Option<&Context>, then: &WatchAction, javac: &mut Javac, program: &mut Option<Child>) {
    let result = (|| -> Result<()> {
        let project = || ctx.ok_or_else(|| anyhow::anyhow!("no project"));
        match then {
            WatchAction::Compile { targets } => {
                let ctx = project()?;
                let files = targets.iter().map(|t| resolve_source(ctx, t)).collect::<Result<Vec<_>>>()?;
                let request = if files.is_empty() { Request::WholeTree } else { Request::Files(files) };
                build(ctx, &request, javac)?;
            }
            WatchAction::Run { target, args } => {
                let ctx = project()?;
                let main = main_class(ctx, target.as_deref())?;
                build(ctx, &Request::Files(vec![main.file.clone()]), javac)?;
                if program.is_some() {
                    ctx.status.line("Stopping", "the previous run");
                    stop_program(program);
                }
                let java = java_command(ctx, &main.name, &[], args)?;
                ctx.status.line("Running", &main.name);
                ctx.status.command(&java.display(), "");
                let (mut command, _) = java.build()?;
                *program = Some(command.spawn().with_context(|| format!("cannot run {}", java.program().display()))?);
            }
            WatchAction::Check(options) => {
                crate::check::command(config, options)?;
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        config.status.error(&e);
    }
}

fn stop_program(program: &mut Option<Child>) {
    if let Some(mut child) = program.take() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Sources, cases, settings and jars matter; editor swap files and our own
/// output (any `classes/` or `.jbuild/` folder) do not.
fn is_relevant(path: &Path) -> bool {
    let ours = |c: std::path::Component| c.as_os_str() == "classes" || c.as_os_str() == ".jbuild";
    if path.components().any(ours) {
        return false;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let extension = name.rsplit('.').next().unwrap_or_default();
    matches!(extension, "java" | "jar" | "in" | "out" | "args" | "code")
        || name == crate::settings::SETTINGS_FILE
        || name == "autograding.json"
}

fn display(cwd: &Path, path: &Path) -> String {
    path.strip_prefix(cwd).map_or_else(|_| path.display().to_string(), |p| format!("{}/", p.display()))
}
