//! The one place that starts processes: javac, java, the worker, the
//! daemon and the `sh -c` commands of Classroom tests.
//!
//! A [`ToolCommand`] knows its full command line (for `--verbose` and error
//! messages) and its environment; a [`Spawned`] child owns everything its
//! start needed (the `@argfile`) until it has been reaped, and is killed,
//! with its whole process group when it has one, if dropped early. Every
//! live child is in a registry, so that on SIGINT/SIGTERM/SIGHUP jbuild can
//! stop them all (see [`AbortOnSignal`]), and so that processes which fled
//! a case's process group and were re-parented to jbuild (a child
//! subreaper) can be told apart from jbuild's own children and killed.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus as ProcessStatus, Stdio};
use std::sync::{Mutex, MutexGuard};

use anyhow::{Context, Result};
use rustix::process::{Pid, Signal, WaitId, WaitIdOptions};

use crate::error::ExitStatus;

/// Variables that silently change what javac/java do; jbuild's classpath and
/// options come from the project instead. Cleared for every tool it starts.
pub const LEAKY_ENV: &[&str] = &["CLASSPATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"];

/// Past this many bytes of arguments, javac and java get them through an
/// `@argfile` (Linux caps one argument at 128 KiB and all at a few MiB).
const ARGFILE_THRESHOLD: usize = 24 * 1024;

/// Where a child's standard stream comes from or goes to.
#[derive(Debug)]
pub enum Io {
    Inherit,
    Null,
    Piped,
    File(File),
}

impl Io {
    fn stdio(&self) -> Result<Stdio> {
        Ok(match self {
            Io::Inherit => Stdio::inherit(),
            Io::Null => Stdio::null(),
            Io::Piped => Stdio::piped(),
            Io::File(file) => Stdio::from(file.try_clone().context("duplicating a file handle")?),
        })
    }
}

/// The environment a child gets.
#[derive(Debug, Clone)]
pub enum Environment {
    /// jbuild's own, minus [`LEAKY_ENV`].
    Inherited,
    /// Exactly these variables and nothing else (a graded program's box).
    Only(Vec<(OsString, OsString)>),
}

/// A user and group to run a child as (`--run-as`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunAs {
    pub uid: u32,
    pub gid: u32,
}

impl RunAs {
    /// Looks `user` up (a name, or a numeric uid) in the user database:
    /// its uid, primary group and home folder.
    pub fn lookup(user: &str) -> Result<(RunAs, PathBuf)> {
        use std::ffi::{CStr, CString};
        let name =
            CString::new(user).map_err(|_| crate::error::usage(format!("--run-as {user:?}: not a user name")))?;
        // SAFETY: passwd is plain data; getpwnam_r/getpwuid_r fill it and
        // point its strings into `buffer`, which outlives their use here.
        let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let mut buffer = vec![0 as libc::c_char; 16 * 1024];
        let rc = match user.parse::<u32>() {
            Ok(uid) => unsafe { libc::getpwuid_r(uid, &mut entry, buffer.as_mut_ptr(), buffer.len(), &mut found) },
            Err(_) => unsafe {
                libc::getpwnam_r(name.as_ptr(), &mut entry, buffer.as_mut_ptr(), buffer.len(), &mut found)
            },
        };
        if rc != 0 || found.is_null() {
            return Err(crate::error::usage(format!("--run-as {user}: no such user")));
        }
        // SAFETY: pw_dir is a NUL-terminated string inside `buffer`.
        let home = unsafe { CStr::from_ptr(entry.pw_dir) }.to_string_lossy().into_owned();
        Ok((RunAs { uid: entry.pw_uid, gid: entry.pw_gid }, PathBuf::from(home)))
    }

    /// Gives `path` to this user (a scratch folder the program writes in).
    pub fn chown(&self, path: &Path) -> Result<()> {
        std::os::unix::fs::chown(path, Some(self.uid), Some(self.gid))
            .with_context(|| format!("giving {} to uid {}", path.display(), self.uid))
    }
}

/// Whether jbuild runs as root.
pub fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

