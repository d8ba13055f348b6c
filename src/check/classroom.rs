//! GitHub Classroom's tests, graded as its runners graded them.
//!
//! The rules come from the runners' code (education/autograding
//! `src/runner.ts` for autograding.json; classroom-resources'
//! `autograding-io-grader` and `autograding-command-grader` for
//! classroom.yml); where jbuild differs on purpose, the README's "Coming
//! from GitHub Classroom" says so. A project's Classroom tests run one after
//! another, in file order, in the repository folder, because real tests
//! depend on each other (test 1 compiles, test 2 runs the classes).

use std::time::{Duration, Instant};

use super::compare::Compare;
use super::runner::{Execution, Limits, Stdin, execute};
use super::sandbox::Sandbox;
use super::verdict::Verdict;
use crate::check::cases::Text;
use crate::term::Status;
use crate::toolchain::process::ToolCommand;

/// Which runner's rules a test follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grader {
    /// `education/autograding` reading autograding.json.
    Autograding,
    /// `autograding-io-grader`: compares stdout.
    IoGrader,
    /// `autograding-command-grader`: exit code 0 passes.
    CommandGrader,
}

/// How output is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Exact,
    /// `included` (autograding.json) or `contains` (io-grader): a substring.
    Included,
    /// An ECMAScript regular expression, searched in the output.
    Regex,
}

/// One Classroom test.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassroomTest {
    pub grader: Grader,
    pub setup: Option<String>,
    pub command: String,
    /// Written to stdin (empty: see [`ClassroomTest::stdin`]).
    pub input: String,
    /// Expected output as written (the regex pattern for `regex`).
    pub expected: String,
    pub method: Method,
    /// The test's time limit; for autograding.json setup and command share it.
    pub timeout: Option<Duration>,
    /// Why the grader refused the test before running it, if it did.
    pub broken: Option<String>,
}

/// What running a Classroom test came to.
pub struct Outcome {
    pub verdict: Verdict,
    pub message: String,
    pub details: String,
    pub execution: Execution,
    /// The test's points leave both totals (an io-grader test that failed
    /// before running: its result had no max_score).
    pub drop_points: bool,
}

/// Flags given on the command line, which win over the file's values.
pub struct Overrides<'a> {
    pub timeout: Option<Duration>,
    pub compare: Option<&'a Compare>,
    pub output_limit: usize,
}

/// Setup commands known to change nothing: `(command, repository state)`
/// pairs where running the command left the repository exactly as it was.
///
/// Classroom runs a test's `setup` before every test that has one, and real
/// repositories repeat the same `javac *.java` setup in every test. A run of
/// a setup that left every file of the repository byte for byte as it found
/// it is a fixed point: run again on the same state, a deterministic command
/// does the same. So jbuild skips it then, and runs it whenever the state
/// differs (or could not be read: more than [`MAX_STATE_FILES`] files).
#[derive(Debug, Default)]
pub struct SetupMemo {
    fixed: std::collections::BTreeSet<(String, [u8; 32])>,
}

/// Repositories with more files than this are not fingerprinted.
const MAX_STATE_FILES: usize = 5000;

/// A fingerprint of every regular file in the repository (but `.git/`):
/// paths, sizes and contents. `None` when it is too big or unreadable.
fn repository_state(root: &std::path::Path) -> Option<[u8; 32]> {
    let mut hasher = blake3::Hasher::new();
    let mut files = 0;
    let walk = walkdir::WalkDir::new(root).sort_by_file_name().into_iter().filter_entry(|e| e.file_name() != ".git");
    for entry in walk {
        let entry = entry.ok()?;
        if entry.file_type().is_dir() {
            continue;
        }
        files += 1;
        if files > MAX_STATE_FILES {
            return None;
        }
        let relative = entry.path().strip_prefix(root).ok()?;
        hasher.update(relative.as_os_str().as_encoded_bytes());
        hasher.update(b"\0");
        if entry.file_type().is_file() {
            let mut file_hasher = blake3::Hasher::new();
            file_hasher.update_reader(std::fs::File::open(entry.path()).ok()?).ok()?;
            hasher.update(file_hasher.finalize().as_bytes());
        } else if entry.file_type().is_symlink() {
            hasher.update(std::fs::read_link(entry.path()).ok()?.as_os_str().as_encoded_bytes());
        }
    }
    Some(*hasher.finalize().as_bytes())
}

