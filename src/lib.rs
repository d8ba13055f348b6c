//! jbuild: build, run and check small Java projects.
//!
//! `main.rs` parses the command line and calls [`run`]; everything else lives
//! here so tests can reach it.

pub mod build_record;
pub mod check;
pub mod clean;
pub mod cli;
pub mod compile;
pub mod config;
pub mod daemon;
pub mod error;
pub mod javac;
pub mod jdk;
pub mod list;
pub mod process;
pub mod project;
pub mod run;
pub mod scanner;
pub mod settings;
pub mod status;
pub mod target;
pub mod watch;
pub mod worker;

use std::path::PathBuf;
use std::sync::OnceLock;

use anyhow::Result;

use crate::config::{Action, Config};
use crate::error::ExitStatus;
use crate::jdk::Jdk;
use crate::project::Project;
use crate::status::Status;

/// What every command works with: the project, where the user stands, how
/// to report, and the JDK (found on first use).
pub struct Context {
    pub cwd: PathBuf,
    pub project: Project,
    pub status: Status,
    jdk: OnceLock<Jdk>,
}

impl Context {
    pub fn new(cwd: PathBuf, project: Project, status: Status) -> Context {
        Context { cwd, project, status, jdk: OnceLock::new() }
    }

    pub fn jdk(&self) -> Result<&Jdk> {
        if let Some(jdk) = self.jdk.get() {
            return Ok(jdk);
        }
        let jdk = Jdk::find()?;
        for note in &jdk.notes {
            self.status.warning(note);
        }
        Ok(self.jdk.get_or_init(|| jdk))
    }
}

/// Runs one jbuild invocation.
pub fn run(cli: cli::Cli) -> Result<ExitStatus> {
    let config = Config::from_cli(cli)?;
    match &config.action {
        Action::Compile { targets } => compile::command(&config, targets),
        Action::Run { target, args } => run::command(&config.context()?, target.as_deref(), args),
        Action::List { all, format } => list::command(&config.context()?, *all, *format),
        Action::Clean => clean::command(&config.context()?),
        Action::Watch { then } => watch::command(&config, then),
        Action::Check(options) => check::command(&config, options),
        Action::Completions(shell) => {
            // Generated from the same clap definition as the parser.
            let mut command = <cli::Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut command, "jbuild", &mut std::io::stdout());
            Ok(ExitStatus::Success)
        }
        Action::Daemon { action } => daemon::command(action, &config.status),
    }
}
