//! The warm case runner (`jbuild check --reuse-jvm`): a JVM running one
//! case after another, each in a fresh class loader (`JbuildRunner.java`,
//! embedded, compiled on first use into the cache like the worker).
//!
//! It can make checks faster, never different: a case it cannot run the way
//! a fresh JVM would (no `public static void main(String[])`) is refused and
//! run in a fresh JVM; a case that ends the JVM (`System.exit`, a timeout,
//! running out of memory, too much output) ends this runner, and the next
//! case gets a new one.

use std::ffi::OsString;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, ChildStdout};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};

use super::frame::{escape, nonce, read_line};
use super::process::{Io, Spawned, ToolCommand};

/// The runner's source, compiled on first use with the selected JDK.
pub const SOURCE: &str = include_str!("JbuildRunner.java");
/// The protocol the runner speaks; see the comment at the top of `JbuildRunner.java`.
pub const PROTOCOL: &str = "jbuild-runner 2";
/// The runner's exit code when a case printed more than its limit.
pub const OUTPUT_LIMIT_EXIT: i32 = 77;

/// One case for the runner.
pub struct Request<'a> {
    /// A file to read stdin from, or none for empty input.
    pub stdin: Option<&'a Path>,
    pub stdout: &'a Path,
    pub stderr: &'a Path,
    pub output_limit: usize,
    pub classpath: &'a [PathBuf],
    pub class: &'a str,
    pub args: &'a [OsString],
}

/// How a case ended in the runner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// main and its threads returned: the exit code (1 after an uncaught exception).
    Done { code: i32, cpu: Duration },
    /// It ran out of memory.
    OutOfMemory { cpu: Duration },
    /// The runner cannot run this case like a fresh JVM would.
    Refused(String),
    /// The JVM ended (System.exit, the output limit, a crash): its exit code, or
    /// the signal that killed it.
    Exited { code: Option<i32>, signal: Option<i32> },
    /// Still running at the time limit: the runner was killed.
    TimedOut,
    /// Something else than the runner's reply came on its channel: the
    /// program wrote to the JVM's real stdout. The runner was killed; the
    /// case must run in a fresh JVM, where that output is its stdout.
    Garbled,
}

/// The runner's class folder for `jdk` in the cache folder `cache`,
/// compiling it there first if needed.
pub fn ensure_compiled(jdk: &super::jdk::Jdk, cache: &Path) -> Result<PathBuf> {
    let runner = super::cache::Embedded {
        label: "the warm case runner",
        folder: "runner",
        file: "JbuildRunner.java",
        source: SOURCE,
        classpath: &[],
        key: "",
    };
    super::cache::compile_embedded(jdk, cache, &runner)
}

/// A running runner JVM.
pub struct Runner {
    child: Spawned,
    stdin: ChildStdin,
    replies: mpsc::Receiver<Result<String>>,
}

impl Runner {
    /// Starts a runner from its compiled `classes` with the cases' JVM
    /// flags, in `cwd` (the folder the cases run in), as `command` sets up
    /// the rest (environment, user).
    pub fn start(classes: &Path, jvm_flags: &[String], mut command: ToolCommand) -> Result<Runner> {
        command
            .args(jvm_flags)
            .arg("-cp")
            .arg(classes)
            .main_class("JbuildRunner")
            .stdin(Io::Piped)
            .stdout(Io::Piped)
            .stderr(Io::Null)
            .own_process_group()
            .die_with_parent();
        let mut child = command.spawn().context("starting the warm case runner")?;
        let stdin = child.take_stdin().expect("piped");
        let stdout = child.take_stdout().expect("piped");
        let (sender, replies) = mpsc::channel();
        std::thread::spawn(move || read_replies(BufReader::new(stdout), sender));
        let mut runner = Runner { child, stdin, replies };
        match runner.replies.recv_timeout(Duration::from_secs(30)) {
            Ok(Ok(greeting)) if greeting == PROTOCOL => Ok(runner),
            Ok(Ok(other)) => bail!("unexpected runner greeting {other:?}"),
            Ok(Err(e)) => Err(e),
            Err(_) => {
                runner.child.kill();
                bail!("the warm case runner did not start")
            }
        }
    }

