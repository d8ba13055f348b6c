//! GitHub Classroom repositories, graded as Classroom's runners graded them.
//!
//! Each folder in `tests/fixtures/classroom/` is modelled on a real kind of
//! assignment repository; its `expected.txt` holds the grade worked out by
//! hand from the runners' code (the comment in it says how), not from
//! jbuild's output.

use std::path::{Path, PathBuf};

use crate::support::{Jbuild, Outcome, copy_dir};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classroom")
}

/// A temp copy of one fixture (without its expected.txt).
fn repo(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(name);
    copy_dir(&fixtures().join(name), &root);
    std::fs::remove_file(root.join("expected.txt")).unwrap();
    (dir, root)
}

/// The grade lines of a fixture's expected.txt.
fn expected(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join(name).join("expected.txt")).unwrap();
    text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(str::to_owned).collect()
}

/// The last lines of a check report, as many as expected.
fn grade(out: &Outcome, lines: usize) -> Vec<String> {
    let all: Vec<String> = out.stdout.lines().map(str::to_owned).collect();
    all[all.len().saturating_sub(lines)..].to_vec()
}

#[track_caller]
fn check_fixture(name: &str) {
    let (_dir, root) = repo(name);
    let want = expected(name);
    let out = Jbuild::new(&root).args(&["check"]).run();
    let all_pass = want.last().is_some_and(|l| l.ends_with(" 0 failed"));
    out.code(if all_pass { 0 } else { 1 });
    assert_eq!(grade(&out, want.len()), want, "{name}: the grade differs\n{}", out.stdout);
    assert!(!root.join("classes").exists(), "{name}: jbuild left an output folder in a Classroom-only repo");
}

#[test]
fn the_official_java_fixture() {
    check_fixture("official-hello");
}

#[test]
fn tests_that_depend_on_each_other_run_in_file_order() {
    check_fixture("compile-then-run");
}

#[test]
fn comparison_and_exit_code_rules_of_runner_ts() {
    check_fixture("output-rules");
}

#[test]
fn a_test_without_timeout_gets_a_minute() {
    check_fixture("slow-default-timeout");
}

#[test]
fn classroom_yml_io_and_command_graders() {
    check_fixture("classroom-yml");
}

#[test]
fn tests_sharing_a_scratch_file_get_the_same_grade_every_run() {
    for _ in 0..10 {
        check_fixture("shared-scratch");
    }
}

#[test]
fn every_fixture_has_a_test() {
    let source = std::fs::read_to_string(file!()).unwrap();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(source.contains(&format!("\"{name}\"")), "fixture {name} is not checked by any test");
    }
}

#[test]
fn run_works_with_java_files_at_the_top_level() {
    let (_dir, root) = repo("official-hello");
    Jbuild::new(&root).args(&["run", "Hello"]).stdin("Jeff").run().success().stdout_is("Hello Jeff\n");
    assert!(root.join("classes/Hello.class").is_file());
    // And from the output folder, as the classic layout allows.
    Jbuild::new(&root).args(&["check"]).run().success();
}

#[test]
fn flags_win_over_the_files_values() {
    let (_dir, root) = repo("slow-default-timeout");
    let started = std::time::Instant::now();
    let out = Jbuild::new(&root).args(&["check", "--timeout", "0.5"]).run();
    out.code(1).stdout_has("TIMEOUT").stdout_has("(limit 0.5s)");
    assert!(started.elapsed().as_secs() < 10, "the file's minute was not shortened");
}

