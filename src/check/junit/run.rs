//! Running a project's JUnit tests: the embedded launcher in a fresh JVM,
//! under the case limits and in the case box, its events turned into one
//! case result per test.
//!
//! Limits: `--memory` is the JVM's `-Xmx`; `--timeout` is JUnit's timeout
//! for each test, in a separate thread so a busy loop is abandoned too. A
//! JVM that reports no progress for twice that plus five seconds (a hang
//! JUnit cannot stop: a loop in a constructor, a JUnit 4 test) is killed
//! with its process group, and so is one that exceeds the whole run's
//! wall-clock limit (every test's timeout, one such stall, and 30 seconds).
//! When a JVM ends early (killed, `System.exit`, a crash) the test or class
//! it was running is blamed, and the tests not run yet run again in a fresh
//! JVM without it.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use super::outcome::{Cause, Ledger, Outcome, ProjectIndex, RunEnd, judge, project_frames, time_of};
use super::{Suite, TestBuild, TestSource, parse_points};
use crate::build::source_set::test_classes;
use crate::check::cases::Text;
use crate::check::runner::{Execution, Limits, Stdin, execute_watched};
use crate::check::verdict::{CaseResult, Verdict};
use crate::check::{CASE_JVM_FLAGS, CheckOptions, CheckProject, Prepared, jvm_start_failure, tail, without_oom_notice};
use crate::scanner::test_classes::{TestClass, TestMethod};
use crate::term::relative;
use crate::toolchain::frame::nonce;
use crate::toolchain::java::{Launch, java_command};
use crate::toolchain::junit::events::{self, Thrown};
use crate::toolchain::junit::launcher::{LaunchRequest, MAIN_CLASS, copy_classes, ensure_compiled};

/// Output kept per test and stream.
const CAPTURE: usize = 64 * 1024;
/// All the launcher may print (events carry each test's captured output).
const LAUNCHER_OUTPUT: usize = 64 * 1024 * 1024;
/// JVMs started for one suite, at most: each run after the first leaves
/// out the test that ended the one before, so this is only a backstop.
const MAX_RUNS: usize = 50;

/// Runs `suite`'s tests (after [`super::compile`]) and reports each.
pub(in crate::check) fn run(
    project: &CheckProject,
    suite: &Suite,
    prepared: &Prepared,
    options: &CheckOptions,
) -> Vec<CaseResult> {
    let reporter = Reporter::new(project, suite, options);
    let mut results = Vec::new();
    match (&prepared.compiled, &prepared.tests) {
        (Err((message, diagnostics)), _) => {
            // No main classes to test: every test fails to compile.
            let cause =
                Cause { verdict: Verdict::CompileError, message: message.clone(), details: diagnostics.clone() };
            results.extend(reporter.scanned(|_| true, &cause));
        }
        (Ok(()), Some(TestBuild { error: Some(error), .. })) => {
            let cause = Cause { verdict: Verdict::RuntimeError, message: error.clone(), details: String::new() };
            results.extend(reporter.scanned(|_| true, &cause));
        }
        (Ok(()), Some(build)) => results.extend(reporter.compile_and_run(build)),
        (Ok(()), None) => {}
    }
    results.sort_by_key(|(rank, _)| *rank);
    results.into_iter().map(|(_, result)| result).collect()
}