    /// Runs one case, waiting at most `timeout`. After anything but `Done`
    /// or `Refused` the runner is gone and must be dropped.
    pub fn run(&mut self, request: &Request, timeout: Duration) -> Result<Ended> {
        let classpath = std::env::join_paths(request.classpath).context("joining the classpath")?;
        let nonce = nonce();
        let mut fields: Vec<String> = vec![
            nonce.clone(),
            request.stdin.map(|p| p.to_string_lossy().into_owned()).unwrap_or_default(),
            request.stdout.to_string_lossy().into_owned(),
            request.stderr.to_string_lossy().into_owned(),
            request.output_limit.to_string(),
            classpath.to_string_lossy().into_owned(),
            request.class.to_owned(),
        ];
        for arg in request.args {
            fields.push(arg.to_str().ok_or_else(|| anyhow!("argument {arg:?} is not UTF-8"))?.to_owned());
        }
        let mut message = format!("run {}\n", fields.len());
        for field in &fields {
            message.push_str(&escape(field));
            message.push('\n');
        }
        let started = Instant::now();
        self.stdin.write_all(message.as_bytes()).context("sending a case to the runner")?;
        self.stdin.flush().context("sending a case to the runner")?;
        let reply = match self.replies.recv_timeout(timeout.saturating_sub(started.elapsed())) {
            Ok(Ok(reply)) => reply,
            Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(self.exited()),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                self.child.kill();
                return Ok(Ended::TimedOut);
            }
        };
        match reply.strip_prefix(&nonce).and_then(|rest| rest.strip_prefix(' ')) {
            Some(reply) => parse_reply(reply),
            None => {
                self.child.kill();
                Ok(Ended::Garbled)
            }
        }
    }

    /// How the runner's JVM ended (it closed its output).
    fn exited(&mut self) -> Ended {
        use std::os::unix::process::ExitStatusExt;
        match self.child.wait() {
            Ok(status) => Ended::Exited { code: status.code(), signal: status.signal() },
            Err(_) => Ended::Exited { code: None, signal: None },
        }
    }
}

fn parse_reply(reply: &str) -> Result<Ended> {
    let nanos = |s: Option<&str>| Duration::from_nanos(s.and_then(|n| n.parse().ok()).unwrap_or(0));
    let mut words = reply.splitn(3, ' ');
    match words.next() {
        Some("done") => {
            let code = words.next().and_then(|c| c.parse().ok()).ok_or_else(|| anyhow!("malformed reply {reply:?}"))?;
            Ok(Ended::Done { code, cpu: nanos(words.next()) })
        }
        Some("oom") => Ok(Ended::OutOfMemory { cpu: nanos(words.next()) }),
        Some("refused") => Ok(Ended::Refused(reply["refused".len()..].trim().to_owned())),
        _ => bail!("malformed runner reply {reply:?}"),
    }
}

fn read_replies(mut stdout: BufReader<ChildStdout>, sender: mpsc::Sender<Result<String>>) {
    loop {
        let line = read_line(&mut stdout).and_then(|l| l.ok_or_else(|| anyhow!("the runner exited")));
        let end = line.is_err();
        if sender.send(line).is_err() || end {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_parse() {
        assert_eq!(parse_reply("done 0 1500").unwrap(), Ended::Done { code: 0, cpu: Duration::from_nanos(1500) });
        assert_eq!(parse_reply("done 1 x").unwrap(), Ended::Done { code: 1, cpu: Duration::ZERO });
        assert_eq!(parse_reply("oom 5").unwrap(), Ended::OutOfMemory { cpu: Duration::from_nanos(5) });
        assert_eq!(parse_reply("refused no static main").unwrap(), Ended::Refused("no static main".into()));
        assert!(parse_reply("done").is_err());
        assert!(parse_reply("hello").is_err());
    }
}
