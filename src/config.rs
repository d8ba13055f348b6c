//! Turns parsed arguments into a validated `Config` before any work starts.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::Context;
use crate::check::{CheckOptions, Format};
use crate::cli::{CheckArgs, CheckFormat, Cli, Command, DaemonCommand, ListFormat, SettingsArgs, WatchCommand};
use crate::error::usage;
use crate::project::Project;
use crate::status::{Status, Verbosity};

/// What to do, free of clap types.
#[derive(Debug)]
pub enum Action {
    Compile { targets: Vec<OsString> },
    Run { target: Option<OsString>, args: Vec<OsString> },
    List { all: bool, format: ListFormat },
    Clean,
    Watch { then: WatchAction },
    Daemon { action: &'static str },
    Check(CheckOptions),
    Completions(clap_complete::Shell),
}

/// What `jbuild watch` does after each compile.
#[derive(Debug, Clone)]
pub enum WatchAction {
    Compile { targets: Vec<OsString> },
    Run { target: Option<OsString>, args: Vec<OsString> },
    Check(CheckOptions),
}

#[derive(Debug)]
pub struct Config {
    pub cwd: PathBuf,
    /// `--project DIR`, resolved against the current folder.
    pub project_dir: Option<PathBuf>,
    pub settings: SettingsArgs,
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
        let project_dir = cli.global.project.as_ref().map(|dir| cwd.join(dir));
        let action = match cli.command {
            Command::Compile { targets } => Action::Compile { targets },
            Command::Run { target, args } => Action::Run { target, args },
            Command::List { all, format } => Action::List { all, format },
            Command::Clean => Action::Clean,
            Command::Check(args) => Action::Check(check_options(&args)?),
            Command::Completions { shell } => Action::Completions(shell),
            Command::Daemon { action } => Action::Daemon {
                action: match action {
                    DaemonCommand::Status => "status",
                    DaemonCommand::Stop => "stop",
                    DaemonCommand::Serve => "serve",
                },
            },
            Command::Watch { then } => Action::Watch {
                then: match then {
                    None => WatchAction::Compile { targets: Vec::new() },
                    Some(WatchCommand::Compile { targets }) => WatchAction::Compile { targets },
                    Some(WatchCommand::Run { target, args }) => WatchAction::Run { target, args },
                    Some(WatchCommand::Check(args)) => WatchAction::Check(check_options(&args)?),
                },
            },
        };
        Ok(Config { cwd, project_dir, settings: cli.global.settings, status: Status::new(verbosity), action })
    }

    /// The project this invocation works on: `--project DIR`, else the one
    /// around the current folder.
    pub fn context(&self) -> Result<Context> {
        let project = match &self.project_dir {
            Some(dir) => Project::load(dir, true, &self.settings)?,
            None => Project::load(&self.cwd, false, &self.settings)?,
        };
        Ok(Context::new(self.cwd.clone(), project, self.status))
    }

    /// The project rooted at `dir` (for commands that work on several).
    pub fn context_at(&self, dir: &Path) -> Result<Context> {
        Ok(Context::new(self.cwd.clone(), Project::load(dir, true, &self.settings)?, self.status))
    }
}

/// Validates `jbuild check` flags.
fn check_options(args: &CheckArgs) -> Result<CheckOptions> {
    let bad = |flag: &str, e: anyhow::Error| usage(format!("{flag}: {e:#}"));
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        return Err(usage(format!("--timeout {}: must be a positive number of seconds", args.timeout)));
    }
    if args.memory == 0 {
        return Err(usage("--memory: must be a positive number of MiB"));
    }
    if args.jobs == Some(0) {
        return Err(usage("--jobs: must be at least 1"));
    }
    let format = match args.format {
        Some(CheckFormat::Text) => Format::Text,
        Some(CheckFormat::Json) => Format::Json,
        Some(CheckFormat::Github) => Format::Github,
        None if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") => Format::Github,
        None => Format::Text,
    };
    Ok(CheckOptions {
        paths: args.paths.clone(),
        jobs: args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
        timeout: std::time::Duration::from_secs_f64(args.timeout),
        memory_mib: args.memory,
        output_limit: crate::check::parse_size(&args.output_limit).map_err(|e| bad("--output-limit", e))?,
        compare: args.compare.as_deref().map(str::parse).transpose().map_err(|e| bad("--compare", e))?,
        junit: args.junit.clone(),
        format,
        shard: args.shard.as_deref().map(crate::check::parse_shard).transpose().map_err(|e| bad("--shard", e))?,
    })
}
