//! The terminal: cargo-style status lines on stderr (`   Compiling ...`),
//! colours for both streams, and how paths are shown to the user.
//!
//! stdout belongs to the user's program (and to reports); everything jbuild
//! says about its own work goes to stderr. Colour is decided once, here:
//! `--color always|never`, else `NO_COLOR` (off), else `CLICOLOR_FORCE`
//! (on), else on when the stream is a terminal.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anstyle::{AnsiColor, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

pub const GOOD: Style = AnsiColor::Green.on_default().bold();
pub const BAD: Style = AnsiColor::Red.on_default().bold();
pub const WARN: Style = AnsiColor::Yellow.on_default().bold();

/// How jbuild talks to the user. Cheap to copy; every command gets one.
#[derive(Debug, Clone, Copy)]
pub struct Status {
    pub verbosity: Verbosity,
    stderr_color: bool,
    stdout_color: bool,
}

impl Status {
    pub fn new(verbosity: Verbosity, choice: ColorChoice) -> Status {
        let env = crate::env::get();
        let decide = |is_terminal: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !env.no_color && (env.clicolor_force || is_terminal),
        };
        Status {
            verbosity,
            stderr_color: decide(std::io::stderr().is_terminal()),
            stdout_color: decide(std::io::stdout().is_terminal()),
        }
    }

    /// Whether reports on stdout may use colour.
    pub fn stdout_color(&self) -> bool {
        self.stdout_color
    }

    /// `text` in `style` when stdout has colour.
    pub fn paint_stdout(&self, style: Style, text: &str) -> String {
        paint(self.stdout_color, style, text)
    }

    pub fn is_verbose(&self) -> bool {
        self.verbosity == Verbosity::Verbose
    }

    /// `   Compiling 2 files (javac 17.0.15)`, with the verb right-aligned.
    pub fn line(&self, verb: &str, message: impl std::fmt::Display) {
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        let verb = paint(self.stderr_color, GOOD, &format!("{verb:>12}"));
        stderr_line(format!("{verb} {}\n", drawn(&message.to_string())));
    }

    /// A command line, shown only with `--verbose`; `note` says where it runs.
    pub fn command(&self, line: &str, note: &str) {
        if self.is_verbose() {
            self.line("Running", format_args!("`{line}`{note}"));
        }
    }

    /// An error that does not stop the whole command (one project of many).
    pub fn error(&self, error: &anyhow::Error) {
        let label = paint(self.stderr_color, BAD, "error");
        stderr_line(format!("jbuild: {label}: {}\n", drawn(&format!("{error:#}"))));
    }

    pub fn warning(&self, message: impl std::fmt::Display) {
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        let label = paint(self.stderr_color, WARN, "warning");
        stderr_line(format!("jbuild: {label}: {}\n", drawn(&message.to_string())));
    }
}

/// Text from a repository (file names, a Classroom command) as a status
/// line shows it: control characters drawn as their pictures (`␛`, `␍`), so
/// a file name cannot recolour, erase or rewrite the terminal. Line breaks
/// and tabs stay.
pub fn drawn(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            '\u{7f}' => '␡',
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
            c if c.is_control() => '�',
            c => c,
        })
        .collect()
}

/// One status line in one write: stderr is unbuffered, and a line written
/// in pieces can be cut by the report on stdout when CI merges the two
/// (GitHub reads `::group::` only at the start of a line).
fn stderr_line(line: String) {
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

fn paint(color: bool, style: Style, text: &str) -> String {
    if color { format!("{style}{text}{style:#}") } else { text.to_owned() }
}

/// `path` as the user standing in `cwd` would type it: relative when it is
/// below `cwd` (`.` for `cwd` itself), absolute otherwise.
pub fn relative(cwd: &Path, path: &Path) -> String {
    match path.strip_prefix(cwd) {
        Ok(relative) if relative.as_os_str().is_empty() => ".".to_owned(),
        Ok(relative) => relative.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

/// `1 file`, `2 files`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// Quotes for display, POSIX-shell style, leaving plain words bare: a path
/// in a command jbuild suggests is pasted safely.
pub fn shell_quote(arg: &std::ffi::OsStr) -> String {
    let text = arg.to_string_lossy();
    let plain = !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain { text.into_owned() } else { format!("'{}'", text.replace('\'', r"'\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_paths() {
        assert_eq!(count(1, "file"), "1 file");
        assert_eq!(count(0, "file"), "0 files");
        assert_eq!(relative(Path::new("/a"), Path::new("/a/b/c")), "b/c");
        assert_eq!(relative(Path::new("/a"), Path::new("/a")), ".");
        assert_eq!(relative(Path::new("/a"), Path::new("/x")), "/x");
    }
}

#[cfg(test)]
mod drawn_tests {
    #[test]
    fn control_characters_from_a_repository_are_drawn() {
        assert_eq!(super::drawn("a\u{1b}[2Kb\rc\nd\te"), "a␛[2Kb␍c\nd\te");
        assert_eq!(super::drawn("plain"), "plain");
        assert_eq!(super::shell_quote(std::ffi::OsStr::new("Q;touch x;#.java")), "'Q;touch x;#.java'");
    }
}
