//! Turns parsed arguments into a validated `Config` before any work starts.
//! With `cli.rs`, the only place that knows clap.

use std::ffi::OsString;

use anyhow::{Context as _, Result};

use crate::check::{CheckOptions, Format};
use crate::cli::{
    CheckArgs, CheckFormat, Cli, ColorWhen, Command, DaemonCommand, ListFormat, RunTarget, SettingsArgs, WatchCommand,
};
use crate::commands::daemon::DaemonAction;
use crate::commands::doctor::DoctorFormat;
use crate::commands::list;
use crate::commands::watch::WatchAction;
use crate::context::Workspace;
use crate::error::usage;
use crate::project::settings::SettingsOverrides;
use crate::term::{ColorChoice, Status, Verbosity};

/// What to do, free of clap types.
#[derive(Debug)]
pub enum Action {
    Compile { targets: Vec<OsString> },
    Run { target: Option<OsString>, args: Vec<OsString> },
    List { all: bool, format: list::ListFormat },
    Clean,
    Watch { then: WatchAction },
    Daemon(DaemonAction),
    Check(CheckOptions),
    Doctor(DoctorFormat),
    Completions(clap_complete::Shell),
    Man,
}

#[derive(Debug)]
pub struct Config {
    pub workspace: Workspace,
    pub action: Action,
}

impl Config {
    /// `dash_dash_first`: whether `run`'s words began with `--` (see
    /// [`crate::cli::parse`]).
    pub fn from_cli(cli: Cli, dash_dash_first: Option<bool>) -> Result<Config> {
        let env = crate::env::init()?;
        let verbosity = match (cli.global.quiet, cli.global.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        };
        let color = match cli.global.color {
            ColorWhen::Auto => ColorChoice::Auto,
            ColorWhen::Always => ColorChoice::Always,
            ColorWhen::Never => ColorChoice::Never,
        };
        let started_in = std::env::current_dir().context("reading the current folder")?;
        // `-C DIR`: as if jbuild was started there, for everything.
        let cwd = match &cli.global.directory {
            Some(dir) => {
                let dir = crate::project::normalize(&started_in.join(dir));
                if !dir.is_dir() {
                    return Err(usage(format!("-C {}: no such folder", dir.display())));
                }
                dir
            }
            None => started_in,
        };
        let github = env.github_actions;
        let mut settings = SettingsArgs::default();
        let action = match cli.command {
            Command::Compile { targets, settings: s } => {
                settings = s;
                Action::Compile { targets }
            }
            Command::Run { argv, settings: s } => {
                settings = s;
                let RunTarget { target, args } = RunTarget::split(argv, dash_dash_first.unwrap_or(false));
                Action::Run { target, args }
            }
            Command::List { all, format, settings: s } => {
                settings = s;
                let format = match format {
                    ListFormat::Text => list::ListFormat::Text,
                    ListFormat::Json => list::ListFormat::Json,
                };
                Action::List { all, format }
            }
            Command::Clean => Action::Clean,
            Command::Check(args) => {
                settings = args.settings.clone();
                Action::Check(check_options(&args, github))
            }
            Command::Doctor { format, settings: s } => {
                settings = s;
                Action::Doctor(match format {
                    ListFormat::Text => DoctorFormat::Text,
                    ListFormat::Json => DoctorFormat::Json,
                })
            }
            Command::Completions { shell } => Action::Completions(shell),
            Command::Man => Action::Man,
            Command::Daemon { action } => Action::Daemon(match action {
                DaemonCommand::Status => DaemonAction::Status,
                DaemonCommand::Stop => DaemonAction::Stop,
                DaemonCommand::Serve => DaemonAction::Serve,
            }),
            Command::Watch { then, settings: s } => {
                settings = s;
                let then = match then {
                    None => WatchAction::Compile { targets: Vec::new() },
                    Some(WatchCommand::Compile { targets }) => WatchAction::Compile { targets },
                    Some(WatchCommand::Run { argv }) => {
                        let RunTarget { target, args } = RunTarget::split(argv, dash_dash_first.unwrap_or(false));
                        WatchAction::Run { target, args }
                    }
                    Some(WatchCommand::Check(args)) => {
                        let args = CheckArgs { settings: settings.clone(), ..*args };
                        WatchAction::Check(check_options(&args, github))
                    }
                };
                Action::Watch { then }
            }
        };
        let workspace = Workspace { cwd, overrides: overrides(settings), status: Status::new(verbosity, color) };
        Ok(Config { workspace, action })
    }
}

fn overrides(flags: SettingsArgs) -> SettingsOverrides {
    SettingsOverrides {
        src: flags.src,
        classes: flags.classes,
        lib: flags.lib,
        release: flags.release,
        jdk: flags.jdk,
        encoding: flags.encoding,
        javac_args: flags.javac_args,
        java_args: flags.java_args,
        daemon: flags.daemon,
    }
}

/// `jbuild check` flags (clap's value parsers checked each one).
fn check_options(args: &CheckArgs, github_actions: bool) -> CheckOptions {
    let format = match args.format {
        Some(CheckFormat::Text) => Format::Text,
        Some(CheckFormat::Json) => Format::Json,
        Some(CheckFormat::Github) => Format::Github,
        None if github_actions => Format::Github,
        None => Format::Text,
    };
    CheckOptions {
        paths: args.paths.clone(),
        jobs: args.jobs.map_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()), usize::from),
        timeout: args.timeout,
        memory_mib: args.memory,
        output_limit: args.output_limit,
        compare: args.compare.clone(),
        junit: args.junit.clone(),
        format,
        shard: args.shard,
        run_as: args.run_as.clone(),
    }
}
