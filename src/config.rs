//! Turns parsed arguments into a validated `Config` before any work starts.
//! With `cli.rs`, the only place that knows clap.

use std::ffi::OsString;

use anyhow::{Context as _, Result};

use crate::check::{CheckOptions, Format};
use crate::cli::{
    CheckArgs, CheckFormat, Cli, ColorWhen, Command, DaemonCommand, ListFormat, RunArgs, SettingsArgs, TestArgs,
    WatchCommand,
};
use crate::commands::daemon::DaemonAction;
use crate::commands::list;
use crate::commands::watch::WatchAction;
use crate::context::Workspace;
use crate::error::usage;
use crate::project::settings::SettingsOverrides;
use crate::term::{ColorChoice, Status, Verbosity};

/// What to do, free of clap types.
#[derive(Debug)]
pub enum Action {
    Compile {
        targets: Vec<OsString>,
    },
    Run {
        target: Option<OsString>,
        args: Vec<OsString>,
    },
    List {
        all: bool,
        format: list::ListFormat,
    },
    Clean,
    Watch {
        then: WatchAction,
    },
    Daemon(DaemonAction),
    Check(CheckOptions),
    /// `jbuild test`: the same machinery, JUnit tests only.
    Test(CheckOptions),
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
            Command::Test(args) => Action::Test(test_options(&args, env.github_actions)?),
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
                    Some(WatchCommand::Test(args)) => WatchAction::Check(test_options(&args, env.github_actions)?),
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
        encoding: flags.encoding,
        javac_args: flags.javac_args,
        java_args: flags.java_args,
        daemon: flags.daemon,
    }
}

/// Validates `jbuild check` flags.
fn check_options(args: &CheckArgs, github_actions: bool) -> Result<CheckOptions> {
    let mut options = run_options(&args.run, github_actions)?;
    options.paths = args.paths.clone();
    options.compare =
        args.compare.as_deref().map(str::parse).transpose().map_err(|e| usage(format!("--compare: {e:#}")))?;
    Ok(options)
}

/// Validates `jbuild test` flags and filters.
fn test_options(args: &TestArgs, github_actions: bool) -> Result<CheckOptions> {
    let mut options = run_options(&args.run, github_actions)?;
    options.tests_only = true;
    options.test_filters = args.filters.iter().map(|f| f.parse()).collect::<Result<_>>()?;
    Ok(options)
}

/// Validates the flags `check` and `test` share.
fn run_options(args: &RunArgs, github_actions: bool) -> Result<CheckOptions> {
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
        None if github_actions => Format::Github,
        None => Format::Text,
    };
    Ok(CheckOptions {
        paths: Vec::new(),
        jobs: args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
        timeout: std::time::Duration::from_secs_f64(args.timeout),
        memory_mib: args.memory,
        output_limit: crate::check::parse_size(&args.output_limit).map_err(|e| bad("--output-limit", e))?,
        compare: None,
        junit: args.junit.clone(),
        format,
        shard: args.shard.as_deref().map(crate::check::parse_shard).transpose().map_err(|e| bad("--shard", e))?,
        run_as: args.run_as.clone(),
        tests_only: false,
        test_filters: Vec::new(),
    })
}
