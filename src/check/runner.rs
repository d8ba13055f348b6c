//! Running one case's process under limits: wall-clock timeout, output cap,
//! its own process group (killed whole, so no JVM or child is left behind),
//! stdin from a file or nothing, never the terminal.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use super::cases::Text;

/// What one run of a case's process did.
#[derive(Debug, Clone, Default)]
pub struct Execution {
    /// Exit code, or `None` when killed by a signal.
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub wall: Duration,
    pub cpu: Duration,
    pub timed_out: bool,
    pub output_exceeded: bool,
}

pub struct Limits {
    pub timeout: Duration,
    /// stdout and stderr together, in bytes.
    pub output: usize,
}

/// Runs `command` to completion or until a limit is hit.
pub fn execute(mut command: Command, stdin: Option<&Text>, cwd: &Path, limits: &Limits) -> Result<Execution> {
    command.current_dir(cwd).process_group(0).stdout(Stdio::piped()).stderr(Stdio::piped());
    let inline = match stdin {
        None => {
            command.stdin(Stdio::null());
            None
        }
        Some(Text::File(path)) => {
            let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
            command.stdin(file);
            None
        }
        Some(Text::Inline(text)) => {
            command.stdin(Stdio::piped());
            Some(text.clone())
        }
    };
    let started = Instant::now();
    let mut child = command.spawn().with_context(|| format!("starting {:?}", command.get_program()))?;
    let pid = child.id() as libc::pid_t;
    if let Some(text) = inline {
        let mut pipe = child.stdin.take().expect("piped");
        // A program that never reads must not block us: write from a thread.
        std::thread::spawn(move || {
            let _ = pipe.write_all(text.as_bytes());
        });
    }
    let total = Arc::new(AtomicUsize::new(0));
    let (done, finished) = mpsc::channel();
    let out = spawn_reader(child.stdout.take().expect("piped"), Arc::clone(&total), limits.output, done.clone());
    let err = spawn_reader(child.stderr.take().expect("piped"), Arc::clone(&total), limits.output, done);

    let mut execution = Execution::default();
    let mut pause = Duration::from_micros(500);
    let (status, usage) = loop {
        if let Some(result) = try_wait4(pid) {
            break result;
        }
        if started.elapsed() >= limits.timeout {
            execution.timed_out = true;
            kill_group(pid);
            break wait4_blocking(pid);
        }
        if total.load(Ordering::Relaxed) > limits.output {
            execution.output_exceeded = true;
            kill_group(pid);
            break wait4_blocking(pid);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(10));
    };
    execution.wall = started.elapsed();
    // Children the program started (and left running) go with it.
    kill_group(pid);
    execution.cpu = cpu_time(&usage);
    if libc::WIFEXITED(status) {
        execution.code = Some(libc::WEXITSTATUS(status));
    } else if libc::WIFSIGNALED(status) {
        execution.signal = Some(libc::WTERMSIG(status));
    }
    // A grandchild that escaped the group could hold the pipes open; do not
    // wait on it forever.
    for _ in 0..2 {
        let _ = finished.recv_timeout(Duration::from_secs(2));
    }
    execution.stdout = take(&out);
    execution.stderr = take(&err);
    if total.load(Ordering::Relaxed) > limits.output {
        execution.output_exceeded = true;
    }
    Ok(execution)
}

type Buffer = Arc<std::sync::Mutex<Vec<u8>>>;

/// Reads a pipe to its end, keeping at most `limit` bytes in all.
fn spawn_reader(
    mut pipe: impl Read + Send + 'static,
    total: Arc<AtomicUsize>,
    limit: usize,
    done: mpsc::Sender<()>,
) -> Buffer {
    let buffer: Buffer = Arc::default();
    let kept = Arc::clone(&buffer);
    std::thread::spawn(move || {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let before = total.fetch_add(n, Ordering::Relaxed);
                    let room = limit.saturating_sub(before);
                    if room > 0 {
                        kept.lock().expect("reader lock").extend_from_slice(&chunk[..n.min(room)]);
                    }
                }
            }
        }
        let _ = done.send(());
    });
    buffer
}

fn take(buffer: &Buffer) -> Vec<u8> {
    std::mem::take(&mut *buffer.lock().expect("reader lock"))
}

fn kill_group(pid: libc::pid_t) {
    // SAFETY: signalling the process group we created for this case.
    unsafe { libc::kill(-pid, libc::SIGKILL) };
}

fn try_wait4(pid: libc::pid_t) -> Option<(libc::c_int, libc::rusage)> {
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
    (rc == pid).then_some((status, usage))
}

fn wait4_blocking(pid: libc::pid_t) -> (libc::c_int, libc::rusage) {
    let mut status = 0;
    // SAFETY: as above, blocking.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    (status, usage)
}

fn cpu_time(usage: &libc::rusage) -> Duration {
    let micros = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    micros(usage.ru_utime) + micros(usage.ru_stime)
}
