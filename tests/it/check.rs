//! `jbuild check`: cases, verdicts, limits, reports.

use std::path::Path;

use crate::support::{Jbuild, TestProject};

fn sample_with_case(expected: &str) -> TestProject {
    let p = TestProject::sample();
    p.write("tests/sample01.Main/basic.out", expected);
    p
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

#[test]
fn passing_case_prints_the_summary_line_and_exits_zero() {
    let p = sample_with_case("Number is 10.\n");
    let out = p.jbuild(&["check"]).run();
    out.success().stdout_has("PASS");
    assert_eq!(last_line(&out.stdout), "1 passed, 0 failed");
}

#[test]
fn wrong_output_shows_a_diff_and_exits_one() {
    let p = sample_with_case("Number is 11.\n");
    let out = p.jbuild(&["check"]).run();
    out.code(1)
        .stdout_has("WRONG")
        .stdout_has("output differs (lines comparison)")
        .stdout_has("    -Number is 11.\n    +Number is 10.");
    assert_eq!(last_line(&out.stdout), "0 passed, 1 failed");
}

#[test]
fn whitespace_only_difference_is_made_visible_unless_lines_mode_forgives_it() {
    let p = sample_with_case("Number is 10.  \n\n");
    p.jbuild(&["check"]).run().success();
    let out = p.jbuild(&["check", "--compare", "exact"]).run();
    out.code(1).stdout_has("-Number·is·10.··⏎");
}

#[test]
fn stdin_args_and_exit_code_files() {
    let p = TestProject::empty();
    p.write(
        "src/calc/Sum.java",
        "package calc;\nimport java.util.*;\nclass Sum { public static void main(String[] a) {\n  Scanner in = new Scanner(System.in); long s = 0; while (in.hasNextLong()) s += in.nextLong();\n  System.out.println(a.length > 0 ? a[0] + \" \" + s : \"sum \" + s);\n  System.exit(a.length > 1 ? Integer.parseInt(a[1]) : 0);\n} }\n",
    );
    p.write("tests/calc/Sum/plain.in", "1 2 3\n").write("tests/calc/Sum/plain.out", "sum 6\n");
    p.write("tests/calc/Sum/labelled.in", "4 5\n")
        .write("tests/calc/Sum/labelled.args", "total\n3\n")
        .write("tests/calc/Sum/labelled.code", "3\n")
        .write("tests/calc/Sum/labelled.out", "total 9\n");
    p.write("tests/calc/Sum/empty.out", "sum 0\n");
    let out = p.jbuild(&["check"]).run();
    out.success();
    assert_eq!(last_line(&out.stdout), "3 passed, 0 failed");
}

#[test]
fn input_without_expected_output_is_a_configuration_error() {
    let p = sample_with_case("Number is 10.\n");
    p.write("tests/sample01.Main/orphan.in", "1\n");
    p.jbuild(&["check"]).run().code(2).stderr_has("orphan.in: no expected output orphan.out beside it");
}

#[test]
fn files_directly_in_tests_use_the_only_main_class() {
    let p = TestProject::sample();
    p.write("tests/direct.out", "Number is 10.\n");
    let out = p.jbuild(&["check"]).run();
    out.success().stdout_has("sample01.Main/direct");
}

#[test]
fn online_judge_tools_layout() {
    let p = TestProject::sample();
    p.write("test/sample-1.in", "").write("test/sample-1.out", "Number is 10.\n");
    p.write("test/sample-2.out", "Number is 12.\n");
    let out = p.jbuild(&["check"]).run();
    out.code(1).stdout_has("sample01.Main/sample-1").stdout_has("sample01.Main/sample-2");
    assert_eq!(last_line(&out.stdout), "1 passed, 1 failed");
}

#[test]
fn infinite_loop_times_out_and_leaves_no_java_process() {
    let p = TestProject::empty();
    p.write(
        "src/loop/Spin.java",
        "package loop;\nclass Spin { public static void main(String[] a) { long x = 0; while (true) { x++; } } }\n",
    );
    p.write("tests/loop.Spin/forever.out", "never\n");
    let started = std::time::Instant::now();
    let out = p.jbuild(&["check", "--timeout", "0.8"]).run();
    out.code(1).stdout_has("TIMEOUT").stdout_has("(limit 0.8s; ").stdout_has("s of CPU time)");
    assert!(started.elapsed().as_secs() < 30, "stopped near the limit");
    let classes = p.path("classes").display().to_string();
    assert!(crate::support::all_gone(&classes), "a JVM was left behind");
}

#[test]
fn children_of_a_case_are_killed_with_it() {
    let p = TestProject::empty();
    p.write(
        "src/fork/Parent.java",
        "package fork;\nclass Parent { public static void main(String[] a) throws Exception {\n  new ProcessBuilder(\"sleep\", \"4242.5\").start();\n  System.out.println(\"started\");\n} }\n",
    );
    p.write("tests/fork.Parent/child.out", "started\n");
    p.jbuild(&["check"]).run().success();
    assert!(crate::support::all_gone("4242.5"), "the child sleep survived");
}

#[test]
fn endless_output_hits_the_output_limit() {
    let p = TestProject::empty();
    p.write("src/noisy/Talk.java", "package noisy;\nclass Talk { public static void main(String[] a) { while (true) System.out.println(\"blah blah blah\"); } }\n");
    p.write("tests/noisy.Talk/flood.out", "quiet\n");
    let out = p.jbuild(&["check", "--output-limit", "64KiB"]).run();
    out.code(1).stdout_has("OUTPUT").stdout_has("printed more than 64KiB; stopped");
}

#[test]
fn out_of_memory_is_a_memory_verdict() {
    let p = TestProject::empty();
    p.write(
        "src/mem/Hog.java",
        "package mem;\nimport java.util.*;\nclass Hog { public static void main(String[] a) { List<long[]> l = new ArrayList<>(); while (true) l.add(new long[1 << 20]); } }\n",
    );
    p.write("tests/mem.Hog/big.out", "never\n");
    p.jbuild(&["check", "--memory", "64"]).run().code(1).stdout_has("MEMORY").stdout_has("limit 64 MiB");
}

#[test]
fn runtime_error_shows_the_stack_trace_tail() {
    let p = TestProject::empty();
    p.write(
        "src/bad/Crash.java",
        "package bad;\nclass Crash { public static void main(String[] a) { int[] x = new int[1]; x[2] = 1; } }\n",
    );
    p.write("tests/bad.Crash/boom.out", "\n");
    p.jbuild(&["check"])
        .run()
        .code(1)
        .stdout_has("ERROR")
        .stdout_has("exit code 1, expected 0")
        .stdout_has("ArrayIndexOutOfBoundsException");
}

#[test]
fn deep_recursion_has_room() {
    let p = TestProject::empty();
    p.write(
        "src/rec/Deep.java",
        "package rec;\nclass Deep { static int depth(int n) { return n == 0 ? 0 : 1 + depth(n - 1); }\n public static void main(String[] a) { System.out.println(depth(200000)); } }\n",
    );
    p.write("tests/rec.Deep/deep.out", "200000\n");
    p.jbuild(&["check"]).run().success();
}

/// A teacher's repository: three exercise projects, one broken.
fn teacher_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["ex1", "ex2", "ex3"] {
        crate::support::copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-project/src"),
            &dir.path().join(name).join("src"),
        );
        std::fs::create_dir_all(dir.path().join(name).join("tests/sample01.Main")).unwrap();
        std::fs::write(dir.path().join(name).join("tests/sample01.Main/basic.out"), "Number is 10.\n").unwrap();
    }
    std::fs::write(
        dir.path().join("ex2/src/sample01/Number.java"),
        "package sample01;\npublic class Number { int getNum() { return oops; } }\n",
    )
    .unwrap();
    dir
}

