//! The warm compiler: a small Java program (`JbuildWorker.java`, embedded in
//! the binary) that runs javac in-process request after request, compiled on
//! first use into a per-user cache.
//!
//! The worker can make jbuild faster, never wrong: every failure (it will
//! not start, crashes, hangs past its timeout, answers garbage) is reported
//! as an error so the caller falls back to plain javac.

use std::ffi::OsString;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ChildStdin;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};

use super::cache::{Embedded, cache_dir, compile_embedded};
use super::frame::{self, Compiled, escape};
use super::jdk::Jdk;
use super::process::{Io, Spawned, ToolCommand};

/// The worker's source, compiled on first use with the selected JDK.
pub const SOURCE: &str = include_str!("JbuildWorker.java");
/// The protocol the worker speaks; see the comment at the top of `JbuildWorker.java`.
pub const PROTOCOL: &str = "jbuild-worker 1";

/// ... or when its heap is fuller than this after a request.
const MAX_HEAP_FRACTION: f64 = 0.7;

/// A running worker JVM.
pub struct Worker {
    child: Spawned,
    stdin: ChildStdin,
    replies: mpsc::Receiver<Result<Reply>>,
    cwd: PathBuf,
    served: u32,
    max_requests: u32,
    heap_fraction: f64,
    timeout: Duration,
}

#[derive(Debug)]
enum Reply {
    Ready(String),
    Done(Compiled, u64, u64),
    Error(String),
}

/// How long a worker is expected to live, which decides its JIT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// A batch of compiles (`check`, `compile DIR...`): C1 only, one
    /// compiler thread; C2 would spend more than it saves (measured in the
    /// README: 40 exercises in 1.6 s instead of 2.2 s, half the CPU).
    Batch,
    /// A session (`watch`, the daemon): full tiered compilation, which pays
    /// off over hundreds of compiles.
    Session,
}

impl Worker {
    /// Starts a worker for `jdk` whose working folder is `cwd` (javac
    /// resolves relative paths against it, so requests must come from there).
    pub fn start(jdk: &Jdk, cwd: &Path, lifetime: Lifetime) -> Result<Worker> {
        Worker::launch(jdk, cwd, &ensure_compiled(jdk, &cache_dir()?)?, lifetime)
    }

    /// Starts a worker from its compiled `classes` (see [`ensure_compiled`]).
    pub fn launch(jdk: &Jdk, cwd: &Path, classes: &Path, lifetime: Lifetime) -> Result<Worker> {
        let mut command = ToolCommand::jdk_tool(&jdk.java);
        command.current_dir(cwd).args(["-XX:+UseSerialGC", "-Xmx1g", "-XX:-UsePerfData", "-Djbuild.worker=1"]);
        if lifetime == Lifetime::Batch {
            command.args(["-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1"]);
        }
        command
            .arg("-cp")
            .arg(classes)
            .main_class("JbuildWorker")
            .label("the compile worker")
            .stdin(Io::Piped)
            .stdout(Io::Piped)
            .stderr(Io::Null);
        let mut child =
            command.spawn().with_context(|| format!("starting the compile worker with {}", jdk.java.display()))?;
        let stdin = child.take_stdin().expect("piped");
        let stdout = child.take_stdout().expect("piped");
        let (sender, replies) = mpsc::channel();
        std::thread::spawn(move || read_replies(BufReader::new(stdout), sender));
        let env = crate::env::get();
        let (timeout, max_requests) = (env.worker_timeout, env.worker_max_requests);
        let cwd = cwd.to_path_buf();
        let mut worker = Worker { child, stdin, replies, cwd, served: 0, max_requests, heap_fraction: 0.0, timeout };
        match worker.receive()? {
            Reply::Ready(greeting) if greeting == format!("{PROTOCOL} {}", escape(&worker.cwd.to_string_lossy())) => {
                Ok(worker)
            }
            Reply::Ready(greeting) => bail!("unexpected worker greeting {greeting:?}"),
            Reply::Error(message) => bail!("the compile worker refused to start: {message}"),
            Reply::Done(..) => bail!("the compile worker answered before being asked"),
        }
    }

    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// How many compiles this worker has done.
    pub fn served(&self) -> u32 {
        self.served
    }