impl Reporter<'_> {
    /// Results for tests whose class did not compile, then for the others, run.
    fn compile_and_run(&self, build: &TestBuild) -> Vec<(Rank, CaseResult)> {
        let (project, suite, options) = (self.project, self.suite, self.options);
        let mut results = Vec::new();
        for (file, (message, diagnostics)) in &build.failed {
            let cause =
                Cause { verdict: Verdict::CompileError, message: message.clone(), details: diagnostics.clone() };
            results.extend(self.scanned(|f| &f.path == file, &cause));
        }
        let compiled = |f: &TestSource| !build.failed.contains_key(&f.path);
        let runnable: Vec<(String, Option<Vec<String>>)> =
            suite.selection.iter().filter(|(class, _)| suite.file_of(class).is_some_and(compiled)).cloned().collect();
        if !runnable.is_empty() {
            match run_tests(project, suite, &runnable, options, self) {
                Ok(ledger) if ledger.has_plan() => results.extend(self.ledger(&ledger)),
                Ok(ledger) => {
                    // The JVM ended before JUnit listed a test: report the tests
                    // the sources declare, with why.
                    let cause = ledger_cause(&ledger);
                    results.extend(self.scanned(compiled, &cause));
                }
                Err(e) => {
                    let cause =
                        Cause { verdict: Verdict::RuntimeError, message: format!("{e:#}"), details: String::new() };
                    results.extend(self.scanned(compiled, &cause));
                }
            }
        }
        results
    }
}

/// Where a result goes in the report: the class and the method in source
/// order, then the order JUnit reported the test.
type Rank = (usize, usize, usize);

/// Why a run that never listed its tests ended (kept in the ledger's
/// place by [`run_tests`]).
fn ledger_cause(ledger: &Ledger) -> Cause {
    ledger.never_planned.clone().unwrap_or(Cause {
        verdict: Verdict::RuntimeError,
        message: "JUnit found no tests to run".to_owned(),
        details: String::new(),
    })
}

/// Starts launcher JVMs until every test has an outcome.
fn run_tests(
    project: &CheckProject,
    suite: &Suite,
    runnable: &[(String, Option<Vec<String>>)],
    options: &CheckOptions,
    reporter: &Reporter,
) -> Result<Ledger> {
    let ctx = &project.ctx;
    let jdk = ctx.jdk()?;
    let compiled = ensure_compiled(jdk, &suite.platform)?;
    // The box's scratch folder holds a copy of the launcher, which a test
    // JVM running as another user can read.
    let scratch = project.sandbox.scratch()?;
    let launcher = scratch.root().join("launcher");
    copy_classes(&compiled, &launcher)?;
    let mut classpath =
        vec![launcher, test_classes(&ctx.project), ctx.project.classes.clone(), suite.platform.jar.clone()];
    classpath.extend(ctx.project.jars()?.into_iter().filter(|jar| jar != &suite.platform.jar));

    let idle = options.case_timeout() * 2 + Duration::from_secs(5);
    let mut ledger = Ledger::default();
    let mut exclude: Vec<String> = Vec::new();
    for _ in 0..MAX_RUNS {
        let request = LaunchRequest {
            nonce: nonce(),
            timeout: Some(options.case_timeout()),
            capture: CAPTURE.min(options.output_limit),
            classes: runnable.iter().map(|(class, _)| class.clone()).collect(),
            methods: runnable
                .iter()
                .flat_map(|(class, globs)| globs.iter().flatten().map(move |glob| (class.clone(), glob.clone())))
                .collect(),
            exclude: exclude.clone(),
        };
        let _ = std::fs::remove_file(scratch.oom_marker());
        let memory = options.heap_mib();
        let oom_command = format!(": > '{}'", scratch.oom_marker().display());
        let mut jvm_flags = vec![format!("-Xmx{memory}m"), format!("-XX:OnOutOfMemoryError={oom_command}")];
        jvm_flags.extend(CASE_JVM_FLAGS.iter().map(|f| f.to_string()));
        jvm_flags.push(format!("-Djava.io.tmpdir={}", scratch.tmp().display()));
        jvm_flags.extend(ctx.project.settings.java_args.iter().cloned());
        // Tests run in the project root, as build tools and IDEs run them,
        // so a test may read the project's files by relative path.
        let launch = Launch {
            classpath: &classpath,
            cwd: &ctx.project.root,
            jvm_flags: &jvm_flags,
            class: MAIN_CLASS,
            args: &[],
        };
        let mut java = java_command(jdk, &launch)?;
        java.environment(project.sandbox.case_environment(&scratch))
            .run_as(project.sandbox.user())
            .label(format!("{}: JUnit tests", project.label));
        ctx.status.command(&java.display_with_cwd(), "");
        // Every test's timeout, one stall, and the JVM's start.
        let tests = reporter.expected.max(ledger.known_tests()) as u32;
        let overall = options.case_timeout() * tests + idle + Duration::from_secs(30);
        let limits = Limits { timeout: overall, output: LAUNCHER_OUTPUT };
        let input = Text::Inline(request.render());
        let execution = execute_watched(&mut java, Stdin::Text(&input), &limits, Some(idle))?;
        let (events, stray) = events::parse(&execution.stdout, &request.nonce);
        // The JVM's notice before it runs the out-of-memory command is not a test's output.
        let stray = String::from_utf8_lossy(&without_oom_notice(stray.as_bytes(), &oom_command)).into_owned();
        let end = ledger.record(events);
        if end.done && end.crashed.is_none() {
            // JUnit listed them but never said how they went: not silently gone.
            ledger.decide_remaining(&Cause {
                verdict: Verdict::RuntimeError,
                message: "JUnit reported no result for this test".to_owned(),
                details: String::new(),
            });
            return Ok(ledger);
        }
        let cause = cause_of(&execution, &end, scratch.oom_marker().exists(), &stray, idle, options);
        if !ledger.has_plan() {
            ledger.never_planned = Some(cause);
            return Ok(ledger);
        }
        match end.open.last() {
            Some(culprit) if !execution.timed_out && !exclude.contains(culprit) => {
                let left_out = ledger.blame(culprit, &cause);
                exclude.push(left_out);
            }
            _ => ledger.decide_remaining(&cause),
        }
        if ledger.remaining().is_empty() {
            return Ok(ledger);
        }
    }
    ledger.decide_remaining(&Cause {
        verdict: Verdict::RuntimeError,
        message: format!("not run: the test JVM ended early {MAX_RUNS} times"),
        details: String::new(),
    });
    Ok(ledger)
}

