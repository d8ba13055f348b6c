//! The daemon itself (`jbuild daemon serve`): one thread per client, a pool
//! of warm workers shared between them.

use std::io::{BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result, anyhow, bail};

use super::protocol::{LOCK, SOCKET, build_id, daemon_dir};
use crate::error::ExitStatus;
use crate::toolchain::frame::{self, Compiled, unescape};
use crate::toolchain::jdk::Jdk;
use crate::toolchain::worker::{Lifetime, Worker};

/// Workers kept warm at once, one per (JDK, source folder).
const MAX_WORKERS: usize = 4;
/// A client that sends nothing for this long is dropped.
const CLIENT_IDLE: Duration = Duration::from_secs(600);

type WorkerKey = (PathBuf, String, PathBuf);

/// State shared by the client threads.
struct Shared {
    started: Instant,
    requests: AtomicU64,
    clients: AtomicUsize,
    /// Compiles running now; the daemon is idle only when there are none.
    compiling: AtomicUsize,
    /// When the last compile ended (status requests do not count).
    last_active: AtomicU64,
    /// Idle warm workers by (java, version, cwd), most recently used last.
    /// A compile takes its worker out while it runs, so clients never wait
    /// on each other's compiles.
    idle: Mutex<Vec<(WorkerKey, Worker)>>,
}

/// The daemon's main loop.
pub fn serve() -> Result<ExitStatus> {
    let dir = daemon_dir()?;
    let lock = std::fs::File::options().create(true).truncate(false).write(true).open(dir.join(LOCK))?;
    if lock.try_lock().is_err() {
        return Ok(ExitStatus::Success); // another daemon is already serving
    }
    let socket = dir.join(SOCKET);
    let _ = std::fs::remove_file(&socket); // stale: its daemon no longer holds the lock
    let listener = UnixListener::bind(&socket).with_context(|| format!("binding {}", socket.display()))?;
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600))?;

    let shared = Arc::new(Shared {
        started: Instant::now(),
        requests: AtomicU64::new(0),
        clients: AtomicUsize::new(0),
        compiling: AtomicUsize::new(0),
        last_active: AtomicU64::new(now_secs()),
        idle: Mutex::new(Vec::new()),
    });
    let idle = crate::env::get().daemon_idle;
    {
        let shared = Arc::clone(&shared);
        let socket = socket.clone();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(500).min(idle));
                let quiet = now_secs().saturating_sub(shared.last_active.load(Ordering::Relaxed));
                if shared.compiling.load(Ordering::Relaxed) == 0 && quiet >= idle.as_secs().max(1) {
                    shutdown(&shared, &socket);
                }
            }
        });
    }

    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if peer_uid(&stream) != Some(rustix::process::geteuid().as_raw()) {
            let mut stream = stream;
            let _ = writeln!(stream, "refused: another user's daemon");
            continue;
        }
        let shared = Arc::clone(&shared);
        let socket = socket.clone();
        shared.clients.fetch_add(1, Ordering::Relaxed);
        std::thread::spawn(move || {
            let stop = matches!(serve_client(&shared, stream), Ok(true));
            shared.clients.fetch_sub(1, Ordering::Relaxed);
            if stop {
                shutdown(&shared, &socket);
            }
        });
    }
    drop(lock);
    Ok(ExitStatus::Success)
}

/// Stops the workers, removes the socket and exits.
fn shutdown(shared: &Shared, socket: &Path) -> ! {
    let _ = std::fs::remove_file(socket);
    shared.idle.lock().unwrap_or_else(|p| p.into_inner()).clear();
    // Workers still compiling for a client read their stdin from us: they
    // exit with us.
    std::process::exit(0);
}

/// Serves one client until it disconnects. Returns whether it asked the
/// daemon to stop.
fn serve_client(shared: &Shared, stream: UnixStream) -> Result<bool> {
    stream.set_read_timeout(Some(CLIENT_IDLE))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    while let Some(line) = frame::read_line(&mut reader)? {
        let (verb, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        match verb {
            "hello" if rest == build_id() => writeln!(writer, "ok {} {}", build_id(), std::process::id())?,
            "hello" => writeln!(writer, "mismatch {} {}", build_id(), std::process::id())?,
            "status" => writeln!(
                writer,
                "build={} uptime={}s requests={} workers={} clients={}",
                build_id(),
                shared.started.elapsed().as_secs(),
                shared.requests.load(Ordering::Relaxed),
                shared.idle.lock().unwrap_or_else(|p| p.into_inner()).len(),
                shared.clients.load(Ordering::Relaxed)
            )?,
            "stop" => {
                writeln!(writer, "bye")?;
                writer.flush()?;
                return Ok(true);
            }
            "compile" => {
                let count: usize = rest.parse().map_err(|_| anyhow!("malformed compile request"))?;
                if count > 1_000_000 {
                    bail!("malformed compile request");
                }
                let mut fields = Vec::with_capacity(count + 4);
                for _ in 0..count + 4 {
                    let field = frame::read_line(&mut reader)?.ok_or_else(|| anyhow!("request ended early"))?;
                    fields.push(unescape(&field));
                }
                shared.requests.fetch_add(1, Ordering::Relaxed);
                shared.compiling.fetch_add(1, Ordering::Relaxed);
                let result = compile(shared, &fields);
                shared.last_active.store(now_secs(), Ordering::Relaxed);
                shared.compiling.fetch_sub(1, Ordering::Relaxed);
                match result {
                    Ok(compiled) => {
                        writeln!(writer, "done {} {} {}", compiled.code, compiled.stdout.len(), compiled.stderr.len())?;
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
    Ok(false)
}

fn compile(shared: &Shared, fields: &[String]) -> Result<Compiled> {
    let [javac, java, version, cwd, args @ ..] = fields else { bail!("malformed compile request") };
    let key = (PathBuf::from(java), version.clone(), PathBuf::from(cwd));
    let taken = {
        let mut idle = shared.idle.lock().unwrap_or_else(|p| p.into_inner());
        idle.iter().position(|(k, w)| *k == key && !w.worn_out()).map(|index| idle.remove(index).1)
    };
    let mut worker = match taken {
        Some(worker) => worker,
        None => {
            let jdk = Jdk { javac: javac.into(), java: java.into(), version: version.clone(), notes: Vec::new() };
            Worker::start(&jdk, Path::new(cwd), Lifetime::Session)?
        }
    };
    let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    let result = worker.compile(&args);
    if result.is_ok() && !worker.worn_out() {
        let mut idle = shared.idle.lock().unwrap_or_else(|p| p.into_inner());
        idle.retain(|(k, _)| *k != key);
        if idle.len() >= MAX_WORKERS {
            idle.remove(0);
        }
        idle.push((key, worker));
    }
    result
}

/// The uid of the process at the other end of a Unix socket.
fn peer_uid(stream: &UnixStream) -> Option<u32> {
    rustix::net::sockopt::socket_peercred(stream).ok().map(|cred| cred.uid.as_raw())
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
