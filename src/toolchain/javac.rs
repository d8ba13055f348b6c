//! Running javac for a build: cold (a new JVM per compile) or through a warm
//! worker, falling back to cold javac whenever the worker fails.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::daemon::DaemonClient;
use super::frame::Compiled;
use super::jdk::Jdk;
use super::process::ToolCommand;
use super::worker::{Lifetime, Worker};
use crate::term::Status;

/// How javac runs for the builds of one jbuild invocation.
pub struct Javac {
    mode: Mode,
    /// Capture diagnostics (for `jbuild check`) instead of printing them.
    capture: bool,
}

enum Mode {
    Cold,
    Warm { worker: Option<Worker>, shared_cwd: Option<PathBuf>, lifetime: Lifetime, broken: bool },
    Daemon { client: Option<DaemonClient>, broken: bool },
}

/// The result of one javac run.
#[derive(Debug, Clone, Default)]
pub struct JavacRun {
    pub success: bool,
    pub code: Option<i32>,
    /// javac's stdout and stderr, when captured.
    pub diagnostics: Vec<u8>,
}

impl Javac {
    /// A new javac JVM for every compile: what the classic script did.
    pub fn cold() -> Javac {
        Javac { mode: Mode::Cold, capture: false }
    }

    /// A warm worker, started on first use. With `shared_cwd`, every compile
    /// runs from that folder with absolute paths, so one worker serves many
    /// projects; without it, the worker follows the project's `src/`.
    pub fn warm(shared_cwd: Option<PathBuf>) -> Javac {
        Javac {
            mode: Mode::Warm { worker: None, shared_cwd, lifetime: Lifetime::Batch, broken: false },
            capture: false,
        }
    }

    /// A warm worker kept for a whole session (`jbuild watch`), following
    /// the project's folder.
    pub fn session() -> Javac {
        Javac {
            mode: Mode::Warm { worker: None, shared_cwd: None, lifetime: Lifetime::Session, broken: false },
            capture: false,
        }
    }

    /// Compiles through the background daemon's warm workers.
    pub fn daemon() -> Javac {
        Javac { mode: Mode::Daemon { client: None, broken: false }, capture: false }
    }

    pub fn capturing(mut self) -> Javac {
        self.capture = true;
        self
    }

    /// The folder every compile must run from, when compiles share a worker.
    pub fn shared_cwd(&self) -> Option<&Path> {
        match &self.mode {
            Mode::Warm { shared_cwd, .. } => shared_cwd.as_deref(),
            Mode::Cold | Mode::Daemon { .. } => None,
        }
    }

    pub fn is_warm(&self) -> bool {
        matches!(self.mode, Mode::Warm { broken: false, .. } | Mode::Daemon { broken: false, .. })
    }

    /// Runs `command` (a javac command line writing into `staging`). A worker
    /// failure is retried once with plain javac, after emptying `staging`.
    pub fn run(&mut self, jdk: &Jdk, status: &Status, command: &mut ToolCommand, staging: &Path) -> Result<JavacRun> {
        let cwd = command.cwd().unwrap_or(Path::new("."));
        let warm = match &mut self.mode {
            Mode::Cold => None,
            Mode::Warm { worker, broken, lifetime, .. } => {
                (!*broken).then(|| compile_in_worker(worker, broken, *lifetime, jdk, status, cwd, command))
            }
            Mode::Daemon { client, broken } => {
                (!*broken).then(|| compile_in_daemon(client, broken, jdk, status, cwd, command))
            }
        };
        match warm {
            Some(Ok(compiled)) => return self.finish_warm(compiled),
            Some(Err(e)) => {
                status.warning(format_args!("{e:#}; compiling with plain javac"));
                empty_folder(staging)?;
            }
            None => {}
        }
        self.run_cold(command)
    }

    fn finish_warm(&self, compiled: Compiled) -> Result<JavacRun> {
        let success = compiled.code == 0;
        let code = Some(compiled.code);
        if self.capture {
            let mut diagnostics = compiled.stdout;
            diagnostics.extend_from_slice(&compiled.stderr);
            return Ok(JavacRun { success, code, diagnostics });
        }
        // The same bytes on the same streams as a cold javac.
        std::io::stdout().write_all(&compiled.stdout)?;
        std::io::stdout().flush()?;
        std::io::stderr().write_all(&compiled.stderr)?;
        Ok(JavacRun { success, code, diagnostics: Vec::new() })
    }

    fn run_cold(&self, command: &mut ToolCommand) -> Result<JavacRun> {
        if self.capture {
            let output = command.output()?;
            let mut diagnostics = output.stdout;
            diagnostics.extend_from_slice(&output.stderr);
            Ok(JavacRun { success: output.status.success(), code: output.status.code(), diagnostics })
        } else {
            let status = command.status()?;
            Ok(JavacRun { success: status.success(), code: status.code(), diagnostics: Vec::new() })
        }
    }
}

/// One compile in the local worker, (re)starting it as needed. On failure
/// the worker is dropped; if it cannot even start, warm mode is given up.
fn compile_in_worker(
    worker: &mut Option<Worker>,
    broken: &mut bool,
    lifetime: Lifetime,
    jdk: &Jdk,
    status: &Status,
    cwd: &Path,
    command: &ToolCommand,
) -> Result<Compiled> {
    if let Some(old) = worker.as_ref().filter(|w| w.worn_out() || w.cwd() != cwd) {
        if old.worn_out() && status.is_verbose() {
            status.line("Restarting", format_args!("the compile worker after {} compiles", old.served()));
        }
        *worker = None;
    }
    if worker.is_none() {
        *worker = Some(Worker::start(jdk, cwd, lifetime).inspect_err(|_| *broken = true)?);
    }
    let running = worker.as_mut().expect("just started");
    running.compile(command.arguments()).inspect_err(|_| *worker = None)
}

/// One compile through the daemon, connecting (or starting it) first.
fn compile_in_daemon(
    client: &mut Option<DaemonClient>,
    broken: &mut bool,
    jdk: &Jdk,
    status: &Status,
    cwd: &Path,
    command: &ToolCommand,
) -> Result<Compiled> {
    if client.is_none() {
        *client = Some(DaemonClient::connect_or_start(status).inspect_err(|_| *broken = true)?);
    }
    let connected = client.as_mut().expect("just connected");
    connected.compile(jdk, cwd, command.arguments()).inspect_err(|_| *client = None)
}

fn empty_folder(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() { std::fs::remove_dir_all(&path)? } else { std::fs::remove_file(&path)? }
    }
    Ok(())
}