/// Why a launcher JVM ended without finishing its run.
fn cause_of(
    execution: &Execution,
    end: &RunEnd,
    oom: bool,
    stray: &str,
    idle: Duration,
    options: &CheckOptions,
) -> Cause {
    let output = format!("{stray}{}", String::from_utf8_lossy(&execution.stderr));
    let output = tail(output.trim_end(), 10);
    let crashed = end.crashed.as_ref();
    let cause = |verdict, message: String, details: String| Cause { verdict, message, details };
    if execution.stalled {
        return cause(
            Verdict::Timeout,
            format!(
                "no progress for {:.0}s (JUnit's {:.1}s timeout could not stop it); the test JVM was killed",
                idle.as_secs_f64(),
                options.case_timeout().as_secs_f64()
            ),
            output,
        );
    }
    if execution.timed_out {
        return cause(
            Verdict::Timeout,
            format!("not finished when the test run reached its limit of {:.0}s", execution.wall.as_secs_f64()),
            output,
        );
    }
    if execution.output_exceeded {
        return cause(Verdict::OutputLimit, format!("printed more than {LAUNCHER_OUTPUT} bytes; stopped"), output);
    }
    if oom || crashed.is_some_and(|t| t.exception.as_deref() == Some("java.lang.OutOfMemoryError")) {
        return cause(Verdict::MemoryLimit, format!("ran out of memory (limit {} MiB)", options.heap_mib()), output);
    }
    if let Some(thrown) = crashed {
        return cause(Verdict::RuntimeError, thrown_message(thrown), tail(thrown.trace.as_deref().unwrap_or(""), 10));
    }
    if let Some(message) = jvm_start_failure(execution) {
        return cause(
            Verdict::RuntimeError,
            "the test JVM could not start (check --memory and --java-arg)".into(),
            message,
        );
    }
    match (execution.code, execution.signal) {
        (Some(code), _) => cause(
            Verdict::RuntimeError,
            format!("the test JVM exited with code {code} while this ran (System.exit?)"),
            output,
        ),
        (None, Some(signal)) => {
            cause(Verdict::RuntimeError, format!("the test JVM was killed by signal {signal}"), output)
        }
        (None, None) => cause(Verdict::RuntimeError, "the test JVM ended abnormally".into(), output),
    }
}