#[derive(Debug)]
pub struct ToolCommand {
    program: PathBuf,
    /// Options for the tool's own JVM (javac's `-J...`): always on the
    /// command line (an `@argfile` may not hold them), and not part of
    /// [`ToolCommand::arguments`] (a warm worker runs javac in its own JVM).
    launcher_args: Vec<OsString>,
    args: Vec<OsString>,
    /// Whether the program reads `@argfile`s: javac and java, the JVMs
    /// jbuild starts with its own environment.
    argfile_capable: bool,
    /// For java: where the program's own arguments start; they never move
    /// into an argfile (the launcher does not expand them).
    program_args_from: Option<usize>,
    cwd: Option<PathBuf>,
    environment: Environment,
    stdin: Io,
    stdout: Io,
    stderr: Io,
    process_group: bool,
    die_with_parent: bool,
    run_as: Option<RunAs>,
    label: Option<String>,
}

impl ToolCommand {
    /// A program that takes its arguments on the command line only.
    pub fn new(program: impl Into<PathBuf>) -> ToolCommand {
        ToolCommand {
            program: program.into(),
            launcher_args: Vec::new(),
            args: Vec::new(),
            argfile_capable: false,
            program_args_from: None,
            cwd: None,
            environment: Environment::Inherited,
            stdin: Io::Null,
            stdout: Io::Inherit,
            stderr: Io::Inherit,
            process_group: false,
            die_with_parent: false,
            run_as: None,
            label: None,
        }
    }

    /// javac or java: both read `@argfile`s. For java, arguments after
    /// [`ToolCommand::main_class`] belong to the program and stay on the
    /// command line (the launcher does not expand them).
    pub fn jdk_tool(program: impl Into<PathBuf>) -> ToolCommand {
        ToolCommand { argfile_capable: true, ..ToolCommand::new(program) }
    }

