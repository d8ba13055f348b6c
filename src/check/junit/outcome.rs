//! What the launcher reported, kept across the JVMs of one suite run (a
//! test that ends the JVM is blamed and the rest run again in a fresh one),
//! and how each test's outcome becomes a verdict.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use crate::check::verdict::Verdict;
use crate::toolchain::junit::events::{Event, Finished, Node, Status, Thrown};

/// How one test ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// As the launcher reported it; `inherited` when it is its container's
    /// (a failing `@BeforeAll` fails the class's tests).
    Finished {
        finished: Finished,
        inherited: bool,
    },
    Skipped(String),
    /// Decided by jbuild: the JVM ended or was stopped during it.
    Decided(Cause),
}

/// Why jbuild decided a test's verdict itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    pub verdict: Verdict,
    pub message: String,
    pub details: String,
}

/// Every node and outcome seen so far.
#[derive(Debug, Default)]
pub struct Ledger {
    nodes: HashMap<String, Node>,
    /// Test ids, in the order first seen.
    tests: Vec<String>,
    outcomes: HashMap<String, Outcome>,
    /// Nodes of a test plan (not registered while running).
    planned: HashSet<String>,
    /// Containers that failed after their tests had run (an `@AfterAll`
    /// that threw): reported as one more error case each.
    pub container_errors: Vec<(Node, Thrown)>,
    /// Why the JVM ended before JUnit listed any test.
    pub never_planned: Option<Cause>,
}

/// How one JVM's run of the launcher ended.
#[derive(Debug, Default)]
pub struct RunEnd {
    pub done: bool,
    pub crashed: Option<Thrown>,
    /// Nodes started and not finished, outermost first.
    pub open: Vec<String>,
}

impl Ledger {
    /// Takes in one run's events.
    pub fn record(&mut self, events: Vec<Event>) -> RunEnd {
        let mut end = RunEnd::default();
        let mut running = false;
        for event in events {
            match event {
                Event::Node(node) => {
                    if !running {
                        self.planned.insert(node.id.clone());
                    }
                    if node.test && !self.nodes.contains_key(&node.id) {
                        self.tests.push(node.id.clone());
                    }
                    self.nodes.insert(node.id.clone(), node);
                }
                Event::Started { id } => {
                    running = true;
                    end.open.push(id);
                }
                Event::Skipped { id, reason } => {
                    let reason = reason.filter(|r| !r.is_empty()).unwrap_or_else(|| "disabled".to_owned());
                    for test in self.tests_under(&id) {
                        self.outcomes.entry(test).or_insert_with(|| Outcome::Skipped(reason.clone()));
                    }
                }
                Event::Finished(finished) => {
                    end.open.retain(|open| open != &finished.id);
                    self.finish(finished);
                }
                Event::Crashed(thrown) => end.crashed = Some(thrown),
                Event::Done => end.done = true,
            }
        }
        end
    }

    fn finish(&mut self, finished: Finished) {
        let Some(node) = self.nodes.get(&finished.id).cloned() else { return };
        if node.test {
            self.outcomes.insert(finished.id.clone(), Outcome::Finished { finished, inherited: false });
            return;
        }
        if finished.status == Status::Passed {
            return;
        }
        let waiting: Vec<String> =
            self.tests_under(&node.id).into_iter().filter(|t| !self.outcomes.contains_key(t)).collect();
        if waiting.is_empty() {
            if finished.status == Status::Failed {
                self.container_errors.push((node, finished.thrown));
            }
            return;
        }
        for test in waiting {
            let inherited = Finished { id: test.clone(), ms: 0, ..finished.clone() };
            self.outcomes.insert(test, Outcome::Finished { finished: inherited, inherited: true });
        }
    }

    /// The tests at or below `id` that are known so far.
    pub fn tests_under(&self, id: &str) -> Vec<String> {
        self.tests.iter().filter(|test| self.is_at_or_below(test, id)).cloned().collect()
    }

    fn is_at_or_below(&self, node: &str, ancestor: &str) -> bool {
        let mut current = Some(node);
        while let Some(id) = current {
            if id == ancestor {
                return true;
            }
            current = self.nodes.get(id).and_then(|n| n.parent.as_deref());
        }
        false
    }

