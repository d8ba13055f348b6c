//! The one place that spawns javac and java.
//!
//! A `ToolCommand` knows its full command line for `--verbose` and error
//! messages, clears the environment that would leak into a build, moves long
//! argument lists into an `@argfile`, and maps exit statuses (signals
//! included) to jbuild's exit codes.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus as ProcessStatus, Stdio};

use anyhow::{Context, Result};

use crate::error::ExitStatus;

/// Variables that silently change what javac/java do; jbuild's classpath and
/// options come from the project instead.
const LEAKY_ENV: &[&str] = &["CLASSPATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"];

/// Past this many bytes of arguments, javac gets them through an `@argfile`
/// (Linux caps one exec at a few MiB, Windows at 32 KiB).
const ARGFILE_THRESHOLD: usize = 24 * 1024;

#[derive(Debug, Clone)]
pub struct ToolCommand {
    program: PathBuf,
    args: Vec<OsString>,
    cwd: Option<PathBuf>,
}

impl ToolCommand {
    pub fn new(program: impl Into<PathBuf>) -> ToolCommand {
        ToolCommand { program: program.into(), args: Vec::new(), cwd: None }
    }

    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut ToolCommand {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&mut self, args: I) -> &mut ToolCommand {
        self.args.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    pub fn current_dir(&mut self, dir: impl Into<PathBuf>) -> &mut ToolCommand {
        self.cwd = Some(dir.into());
        self
    }

    pub fn program(&self) -> &Path {
        &self.program
    }

    pub fn arguments(&self) -> &[OsString] {
        &self.args
    }

    pub fn cwd(&self) -> Option<&Path> {
        self.cwd.as_deref()
    }

    /// The command line as a shell would need it typed, for humans.
    pub fn display(&self) -> String {
        let mut line = shell_quote(self.program.as_os_str());
        for arg in &self.args {
            line.push(' ');
            line.push_str(&shell_quote(arg));
        }
        line
    }

    /// A `std::process::Command` ready to spawn. The returned guard keeps an
    /// `@argfile` alive, when one was needed, until the child has exited.
    pub fn build(&self) -> Result<(Command, Option<tempfile::NamedTempFile>)> {
        let mut command = Command::new(&self.program);
        for var in LEAKY_ENV {
            command.env_remove(var);
        }
        if let Some(cwd) = &self.cwd {
            command.current_dir(cwd);
        }
        let total: usize = self.args.iter().map(|a| a.len() + 1).sum();
        if total <= ARGFILE_THRESHOLD {
            command.args(&self.args);
            return Ok((command, None));
        }
        let mut file = tempfile::Builder::new().prefix("jbuild-args-").suffix(".txt").tempfile()?;
        for arg in &self.args {
            writeln!(file, "{}", argfile_quote(arg)).context("writing javac @argfile")?;
        }
        file.flush().context("writing javac @argfile")?;
        command.arg(format!("@{}", file.path().display()));
        Ok((command, Some(file)))
    }

    /// Runs to completion with inherited stdio.
    pub fn status(&self) -> Result<ProcessStatus> {
        let (mut command, _argfile) = self.build()?;
        command.status().with_context(|| format!("cannot run {}", self.program.display()))
    }

    /// Runs to completion capturing stdout and stderr.
    pub fn output(&self) -> Result<std::process::Output> {
        let (mut command, _argfile) = self.build()?;
        command.stdin(Stdio::null()).output().with_context(|| format!("cannot run {}", self.program.display()))
    }

    /// Runs a user's program in the foreground: its stdio are jbuild's,
    /// SIGTERM and SIGHUP sent to jbuild are forwarded, and Ctrl-C (which
    /// the terminal already delivers to the whole process group) does not
    /// kill jbuild before the program has had its say.
    pub fn run_foreground(&self) -> Result<ExitStatus> {
        let (mut command, _argfile) = self.build()?;
        let mut child = command.spawn().with_context(|| format!("cannot run {}", self.program.display()))?;
        let forwarding = SignalForwarding::start(child.id())?;
        let status = child.wait().with_context(|| format!("waiting for {}", self.program.display()));
        forwarding.stop();
        Ok(exit_status_of(status?))
    }
}

/// The jbuild exit status for a finished child: its code, or 128+n when it
/// died of signal n.
pub fn exit_status_of(status: ProcessStatus) -> ExitStatus {
    if let Some(code) = status.code() {
        return if code == 0 { ExitStatus::Success } else { ExitStatus::Child(code) };
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return ExitStatus::Child(128 + signal);
        }
    }
    ExitStatus::Failure
}

#[cfg(unix)]
struct SignalForwarding {
    handle: signal_hook::iterator::Handle,
    thread: std::thread::JoinHandle<()>,
}

#[cfg(unix)]
impl SignalForwarding {
    fn start(child: u32) -> Result<SignalForwarding> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let mut signals =
            signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]).context("installing signal handlers")?;
        let handle = signals.handle();
        let thread = std::thread::spawn(move || {
            for signal in signals.forever() {
                if signal != SIGINT {
                    // SAFETY: kill(2) on our own child's pid; no memory involved.
                    unsafe { libc::kill(child as libc::pid_t, signal) };
                }
            }
        });
        Ok(SignalForwarding { handle, thread })
    }

    fn stop(self) {
        self.handle.close();
        let _ = self.thread.join();
    }
}

#[cfg(not(unix))]
struct SignalForwarding;

#[cfg(not(unix))]
impl SignalForwarding {
    fn start(_child: u32) -> Result<SignalForwarding> {
        Ok(SignalForwarding)
    }
    fn stop(self) {}
}

/// Quotes an argument for javac's `@argfile` syntax: double quotes, with
/// backslashes and quotes escaped.
fn argfile_quote(arg: &OsStr) -> String {
    let text = arg.to_string_lossy();
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// Quotes for display only, POSIX-shell style, leaving plain words bare.
pub fn shell_quote(arg: &OsStr) -> String {
    let text = arg.to_string_lossy();
    let plain = !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain { text.into_owned() } else { format!("'{}'", text.replace('\'', r"'\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote(OsStr::new("a/b.java")), "a/b.java");
        assert_eq!(shell_quote(OsStr::new("my dir/x")), "'my dir/x'");
        assert_eq!(shell_quote(OsStr::new("it's")), r"'it'\''s'");
        assert_eq!(argfile_quote(OsStr::new(r#"a "b" \c"#)), r#""a \"b\" \\c""#);
    }
}
