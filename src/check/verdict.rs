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
}

fn seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64((duration.as_secs_f64() * 1000.0).round() / 1000.0)
}
