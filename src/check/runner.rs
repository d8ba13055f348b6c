//! Running one case's process under limits: wall-clock timeout, output cap,
//! its own process group (killed whole before its leader is reaped, so the
//! group id cannot have been reused), stdin from a file, a string, or
//! nothing, never the terminal; and afterwards any process that fled the
//! group and came back to jbuild as an orphan is killed too.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Result;

use super::cases::Text;
use crate::toolchain::process::{Io, ToolCommand, kill_orphans, stop_requested};

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
    /// The JVM itself said it ran out of memory (not the program's output).
    pub out_of_memory: bool,
    /// Stopped because it printed nothing for the idle limit.
    pub stalled: bool,
}

pub struct Limits {
    pub timeout: Duration,
    /// stdout and stderr together, in bytes.
    pub output: usize,
}

/// What the case reads on stdin.
#[derive(Debug, Clone, Copy)]
pub enum Stdin<'a> {
    /// Nothing: end of input at once.
    Empty,
    /// This text, then end of input.
    Text(&'a Text),
    /// A pipe that is never written nor closed (GitHub Classroom's runner
    /// gives a test without input an open stdin: a program that reads it
    /// waits until its time limit).
    Open,
}

/// Runs `command` to completion or until a limit is hit.
pub fn execute(command: &mut ToolCommand, stdin: Stdin, limits: &Limits) -> Result<Execution> {
    execute_watched(command, stdin, limits, None)
}

/// [`execute`], and also stops the process (marking it `stalled`) when it
/// has printed nothing for `idle`: a program that reports progress as it
/// goes (the JUnit launcher) is known stuck long before its overall limit.
pub fn execute_watched(
    command: &mut ToolCommand,
    stdin: Stdin,
    limits: &Limits,
    idle: Option<Duration>,
) -> Result<Execution> {
    if stop_requested() {
        anyhow::bail!("not run: interrupted");
    }
    let mut inline = None;
    match stdin {
        Stdin::Empty => command.stdin(Io::Null),
        Stdin::Text(Text::File(path)) => command.stdin(Io::File(super::cases::open_case_file(path)?)),
        Stdin::Text(Text::Inline(text)) => {
            inline = Some(text.clone());
            command.stdin(Io::Piped)
        }
        Stdin::Open => command.stdin(Io::Piped),
    };
    command.stdout(Io::Piped).stderr(Io::Piped).own_process_group().die_with_parent();
    let started = Instant::now();
    let mut child = command.spawn()?;
    let held_open = match (inline, child.take_stdin()) {
        (Some(text), Some(mut pipe)) => {
            // A program that never reads must not block us: write from a thread.
            std::thread::spawn(move || {
                let _ = pipe.write_all(text.as_bytes());
            });
            None
        }
        (None, pipe) => pipe,
        (Some(_), None) => None,
    };
    let total = Arc::new(AtomicUsize::new(0));
    let (done, finished) = mpsc::channel();
    let out = spawn_reader(child.take_stdout().expect("piped"), Arc::clone(&total), limits.output, done.clone());
    let err = spawn_reader(child.take_stderr().expect("piped"), Arc::clone(&total), limits.output, done);

    let mut execution = Execution::default();
    let mut pause = Duration::from_micros(500);
    let (mut printed, mut progress_at) = (0, Instant::now());
    loop {
        if child.has_exited() {
            break;
        }
        if started.elapsed() >= limits.timeout {
            execution.timed_out = true;
            break;
        }
        if let Some(idle) = idle {
            let now = total.load(Ordering::Relaxed);
            if now != printed {
                (printed, progress_at) = (now, Instant::now());
            } else if progress_at.elapsed() >= idle {
                execution.stalled = true;
                break;
            }
        }
        if total.load(Ordering::Relaxed) > limits.output {
            execution.output_exceeded = true;
            break;
        }
        if stop_requested() {
            break;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(10));
    }
    execution.wall = started.elapsed();
    // The leader is ended or still running, but not reaped: its group id is
    // still ours to kill, with every child the program started in it.
    child.kill();
    let (status, usage) = child.reap_with_usage();
    drop(held_open);
    kill_orphans();
    execution.cpu = cpu_time(&usage);
    let stopped = execution.timed_out || execution.stalled;
    if libc::WIFEXITED(status) && !stopped {
        execution.code = Some(libc::WEXITSTATUS(status));
    } else if libc::WIFSIGNALED(status) && !stopped {
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

fn cpu_time(usage: &libc::rusage) -> Duration {
    let micros = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    micros(usage.ru_utime) + micros(usage.ru_stime)
}
