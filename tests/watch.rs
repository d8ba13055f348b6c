//! `jbuild watch run`: edits are picked up without a manual step, and
//! stopping the watcher leaves no JVM behind.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::TestProject;

/// Reads lines from the child's stdout until one equals `expected`, or fails
/// after a generous deadline.
fn wait_for_line(lines: &mpsc::Receiver<String>, expected: &str, seen: &mut Vec<String>) {
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

#[cfg(unix)]
#[test]
fn watch_run_reruns_after_an_edit_and_stops_cleanly() {
    let p = TestProject::sample();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jbuild"))
        .args(["watch", "run", "sample01.Main"])
        .current_dir(&p.root)
        .env("JBUILD_CACHE_DIR", std::env::temp_dir().join("jbuild-test-cache"))
        .env_remove("CLASSPATH")
        .env_remove("JAVA_TOOL_OPTIONS")
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
    let stderr_reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());

    let mut seen = Vec::new();
    wait_for_line(&lines, "Number is 10.", &mut seen);
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("10", "11"));
    wait_for_line(&lines, "Number is 11.", &mut seen);
    // Two quick saves, the first one broken: the loop ends on the working one.
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("11;", "11 oops;"));
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("11 oops;", "12;"));
    wait_for_line(&lines, "Number is 12.", &mut seen);

    // SAFETY: sending SIGINT (what Ctrl-C sends) to our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let status = child.wait().unwrap();
    let stderr = stderr_reader.join().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("(javac 17") || stderr.contains("(javac 2"), "{stderr}");
    assert!(stderr.contains(", warm)"), "compiles go through the warm worker: {stderr}");
    assert!(support::processes_under(&p.root).is_empty(), "no JVM left behind: {stderr}");
}
