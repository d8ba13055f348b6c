//! The command line, declared once with clap derive: the parser, `--help`,
//! shell completions and the man page all come from these types.
//!
//! Nothing below `Config::from_cli` sees them.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::check::compare::Compare;

/// `0.1.0 (abc123def)` when built from a git checkout.
const VERSION: &str = env!("JBUILD_VERSION");

#[derive(Debug, Parser)]
#[command(
    name = "jbuild",
    version = VERSION,
    about = "Build, run and check small Java projects: zero config, never compiles for nothing.",
    after_help = AFTER_HELP,
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

const AFTER_HELP: &str = "\
A project is a folder with src/ (or Java files at its top), jbuild.toml, or GitHub Classroom
tests; jbuild finds it from the current folder, src/ or classes/.

Examples:
  jbuild run                       compile if needed and run the only main class
  jbuild run sample01.Main a b     the same for a class, with arguments for it
  jbuild check                     compile and run every test case, with a report
  jbuild -C course check           check every exercise under course/

Docs: the README; `jbuild man` prints the manual page.";

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Run as if jbuild was started in DIR (targets are relative to it too)
    #[arg(short = 'C', long = "directory", visible_alias = "project", value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,

    /// Print each command jbuild runs, as a line to paste into a shell
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Print no status lines (errors are still printed)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// When to use colours (NO_COLOR and CLICOLOR_FORCE are honoured with auto)
    #[arg(long, value_enum, value_name = "WHEN", global = true, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// Flags that override `jbuild.toml`; each has a key of the same name there.
/// Only the commands that build or run take them.
#[derive(Debug, Args, Default, Clone)]
#[command(next_help_heading = "Project settings (flags win over jbuild.toml)")]
pub struct SettingsArgs {
    /// Source folder, relative to the project [default: src, else the project folder]
    #[arg(long, value_name = "DIR", global = true)]
    pub src: Option<PathBuf>,

    /// Output folder for class files [default: classes]
    #[arg(long, value_name = "DIR", global = true)]
    pub classes: Option<PathBuf>,

    /// Folder of jars for the classpath [default: lib, when it exists]
    #[arg(long, value_name = "DIR", global = true)]
    pub lib: Option<PathBuf>,

    /// Compile for this Java release (javac --release N)
    #[arg(long, value_name = "N", global = true, value_parser = clap::value_parser!(u32).range(6..=99))]
    pub release: Option<u32>,

    /// The JDK to use: a feature release (25) or "21+" [default: JAVA_HOME, else PATH]
    #[arg(long, value_name = "VERSION", global = true)]
    pub jdk: Option<String>,

    /// Source file encoding [default: UTF-8]
    #[arg(long, value_name = "CHARSET", global = true)]
    pub encoding: Option<String>,

    /// Extra javac argument (repeatable), e.g. --javac-arg=-Xlint:all
    #[arg(long = "javac-arg", value_name = "ARG", global = true, allow_hyphen_values = true)]
    pub javac_args: Vec<String>,

    /// Extra java argument (repeatable), e.g. --java-arg=-ea
    #[arg(long = "java-arg", value_name = "ARG", global = true, allow_hyphen_values = true)]
    pub java_args: Vec<String>,

    /// Compile through the background daemon's warm workers (also JBUILD_DAEMON=1)
    #[arg(long, global = true, env = "JBUILD_DAEMON", value_parser = clap::builder::FalseyValueParser::new())]
    pub daemon: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile a source file or class and what it uses; with no target, the whole tree.
    #[command(after_help = "\
Examples:
  jbuild compile                        every .java file of the project, in one javac call
  jbuild compile sample01/Main.java     a file and what it uses (from src/ or the project)
  jbuild compile sample01.Main          the same, by class name
  jbuild compile ex1 ex2 ex3            three project folders, through one warm compiler

Nothing is compiled when the build record says the class files are current.")]
    Compile {
        /// Source paths (sample01/Main.java), class names (sample01.Main), or project folders
        #[arg(value_name = "TARGET")]
        targets: Vec<OsString>,

        #[command(flatten)]
        settings: SettingsArgs,
    },

