//! Running one Java case: `java CLASS ARGS` in a scratch folder of its own,
//! under the case's limits, and the verdict from what it did.

use std::time::Duration;

use anyhow::Result;

use super::cases::{Case, Program, Text};
use super::compare::Compare;
use super::runner::{Execution, Limits, Stdin, execute};
use super::verdict::Verdict;
use super::{CASE_JVM_FLAGS, CheckOptions, CheckProject, DEFAULT_MEMORY_MIB, DEFAULT_TIMEOUT, diff, tail};

/// The case's limits: a flag given on the command line wins over the
/// case's own value, which wins over the default.
pub fn timeout(case: &Case, options: &CheckOptions) -> Duration {
    options.timeout.or(case.timeout).unwrap_or(DEFAULT_TIMEOUT)
}

pub fn memory_mib(case: &Case, options: &CheckOptions) -> u64 {
    options.memory_mib.or(case.memory_mib).unwrap_or(DEFAULT_MEMORY_MIB)
}

/// Runs the case's program. Each case runs in a scratch folder of its own:
/// files it writes land there, not in the project, and parallel cases
/// cannot clash.
pub fn execute_case(
    project: &CheckProject,
    case: &Case,
    class: &str,
    args: &[String],
    options: &CheckOptions,
) -> Result<Execution> {
    if options.reuse_jvm
        && let Some(execution) = super::warm::execute(project, case, class, args, options)?
    {
        return Ok(execution);
    }
    let sandbox = &project.sandbox;
    let limits = Limits { timeout: timeout(case, options), output: options.output_limit };
    let stdin = case.stdin.as_ref().map_or(Stdin::Empty, Stdin::Text);
    let scratch = sandbox.scratch()?;
    let oom_command = format!(": > '{}'", scratch.oom_marker().display());
    let mut jvm_flags =
        vec![format!("-Xmx{}m", memory_mib(case, options)), format!("-XX:OnOutOfMemoryError={oom_command}")];
    jvm_flags.extend(CASE_JVM_FLAGS.iter().map(|f| f.to_string()));
    jvm_flags.push(format!("-Djava.io.tmpdir={}", scratch.tmp().display()));
    let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    let mut java = project.ctx.java(&scratch.work(), class, &jvm_flags, &args)?;
    java.environment(sandbox.case_environment(&scratch))
        .run_as(sandbox.user())
        .label(format!("{}: {}", project.label, case.name));
    // A hidden case's arguments are part of its input.
    if project.ctx.status.is_verbose() && (!case.hidden || options.show_hidden) {
        project.ctx.status.command(&java.display_with_cwd(), &format!(" for {}", case.name));
    }
    let mut execution = execute(&mut java, stdin, &limits)?;
    if scratch.oom_marker().exists() {
        execution.out_of_memory = true;
        execution.stdout = without_oom_notice(&execution.stdout, &oom_command);
    }
    Ok(execution)
}

/// The verdict on a case, with what a report says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    pub verdict: Verdict,
    /// Why it failed, in one line.
    pub message: String,
    pub details: String,
    /// The fraction of the case's points earned, when a checker said
    /// (otherwise all of them for a pass, none for a failure).
    pub credit: Option<f64>,
    /// The expected-output file `--bless` wrote, as reports show it.
    pub blessed: Option<String>,
}

impl Judged {
    pub fn new(verdict: Verdict, message: String, details: String) -> Judged {
        Judged { verdict, message, details, credit: None, blessed: None }
    }

    /// A configuration error of the case (a checker that failed, a file
    /// `--bless` may not write).
    pub fn config(message: String, details: String) -> Judged {
        Judged::new(Verdict::ConfigError, message, details)
    }
}

/// The comparison a case uses: the flag's, else the case's, else `lines`.
pub fn compare_of(case: &Case, options: &CheckOptions) -> Compare {
    options.compare.clone().or_else(|| case.compare.clone()).unwrap_or_default()
}

/// A case's input and expected output as the repository held them before
/// the program ran: what it is judged against, whatever the program then
/// writes into the project (without `--run-as` it runs as you, and can).
#[derive(Debug, Clone, Default)]
pub struct Texts {
    pub input: String,
    pub expected: String,
}

impl Texts {
    /// `blessing`: an expected-output file that does not exist yet is
    /// empty (`--bless` is to write it).
    pub fn read(case: &Case, blessing: bool) -> Result<Texts> {
        let input = case.stdin.as_ref().map(Text::read).transpose()?.unwrap_or_default();
        let expected = match &case.expected {
            Text::File(path) if blessing && std::fs::symlink_metadata(path).is_err() => String::new(),
            expected => expected.read()?,
        };
        Ok(Texts { input, expected })
    }
}

/// Turns what the program did into a verdict: a run that failed on its
/// own (limits, crash, exit code) is judged on that; otherwise its output
/// is blessed (`--bless`), checked by the case's checker, or compared. A
/// failure shows the case's input.
pub fn judge(
    project: &CheckProject,
    case: &Case,
    texts: &Texts,
    execution: &Execution,
    options: &CheckOptions,
) -> Judged {
    let mut judged = match failed_run(case, execution, options) {
        Some(judged) => judged,
        None => {
            let blessed =
                options.bless.then(|| super::bless::bless(project, case, texts, execution, options)).flatten();
            match (blessed, &case.checker) {
                (Some(judged), _) => judged,
                (None, Some(checker)) => {
                    super::checker::judge(project, case, checker, texts, &execution.stdout, options)
                }
                (None, None) => compare(case, texts, execution, options),
            }
        }
    };
    if options.bless && judged.verdict == Verdict::WrongOutput && matches!(case.expected, Text::Inline(_)) {
        judged.message.push_str("; --bless does not rewrite an inline `stdout` in jbuild.toml: change it by hand");
    }
    if !judged.verdict.passed() && judged.verdict != Verdict::ConfigError {
        append_input(case, texts, &mut judged.details);
    }
    judged
}

