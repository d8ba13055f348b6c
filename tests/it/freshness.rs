//! Up-to-date checks: javac runs only when something that matters changed.

use crate::support::TestProject;

fn compiles(out: &crate::support::Outcome) -> bool {
    out.stderr.contains("Compiling ")
}

#[test]
fn second_compile_is_fresh_and_runs_no_javac() {
    let p = TestProject::sample();
    p.jbuild_in("src", &["compile", "sample01/Main.java"]).run().success().stderr_has("Compiling sample01.Main");
    let out = p.jbuild_in("src", &["compile", "--verbose", "sample01/Main.java"]).run();
    out.success().stderr_has("Fresh sample01.Main").stderr_lacks("javac");
}

#[test]
fn editing_a_dependency_recompiles_and_runs_the_new_code() {
    let p = TestProject::sample();
    p.jbuild(&["run", "sample01.Main"]).run().success().stdout_is("Number is 10.\n");
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("10", "11"));
    let out = p.jbuild(&["run", "sample01.Main"]).run();
    out.success().stdout_is("Number is 11.\n");
    assert!(compiles(&out));
}

#[test]
fn touching_without_changing_content_does_not_recompile() {
    let p = TestProject::sample();
    p.jbuild(&["compile", "sample01.Main"]).run().success();
    let text = p.read("src/sample01/Number.java");
    p.write("src/sample01/Number.java", &text);
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(p.path("src/sample01/Number.java")).unwrap().set_modified(later).unwrap();
    let out = p.jbuild(&["compile", "sample01.Main"]).run();
    out.success().stderr_has("Fresh sample01.Main");
}

#[test]
fn adding_a_source_recompiles() {
    let p = TestProject::sample();
    p.jbuild(&["compile", "sample01.Main"]).run().success();
    p.write("src/sample01/Extra.java", "package sample01;\nclass Extra {}\n");
    assert!(compiles(&p.jbuild(&["compile", "sample01.Main"]).run()));
}

#[test]
fn changing_a_setting_recompiles() {
    let p = TestProject::sample();
    p.jbuild(&["compile", "sample01.Main"]).run().success();
    let out = p.jbuild(&["compile", "sample01.Main", "--javac-arg=-g"]).run();
    assert!(compiles(&out), "{}", out.stderr);
    let out = p.jbuild(&["compile", "sample01.Main", "--javac-arg=-g"]).run();
    out.success().stderr_has("Fresh");
}

#[test]
#[cfg_attr(not(jbuild_jdk25), ignore = "needs a second JDK (a JDK 25 under /usr/lib/jvm or JAVA_HOME)")]
fn changing_the_jdk_recompiles() {
    let other = crate::support::jdk_at_least(25).expect("a JDK 25 (found when the tests were built)");
    let p = TestProject::sample();
    p.jbuild(&["compile", "sample01.Main"]).run().success();
    let out = p.jbuild(&["compile", "sample01.Main"]).env("JAVA_HOME", &other).run();
    assert!(compiles(&out), "{}", out.stderr);
}

#[test]
fn deleted_class_files_are_rebuilt() {
    let p = TestProject::sample();
    p.jbuild(&["compile", "sample01.Main"]).run().success();
    std::fs::remove_file(p.path("classes/sample01/Number.class")).unwrap();
    p.jbuild(&["run", "sample01.Main"]).run().success().stdout_is("Number is 10.\n");
}

#[test]
fn failed_compile_never_leaves_a_fresh_record() {
    let p = TestProject::sample();
    p.jbuild(&["compile", "sample01.Main"]).run().success();
    let good = p.read("src/sample01/Number.java");
    p.write("src/sample01/Number.java", "package sample01; public class Number { broken }");
    p.jbuild(&["compile", "sample01.Main"]).run().code(1);
    let out = p.jbuild(&["compile", "sample01.Main"]).run();
    out.code(1);
    assert!(compiles(&out), "still broken, so javac runs again");
    p.write("src/sample01/Number.java", &good);
    // Back to the content of the last successful build: the old classes are current.
    p.jbuild(&["run", "sample01.Main"]).run().success().stdout_is("Number is 10.\n");
}

