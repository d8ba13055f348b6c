//! `jbuild watch`: edits are picked up without a manual step, and stopping
//! the watcher leaves no JVM behind.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::TestProject;

/// `jbuild watch ARGS` in `p`, with its stdout lines arriving on a channel
/// and its stderr collected until it exits.
fn spawn_watch(p: &TestProject, args: &[&str]) -> (Child, mpsc::Receiver<String>, std::thread::JoinHandle<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jbuild"))
        .arg("watch")
        .args(args)
        .current_dir(&p.root)
        .env("JBUILD_CACHE_DIR", std::env::temp_dir().join("jbuild-test-cache"))
        .env_remove("CLASSPATH")
        .env_remove("JAVA_TOOL_OPTIONS")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (sender, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let stderr = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    (child, lines, stderr)
}

/// Reads lines until one equals `expected`, or fails after a generous deadline.
fn wait_for_line(lines: &mpsc::Receiver<String>, expected: &str) {
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        match lines.recv_timeout(Duration::from_millis(200)) {
            Ok(line) if line == expected => return,
            Ok(line) => seen.push(line),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    panic!("never printed {expected:?}; printed {seen:?}");
}

fn signal(child: &Child, signal: libc::c_int) {
    // SAFETY: sending a signal to our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, signal) };
}

#[cfg(unix)]
#[test]
fn watch_run_reruns_after_an_edit_and_stops_cleanly() {
    let p = TestProject::sample();
    let (mut child, lines, stderr) = spawn_watch(&p, &["run", "sample01.Main"]);
    wait_for_line(&lines, "Number is 10.");
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("10", "11"));
    wait_for_line(&lines, "Number is 11.");
    // Two quick saves, the first one broken: the loop ends on the working one.
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("11;", "11 oops;"));
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("11 oops;", "12;"));
    wait_for_line(&lines, "Number is 12.");

    signal(&child, libc::SIGINT); // what Ctrl-C sends
    let status = child.wait().unwrap();
    let stderr = stderr.join().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains(", warm)"), "compiles go through the warm worker: {stderr}");
    assert!(crate::support::processes_under(&p.root).is_empty(), "no JVM left behind: {stderr}");
}

#[cfg(unix)]
#[test]
fn watch_check_reruns_after_a_fix() {
    let p = TestProject::sample();
    p.write("tests/sample01.Main/basic.out", "Number is 11.\n");
    let (mut child, lines, stderr) = spawn_watch(&p, &["check"]);
    wait_for_line(&lines, "0 passed, 1 failed");
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("10", "11"));
    wait_for_line(&lines, "1 passed, 0 failed");
    signal(&child, libc::SIGTERM);
    let status = child.wait().unwrap();
    let stderr = stderr.join().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
}
