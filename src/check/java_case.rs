//! Running one Java case: `java CLASS ARGS` in a scratch folder of its own,
//! under the case's limits, and the verdict from what it did.

use std::time::Duration;

use anyhow::Result;

use super::cases::{Case, Program};
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
    if project.ctx.status.is_verbose() {
        project.ctx.status.command(&java.display_with_cwd(), &format!(" for {}", case.name));
    }
    let mut execution = execute(&mut java, stdin, &limits)?;
    if scratch.oom_marker().exists() {
        execution.out_of_memory = true;
        execution.stdout = without_oom_notice(&execution.stdout, &oom_command);
    }
    Ok(execution)
}

/// Turns what the program did into a verdict, a one-line message and details.
pub fn judge(case: &Case, execution: &Execution, options: &CheckOptions) -> (Verdict, String, String) {
    let stdout = String::from_utf8_lossy(&execution.stdout);
    let stderr = String::from_utf8_lossy(&execution.stderr);
    if execution.timed_out {
        return (
            Verdict::Timeout,
            format!(
                "killed after {:.1}s (limit {:.1}s; {:.1}s of CPU time)",
                execution.wall.as_secs_f64(),
                timeout(case, options).as_secs_f64(),
                execution.cpu.as_secs_f64()
            ),
            super::classroom::streams(execution),
        );
    }
    if execution.output_exceeded {
        return (
            Verdict::OutputLimit,
            format!("printed more than {}; stopped", super::summary::size(options.output_limit)),
            String::new(),
        );
    }
    if execution.out_of_memory && execution.code != Some(case.expected_code) {
        let memory = memory_mib(case, options);
        return (Verdict::MemoryLimit, format!("ran out of memory (limit {memory} MiB)"), tail(&stderr, 10));
    }
    if matches!(case.program, Program::Java { .. })
        && let Some(message) = jvm_start_failure(execution)
    {
        return (Verdict::RuntimeError, "the JVM could not start (check --memory and --java-arg)".to_owned(), message);
    }
    if execution.code != Some(case.expected_code) {
        let how = match (execution.code, execution.signal) {
            (Some(code), _) => format!("exit code {code}"),
            (None, Some(signal)) => format!("killed by signal {signal}"),
            (None, None) => "ended abnormally".to_owned(),
        };
        return (Verdict::RuntimeError, format!("{how}, expected {}", case.expected_code), tail(&stderr, 20));
    }
    let compare = options.compare.clone().or_else(|| case.compare.clone()).unwrap_or_default();
    match case.expected.read().and_then(|expected| Ok((compare.matches(&expected, &stdout)?, expected))) {
        Ok((true, _)) => (Verdict::Pass, String::new(), String::new()),
        Ok((false, expected)) => {
            let mut details = diff::unified(&expected, &stdout);
            if let Some(input) = case.stdin.as_ref().and_then(|s| s.read().ok()).filter(|i| !i.is_empty()) {
                details.push_str(&format!("\ninput:\n{}", tail_head(&input, 20)));
            }
            (Verdict::WrongOutput, format!("output differs ({compare} comparison)"), details)
        }
        Err(e) => (Verdict::RuntimeError, format!("{e:#}"), String::new()),
    }
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
fn without_oom_notice(stdout: &[u8], command: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(stdout);
    let executing = format!("#   Executing /bin/sh -c \"{command}\"...\n");
    let Some(end) = text.find(&executing).map(|at| at + executing.len()) else { return stdout.to_vec() };
    // The notice starts with "#\n# java.lang.OutOfMemoryError: ..." two lines before.
    let start = text[..end].rfind("#\n# java.lang.OutOfMemoryError").unwrap_or(end - executing.len());
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

/// The message of a JVM that refused to start (a bad -Xmx or JVM option),
/// which it prints on stdout or stderr before exiting 1.
fn jvm_start_failure(execution: &Execution) -> Option<String> {
    if execution.code != Some(1) {
        return None;
    }
    let both = format!("{}{}", String::from_utf8_lossy(&execution.stdout), String::from_utf8_lossy(&execution.stderr));
    let failed = both.contains("Error: Could not create the Java Virtual Machine.")
        || both.starts_with("Error occurred during initialization of VM");
    failed.then(|| tail(both.trim_end(), 10))
}
