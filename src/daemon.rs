//! The opt-in compile daemon: a background jbuild that keeps warm workers
//! so one-shot `jbuild compile` / `jbuild run` skip javac's start-up too.
//!
//! It listens on a Unix socket in a private per-user folder (0700, socket
//! 0600), checks every peer's uid, replaces itself when a client of another
//! jbuild build connects, and exits after 10 idle minutes. Anything that goes
//! wrong on the client side means "compile with plain javac instead".

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result, anyhow, bail};

use crate::error::ExitStatus;
use crate::jdk::Jdk;
use crate::status::Status;
use crate::worker::{Compiled, Worker, cache_dir, escape, unescape};

const SOCKET: &str = "daemon.sock";
const LOCK: &str = "daemon.lock";
const LOG: &str = "daemon.log";
/// Workers kept warm at once, one per (JDK, source folder).
const MAX_WORKERS: usize = 4;
const DEFAULT_IDLE: Duration = Duration::from_secs(600);

/// Identifies this jbuild build: a daemon with another id is replaced.
pub fn build_id() -> String {
    let hash = blake3::hash(format!("{}\n{}", crate::worker::PROTOCOL, crate::worker::SOURCE).as_bytes()).to_hex();
    format!("{}-{}", env!("CARGO_PKG_VERSION"), &hash.as_str()[..12])
}

/// The daemon's private folder, created 0700 and checked to be ours alone.
pub fn private_dir() -> Result<PathBuf> {
    let dir = cache_dir()?.join("daemon");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let meta = std::fs::metadata(&dir).with_context(|| format!("reading {}", dir.display()))?;
    // SAFETY: geteuid has no preconditions.
    let uid = unsafe { libc::geteuid() };
    if meta.uid() != uid {
        bail!("{} belongs to uid {}, not to you (uid {uid}); refusing to use it", dir.display(), meta.uid());
    }
    if meta.mode() & 0o077 != 0 {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("making {} private", dir.display()))?;
    }
    Ok(dir)
}

/// A connection to a running daemon of this jbuild build.
pub struct DaemonClient {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
    pub pid: u32,
}