#[test]
fn every_project_below_is_checked_and_a_compile_error_stays_in_its_project() {
    let dir = teacher_repo();
    let out = Jbuild::new(dir.path()).args(&["check"]).run();
    out.code(1)
        .stdout_has("COMPILE")
        .stdout_has("ex2: sample01.Main/basic")
        .stdout_has("cannot find symbol")
        .stdout_has("PASS");
    assert_eq!(last_line(&out.stdout), "2 passed, 1 failed");
    assert_eq!(out.stderr.matches(", warm)").count(), 3, "one warm worker for the batch: {}", out.stderr);
    // Nothing changed: the re-run compiles nothing.
    let again = Jbuild::new(dir.path()).args(&["check", "ex1", "ex3"]).run();
    again.success().stderr_lacks("Compiling");
    assert_eq!(again.stderr.matches("Fresh").count(), 2);
}

#[test]
fn junit_xml_parses_and_its_counts_match() {
    let dir = teacher_repo();
    std::fs::write(dir.path().join("ex3/tests/sample01.Main/wrong.out"), "Number is 3 < 4 & \"quoted\"\n").unwrap();
    let report = dir.path().join("report.xml");
    Jbuild::new(dir.path()).args(&["check", "--junit"]).arg(&report).run().code(1);
    let xml = std::fs::read_to_string(&report).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("4"));
    assert_eq!(root.attribute("failures"), Some("1"));
    assert_eq!(root.attribute("errors"), Some("1"));
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.iter().map(|s| s.attribute("name").unwrap()).collect::<Vec<_>>(), ["ex1", "ex2", "ex3"]);
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), 4);
    assert!(cases.iter().all(|c| c.attribute("classname") == Some("sample01.Main")));
    let failure = doc.descendants().find(|n| n.has_tag_name("failure")).unwrap();
    assert!(failure.text().unwrap().contains("-Number is 3 < 4 & \"quoted\""));
    assert!(doc.descendants().any(|n| n.has_tag_name("error") && n.attribute("type") == Some("compile-error")));
}