/// Runs one test in `root` (the repository folder).
pub fn run(
    test: &ClassroomTest,
    root: &std::path::Path,
    sandbox: &Sandbox,
    label: &str,
    flags: &Overrides,
    memo: &mut SetupMemo,
    status: &Status,
) -> Outcome {
    let outcome = |verdict, message: String, details: String, execution| Outcome {
        verdict,
        message,
        details,
        execution,
        drop_points: false,
    };
    if let Some(why) = &test.broken {
        let mut refused = outcome(
            Verdict::RuntimeError,
            format!("the grader refused this test: {why}"),
            String::new(),
            Execution::default(),
        );
        refused.drop_points = test.grader == Grader::IoGrader;
        return refused;
    }
    let budget = flags.timeout.or(test.timeout).unwrap_or(Duration::from_secs(60));
    let shell = |line: &str| {
        let mut command = ToolCommand::shell(line);
        command.current_dir(root).environment(sandbox.classroom_environment()).run_as(sandbox.user()).label(label);
        command
    };
    let started = Instant::now();
    let before = test.setup.as_ref().and_then(|_| repository_state(root));
    let skip =
        matches!((&test.setup, before), (Some(setup), Some(state)) if memo.fixed.contains(&(setup.clone(), state)));
    if skip && status.is_verbose() {
        status.line("Skipping", format_args!("the setup of {label}: it ran before and changed nothing"));
    }
    if let Some(setup) = test.setup.as_ref().filter(|_| !skip) {
        let limits = Limits { timeout: budget, output: flags.output_limit };
        let mut command = shell(setup);
        status.command(&command.display_with_cwd(), &format!(" to set up {label}"));
        let execution = match execute(&mut command, Stdin::Empty, &limits) {
            Ok(execution) => execution,
            Err(e) => {
                return outcome(
                    Verdict::RuntimeError,
                    format!("setup command: {e:#}"),
                    String::new(),
                    Execution::default(),
                );
            }
        };
        if execution.timed_out || execution.code != Some(0) {
            let how = if execution.timed_out { "timed out".to_owned() } else { ended(&execution) };
            let mut failed = outcome(
                if execution.timed_out { Verdict::Timeout } else { Verdict::RuntimeError },
                format!("setup command {how}: {setup}"),
                streams(&execution),
                execution,
            );
            failed.drop_points = test.grader == Grader::IoGrader;
            return failed;
        }
        if let Some(state) = before
            && repository_state(root) == Some(state)
        {
            memo.fixed.insert((setup.clone(), state));
        }
    }
    // autograding.json: setup time counts against the test's one budget; the
    // graders give the command a full timeout of its own.
    let timeout = match test.grader {
        Grader::Autograding => budget.saturating_sub(started.elapsed()),
        Grader::IoGrader | Grader::CommandGrader => budget,
    };
    let input = Text::Inline(test.input.clone());
    let stdin = match test.grader {
        // runner.ts writes the input and closes stdin only when there is
        // input; otherwise stdin stays open and a reading program waits.
        Grader::Autograding if test.input.is_empty() => Stdin::Open,
        Grader::Autograding | Grader::IoGrader => Stdin::Text(&input),
        Grader::CommandGrader => Stdin::Empty,
    };
    let limits = Limits { timeout, output: flags.output_limit };
    let mut command = shell(&test.command);
    status.command(&command.display_with_cwd(), &format!(" for {label}"));
    let execution = match execute(&mut command, stdin, &limits) {
        Ok(execution) => execution,
        Err(e) => return outcome(Verdict::RuntimeError, format!("{e:#}"), String::new(), Execution::default()),
    };
    let (verdict, mut message, details) = judge(test, &execution, timeout, flags.compare);
    if verdict == Verdict::Timeout && timeout < budget {
        message.push_str(&format!(
            "; the test's {:.1}s include its setup's {:.1}s, as Classroom counted them",
            budget.as_secs_f64(),
            (budget - timeout).as_secs_f64()
        ));
    }
    outcome(verdict, message, details, execution)
}

