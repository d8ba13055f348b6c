//! `jbuild run`: the program owns stdio and the exit code.

use crate::support::TestProject;

#[test]
fn run_from_classes_prints_the_number() {
    let p = TestProject::sample();
    p.jbuild_in("src", &["compile", "sample01/Main.java"]).run().success();
    p.jbuild_in("classes", &["run", "sample01.Main"]).run().success().stdout_is("Number is 10.\n");
}

#[test]
fn run_compiles_first_when_classes_are_missing() {
    let p = TestProject::sample();
    let out = p.jbuild(&["run", "sample01.Main"]).run();
    out.success().stdout_is("Number is 10.\n").stderr_has("Compiling sample01.Main");
    assert!(p.exists("classes/sample01/Main.class"));
}

#[test]
fn run_accepts_a_source_path() {
    let p = TestProject::sample();
    p.jbuild_in("src", &["run", "sample01/Main.java"]).run().success().stdout_is("Number is 10.\n");
}

#[test]
fn status_lines_stay_off_stdout() {
    let p = TestProject::sample();
    let out = p.jbuild(&["run", "sample01.Main"]).run();
    out.success().stdout_is("Number is 10.\n").stderr_has("Running sample01.Main");
}

const ECHO: &str = r#"package tools;

import java.io.*;

public class Echo {
    public static void main(String[] args) throws IOException {
        System.out.println("args=" + String.join("|", args));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            System.out.println("read " + line);
        }
        System.err.println("to stderr");
        System.exit(args.length > 0 && args[0].equals("fail") ? 7 : 0);
    }
}
"#;

#[test]
fn args_after_double_dash_reach_the_program() {
    let p = TestProject::sample();
    p.write("src/tools/Echo.java", ECHO);
    p.jbuild(&["run", "tools.Echo", "--", "a b", "--flag", "ü"]).run().success().stdout_is("args=a b|--flag|ü\n");
}

#[test]
fn stdin_reaches_the_program() {
    let p = TestProject::sample();
    p.write("src/tools/Echo.java", ECHO);
    let out = p.jbuild(&["run", "tools.Echo"]).stdin("one\ntwo\n").run();
    out.success().stdout_is("args=\nread one\nread two\n").stderr_has("to stderr");
}

#[test]
fn program_exit_code_is_passed_through() {
    let p = TestProject::sample();
    p.write("src/tools/Echo.java", ECHO);
    p.jbuild(&["run", "tools.Echo", "--", "fail"]).run().code(7).stderr_lacks("jbuild: error");
}

#[test]
fn uncaught_exception_exits_one_with_java_stack_trace() {
    let p = TestProject::sample();
    p.write("src/tools/Boom.java", "package tools;\nclass Boom { public static void main(String[] a) { throw new IllegalStateException(\"boom\"); } }\n");
    p.jbuild(&["run", "tools.Boom"]).run().code(1).stderr_has("IllegalStateException: boom");
}

#[cfg(unix)]
#[test]
fn death_by_signal_is_128_plus_n() {
    let p = TestProject::sample();
    // The JVM's own pid is what ProcessHandle reports; SIGKILL cannot be caught.
    p.write(
        "src/tools/Die.java",
        "package tools;\nclass Die { public static void main(String[] a) throws Exception {\n  new ProcessBuilder(\"kill\", \"-9\", String.valueOf(ProcessHandle.current().pid())).start().waitFor();\n  Thread.sleep(10000);\n} }\n",
    );
    p.jbuild(&["run", "tools.Die"]).run().code(137);
}

#[test]
fn run_without_target_uses_the_only_main_class() {
    let p = TestProject::sample();
    p.jbuild(&["run"]).run().success().stdout_is("Number is 10.\n");
}

#[test]
fn run_without_target_lists_candidates_when_ambiguous() {
    let p = TestProject::sample();
    p.write("src/tools/Echo.java", ECHO);
    let out = p.jbuild(&["run"]).run();
    out.code(2)
        .stderr_has("several classes have a main method")
        .stderr_has("    sample01.Main\n")
        .stderr_has("    tools.Echo");
}

const INSTANCE_MAIN: &str = "package modern;\nclass Hi {\n    void main() {\n        System.out.println(\"hi from an instance main\");\n    }\n}\n";

