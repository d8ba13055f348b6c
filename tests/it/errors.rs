//! Every bad input gets a clear, specific error and the documented exit code.

use crate::support::TestProject;

#[test]
fn missing_file() {
    let p = TestProject::sample();
    let out = p.jbuild_in("src", &["compile", "sample01/Missing.java"]).run();
    out.code(2);
    assert!(out.error().starts_with("jbuild: error: no such file: "), "{}", out.stderr);
    assert!(out.error().contains("Missing.java"));
}

#[test]
fn path_outside_src() {
    let p = TestProject::sample();
    p.write("elsewhere/Stray.java", "class Stray {}\n");
    let out = p.jbuild(&["compile", "elsewhere/Stray.java"]).run();
    out.code(2).stderr_has("elsewhere/Stray.java is outside the source folder");
}

#[test]
fn not_a_java_file() {
    let p = TestProject::sample();
    p.write("src/sample01/notes.txt", "hello\n");
    p.jbuild_in("src", &["compile", "sample01/notes.txt"])
        .run()
        .code(2)
        .stderr_has("jbuild: error: sample01/notes.txt is not a Java source file (expected a .java file)");
}

#[test]
fn unknown_class_suggests_close_names() {
    let p = TestProject::sample();
    let out = p.jbuild(&["run", "sample01.Mian"]).run();
    out.code(2).stderr_has("no class `sample01.Mian` in ").stderr_has("(did you mean `sample01.Main`?)");
    assert_eq!(out.stderr.matches("jbuild: error:").count(), 1, "printed once: {}", out.stderr);
}

#[test]
fn package_folder_mismatch_is_caught_before_javac() {
    let p = TestProject::sample();
    p.write("src/sample01/Main.java", &p.read("src/sample01/Main.java").replace("package sample01;", "package foo;"));
    let out = p.jbuild_in("src", &["compile", "--verbose", "sample01/Main.java"]).run();
    out.code(1)
        .stderr_has("sample01/Main.java: declares `package foo;`, but its folder means `package sample01;`")
        .stderr_lacks("Running `");
}

#[test]
fn missing_package_declaration_is_a_mismatch() {
    let p = TestProject::sample();
    p.write("src/sample01/Loose.java", "class Loose { public static void main(String[] a) {} }\n");
    p.jbuild(&["compile", "sample01/Loose.java"])
        .run()
        .code(1)
        .stderr_has("declares no package (the unnamed package), but its folder means `package sample01;`");
}

#[test]
fn no_main_method_lists_the_classes_that_have_one() {
    let p = TestProject::sample();
    p.jbuild(&["run", "sample01.Number"])
        .run()
        .code(2)
        .stderr_has("`sample01.Number` (src/sample01/Number.java) has no main method")
        .stderr_has("classes with one: sample01.Main");
}

#[test]
fn no_project_found_says_what_was_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::Jbuild::new(dir.path())
        .args(&["compile"])
        .run()
        .code(2)
        .stderr_has("no Java project found at ")
        .stderr_has("jbuild looks for a folder with jbuild.toml, a src/ folder, GitHub Classroom tests");
}

#[test]
fn no_jdk_names_what_was_searched() {
    let p = TestProject::sample();
    let empty = tempfile::tempdir().unwrap();
    p.jbuild(&["compile"])
        .env("PATH", empty.path())
        .env_remove("JAVA_HOME")
        .run()
        .code(2)
        .stderr_has("no JDK found (searched PATH)")
        .stderr_has("apt-get install openjdk-17-jdk-headless");
}

#[cfg(unix)]
#[test]
fn jre_without_javac_is_explained() {
    use std::os::unix::fs::PermissionsExt;
    let p = TestProject::sample();
    let bin = tempfile::tempdir().unwrap();
    let java = bin.path().join("java");
    std::fs::write(&java, "#!/bin/sh\nexit 0\n").unwrap();
    std::fs::set_permissions(&java, std::fs::Permissions::from_mode(0o755)).unwrap();
    p.jbuild(&["compile"])
        .env("PATH", bin.path())
        .env("JAVA_HOME", "/nonexistent/jdk")
        .run()
        .code(2)
        .stderr_has("no javac found (searched JAVA_HOME=/nonexistent/jdk, PATH)")
        .stderr_has("is a Java runtime (JRE) without the compiler");
}

#[test]
fn invalid_java_home_falls_back_to_path_with_a_warning() {
    let p = TestProject::sample();
    p.jbuild(&["run", "sample01.Main"])
        .env("JAVA_HOME", "/nonexistent/jdk")
        .run()
        .success()
        .stdout_is("Number is 10.\n")
        .stderr_has("JAVA_HOME=/nonexistent/jdk has no bin/javac; using PATH instead");
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let p = TestProject::sample();
    p.jbuild(&["compile", "--frobnicate"]).run().code(2).stderr_has("--frobnicate");
}

#[test]
fn folder_is_not_a_target() {
    let p = TestProject::sample();
    p.jbuild_in("src", &["compile", "sample01/"]).run().code(2).stderr_has("sample01/ is a folder");
}

#[test]
fn a_byte_order_mark_is_named_when_javac_refuses_it() {
    let p = TestProject::sample();
    let source = p.read("src/sample01/Number.java");
    p.write("src/sample01/Number.java", &format!("\u{feff}{source}"));
    let out = p.jbuild(&["run", "sample01.Main"]).run();
    out.code(1).stderr_has("src/sample01/Number.java starts with a byte order mark (BOM)");
}