    /// Whether this worker should be replaced before its next request.
    pub fn worn_out(&self) -> bool {
        self.served >= self.max_requests || self.heap_fraction > MAX_HEAP_FRACTION
    }

    /// Runs javac with `args` in the worker. Any error means the worker is
    /// no longer usable.
    pub fn compile(&mut self, args: &[OsString]) -> Result<Compiled> {
        let mut request = format!("compile {}\n{}\n", args.len(), escape(&self.cwd.to_string_lossy()));
        for arg in args {
            let arg = arg.to_str().ok_or_else(|| anyhow!("argument {arg:?} is not UTF-8"))?;
            request.push_str(&escape(arg));
            request.push('\n');
        }
        self.stdin.write_all(request.as_bytes()).context("sending a request to the compile worker")?;
        self.stdin.flush().context("sending a request to the compile worker")?;
        match self.receive()? {
            Reply::Done(compiled, used, max) => {
                self.served += 1;
                self.heap_fraction = if max == 0 { 0.0 } else { used as f64 / max as f64 };
                Ok(compiled)
            }
            Reply::Error(message) => bail!("the compile worker refused the request: {message}"),
            Reply::Ready(_) => bail!("the compile worker restarted mid-request"),
        }
    }

    fn receive(&mut self) -> Result<Reply> {
        match self.replies.recv_timeout(self.timeout) {
            Ok(reply) => reply,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                self.kill();
                bail!("the compile worker did not answer within {:?}; killed it", self.timeout)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => bail!("the compile worker exited"),
        }
    }

    fn kill(&mut self) {
        self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // The worker holds no state worth a goodbye: never leave a JVM behind.
        self.kill();
    }
}

fn read_replies(mut stdout: BufReader<std::process::ChildStdout>, sender: mpsc::Sender<Result<Reply>>) {
    loop {
        let reply = read_reply(&mut stdout);
        let end = reply.is_err();
        if sender.send(reply).is_err() || end {
            return;
        }
    }
}

fn read_reply(stdout: &mut impl std::io::BufRead) -> Result<Reply> {
    let line = frame::read_line(stdout)?.ok_or_else(|| anyhow!("the compile worker exited"))?;
    if let Some(message) = line.strip_prefix("error ") {
        return Ok(Reply::Error(message.to_owned()));
    }
    if let Some(fields) = line.strip_prefix("done ") {
        let (compiled, heap) = frame::read_done(fields, 2, stdout)?;
        return Ok(Reply::Done(compiled, heap[0], heap[1]));
    }
    if line.starts_with("jbuild-worker ") {
        return Ok(Reply::Ready(line));
    }
    bail!("malformed worker reply {line:?}")
}

/// The worker's class folder for `jdk` in the cache folder `cache`,
/// compiling it there first if needed (see [`compile_embedded`]).
pub fn ensure_compiled(jdk: &Jdk, cache: &Path) -> Result<PathBuf> {
    let worker = Embedded {
        label: "the compile worker",
        folder: "worker",
        file: "JbuildWorker.java",
        source: SOURCE,
        classpath: &[],
        key: "",
    };
    compile_embedded(jdk, cache, &worker)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_parse() {
        let mut input: &[u8] = b"jbuild-worker 1 /tmp\ndone 1 2 3 10 100\nabxyzerror nope\n";
        assert!(matches!(read_reply(&mut input).unwrap(), Reply::Ready(g) if g == "jbuild-worker 1 /tmp"));
        match read_reply(&mut input).unwrap() {
            Reply::Done(c, 10, 100) => {
                assert_eq!((c.code, c.stdout.as_slice(), c.stderr.as_slice()), (1, &b"ab"[..], &b"xyz"[..]))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(read_reply(&mut input).unwrap(), Reply::Error(m) if m == "nope"));
        assert!(read_reply(&mut input).is_err(), "end of output is an error");
        assert!(read_reply(&mut &b"done 1 x\n"[..]).is_err());
    }
}