#[test]
fn instance_main_needs_a_new_jdk() {
    let p = TestProject::sample();
    p.write("src/modern/Hi.java", INSTANCE_MAIN);
    // The JDK 17 every test machine has (PATH's, unless JAVA_HOME says otherwise).
    p.jbuild(&["run", "modern.Hi"])
        .env_remove("JAVA_HOME")
        .run()
        .code(2)
        .stderr_has("needs JDK 25 or newer; the selected JDK is 17");
}

#[test]
#[cfg_attr(not(jbuild_jdk25), ignore = "needs a JDK 25 under /usr/lib/jvm or JAVA_HOME")]
fn instance_main_runs_on_jdk_25() {
    let home = crate::support::jdk_at_least(25).expect("a JDK 25 (found when the tests were built)");
    let p = TestProject::sample();
    p.write("src/modern/Hi.java", INSTANCE_MAIN);
    let out = p.jbuild(&["run", "modern.Hi"]).env("JAVA_HOME", &home).run();
    out.success().stdout_is("hi from an instance main\n");
}

#[test]
#[cfg_attr(not(jbuild_jdk25), ignore = "needs a JDK 25 under /usr/lib/jvm or JAVA_HOME")]
fn compact_source_file_runs_on_jdk_25() {
    let home = crate::support::jdk_at_least(25).expect("a JDK 25 (found when the tests were built)");
    let p = TestProject::empty();
    p.write(
        "src/Hello.java",
        "void main() {\n    IO.println(\"compact \" + twice(21));\n}\n\nint twice(int x) { return 2 * x; }\n",
    );
    p.jbuild(&["run", "Hello"]).env("JAVA_HOME", &home).run().success().stdout_is("compact 42\n");
}

#[test]
fn every_java_start_works_through_an_argfile() {
    // The switch makes every javac and java take an @argfile, as a very long
    // command line would; program arguments stay on the command line.
    let p = TestProject::sample();
    p.write(
        "src/app/Args.java",
        "package app;\nclass Args { public static void main(String[] a) { System.out.println(String.join(\"|\", a)); } }\n",
    );
    p.write("jbuild.toml", "[[check]]\nmain = \"app.Args\"\nargs = [\"x y\", \"-z\"]\nstdout = \"x y|-z\"\n");
    let forced = |args: &[&str]| p.jbuild(args).env("__JBUILD_TEST_FORCE_ARGFILE", "1").run();
    forced(&["run", "-v", "app.Args", "a b", "@c"]).success().stdout_is("a b|@c\n").stderr_has("@");
    forced(&["check"]).success().stdout_has("1 passed, 0 failed");
    forced(&["compile", "sample01.Main"]).success();
}

#[test]
fn sigint_reaches_the_program_when_stdin_is_not_a_terminal() {
    let p = TestProject::empty();
    p.write(
        "src/app/Wait.java",
        "package app;\nclass Wait { public static void main(String[] a) throws Exception {\n  Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(\"stopped cleanly\")));\n  System.out.println(\"waiting\"); System.out.flush(); Thread.sleep(60_000);\n} }\n",
    );
    let run = p.jbuild(&["run", "app.Wait"]).spawn();
    run.wait_for_line("waiting");
    run.signal(libc::SIGINT); // an IDE's stop button: jbuild alone, stdin not a terminal
    run.wait_for_line("stopped cleanly");
    let (code, stderr) = run.finish();
    assert_eq!(code, Some(130), "the program's own exit: 128 + SIGINT\n{stderr}");
}

#[test]
fn a_simple_name_runs_the_only_main_class_of_that_name() {
    let p = TestProject::sample();
    let out = p.jbuild(&["run", "Main"]).run();
    out.success().stdout_is("Number is 10.\n").stderr_has("Running sample01.Main");
    // Two classes called Main with a main method: ambiguous, so refused with both named.
    p.write("src/other/Main.java", "package other;\npublic class Main { public static void main(String[] a) {} }\n");
    p.jbuild(&["run", "Main"])
        .run()
        .code(2)
        .stderr_has("`Main` is ambiguous: `other.Main` and `sample01.Main` have a main method; name one");
}

#[test]
fn non_ascii_file_names_compile_and_run_under_the_c_locale() {
    let p = TestProject::empty();
    p.write(
        "src/Grüße.java",
        "public class Grüße {\n    public static void main(String[] a) { System.out.println(\"Grüße!\"); }\n}\n",
    );
    let out = p.jbuild(&["run", "Grüße"]).env("LC_ALL", "C").env("LANG", "C").env_remove("LC_CTYPE").run();
    out.success().stdout_is("Grüße!\n");
}
