//! The teacher's toolkit: `jbuild new`, `--bless`, checkers, hidden cases,
//! groups, the gradebook and Gradescope's results.json.

use crate::support::{Jbuild, TestProject};

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

/// A program that prints the words of its input, one per line, in the
/// order given, unless told `--reverse`; `crash` in the input makes it
/// throw, `loop` makes it print `started` and spin.
const WORDS: &str = r#"package words;
import java.util.*;
public class Words {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        List<String> words = new ArrayList<>();
        while (in.hasNext()) words.add(in.next());
        if (words.contains("crash")) throw new IllegalStateException("asked to crash");
        if (words.contains("loop")) { System.out.println("started"); System.out.flush(); while (true) { } }
        if (args.length > 0 && args[0].equals("--reverse")) Collections.reverse(words);
        for (String w : words) System.out.println(w);
    }
}
"#;

fn words_project() -> TestProject {
    let p = TestProject::empty();
    p.write("src/words/Words.java", WORDS);
    p
}

// ---------------------------------------------------------------- jbuild new

#[test]
fn a_new_project_checks_green_and_its_workflow_parses() {
    let dir = tempfile::tempdir().unwrap();
    let out = Jbuild::new(dir.path()).args(&["new", "hello"]).run();
    out.success().stderr_has("Created exercise hello (main class hello.Main)");
    let root = dir.path().join("hello");
    for file in [
        "src/hello/Main.java",
        "tests/hello.Main/hello.in",
        "tests/hello.Main/hello.out",
        "jbuild.toml",
        ".gitignore",
        ".github/workflows/jbuild.yml",
        "README.md",
        ".vscode/settings.json",
    ] {
        assert!(root.join(file).is_file(), "{file} missing");
    }
    let check = Jbuild::new(&root).args(&["check"]).run();
    check.success().stdout_has("PASS");
    assert_eq!(last_line(&check.stdout), "1 passed, 0 failed");

    let yaml = std::fs::read_to_string(root.join(".github/workflows/jbuild.yml")).unwrap();
    let workflow: serde_norway::Value = serde_norway::from_str(&yaml).expect("the workflow is YAML");
    let steps = workflow["jobs"]["check"]["steps"].as_sequence().expect("a job with steps");
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.iter().any(|u| u.starts_with("actions/checkout@")), "{uses:?}");
    assert!(uses.iter().any(|u| u.starts_with("actions/setup-java@")), "{uses:?}");
    assert!(uses.iter().any(|u| u.starts_with("actions/cache@")), "{uses:?}");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.iter().any(|r| r.contains("cargo install")), "{runs:?}");
    assert!(runs.iter().any(|r| r.starts_with("jbuild check")), "{runs:?}");

    let vscode: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(".vscode/settings.json")).unwrap()).unwrap();
    assert_eq!(vscode["java.project.sourcePaths"], serde_json::json!(["src"]));
    assert_eq!(vscode["java.project.outputPath"], "classes");
    assert!(std::fs::read_to_string(root.join(".gitignore")).unwrap().lines().any(|l| l == "classes/"));
    assert!(std::fs::read_to_string(root.join("README.md")).unwrap().contains("jbuild check"));
}

#[test]
fn new_takes_a_main_class_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    Jbuild::new(dir.path()).args(&["new", "two", "--main", "game.Solver"]).run().success();
    assert!(dir.path().join("two/src/game/Solver.java").is_file());
    assert!(std::fs::read_to_string(dir.path().join("two/jbuild.toml")).unwrap().contains("main = \"game.Solver\""));
    Jbuild::new(&dir.path().join("two")).args(&["check"]).run().success();
    // A folder name that is no package says where `app` came from.
    Jbuild::new(dir.path())
        .args(&["new", "05-loops"])
        .run()
        .success()
        .stderr_has("(main class app.Main); \"05-loops\" is no Java package name, so the package is `app`");

    std::fs::create_dir(dir.path().join("taken")).unwrap();
    std::fs::write(dir.path().join("taken/notes.txt"), "mine").unwrap();
    let out = Jbuild::new(dir.path()).args(&["new", "taken"]).run();
    out.code(2).stderr_has("taken exists and is not empty");
    assert_eq!(std::fs::read_dir(dir.path().join("taken")).unwrap().count(), 1, "nothing written");
    assert_eq!(std::fs::read_to_string(dir.path().join("taken/notes.txt")).unwrap(), "mine");

    std::fs::create_dir(dir.path().join("empty")).unwrap();
    Jbuild::new(dir.path()).args(&["new", "empty"]).run().success();

    for bad in ["int.Main", "1st.Main", "a..B", "x.Main$1"] {
        let out = Jbuild::new(dir.path()).args(&["new", "bad", "--main", bad]).run();
        out.code(2).stderr_has(&format!("--main {bad:?}"));
    }
    assert!(!dir.path().join("bad").exists());
}

