//! `jbuild test`, and JUnit tests inside `jbuild check`: finding the
//! platform jar, compiling test classes (one broken class fails alone),
//! running them under limits, verdicts, points and reports.
//!
//! Tests that run JUnit need Debian's `junit5` package (`.ci/run` installs
//! it); without it they are ignored, with the reason.

use std::path::Path;

use crate::support::{TestProject, all_gone};

/// A project with `src/calc/Calc.java`.
fn calc_project() -> TestProject {
    let p = TestProject::empty();
    p.write(
        "src/calc/Calc.java",
        "package calc;\n\npublic class Calc {\n    public static int add(int a, int b) { return a + b; }\n    public static int div(int a, int b) { return a / b; }\n}\n",
    );
    p
}

/// Writes `test/calc/<class>.java` with JUnit 5's imports and `body` as
/// the class's members.
fn jupiter_test(p: &TestProject, class: &str, annotations: &str, body: &str) {
    p.write(
        &format!("test/calc/{class}.java"),
        &format!(
            "package calc;\n\nimport org.junit.jupiter.api.*;\nimport org.junit.jupiter.params.ParameterizedTest;\nimport org.junit.jupiter.params.provider.ValueSource;\nimport static org.junit.jupiter.api.Assertions.*;\n\n{annotations}\nclass {class} {{\n{body}\n}}\n"
        ),
    );
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

/// The report line of a test: `VERDICT  time  name`.
fn line_of<'a>(stdout: &'a str, name: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.ends_with(&format!("  {name}")))
        .unwrap_or_else(|| panic!("no line for {name}:\n{stdout}"))
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn passing_and_failing_assertions_and_an_exception() {
    let p = calc_project();
    jupiter_test(
        &p,
        "CalcTest",
        "",
        r#"    @Test void add() { assertEquals(5, Calc.add(2, 3)); }
    @Test void wrong() {
        assertEquals(6, Calc.add(2, 3));
    }
    @Test void divides() { Calc.div(1, 0); }"#,
    );
    let out = p.jbuild(&["test"]).run();
    out.code(1);
    assert!(line_of(&out.stdout, "calc.CalcTest/add").starts_with("PASS"));
    assert!(line_of(&out.stdout, "calc.CalcTest/wrong").starts_with("WRONG"));
    assert!(line_of(&out.stdout, "calc.CalcTest/divides").starts_with("ERROR"));
    out.stdout_has("    expected: <6> but was: <5>\n    at calc.CalcTest.wrong(CalcTest.java:12)\n")
        .stdout_has("    java.lang.ArithmeticException: / by zero\n    at calc.Calc.div(Calc.java:5)\n    at calc.CalcTest.divides(CalcTest.java:14)\n");
    assert_eq!(last_line(&out.stdout), "1 passed, 2 failed");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn a_test_that_never_ends_times_out_and_the_others_still_pass() {
    let p = calc_project();
    jupiter_test(
        &p,
        "CalcTest",
        "",
        "    @Test void spin() { long x = 0; while (true) { x++; } }\n    @Test void add() { assertEquals(5, Calc.add(2, 3)); }",
    );
    let out = p.jbuild(&["test", "--timeout", "1"]).run();
    out.code(1).stdout_has("    spin() timed out after 1 second\n");
    assert!(line_of(&out.stdout, "calc.CalcTest/spin").starts_with("TIMEOUT"));
    assert!(line_of(&out.stdout, "calc.CalcTest/add").starts_with("PASS"));
    assert!(all_gone(&p.root.display().to_string()), "a test JVM was left behind");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn a_hang_junit_cannot_stop_is_killed_and_the_rest_run_in_a_fresh_jvm() {
    let p = calc_project();
    // JUnit's timeout guards test methods, not constructors.
    jupiter_test(&p, "HangTest", "", "    HangTest() { while (true) { } }\n    @Test void never() { }");
    jupiter_test(&p, "OkTest", "", "    @Test void fine() { assertEquals(5, Calc.add(2, 3)); }");
    let out = p.jbuild(&["test", "--timeout", "1"]).run();
    out.code(1).stdout_has("JUnit's 1.0s timeout could not stop it); the test JVM was killed");
    assert!(line_of(&out.stdout, "calc.HangTest/never").starts_with("TIMEOUT"));
    assert!(line_of(&out.stdout, "calc.OkTest/fine").starts_with("PASS"));
    assert!(all_gone(&p.root.display().to_string()), "a test JVM was left behind");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn a_test_that_calls_system_exit_fails_alone() {
    let p = calc_project();
    jupiter_test(
        &p,
        "ExitTest",
        "@TestMethodOrder(MethodOrderer.MethodName.class)",
        "    @Test void a() { assertEquals(5, Calc.add(2, 3)); }\n    @Test void b() { System.exit(3); }\n    @Test void c() { System.out.println(\"after the exit\"); }",
    );
    let out = p.jbuild(&["test", "--format", "json"]).run();
    out.code(1);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let cases = json["cases"].as_array().unwrap();
    let verdicts: Vec<(&str, &str)> =
        cases.iter().map(|c| (c["name"].as_str().unwrap(), c["verdict"].as_str().unwrap())).collect();
    assert_eq!(
        verdicts,
        [("calc.ExitTest/a", "pass"), ("calc.ExitTest/b", "runtime-error"), ("calc.ExitTest/c", "pass")]
    );
    assert_eq!(cases[1]["message"], "the test JVM exited with code 3 while this ran (System.exit?)");
    assert_eq!(cases[2]["stdout"], "after the exit\n", "each test's output is its own");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn a_test_class_that_does_not_compile_fails_only_its_own_tests() {
    let p = calc_project();
    jupiter_test(
        &p,
        "BrokenTest",
        "",
        "    @Test void usesMissing() { assertEquals(1, Calc.missing()); }\n    @Test @Tag(\"points=3\") void other() { }",
    );
    jupiter_test(&p, "GoodTest", "", "    @Test @Tag(\"points=2\") void add() { assertEquals(5, Calc.add(2, 3)); }");
    let out = p.jbuild(&["test"]).run();
    out.code(1).stdout_has("cannot find symbol").stdout_has("could not compile calc.BrokenTest");
    assert!(line_of(&out.stdout, "calc.BrokenTest/usesMissing").starts_with("COMPILE"));
    assert!(line_of(&out.stdout, "calc.BrokenTest/other").starts_with("COMPILE"));
    assert!(line_of(&out.stdout, "calc.GoodTest/add").starts_with("PASS"));
    // The broken class's points are still possible ones.
    out.stdout_has("points: 2/5\n");
    assert_eq!(last_line(&out.stdout), "1 passed, 2 failed");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn junit4_tests_run_through_the_vintage_engine() {
    let p = calc_project();
    p.write(
        "test/calc/OldTest.java",
        "package calc;\n\nimport org.junit.Ignore;\nimport org.junit.Test;\nimport static org.junit.Assert.assertEquals;\n\npublic class OldTest {\n    @Test public void adds() { assertEquals(5, Calc.add(2, 3)); }\n    @Test public void wrong() { assertEquals(6, Calc.add(2, 3)); }\n    @Ignore(\"later\") @Test public void off() { }\n}\n",
    );
    let out = p.jbuild(&["test"]).run();
    out.code(1).stdout_has("    expected:<6> but was:<5>\n    at calc.OldTest.wrong(OldTest.java:9)\n");
    assert!(line_of(&out.stdout, "calc.OldTest/adds").starts_with("PASS"));
    assert!(line_of(&out.stdout, "calc.OldTest/wrong").starts_with("WRONG"));
    assert!(line_of(&out.stdout, "calc.OldTest/off").starts_with("SKIP"));
    assert!(out.stdout.ends_with("1 skipped\n1 passed, 1 failed\n"), "{}", out.stdout);
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn points_by_tag_method_over_class_shared_by_invocations_and_none_for_skipped() {
    let p = calc_project();
    jupiter_test(
        &p,
        "CalcTest",
        "@Tag(\"points=1\")",
        r#"    @Test @Tag("points=2.5") void add() { assertEquals(5, Calc.add(2, 3)); }
    @Test void wrong() { assertEquals(6, Calc.add(2, 3)); }
    @ParameterizedTest @ValueSource(ints = {1, 2, 3}) void small(int x) { assertTrue(x < 3); }
    @Test @Disabled("not yet") @Tag("points=10") void later() { }"#,
    );
    let out = p.jbuild(&["test"]).run();
    // add 2.5 of 2.5, wrong 0 of 1, small 2/3 of 1 (its points are shared
    // by its three invocations), later not counted.
    out.code(1).stdout_has("points: 3.17/4.5\n1 skipped\n3 passed, 2 failed\n");
    assert!(line_of(&out.stdout, "calc.CalcTest/small/[3] 3").starts_with("WRONG"));
    let json = p.jbuild(&["test", "--format", "json"]).run();
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        (json["passed"].as_u64(), json["failed"].as_u64(), json["skipped"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(json["points"]["possible"], 4.5);
    let shares: Vec<f64> = json["cases"].as_array().unwrap().iter().filter_map(|c| c["points"].as_f64()).collect();
    assert_eq!(shares.len(), 6);
    assert!(shares.iter().filter(|p| (**p - 1.0 / 3.0).abs() < 1e-9).count() == 3, "{shares:?}");
}

#[test]
fn a_points_tag_that_is_not_a_number_is_a_configuration_error() {
    let p = calc_project();
    jupiter_test(&p, "CalcTest", "", "    @Test @Tag(\"points=lots\") void add() { }");
    p.jbuild(&["test"])
        .run()
        .code(2)
        .stderr_has("test/calc/CalcTest.java: `calc.CalcTest#add`: @Tag(\"points=lots\") is not a number of points");
}

#[test]
fn a_missing_junit_jar_says_how_to_get_one() {
    let p = calc_project();
    jupiter_test(&p, "CalcTest", "", "    @Test void add() { }");
    let out = p.jbuild(&["test"]).env("__JBUILD_TEST_SYSTEM_JUNIT_JAR", p.path("no-such.jar")).run();
    out.code(2)
        .stderr_has("no JUnit Platform jar for the JUnit tests of")
        .stderr_has("Install it with `apt-get install junit5` (Debian, Ubuntu)")
        .stderr_has("junit-platform-console-standalone-<version>.jar from Maven Central")
        .stderr_has(" into lib/ ");
    // jbuild check needs it too, but a project without JUnit tests does not.
    p.write("tests/calc.Calc/none.out", "");
    let check = p.jbuild(&["check"]).env("__JBUILD_TEST_SYSTEM_JUNIT_JAR", p.path("no-such.jar")).run();
    check.code(2).stderr_has("apt-get install junit5");
    // A variable that names a missing or wrong file is an error, not skipped.
    let variable = p.jbuild(&["test"]).env("JBUILD_JUNIT_JAR", p.path("gone.jar")).run();
    variable.code(2).stderr_has("JBUILD_JUNIT_JAR: cannot read the JUnit jar");
    p.write("lib/not-junit.jar", "PK");
    p.write("jbuild.toml", "junit = \"lib/not-junit.jar\"\n");
    let setting = p.jbuild(&["test"]).run();
    setting.code(2).stderr_has("the `junit` setting").stderr_has("is not a JUnit Platform console standalone jar");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn junit_xml_counts_match_and_each_test_is_a_testcase() {
    let p = calc_project();
    jupiter_test(
        &p,
        "CalcTest",
        "",
        "    @Test void add() { System.out.println(\"hi <there>\"); }\n    @Test void wrong() { assertEquals(6, 5); }\n    @Test void crash() { throw new IllegalStateException(\"boom\"); }\n    @Test @Disabled(\"later\") void off() { }",
    );
    let report = p.path("report.xml");
    p.jbuild(&["test", "--junit"]).arg(&report).run().code(1);
    let xml = std::fs::read_to_string(&report).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    let counts = |node: roxmltree::Node| -> Vec<Option<String>> {
        ["tests", "failures", "errors", "skipped"].iter().map(|a| node.attribute(*a).map(str::to_owned)).collect()
    };
    let expected = vec![Some("4".into()), Some("1".into()), Some("1".into()), Some("1".into())];
    assert_eq!(counts(root), expected);
    let suite = root.children().find(|n| n.has_tag_name("testsuite")).unwrap();
    assert_eq!(counts(suite), expected);
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), 4);
    assert!(cases.iter().all(|c| c.attribute("classname") == Some("calc.CalcTest")), "{xml}");
    let add = cases.iter().find(|c| c.attribute("name") == Some("calc.CalcTest/add")).unwrap();
    let out = add.children().find(|n| n.has_tag_name("system-out")).unwrap();
    assert_eq!(out.text(), Some("hi <there>\n"));
    let off = cases.iter().find(|c| c.attribute("name") == Some("calc.CalcTest/off")).unwrap();
    assert!(off.children().any(|n| n.has_tag_name("skipped")), "{xml}");
    let failure = doc.descendants().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(failure.attribute("type"), Some("assertion-failed"));
    assert!(failure.attribute("message").unwrap().contains("expected: <6> but was: <5>"));
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn check_runs_input_output_cases_and_junit_tests_in_one_report() {
    let p = calc_project();
    p.write(
        "src/calc/Main.java",
        "package calc;\n\nclass Main { public static void main(String[] a) { System.out.println(Calc.add(2, 3)); } }\n",
    );
    p.write("tests/calc.Main/sum.out", "5\n");
    p.write("test/sample-1.out", "6\n"); // online-judge cases beside the JUnit sources keep their meaning
    jupiter_test(&p, "CalcTest", "", "    @Test void add() { assertEquals(5, Calc.add(2, 3)); }");
    let out = p.jbuild(&["check"]).run();
    out.code(1);
    let names: Vec<&str> =
        out.stdout.lines().filter_map(|l| l.split("  ").last()).filter(|n| n.starts_with("calc.")).collect();
    assert_eq!(names, ["calc.Main/sum", "calc.Main/sample-1", "calc.CalcTest/add"]);
    assert_eq!(last_line(&out.stdout), "2 passed, 1 failed");
    // jbuild test runs the JUnit tests only.
    let tests = p.jbuild(&["test"]).run();
    tests.success();
    assert_eq!(last_line(&tests.stdout), "1 passed, 0 failed");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn the_second_run_runs_no_javac_and_an_edit_recompiles_only_what_it_must() {
    let p = calc_project();
    jupiter_test(&p, "CalcTest", "", "    @Test void add() { assertEquals(5, Calc.add(2, 3)); }");
    p.jbuild(&["test"]).run().success().stderr_has("Compiling 1 test file");
    let again = p.jbuild(&["test", "--verbose"]).run();
    again.success().stderr_lacks("Compiling").stderr_has("Fresh 1 file").stderr_has("Fresh 1 test file");
    assert!(!again.stderr.contains("javac "), "no javac command line: {}", again.stderr);
    // A test edit recompiles the tests only; a main edit both (tests are
    // compiled against the main classes).
    jupiter_test(&p, "CalcTest", "", "    @Test void add() { assertEquals(7, Calc.add(3, 4)); }");
    p.jbuild(&["test"]).run().success().stderr_has("Fresh 1 file").stderr_has("Compiling 1 test file");
    p.write("src/calc/Calc.java", &p.read("src/calc/Calc.java").replace("a + b", "b + a"));
    p.jbuild(&["test"]).run().success().stderr_has("Compiling 1 file").stderr_has("Compiling 1 test file");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn test_classes_inside_src_are_tests_and_stay_out_of_the_main_build() {
    let p = calc_project();
    p.write(
        "src/calc/CalcTest.java",
        "package calc;\n\nimport org.junit.jupiter.api.Test;\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nclass CalcTest {\n    @Test void add() { assertEquals(5, Calc.add(2, 3)); }\n}\n",
    );
    // The main build alone never sees JUnit, so it must leave the test out.
    p.jbuild(&["compile"]).run().success().stderr_has("Compiling 1 file");
    assert!(p.exists("classes/calc/Calc.class") && !p.exists("classes/calc/CalcTest.class"));
    let out = p.jbuild(&["test"]).run();
    out.success().stdout_has("calc.CalcTest/add");
    assert!(p.exists("classes/.jbuild/test-classes/calc/CalcTest.class"));
    p.jbuild(&["clean"]).run().success().stderr_has("Removed 2 class files");
    assert!(!p.exists("classes/calc/Calc.class") && !p.exists("classes/.jbuild/test-classes/calc/CalcTest.class"));
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn filters_pick_classes_and_methods_and_unknown_ones_are_named() {
    let p = calc_project();
    jupiter_test(
        &p,
        "CalcTest",
        "",
        "    @Test void add() { }\n    @Test void addMore() { }\n    @Test void div() { }",
    );
    jupiter_test(&p, "OtherTest", "", "    @Test void other() { }");
    let names = |args: &[&str]| -> Vec<String> {
        let out = p.jbuild(args).run();
        out.success();
        out.stdout
            .lines()
            .filter(|l| l.starts_with("PASS"))
            .map(|l| l.rsplit("  ").next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&["test", "CalcTest#add"]), ["calc.CalcTest/add"]);
    // A test file, as an editor's "test this file" passes it.
    assert_eq!(names(&["test", "test/calc/OtherTest.java"]), ["calc.OtherTest/other"]);
    assert_eq!(
        names(&["test", "calc.CalcTest#add*", "Other*"]),
        ["calc.CalcTest/add", "calc.CalcTest/addMore", "calc.OtherTest/other"]
    );
    p.jbuild(&["test", "CalcTset"])
        .run()
        .code(2)
        .stderr_has("no JUnit test matches `CalcTset` (did you mean `calc.CalcTest`?)");
    p.jbuild(&["test", "CalcTest#nope"]).run().code(2).stderr_has("no JUnit test matches `CalcTest#nope`");
    p.jbuild(&["test", "CalcTest#"]).run().code(2).stderr_has("test filter \"CalcTest#\"");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn github_annotations_point_at_the_failing_assertion() {
    let p = calc_project();
    jupiter_test(
        &p,
        "CalcTest",
        "",
        "    @Test void wrong() {\n        assertEquals(6, Calc.add(2, 3));\n    }\n    @Test void forged() { throw new AssertionError(\"::error::pwned\"); }",
    );
    let summary = p.path("summary.md");
    let out = p.jbuild(&["test"]).env("GITHUB_ACTIONS", "true").env("GITHUB_STEP_SUMMARY", &summary).run();
    out.code(1);
    // A message taken from what a test threw is printed between stop-commands markers only.
    let stop = out.stdout.lines().find_map(|l| l.strip_prefix("::stop-commands::")).expect("stop-commands").to_owned();
    let unguarded: String = out
        .stdout
        .split(&format!("::stop-commands::{stop}"))
        .map(|part| part.split_once(&format!("::{stop}::")).map_or(part, |(_, after)| after))
        .collect();
    assert!(!unguarded.contains("    ::error::pwned"), "{}", out.stdout);
    assert!(out.stdout.contains("    ::error::pwned"), "{}", out.stdout);
    let annotation = out.stdout.lines().find(|l| l.starts_with("::error ")).unwrap();
    assert!(
        annotation.starts_with("::error file=test/calc/CalcTest.java,line=11,title=calc.CalcTest/wrong%3A assertion failed::expected: <6> but was: <5>"),
        "{annotation}"
    );
    let table = std::fs::read_to_string(&summary).unwrap();
    assert!(table.contains("| ❌ | project | calc.CalcTest/wrong | assertion failed |"), "{table}");
}

#[test]
fn jbuild_test_without_junit_tests_is_a_configuration_error() {
    let p = calc_project();
    p.jbuild(&["test"]).run().code(2).stderr_has("no JUnit tests found in 1 project");
    // A test/ folder with online-judge cases only holds no JUnit tests.
    p.write("test/sample-1.out", "1\n");
    p.jbuild(&["test"]).run().code(2).stderr_has("no JUnit tests found");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn the_sample_project_tests_pass() {
    let p = TestProject::sample();
    crate::support::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-project/test"), &p.path("test"));
    let out = p.jbuild(&["test"]).run();
    out.success().stdout_has("sample01.NumberTest/numberIsTen").stdout_has("points: 4/4");
    assert_eq!(last_line(&out.stdout), "5 passed, 0 failed");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn watch_test_reruns_the_tests_after_a_fix() {
    let p = calc_project();
    jupiter_test(&p, "CalcTest", "", "    @Test void add() { assertEquals(6, Calc.add(2, 3)); }");
    let watch = p.jbuild(&["watch", "test"]).spawn();
    watch.wait_for_line("0 passed, 1 failed");
    p.write("src/calc/Calc.java", &p.read("src/calc/Calc.java").replace("a + b", "a + b + 1"));
    watch.wait_for_line("1 passed, 0 failed");
    watch.signal(libc::SIGTERM);
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(crate::support::processes_under(&p.root).is_empty(), "no JVM left behind: {stderr}");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn main_classes_that_do_not_compile_fail_every_test_with_their_points() {
    let p = calc_project();
    p.write("src/calc/Calc.java", &p.read("src/calc/Calc.java").replace("a + b;", "a + b"));
    jupiter_test(&p, "CalcTest", "@Tag(\"points=2\")", "    @Test void add() { }\n    @Test void div() { }");
    let out = p.jbuild(&["test"]).run();
    out.code(1).stdout_has("';' expected").stdout_has("points: 0/4\n");
    assert!(line_of(&out.stdout, "calc.CalcTest/add").starts_with("COMPILE"));
    assert!(line_of(&out.stdout, "calc.CalcTest/div").starts_with("COMPILE"));
    assert!(!p.exists("classes/.jbuild/test-classes/calc"), "no test compile without main classes");
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
fn running_out_of_memory_and_printing_too_much_are_their_own_verdicts() {
    let p = calc_project();
    jupiter_test(
        &p,
        "LimitsTest",
        "",
        r#"    @Test void hog() { java.util.List<long[]> all = new java.util.ArrayList<>(); while (true) all.add(new long[1 << 20]); }
    @Test void loud() { for (int i = 0; i < 100000; i++) System.out.println("blah blah blah " + i); }
    @Test void quiet() { }"#,
    );
    let out = p.jbuild(&["test", "--memory", "64", "--output-limit", "64KiB"]).run();
    out.code(1).stdout_has("    ran out of memory (limit 64 MiB)\n").stdout_has("    printed more than 65536 bytes\n");
    assert!(line_of(&out.stdout, "calc.LimitsTest/hog").starts_with("MEMORY"));
    assert!(line_of(&out.stdout, "calc.LimitsTest/loud").starts_with("OUTPUT"));
    assert!(line_of(&out.stdout, "calc.LimitsTest/quiet").starts_with("PASS"));
    assert!(!out.stdout.contains("OnOutOfMemoryError"), "the JVM's notice is not a test's output:\n{}", out.stdout);
}

#[test]
#[cfg_attr(not(jbuild_junit), ignore = "needs the JUnit Platform jar (Debian/Ubuntu package junit5)")]
#[cfg_attr(not(jbuild_root), ignore = "needs root: --run-as switches users")]
fn a_run_as_test_cannot_touch_the_launcher_that_reports_its_results() {
    let p = calc_project();
    // The launcher's folder is the first class path entry: a test that could
    // replace it (or rename it away) could forge every later result.
    jupiter_test(
        &p,
        "CalcTest",
        "",
        r#"@Test void launcherIsOutOfReach() throws Exception {
               var launcher = java.nio.file.Path.of(System.getProperty("java.class.path").split(":")[0]);
               assertFalse(java.nio.file.Files.isWritable(launcher), "launcher folder writable");
               assertFalse(java.nio.file.Files.isWritable(launcher.getParent()), "scratch folder writable");
               assertFalse(launcher.toFile().renameTo(launcher.resolveSibling("moved").toFile()), "launcher folder renamed");
           }"#,
    );
    p.open_to_everyone();
    let out = p.jbuild(&["check", "--run-as", "nobody"]).run();
    out.success().stdout_has("1 passed, 0 failed");
}

#[test]
fn jbuild_test_leaves_out_groups_of_input_output_cases() {
    let p = calc_project();
    jupiter_test(&p, "CalcTest", "", "    @Test void add() { assertEquals(3, Calc.add(1, 2)); }");
    p.write(
        "src/calc/Main.java",
        "package calc;\npublic class Main { public static void main(String[] a) { System.out.println(Calc.add(1, 2)); } }\n",
    );
    p.write("tests/calc.Main/three.out", "3\n");
    p.write("jbuild.toml", "[[group]]\nname = \"io\"\npoints = 5\ncases = [\"calc.Main/*\"]\n");
    // `test` lists the JUnit tests alone: the group of I/O cases is not its business.
    p.jbuild(&["test"]).run().success().stdout_has("1 passed, 0 failed");
    // check has every case, and the group applies.
    p.jbuild(&["check"]).run().success().stdout_has("points: 5/5").stdout_has("2 passed, 0 failed");
}
