//! Test harness: runs the real `jbuild` binary on a temp copy of a fixture
//! with the real javac/java, and checks exit code, stdout and stderr.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Variables that would leak the developer's setup into a test.
const LEAKY_ENV: &[&str] = &[
    "CLASSPATH",
    "JAVA_TOOL_OPTIONS",
    "_JAVA_OPTIONS",
    "JDK_JAVA_OPTIONS",
    "JBUILD_DAEMON",
    "JBUILD_JUNIT_JAR",
    "GITHUB_ACTIONS",
    "GITHUB_STEP_SUMMARY",
    "NO_COLOR",
];

/// A temp copy of a project fixture.
pub struct TestProject {
    pub dir: tempfile::TempDir,
    /// The project root inside `dir` (a subfolder, so names with spaces work).
    pub root: PathBuf,
}

impl TestProject {
    /// A fresh copy of `sample-project/` (sources only).
    pub fn sample() -> TestProject {
        TestProject::sample_named("sample")
    }

    /// A copy of the sample under a folder of this name (spaces, non-ASCII...).
    pub fn sample_named(name: &str) -> TestProject {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(name);
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-project/src"), &root.join("src"));
        TestProject { dir, root }
    }

    /// An empty project with only `src/`.
    pub fn empty() -> TestProject {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        std::fs::create_dir_all(root.join("src")).unwrap();
        TestProject { dir, root }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) -> &TestProject {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap()
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.path(relative).exists()
    }

    /// `jbuild ARGS` run from the project root.
    pub fn jbuild(&self, args: &[&str]) -> Jbuild {
        Jbuild::new(&self.root).args(args)
    }

    /// `jbuild ARGS` run from `relative` inside the project.
    pub fn jbuild_in(&self, relative: &str, args: &[&str]) -> Jbuild {
        let dir = self.path(relative);
        std::fs::create_dir_all(&dir).unwrap();
        Jbuild::new(&dir).args(args)
    }

    /// Opens the project (and the temp folder above it) to other users, for
    /// tests that run programs or jbuild itself as `nobody`.
    pub fn open_to_everyone(&self) -> &TestProject {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(self.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        for entry in walkdir::WalkDir::new(&self.root).into_iter().filter_map(Result::ok) {
            let mode = if entry.file_type().is_dir() { 0o777 } else { 0o666 };
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        }
        self
    }

    /// Every file under the project, relative, sorted: to prove nothing else changed.
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(&self.root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&self.root).unwrap().to_string_lossy().into_owned())
            .collect();
        files.sort();
        files
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A jbuild invocation being set up.
pub struct Jbuild {
    command: Command,
    stdin: Vec<u8>,
}

impl Jbuild {
    pub fn new(cwd: &Path) -> Jbuild {
        let mut command = Command::new(env!("CARGO_BIN_EXE_jbuild"));
        command.current_dir(cwd);
        for var in LEAKY_ENV {
            command.env_remove(var);
        }
        // Keep the worker cache of each test run out of the user's home.
        command.env("JBUILD_CACHE_DIR", std::env::temp_dir().join("jbuild-test-cache"));
        Jbuild { command, stdin: Vec::new() }
    }