#[test]
fn a_course_holds_exercises_under_one_workflow() {
    let dir = tempfile::tempdir().unwrap();
    Jbuild::new(dir.path()).args(&["new", "--course", "java101"]).run().success();
    let course = dir.path().join("java101");
    assert!(course.join(".github/workflows/jbuild.yml").is_file());
    assert!(course.join("ex01/src/ex01/Main.java").is_file());
    assert!(!course.join("ex01/.github").exists(), "the course's workflow serves its exercises");
    let out = Jbuild::new(&course).args(&["new", "ex02", "--main", "two.Main"]).run();
    out.success().stderr_has("sharing its course's workflow");
    assert!(!course.join("ex02/.github").exists());
    assert!(course.join("ex02/.vscode/settings.json").is_file());
    let check = Jbuild::new(&course).args(&["check"]).run();
    check.success().stdout_has("ex01: ex01.Main/hello").stdout_has("ex02: two.Main/hello");
    assert_eq!(last_line(&check.stdout), "2 passed, 0 failed");
}

// ------------------------------------------------------------------- --bless

#[test]
fn bless_writes_the_reference_outputs_then_check_passes() {
    let p = words_project();
    p.write("tests/words.Words/missing.in", "b a\n");
    p.write("tests/words.Words/stale.in", "c d\n").write("tests/words.Words/stale.out", "wrong\n");
    p.write("tests/words.Words/fine.in", "x\n").write("tests/words.Words/fine.out", "x  \n");
    p.write("test/sample-1.in", "oj\n");
    p.write(
        "jbuild.toml",
        "main = \"words.Words\"\n\n[[check]]\nname = \"reversed\"\nargs = [\"--reverse\"]\nstdin = \"1 2 3\"\nstdout-file = \"cases/reversed.txt\"\n",
    );
    std::fs::create_dir_all(p.path("cases")).unwrap();
    // Without --bless, a lone .in is an error.
    p.jbuild(&["check"]).run().code(2).stderr_has("missing.in: no expected output missing.out");

    let out = p.jbuild(&["check", "--bless"]).run();
    out.success()
        .stderr_has("Blessed tests/words.Words/missing.out")
        .stderr_has("Blessed tests/words.Words/stale.out")
        .stderr_has("Blessed test/sample-1.out")
        .stderr_has("Blessed cases/reversed.txt")
        .stderr_lacks("fine.out");
    assert_eq!(p.read("tests/words.Words/missing.out"), "b\na\n");
    assert_eq!(p.read("tests/words.Words/stale.out"), "c\nd\n");
    assert_eq!(p.read("tests/words.Words/fine.out"), "x  \n", "a passing case is left as it is");
    assert_eq!(p.read("test/sample-1.out"), "oj\n");
    assert_eq!(p.read("cases/reversed.txt"), "3\n2\n1\n");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(p.path("test/sample-1.out")).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o644);

    let check = p.jbuild(&["check"]).run();
    check.success();
    assert_eq!(last_line(&check.stdout), "5 passed, 0 failed");
    let again = p.jbuild(&["check", "--bless"]).run();
    again.success().stderr_has("Blessed nothing: every expected output already matches");
}

