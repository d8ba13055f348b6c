//! The command line, declared once with clap derive.
//!
//! Nothing below `Config::from_cli` sees these types.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "jbuild",
    version,
    about = "Build, run and check small Java projects: zero config, never compiles for nothing.",
    after_help = "A project is a folder with src/ (and optionally jbuild.toml); jbuild finds it from the current folder, src/ or classes/."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use the project at DIR instead of discovering it from the current folder.
    #[arg(short = 'C', long = "project", value_name = "DIR", global = true)]
    pub project: Option<PathBuf>,

    /// Print the exact javac/java command lines jbuild runs.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Print no status lines (errors are still printed).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// When to use colours [default: auto; NO_COLOR and CLICOLOR_FORCE are honoured]
    #[arg(long, value_enum, value_name = "WHEN", global = true, default_value_t = ColorWhen::Auto, hide_default_value = true)]
    pub color: ColorWhen,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// Flags that override `jbuild.toml`; each has a key of the same name there.
#[derive(Debug, Args, Default)]
pub struct SettingsArgs {
    /// Source folder, relative to the project root [default: src]
    #[arg(long, value_name = "DIR", global = true, help_heading = "Project settings")]
    pub src: Option<PathBuf>,

    /// Output folder for class files [default: classes]
    #[arg(long, value_name = "DIR", global = true, help_heading = "Project settings")]
    pub classes: Option<PathBuf>,

    /// Folder of jars for the classpath [default: lib, when it exists]
    #[arg(long, value_name = "DIR", global = true, help_heading = "Project settings")]
    pub lib: Option<PathBuf>,

    /// Compile for this Java release (javac --release N)
    #[arg(long, value_name = "N", global = true, help_heading = "Project settings")]
    pub release: Option<u32>,

    /// The JDK to use: a feature release (25) or "21+" [default: JAVA_HOME, else PATH]
    #[arg(long, value_name = "VERSION", global = true, help_heading = "Project settings")]
    pub jdk: Option<String>,

    /// Source file encoding [default: UTF-8]
    #[arg(long, value_name = "CHARSET", global = true, help_heading = "Project settings")]
    pub encoding: Option<String>,

    /// Extra javac argument (repeatable), e.g. --javac-arg=-Xlint:all
    #[arg(
        long = "javac-arg",
        value_name = "ARG",
        global = true,
        allow_hyphen_values = true,
        help_heading = "Project settings"
    )]
    pub javac_args: Vec<String>,

    /// Compile through the background daemon's warm workers (also JBUILD_DAEMON=1)
    #[arg(long, global = true, env = "JBUILD_DAEMON", value_parser = clap::builder::FalseyValueParser::new(), help_heading = "Project settings")]
    pub daemon: bool,

    /// Extra java argument (repeatable), e.g. --java-arg=-ea
    #[arg(
        long = "java-arg",
        value_name = "ARG",
        global = true,
        allow_hyphen_values = true,
        help_heading = "Project settings"
    )]
    pub java_args: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile a source file or class and what it uses; with no target, the whole tree.
    Compile {
        /// Source paths (sample01/Main.java) or class names (sample01.Main).
        targets: Vec<OsString>,
    },
    /// Compile if needed, then run a main class.
    Run {
        /// Class name (sample01.Main) or source path; default: the `main`
        /// setting, else the only class with a main method.
        target: Option<OsString>,

        /// Arguments for the program, after `--`.
        #[arg(last = true, value_name = "ARGS")]
        args: Vec<OsString>,
    },
    /// List the main classes the source scanner found.
    List {
        /// List every class, not only those with a main method.
        #[arg(long)]
        all: bool,

        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Remove the class files jbuild produced (and nothing else).
    Clean,
    /// Compile every exercise and run it against its input/expected-output cases.
    Check(CheckArgs),
    /// Show what jbuild makes of this folder: project, source roots, output, jars, JDKs; and any problem.
    Doctor {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Show or stop the background compile daemon (see --daemon).
    Daemon {
        #[command(subcommand)]
        action: DaemonCommand,
    },
    /// Rebuild on every change to the sources, through a warm compiler.
    Watch {
        /// What to do after each successful compile (default: nothing more).
        #[command(subcommand)]
        then: Option<WatchCommand>,
    },
}

#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// Projects, or folders of projects (default: this project, or every project below here).
    pub paths: Vec<PathBuf>,

    /// Cases run at once [default: number of cores]
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Wall-clock limit per case, in seconds [default: the case's own, else 10]
    #[arg(long, value_name = "SECS", allow_negative_numbers = true)]
    pub timeout: Option<f64>,

    /// Heap limit per case (-Xmx), in MiB [default: the case's own, else 256]
    #[arg(long, value_name = "MIB", allow_negative_numbers = true)]
    pub memory: Option<i64>,

    /// Limit on stdout+stderr per case, e.g. 1MiB, 512KiB.
    #[arg(long, value_name = "SIZE", default_value = "1MiB")]
    pub output_limit: String,

    /// Comparison: lines (default), exact, tokens, contains, regex, float[:TOL].
    #[arg(long, value_name = "MODE")]
    pub compare: Option<String>,

    /// Write JUnit XML here.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// Output format [default: github when GITHUB_ACTIONS=true, else text]
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,

    /// Run only slice K of N (e.g. 2/4), for CI matrices.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,

    /// Run graded programs as this user (when jbuild runs as root) [setting: run-as]
    #[arg(long, value_name = "USER")]
    pub run_as: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Github,
}

#[derive(Debug, Subcommand)]
pub enum DaemonCommand {
    /// Whether the daemon runs, with its pid, build, uptime and request count.
    Status,
    /// Stop the daemon (its warm workers stop with it).
    Stop,
    /// Run the daemon in the foreground (jbuild starts it this way itself).
    #[command(hide = true)]
    Serve,
}

#[derive(Debug, Subcommand)]
pub enum WatchCommand {
    /// Compile the given targets (default: the whole tree).
    Compile { targets: Vec<OsString> },
    /// Rerun the checks after each change.
    Check(CheckArgs),
    /// Rerun a main class after each compile, stopping the previous run.
    Run {
        target: Option<OsString>,
        #[arg(last = true, value_name = "ARGS")]
        args: Vec<OsString>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// Writes a completion script for `shell`, generated from the same clap
/// definition as the parser.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    let mut command = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "jbuild", out);
}