    /// Whether any test plan was reported.
    pub fn has_plan(&self) -> bool {
        !self.planned.is_empty()
    }

    /// Known tests without an outcome.
    pub fn remaining(&self) -> Vec<String> {
        self.tests.iter().filter(|t| !self.outcomes.contains_key(*t)).cloned().collect()
    }

    pub fn known_tests(&self) -> usize {
        self.tests.len()
    }

    /// Blames `culprit` (the innermost node running when the JVM ended):
    /// its tests without an outcome get `cause`. Returns the node to leave
    /// out of the next run: the culprit, or for a dynamic test (which
    /// JUnit cannot leave out) the planned node it came from, whose other
    /// unfinished tests are then not run.
    pub fn blame(&mut self, culprit: &str, cause: &Cause) -> String {
        for test in self.tests_under(culprit) {
            self.outcomes.entry(test).or_insert_with(|| Outcome::Decided(cause.clone()));
        }
        let mut excluded = culprit.to_owned();
        while !self.planned.contains(&excluded) {
            match self.nodes.get(&excluded).and_then(|n| n.parent.clone()) {
                Some(parent) => excluded = parent,
                None => break,
            }
        }
        if excluded != culprit {
            let culprit_name = self.nodes.get(culprit).map_or(culprit, |n| n.display.as_str()).to_owned();
            let not_run = Cause {
                verdict: Verdict::RuntimeError,
                message: format!("not run: the test JVM ended during `{culprit_name}` ({})", cause.message),
                details: String::new(),
            };
            for test in self.tests_under(&excluded) {
                self.outcomes.entry(test).or_insert_with(|| Outcome::Decided(not_run.clone()));
            }
        }
        excluded
    }

    /// Gives every remaining test `cause`.
    pub fn decide_remaining(&mut self, cause: &Cause) {
        for test in self.remaining() {
            self.outcomes.insert(test, Outcome::Decided(cause.clone()));
        }
    }

    /// Every known test with its outcome (tests without one are left out).
    pub fn results(&self) -> impl Iterator<Item = (usize, &Node, &Outcome)> {
        self.tests.iter().enumerate().filter_map(|(seen, id)| Some((seen, self.nodes.get(id)?, self.outcomes.get(id)?)))
    }

    /// The node a test's points and name belong to: the outermost of its
    /// ancestors (itself included) that is a method (a parameterized test's
    /// template, a factory of dynamic tests, or the test itself).
    pub fn method_node<'a>(&'a self, test: &'a Node) -> &'a Node {
        let mut found = test;
        let mut current = Some(test);
        while let Some(node) = current {
            if node.method.is_some() {
                found = node;
            } else if found.method.is_some() {
                break;
            }
            current = node.parent.as_deref().and_then(|p| self.nodes.get(p));
        }
        found
    }

    /// `<class>/<method or display name>[/<invocation>...]` and the class.
    pub fn name(&self, test: &Node) -> (String, String) {
        let method_node = self.method_node(test);
        let class = method_node.class.clone().or_else(|| test.class.clone()).unwrap_or_else(|| "?".to_owned());
        let label = match &method_node.method {
            Some(method)
                if !method_node.display.starts_with(&format!("{method}(")) && method_node.display != *method =>
            {
                method_node.display.clone()
            }
            Some(method) => method.clone(),
            None => test.legacy.clone(),
        };
        let mut parts = Vec::new();
        let mut current = Some(test);
        while let Some(node) = current.filter(|n| n.id != method_node.id) {
            parts.push(node.display.clone());
            current = node.parent.as_deref().and_then(|p| self.nodes.get(p));
        }
        parts.push(label);
        parts.reverse();
        let name = format!("{class}/{}", parts.iter().map(|p| escape(p)).collect::<Vec<_>>().join("/"));
        (class, name)
    }

    /// The points of `test`: its method node's points, shared equally among
    /// the tests of that node (the invocations of a parameterized test).
    /// `Err` holds a tag that is not a number.
    pub fn points(&self, test: &Node) -> Result<Option<f64>, String> {
        let method_node = self.method_node(test);
        let Some(text) = &method_node.points else { return Ok(None) };
        let points = super::parse_points(text).ok_or_else(|| text.clone())?;
        let shares = self.tests_under(&method_node.id).len().max(1);
        Ok(Some(points / shares as f64))
    }
}

