//! `jbuild compile` from every place a user stands, with the real javac.

use crate::support::TestProject;

#[test]
fn compile_from_src_creates_classes_beside_it() {
    let p = TestProject::sample();
    p.jbuild_in("src", &["compile", "sample01/Main.java"]).run().success().stdout_is("");
    assert!(p.exists("classes/sample01/Main.class"));
    assert!(p.exists("classes/sample01/Number.class"), "Number is compiled because Main uses it");
}

#[test]
fn compile_from_root_with_src_prefix_or_relative_to_src() {
    let p = TestProject::sample();
    p.jbuild(&["compile", "src/sample01/Main.java"]).run().success();
    assert!(p.exists("classes/sample01/Main.class"));
    let p = TestProject::sample();
    p.jbuild(&["compile", "sample01/Main.java"]).run().success();
    assert!(p.exists("classes/sample01/Number.class"));
}

#[test]
fn compile_from_classes_folder() {
    let p = TestProject::sample();
    std::fs::create_dir_all(p.path("classes")).unwrap();
    p.jbuild_in("classes", &["compile", "sample01/Main.java"]).run().success();
    assert!(p.exists("classes/sample01/Main.class"));
}

#[test]
fn compile_from_inside_a_package_folder() {
    let p = TestProject::sample();
    p.jbuild_in("src/sample01", &["compile", "Main.java"]).run().success();
    assert!(p.exists("classes/sample01/Main.class"));
}

#[test]
fn compile_by_class_name() {
    let p = TestProject::sample();
    p.jbuild(&["compile", "sample01.Main"]).run().success().stderr_has("Compiling sample01.Main (javac ");
    assert!(p.exists("classes/sample01/Number.class"));
}

#[test]
fn project_flag_works_from_anywhere() {
    let p = TestProject::sample();
    let elsewhere = tempfile::tempdir().unwrap();
    crate::support::Jbuild::new(elsewhere.path())
        .arg("--project")
        .arg(p.root.as_os_str())
        .args(&["compile", "sample01/Main.java"])
        .run()
        .success();
    assert!(p.exists("classes/sample01/Main.class"));
    crate::support::Jbuild::new(elsewhere.path())
        .arg("-C")
        .arg(p.root.as_os_str())
        .args(&["run", "sample01.Main"])
        .run()
        .success()
        .stdout_is("Number is 10.\n");
}

#[test]
fn verbose_prints_the_exact_javac_command() {
    let p = TestProject::sample();
    let out = p.jbuild(&["compile", "--verbose", "sample01/Main.java"]).run();
    out.success()
        .stderr_has("javac -J-XX:TieredStopAtLevel=1 ")
        .stderr_has(" -sourcepath src -encoding UTF-8 -proc:none src/sample01/Main.java`");
    // A line that reruns from anywhere: it says where it runs.
    let line = out.stderr.lines().find(|l| l.contains("Running `cd ")).expect("the javac command");
    let command = line.split('`').nth(1).unwrap();
    assert!(command.starts_with(&format!("cd {} && ", p.root.display())), "{command}");
}

#[test]
fn javac_errors_name_files_from_where_the_user_stands() {
    let p = TestProject::sample();
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("= 10;", "= 10"));
    p.jbuild(&["compile"]).run().code(1).stderr_has("\nsrc/sample01/Number.java:4: error: ';' expected");
    p.jbuild_in("src", &["compile", "sample01/Main.java"]).run().code(1).stderr_has("sample01/Number.java:4: error:");
    let out = crate::support::Jbuild::new(p.dir.path()).args(&["-C", "sample", "run"]).run();
    out.code(1).stderr_has("\nsrc/sample01/Number.java:4: error:");
}

#[test]
fn compile_error_shows_javac_diagnostics_unchanged() {
    let p = TestProject::sample();
    p.write(
        "src/sample01/Number.java",
        "package sample01;\n\npublic class Number {\n    int getNum() { return missing; }\n}\n",
    );
    let out = p.jbuild_in("src", &["compile", "sample01/Main.java"]).run();
    out.code(1)
        .stderr_has("./sample01/Number.java:4: error: cannot find symbol")
        .stderr_has("jbuild: error: could not compile sample01.Main: javac exited with code 1");
    assert!(!p.exists("classes/sample01/Main.class"), "a failed compile installs nothing");
}

#[test]
fn whole_tree_compile_uses_one_javac_call() {
    let p = TestProject::sample();
    p.write("src/other/Helper.java", "package other;\npublic class Helper {}\n");
    p.jbuild(&["compile", "--verbose"]).run().success().stderr_has("Compiling 3 files");
    assert!(p.exists("classes/other/Helper.class"));
    assert!(p.exists("classes/sample01/Number.class"));
}

#[test]
fn thousands_of_files_go_through_an_argfile() {
    let p = TestProject::empty();
    // Long package names make the command line exceed the argfile threshold.
    for i in 0..400 {
        let package = format!("a_rather_long_package_name_to_grow_the_command_line_{i:03}");
        p.write(&format!("src/{package}/C{i}.java"), &format!("package {package};\npublic class C{i} {{}}\n"));
    }
    p.jbuild(&["compile"]).run().success().stderr_has("Compiling 400 files");
    assert!(p.exists("classes/a_rather_long_package_name_to_grow_the_command_line_399/C399.class"));
}

#[test]
fn utf8_sources_compile_and_print_under_c_locale() {
    let p = TestProject::empty();
    p.write("src/hello/Hello.java", "package hello;\nclass Hello {\n    public static void main(String[] a) {\n        System.out.println(\"こんにちは\");\n    }\n}\n");
    p.jbuild(&["run", "hello.Hello"]).env("LC_ALL", "C").env("LANG", "C").run().success().stdout_is("こんにちは\n");
}

#[test]
fn paths_with_spaces_and_non_ascii_folders_work() {
    let p = TestProject::sample_named("my projects/日本語 フォルダ");
    p.jbuild_in("src", &["compile", "sample01/Main.java"]).run().success();
    p.jbuild_in("classes", &["run", "sample01.Main"]).run().success().stdout_is("Number is 10.\n");
}