/// The verdict when the program failed before its output counts: a
/// limit, a JVM that did not start, an unexpected exit code.
fn failed_run(case: &Case, execution: &Execution, options: &CheckOptions) -> Option<Judged> {
    let stderr = String::from_utf8_lossy(&execution.stderr);
    if execution.timed_out {
        return Some(Judged::new(
            Verdict::Timeout,
            format!(
                "killed after {:.1}s (limit {:.1}s; {:.1}s of CPU time)",
                execution.wall.as_secs_f64(),
                timeout(case, options).as_secs_f64(),
                execution.cpu.as_secs_f64()
            ),
            super::classroom::streams(execution),
        ));
    }
    if execution.output_exceeded {
        return Some(Judged::new(
            Verdict::OutputLimit,
            format!("printed more than {}; stopped", super::summary::size(options.output_limit)),
            String::new(),
        ));
    }
    if execution.out_of_memory && execution.code != Some(case.expected_code) {
        let memory = memory_mib(case, options);
        return Some(Judged::new(
            Verdict::MemoryLimit,
            format!("ran out of memory (limit {memory} MiB)"),
            tail(&stderr, 10),
        ));
    }
    if matches!(case.program, Program::Java { .. })
        && let Some(message) = jvm_start_failure(execution)
    {
        return Some(Judged::new(
            Verdict::RuntimeError,
            "the JVM could not start (check --memory and --java-arg)".to_owned(),
            message,
        ));
    }
    if execution.code != Some(case.expected_code) {
        let how = match (execution.code, execution.signal) {
            (Some(code), _) => format!("exit code {code}"),
            (None, Some(signal)) => format!("killed by signal {signal}"),
            (None, None) => "ended abnormally".to_owned(),
        };
        return Some(Judged::new(
            Verdict::RuntimeError,
            format!("{how}, expected {}", case.expected_code),
            tail(&stderr, 20),
        ));
    }
    None
}

/// The output against the expected output, by the case's comparison.
fn compare(case: &Case, texts: &Texts, execution: &Execution, options: &CheckOptions) -> Judged {
    let stdout = String::from_utf8_lossy(&execution.stdout);
    let compare = compare_of(case, options);
    let expected = &texts.expected;
    match compare.matches(expected, &stdout) {
        Ok(true) => Judged::new(Verdict::Pass, String::new(), String::new()),
        Ok(false) => {
            let mut details = String::new();
            let strict = matches!(compare, Compare::Exact | Compare::Lines | Compare::Trimmed);
            if strict && Compare::Tokens.matches(expected, &stdout).unwrap_or(false) {
                details.push_str("note: only the whitespace differs (spaces, tabs or blank lines)\n");
            }
            details.push_str(&diff::unified(expected, &stdout));
            Judged::new(Verdict::WrongOutput, format!("output differs ({compare} comparison)"), details)
        }
        // A regular expression that does not compile: the case is misconfigured.
        Err(e) => Judged::config(format!("{e:#}"), String::new()),
    }
}

/// Adds the case's arguments and input (its first lines) to a failure's
/// details.
fn append_input(case: &Case, texts: &Texts, details: &mut String) {
    let mut shown = String::new();
    if let Program::Java { args, .. } = &case.program
        && !args.is_empty()
    {
        let quoted: Vec<String> =
            args.iter().map(|a| crate::toolchain::process::shell_quote(std::ffi::OsStr::new(a))).collect();
        shown.push_str(&format!("arguments: {}\n", quoted.join(" ")));
    }
    if !texts.input.is_empty() {
        shown.push_str(&format!("input:\n{}", tail_head(&texts.input, 20)));
    }
    if shown.is_empty() {
        return;
    }
    if !details.is_empty() {
        details.push('\n');
    }
    details.push_str(shown.trim_end());
}

/// The first `lines` lines of `text`, saying how many more there were.
fn tail_head(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let mut out = all.iter().take(lines).copied().collect::<Vec<_>>().join("\n");
    if all.len() > lines {
        out.push_str(&format!("\n... ({} more lines)", all.len() - lines));
    }
    out
}

/// The JVM prints a notice on stdout before running the out-of-memory
/// command; it is the JVM's, not the program's output.
pub(in crate::check) fn without_oom_notice(stdout: &[u8], command: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(stdout);
    let executing = format!("#   Executing /bin/sh -c \"{command}\"...\n");
    let Some(end) = text.find(&executing).map(|at| at + executing.len()) else { return stdout.to_vec() };
    // The notice starts with "#\n# java.lang.OutOfMemoryError: ..." two lines before.
    let start = text[..end].rfind("#\n# java.lang.OutOfMemoryError").unwrap_or(end - executing.len());
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

/// The message of a JVM that refused to start (a bad -Xmx or JVM option),
/// which it prints on stdout or stderr before exiting 1.
pub(in crate::check) fn jvm_start_failure(execution: &Execution) -> Option<String> {
    if execution.code != Some(1) {
        return None;
    }
    let both = format!("{}{}", String::from_utf8_lossy(&execution.stdout), String::from_utf8_lossy(&execution.stderr));
    let failed = both.contains("Error: Could not create the Java Virtual Machine.")
        || both.starts_with("Error occurred during initialization of VM");
    failed.then(|| tail(both.trim_end(), 10))
}