#[test]
fn json_format_is_one_document() {
    let p = sample_with_case("Number is 10.\n");
    let out = p.jbuild(&["check", "--format", "json"]).run();
    out.success();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["passed"], 1);
    assert_eq!(json["cases"][0]["verdict"], "pass");
    assert_eq!(json["cases"][0]["name"], "sample01.Main/basic");
    assert_eq!(last_line(&out.stderr), "1 passed, 0 failed");
}

#[test]
fn github_annotations_are_escaped_and_program_output_cannot_inject_commands() {
    let p = TestProject::empty();
    p.write(
        "src/evil/Inject.java",
        "package evil;\nclass Inject { public static void main(String[] a) { System.out.println(\"::error::pwned\"); System.out.println(\"100%\"); } }\n",
    );
    p.write("tests/evil.Inject/case.out", "fine\n");
    let summary = p.path("summary.md");
    let out = p.jbuild(&["check"]).env("GITHUB_ACTIONS", "true").env("GITHUB_STEP_SUMMARY", &summary).run();
    out.code(1).stdout_has("::group::project");
    // The program's line is only printed between stop-commands markers.
    let stop = out.stdout.lines().find_map(|l| l.strip_prefix("::stop-commands::")).expect("stop-commands").to_owned();
    let guarded = out.stdout.split(&format!("::stop-commands::{stop}")).nth(1).unwrap();
    let (inside, _) = guarded.split_once(&format!("::{stop}::")).unwrap();
    assert!(inside.contains("+::error::pwned"));
    let annotation = out.stdout.lines().find(|l| l.starts_with("::error file=tests/evil.Inject/case.out")).unwrap();
    assert!(annotation.contains("title=evil.Inject/case%3A wrong output::"), "{annotation}");
    assert!(annotation.contains("%0A+::error::pwned%0A+100%25"), "{annotation}");
    let table = std::fs::read_to_string(&summary).unwrap();
    assert!(table.contains("| ❌ | project | evil.Inject/case | wrong output |"), "{table}");
}

#[test]
fn github_annotations_point_at_javac_errors() {
    let p = TestProject::sample();
    p.write("tests/sample01.Main/basic.out", "Number is 10.\n");
    p.write(
        "src/sample01/Number.java",
        "package sample01;\npublic class Number {\n    int getNum() { return 10 }\n}\n",
    );
    let out = p.jbuild(&["check", "--format", "github"]).run();
    out.code(1);
    let annotation = out.stdout.lines().find(|l| l.starts_with("::error file=")).unwrap();
    assert!(annotation.ends_with(",line=3,col=29,title=javac error::';' expected"), "{annotation}");
    assert!(annotation.starts_with("::error file=src/sample01/Number.java"), "{annotation}");
}

#[test]
fn jbuild_toml_checks_with_points_and_compare_modes() {
    let p = TestProject::empty();
    p.write("src/num/Pi.java", "package num;\nclass Pi { public static void main(String[] a) { System.out.println(Math.PI + \"  \" + a.length); } }\n");
    p.write("cases/pi.txt", "3.14159 0\n");
    p.write(
        "jbuild.toml",
        r#"[[check]]
name = "close enough"
main = "num.Pi"
stdout = "3.1416 0"
compare = "float:1e-3"
points = 2

[[check]]
name = "tokens"
main = "num.Pi"
args = ["x", "y"]
stdout-file = "cases/pi.txt"
compare = "tokens"
points = 3

[[check]]
name = "exact digits"
main = "num.Pi"
stdout = "3.141592653589793  0\n"
compare = "exact"
points = 5
"#,
    );
    let out = p.jbuild(&["check"]).run();
    out.code(1).stdout_has("num.Pi/tokens").stdout_has("points: 7/10");
    assert_eq!(last_line(&out.stdout), "2 passed, 1 failed");
}

#[test]
fn case_file_outside_the_project_is_refused() {
    let p = sample_with_case("Number is 10.\n");
    p.write("jbuild.toml", "[[check]]\nmain = \"sample01.Main\"\nstdout-file = \"../../../../../../etc/passwd\"\n");
    p.jbuild(&["check"]).run().code(2).stderr_has("`stdout-file`").stderr_has("is outside the project");
}