#[test]
fn bless_never_blesses_a_failed_run_nor_an_inline_stdout() {
    let p = words_project();
    p.write("tests/words.Words/crashes.in", "crash\n");
    p.write("tests/words.Words/spins.in", "loop\n");
    p.write("tests/words.Words/good.in", "ok\n");
    p.write("tests/words.Words/code.in", "ok\n").write("tests/words.Words/code.code", "3\n");
    p.write("jbuild.toml", "[[check]]\nmain = \"words.Words\"\nstdin = \"z\"\nstdout = \"y\"\n");
    let out = p.jbuild(&["check", "--bless", "--timeout", "2"]).run();
    out.code(1)
        .stdout_has("ERROR")
        .stdout_has("TIMEOUT")
        .stdout_has("exit code 0, expected 3")
        .stdout_has("--bless does not rewrite an inline `stdout` in jbuild.toml")
        .stderr_has("Blessed tests/words.Words/good.out")
        .stderr_has("4 failing cases not blessed");
    for name in ["crashes", "spins", "code"] {
        assert!(!p.exists(&format!("tests/words.Words/{name}.out")), "{name} was blessed");
    }
    assert!(p.read("jbuild.toml").contains("stdout = \"y\""));
}

#[test]
fn bless_is_refused_with_shard_and_never_writes_through_a_symlink() {
    let p = words_project();
    p.write("tests/words.Words/a.in", "a\n");
    p.jbuild(&["check", "--bless", "--shard", "1/2"]).run().code(2).stderr_has("--bless with --shard");
    p.jbuild(&["watch", "check", "--bless"]).run().code(2).stderr_has("watch check --bless");

    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("expected.txt");
    std::fs::write(&target, "old\n").unwrap();
    std::os::unix::fs::symlink(&target, p.path("tests/words.Words/a.out")).unwrap();
    // The case file itself leads out of the project: refused when listing.
    p.jbuild(&["check", "--bless"]).run().code(2).stderr_has("is outside the project");
    std::fs::remove_file(p.path("tests/words.Words/a.out")).unwrap();
    // A symlink inside the project is read, but --bless does not write through it.
    p.write("shared/a.txt", "old\n");
    std::os::unix::fs::symlink(p.path("shared/a.txt"), p.path("tests/words.Words/a.out")).unwrap();
    let out = p.jbuild(&["check", "--bless"]).run();
    out.code(2).stdout_has("CONFIG").stdout_has("--bless could not write tests/words.Words/a.out");
    assert_eq!(p.read("shared/a.txt"), "old\n");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old\n");
}

#[test]
fn bless_never_overwrites_settings_or_sources_a_stdout_file_names() {
    let p = words_project();
    let source = p.read("src/words/Words.java");
    for target in ["jbuild.toml", "src/words/Words.java", ".github/out.txt"] {
        p.write(
            "jbuild.toml",
            &format!("[[check]]\nname = \"x\"\nmain = \"words.Words\"\nstdin = \"a\\n\"\nstdout-file = {target:?}\n"),
        );
        if target.starts_with(".github") {
            p.write(target, "old\n");
        }
        let settings = p.read("jbuild.toml");
        let out = p.jbuild(&["check", "--bless"]).run();
        out.code(2).stdout_has("CONFIG").stdout_has(&format!("--bless does not write {target}"));
        assert_eq!(p.read("jbuild.toml"), settings);
    }
    assert_eq!(p.read("src/words/Words.java"), source);
    assert_eq!(p.read(".github/out.txt"), "old\n");
}

// ------------------------------------------------------------------ checkers

/// A checker for "print the input's words, in any order": the output sorted
/// must be the expected output sorted. It prints `points 0.5` when exactly
/// one line is missing.
const SORTED_CHECKER: &str = r#"#!/bin/sh
input="$1"; output="$2"; expected="$3"
test -r "$input" || { echo "no input file"; exit 3; }
if [ "$(sort "$output")" = "$(sort "$expected")" ]; then echo "same words"; exit 0; fi
echo "different words"
if [ "$(wc -l < "$output")" -eq "$(( $(wc -l < "$expected") - 1 ))" ]; then echo "points 0.5"; fi
exit 1
"#;

#[test]
fn a_sorting_checker_accepts_a_permutation_and_rejects_a_wrong_answer() {
    let p = words_project();
    p.write("checkers/sorted.sh", SORTED_CHECKER);
    p.write("tests/words.Words/permuted.in", "a b c\n").write("tests/words.Words/permuted.out", "c\na\nb\n");
    p.write("tests/words.Words/wrong.in", "a b c\n").write("tests/words.Words/wrong.out", "a\nb\nd\n");
    p.write("jbuild.toml", "main = \"words.Words\"\nchecker = [\"sh\", \"checkers/sorted.sh\"]\n");
    let out = p.jbuild(&["check"]).run();
    out.code(1).stdout_has("checker: different words").stdout_has("input:\n    a b c");
    let pass = out.stdout.lines().find(|l| l.contains("words.Words/permuted")).unwrap();
    assert!(pass.starts_with("PASS"), "{pass}");
    let wrong = out.stdout.lines().find(|l| l.contains("words.Words/wrong")).unwrap();
    assert!(wrong.starts_with("WRONG"), "{wrong}");
    assert_eq!(last_line(&out.stdout), "1 passed, 1 failed");
    // Without the checker, the permutation is a wrong answer.
    p.write("jbuild.toml", "main = \"words.Words\"\n");
    p.jbuild(&["check"]).run().code(1).stdout_has("output differs");
}