    /// `sh -c LINE`: a shell command the user (or a teacher's test file) wrote.
    pub fn shell(line: &str) -> ToolCommand {
        let mut command = ToolCommand::new("/bin/sh");
        command.arg("-c").arg(line);
        command
    }

    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut ToolCommand {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&mut self, args: I) -> &mut ToolCommand {
        self.args.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// java's main class: the arguments after it are the program's.
    pub fn main_class(&mut self, class: &str) -> &mut ToolCommand {
        self.arg(class);
        self.program_args_from = Some(self.args.len());
        self.label.get_or_insert_with(|| class.to_owned());
        self
    }

    /// The leading arguments that may move into an `@argfile`.
    fn movable_args(&self) -> usize {
        if self.argfile_capable { self.program_args_from.unwrap_or(self.args.len()) } else { 0 }
    }

    pub fn current_dir(&mut self, dir: impl Into<PathBuf>) -> &mut ToolCommand {
        self.cwd = Some(dir.into());
        self
    }

    pub fn environment(&mut self, environment: Environment) -> &mut ToolCommand {
        self.environment = environment;
        self
    }

    pub fn stdin(&mut self, io: Io) -> &mut ToolCommand {
        self.stdin = io;
        self
    }

    pub fn stdout(&mut self, io: Io) -> &mut ToolCommand {
        self.stdout = io;
        self
    }

    pub fn stderr(&mut self, io: Io) -> &mut ToolCommand {
        self.stderr = io;
        self
    }

    /// Starts the child in a process group of its own, killed as a whole.
    pub fn own_process_group(&mut self) -> &mut ToolCommand {
        self.process_group = true;
        self
    }

    /// The child gets SIGKILL if jbuild dies, even by SIGKILL.
    pub fn die_with_parent(&mut self) -> &mut ToolCommand {
        self.die_with_parent = true;
        self
    }

    pub fn run_as(&mut self, user: Option<RunAs>) -> &mut ToolCommand {
        self.run_as = user;
        self
    }

    /// What the child is, for "interrupted: ..." messages.
    pub fn label(&mut self, label: impl Into<String>) -> &mut ToolCommand {
        self.label = Some(label.into());
        self
    }

    pub fn program(&self) -> &Path {
        &self.program
    }

    pub fn arguments(&self) -> &[OsString] {
        &self.args
    }

    /// Options for the tool's own JVM (`-J-XX:...` for javac).
    pub fn launcher_args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&mut self, args: I) -> &mut ToolCommand {
        self.launcher_args.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    pub fn cwd(&self) -> Option<&Path> {
        self.cwd.as_deref()
    }

    /// The command line as a shell would need it typed, for humans.
    pub fn display(&self) -> String {
        let mut line = shell_quote(self.program.as_os_str());
        for arg in self.launcher_args.iter().chain(&self.args) {
            line.push(' ');
            line.push_str(&shell_quote(arg));
        }
        line
    }

    /// A line that reruns the command from any folder: `cd DIR && ...`.
    pub fn display_with_cwd(&self) -> String {
        match &self.cwd {
            Some(dir) => format!("cd {} && {}", shell_quote(dir.as_os_str()), self.display()),
            None => self.display(),
        }
    }

    /// Whether a path the JVM must open is not ASCII: an argument, the
    /// working folder, the program.
    fn names_non_ascii_paths(&self) -> bool {
        let ascii = |text: &OsStr| text.as_encoded_bytes().is_ascii();
        !(self.args.iter().all(|a| ascii(a))
            && self.cwd.as_ref().is_none_or(|dir| ascii(dir.as_os_str()))
            && ascii(self.program.as_os_str()))
    }

    /// Starts the child. Its `@argfile`, if any, lives as long as it does.
    pub fn spawn(&mut self) -> Result<Spawned> {
        let mut command = Command::new(&self.program);
        match &self.environment {
            Environment::Inherited => {
                for var in LEAKY_ENV {
                    command.env_remove(var);
                }
                // A JVM under LANG=C (Docker images, some graders) takes file
                // names as ASCII: javac then refuses `Grüße.java` ("Invalid
                // filename"). Any UTF-8 locale fixes that; C.UTF-8 is built in.
                // Only then: the locale also sets a program's default Locale.
                if self.argfile_capable && !crate::env::get().utf8_locale && self.names_non_ascii_paths() {
                    command.env("LC_ALL", "C.UTF-8");
                }
            }
            Environment::Only(vars) => {
                command.env_clear().envs(vars.iter().map(|(k, v)| (k, v)));
            }
        }
        if let Some(cwd) = &self.cwd {
            command.current_dir(cwd);
        }
        command.args(&self.launcher_args);
        let argfile = self.argfile()?;
        match &argfile {
            Some(file) => {
                command.arg(format!("@{}", file.path().display()));
                command.args(&self.args[self.movable_args()..]);
            }
            None => {
                command.args(&self.args);
            }
        }
        command.stdin(self.stdin.stdio()?).stdout(self.stdout.stdio()?).stderr(self.stderr.stdio()?);
        if self.process_group {
            command.process_group(0);
        }
        if let Some(user) = self.run_as {
            // std drops supplementary groups when root sets a uid.
            command.gid(user.gid).uid(user.uid);
        }
        if self.die_with_parent {
            let parent = rustix::process::getpid();
            // SAFETY: the closure makes two system calls and allocates
            // nothing (async-signal-safe). It runs after the uid change,
            // which would clear the setting.
            unsafe {
                command.pre_exec(move || {
                    rustix::process::set_parent_process_death_signal(Some(Signal::KILL))?;
                    if rustix::process::getppid() != Some(parent) {
                        return Err(std::io::Error::other("parent gone"));
                    }
                    Ok(())
                });
            }
        }
        let mut registry = registry();
        let child = command.spawn().with_context(|| format!("cannot run {}", self.program.display()))?;
        let pid = child.id();
        registry.children.insert(pid, Registered { group: self.process_group, label: self.label.clone() });
        drop(registry);
        Ok(Spawned { child, pid, group: self.process_group, reaped: false, _argfile: argfile })
    }

    fn argfile(&self) -> Result<Option<tempfile::NamedTempFile>> {
        let movable = &self.args[..self.movable_args()];
        let total: usize = movable.iter().map(|a| a.len() + 1).sum();
        if movable.is_empty() || (total <= ARGFILE_THRESHOLD && !crate::env::get().force_argfile) {
            return Ok(None);
        }
        let mut file = tempfile::Builder::new().prefix("jbuild-args-").suffix(".txt").tempfile()?;
        for arg in movable {
            writeln!(file, "{}", argfile_quote(arg)).context("writing an @argfile")?;
        }
        file.flush().context("writing an @argfile")?;
        // A child started as another user (--run-as) must read it too; it
        // holds only paths and options.
        std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o644))?;
        Ok(Some(file))
    }

    /// Runs to completion with inherited stdio.
    pub fn status(&mut self) -> Result<ProcessStatus> {
        self.stdin = Io::Inherit;
        let mut child = self.spawn()?;
        child.wait().with_context(|| format!("waiting for {}", self.program.display()))
    }

    /// Runs to completion capturing stdout and stderr, with no stdin.
    pub fn output(&mut self) -> Result<std::process::Output> {
        self.stdin = Io::Null;
        self.stdout = Io::Piped;
        self.stderr = Io::Piped;
        let mut child = self.spawn()?;
        let output = child.wait_with_output().with_context(|| format!("waiting for {}", self.program.display()))?;
        Ok(output)
    }

    /// Runs a user's program in the foreground: its stdio are jbuild's,
    /// SIGTERM and SIGHUP sent to jbuild are forwarded. Ctrl-C in a terminal
    /// already reaches the whole foreground process group, so SIGINT is
    /// forwarded only when stdin is not a terminal (an IDE's stop button
    /// signals jbuild alone).
    pub fn run_foreground(&mut self) -> Result<ExitStatus> {
        use std::io::IsTerminal;
        self.stdin = Io::Inherit;
        let forward_sigint = !std::io::stdin().is_terminal();
        let mut child = self.spawn()?;
        let forwarding = SignalForwarding::start(child.pid(), forward_sigint)?;
        let status = child.wait().with_context(|| format!("waiting for {}", self.program.display()));
        forwarding.stop();
        Ok(exit_status_of(status?))
    }
}

