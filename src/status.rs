//! Cargo-style status lines on stderr (`   Compiling ...`, `       Fresh ...`),
//! never on stdout, which belongs to the user's program.

use std::io::{IsTerminal, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

#[derive(Debug, Clone, Copy)]
pub struct Status {
    pub verbosity: Verbosity,
    color: bool,
}

impl Status {
    pub fn new(verbosity: Verbosity) -> Status {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Status { verbosity, color }
    }

    /// `   Compiling 2 files (javac 17.0.15)`, with the verb right-aligned.
    pub fn line(&self, verb: &str, message: impl std::fmt::Display) {
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        let verb = if self.color { format!("\x1b[1;32m{verb:>12}\x1b[0m") } else { format!("{verb:>12}") };
        let _ = writeln!(std::io::stderr().lock(), "{verb} {message}");
    }

    /// A command line, shown only with `--verbose`; `note` says where it runs.
    pub fn command(&self, line: &str, note: &str) {
        if self.verbosity == Verbosity::Verbose {
            self.line("Running", format_args!("`{line}`{note}"));
        }
    }

    /// An error that does not stop the whole command (one project of many).
    pub fn error(&self, error: &anyhow::Error) {
        let label = if self.color { "\x1b[1;31merror\x1b[0m" } else { "error" };
        let _ = writeln!(std::io::stderr().lock(), "jbuild: {label}: {error:#}");
    }

    pub fn warning(&self, message: impl std::fmt::Display) {
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        let label = if self.color { "\x1b[1;33mwarning\x1b[0m" } else { "warning" };
        let _ = writeln!(std::io::stderr().lock(), "jbuild: {label}: {message}");
    }
}