fn judge(
    test: &ClassroomTest,
    execution: &Execution,
    limit: Duration,
    flag: Option<&Compare>,
) -> (Verdict, String, String) {
    if execution.timed_out {
        return (
            Verdict::Timeout,
            format!("killed after {:.1}s (limit {:.1}s)", execution.wall.as_secs_f64(), limit.as_secs_f64()),
            streams(execution),
        );
    }
    if execution.output_exceeded {
        return (Verdict::OutputLimit, "printed more than --output-limit allows; stopped".to_owned(), String::new());
    }
    if execution.code != Some(0) {
        return (Verdict::RuntimeError, ended(execution), streams(execution));
    }
    let stdout = String::from_utf8_lossy(&execution.stdout);
    let compared = match test.grader {
        Grader::CommandGrader => return (Verdict::Pass, String::new(), String::new()),
        // Output counts only when the test has an output or an input.
        Grader::Autograding if test.expected.is_empty() && test.input.is_empty() => {
            return (Verdict::Pass, String::new(), String::new());
        }
        Grader::Autograding => {
            let expected = normalize(&test.expected);
            let actual = normalize(&stdout);
            let pattern = &test.expected; // runner.ts builds the regex from the raw output
            (expected, actual, pattern.clone())
        }
        Grader::IoGrader => (test.expected.clone(), js_trim(&stdout).to_owned(), test.expected.clone()),
    };
    let (expected, actual, pattern) = compared;
    let matched = match flag {
        Some(compare) => compare.matches(&test.expected, &stdout).map_err(|e| format!("{e:#}")),
        None => match test.method {
            Method::Exact => Ok(actual == expected),
            Method::Included => Ok(actual.contains(&expected)),
            Method::Regex => regress::Regex::new(&pattern)
                .map(|regex| regex.find(&actual).is_some())
                .map_err(|e| format!("{pattern:?} is not a valid regular expression: {e}")),
        },
    };
    let method = flag.map_or_else(|| method_name(test.method).to_owned(), |c| c.to_string());
    match matched {
        Ok(true) => (Verdict::Pass, String::new(), String::new()),
        Ok(false) => {
            let mut details = super::diff::unified(&expected, &actual);
            if !test.input.is_empty() {
                details.push_str(&format!("\ninput:\n{}", truncate(&test.input, 20)));
            }
            (Verdict::WrongOutput, format!("output differs ({method} comparison)"), details)
        }
        Err(why) => (Verdict::RuntimeError, why, String::new()),
    }
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Exact => "exact",
        Method::Included => "included",
        Method::Regex => "regex",
    }
}

/// `exit code 3` or `killed by signal 9`; for the shell's 127, which tool
/// is missing.
fn ended(execution: &Execution) -> String {
    match (execution.code, execution.signal) {
        (Some(127), _) => match missing_tool(&String::from_utf8_lossy(&execution.stderr)) {
            // A path (`./gradlew`) is a file the repository should hold, not a tool.
            Some(tool) if tool.contains('/') => {
                format!(
                    "exit code 127: `{tool}` is not in the repository (or not executable), so the shell cannot run it"
                )
            }
            Some(tool) => format!("exit code 127: `{tool}` is not installed here; install it to run this test"),
            None => "exit code 127".to_owned(),
        },
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        (None, None) => "ended abnormally".to_owned(),
    }
}

/// The command a shell could not find: dash's `sh: 1: gradle: not found`,
/// bash's `bash: gradle: command not found`.
fn missing_tool(stderr: &str) -> Option<String> {
    stderr.lines().find_map(|line| {
        let rest = line.strip_suffix(": not found").or_else(|| line.strip_suffix(": command not found"))?;
        Some(rest.rsplit(": ").next()?.trim().to_owned()).filter(|tool| !tool.is_empty())
    })
}

/// The tails of stdout and stderr, labelled: the evidence of a failing
/// shell test is often in stdout (a `diff`), not only in stderr.
pub fn streams(execution: &Execution) -> String {
    let mut text = String::new();
    for (label, bytes) in [("stdout", &execution.stdout), ("stderr", &execution.stderr)] {
        let output = String::from_utf8_lossy(bytes);
        if !output.trim().is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&format!("{label}:\n{}", super::tail(output.trim_end(), 15)));
        }
    }
    text
}

/// The first `lines` lines of `text`.
fn truncate(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let mut out = all.iter().take(lines).copied().collect::<Vec<_>>().join("\n");
    if all.len() > lines {
        out.push_str(&format!("\n... ({} more lines)", all.len() - lines));
    }
    out
}

