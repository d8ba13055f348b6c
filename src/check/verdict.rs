//! Verdicts and the result of one case.

use std::time::Duration;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    WrongOutput,
    RuntimeError,
    Timeout,
    MemoryLimit,
    OutputLimit,
    CompileError,
}

impl Verdict {
    pub fn passed(self) -> bool {
        self == Verdict::Pass
    }

    /// Fixed-width label for the terminal.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::WrongOutput => "WRONG",
            Verdict::RuntimeError => "ERROR",
            Verdict::Timeout => "TIMEOUT",
            Verdict::MemoryLimit => "MEMORY",
            Verdict::OutputLimit => "OUTPUT",
            Verdict::CompileError => "COMPILE",
        }
    }

    /// A sentence for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Pass => "passed",
            Verdict::WrongOutput => "wrong output",
            Verdict::RuntimeError => "runtime error",
            Verdict::Timeout => "time limit exceeded",
            Verdict::MemoryLimit => "memory limit exceeded",
            Verdict::OutputLimit => "output limit exceeded",
            Verdict::CompileError => "compile error",
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