impl DaemonClient {
    /// Connects to the daemon, starting (or replacing) it when needed.
    pub fn connect_or_start(status: &Status) -> Result<DaemonClient> {
        let dir = private_dir()?;
        let socket = dir.join(SOCKET);
        if let Ok(stream) = UnixStream::connect(&socket) {
            match DaemonClient::handshake(stream)? {
                Handshake::Ready(client) => return Ok(client),
                Handshake::Mismatch(mut old, theirs) => {
                    status.line(
                        "Restarting",
                        format_args!("the jbuild daemon (it runs build {theirs}, this is {})", build_id()),
                    );
                    let _ = old.request_line("stop");
                    wait_for_exit(&dir)?;
                }
            }
        }
        start(&dir)?;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(stream) = UnixStream::connect(&socket) {
                match DaemonClient::handshake(stream)? {
                    Handshake::Ready(client) => return Ok(client),
                    Handshake::Mismatch(_, theirs) => bail!("a daemon of build {theirs} took the socket"),
                }
            }
            if Instant::now() > deadline {
                bail!("the jbuild daemon did not start; see {}", dir.join(LOG).display());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Connects to a running daemon, if there is one.
    pub fn connect_existing() -> Result<Option<DaemonClient>> {
        let socket = private_dir()?.join(SOCKET);
        let Ok(stream) = UnixStream::connect(&socket) else { return Ok(None) };
        match DaemonClient::handshake(stream)? {
            Handshake::Ready(client) | Handshake::Mismatch(client, _) => Ok(Some(client)),
        }
    }

    fn handshake(stream: UnixStream) -> Result<Handshake> {
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let writer = stream.try_clone()?;
        let mut client = DaemonClient { reader: BufReader::new(stream), writer, pid: 0 };
        let reply = client.request_line(&format!("hello {}", build_id()))?;
        let mut words = reply.split(' ');
        match (words.next(), words.next(), words.next()) {
            (Some("ok"), Some(_), Some(pid)) => {
                client.pid = pid.parse().unwrap_or(0);
                client.reader.get_ref().set_read_timeout(None)?;
                Ok(Handshake::Ready(client))
            }
            (Some("mismatch"), Some(theirs), pid) => {
                client.pid = pid.and_then(|p| p.parse().ok()).unwrap_or(0);
                Ok(Handshake::Mismatch(client, theirs.to_owned()))
            }
            _ => bail!("unexpected answer from the jbuild daemon: {reply:?}"),
        }
    }

    fn request_line(&mut self, line: &str) -> Result<String> {
        writeln!(self.writer, "{line}")?;
        self.writer.flush()?;
        read_line(&mut self.reader)?.ok_or_else(|| anyhow!("the jbuild daemon closed the connection"))
    }

    /// `status` as the daemon reports it: `key=value` words.
    pub fn status(&mut self) -> Result<String> {
        self.request_line("status")
    }

    pub fn stop(&mut self) -> Result<()> {
        self.request_line("stop").map(|_| ())
    }

    /// Runs javac in one of the daemon's warm workers.
    pub fn compile(&mut self, jdk: &Jdk, cwd: &Path, args: &[std::ffi::OsString]) -> Result<Compiled> {
        let mut request = format!("compile {}\n", args.len());
        for field in [
            jdk.javac.to_string_lossy(),
            jdk.java.to_string_lossy(),
            jdk.version.as_str().into(),
            cwd.to_string_lossy(),
        ] {
            request.push_str(&escape(&field));
            request.push('\n');
        }
        for arg in args {
            request.push_str(&escape(arg.to_str().ok_or_else(|| anyhow!("argument {arg:?} is not UTF-8"))?));
            request.push('\n');
        }
        self.writer.write_all(request.as_bytes())?;
        self.writer.flush()?;
        let header = read_line(&mut self.reader)?.ok_or_else(|| anyhow!("the jbuild daemon closed the connection"))?;
        if let Some(message) = header.strip_prefix("error ") {
            bail!("the jbuild daemon could not compile: {message}");
        }
        let fields: Vec<i64> = header
            .strip_prefix("done ")
            .ok_or_else(|| anyhow!("unexpected answer from the jbuild daemon: {header:?}"))?
            .split(' ')
            .map(str::parse)
            .collect::<Result<_, _>>()?;
        let [code, out_len, err_len] = fields[..] else { bail!("malformed daemon reply {header:?}") };
        let mut stdout = vec![0; usize::try_from(out_len)?];
        self.reader.read_exact(&mut stdout)?;
        let mut stderr = vec![0; usize::try_from(err_len)?];
        self.reader.read_exact(&mut stderr)?;
        Ok(Compiled { code: i32::try_from(code)?, stdout, stderr })
    }
}

enum Handshake {
    Ready(DaemonClient),
    Mismatch(DaemonClient, String),
}

/// Starts `jbuild daemon serve` detached: its own process group (so Ctrl-C
/// in this terminal does not reach it), no stdio but its log.
fn start(dir: &Path) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().context("finding the jbuild executable")?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(LOG))
        .with_context(|| format!("opening {}", dir.join(LOG).display()))?;
    std::process::Command::new(exe)
        .args(["daemon", "serve"])
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .process_group(0)
        .spawn()
        .context("starting the jbuild daemon")?;
    Ok(())
}

/// Waits until no daemon holds the lock (an old one is shutting down).
fn wait_for_exit(dir: &Path) -> Result<()> {
    let lock = std::fs::File::options().create(true).truncate(false).write(true).open(dir.join(LOCK))?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while lock.try_lock().is_err() {
        if Instant::now() > deadline {
            bail!("the old jbuild daemon did not stop");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// `jbuild daemon status|stop`.
pub fn command(action: &str, status: &Status) -> Result<ExitStatus> {
    match action {
        "serve" => serve(),
        "status" => match DaemonClient::connect_existing()? {
            Some(mut client) => {
                let report = client.status()?;
                println!("running: pid={} {report}", client.pid);
                Ok(ExitStatus::Success)
            }
            None => {
                println!("not running (socket {})", private_dir()?.join(SOCKET).display());
                Ok(ExitStatus::Failure)
            }
        },
        "stop" => {
            match DaemonClient::connect_existing()? {
                Some(mut client) => {
                    client.stop()?;
                    wait_for_exit(&private_dir()?)?;
                    status.line("Stopped", format_args!("the jbuild daemon (pid {})", client.pid));
                }
                None => status.line("Stopped", "nothing: the jbuild daemon is not running"),
            }
            Ok(ExitStatus::Success)
        }
        other => Err(crate::error::usage(format!("unknown daemon action {other:?}"))),
    }
}

/// The daemon's main loop.
fn serve() -> Result<ExitStatus> {
    let dir = private_dir()?;
    let lock = std::fs::File::options().create(true).truncate(false).write(true).open(dir.join(LOCK))?;
    if lock.try_lock().is_err() {
        return Ok(ExitStatus::Success); // another daemon is already serving
    }
    let socket = dir.join(SOCKET);
    let _ = std::fs::remove_file(&socket); // stale: its daemon no longer holds the lock
    let listener = UnixListener::bind(&socket).with_context(|| format!("binding {}", socket.display()))?;
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600))?;

    let last_active = Arc::new(AtomicU64::new(now_secs()));
    let idle = std::env::var("JBUILD_DAEMON_IDLE")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(DEFAULT_IDLE, Duration::from_secs_f64);
    {
        let last_active = Arc::clone(&last_active);
        let socket = socket.clone();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(500).min(idle));
                if now_secs().saturating_sub(last_active.load(Ordering::Relaxed)) >= idle.as_secs().max(1) {
                    // Workers read their stdin from us: they exit with us.
                    let _ = std::fs::remove_file(&socket);
                    std::process::exit(0);
                }
            }
        });
    }

    let mut state = DaemonState { started: Instant::now(), requests: 0, workers: Vec::new() };
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        last_active.store(now_secs(), Ordering::Relaxed);
        if peer_uid(&stream) != Some(unsafe { libc::geteuid() }) {
            let mut stream = stream;
            let _ = writeln!(stream, "refused: another user's daemon");
            continue;
        }
        match state.serve_connection(stream) {
            Ok(Flow::Continue) | Err(_) => {}
            Ok(Flow::Stop) => break,
        }
        last_active.store(now_secs(), Ordering::Relaxed);
    }
    let _ = std::fs::remove_file(&socket);
    drop(lock);
    Ok(ExitStatus::Success)
}

