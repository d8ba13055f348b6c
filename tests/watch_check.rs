//! `jbuild watch check`: fixing the program reruns the checks by itself.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::TestProject;

#[cfg(unix)]
#[test]
fn watch_check_reruns_after_a_fix() {
    let p = TestProject::sample();
    p.write("tests/sample01.Main/basic.out", "Number is 11.\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jbuild"))
        .args(["watch", "check"])
        .current_dir(&p.root)
        .env("JBUILD_CACHE_DIR", std::env::temp_dir().join("jbuild-test-cache"))
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (sender, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let wait_for = |expected: &str| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(line) = lines.recv_timeout(Duration::from_millis(200))
                && line == expected
            {
                return;
            }
        }
        panic!("never printed {expected:?}");
    };
    wait_for("0 passed, 1 failed");
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("10", "11"));
    wait_for("1 passed, 0 failed");
    // SAFETY: SIGTERM to our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(child.wait().unwrap().code(), Some(0));
}
