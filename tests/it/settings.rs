//! `jbuild.toml` and the flags that override it; `jbuild list`.

use crate::support::TestProject;

#[test]
fn settings_file_moves_folders_and_sets_main() {
    let p = TestProject::sample();
    std::fs::rename(p.path("src"), p.path("java")).unwrap();
    p.write("jbuild.toml", "src = \"java\"\nclasses = \"out\"\nmain = \"sample01.Main\"\n");
    p.jbuild(&["run"]).run().success().stdout_is("Number is 10.\n");
    assert!(p.exists("out/sample01/Main.class"));
    // Discovery finds the root from inside the renamed source folder too.
    p.jbuild_in("java/sample01", &["run"]).run().success().stdout_is("Number is 10.\n");
}

#[test]
fn flags_win_over_the_file() {
    let p = TestProject::sample();
    p.write("jbuild.toml", "classes = \"out\"\n");
    p.jbuild(&["compile", "--classes", "build", "sample01.Main"]).run().success();
    assert!(p.exists("build/sample01/Main.class"));
    assert!(!p.exists("out"));
}

#[test]
fn a_settings_file_cannot_reach_outside_the_project_but_a_flag_can() {
    // A student's jbuild.toml is the repository's, not the teacher's: it
    // must not grade another student's sources or write class files elsewhere.
    let other = TestProject::sample();
    let p = TestProject::sample();
    let elsewhere = p.dir.path().join("elsewhere");
    for (key, value, hint) in [
        ("src", other.path("src"), "pass --src"),
        ("classes", elsewhere.clone(), "pass --classes"),
        ("lib", other.path("src"), "pass --lib"),
    ] {
        p.write("jbuild.toml", &format!("{key} = {:?}\n", value.display().to_string()));
        p.jbuild(&["compile"])
            .run()
            .code(2)
            .stderr_has(&format!("setting `{key}`"))
            .stderr_has("outside the project")
            .stderr_has(hint);
    }
    assert!(!elsewhere.exists() && !other.exists("classes"));
    p.write("jbuild.toml", "");
    let flag = format!("--classes={}", elsewhere.display());
    p.jbuild(&["compile", &flag]).run().success();
    assert!(elsewhere.join("sample01/Main.class").is_file());
}

#[test]
fn release_and_javac_args_reach_javac() {
    let p = TestProject::sample();
    p.write("jbuild.toml", "release = 11\njavac-args = [\"-Xlint:all\"]\njava-args = [\"-ea\"]\n");
    let out = p.jbuild(&["run", "--verbose", "sample01.Main"]).run();
    out.success()
        .stderr_has("--release 11 -proc:none -Xlint:all src/sample01/Main.java")
        .stderr_has(" -ea sample01.Main`");
    // Class file major version 55 is Java 11.
    let bytes = std::fs::read(p.path("classes/sample01/Main.class")).unwrap();
    assert_eq!(u16::from_be_bytes([bytes[6], bytes[7]]), 55);
}

#[test]
fn java_args_reach_the_program() {
    let p = TestProject::sample();
    p.write(
        "src/tools/Assert.java",
        "package tools;\nclass Assert { public static void main(String[] a) { assert false : \"assertions on\"; System.out.println(\"off\"); } }\n",
    );
    p.jbuild(&["run", "tools.Assert"]).run().success().stdout_is("off\n");
    p.jbuild(&["run", "--java-arg=-ea", "tools.Assert"]).run().code(1).stderr_has("assertions on");
    // After the class, everything is the program's.
    p.jbuild(&["run", "tools.Assert", "--java-arg=-ea"]).run().success().stdout_is("off\n");
}

#[test]
fn unknown_key_is_named() {
    let p = TestProject::sample();
    p.write("jbuild.toml", "src = \"src\"\nrelese = 17\n");
    let out = p.jbuild(&["compile"]).run();
    out.code(2).stderr_has("jbuild.toml").stderr_has("unknown field `relese`");
}

