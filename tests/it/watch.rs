//! `jbuild watch`: edits are picked up without a manual step, and stopping
//! the watcher leaves no JVM behind.

use crate::support::{Running, TestProject};

fn spawn_watch(p: &TestProject, args: &[&str]) -> Running {
    p.jbuild(&["watch"]).args(args).spawn()
}

#[test]
fn watch_run_reruns_after_an_edit_and_stops_cleanly() {
    let p = TestProject::sample();
    let watch = spawn_watch(&p, &["run", "sample01.Main"]);
    watch.wait_for_line("Number is 10.");
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("10", "11"));
    watch.wait_for_line("Number is 11.");
    // Two quick saves, the first one broken: the loop ends on the working one.
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("11;", "11 oops;"));
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("11 oops;", "12;"));
    watch.wait_for_line("Number is 12.");

    watch.signal(libc::SIGINT); // what Ctrl-C sends
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains(", warm)"), "compiles go through the warm worker: {stderr}");
    assert!(crate::support::processes_under(&p.root).is_empty(), "no JVM left behind: {stderr}");
}

#[test]
fn watch_check_reruns_after_a_fix() {
    let p = TestProject::sample();
    p.write("tests/sample01.Main/basic.out", "Number is 11.\n");
    let watch = spawn_watch(&p, &["check"]);
    watch.wait_for_line("0 passed, 1 failed");
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("10", "11"));
    watch.wait_for_line("1 passed, 0 failed");
    watch.signal(libc::SIGTERM);
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn watch_run_stops_the_programs_whole_process_group() {
    let p = TestProject::empty();
    p.write(
        "src/app/Forks.java",
        "package app;\nclass Forks { public static void main(String[] a) throws Exception {\n  new ProcessBuilder(\"sleep\", \"4245.5\").start();\n  System.out.println(\"forked \" + a.length);\n  Thread.sleep(60_000);\n} }\n",
    );
    let watch = spawn_watch(&p, &["run", "app.Forks"]);
    watch.wait_for_line("forked 0");
    assert!(crate::support::eventually(|| !crate::support::processes_mentioning("4245.5").is_empty()));
    // A restart stops the old run's child too.
    p.write("src/app/Forks.java", &p.read("src/app/Forks.java").replace("a.length", "(a.length + 1)"));
    watch.wait_for_line("forked 1");
    assert!(crate::support::eventually(|| crate::support::processes_mentioning("4245.5").len() == 1));
    watch.signal(libc::SIGINT);
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(crate::support::all_gone("4245.5"), "the program's child outlived watch");
}

#[test]
fn watch_check_stops_its_round_on_ctrl_c() {
    let p = TestProject::empty();
    p.write(
        "src/slow/Sleepy.java",
        "package slow;\nclass Sleepy { public static void main(String[] a) throws Exception {\n  System.out.println(\"asleep\"); System.out.flush();\n  Thread.sleep(4246_000);\n} }\n",
    );
    p.write("tests/slow.Sleepy/long.out", "asleep\n");
    let watch = spawn_watch(&p, &["check", "--timeout", "600"]);
    assert!(crate::support::eventually(|| !crate::support::processes_mentioning("slow.Sleepy").is_empty()));
    let signalled = std::time::Instant::now();
    watch.signal(libc::SIGINT);
    let (code, stderr) = watch.finish();
    assert!(signalled.elapsed() < std::time::Duration::from_secs(10), "the round did not stop: {stderr}");
    assert!(code.is_some(), "{stderr}");
    assert!(crate::support::all_gone("slow.Sleepy"), "a case JVM outlived watch check");
}