#[test]
fn a_checker_gives_partial_credit_and_its_own_failure_is_a_configuration_error() {
    let p = words_project();
    p.write("checkers/sorted.sh", SORTED_CHECKER);
    p.write("checkers/broken.sh", "#!/bin/sh\necho 'cannot parse the output' >&2\nexit 7\n");
    p.write(
        "jbuild.toml",
        r#"[[check]]
name = "one missing"
main = "words.Words"
stdin = "a b"
stdout = "a\nb\nc\n"
points = 4
checker = ["sh", "checkers/sorted.sh"]

[[check]]
name = "broken checker"
main = "words.Words"
stdin = "a"
stdout = "a\n"
checker = ["sh", "./checkers/broken.sh"]
"#,
    );
    let out = p.jbuild(&["check", "--format", "json"]).run();
    out.code(1);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let cases = json["cases"].as_array().unwrap();
    assert_eq!(cases[0]["verdict"], "wrong-output");
    assert_eq!(cases[0]["credit"], 0.5);
    assert_eq!(json["points"]["earned"], 2.0);
    assert_eq!(json["points"]["possible"], 4.0);
    assert_eq!(cases[1]["verdict"], "config-error");
    let message = cases[1]["message"].as_str().unwrap();
    assert!(message.starts_with("checker failed: exit code 7"), "{message}");
    assert_eq!(cases[1]["details"], "cannot parse the output");

    p.write("jbuild.toml", "main = \"words.Words\"\nchecker = [\"no-such-checker-program\"]\n");
    p.write("tests/words.Words/a.in", "a\n").write("tests/words.Words/a.out", "a\n");
    p.jbuild(&["check"]).run().code(2).stderr_has("`checker`: `no-such-checker-program` is not on PATH");
    p.write("jbuild.toml", "main = \"words.Words\"\nchecker = \"sorted.py\"\n");
    p.jbuild(&["check"]).run().code(2).stderr_has("`checker`: \"sorted.py\": give a command as a list");
    p.write("jbuild.toml", "main = \"words.Words\"\nchecker = 3\n");
    p.jbuild(&["check"]).run().code(2).stderr_has("a command as a list of strings");
}

#[test]
fn a_java_checker_compiles_with_the_project() {
    let p = words_project();
    p.write(
        "src/checkers/SameWords.java",
        r#"package checkers;
import java.nio.file.*;
import java.util.*;
public class SameWords {
    public static void main(String[] args) throws Exception {
        List<String> output = new ArrayList<>(Files.readAllLines(Path.of(args[1])));
        List<String> expected = new ArrayList<>(Files.readAllLines(Path.of(args[2])));
        Collections.sort(output);
        Collections.sort(expected);
        if (output.equals(expected)) System.exit(0);
        System.out.println("expected the words " + expected);
        System.exit(1);
    }
}
"#,
    );
    p.write("tests/words.Words/permuted.in", "x y\n").write("tests/words.Words/permuted.out", "y\nx\n");
    p.write("tests/words.Words/wrong.in", "x y\n").write("tests/words.Words/wrong.out", "y\nz\n");
    p.write("jbuild.toml", "main = \"words.Words\"\nchecker = \"java:checkers.SameWords\"\n");
    let out = p.jbuild(&["check"]).run();
    out.code(1).stdout_has("checker: expected the words [y, z]");
    assert_eq!(last_line(&out.stdout), "1 passed, 1 failed");
    assert!(p.exists("classes/checkers/SameWords.class"));
    p.write("jbuild.toml", "main = \"words.Words\"\nchecker = \"java:checkers.Nope\"\n");
    p.jbuild(&["check"]).run().code(2).stderr_has("`checker`: no class `checkers.Nope`");
}