#[test]
fn unknown_check_key_is_named() {
    let p = sample_with_case("Number is 10.\n");
    p.write("jbuild.toml", "[[check]]\nmain = \"sample01.Main\"\nstdot = \"x\"\n");
    p.jbuild(&["check"]).run().code(2).stderr_has("unknown field `stdot`");
}

#[test]
fn github_classroom_autograding_json() {
    let p = TestProject::sample();
    p.write(
        ".github/classroom/autograding.json",
        r#"{
  "tests": [
    {"name": "compiles and prints", "setup": "echo set >> setup.log", "run": "javac -d out -sourcepath src src/sample01/Main.java && java -cp out sample01.Main", "input": "", "output": "Number is", "comparison": "included", "timeout": 1, "points": 1},
    {"name": "exact", "setup": "echo set >> setup.log", "run": "java -cp out sample01.Main", "input": "", "output": "Number is 10.", "comparison": "exact", "timeout": 1, "points": 2},
    {"name": "regex", "setup": "echo set >> setup.log", "run": "java -cp out sample01.Main", "output": "^Number is [0-9]+\\.$", "comparison": "regex", "timeout": 1, "points": 3},
    {"name": "stdin echo", "run": "cat", "input": "hello\nworld", "output": "hello\nworld", "comparison": "exact", "timeout": 1, "points": 4},
    {"name": "wrong", "run": "echo nope", "output": "yes", "comparison": "exact", "timeout": 1}
  ]
}"#,
    );
    let out = p.jbuild(&["check"]).run();
    out.code(1).stdout_has("PASS").stdout_has("compiles and prints").stdout_has("wrong").stdout_has("points: 10/10");
    assert_eq!(last_line(&out.stdout), "4 passed, 1 failed");
    assert_eq!(p.read("setup.log"), "set\nset\nset\n", "setup runs before each test that has one");
    assert!(!p.exists("classes"), "a project with only Classroom tests gets no output folder from jbuild");
}

#[test]
fn shards_partition_the_cases() {
    let p = TestProject::sample();
    for i in 0..5 {
        p.write(&format!("tests/sample01.Main/c{i}.out"), "Number is 10.\n");
    }
    let names = |shard: &str| -> Vec<String> {
        let out = p.jbuild(&["check", "--shard", shard]).run();
        out.success();
        out.stdout.lines().filter(|l| l.starts_with("PASS")).map(|l| l.rsplit(' ').next().unwrap().to_owned()).collect()
    };
    let (a, b) = (names("1/2"), names("2/2"));
    assert_eq!(a.len() + b.len(), 5);
    assert!(a.iter().all(|n| !b.contains(n)));
    assert_eq!(names("1/2"), a, "deterministic");
    p.jbuild(&["check", "--shard", "3/2"]).run().code(2).stderr_has("--shard");
}

#[test]
fn no_cases_is_a_configuration_error() {
    let p = TestProject::sample();
    p.jbuild(&["check"]).run().code(2).stderr_has("no check cases found");
}

#[test]
fn checking_never_modifies_the_project() {
    let p = sample_with_case("Number is 10.\n");
    p.write("src/sample01/Writer.java", "package sample01;\nclass Writer { public static void main(String[] a) throws Exception { java.nio.file.Files.writeString(java.nio.file.Path.of(\"out.txt\"), \"x\"); System.out.println(\"ok\"); } }\n");
    p.write("tests/sample01.Writer/w.out", "ok\n");
    let before: Vec<String> = p.files();
    p.jbuild(&["check"]).run().success();
    let after: Vec<String> = p.files().into_iter().filter(|f| !f.starts_with("classes/")).collect();
    assert_eq!(after, before);
}

#[test]
fn whole_reports_for_the_common_failures() {
    let p = TestProject::empty();
    p.write(
        "src/calc/Add.java",
        "package calc;\nimport java.util.Scanner;\nclass Add { public static void main(String[] a) {\n  Scanner in = new Scanner(System.in);\n  int x = in.nextInt(), y = in.nextInt();\n  if (x < 0) throw new IllegalArgumentException(\"negative\");\n  System.out.println(x + y + (x == 7 ? 1 : 0));\n} }\n",
    );
    p.write("tests/calc.Add/ok.in", "1 2\n");
    p.write("tests/calc.Add/ok.out", "3\n");
    p.write("tests/calc.Add/wrong.in", "7 1\n");
    p.write("tests/calc.Add/wrong.out", "8\n");
    p.write("tests/calc.Add/crash.in", "-1 1\n");
    p.write("tests/calc.Add/crash.out", "0\n");
    crate::assert_outcome_snapshot!("report", p.jbuild(&["check", "--color", "never"]).run());
    p.write("src/calc/Add.java", "package calc;\nclass Add { public static void main(String[] a) { int x = } }\n");
    crate::assert_outcome_snapshot!("compile_error_report", p.jbuild(&["check"]).run());
}
