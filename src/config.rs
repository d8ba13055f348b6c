//! Turns parsed arguments into a validated `Config` before any work starts.

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::cli::{Cli, Command, ListFormat};
use crate::project::Project;
use crate::status::{Status, Verbosity};

/// What to do, free of clap types.
#[derive(Debug)]
pub enum Action {
    Compile { targets: Vec<OsString> },
    Run { target: Option<OsString>, args: Vec<OsString> },
    List { all: bool, format: ListFormat },
    Clean,
}

#[derive(Debug)]
pub struct Config {
    pub cwd: PathBuf,
    pub project: Project,
    pub status: Status,
    pub action: Action,
}

impl Config {
    pub fn from_cli(cli: Cli) -> Result<Config> {
        let verbosity = match (cli.global.quiet, cli.global.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        };
        let cwd = std::env::current_dir().context("reading the current folder")?;
        let (start, explicit) = match &cli.global.project {
            Some(dir) => (cwd.join(dir), true),
            None => (cwd.clone(), false),
        };
        let project = Project::load(&start, explicit, &cli.global.settings)?;
        let action = match cli.command {
            Command::Compile { targets } => Action::Compile { targets },
            Command::Run { target, args } => Action::Run { target, args },
            Command::List { all, format } => Action::List { all, format },
            Command::Clean => Action::Clean,
        };
        Ok(Config { cwd, project, status: Status::new(verbosity), action })
    }
}