// -------------------------------------------------------------- hidden cases

const SECRET_INPUT: &str = "SECRETINPUT7";
const SECRET_EXPECTED: &str = "SECRETEXPECTED42";

fn hidden_project() -> TestProject {
    let p = words_project();
    p.write("tests/words.Words/open.in", "a\n").write("tests/words.Words/open.out", "b\n");
    p.write("tests/words.Words/secret-1.in", &format!("{SECRET_INPUT}\n"));
    p.write("tests/words.Words/secret-1.out", &format!("{SECRET_EXPECTED}\n"));
    p.write(
        "jbuild.toml",
        &format!(
            "main = \"words.Words\"\nhidden = [\"secret-*\"]\n\n[[check]]\nname = \"table secret\"\nargs = [\"{SECRET_INPUT}\"]\nstdin = \"{SECRET_INPUT}\"\nstdout = \"{SECRET_EXPECTED}\"\nhidden = true\npoints = 1\n"
        ),
    );
    p
}

#[test]
fn a_hidden_case_shows_its_input_and_expected_output_in_no_format() {
    let p = hidden_project();
    let leaks = |what: &str, text: &str| {
        assert!(!text.contains(SECRET_EXPECTED) && !text.contains(SECRET_INPUT), "{what} leaks a secret:\n{text}");
    };
    let summary = p.path("summary.md");
    let junit = p.path("junit.xml");
    let grades = p.path("grades.csv");
    let text = p.jbuild(&["check", "--junit"]).arg(&junit).args(&["--grades"]).arg(&grades).run();
    text.code(1).stdout_has("words.Words/secret-1").stdout_has("hidden case: its input, expected output");
    // The visible case still shows everything.
    text.stdout_has("-b\n    +a");
    leaks("text", &format!("{}{}", text.stdout, text.stderr));
    leaks("JUnit XML", &std::fs::read_to_string(&junit).unwrap());
    leaks("gradebook", &std::fs::read_to_string(&grades).unwrap());
    let json = p.jbuild(&["check", "--format", "json", "-v"]).run();
    json.code(1);
    leaks("JSON", &format!("{}{}", json.stdout, json.stderr));
    let document: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(
        document["cases"].as_array().unwrap().iter().any(|c| c["hidden"] == true && c["verdict"] == "wrong-output")
    );
    let github = p.jbuild(&["check"]).env("GITHUB_ACTIONS", "true").env("GITHUB_STEP_SUMMARY", &summary).run();
    github.code(1).stdout_has("::error file=");
    leaks("GitHub", &format!("{}{}", github.stdout, github.stderr));
    leaks("step summary", &std::fs::read_to_string(&summary).unwrap());
    let gradescope = p.jbuild(&["check", "--format", "gradescope"]).run();
    leaks("Gradescope", &gradescope.stdout);
    let results: serde_json::Value = serde_json::from_str(&gradescope.stdout).unwrap();
    let secret = results["tests"].as_array().unwrap().iter().find(|t| t["name"] == "words.Words/secret-1").unwrap();
    assert_eq!(secret["visibility"], "after_published");

    // The teacher's own run shows everything.
    let shown = p.jbuild(&["check", "--show-hidden"]).run();
    shown.code(1).stdout_has(SECRET_EXPECTED).stdout_has(SECRET_INPUT);
}

#[test]
fn failures_show_the_input_a_whitespace_hint_and_what_a_timeout_printed() {
    let p = words_project();
    p.write("tests/words.Words/spaced.in", "a b\n").write("tests/words.Words/spaced.out", "a b\n");
    p.write("tests/words.Words/boom.in", "crash\n").write("tests/words.Words/boom.out", "\n");
    p.write("tests/words.Words/slow.in", "loop forever\n").write("tests/words.Words/slow.out", "done\n");
    let out = p.jbuild(&["check", "--timeout", "2"]).run();
    out.code(1)
        .stdout_has("note: only the whitespace differs (spaces, tabs or blank lines)")
        .stdout_has("IllegalStateException: asked to crash")
        .stdout_has("input:\n    crash")
        .stdout_has("stdout:\n    started")
        .stdout_has("input:\n    loop forever");
    assert_eq!(out.stdout.matches("only the whitespace differs").count(), 1);
    let tokens = p.jbuild(&["check", "--compare", "tokens", "--timeout", "2"]).run();
    tokens.code(1);
    assert!(!tokens.stdout.contains("would pass"), "{}", tokens.stdout);
}

