//! Verdicts and the result of one case.

use std::time::Duration;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    WrongOutput,
    /// A JUnit assertion failed.
    AssertionFailed,
    RuntimeError,
    Timeout,
    MemoryLimit,
    OutputLimit,
    CompileError,
    /// The project or case is misconfigured (a bad jbuild.toml, a stray
    /// `.in`, no main class): nothing ran.
    ConfigError,
    /// A disabled test, or one whose assumption did not hold: counted
    /// neither as passed nor as failed, and worth no points either way.
    Skipped,
}

impl Verdict {
    pub fn passed(self) -> bool {
        self == Verdict::Pass
    }

    /// Whether the case counts as failed (neither passed nor skipped).
    pub fn failed(self) -> bool {
        !matches!(self, Verdict::Pass | Verdict::Skipped)
    }

    /// Fixed-width label for the terminal.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::WrongOutput | Verdict::AssertionFailed => "WRONG",
            Verdict::RuntimeError => "ERROR",
            Verdict::Timeout => "TIMEOUT",
            Verdict::MemoryLimit => "MEMORY",
            Verdict::OutputLimit => "OUTPUT",
            Verdict::CompileError => "COMPILE",
            Verdict::ConfigError => "CONFIG",
            Verdict::Skipped => "SKIP",
        }
    }

    /// A sentence for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Pass => "passed",
            Verdict::WrongOutput => "wrong output",
            Verdict::AssertionFailed => "assertion failed",
            Verdict::RuntimeError => "runtime error",
            Verdict::Timeout => "time limit exceeded",
            Verdict::MemoryLimit => "memory limit exceeded",
            Verdict::OutputLimit => "output limit exceeded",
            Verdict::CompileError => "compile error",
            Verdict::ConfigError => "configuration error",
            Verdict::Skipped => "skipped",
        }
    }
}

/// One case's outcome, as every report sees it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// The project folder, relative to where jbuild ran.
    pub project: String,
    pub suite: String,
    pub name: String,
    pub verdict: Verdict,
    /// Why it failed, in one line (`exit code 1, expected 0`, ...).
    pub message: String,
    /// Expected-vs-actual diff, javac diagnostics, or stderr tail.
    pub details: String,
    #[serde(serialize_with = "seconds")]
    pub time: Duration,
    #[serde(serialize_with = "seconds")]
    pub cpu_time: Duration,
    pub stdout: String,
    pub stderr: String,
    /// The file that defines the case, relative to where jbuild ran.
    pub file: String,
    pub line: Option<usize>,
    pub points: Option<f64>,
    /// Its details are never shown (see `check::hidden`).
    pub hidden: bool,
    /// The `[[group]]` it is scored in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The fraction of its points a checker awarded (`points X`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<f64>,
    /// The expected-output file `--bless` wrote for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blessed: Option<String>,
}

fn seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64((duration.as_secs_f64() * 1000.0).round() / 1000.0)
}

impl CaseResult {
    /// A result not yet run: a pass until told otherwise.
    pub fn new(
        project: &str,
        suite: &str,
        name: &str,
        file: String,
        line: Option<usize>,
        points: Option<f64>,
    ) -> CaseResult {
        CaseResult {
            project: project.to_owned(),
            suite: suite.to_owned(),
            name: name.to_owned(),
            verdict: Verdict::Pass,
            message: String::new(),
            details: String::new(),
            time: Duration::ZERO,
            cpu_time: Duration::ZERO,
            stdout: String::new(),
            stderr: String::new(),
            file,
            line,
            points,
            hidden: false,
            group: None,
            credit: None,
            blessed: None,
        }
    }

    /// The fraction of its points it earned: what a checker awarded, else
    /// all for a pass and none for a failure.
    pub fn fraction(&self) -> f64 {
        self.credit.unwrap_or(if self.verdict.passed() { 1.0 } else { 0.0 })
    }

    /// Records what the program did and the verdict on it.
    pub fn record(&mut self, execution: &super::runner::Execution, verdict: Verdict, message: String, details: String) {
        self.time = execution.wall;
        self.cpu_time = execution.cpu;
        self.stdout = String::from_utf8_lossy(&execution.stdout).into_owned();
        self.stderr = String::from_utf8_lossy(&execution.stderr).into_owned();
        self.verdict = verdict;
        self.message = message;
        self.details = details;
    }
}