#[test]
fn deleting_a_source_removes_its_class_files_and_nothing_else() {
    let p = TestProject::sample();
    p.write(
        "src/sample01/Helper.java",
        "package sample01;\nclass Helper {\n    class Inner {}\n    Runnable r = new Runnable() { public void run() {} };\n}\n",
    );
    std::fs::create_dir_all(p.path("classes/sample01")).unwrap();
    p.write("classes/sample01/notes.txt", "mine\n");
    p.write("classes/sample01/Foreign.class", "not jbuild's\n");
    p.jbuild(&["compile"]).run().success();
    for class in ["Helper.class", "Helper$Inner.class", "Helper$1.class"] {
        assert!(p.exists(&format!("classes/sample01/{class}")), "{class}");
    }
    std::fs::remove_file(p.path("src/sample01/Helper.java")).unwrap();
    p.jbuild(&["compile"]).run().success().stderr_has("Removed 3 stale class files");
    for class in ["Helper.class", "Helper$Inner.class", "Helper$1.class"] {
        assert!(!p.exists(&format!("classes/sample01/{class}")), "{class}");
    }
    assert!(p.exists("classes/sample01/Main.class"));
    assert!(p.exists("classes/sample01/notes.txt"));
    assert!(p.exists("classes/sample01/Foreign.class"));
}

#[test]
fn renaming_a_class_removes_the_old_class_file() {
    let p = TestProject::sample();
    p.write("src/sample01/Extra.java", "package sample01;\nclass Extra {}\nclass Old {}\n");
    p.jbuild(&["compile"]).run().success();
    assert!(p.exists("classes/sample01/Old.class"));
    p.write("src/sample01/Extra.java", "package sample01;\nclass Extra {}\nclass New {}\n");
    p.jbuild(&["compile"]).run().success();
    assert!(!p.exists("classes/sample01/Old.class"));
    assert!(p.exists("classes/sample01/New.class"));
}

#[test]
fn whole_tree_compile_is_fresh_the_second_time() {
    let p = TestProject::sample();
    p.jbuild(&["compile"]).run().success().stderr_has("Compiling 2 files");
    p.jbuild(&["compile"]).run().success().stderr_has("Fresh 2 files");
    // Entries compiled by the whole-tree build are fresh on their own too.
    p.jbuild(&["run", "sample01.Main"]).run().success().stderr_has("Fresh sample01.Main");
}

#[test]
fn concurrent_compiles_leave_a_consistent_build() {
    let p = TestProject::sample();
    for i in 0..30 {
        p.write(&format!("src/many/C{i}.java"), &format!("package many;\npublic class C{i} {{ int v = {i}; }}\n"));
    }
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let root = p.root.clone();
            std::thread::spawn(move || crate::support::Jbuild::new(&root).args(&["compile"]).run())
        })
        .collect();
    for run in runs {
        run.join().unwrap().success();
    }
    let out = p.jbuild(&["compile"]).run();
    out.success().stderr_has("Fresh 32 files");
    p.jbuild(&["run", "sample01.Main"]).run().success().stdout_is("Number is 10.\n");
    let record = p.read("classes/.jbuild/record.json");
    assert!(record.contains("many/C29.class"), "the record lists every output");
    let leftovers: Vec<_> = std::fs::read_dir(p.path("classes/.jbuild"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("staging-") || n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn cleans_racing_compiles_leave_a_consistent_build() {
    // clean removes the lock file it holds; a compile waiting on it must
    // lock the new one, never run beside another holder.
    let p = TestProject::sample();
    let runs: Vec<_> = (0..6)
        .map(|i| {
            let root = p.root.clone();
            let command = if i % 2 == 0 { "compile" } else { "clean" };
            std::thread::spawn(move || crate::support::Jbuild::new(&root).args(&[command]).run())
        })
        .collect();
    for run in runs {
        run.join().unwrap().success();
    }
    p.jbuild(&["run", "sample01.Main"]).run().success().stdout_is("Number is 10.\n");
    p.jbuild(&["compile"]).run().success().stderr_has("Fresh 2 files");
}

#[test]
fn clean_removes_only_what_jbuild_wrote() {
    let p = TestProject::sample();
    p.jbuild(&["compile"]).run().success();
    p.write("classes/README.txt", "keep me\n");
    let sources_before = p.files().into_iter().filter(|f| f.starts_with("src")).collect::<Vec<_>>();
    p.jbuild(&["clean"]).run().success().stderr_has("Removed 2 class files");
    assert_eq!(
        p.files(),
        ["classes/README.txt"].iter().map(|s| s.to_string()).chain(sources_before).collect::<Vec<_>>(),
        "the user's file and the sources stay; jbuild's record, lock and .gitignore go"
    );
    p.jbuild(&["clean"]).run().success().stderr_has("nothing to remove");
}

#[test]
fn module_info_is_recorded_with_its_class_file() {
    let p = TestProject::sample();
    p.write("src/module-info.java", "module sample {\n}\n");
    p.jbuild(&["run", "sample01.Main"]).run().success().stdout_is("Number is 10.\n");
    // javac compiled module-info.java along with Main: the whole tree is fresh now.
    p.jbuild(&["compile"]).run().success().stderr_has("Fresh 3 files");
    let record = p.read("classes/.jbuild/record.json");
    assert!(record.contains("\"module-info.class\""), "{record}");
}
