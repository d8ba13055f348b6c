//! Turns parsed arguments into a validated `Config` before any work starts.
//! With `cli.rs`, the only place that knows clap.

use std::ffi::OsString;

use anyhow::{Context as _, Result};

use crate::check::{CheckOptions, Format};
use crate::cli::{
    CheckArgs, CheckFormat, Cli, ColorWhen, Command, DaemonCommand, ListFormat, SettingsArgs, WatchCommand,
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
}

#[derive(Debug)]
pub struct Config {
    pub workspace: Workspace,
    pub action: Action,
}

impl Config {
    pub fn from_cli(cli: Cli) -> Result<Config> {
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
        let cwd = std::env::current_dir().context("reading the current folder")?;
        let project_dir = cli.global.project.as_ref().map(|dir| cwd.join(dir));
        let action = match cli.command {
            Command::Compile { targets } => Action::Compile { targets },
            Command::Run { target, args } => Action::Run { target, args },
            Command::List { all, format } => Action::List {
                all,
                format: match format {
                    ListFormat::Text => list::ListFormat::Text,
                    ListFormat::Json => list::ListFormat::Json,
                },
            },
            Command::Clean => Action::Clean,
            Command::Check(args) => Action::Check(check_options(&args, env.github_actions)?),
            Command::Doctor { format } => Action::Doctor(match format {
                ListFormat::Text => DoctorFormat::Text,
                ListFormat::Json => DoctorFormat::Json,
            }),
            Command::Completions { shell } => Action::Completions(shell),
            Command::Daemon { action } => Action::Daemon(match action {
                DaemonCommand::Status => DaemonAction::Status,
                DaemonCommand::Stop => DaemonAction::Stop,
                DaemonCommand::Serve => DaemonAction::Serve,
            }),
            Command::Watch { then } => Action::Watch {
                then: match then {
                    None => WatchAction::Compile { targets: Vec::new() },
                    Some(WatchCommand::Compile { targets }) => WatchAction::Compile { targets },
                    Some(WatchCommand::Run { target, args }) => WatchAction::Run { target, args },
                    Some(WatchCommand::Check(args)) => WatchAction::Check(check_options(&args, env.github_actions)?),
                },
            },
        };
        let workspace = Workspace {
            cwd,
            project_dir,
            overrides: overrides(cli.global.settings),
            status: Status::new(verbosity, color),
        };
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

/// Validates `jbuild check` flags.
fn check_options(args: &CheckArgs, github_actions: bool) -> Result<CheckOptions> {
    let bad = |flag: &str, e: anyhow::Error| usage(format!("{flag}: {e:#}"));
    let timeout = match args.timeout {
        Some(secs) if secs > 0.0 && secs <= 86_400.0 => Some(std::time::Duration::from_secs_f64(secs)),
        Some(secs) => {
            return Err(usage(format!("--timeout {secs}: must be a number of seconds above 0, at most a day")));
        }
        None => None,
    };
    let memory_mib = match args.memory {
        Some(mib) if mib > 0 => Some(mib as u64),
        Some(mib) => return Err(usage(format!("--memory {mib}: must be a positive number of MiB"))),
        None => None,
    };
    if args.jobs == Some(0) {
        return Err(usage("--jobs: must be at least 1"));
    }
    let format = match args.format {
        Some(CheckFormat::Text) => Format::Text,
        Some(CheckFormat::Json) => Format::Json,
        Some(CheckFormat::Github) => Format::Github,
        None if github_actions => Format::Github,
        None => Format::Text,
    };
    Ok(CheckOptions {
        paths: args.paths.clone(),
        jobs: args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
        timeout,
        memory_mib,
        output_limit: crate::check::parse_size(&args.output_limit).map_err(|e| bad("--output-limit", e))?,
        compare: args.compare.as_deref().map(str::parse).transpose().map_err(|e| bad("--compare", e))?,
        junit: args.junit.clone(),
        format,
        shard: args.shard.as_deref().map(crate::check::parse_shard).transpose().map_err(|e| bad("--shard", e))?,
        run_as: args.run_as.clone(),
    })
}