    /// Compile if needed, then run a main class with the arguments after it.
    #[command(after_help = "\
Everything after the class name is the program's, as with `java CLASS ARGS`; jbuild's own
flags go before it. `--` ends jbuild's flags: `jbuild run -- a b` runs the default class
with the arguments a b.

Examples:
  jbuild run                         the `main` setting, else the only class with a main
  jbuild run sample01.Main 3 4       java -cp classes sample01.Main 3 4
  jbuild run src/app/Main.java -v    `-v` is the program's argument here
  jbuild -v run app.Main             shows the java command line")]
    Run {
        /// The class (sample01.Main) or source file to run, then its arguments
        #[arg(value_name = "CLASS [ARGS]...", trailing_var_arg = true, allow_hyphen_values = true)]
        argv: Vec<OsString>,

        #[command(flatten)]
        settings: SettingsArgs,
    },

    /// List the classes the source scanner found (main classes by default).
    #[command(after_help = "\
Examples:
  jbuild list                   main classes, with their file and kind of main
  jbuild list --all             every top-level class
  jbuild list --format json     for tools (format_version 1)")]
    List {
        /// List every class, not only those with a main method
        #[arg(long)]
        all: bool,

        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,

        #[command(flatten)]
        settings: SettingsArgs,
    },

    /// Remove the class files jbuild wrote (and nothing else).
    #[command(after_help = "\
Only files the build record lists are removed, and only while they are still what jbuild
wrote: a class file you changed or created stays.

Example:
  jbuild clean")]
    Clean,

    /// Compile every exercise and run it against its test cases; report verdicts and points.
    #[command(after_help = CHECK_HELP)]
    Check(Box<CheckArgs>),

    /// Compile and run the JUnit tests (test/, the `test-src` folder, test classes in src/).
    #[command(after_help = "\
The JUnit Platform comes from the `junit` setting or JBUILD_JUNIT_JAR, else
lib/junit-platform-console-standalone*.jar, else Debian's and Ubuntu's `junit5` package
(/usr/share/java/junit-platform-console-standalone.jar); jbuild never downloads it.

Examples:
  jbuild test                       every JUnit test of the project
  jbuild test CalcTest              one class (or calc.CalcTest)
  jbuild test 'CalcTest#add*'       its methods whose names start with add
  jbuild test --junit report.xml    also write JUnit XML")]
    Test(Box<TestArgs>),

    /// Create an exercise project (or, with --course, a course folder) that passes `jbuild check` at once.
    #[command(after_help = "\
Examples:
  jbuild new hello                      hello/src/hello/Main.java, a case, jbuild.toml, a CI workflow
  jbuild new ex1 --main shop.Cart       another main class
  jbuild new course --course            a folder for many exercises, one workflow at its top

Refuses a folder that exists and is not empty; never overwrites.")]
    New(NewArgs),

    /// Work with gradebooks written by `jbuild check --grades`.
    #[command(after_help = "\
Example:
  jbuild grades merge shard-1.csv shard-2.csv > all.csv")]
    Grades {
        #[command(subcommand)]
        action: GradesCommand,
    },

    /// Rebuild on every change to the sources, through a warm compiler.
    #[command(after_help = "\
With no subcommand, `jbuild watch` recompiles the whole tree after each change. Under
`watch run` the program's stdin is empty (the terminal stays jbuild's, for Ctrl-C): for a
program that reads input, use `jbuild run`, or `jbuild watch check` with cases.

Examples:
  jbuild watch                          recompile on every save
  jbuild watch run sample01.Main a b    recompile, then rerun the program (stopping the last run)
  jbuild watch check                    rerun the checks on every save")]
    Watch {
        /// What to do after each successful compile (default: nothing more)
        #[command(subcommand)]
        then: Option<WatchCommand>,

        #[command(flatten)]
        settings: SettingsArgs,
    },

    /// Show what jbuild makes of this folder: project, source roots, output, jars, JDKs, problems.
    #[command(after_help = "\
Each value says where it comes from: a flag, jbuild.toml, an IDE's project file, Maven's
folders or the files' package lines, or jbuild's default. Exit 0 when jbuild can build here,
1 otherwise.