/// A running child, registered until reaped; killed (with its group) when
/// dropped before that.
#[derive(Debug)]
pub struct Spawned {
    child: Child,
    pid: u32,
    group: bool,
    reaped: bool,
    _argfile: Option<tempfile::NamedTempFile>,
}

impl Spawned {
    pub fn pid(&self) -> u32 {
        self.pid
    }

    pub fn take_stdin(&mut self) -> Option<ChildStdin> {
        self.child.stdin.take()
    }

    pub fn take_stdout(&mut self) -> Option<ChildStdout> {
        self.child.stdout.take()
    }

    pub fn take_stderr(&mut self) -> Option<ChildStderr> {
        self.child.stderr.take()
    }

    /// SIGKILL to the child's process group (when it has one) and the child.
    pub fn kill(&mut self) {
        if self.reaped {
            return;
        }
        // The pid is our unreaped child (a zombie at worst), so neither it
        // nor its group id can have been reused by another process.
        kill_child(self.pid, self.group);
    }

    /// Lets the child live on after jbuild (the daemon): no longer killed
    /// on drop or abort.
    pub fn detach(mut self) {
        self.mark_reaped();
    }

    pub fn wait(&mut self) -> std::io::Result<ProcessStatus> {
        let status = self.child.wait()?;
        self.mark_reaped();
        Ok(status)
    }

    pub fn try_wait(&mut self) -> std::io::Result<Option<ProcessStatus>> {
        let status = self.child.try_wait()?;
        if status.is_some() {
            self.mark_reaped();
        }
        Ok(status)
    }

    fn wait_with_output(&mut self) -> std::io::Result<std::process::Output> {
        let (stdout, stderr) = (self.child.stdout.take(), self.child.stderr.take());
        let err_reader = std::thread::spawn(move || read_all(stderr));
        let stdout = read_all(stdout);
        let stderr = err_reader.join().unwrap_or_default();
        let status = self.wait()?;
        Ok(std::process::Output { status, stdout, stderr })
    }

    /// Whether the child has ended, without reaping it: its pid and process
    /// group id stay reserved, so the group can still be killed safely.
    pub fn has_exited(&self) -> bool {
        let Some(pid) = pid_of(self.pid) else { return true };
        let options = WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT;
        rustix::process::waitid(WaitId::Pid(pid), options).is_ok_and(|status| status.is_some())
    }

    /// Reaps the child (blocking), with the CPU time it and its waited-for
    /// descendants used.
    pub fn reap_with_usage(&mut self) -> (libc::c_int, libc::rusage) {
        let mut status = 0;
        // SAFETY: rusage is plain data; wait4 fills it for our own child.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::wait4(self.pid as libc::pid_t, &mut status, 0, &mut usage) };
        self.mark_reaped();
        (status, usage)
    }

    fn mark_reaped(&mut self) {
        self.reaped = true;
        registry().children.remove(&self.pid);
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if !self.reaped {
            self.kill();
            let _ = self.wait();
        }
    }
}

fn read_all(pipe: Option<impl std::io::Read>) -> Vec<u8> {
    let mut bytes = Vec::new();
    if let Some(mut pipe) = pipe {
        let _ = pipe.read_to_end(&mut bytes);
    }
    bytes
}