// -------------------------------------------------------------------- groups

#[test]
fn a_group_awards_points_only_when_complete() {
    let p = words_project();
    for (name, input, expected) in [
        ("basic-1", "a", "a"),
        ("basic-2", "b", "b"),
        ("edge-1", "c", "c"),
        ("edge-2", "d", "wrong"),
        ("alone", "e", "e"),
    ] {
        p.write(&format!("tests/words.Words/{name}.in"), &format!("{input}\n"));
        p.write(&format!("tests/words.Words/{name}.out"), &format!("{expected}\n"));
    }
    p.write(
        "jbuild.toml",
        r#"main = "words.Words"

[[group]]
name = "basics"
points = 4
cases = ["words.Words/basic-*"]

[[group]]
name = "edges"
points = 6
cases = ["edge-*"]

[[group]]
name = "shared"
points = 3
cases = ["alone", "edge-none*"]
all-or-nothing = false
"#,
    );
    let out = p.jbuild(&["check"]).run();
    out.code(1)
        .stdout_has("group basics: 4/4 (2 of 2 cases passed)\n")
        .stdout_has("group edges: 0/6 (1 of 2 cases passed; all or nothing)\n")
        .stdout_has("group shared: 3/3 (1 of 1 cases passed)\n")
        .stdout_has("points: 7/13\n");
    let json = p.jbuild(&["check", "--format", "json"]).run();
    let document: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let groups = document["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    assert_eq!(groups[1]["name"], "edges");
    assert_eq!(groups[1]["earned"], 0.0);
    assert_eq!(groups[1]["passed"], 1);
    assert_eq!(document["points"]["earned"], 7.0);
    assert_eq!(document["cases"][0]["group"], "shared");
    assert_eq!(document["cases"][1]["group"], "basics");

    // Fix the failing case: the group is complete.
    p.write("tests/words.Words/edge-2.out", "d\n");
    p.jbuild(&["check"]).run().success().stdout_has("group edges: 6/6").stdout_has("points: 13/13");
    // Shards keep a group together.
    let first = p.jbuild(&["check", "--shard", "1/2"]).run();
    let second = p.jbuild(&["check", "--shard", "2/2"]).run();
    let edges = |out: &str| out.lines().filter(|l| l.contains("words.Words/edge-")).count();
    assert!(
        edges(&first.stdout) == 2 && edges(&second.stdout) == 0
            || edges(&second.stdout) == 2 && edges(&first.stdout) == 0
    );
}

#[test]
fn bad_groups_are_named() {
    let p = words_project();
    p.write("tests/words.Words/a.in", "a\n").write("tests/words.Words/a.out", "a\n");
    let bad = |toml: &str, message: &str| {
        p.write("jbuild.toml", &format!("main = \"words.Words\"\n{toml}"));
        p.jbuild(&["check"]).run().code(2).stderr_has(message);
    };
    bad(
        "[[group]]\nname = \"g\"\npoints = 1\ncases = [\"nothing-*\"]\n",
        "[[group]] #1 \"g\": `cases` [\"nothing-*\"] match no case (cases are named like words.Words/a)",
    );
    bad(
        "[[group]]\nname = \"g\"\npoints = 1\ncases = [\"a\"]\n[[group]]\nname = \"h\"\npoints = 1\ncases = [\"*\"]\n",
        "case words.Words/a is already in group \"g\"",
    );
    bad("[[group]]\nname = \"g\"\npoints = -1\ncases = [\"a\"]\n", "`points`: -1 is not a number of points");
    bad("[[group]]\nname = \"g\"\ncases = [\"a\"]\n", "missing field `points`");
    bad("hidden = [\"[oops\"]\n", "`hidden`: \"[oops\" is not a glob");
}

// ----------------------------------------------------------------- gradebook

/// Three students: one right, one whose code does not compile, one whose
/// jbuild.toml is broken.
fn classroom() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for student in ["alice", "bob", "carol"] {
        let root = dir.path().join("students").join(student);
        std::fs::create_dir_all(root.join("src/words")).unwrap();
        std::fs::write(root.join("src/words/Words.java"), WORDS).unwrap();
        std::fs::create_dir_all(root.join("tests/words.Words")).unwrap();
        for (name, input) in [("one", "a\n"), ("two", "b c\n")] {
            std::fs::write(root.join(format!("tests/words.Words/{name}.in")), input).unwrap();
            std::fs::write(root.join(format!("tests/words.Words/{name}.out")), input.replace(' ', "\n")).unwrap();
        }
    }
    let students = dir.path().join("students");
    std::fs::write(students.join("bob/src/words/Words.java"), "package words;\npublic class Words { oops }\n").unwrap();
    std::fs::write(students.join("carol/jbuild.toml"), "mian = \"words.Words\"\n").unwrap();
    dir
}

fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

#[test]
fn a_gradebook_of_three_students_has_four_lines() {
    let dir = classroom();
    let out = Jbuild::new(dir.path()).args(&["check", "--grades", "grades.csv", "students"]).run();
    out.code(1);
    // carol's broken jbuild.toml leaves her one CONFIG case: 1 possible point, said once.
    out.stderr_has("possible points differ between projects: up to 2, but students/carol 1");
    let text = std::fs::read_to_string(dir.path().join("grades.csv")).unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    let rows = read_csv(&text);
    assert_eq!(
        rows[0],
        ["project", "passed", "failed", "earned", "possible", "reason", "words.Words/one", "words.Words/two"]
    );
    assert_eq!(rows[1][..6], ["students/alice", "2", "0", "2", "2", ""]);
    assert_eq!(rows[1][6..], ["PASS", "PASS"]);
    assert_eq!(rows[2][..5], ["students/bob", "0", "2", "0", "2"]);
    assert!(rows[2][5].starts_with("compile error: Words.java:2:"), "{}", rows[2][5]);
    assert_eq!(rows[2][6..], ["COMPILE", "COMPILE"]);
    assert_eq!(rows[3][..5], ["students/carol", "0", "1", "0", "0"]);
    assert!(
        rows[3][5].starts_with("configuration error:") && rows[3][5].contains("unknown field `mian`"),
        "{}",
        rows[3][5]
    );
    assert_eq!(rows[3][6..], ["", ""]);

    // `--grades -`: the gradebook on stdout, the report on stderr.
    let out = Jbuild::new(dir.path()).args(&["check", "--grades", "-", "students"]).run();
    out.code(1).stderr_has("students/alice: words.Words/one");
    assert_eq!(out.stdout, text);
    Jbuild::new(dir.path()).args(&["check", "--grades", "-", "--format", "json", "students"]).run().code(2);

    // The JSON report scores each project as the gradebook does.
    let json = Jbuild::new(dir.path()).args(&["check", "--format", "json", "students"]).run();
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let projects = json["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 3, "{json:#}");
    assert_eq!(projects[0]["project"], "students/alice");
    assert_eq!((projects[0]["earned"].as_f64(), projects[0]["possible"].as_f64()), (Some(2.0), Some(2.0)));
    assert_eq!((projects[1]["earned"].as_f64(), projects[1]["possible"].as_f64()), (Some(0.0), Some(2.0)));

    // A student without cases is a row that says so.
    std::fs::create_dir_all(dir.path().join("students/dave/src")).unwrap();
    let out = Jbuild::new(dir.path()).args(&["check", "--grades", "-", "students"]).run();
    let rows = read_csv(&out.stdout);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[4][..6], ["students/dave", "0", "0", "0", "0", "no check cases found"]);
    // ... and in the JSON too, not silently missing.
    let json = Jbuild::new(dir.path()).args(&["check", "--format", "json", "students"]).run();
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let dave = json["projects"].as_array().unwrap().iter().find(|p| p["project"] == "students/dave").cloned();
    assert_eq!(dave.map(|d| d["possible"].clone()), Some(serde_json::json!(0.0)), "{json:#}");
}

#[test]
fn shard_gradebooks_merge_into_the_whole() {
    let dir = classroom();
    let run = |args: &[&str]| Jbuild::new(dir.path()).args(args).run();
    run(&["check", "--grades", "all.csv", "students"]).code(1);
    run(&["check", "--shard", "1/2", "--grades", "a.csv", "students"]);
    run(&["check", "--shard", "2/2", "--grades", "b.csv", "students"]);
    let merged = run(&["grades", "merge", "a.csv", "b.csv"]);
    merged.success();
    let by_project = |text: &str| -> std::collections::BTreeMap<String, Vec<(String, String)>> {
        let rows = read_csv(text);
        let header = rows[0].clone();
        rows[1..]
            .iter()
            .map(|row| {
                let mut cells: Vec<(String, String)> =
                    header.iter().cloned().zip(row.iter().cloned()).filter(|(h, _)| h != "reason").collect();
                cells.sort();
                (row[0].clone(), cells)
            })
            .collect()
    };
    let whole = std::fs::read_to_string(dir.path().join("all.csv")).unwrap();
    assert_eq!(by_project(&merged.stdout), by_project(&whole), "merged:\n{}\nwhole:\n{whole}", merged.stdout);
    run(&["grades", "merge", "a.csv", "a.csv"]).code(2).stderr_has("in an earlier file too");
    run(&["grades", "merge", "nothing.csv"]).code(2).stderr_has("nothing.csv");
}

// ---------------------------------------------------------------- Gradescope

#[test]
fn gradescope_results_json() {
    let p = words_project();
    p.write("tests/words.Words/a.in", "a\n").write("tests/words.Words/a.out", "a\n");
    p.write("tests/words.Words/b.in", "b\n").write("tests/words.Words/b.out", "nope\n");
    p.write("tests/words.Words/c.in", "c\n").write("tests/words.Words/c.out", "c\n");
    p.write(
        "jbuild.toml",
        "main = \"words.Words\"\nhidden = [\"c\"]\n\n[[group]]\nname = \"firsts\"\npoints = 5\ncases = [\"a\", \"b\"]\n\n[[check]]\nname = \"table\"\nstdin = \"t\"\nstdout = \"t\"\npoints = 2\n",
    );
    let out = p.jbuild(&["check", "--format", "gradescope"]).run();
    out.code(1).stderr_has("3 passed, 1 failed").stderr_has("points: ");
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("results.json");
    assert_eq!(doc["score"], 2.0);
    assert!(doc["execution_time"].is_u64());
    let tests = doc["tests"].as_array().unwrap();
    let named = |name: &str| tests.iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("no test {name}"));
    assert_eq!(named("words.Words/b")["status"], "failed");
    assert!(named("words.Words/b").get("score").is_none(), "a grouped case carries no score");
    assert!(named("words.Words/b")["output"].as_str().unwrap().contains("-nope"));
    assert_eq!(named("words.Words/table")["score"], 2.0);
    assert_eq!(named("words.Words/table")["max_score"], 2.0);
    assert_eq!(named("words.Words/c")["visibility"], "after_published");
    assert_eq!(named("group firsts")["score"], 0.0);
    assert_eq!(named("group firsts")["max_score"], 5.0);
    assert_eq!(named("group firsts")["output"], "1 of 2 cases passed; all or nothing");

    // A submission jbuild cannot check still gets a results.json.
    p.write("jbuild.toml", "main = 3\n");
    let broken = p.jbuild(&["check", "--format", "gradescope"]).run();
    broken.code(2);
    let doc: serde_json::Value = serde_json::from_str(&broken.stdout).expect("results.json");
    assert_eq!(doc["score"], 0);
    assert!(doc["output"].as_str().unwrap().contains("jbuild.toml"), "{doc}");
}

#[test]
fn the_examples_in_a_new_projects_settings_work() {
    let dir = tempfile::tempdir().unwrap();
    Jbuild::new(dir.path()).args(&["new", "demo"]).run().success();
    let root = dir.path().join("demo");
    let toml = std::fs::read_to_string(root.join("jbuild.toml")).unwrap();
    let examples = ["# hidden = ", "# [[group]]", "# name = ", "# points = ", "# cases = "];
    let uncommented: Vec<&str> =
        toml.lines().map(|l| if examples.iter().any(|e| l.starts_with(e)) { &l[2..] } else { l }).collect();
    assert_eq!(
        uncommented.iter().filter(|l| !l.starts_with('#')).count(),
        toml.lines().filter(|l| !l.starts_with('#')).count() + 5
    );
    std::fs::write(root.join("jbuild.toml"), uncommented.join("\n")).unwrap();
    let out = Jbuild::new(&root).args(&["check"]).run();
    out.success().stdout_has("group basics: 10/10").stdout_has("points: 10/10");
}
