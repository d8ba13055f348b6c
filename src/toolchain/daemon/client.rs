//! Talking to the daemon: connecting (starting or replacing it as needed),
//! compiling through it, asking its status, stopping it.

use std::io::{BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};

use super::protocol::{LOCK, LOG, SOCKET, build_id, daemon_dir};
use crate::term::Status;
use crate::toolchain::frame::{self, Compiled, escape};
use crate::toolchain::jdk::Jdk;

/// A connection to a running daemon of this jbuild build.
pub struct DaemonClient {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
    pub pid: u32,
}

enum Handshake {
    Ready(DaemonClient),
    Mismatch(DaemonClient, String),
}

impl DaemonClient {
    /// Connects to the daemon, starting (or replacing) it when needed.
    pub fn connect_or_start(status: &Status) -> Result<DaemonClient> {
        let dir = daemon_dir()?;
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
        let socket = daemon_dir()?.join(SOCKET);
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
        frame::read_line(&mut self.reader)?.ok_or_else(|| anyhow!("the jbuild daemon closed the connection"))
    }

    /// `status` as the daemon reports it: `key=value` words.
    pub fn status(&mut self) -> Result<String> {
        self.request_line("status")
    }

    /// Asks the daemon to stop and waits until it has.
    pub fn stop(&mut self) -> Result<()> {
        self.request_line("stop")?;
        wait_for_exit(&daemon_dir()?)
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
        let header =
            frame::read_line(&mut self.reader)?.ok_or_else(|| anyhow!("the jbuild daemon closed the connection"))?;
        if let Some(message) = header.strip_prefix("error ") {
            bail!("the jbuild daemon could not compile: {message}");
        }
        let fields = header
            .strip_prefix("done ")
            .ok_or_else(|| anyhow!("unexpected answer from the jbuild daemon: {header:?}"))?;
        Ok(frame::read_done(fields, 0, &mut self.reader)?.0)
    }
}

/// Starts `jbuild daemon serve` detached: its own process group (so Ctrl-C
/// in this terminal does not reach it), no stdio but its log.
fn start(dir: &Path) -> Result<()> {
    use crate::toolchain::process::{Io, ToolCommand};
    let exe = std::env::current_exe().context("finding the jbuild executable")?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(LOG))
        .with_context(|| format!("opening {}", dir.join(LOG).display()))?;
    let mut daemon = ToolCommand::new(exe);
    daemon.args(["daemon", "serve"]).current_dir(dir).stdout(Io::Null).stderr(Io::File(log)).own_process_group();
    // The daemon outlives this jbuild by design: let go of it unreaped.
    daemon.spawn().context("starting the jbuild daemon")?.detach();
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
