//! The first ten minutes: help that teaches, errors that point at the right
//! place from where the user stands, and words that fit.

use crate::assert_outcome_snapshot;
use crate::support::{Jbuild, TestProject};

#[test]
fn help_ends_with_examples_and_shows_only_flags_that_matter() {
    let dir = tempfile::tempdir().unwrap();
    let help = |args: &[&str]| Jbuild::new(dir.path()).args(args).run();
    assert_outcome_snapshot!("help", help(&["--help"]));
    assert_outcome_snapshot!("check_help", help(&["check", "--help"]));
    assert_outcome_snapshot!("run_help", help(&["run", "--help"]));
    for command in [
        "compile",
        "run",
        "list",
        "clean",
        "check",
        "test",
        "new",
        "grades",
        "watch",
        "doctor",
        "daemon",
        "completions",
        "man",
    ] {
        let out = help(&[command, "--help"]);
        out.success().stdout_has("Example").stdout_has("Global options:");
        let settings = out.stdout.contains("Project settings");
        let builds = matches!(command, "compile" | "run" | "list" | "check" | "test" | "watch" | "doctor");
        assert_eq!(settings, builds, "`{command} --help` and project settings:\n{}", out.stdout);
    }
}

#[test]
fn version_and_man_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = Jbuild::new(dir.path()).args(&["--version"]).run();
    out.success().stdout_has(&format!("jbuild {}", env!("CARGO_PKG_VERSION")));
    let man = Jbuild::new(dir.path()).args(&["man"]).run();
    man.success().stdout_has(".TH jbuild 1").stdout_has("jbuild\\-check");
}

#[test]
fn commands_from_other_tools_get_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let out = Jbuild::new(dir.path()).args(&["build"]).run();
    out.code(2).stderr_has("did you mean `jbuild compile`?");
    Jbuild::new(dir.path()).args(&["chek"]).run().code(2).stderr_has("similar subcommand exists: 'check'");
}

#[test]
fn bad_flag_values_get_real_messages() {
    let p = TestProject::sample();
    assert_outcome_snapshot!("bad_shard", p.jbuild(&["check", "--shard", "x"]).run());
    assert_outcome_snapshot!("negative_timeout", p.jbuild(&["check", "--timeout", "-1"]).run());
    p.jbuild(&["check", "--memory", "0"]).run().code(2).stderr_has("positive whole number of MiB");
    p.jbuild(&["check", "--compare", "fuzzy"]).run().code(2).stderr_has("unknown comparison \"fuzzy\"");
}

#[test]
fn dash_c_is_cd_for_everything() {
    let p = TestProject::sample();
    let outside = Jbuild::new(p.dir.path());
    outside.args(&["-C", "sample", "compile", "src/sample01/Main.java"]).run().success();
    let out = Jbuild::new(p.dir.path()).args(&["-C", "sample/src", "run", "sample01.Main"]).run();
    out.success().stdout_is("Number is 10.\n");
    p.write("tests/sample01.Main/basic.out", "Number is 10.\n");
    let out = Jbuild::new(p.dir.path().parent().unwrap()).arg("-C").arg(p.dir.path()).args(&["check"]).run();
    out.success().stdout_has("sample01.Main/basic").stdout_has("1 passed, 0 failed");
    Jbuild::new(p.dir.path()).args(&["-C", "nowhere", "run"]).run().code(2).stderr_has("no such folder");
}

#[test]
fn everything_after_the_class_is_the_programs() {
    let p = TestProject::empty();
    p.write(
        "src/app/Args.java",
        "package app;\nclass Args { public static void main(String[] a) { System.out.println(String.join(\"|\", a)); } }\n",
    );
    p.jbuild(&["run", "app.Args", "a", "-v", "--x"]).run().success().stdout_is("a|-v|--x\n");
    p.jbuild(&["run", "app.Args", "--", "b"]).run().success().stdout_is("b\n");
    p.jbuild(&["run", "--", "c", "d"]).run().success().stdout_is("c|d\n");
    p.jbuild(&["run", "-q", "app.Args"]).run().success().stdout_is("\n");
}

#[test]
fn a_package_line_that_does_not_match_is_said_at_once() {
    let p = TestProject::empty();
    p.write("src/app/Wrong.java", "package ap;\nclass Wrong { public static void main(String[] a) {} }\n");
    let out = p.jbuild(&["run", "app.Wrong"]).run();
    out.code(1).stderr_has("declares `package ap;`, but its folder means `package app;`").stderr_lacks("did you mean");
    p.write("src/app/Wrong.java", "class Wrong { public static void main(String[] a) {} }\n");
    p.jbuild(&["run", "app.Wrong"]).run().code(1).stderr_has("declares no package (the unnamed package)");
}

#[test]
fn a_compact_source_file_under_an_older_jdk_is_explained_everywhere() {
    let p = TestProject::empty();
    p.write("src/Hello.java", "void main() { System.out.println(\"hi\"); }\n");
    p.write("tests/Hello/basic.out", "hi\n");
    let jdk17 = std::path::Path::new("/usr/lib/jvm/java-17-openjdk-amd64");
    let jbuild = |args: &[&str]| {
        let command = p.jbuild(args);
        if jdk17.join("bin/javac").is_file() { command.env("JAVA_HOME", jdk17) } else { command }
    };
    let version = jbuild(&["compile"]).run();
    if version.stderr.contains("JDK 25") {
        // The JDK found is 17..24: jbuild's own message, not javac's.
        version.code(2).stderr_has("is a compact source file").stderr_has("needs JDK 25 or newer");
        jbuild(&["check"]).run().code(1).stdout_has("COMPILE").stdout_has("needs JDK 25 or newer");
    } else {
        panic!("the test expects a JDK older than 25 on PATH or at {}: {}", jdk17.display(), version.stderr);
    }
}

#[test]
fn a_misspelled_class_folder_in_tests_is_a_configuration_error() {
    let p = TestProject::sample();
    p.write("tests/sample01.Mian/basic.out", "Number is 10.\n");
    let out = p.jbuild(&["check"]).run();
    out.code(2).stderr_has("tests/sample01.Mian: no class `sample01.Mian`").stderr_has("did you mean `sample01.Main`");
}

#[test]
fn words_fit_the_numbers() {
    let p = TestProject::sample();
    p.jbuild(&["compile", "sample01/Main.java"]).run().success().stderr_has("Compiling sample01.Main ");
    p.write("src/sample01/Extra.java", "package sample01;\nclass Extra {}\n");
    let out = p.jbuild(&["compile", "src/sample01/Extra.java", "src/sample01/Main.java"]).run();
    out.success().stderr_has("Compiling 2 files");
    std::fs::remove_file(p.path("src/sample01/Extra.java")).unwrap();
    p.jbuild(&["compile"]).run().success().stderr_has("Removed 1 stale class file\n");
    p.write("tests/sample01.Main/basic.out", "Number is 10.\n");
    let out = p.jbuild(&["check", "--format", "json"]).run();
    out.success();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["cases"][0]["project"], "sample", "named by its folder, never `.`");
}