fn thrown_message(thrown: &Thrown) -> String {
    match (thrown.exception.as_deref(), thrown.message.as_deref()) {
        (Some(exception), Some(message)) => format!("{exception}: {message}"),
        (Some(exception), None) => exception.to_owned(),
        (None, _) => "the JUnit launcher failed".to_owned(),
    }
}

/// Turns outcomes into case results for one project's suite.
struct Reporter<'a> {
    project: &'a CheckProject,
    suite: &'a Suite,
    options: &'a CheckOptions,
    index: ProjectIndex,
    /// How many tests the sources declare in the selection.
    expected: usize,
    /// Rank of each class, and of each method within its class, in source order.
    class_rank: HashMap<String, usize>,
    method_rank: HashMap<(String, String), usize>,
}

impl<'a> Reporter<'a> {
    fn new(project: &'a CheckProject, suite: &'a Suite, options: &'a CheckOptions) -> Reporter<'a> {
        let mut index = ProjectIndex::default();
        for class in project.ctx.project.scan().classes() {
            index.files.insert(class.name, project.ctx.project.src.join(class.file));
        }
        let (mut class_rank, mut method_rank) = (HashMap::new(), HashMap::new());
        for file in &suite.files {
            for class in &file.declared.classes {
                let name = file.declared.qualified(class);
                if !name.contains('$') {
                    index.files.insert(name.clone(), file.absolute.clone());
                }
                class_rank.insert(name.clone(), class_rank.len());
                for (i, method) in class.methods.iter().enumerate() {
                    method_rank.insert((name.clone(), method.name.clone()), i);
                }
            }
        }
        let expected = suite.scanned_tests(|_| true).count();
        Reporter { project, suite, options, index, expected, class_rank, method_rank }
    }

    /// A result for `project` with the fields every test shares.
    fn result(&self, suite: String, name: String, file: &Path) -> CaseResult {
        CaseResult::new(&self.project.label, &suite, &name, relative(&self.project.ctx.cwd, file), None, None)
    }

    /// One result per test the sources of `files` declare, all with
    /// `cause` (disabled ones skipped): for tests that never ran.
    fn scanned(&self, files: impl Fn(&TestSource) -> bool, cause: &Cause) -> Vec<(Rank, CaseResult)> {
        self.suite
            .scanned_tests(files)
            .map(|(file, class_name, class, method)| {
                let rank = self.rank(&class_name, Some(&method.name), 0);
                let label = method.display_name.clone().unwrap_or_else(|| method.name.clone());
                let name = format!("{class_name}/{}", crate::check::cases::escape_name(std::ffi::OsStr::new(&label)));
                let mut result = self.result(class_name.clone(), name, &file.absolute);
                result.points = scanned_points(file, class, method);
                if method.disabled || class.disabled {
                    result.verdict = Verdict::Skipped;
                    result.message = "disabled".to_owned();
                } else {
                    result.verdict = cause.verdict;
                    result.message = cause.message.clone();
                    result.details = cause.details.clone();
                }
                (rank, result)
            })
            .collect()
    }

    /// One result per test JUnit reported, and one per class that failed
    /// after its tests ran.
    fn ledger(&self, ledger: &Ledger) -> Vec<(Rank, CaseResult)> {
        let mut results = Vec::new();
        for (seen, node, outcome) in ledger.results() {
            let (class, name) = ledger.name(node);
            let rank = self.rank(&class, ledger.method_node(node).method.as_deref(), seen);
            let source = self.suite.file_of(&class).map(|f| f.absolute.clone()).unwrap_or_default();
            let mut result = self.result(class, name, &source);
            match ledger.points(node) {
                Ok(points) => result.points = points,
                Err(bad) => {
                    result.verdict = Verdict::RuntimeError;
                    result.message = format!("@Tag(\"points={bad}\") is not a number of points");
                    results.push((rank, result));
                    continue;
                }
            }
            match outcome {
                Outcome::Finished { finished, inherited } => {
                    let (verdict, message) =
                        judge(finished, *inherited, self.options.heap_mib(), self.options.output_limit);
                    result.verdict = verdict;
                    result.time = time_of(finished);
                    result.stdout = with_rest(&finished.out, finished.out_bytes);
                    result.stderr = with_rest(&finished.err, finished.err_bytes);
                    if verdict.failed() {
                        self.explain(&mut result, &message, finished.thrown.trace.as_deref().unwrap_or(""));
                    } else {
                        result.message = message;
                    }
                }
                Outcome::Skipped(reason) => {
                    result.verdict = Verdict::Skipped;
                    result.message = reason.clone();
                }
                Outcome::Decided(cause) => {
                    result.verdict = cause.verdict;
                    result.message = cause.message.clone();
                    result.details = cause.details.clone();
                }
            }
            results.push((rank, result));
        }
        for (node, thrown) in &ledger.container_errors {
            let class = node.class.clone().unwrap_or_else(|| node.display.clone());
            let source = self.suite.file_of(&class).map(|f| f.absolute.clone()).unwrap_or_default();
            let mut result = self.result(class.clone(), format!("{class}/(class)"), &source);
            result.verdict = Verdict::RuntimeError;
            let message = format!("the test class failed after its tests ran: {}", thrown_message(thrown));
            self.explain(&mut result, &message, thrown.trace.as_deref().unwrap_or(""));
            results.push((self.rank(&class, None, usize::MAX), result));
        }
        results
    }

    /// Sets a failure's message, the trace's frames in the project's own
    /// classes, and the file and line where it failed.
    fn explain(&self, result: &mut CaseResult, message: &str, trace: &str) {
        let (first, rest) = message.split_once('\n').unwrap_or((message, ""));
        result.message = first.to_owned();
        let (frames, location) = project_frames(trace, &self.index);
        result.details =
            [rest.trim_end(), frames.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("\n");
        if let Some((file, line)) = location {
            result.file = relative(&self.project.ctx.cwd, &file);
            result.line = Some(line);
        }
    }

    fn rank(&self, class: &str, method: Option<&str>, seen: usize) -> Rank {
        let method = method.and_then(|m| self.method_rank.get(&(class.to_owned(), m.to_owned())));
        (self.class_rank.get(class).copied().unwrap_or(usize::MAX), method.copied().unwrap_or(usize::MAX), seen)
    }
}

/// The points of a scanned test: its own tag, else its class's, else an
/// enclosing class's.
fn scanned_points(file: &TestSource, class: &TestClass, method: &TestMethod) -> Option<f64> {
    if let Some(points) = &method.points {
        return parse_points(points);
    }
    let mut name = Some(class.name.as_str());
    while let Some(current) = name {
        if let Some(points) = file.declared.classes.iter().find(|c| c.name == current).and_then(|c| c.points.as_ref()) {
            return parse_points(points);
        }
        name = current.rsplit_once('$').map(|(outer, _)| outer);
    }
    None
}

/// Captured output, saying how much more there was.
fn with_rest(kept: &str, total: u64) -> String {
    let more = total.saturating_sub(kept.len() as u64);
    if more > 0 { format!("{kept}\n... ({more} more bytes not kept)") } else { kept.to_owned() }
}
