//! The warm compiler: a small Java program (`JbuildWorker.java`, embedded in
//! the binary) that runs javac in-process request after request, compiled on
//! first use into a per-user cache.
//!
//! The worker can make jbuild faster, never wrong: every failure (it will
//! not start, crashes, hangs past its timeout, answers garbage) is reported
//! as an error so the caller falls back to plain javac.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};

use crate::jdk::Jdk;
use crate::process::ToolCommand;

/// The worker's source, compiled on first use with the selected JDK.
pub const SOURCE: &str = include_str!("JbuildWorker.java");
/// The protocol the worker speaks; see the comment at the top of `JbuildWorker.java`.
pub const PROTOCOL: &str = "jbuild-worker 1";

/// Restart a worker after this many requests, bounding what javac's caches
/// can hold on to (override with `JBUILD_WORKER_MAX_REQUESTS`).
const DEFAULT_MAX_REQUESTS: u32 = 500;
/// ... or when its heap is fuller than this after a request.
const MAX_HEAP_FRACTION: f64 = 0.7;
/// A request taking longer than this means a hung worker (override with
/// `JBUILD_WORKER_TIMEOUT`, in seconds).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// What javac printed and how it exited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// A running worker JVM.
pub struct Worker {
    child: Child,
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

impl Worker {
    /// Starts a worker for `jdk` whose working folder is `cwd` (javac
    /// resolves relative paths against it, so requests must come from there).
    pub fn start(jdk: &Jdk, cwd: &Path) -> Result<Worker> {
        Worker::launch(jdk, cwd, &ensure_compiled(jdk, &cache_dir()?)?)
    }

    /// Starts a worker from its compiled `classes` (see [`ensure_compiled`]).
    pub fn launch(jdk: &Jdk, cwd: &Path, classes: &Path) -> Result<Worker> {
        let mut command = ToolCommand::new(&jdk.java);
        command
            .current_dir(cwd)
            .args(["-XX:+UseSerialGC", "-Xmx1g", "-XX:-UsePerfData", "-Djbuild.worker=1", "-cp"])
            .arg(classes)
            .arg("JbuildWorker");
        let (mut command, _) = command.build()?;
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting the compile worker with {}", jdk.java.display()))?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let (sender, replies) = mpsc::channel();
        std::thread::spawn(move || read_replies(BufReader::new(stdout), sender));
        let timeout = std::env::var("JBUILD_WORKER_TIMEOUT")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .map_or(DEFAULT_TIMEOUT, Duration::from_secs_f64);
        let max_requests = std::env::var("JBUILD_WORKER_MAX_REQUESTS")
            .ok()
            .and_then(|s| s.parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or(DEFAULT_MAX_REQUESTS);
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
        let _ = self.child.kill();
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

fn read_reply(stdout: &mut impl BufRead) -> Result<Reply> {
    let mut line = String::new();
    if stdout.read_line(&mut line)? == 0 {
        bail!("the compile worker exited");
    }
    let line = line.trim_end_matches('\n');
    if let Some(message) = line.strip_prefix("error ") {
        return Ok(Reply::Error(message.to_owned()));
    }
    if let Some(fields) = line.strip_prefix("done ") {
        let numbers: Vec<i64> = fields.split(' ').map(str::parse).collect::<Result<_, _>>()?;
        let [code, out_len, err_len, used, max] = numbers[..] else { bail!("malformed worker reply {line:?}") };
        let mut stdout_bytes = vec![0; usize::try_from(out_len)?];
        stdout.read_exact(&mut stdout_bytes)?;
        let mut stderr_bytes = vec![0; usize::try_from(err_len)?];
        stdout.read_exact(&mut stderr_bytes)?;
        let compiled = Compiled { code: i32::try_from(code)?, stdout: stdout_bytes, stderr: stderr_bytes };
        return Ok(Reply::Done(compiled, used as u64, max as u64));
    }
    if line.starts_with(PROTOCOL) || line.starts_with("jbuild-worker ") {
        return Ok(Reply::Ready(line.to_owned()));
    }
    bail!("malformed worker reply {line:?}")
}

/// Escapes a protocol text field: `\` as `\\`, newline as `\n`, CR as `\r`.
pub fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r")
}

/// The inverse of [`escape`].
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// jbuild's per-user cache: `$JBUILD_CACHE_DIR`, else `$XDG_CACHE_HOME/jbuild`,
/// else `~/.cache/jbuild`.
pub fn cache_dir() -> Result<PathBuf> {
    let from_env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = from_env("JBUILD_CACHE_DIR") {
        return Ok(dir);
    }
    if let Some(dir) = from_env("XDG_CACHE_HOME").filter(|d| d.is_absolute()) {
        return Ok(dir.join("jbuild"));
    }
    from_env("HOME")
        .map(|home| home.join(".cache").join("jbuild"))
        .ok_or_else(|| anyhow!("no cache folder: set JBUILD_CACHE_DIR, XDG_CACHE_HOME or HOME"))
}

/// The worker's class folder for `jdk` in the cache folder `cache`,
/// compiling it there first if needed.
/// Keyed by the JDK and the worker's own source, and safe when several
/// jbuilds get there at once: each compiles into its own temp folder and the
/// first rename wins.
pub fn ensure_compiled(jdk: &Jdk, cache: &Path) -> Result<PathBuf> {
    let key = blake3::hash(format!("{SOURCE}\n{}\n{}", jdk.javac.display(), jdk.version).as_bytes()).to_hex();
    let root = cache.join("worker");
    let dir = root.join(&key.as_str()[..16]);
    if dir.join("JbuildWorker.class").is_file() {
        return Ok(dir);
    }
    std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
    let staging = tempfile::Builder::new().prefix("building-").tempdir_in(&root)?;
    let source = staging.path().join("JbuildWorker.java");
    std::fs::write(&source, SOURCE)?;
    let out = staging.path().join("classes");
    let mut javac = ToolCommand::new(&jdk.javac);
    javac.arg("-d").arg(&out).arg("-encoding").arg("UTF-8").arg(&source);
    let output = javac.output()?;
    if !output.status.success() {
        bail!("compiling the compile worker failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    match std::fs::rename(&out, &dir) {
        Ok(()) => Ok(dir),
        Err(_) if dir.join("JbuildWorker.class").is_file() => Ok(dir), // another jbuild won
        Err(e) => Err(e).with_context(|| format!("installing the compile worker in {}", dir.display())),
    }
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

    #[test]
    fn escaping_matches_the_java_side() {
        assert_eq!(escape("a\\b\nc\rd"), "a\\\\b\\nc\\rd");
        for text in ["plain", "a b\\c", "line\nbreak\r", "\\n literal"] {
            assert_eq!(unescape(&escape(text)), text);
        }
    }
}