Examples:
  jbuild doctor                     the layout, the JDKs found and selected, and any problem
  jbuild doctor --format json       for tools (format_version 1)")]
    Doctor {
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,

        #[command(flatten)]
        settings: SettingsArgs,
    },

    /// Show or stop the background compile daemon (see --daemon).
    #[command(after_help = "\
Examples:
  jbuild daemon status     whether it runs: pid, build, uptime, requests
  jbuild daemon stop       stop it and its warm compilers")]
    Daemon {
        #[command(subcommand)]
        action: DaemonCommand,
    },

    /// Print a shell completion script.
    #[command(after_help = "\
Examples (install):
  bash:  jbuild completions bash > ~/.local/share/bash-completion/completions/jbuild
  zsh:   jbuild completions zsh > ~/.zfunc/_jbuild     (with fpath+=~/.zfunc before compinit)
  fish:  jbuild completions fish > ~/.config/fish/completions/jbuild.fish
  elvish, powershell: print the script and source it from your shell's startup file")]
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print jbuild's manual page (roff), generated from this command line.
    #[command(after_help = "\
Examples:
  jbuild man | man -l -
  jbuild man > ~/.local/share/man/man1/jbuild.1")]
    Man,
}

const CHECK_HELP: &str = "\
Where cases come from (for each project):
  tests/<class>/<case>.out          expected stdout of `java <class>`; beside it optional
                                    <case>.in (stdin), <case>.args (one argument per line),
                                    <case>.code (expected exit code, default 0). Files
                                    straight in tests/ belong to the `main` setting or the
                                    only main class; <class> may be a package path.
  test/<case>.out + <case>.in       the online-judge-tools layout
  [[check]] tables in jbuild.toml   name, main, args, stdin(-file), stdout(-file), compare,
                                    timeout, memory, points, code, checker, hidden
  .github/classroom/autograding.json and .github/workflows/classroom.yml
                                    GitHub Classroom's tests, graded by its rules (alone,
                                    unless the project has a jbuild.toml)
  JUnit tests                       in test/, src/test/java or beside the sources; each test
                                    a case (see `jbuild test --help`)

Verdicts: PASS, WRONG (output), ERROR (exit code, exception), TIMEOUT, MEMORY, OUTPUT (limit),
COMPILE, CONFIG (the case or project is misconfigured), SKIP (a disabled JUnit test).
Exit codes: 0 all passed, 1 something failed, 2 nothing could run (usage or configuration).
--timeout, --memory and --compare given here win over the values in tests/, [[check]],
autograding.json and classroom.yml.

Examples:
  jbuild check                           this project, or every project below here
  jbuild check ex1 ex2 --timeout 2       two projects, 2 s per case
  jbuild check --junit report.xml        also write JUnit XML (CI test reporters)
  jbuild check --format json             one JSON document on stdout
  jbuild check --shard 2/4               the second quarter of the cases (CI matrices)
  jbuild check --bless                   write the actual outputs into missing .out files
  jbuild check --grades grades.csv       a gradebook, one row per student project";

#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// Projects, or folders of projects [default: this project, or every project below here]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Comparison: lines (default), exact, tokens, contains, regex, float[:TOL]
    #[arg(long, value_name = "MODE", value_parser = parse_compare)]
    pub compare: Option<Compare>,

    /// Write each case's actual output into its missing or different .out file (or stdout-file)
    #[arg(long)]
    pub bless: bool,

    /// Show hidden cases in full: input, expected output, diff (for the teacher's own runs)
    #[arg(long)]
    pub show_hidden: bool,

    /// Write a CSV gradebook, one row per project, to FILE (`-`: stdout)
    #[arg(long, value_name = "FILE")]
    pub grades: Option<PathBuf>,

    /// Run a project's Java cases one after another in a warm JVM, each in a fresh class loader
    #[arg(long)]
    pub reuse_jvm: bool,

    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Args, Clone)]
pub struct TestArgs {
    /// Tests to run: a class (CalcTest, calc.CalcTest), a method (CalcTest#add), or globs
    /// (*Test, CalcTest#add*) [default: all]
    #[arg(value_name = "CLASS|CLASS#METHOD|GLOB")]
    pub filters: Vec<String>,