#[test]
fn bad_values_are_named() {
    let p = TestProject::sample();
    p.write("jbuild.toml", "release = \"seventeen\"\n");
    p.jbuild(&["compile"]).run().code(2).stderr_has("release");
    p.write("jbuild.toml", "release = 3\n");
    p.jbuild(&["compile"]).run().code(2).stderr_has("setting `release`").stderr_has("3 is not a Java release number");
    p.write("jbuild.toml", "main = \"not a class\"\n");
    p.jbuild(&["run"]).run().code(2).stderr_has("setting `main`");
    p.write("jbuild.toml", "classes = \"src\"\n");
    p.jbuild(&["compile"]).run().code(2).stderr_has("setting `classes`").stderr_has("must differ from `src`");
    for (classes, why) in [
        (".", "the output folder contains the source folder"),
        ("x/../src", "the output folder is the source folder"),
        ("..", "is outside the project"),
        ("out/../../elsewhere", "is outside the project"),
    ] {
        p.write("jbuild.toml", &format!("classes = {classes:?}\n"));
        p.jbuild(&["compile"]).run().code(2).stderr_has("setting `classes`").stderr_has(why);
    }
    assert!(!p.dir.path().join("elsewhere").exists() && !p.exists("src/sample01/Main.class"));
    p.write("jbuild.toml", "lib = \"nolib\"\n");
    p.jbuild(&["compile"]).run().code(2).stderr_has("setting `lib`");
}

#[test]
fn jars_in_lib_are_on_both_classpaths() {
    let p = TestProject::sample();
    // Build a jar with the JDK's own tools.
    let lib_src = p.dir.path().join("libsrc");
    std::fs::create_dir_all(lib_src.join("greet")).unwrap();
    std::fs::write(
        lib_src.join("greet/Greeter.java"),
        "package greet;\npublic class Greeter { public static String hi() { return \"hi from a jar\"; } }\n",
    )
    .unwrap();
    let jdk = jbuild::toolchain::jdk::Jdk::find().unwrap();
    let bin = jdk.javac.parent().unwrap();
    assert!(
        std::process::Command::new(&jdk.javac)
            .args(["-d", "out", "greet/Greeter.java"])
            .current_dir(&lib_src)
            .status()
            .unwrap()
            .success()
    );
    std::fs::create_dir_all(p.path("lib")).unwrap();
    let jar = p.path("lib/greet.jar");
    assert!(
        std::process::Command::new(bin.join("jar"))
            .arg("cf")
            .arg(&jar)
            .args(["-C", "out", "."])
            .current_dir(&lib_src)
            .status()
            .unwrap()
            .success()
    );
    p.write(
        "src/app/App.java",
        "package app;\nclass App { public static void main(String[] a) { System.out.println(greet.Greeter.hi()); } }\n",
    );
    p.jbuild(&["run", "app.App"]).run().success().stdout_is("hi from a jar\n");
}

#[test]
fn list_shows_main_classes_and_all_classes() {
    let p = TestProject::sample();
    p.write("src/app/Compact.java", "void main() { System.out.println(\"hi\"); }\n");
    crate::assert_outcome_snapshot!("list", p.jbuild(&["list"]).run());
    crate::assert_outcome_snapshot!("list_all_from_src", p.jbuild_in("src", &["list", "--all"]).run());
    let out = p.jbuild(&["list", "--all", "--format", "json"]).run();
    out.success();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["format_version"], 1);
    let classes = json["classes"].as_array().unwrap();
    let names: Vec<&str> = classes.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Compact", "sample01.Main", "sample01.Number"]);
    assert_eq!((&classes[0]["main"], &classes[0]["minimum_jdk"]), (&"instance".into(), &25.into()));
    assert_eq!((&classes[1]["main"], &classes[1]["file"]), (&"static".into(), &"src/sample01/Main.java".into()));
    assert_eq!(classes[2]["main"], serde_json::Value::Null);
    let empty = TestProject::empty();
    empty.write("src/a/B.java", "package a;\nclass B {}\n");
    crate::assert_outcome_snapshot!("list_without_mains", empty.jbuild(&["list"]).run());
}

#[test]
fn shell_completions_come_from_the_cli_definition() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::support::Jbuild::new(dir.path()).args(&["completions", "bash"]).run();
    out.success().stdout_has("_jbuild()").stdout_has("--output-limit").stdout_has("--javac-arg");
    crate::support::Jbuild::new(dir.path()).args(&["completions", "tcsh"]).run().code(2).stderr_has("tcsh");
}