#[test]
fn a_failing_shell_test_shows_stdout_stderr_and_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir_all(root.join(".github/classroom")).unwrap();
    std::fs::write(
        root.join(".github/classroom/autograding.json"),
        r#"{"tests": [
            {"name": "diffs", "run": "echo '< expected line' && echo 'warning: x' >&2 && exit 1", "points": 1},
            {"name": "wrong", "run": "cat", "input": "typed in", "output": "something else", "comparison": "exact", "points": 1},
            {"name": "slow", "run": "echo partial && sleep 30", "timeout": 0.01, "points": 1}
        ]}"#,
    )
    .unwrap();
    let out = Jbuild::new(&root).args(&["check"]).run();
    out.code(1).stdout_has("points: 0/3").stdout_has("0 passed, 3 failed");
    out.stdout_has("stdout:\n    < expected line").stdout_has("stderr:\n    warning: x");
    out.stdout_has("-something else").stdout_has("+typed in").stdout_has("input:\n    typed in");
    out.stdout_has("TIMEOUT").stdout_has("stdout:\n    partial");
}

#[test]
fn a_folder_of_student_repos_grades_each_and_reports_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["official-hello", "compile-then-run"] {
        copy_dir(&fixtures().join(name), &dir.path().join(name));
    }
    std::fs::create_dir_all(dir.path().join("broken/.github/classroom")).unwrap();
    std::fs::write(dir.path().join("broken/.github/classroom/autograding.json"), "{ not json").unwrap();
    let out = Jbuild::new(dir.path()).args(&["check"]).run();
    out.code(1).stdout_has("CONFIG").stdout_has("broken").stdout_has("invalid");
    out.stdout_has("official-hello: Hello Jeff").stdout_has("compile-then-run: runs");
    assert!(out.stdout.ends_with("4 passed, 1 failed\n"), "{}", out.stdout);
    // Nothing could run at all: exit 2.
    let out = Jbuild::new(dir.path()).args(&["check", "broken"]).run();
    out.code(2).stderr_has("invalid");
}

#[test]
fn a_setup_that_changes_nothing_is_not_run_again() {
    let (dir, root) = repo("official-hello");
    let log = dir.path().join("setups.log");
    std::fs::write(
        root.join(".github/classroom/autograding.json"),
        format!(
            r#"{{"tests": [
                {{"name": "a", "setup": "javac Hello.java && echo ran >> {log}", "run": "java Hello", "input": "A", "output": "Hello A", "points": 1}},
                {{"name": "b", "setup": "javac Hello.java && echo ran >> {log}", "run": "java Hello", "input": "B", "output": "Hello B", "points": 1}},
                {{"name": "c", "setup": "javac Hello.java && echo ran >> {log}", "run": "java Hello", "input": "C", "output": "Hello C", "points": 1}},
                {{"name": "d", "setup": "javac Hello.java && echo ran >> {log}", "run": "java Hello", "input": "D", "output": "Hello D", "points": 1}}
            ]}}"#,
            log = log.display()
        ),
    )
    .unwrap();
    Jbuild::new(&root).args(&["check"]).run().success().stdout_has("points: 4/4");
    // The first run compiles; the second leaves the repository as it was, a
    // fixed point: the third and fourth are skipped.
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "ran\nran\n");
}

#[test]
fn every_kind_of_broken_project_is_one_failure_among_the_others() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("official-hello"), &dir.path().join("good"));
    std::fs::remove_file(dir.path().join("good/expected.txt")).unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let main = |class: &str| format!("class {class} {{ public static void main(String[] a) {{}} }}\n");
    write("bad-toml/jbuild.toml", "src = [\n");
    write("bad-toml/src/A.java", &main("A"));
    write("stray-in/src/A.java", &main("A"));
    write("stray-in/tests/A/x.in", "1\n");
    write("two-mains/src/A.java", &main("A"));
    write("two-mains/src/B.java", &main("B"));
    write("two-mains/tests/case.out", "\n");
    write("no-main/src/A.java", "class A {}\n");
    write("no-main/tests/case.out", "\n");
    let out = Jbuild::new(dir.path()).args(&["check"]).run();
    out.code(1).stdout_has("1 passed, 4 failed");
    crate::assert_outcome_snapshot!("broken_projects", out);
}