enum Flow {
    Continue,
    Stop,
}

struct DaemonState {
    started: Instant,
    requests: u64,
    /// Warm workers by (java, version, cwd), most recently used last.
    workers: Vec<((PathBuf, String, PathBuf), Worker)>,
}

impl DaemonState {
    fn serve_connection(&mut self, stream: UnixStream) -> Result<Flow> {
        let mut writer = stream.try_clone()?;
        let mut reader = BufReader::new(stream);
        while let Some(line) = read_line(&mut reader)? {
            let (verb, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
            match verb {
                "hello" if rest == build_id() => writeln!(writer, "ok {} {}", build_id(), std::process::id())?,
                "hello" => writeln!(writer, "mismatch {} {}", build_id(), std::process::id())?,
                "status" => writeln!(
                    writer,
                    "build={} uptime={}s requests={} workers={}",
                    build_id(),
                    self.started.elapsed().as_secs(),
                    self.requests,
                    self.workers.len()
                )?,
                "stop" => {
                    writeln!(writer, "bye")?;
                    return Ok(Flow::Stop);
                }
                "compile" => {
                    let count: usize = rest.parse()?;
                    let mut fields = Vec::with_capacity(count + 4);
                    for _ in 0..count + 4 {
                        fields.push(unescape(&read_line(&mut reader)?.ok_or_else(|| anyhow!("request ended early"))?));
                    }
                    self.requests += 1;
                    match self.compile(&fields) {
                        Ok(compiled) => {
                            writeln!(
                                writer,
                                "done {} {} {}",
                                compiled.code,
                                compiled.stdout.len(),
                                compiled.stderr.len()
                            )?;
                            writer.write_all(&compiled.stdout)?;
                            writer.write_all(&compiled.stderr)?;
                        }
                        Err(e) => writeln!(writer, "error {}", format!("{e:#}").replace('\n', " "))?,
                    }
                }
                _ => writeln!(writer, "error unknown request")?,
            }
            writer.flush()?;
        }
        Ok(Flow::Continue)
    }

    fn compile(&mut self, fields: &[String]) -> Result<Compiled> {
        let [javac, java, version, cwd, args @ ..] = fields else { bail!("malformed compile request") };
        let key = (PathBuf::from(java), version.clone(), PathBuf::from(cwd));
        let index = match self.workers.iter().position(|(k, w)| *k == key && !w.worn_out()) {
            Some(index) => index,
            None => {
                self.workers.retain(|(k, _)| *k != key);
                if self.workers.len() >= MAX_WORKERS {
                    self.workers.remove(0);
                }
                let jdk = Jdk { javac: javac.into(), java: java.into(), version: version.clone(), notes: Vec::new() };
                self.workers.push((key, Worker::start(&jdk, Path::new(cwd))?));
                self.workers.len() - 1
            }
        };
        let entry = self.workers.remove(index);
        let (key, mut worker) = entry;
        let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        let result = worker.compile(&args);
        if result.is_ok() {
            self.workers.push((key, worker));
        }
        result
    }
}

/// The uid of the process at the other end of a Unix socket.
fn peer_uid(stream: &UnixStream) -> Option<u32> {
    use std::os::fd::AsRawFd;
    let mut cred = libc::ucred { pid: 0, uid: u32::MAX, gid: u32::MAX };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: SO_PEERCRED fills a ucred of the size we pass, on a valid socket fd.
    let rc = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    (rc == 0).then_some(cred.uid)
}

fn read_line(reader: &mut impl BufRead) -> Result<Option<String>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim_end_matches('\n').to_owned()))
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