    #[command(flatten)]
    pub run: RunArgs,
}

/// How `check` and `test` run and report.
#[derive(Debug, Args, Clone)]
pub struct RunArgs {
    /// Cases at once (a project's JUnit tests are one) [default: number of cores]
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Wall-clock limit per case (for JUnit: per test), in seconds [default: the case's own, else 10]
    #[arg(long, value_name = "SECS", allow_negative_numbers = true, value_parser = parse_seconds)]
    pub timeout: Option<Duration>,

    /// Heap limit (-Xmx) per case and of a project's JUnit JVM, in MiB [default: the case's own, else 256]
    #[arg(long, value_name = "MIB", allow_negative_numbers = true, value_parser = parse_mib)]
    pub memory: Option<u64>,

    /// Limit on stdout+stderr per case, e.g. 1MiB, 512KiB
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    pub output_limit: usize,

    /// Write JUnit XML here
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// Output format [default: github when GITHUB_ACTIONS=true, else text]
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,

    /// Run only slice K of N (e.g. 2/4), for CI matrices
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,

    /// Run graded programs as this user (when jbuild runs as root) [setting: run-as]
    #[arg(long, value_name = "USER")]
    pub run_as: Option<String>,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs <= 86_400.0 => Ok(Duration::from_secs_f64(secs)),
        Ok(_) => Err("must be a number of seconds above 0, at most a day (86400)".to_owned()),
        Err(_) => Err("not a number of seconds (e.g. 2 or 0.5)".to_owned()),
    }
}

fn parse_mib(text: &str) -> Result<u64, String> {
    match text.trim().parse::<i64>() {
        Ok(mib) if mib > 0 => Ok(mib as u64),
        _ => Err("must be a positive whole number of MiB (e.g. 256)".to_owned()),
    }
}

fn parse_size(text: &str) -> Result<usize, String> {
    crate::check::parse_size(text).map_err(|e| format!("{e:#}"))
}

fn parse_compare(text: &str) -> Result<Compare, String> {
    text.parse::<Compare>().map_err(|e| format!("{e:#}"))
}

fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    crate::check::parse_shard(text).map_err(|e| format!("{e:#}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Github,
    /// Gradescope's results.json.
    Gradescope,
}

#[derive(Debug, Args, Clone)]
pub struct NewArgs {
    /// The folder to create (an empty one is fine).
    pub dir: PathBuf,

    /// The main class, e.g. hello.Main [default: the folder's name as package, then .Main]
    #[arg(long, value_name = "CLASS")]
    pub main: Option<String>,

    /// Create a course: a folder for many exercises, one workflow at its top, and a first exercise.
    #[arg(long)]
    pub course: bool,
}

#[derive(Debug, Subcommand)]
pub enum GradesCommand {
    /// Add up the gradebooks of a sharded run (`--shard K/N --grades FILE`) into one CSV on stdout.
    Merge {
        /// The shards' gradebooks.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DaemonCommand {
    /// Whether the daemon runs, with its pid, build, uptime and request count
    Status,
    /// Stop the daemon (its warm workers stop with it)
    Stop,
    /// Run the daemon in the foreground (jbuild starts it this way itself)
    #[command(hide = true)]
    Serve,
}

#[derive(Debug, Subcommand)]
pub enum WatchCommand {
    /// Compile the given targets (default: the whole tree)
    Compile {
        /// Source paths or class names
        #[arg(value_name = "TARGET")]
        targets: Vec<OsString>,
    },
    /// Rerun the checks after each change
    Check(Box<CheckArgs>),
    /// Rerun the JUnit tests after each change
    Test(Box<TestArgs>),
    /// Rerun a main class after each compile, stopping the previous run
    Run {
        /// The class (sample01.Main) or source file to run, then its arguments
        #[arg(value_name = "CLASS [ARGS]...", trailing_var_arg = true, allow_hyphen_values = true)]
        argv: Vec<OsString>,
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

/// What `jbuild run` was asked: the class, and the program's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunTarget {
    pub target: Option<OsString>,
    pub args: Vec<OsString>,
}

impl RunTarget {
    /// Splits `run`'s words: the first is the class, the rest its arguments,
    /// unless they began with `--` (then all are arguments of the default
    /// class). A `--` right after the class is dropped, as before.
    pub fn split(mut argv: Vec<OsString>, dash_dash_first: bool) -> RunTarget {
        if dash_dash_first || argv.is_empty() {
            return RunTarget { target: None, args: argv };
        }
        let target = argv.remove(0);
        if argv.first().is_some_and(|a| a == "--") {
            argv.remove(0);
        }
        RunTarget { target: Some(target), args: argv }
    }
}

/// Parses the command line, with "did you mean" for commands from other
/// tools (`jbuild build`).
pub fn parse() -> (Cli, Option<bool>) {
    let args: Vec<OsString> = std::env::args_os().collect();
    let matches = match Cli::command().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(error) => error_with_hint(error, &args).exit(),
    };
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // Whether `run`'s words began with `--`: clap drops a leading `--`. The
    // words are the last arguments (they take everything to the end), so
    // look at what comes just before them.
    let run = matches
        .subcommand_matches("run")
        .or_else(|| matches.subcommand_matches("watch").and_then(|w| w.subcommand_matches("run")));
    let dash_dash_first = run.map(|m| {
        let words = m.get_raw("argv").map_or(0, |values| values.len());
        args.len() > words && args[args.len() - words - 1] == "--"
    });
    (cli, dash_dash_first)
}

/// Commands people type from habit, and what jbuild calls them.
const SYNONYMS: &[(&str, &str)] = &[
    ("build", "compile"),
    ("make", "compile"),
    ("javac", "compile"),
    ("exec", "run"),
    ("start", "run"),
    ("java", "run"),
    ("test", "check"),
    ("grade", "check"),
    ("verify", "check"),
    ("ls", "list"),
    ("classes", "list"),
    ("dev", "watch"),
];

fn error_with_hint(error: clap::Error, args: &[OsString]) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if error.kind() != ErrorKind::InvalidSubcommand {
        return error;
    }
    let typed = error.get(ContextKind::InvalidSubcommand).and_then(|v| match v {
        ContextValue::String(s) => Some(s.clone()),
        _ => None,
    });
    let Some((_, ours)) = typed.and_then(|t| SYNONYMS.iter().find(|(theirs, _)| *theirs == t)) else { return error };
    let mut command = Cli::command();
    let typed = args.iter().skip(1).map(|a| a.to_string_lossy()).find(|a| !a.starts_with('-')).unwrap_or_default();
    command.error(
        ErrorKind::InvalidSubcommand,
        format!("unrecognized subcommand '{typed}'\n\n  tip: did you mean `jbuild {ours}`?"),
    )
}

/// Writes a completion script for `shell`, generated from the same clap
/// definition as the parser.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "jbuild", out);
}

/// Writes the man page (roff), generated from the same definition.
pub fn write_man_page(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_words_split_like_java() {
        let words = |w: &[&str]| w.iter().map(OsString::from).collect::<Vec<_>>();
        let split = |w: &[&str], dd| RunTarget::split(words(w), dd);
        assert_eq!(
            split(&["app.Main", "a", "b"], false),
            RunTarget { target: Some("app.Main".into()), args: words(&["a", "b"]) }
        );
        assert_eq!(
            split(&["app.Main", "--", "-x"], false),
            RunTarget { target: Some("app.Main".into()), args: words(&["-x"]) }
        );
        assert_eq!(split(&["a", "b"], true), RunTarget { target: None, args: words(&["a", "b"]) });
        assert_eq!(split(&[], false), RunTarget { target: None, args: vec![] });
    }

    #[test]
    fn value_parsers_explain_themselves() {
        assert!(parse_seconds("-1").unwrap_err().contains("above 0"));
        assert!(parse_seconds("x").unwrap_err().contains("not a number"));
        assert_eq!(parse_seconds("0.5").unwrap(), Duration::from_millis(500));
        assert!(parse_mib("0").is_err());
        assert_eq!(parse_shard("2/4").unwrap(), (2, 4));
        assert!(parse_shard("x").unwrap_err().starts_with("expected K/N"), "{}", parse_shard("x").unwrap_err());
    }
}
