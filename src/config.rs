//! Turns parsed arguments into a validated `Config` before any work starts.
//! With `cli.rs`, the only place that knows clap.

use std::ffi::OsString;

use anyhow::{Context as _, Result};

use crate::check::report::grades::Destination;
use crate::check::{CheckOptions, Format};
use crate::cli::{
    CheckArgs, CheckFormat, Cli, ColorWhen, Command, DaemonCommand, GradesCommand, ListFormat, NewArgs, RunArgs,
    RunTarget, SettingsArgs, TestArgs, WatchCommand,
};
use crate::commands::daemon::DaemonAction;
use crate::commands::doctor::DoctorFormat;
use crate::commands::list;
use crate::commands::new::NewOptions;
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
    /// `jbuild test`: a check of JUnit tests only.
    Test(CheckOptions),
    New(NewOptions),
    GradesMerge {
        files: Vec<std::path::PathBuf>,
    },
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
                settings = args.run.settings.clone();
                Action::Check(check_options(&args, github)?)
            }
            Command::Test(args) => {
                settings = args.run.settings.clone();
                Action::Test(test_options(&args, github)?)
            }
            Command::New(args) => Action::New(new_options(args)?),
            Command::Grades { action: GradesCommand::Merge { files } } => Action::GradesMerge { files },
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
                    Some(WatchCommand::Check(args)) if args.bless => {
                        return Err(usage(
                            "watch check --bless: bless once with `jbuild check --bless`, then watch without it",
                        ));
                    }
                    Some(WatchCommand::Check(mut args)) => {
                        args.run.settings = settings.clone();
                        WatchAction::Check(check_options(&args, github)?)
                    }
                    Some(WatchCommand::Test(mut args)) => {
                        args.run.settings = settings.clone();
                        WatchAction::Check(test_options(&args, github)?)
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
fn check_options(args: &CheckArgs, github_actions: bool) -> Result<CheckOptions> {
    let mut options = run_options(&args.run, github_actions)?;
    if args.bless && options.shard.is_some() {
        return Err(usage("--bless with --shard: bless every case in one run (drop --shard)"));
    }
    let grades = args
        .grades
        .as_ref()
        .map(|path| if path.as_os_str() == "-" { Destination::Stdout } else { Destination::File(path.clone()) });
    if grades == Some(Destination::Stdout) && matches!(options.format, Format::Json | Format::Gradescope) {
        return Err(usage("--grades - and --format json/gradescope both write to stdout; give --grades a file"));
    }
    options.paths = args.paths.clone();
    options.compare = args.compare.clone();
    options.bless = args.bless;
    options.show_hidden = args.show_hidden;
    options.grades = grades;
    options.reuse_jvm = args.reuse_jvm;
    Ok(options)
}

/// `jbuild test` flags and filters.
fn test_options(args: &TestArgs, github_actions: bool) -> Result<CheckOptions> {
    let mut options = run_options(&args.run, github_actions)?;
    options.tests_only = true;
    options.test_filters = args.filters.iter().map(|f| f.parse()).collect::<Result<_>>()?;
    Ok(options)
}

/// The flags `check` and `test` share.
fn run_options(args: &RunArgs, github_actions: bool) -> Result<CheckOptions> {
    let format = match args.format {
        Some(CheckFormat::Text) => Format::Text,
        Some(CheckFormat::Json) => Format::Json,
        Some(CheckFormat::Github) => Format::Github,
        Some(CheckFormat::Gradescope) => Format::Gradescope,
        None if github_actions => Format::Github,
        None => Format::Text,
    };
    Ok(CheckOptions {
        paths: Vec::new(),
        jobs: args.jobs.map_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()), usize::from),
        timeout: args.timeout,
        memory_mib: args.memory,
        output_limit: args.output_limit,
        compare: None,
        junit: args.junit.clone(),
        format,
        shard: args.shard,
        run_as: args.run_as.clone(),
        reuse_jvm: false,
        bless: false,
        show_hidden: false,
        grades: None,
        tests_only: false,
        test_filters: Vec::new(),
    })
}

/// Validates `jbuild new` arguments.
fn new_options(args: NewArgs) -> Result<NewOptions> {
    if let Some(main) = &args.main {
        crate::commands::new::check_class_name(main).map_err(|why| usage(format!("--main {main:?}: {why}")))?;
    }
    Ok(NewOptions { dir: args.dir, main: args.main, course: args.course })
}