/// A test name part on one line, control characters escaped.
fn escape(text: &str) -> String {
    crate::check::cases::escape_name(std::ffi::OsStr::new(text))
}

/// What a finished test gives: verdict, message and the thrown trace.
pub fn judge(finished: &Finished, inherited: bool, memory_mib: u64, output_limit: usize) -> (Verdict, String) {
    let thrown = &finished.thrown;
    let exception = thrown.exception.as_deref().unwrap_or("");
    let message = thrown.message.as_deref().unwrap_or("");
    let (verdict, text) = match finished.status {
        Status::Passed if (finished.out_bytes + finished.err_bytes) as usize > output_limit => {
            (Verdict::OutputLimit, format!("printed more than {output_limit} bytes"))
        }
        Status::Passed => (Verdict::Pass, String::new()),
        Status::Aborted => {
            let why = if message.is_empty() { "an assumption did not hold".to_owned() } else { message.to_owned() };
            (Verdict::Skipped, format!("assumption not met: {why}"))
        }
        Status::Failed if is_timeout(thrown) => {
            (Verdict::Timeout, if message.is_empty() { "timed out".to_owned() } else { message.to_owned() })
        }
        Status::Failed if exception == "java.lang.OutOfMemoryError" => {
            (Verdict::MemoryLimit, format!("ran out of memory (limit {memory_mib} MiB)"))
        }
        Status::Failed if thrown.assertion => (
            Verdict::AssertionFailed,
            if message.is_empty() { "assertion failed".to_owned() } else { message.to_owned() },
        ),
        Status::Failed if message.is_empty() => (Verdict::RuntimeError, exception.to_owned()),
        Status::Failed => (Verdict::RuntimeError, format!("{exception}: {message}")),
    };
    if inherited && verdict.failed() {
        return (verdict, format!("the test class failed before this test ran: {text}"));
    }
    (verdict, text)
}

/// JUnit 5's timeout (`TimeoutException: x() timed out after ...`, or
/// `assertTimeoutPreemptively`'s) and JUnit 4's `@Test(timeout = ...)`.
fn is_timeout(thrown: &Thrown) -> bool {
    let exception = thrown.exception.as_deref().unwrap_or("");
    let message = thrown.message.as_deref().unwrap_or("");
    (exception == "java.util.concurrent.TimeoutException" && message.contains("timed out after"))
        || exception == "org.junit.runners.model.TestTimedOutException"
        || (thrown.assertion
            && (message.starts_with("execution timed out after") || message.starts_with("execution exceeded timeout")))
}

/// Where a project's classes come from: top-level class name → source file.
#[derive(Debug, Default)]
pub struct ProjectIndex {
    pub files: HashMap<String, PathBuf>,
}

/// A trace's lines that matter to a student: the frames in the project's
/// own classes (and each `Caused by:` line with its own), plus the first
/// such frame's file and line.
pub fn project_frames(trace: &str, index: &ProjectIndex) -> (String, Option<(PathBuf, usize)>) {
    const PER_SECTION: usize = 6;
    let mut kept = Vec::new();
    let mut location = None;
    let mut in_section = 0;
    let mut first_section = true;
    for line in trace.lines().skip(1) {
        let trimmed = line.trim_start();
        if trimmed.starts_with("Caused by:") {
            kept.push(trimmed.to_owned());
            in_section = 0;
            first_section = false;
            continue;
        }
        let Some(frame) = trimmed.strip_prefix("at ") else { continue };
        let Some((file, number)) = frame_location(frame, index) else { continue };
        in_section += 1;
        if in_section <= PER_SECTION {
            // `app//calc.Calc.div(...)`: the class loader and module say
            // nothing about the project's own classes.
            kept.push(format!("at {}", frame.rsplit_once("//").map_or(frame, |(_, f)| f)));
        } else if in_section == PER_SECTION + 1 {
            kept.push("...".to_owned());
        }
        if location.is_none() && first_section {
            location = Some((file, number));
        }
    }
    if kept.iter().all(|l| l.starts_with("Caused by:")) {
        // Nothing of the project's: the top of the trace still says where.
        let top: Vec<&str> = trace.lines().skip(1).take(3).map(str::trim_start).collect();
        kept.splice(0..0, top.into_iter().map(str::to_owned));
    }
    (kept.join("\n"), location)
}

