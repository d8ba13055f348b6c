//! Exit codes and the one error kind callers branch on.
//!
//! Everything else is an `anyhow::Error` with context; `UsageError` marks the
//! mistakes that are the caller's to fix (a bad flag, a missing file, no JDK)
//! so they exit 2 instead of 1.

use std::fmt;
use std::process::ExitCode;

/// How jbuild ends. Documented in the README's "Exit codes" table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: everything worked.
    Success,
    /// 1: a build or check failed (javac errors, a failing case, I/O errors).
    Failure,
    /// 2: usage or configuration error.
    Usage,
    /// The exit code of a program jbuild ran for the user (`jbuild run`),
    /// or 128+n when it died of signal n.
    Child(i32),
}

impl ExitStatus {
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Child(code) => code,
        }
    }

    /// The status for an error: `Usage` if any cause in its chain is a
    /// `UsageError`, else `Failure`.
    pub fn of_error(error: &anyhow::Error) -> ExitStatus {
        if error.chain().any(|cause| cause.is::<UsageError>()) { ExitStatus::Usage } else { ExitStatus::Failure }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code().clamp(0, 255) as u8)
    }
}

/// A mistake in how jbuild was called or configured.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Builds an `anyhow::Error` that exits with code 2.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    UsageError(message.into()).into()
}