#[test]
fn a_classroom_repo_is_graded_by_its_classroom_tests_alone_unless_a_settings_file_asks_for_more() {
    let (_dir, root) = repo("official-hello");
    // What students keep beside Classroom's tests: sample inputs, a JUnit
    // class. Classroom ignored them; so does jbuild, by default.
    std::fs::create_dir_all(root.join("tests")).unwrap();
    std::fs::write(root.join("tests/my-input.in"), "Jeff\n").unwrap();
    std::fs::write(
        root.join("HelloTest.java"),
        "import org.junit.jupiter.api.Test;\nclass HelloTest { @Test void fails() { throw new AssertionError(); } }\n",
    )
    .unwrap();
    let out = Jbuild::new(&root).args(&["check"]).run();
    out.success().stdout_has("points: 10/10").stdout_has("1 passed, 0 failed");
    out.stderr_has("grading only the GitHub Classroom tests")
        .stderr_has("tests/ not read for jbuild's own cases or JUnit tests");
    assert!(!root.join("classes").exists(), "nothing of jbuild's own was compiled");
    // A jbuild.toml: the teacher wants jbuild's cases too, and the stray
    // input is then the configuration error it is.
    std::fs::write(root.join("jbuild.toml"), "").unwrap();
    Jbuild::new(&root).args(&["check"]).run().code(2).stderr_has("tests/my-input.in");
}

#[test]
fn an_autograding_json_no_workflow_step_runs_is_not_graded() {
    check_fixture("leftover-autograding");
    let (_dir, root) = repo("leftover-autograding");
    Jbuild::new(&root).args(&["check"]).run().stderr_has(
        "not running .github/classroom/autograding.json: no step of .github/workflows/classroom.yml runs it",
    );
}

#[test]
fn a_workflow_that_runs_autograding_json_grades_both_files() {
    let (_dir, root) = repo("leftover-autograding");
    let yml = root.join(".github/workflows/classroom.yml");
    let text = std::fs::read_to_string(&yml).unwrap();
    let text = text.replacen("    - name: Checkout", "    - uses: education/autograding@v1\n    - name: Checkout", 1);
    std::fs::write(&yml, text).unwrap();
    // The 50-point test of autograding.json fails: 16 of 71.
    let out = Jbuild::new(&root).args(&["check"]).run();
    out.code(1).stdout_has("points: 16/71").stderr_has("running the GitHub Classroom tests of both");
}

#[test]
fn a_byte_order_mark_in_autograding_json_is_named() {
    let (_dir, root) = repo("official-hello");
    let path = root.join(".github/classroom/autograding.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
    Jbuild::new(&root).args(&["check"]).run().code(2).stderr_has("autograding.json: it starts with a byte order mark");
}

#[test]
fn a_timeout_says_how_much_of_the_test_its_setup_took() {
    let (_dir, root) = repo("official-hello");
    let path = root.join(".github/classroom/autograding.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace("\"javac Hello.java\"", "\"sleep 0.7\"").replace("\"java Hello\"", "\"sleep 30\"");
    std::fs::write(&path, text).unwrap();
    let out = Jbuild::new(&root).args(&["check", "--timeout", "2"]).run();
    out.code(1).stdout_has("TIMEOUT").stdout_has("the test's 2.0s include its setup's 0.");
}

#[test]
fn each_classroom_test_is_reported_as_soon_as_it_ends() {
    use std::io::BufRead;
    let (_dir, root) = repo("official-hello");
    // The second test waits until the first one's line has been read.
    std::fs::write(
        root.join(".github/classroom/autograding.json"),
        r#"{"tests": [
            {"name": "first", "run": "echo one", "output": "one", "comparison": "exact", "timeout": 1},
            {"name": "second", "run": "while [ ! -f go ]; do sleep 0.1; done; echo two", "output": "two", "comparison": "exact", "timeout": 1}
        ]}"#,
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jbuild"))
        .args(["check", "--timeout", "20"])
        .current_dir(&root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("PASS") && first.contains("first"), "{first}");
    std::fs::write(root.join("go"), "").unwrap();
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(child.wait().unwrap().success(), "{rest:?}");
    assert!(rest.iter().any(|l| l.starts_with("PASS") && l.contains("second")), "{rest:?}");
}