/// The source file and line of a frame `[module/]pkg.Class$Inner.method(File.java:12)`
/// when its class is one of the project's.
fn frame_location(frame: &str, index: &ProjectIndex) -> Option<(PathBuf, usize)> {
    let (callee, place) = frame.split_once('(')?;
    let callee = callee.rsplit_once('/').map_or(callee, |(_, c)| c);
    let (class, _) = callee.rsplit_once('.')?;
    let top = class.split('$').next().unwrap_or(class);
    let file = index.files.get(top)?;
    let number = place.trim_end_matches(')').rsplit_once(':').and_then(|(_, n)| n.parse().ok())?;
    Some((file.clone(), number))
}

/// A test's time from its event.
pub fn time_of(finished: &Finished) -> Duration {
    Duration::from_millis(finished.ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toolchain::junit::events::parse;

    fn node(
        id: &str,
        parent: Option<&str>,
        test: bool,
        method: Option<&str>,
        display: &str,
        points: Option<&str>,
    ) -> String {
        serde_json::json!({"e": "node", "id": id, "parent": parent, "test": test, "class": "calc.CalcTest",
            "method": method, "params": "", "display": display, "legacy": display, "points": points, "order": 0})
        .to_string()
    }

    fn recorded(lines: &[String]) -> (Ledger, RunEnd) {
        let text: String = lines.iter().map(|l| format!("@@n {l}\n")).collect();
        let mut ledger = Ledger::default();
        let end = ledger.record(parse(text.as_bytes(), "n").0);
        (ledger, end)
    }

    fn plan() -> Vec<String> {
        vec![
            node("e", None, false, None, "JUnit Jupiter", None),
            node("c", Some("e"), false, None, "CalcTest", None),
            node("c/add", Some("c"), true, Some("add"), "add()", Some("2")),
            node("c/p", Some("c"), false, Some("param"), "squares", Some("3")),
        ]
    }

    #[test]
    fn names_and_shared_points() {
        let mut lines = plan();
        lines.push(node("c/p/1", Some("c/p"), true, Some("param"), "[1] 1", Some("3")));
        lines.push(node("c/p/2", Some("c/p"), true, Some("param"), "[2] 2", Some("3")));
        let (ledger, _) = recorded(&lines);
        let add = &ledger.nodes["c/add"];
        assert_eq!(ledger.name(add), ("calc.CalcTest".into(), "calc.CalcTest/add".into()));
        assert_eq!(ledger.points(add), Ok(Some(2.0)));
        let second = &ledger.nodes["c/p/2"];
        assert_eq!(ledger.name(second).1, "calc.CalcTest/squares/[2] 2");
        assert_eq!(ledger.points(second), Ok(Some(1.5)));
    }

    #[test]
    fn a_failed_container_fails_its_waiting_tests_and_a_late_failure_is_its_own_case() {
        let mut lines = plan();
        lines.push(r#"{"e":"started","id":"c"}"#.into());
        lines.push(r#"{"e":"finished","id":"c","status":"failed","exception":"java.lang.IllegalStateException","message":"setup broke","ms":1}"#.into());
        let (ledger, end) = recorded(&lines);
        assert!(end.open.is_empty() && !end.done);
        let (_, _, outcome) = ledger.results().find(|(_, n, _)| n.id == "c/add").unwrap();
        match outcome {
            Outcome::Finished { finished, inherited: true } => {
                assert_eq!(
                    judge(finished, true, 256, 1 << 20).1,
                    "the test class failed before this test ran: java.lang.IllegalStateException: setup broke"
                )
            }
            other => panic!("{other:?}"),
        }
        let mut late = plan();
        late.push(r#"{"e":"finished","id":"c/add","status":"passed","ms":1}"#.into());
        late.push(r#"{"e":"finished","id":"c","status":"failed","exception":"java.lang.RuntimeException","message":"after all","ms":1}"#.into());
        let (ledger, _) = recorded(&late);
        assert_eq!(ledger.container_errors.len(), 1);
    }

    #[test]
    fn blaming_a_dynamic_test_leaves_out_its_planned_parent() {
        let mut lines = plan();
        lines.push(r#"{"e":"started","id":"c"}"#.into());
        lines.push(r#"{"e":"started","id":"c/p"}"#.into());
        lines.push(node("c/p/1", Some("c/p"), true, Some("param"), "[1] 1", None));
        lines.push(r#"{"e":"started","id":"c/p/1"}"#.into());
        let (mut ledger, end) = recorded(&lines);
        assert_eq!(end.open.last().map(String::as_str), Some("c/p/1"));
        let cause = Cause {
            verdict: Verdict::RuntimeError,
            message: "the test JVM exited with code 3".into(),
            details: String::new(),
        };
        assert_eq!(ledger.blame("c/p/1", &cause), "c/p");
        assert_eq!(ledger.remaining(), ["c/add"]);
    }

    #[test]
    fn verdicts_from_what_was_thrown() {
        let finished = |status: &str, exception: &str, assertion: bool, message: &str| -> Finished {
            serde_json::from_value(serde_json::json!({"id": "t", "status": status, "exception": exception,
                "assertion": assertion, "message": message, "ms": 5}))
            .unwrap()
        };
        let verdict = |f: Finished| judge(&f, false, 64, 100);
        assert_eq!(
            verdict(finished("failed", "org.opentest4j.AssertionFailedError", true, "expected: <6> but was: <5>")),
            (Verdict::AssertionFailed, "expected: <6> but was: <5>".into())
        );
        assert_eq!(
            verdict(finished("failed", "java.lang.ArithmeticException", false, "/ by zero")),
            (Verdict::RuntimeError, "java.lang.ArithmeticException: / by zero".into())
        );
        assert_eq!(
            verdict(finished(
                "failed",
                "java.util.concurrent.TimeoutException",
                false,
                "spin() timed out after 1 second"
            ))
            .0,
            Verdict::Timeout
        );
        assert_eq!(
            verdict(finished("failed", "java.lang.OutOfMemoryError", false, "Java heap space")),
            (Verdict::MemoryLimit, "ran out of memory (limit 64 MiB)".into())
        );
        assert_eq!(
            verdict(finished("aborted", "org.opentest4j.TestAbortedException", false, "not on CI")),
            (Verdict::Skipped, "assumption not met: not on CI".into())
        );
        let mut loud = finished("passed", "", false, "");
        loud.out_bytes = 101;
        assert_eq!(verdict(loud).0, Verdict::OutputLimit);
    }

    #[test]
    fn only_project_frames_are_kept() {
        let index = ProjectIndex {
            files: HashMap::from([
                ("calc.CalcTest".into(), PathBuf::from("/p/test/calc/CalcTest.java")),
                ("calc.Calc".into(), PathBuf::from("/p/src/calc/Calc.java")),
            ]),
        };
        let trace = "java.lang.IllegalStateException: boom\n\tat app//calc.Calc.div(Calc.java:7)\n\tat calc.CalcTest.lambda$x$0(CalcTest.java:12)\n\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1511)\n\tat org.junit.Foo.bar(Foo.java:1)\nCaused by: java.lang.RuntimeException: inner\n\tat calc.Calc$Helper.run(Calc.java:20)\n\t... 3 more\n";
        let (details, location) = project_frames(trace, &index);
        assert_eq!(
            details,
            "at calc.Calc.div(Calc.java:7)\nat calc.CalcTest.lambda$x$0(CalcTest.java:12)\nCaused by: java.lang.RuntimeException: inner\nat calc.Calc$Helper.run(Calc.java:20)"
        );
        assert_eq!(location, Some((PathBuf::from("/p/src/calc/Calc.java"), 7)));
        let (foreign, none) = project_frames("java.lang.Error: x\n\tat a.B.c(B.java:1)\n", &index);
        assert_eq!((foreign.as_str(), none), ("at a.B.c(B.java:1)", None));
    }
}