#[derive(Debug)]
struct Registered {
    group: bool,
    label: Option<String>,
}

#[derive(Debug, Default)]
struct Registry {
    children: BTreeMap<u32, Registered>,
    /// Scratch folders of running cases, removed on abort.
    scratch: BTreeSet<PathBuf>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry { children: BTreeMap::new(), scratch: BTreeSet::new() });

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Remembers a scratch folder to remove if jbuild is interrupted.
pub fn register_scratch(dir: &Path) {
    registry().scratch.insert(dir.to_path_buf());
}

pub fn unregister_scratch(dir: &Path) {
    registry().scratch.remove(dir);
}

/// Set by SIGINT, SIGTERM or SIGHUP once [`stop_on_signals`] ran: long
/// loops (a case waiting for its program, `jbuild watch`) give up soon after.
static STOP: std::sync::OnceLock<std::sync::Arc<std::sync::atomic::AtomicBool>> = std::sync::OnceLock::new();

/// Makes SIGINT, SIGTERM and SIGHUP set the stop flag instead of ending
/// jbuild, for commands that stop in their own time (`jbuild watch`).
pub fn stop_on_signals() -> Result<()> {
    let flag = STOP.get_or_init(Default::default);
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        signal_hook::flag::register(signal, std::sync::Arc::clone(flag)).context("installing signal handlers")?;
    }
    Ok(())
}

/// Whether a signal asked jbuild to stop (see [`stop_on_signals`]).
pub fn stop_requested() -> bool {
    STOP.get().is_some_and(|flag| flag.load(std::sync::atomic::Ordering::Relaxed))
}

/// Makes jbuild the reaper of every orphan among its descendants, so a
/// process that double-forks or calls `setsid` to leave its case's process
/// group comes back to jbuild instead of init, and can be killed.
pub fn become_subreaper() {
    let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
}

/// Makes jbuild's `/proc/<pid>/` (its fds among them) closed to processes
/// of the same user, so a graded program cannot write into jbuild's stdout
/// through `/proc/<jbuild>/fd/1` and forge its report.
pub fn set_dumpable(dumpable: bool) {
    use rustix::process::DumpableBehavior;
    let behavior = if dumpable { DumpableBehavior::Dumpable } else { DumpableBehavior::NotDumpable };
    let _ = rustix::process::set_dumpable_behavior(behavior);
}

/// The pid of a child as rustix takes it (`None` for 0, which no child has).
fn pid_of(pid: u32) -> Option<Pid> {
    Pid::from_raw(i32::try_from(pid).ok()?)
}

/// SIGKILL to a child of ours, and to its process group first when it
/// leads one. Errors (it is gone already) do not matter.
fn kill_child(pid: u32, group: bool) {
    let Some(pid) = pid_of(pid) else { return };
    if group {
        let _ = rustix::process::kill_process_group(pid, Signal::KILL);
    }
    let _ = rustix::process::kill_process(pid, Signal::KILL);
}

/// Waits for a child of ours to end and reaps it.
fn reap(pid: u32) {
    if let Some(pid) = pid_of(pid) {
        let _ = rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::empty());
    }
}

/// Kills and reaps every child of jbuild that jbuild did not start itself:
/// orphans re-parented to it (see [`become_subreaper`]). Returns how many.
pub fn kill_orphans() -> usize {
    kill_orphans_locked(&registry())
}

fn kill_orphans_locked(registry: &Registry) -> usize {
    let me = std::process::id();
    let mut killed = 0;
    for pid in children_of(me) {
        if registry.children.contains_key(&pid) {
            continue;
        }
        // Our own unreaped child: its pid is not reused before it is reaped.
        kill_child(pid, true);
        reap(pid);
        killed += 1;
    }
    killed
}

/// Pids whose parent is `parent`, read from `/proc`.
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            // Fields after the command name (which may hold spaces): state, ppid.
            let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
            rest.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok()) == Some(parent)
        })
        .collect()
}

/// On SIGINT, SIGTERM or SIGHUP: kill every registered child (whole process
/// groups) and every orphan, remove registered scratch folders, say what
/// was interrupted, and exit 128+n.
pub struct AbortOnSignal {
    handle: signal_hook::iterator::Handle,
}

