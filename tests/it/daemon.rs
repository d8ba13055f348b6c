//! The opt-in daemon: warm compiles for one-shot commands, a private socket,
//! replaced when stale, gone when idle.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{Jbuild, TestProject};

/// A private cache folder, so each test has its own daemon; stops it on drop.
struct DaemonHome {
    cache: tempfile::TempDir,
}

impl DaemonHome {
    fn new() -> DaemonHome {
        DaemonHome { cache: tempfile::tempdir().unwrap() }
    }

    fn jbuild(&self, p: &TestProject, args: &[&str]) -> Jbuild {
        p.jbuild(args).env("JBUILD_CACHE_DIR", self.cache.path())
    }

    fn dir(&self) -> PathBuf {
        self.cache.path().join("daemon")
    }

    fn status(&self) -> crate::support::Outcome {
        Jbuild::new(self.cache.path()).env("JBUILD_CACHE_DIR", self.cache.path()).args(&["daemon", "status"]).run()
    }
}

impl Drop for DaemonHome {
    fn drop(&mut self) {
        Jbuild::new(self.cache.path()).env("JBUILD_CACHE_DIR", self.cache.path()).args(&["daemon", "stop"]).run();
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn daemon_serves_one_shot_compiles_warm() {
    let home = DaemonHome::new();
    let p = TestProject::sample();
    home.jbuild(&p, &["run", "--daemon", "sample01.Main"])
        .run()
        .success()
        .stdout_is("Number is 10.\n")
        .stderr_has(", warm)");
    let status = home.status();
    status.success().stdout_has("running: pid=").stdout_has("requests=1");
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("10", "11"));
    home.jbuild(&p, &["run", "sample01.Main"])
        .env("JBUILD_DAEMON", "1")
        .run()
        .success()
        .stdout_is("Number is 11.\n")
        .stderr_has(", warm)");
    home.status().success().stdout_has("requests=2");
    // Compile errors come back exactly as javac prints them.
    p.write("src/sample01/Number.java", "package sample01;\npublic class Number { int getNum() { return nope; } }\n");
    home.jbuild(&p, &["compile", "--daemon", "sample01.Main"])
        .run()
        .code(1)
        .stderr_has("src/sample01/Number.java:2: error: cannot find symbol");
}

#[test]
fn daemon_setting_in_jbuild_toml() {
    let home = DaemonHome::new();
    let p = TestProject::sample();
    p.write("jbuild.toml", "daemon = true\n");
    home.jbuild(&p, &["compile"]).run().success().stderr_has(", warm)");
    home.status().success().stdout_has("requests=1");
}

#[test]
fn daemon_folder_and_socket_are_private() {
    let home = DaemonHome::new();
    let p = TestProject::sample();
    home.jbuild(&p, &["compile", "--daemon"]).run().success();
    assert_eq!(mode(&home.dir()), 0o700);
    assert_eq!(mode(&home.dir().join("daemon.sock")), 0o600);
}

#[test]
fn daemon_refuses_other_users() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 || !Path::new("/usr/bin/perl").exists() {
        eprintln!("skipped: needs root (to act as user nobody) and /usr/bin/perl");
        return;
    }
    let home = DaemonHome::new();
    let p = TestProject::sample();
    home.jbuild(&p, &["compile", "--daemon"]).run().success();
    // Open the folder and socket up, so only the daemon's own uid check stands
    // between user nobody and the compiler.
    std::fs::set_permissions(home.cache.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(home.dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(home.dir().join("daemon.sock"), std::fs::Permissions::from_mode(0o777)).unwrap();
    // The daemon answers a stranger before it says anything, then hangs up.
    let script = r#"use IO::Socket::UNIX; $SIG{PIPE} = 'IGNORE'; my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "connect: $!\n"; my $l = <$s>; print defined $l ? $l : "closed\n"; print $s "hello x\n"; $l = <$s>; print defined $l ? $l : "closed\n";"#;
    let output = std::process::Command::new("/usr/bin/perl")
        .args(["-e", script])
        .arg(home.dir().join("daemon.sock"))
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    let answer = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        answer,
        "refused: another user's daemon\nclosed\n",
        "stderr {:?}",
        String::from_utf8_lossy(&output.stderr)
    );
    home.status().success().stdout_has("requests=1"); // only our own compile
}

use std::os::unix::process::CommandExt;

#[test]
fn daemon_of_another_build_is_replaced() {
    let home = DaemonHome::new();
    std::fs::create_dir_all(home.dir()).unwrap();
    std::fs::set_permissions(home.dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
    // A stand-in for a daemon left by an older jbuild.
    let listener = UnixListener::bind(home.dir().join("daemon.sock")).unwrap();
    let old = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let mut said = Vec::new();
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 {
            said.push(line.trim_end().to_owned());
            if line.starts_with("hello") {
                writeln!(writer, "mismatch 0.0.1-old 1").unwrap();
            } else if line.starts_with("stop") {
                writeln!(writer, "bye").unwrap();
                break;
            }
            line.clear();
        }
        said
    });
    let p = TestProject::sample();
    let out = home.jbuild(&p, &["run", "--daemon", "sample01.Main"]).run();
    out.success().stdout_is("Number is 10.\n").stderr_has("Restarting the jbuild daemon (it runs build 0.0.1-old");
    let said = old.join().unwrap();
    assert!(said[0].starts_with("hello 0.1"), "{said:?}");
    assert_eq!(said.last().map(String::as_str), Some("stop"));
    home.status().success().stdout_has(&format!("build={}", jbuild::toolchain::daemon::protocol::build_id()));
}

#[test]
fn idle_daemon_exits_by_itself() {
    let home = DaemonHome::new();
    let p = TestProject::sample();
    home.jbuild(&p, &["compile", "--daemon"]).env("JBUILD_DAEMON_IDLE", "1").run().success();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = home.status();
        if status.code == Some(1) {
            status.stdout_has("not running");
            break;
        }
        assert!(Instant::now() < deadline, "daemon still running: {}", status.stdout);
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(!home.dir().join("daemon.sock").exists());
}

#[test]
fn daemon_stop_when_not_running() {
    let home = DaemonHome::new();
    let p = TestProject::sample();
    home.jbuild(&p, &["daemon", "stop"]).run().success().stderr_has("not running");
    home.status().code(1).stdout_has("not running");
}