/// runner.ts's `normalizeLineEndings`: CRLF as LF, then JavaScript's trim.
pub fn normalize(text: &str) -> String {
    js_trim(&text.replace("\r\n", "\n")).to_owned()
}

/// JavaScript's `String.prototype.trim`: strips ECMAScript WhiteSpace and
/// LineTerminator characters (BOM and no-break space included, NEL not).
pub fn js_trim(text: &str) -> &str {
    text.trim_matches(|c: char| {
        matches!(
            c,
            '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_missing_tool_of_a_shell() {
        assert_eq!(missing_tool("/bin/sh: 1: gradle: not found\n").as_deref(), Some("gradle"));
        assert_eq!(missing_tool("bash: line 1: mvn: command not found").as_deref(), Some("mvn"));
        assert_eq!(missing_tool("Exception in thread main"), None);
    }

    fn test(grader: Grader, method: Method, input: &str, expected: &str) -> ClassroomTest {
        ClassroomTest {
            grader,
            setup: None,
            command: String::new(),
            input: input.into(),
            expected: expected.into(),
            method,
            timeout: None,
            broken: None,
        }
    }

    fn verdict(test: &ClassroomTest, stdout: &str, code: i32) -> Verdict {
        let execution = Execution { code: Some(code), stdout: stdout.as_bytes().to_vec(), ..Execution::default() };
        judge(test, &execution, Duration::from_secs(1), None).0
    }

    #[test]
    fn javascript_trim_is_not_rust_trim() {
        assert_eq!(js_trim("\u{feff} a \u{a0}\n"), "a");
        assert_eq!(js_trim("\u{85}a"), "\u{85}a", "NEL is not JavaScript whitespace");
        assert_eq!(normalize("a\r\nb\r\n\r\n"), "a\nb");
        assert_eq!(normalize("a\rb"), "a\rb", "a lone CR stays");
    }

    #[test]
    fn autograding_rules() {
        use Method::*;
        let g = Grader::Autograding;
        // Nothing to compare: the exit code decides, even with output.
        assert_eq!(verdict(&test(g, Exact, "", ""), "lots of output", 0), Verdict::Pass);
        assert_eq!(verdict(&test(g, Exact, "", ""), "", 1), Verdict::RuntimeError);
        // Input but no output: exact wants nothing, included anything.
        assert_eq!(verdict(&test(g, Exact, "x", ""), "out", 0), Verdict::WrongOutput);
        assert_eq!(verdict(&test(g, Included, "x", ""), "out", 0), Verdict::Pass);
        // CRLF and surrounding whitespace on both sides.
        assert_eq!(verdict(&test(g, Exact, "", "Hello Jeff\r\n"), "\nHello Jeff", 0), Verdict::Pass);
        assert_eq!(verdict(&test(g, Included, "Jeff", "Hi\r\nJeff"), "Name? Hi\nJeff!", 0), Verdict::Pass);
        // The raw pattern, ECMAScript flavour: anchors on the trimmed output, lookaheads.
        assert_eq!(verdict(&test(g, Regex, "", "^Sum: \\d+$"), "Sum: 42\n", 0), Verdict::Pass);
        assert_eq!(verdict(&test(g, Regex, "", "^(?=.*cat)(?=.*dog)"), "dog and cat", 0), Verdict::Pass);
        assert_eq!(verdict(&test(g, Regex, "", "^(?=.*cat)(?=.*dog)"), "dog and cow", 0), Verdict::WrongOutput);
        assert_eq!(verdict(&test(g, Regex, "", "(unclosed"), "x", 0), Verdict::RuntimeError);
    }

    #[test]
    fn io_grader_rules() {
        use Method::*;
        let g = Grader::IoGrader;
        assert_eq!(verdict(&test(g, Exact, "", "a\nb"), "a\nb\n\n", 0), Verdict::Pass);
        // No CRLF normalisation in the io-grader.
        assert_eq!(verdict(&test(g, Exact, "", "a\nb"), "a\r\nb", 0), Verdict::WrongOutput);
        assert_eq!(verdict(&test(g, Included, "", "b"), "abc", 0), Verdict::Pass);
        assert_eq!(verdict(&test(g, Exact, "", "a"), "a", 2), Verdict::RuntimeError);
        assert_eq!(verdict(&test(Grader::CommandGrader, Exact, "", ""), "anything", 0), Verdict::Pass);
    }
}