impl AbortOnSignal {
    pub fn install() -> Result<AbortOnSignal> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let mut signals =
            signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]).context("installing signal handlers")?;
        let handle = signals.handle();
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                abort(signal);
            }
        });
        Ok(AbortOnSignal { handle })
    }
}

impl Drop for AbortOnSignal {
    fn drop(&mut self) {
        self.handle.close();
    }
}

fn abort(signal: libc::c_int) -> ! {
    // The registry stays locked until jbuild exits: a runner thread that
    // sees its child die now blocks instead of reporting a result.
    let mut registry = registry();
    let mut interrupted = Vec::new();
    for (&pid, child) in &registry.children {
        // Registered pids are unreaped children of ours.
        kill_child(pid, child.group);
        interrupted.extend(child.label.clone());
    }
    for &pid in registry.children.keys() {
        reap(pid);
    }
    registry.children.clear();
    for dir in std::mem::take(&mut registry.scratch) {
        let _ = std::fs::remove_dir_all(dir);
    }
    kill_orphans_locked(&registry);
    let name = match signal {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        _ => "SIGHUP",
    };
    let what = if interrupted.is_empty() { "nothing was running".to_owned() } else { interrupted.join(", ") };
    let _ = writeln!(std::io::stderr(), "jbuild: interrupted by {name}; stopped: {what}");
    std::process::exit(128 + signal);
}

/// The jbuild exit status for a finished child: its code, or 128+n when it
/// died of signal n.
pub fn exit_status_of(status: ProcessStatus) -> ExitStatus {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(0), _) => ExitStatus::Success,
        (Some(code), _) => ExitStatus::Child(code),
        (None, Some(signal)) => ExitStatus::Child(128 + signal),
        (None, None) => ExitStatus::Failure,
    }
}

struct SignalForwarding {
    handle: signal_hook::iterator::Handle,
    thread: std::thread::JoinHandle<()>,
}

impl SignalForwarding {
    fn start(child: u32, forward_sigint: bool) -> Result<SignalForwarding> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let mut signals =
            signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]).context("installing signal handlers")?;
        let handle = signals.handle();
        let thread = std::thread::spawn(move || {
            for signal in signals.forever() {
                if (signal != SIGINT || forward_sigint)
                    && let (Some(pid), Some(signal)) = (pid_of(child), Signal::from_named_raw(signal))
                {
                    // Our own child, not yet reaped.
                    let _ = rustix::process::kill_process(pid, signal);
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

/// Quotes an argument for the `@argfile` syntax of javac and java: double
/// quotes, with backslashes and quotes escaped.
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

pub use crate::term::shell_quote;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote(OsStr::new("a/b.java")), "a/b.java");
        assert_eq!(shell_quote(OsStr::new("my dir/x")), "'my dir/x'");
        assert_eq!(shell_quote(OsStr::new("it's")), r"'it'\''s'");
        assert_eq!(shell_quote(OsStr::new("")), "''");
        assert_eq!(argfile_quote(OsStr::new(r#"a "b" \c"#)), r#""a \"b\" \\c""#);
    }

    #[test]
    fn java_program_arguments_never_move_into_the_argfile() {
        let mut java = ToolCommand::jdk_tool("java");
        java.arg("-cp").arg("classes").main_class("app.Main").arg("a").arg("b");
        assert_eq!(java.movable_args(), 3);
        let mut javac = ToolCommand::jdk_tool("javac");
        javac.arg("-d").arg("out").arg("A.java");
        assert_eq!(javac.movable_args(), 3);
        let sh = ToolCommand::shell("echo hi");
        assert_eq!(sh.movable_args(), 0);
    }

    #[test]
    fn a_dropped_child_is_killed_with_its_group() {
        let mut command = ToolCommand::shell("sleep 30 & sleep 30");
        command.own_process_group();
        let child = command.spawn().unwrap();
        let pid = child.pid();
        assert!(registry().children.contains_key(&pid));
        drop(child);
        assert!(!registry().children.contains_key(&pid));
        // Killed processes may linger as zombies until reaped: look for
        // live members of the group.
        let live_members = || {
            std::fs::read_dir("/proc")
                .unwrap()
                .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
                .filter(|p| {
                    let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
                    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, r)| r).split_whitespace().collect();
                    fields.first() != Some(&"Z") && fields.get(2) == Some(&pid.to_string().as_str())
                })
                .count()
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while live_members() > 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(live_members(), 0, "the background sleep of the group was killed too");
    }
}