    pub fn args(mut self, args: &[&str]) -> Jbuild {
        self.command.args(args);
        self
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Jbuild {
        self.command.arg(arg.into());
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Jbuild {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Jbuild {
        self.command.env_remove(key);
        self
    }

    pub fn stdin(mut self, input: &str) -> Jbuild {
        self.stdin = input.as_bytes().to_vec();
        self
    }

    /// Runs jbuild through `setpriv` as the unprivileged `nobody` (the test
    /// runs as root), to test what an ordinary user's jbuild can do.
    pub fn run_as_nobody(mut self) -> Jbuild {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        command.arg(self.command.get_program()).args(self.command.get_args());
        if let Some(dir) = self.command.get_current_dir() {
            command.current_dir(dir);
        }
        for (key, value) in self.command.get_envs() {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        self.command = command;
        self
    }

    /// Starts jbuild in the background, its stdout lines arriving on a
    /// channel and its stderr collected until it exits.
    pub fn spawn(mut self) -> Running {
        self.command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("spawning jbuild");
        let (sender, lines) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let stderr = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
        Running { child, lines, stderr: Some(stderr) }
    }

    pub fn run(mut self) -> Outcome {
        self.command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("spawning jbuild");
        let mut stdin = child.stdin.take().unwrap();
        let input = std::mem::take(&mut self.stdin);
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap();
        Outcome {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// A jbuild running in the background (see [`Jbuild::spawn`]).
pub struct Running {
    pub child: std::process::Child,
    pub lines: std::sync::mpsc::Receiver<String>,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Running {
    /// Reads stdout lines until one equals `expected`, or fails after a
    /// generous deadline.
    #[track_caller]
    pub fn wait_for_line(&self, expected: &str) {
        let mut seen = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            match self.lines.recv_timeout(Duration::from_millis(200)) {
                Ok(line) if line == expected => return,
                Ok(line) => seen.push(line),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        panic!("never printed {expected:?}; printed {seen:?}");
    }

    pub fn signal(&self, signal: libc::c_int) {
        // SAFETY: sending a signal to our own child.
        unsafe { libc::kill(self.child.id() as libc::pid_t, signal) };
    }

    /// Waits for jbuild to exit (failing after a generous deadline): its
    /// exit code (128+n for signal n) and stderr.
    #[track_caller]
    pub fn finish(mut self) -> (Option<i32>, String) {
        use std::os::unix::process::ExitStatusExt;
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("jbuild did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stderr = self.stderr.take().unwrap().join().unwrap();
        (status.code().or(status.signal().map(|s| 128 + s)), stderr)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits (up to a generous deadline) until `condition` holds.
pub fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[derive(Debug)]
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Outcome {
        assert_eq!(self.code, Some(expected), "exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    pub fn success(&self) -> &Outcome {
        self.code(0)
    }

    #[track_caller]
    pub fn stdout_is(&self, expected: &str) -> &Outcome {
        assert_eq!(self.stdout, expected, "stdout\nstderr:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Outcome {
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stderr_lacks(&self, needle: &str) -> &Outcome {
        assert!(!self.stderr.contains(needle), "stderr has {needle:?}:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stdout_lacks(&self, needle: &str) -> &Outcome {
        assert!(!self.stdout.contains(needle), "stdout has {needle:?}:\n{}", self.stdout);
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Outcome {
        assert!(self.stdout.contains(needle), "stdout lacks {needle:?}:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// The whole outcome as one text for a snapshot: exit code, stdout and
    /// stderr, with temp folders, times, the JDK version and the build's
    /// commit redacted (see [`snapshot_filters`]).
    pub fn render(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code.map_or("signal".to_owned(), |c| c.to_string()),
            self.stdout,
            self.stderr
        )
    }

    /// The one `jbuild: error:` line(s), for exact-message checks.
    pub fn error(&self) -> String {
        self.stderr.lines().filter(|l| l.starts_with("jbuild: error:")).collect::<Vec<_>>().join("\n")
    }
}

/// A JDK of at least `feature` under /usr/lib/jvm (or JAVA_HOME), found the
/// way jbuild reads a JDK's version: from its `release` file.
pub fn jdk_at_least(feature: u32) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::env::var_os("JAVA_HOME").map(PathBuf::from).into_iter().collect();
    if let Ok(entries) = std::fs::read_dir("/usr/lib/jvm") {
        candidates.extend(entries.filter_map(Result::ok).map(|e| e.path()));
    }
    candidates.into_iter().find(|home| {
        let release = std::fs::read_to_string(home.join("release")).unwrap_or_default();
        let version = release.lines().find_map(|l| l.strip_prefix("JAVA_VERSION=")).unwrap_or("").trim_matches('"');
        home.join("bin/javac").is_file() && jbuild::toolchain::jdk::feature_of(version) >= feature
    })
}

/// Pids of live processes whose working folder is under `dir` (to prove no
/// JVM was left behind).
pub fn processes_under(dir: &Path) -> Vec<u32> {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let zombie = status.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z'));
            !zombie && std::fs::read_link(format!("/proc/{pid}/cwd")).is_ok_and(|cwd| cwd.starts_with(&dir))
        })
        .collect()
}

/// Pids of live processes whose command line contains `needle`.
pub fn processes_mentioning(needle: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let me = std::process::id();
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != me)
        .filter(|pid| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let zombie = status.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z'));
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            !zombie && String::from_utf8_lossy(&cmdline).contains(needle)
        })
        .collect()
}

/// Whether every process mentioning `needle` is gone within a few seconds
/// (a killed process may take a moment to disappear).
pub fn all_gone(needle: &str) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        if processes_mentioning(needle).is_empty() {
            return true;
        }
        if std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// What varies between runs of the same command, and its stand-in.
pub fn snapshot_filters() -> Vec<(&'static str, &'static str)> {
    vec![
        // Said when the tests run as root, not otherwise.
        (r"(?m)^jbuild: warning: running as root: .*\n", ""),
        (r"/tmp/\.tmp[A-Za-z0-9]+", "[TMP]"),
        (r"/tmp/jbuild-[a-z-]+[A-Za-z0-9]+", "[TMP]"),
        (r"\b\d+\.\d\ds\b", "[TIME]"),
        (r"javac \d+(\.\d+)*", "javac [JDK]"),
        (r"\b(\d+\.\d+\.\d+) \([0-9a-f]{9}\)", "$1 [COMMIT]"),
    ]
}

/// Asserts a whole [`Outcome`] against its snapshot in `tests/it/snapshots/`.
#[macro_export]
macro_rules! assert_outcome_snapshot {
    ($name:expr, $outcome:expr) => {
        insta::with_settings!({ filters => $crate::support::snapshot_filters(), prepend_module_to_snapshot => true }, {
            insta::assert_snapshot!($name, $outcome.render());
        })
    };
}
