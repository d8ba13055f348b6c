//! The build record is repository data: a crafted one must never make
//! `compile`, `run`, `check` or `clean` delete a file jbuild did not write.

use std::path::{Path, PathBuf};

use crate::support::TestProject;

/// The four commands that read the record and may delete what it lists.
const COMMANDS: [&[&str]; 4] = [&["compile"], &["run", "sample01.Main"], &["check"], &["clean"]];

struct Victims {
    files: Vec<(PathBuf, String)>,
}

impl Victims {
    #[track_caller]
    fn all_intact(&self, command: &[&str]) {
        for (path, text) in &self.files {
            let now = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{command:?} removed {path:?}: {e}"));
            assert_eq!(&now, text, "{command:?} changed {path:?}");
        }
    }
}

fn owned(path: &Path) -> serde_json::Value {
    serde_json::json!({
        "size": std::fs::metadata(path).unwrap().len(),
        "hash": jbuild::build::record::hash_file(path).unwrap(),
    })
}

/// A compiled sample whose record lists files outside the output folder,
/// each with the victim's true size and hash, as stale outputs of a deleted
/// source, with settings changed so every command revisits the record.
fn crafted_project() -> (TestProject, Victims) {
    let p = TestProject::sample();
    p.write("tests/sample01.Main/basic.out", "Number is 10.\n");
    p.jbuild(&["compile"]).run().success();
    let outside = p.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("thesis.class"), "my thesis\n").unwrap();
    std::fs::write(outside.join("thesis.txt"), "my thesis, as text\n").unwrap();
    p.write("src/sample01/Keep.class", "not jbuild's\n");
    std::os::unix::fs::symlink(&outside, p.path("classes/link")).unwrap();
    std::os::unix::fs::symlink(outside.join("thesis.class"), p.path("classes/evil.class")).unwrap();

    let thesis = owned(&outside.join("thesis.class"));
    let record_path = p.path("classes/.jbuild/record.json");
    let mut record: serde_json::Value = serde_json::from_str(&p.read("classes/.jbuild/record.json")).unwrap();
    record["settings"] = "changed".into();
    record["outputs"]["gone/Gone.java"] = serde_json::json!({
        outside.join("thesis.class").to_str().unwrap(): thesis,
        outside.join("thesis.txt").to_str().unwrap(): owned(&outside.join("thesis.txt")),
        "../src/sample01/Main.java": owned(&p.path("src/sample01/Main.java")),
        "../src/sample01/Keep.class": owned(&p.path("src/sample01/Keep.class")),
        "link/thesis.class": thesis,
        "evil.class": thesis,
    });
    std::fs::write(&record_path, serde_json::to_string(&record).unwrap()).unwrap();

    let victims = Victims {
        files: vec![
            (outside.join("thesis.class"), "my thesis\n".into()),
            (outside.join("thesis.txt"), "my thesis, as text\n".into()),
            (p.path("src/sample01/Keep.class"), "not jbuild's\n".into()),
            (p.path("src/sample01/Main.java"), p.read("src/sample01/Main.java")),
            (p.path("classes/evil.class"), "my thesis\n".into()),
        ],
    };
    (p, victims)
}

#[test]
fn a_crafted_record_deletes_nothing_outside_the_output_folder() {
    for command in COMMANDS {
        let (p, victims) = crafted_project();
        let out = p.jbuild(command).run();
        out.success().stderr_has("ignoring the build record").stderr_has("deleting nothing it names");
        victims.all_intact(command);
        assert!(p.path("classes/link").symlink_metadata().is_ok(), "{command:?} removed the symlink");
        // The untrusted record was replaced by one jbuild can stand behind.
        if command != ["clean"] {
            p.jbuild(command).run().success().stderr_lacks("ignoring the build record");
            victims.all_intact(command);
        }
    }
}

#[test]
fn a_class_file_the_user_changed_is_never_deleted() {
    for command in COMMANDS {
        let p = TestProject::sample();
        p.write("tests/sample01.Main/basic.out", "Number is 10.\n");
        p.write("src/sample01/Extra.java", "package sample01;\nclass Extra {}\n");
        p.jbuild(&["compile"]).run().success();
        // The user replaces a class file jbuild wrote, then deletes its source.
        p.write("classes/sample01/Extra.class", "the user's own bytes\n");
        std::fs::remove_file(p.path("src/sample01/Extra.java")).unwrap();
        let out = p.jbuild(command).run();
        out.success().stderr_has("left sample01/Extra.class in place");
        assert_eq!(p.read("classes/sample01/Extra.class"), "the user's own bytes\n", "{command:?}");
    }
}

#[test]
fn a_class_file_jbuild_wrote_is_still_removed_when_its_source_goes() {
    let p = TestProject::sample();
    p.write("src/sample01/Extra.java", "package sample01;\nclass Extra {}\n");
    p.jbuild(&["compile"]).run().success();
    assert!(p.exists("classes/sample01/Extra.class"));
    std::fs::remove_file(p.path("src/sample01/Extra.java")).unwrap();
    p.jbuild(&["compile"]).run().success().stderr_has("Removed 1 stale class file");
    assert!(!p.exists("classes/sample01/Extra.class"));
}

#[test]
fn a_symlinked_package_folder_in_the_output_is_never_written_through() {
    let p = TestProject::sample();
    let outside = p.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(p.path("classes")).unwrap();
    std::os::unix::fs::symlink(&outside, p.path("classes/sample01")).unwrap();
    let out = p.jbuild(&["compile"]).run();
    out.code(1).stderr_has("is a symlink");
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "nothing was written outside");
}

#[test]
fn a_symlinked_record_folder_is_refused() {
    let p = TestProject::sample();
    let outside = p.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("record.json"), "precious\n").unwrap();
    std::fs::create_dir_all(p.path("classes")).unwrap();
    std::os::unix::fs::symlink(&outside, p.path("classes/.jbuild")).unwrap();
    p.jbuild(&["compile"]).run().code(1).stderr_has(".jbuild is a symlink");
    assert_eq!(std::fs::read_to_string(outside.join("record.json")).unwrap(), "precious\n");
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 1);
}

#[test]
fn leftover_staging_folders_are_removed_by_the_next_compile() {
    let p = TestProject::sample();
    p.jbuild(&["compile"]).run().success();
    p.write("classes/.jbuild/staging-killed/sample01/Main.class", "half written");
    p.jbuild(&["compile"]).run().success();
    assert!(!p.exists("classes/.jbuild/staging-killed"));
}

#[test]
fn clean_removes_the_record_folder_only_when_nothing_else_is_in_it() {
    let p = TestProject::sample();
    p.jbuild(&["compile"]).run().success();
    // git ignores the record folder whatever the repository's .gitignore says.
    assert!(p.read("classes/.jbuild/.gitignore").lines().any(|l| l == "*"));
    p.jbuild(&["clean"]).run().success();
    assert!(!p.exists("classes/.jbuild"), "clean leaves no lock or record behind");
    // A file jbuild did not write keeps the folder, and itself.
    p.jbuild(&["compile"]).run().success();
    p.write("classes/.jbuild/notes.txt", "mine\n");
    p.write("classes/.jbuild/.gitignore", "edited by hand\n");
    p.jbuild(&["clean"]).run().success();
    assert_eq!(p.read("classes/.jbuild/notes.txt"), "mine\n");
    assert_eq!(p.read("classes/.jbuild/.gitignore"), "edited by hand\n");
    // And the next compile locks and records as before.
    p.jbuild(&["run", "sample01.Main"]).run().success().stdout_is("Number is 10.\n");
}

#[test]
fn a_fifo_planted_as_the_lock_is_an_error_not_a_hang() {
    let p = TestProject::sample();
    std::fs::create_dir_all(p.path("classes/.jbuild")).unwrap();
    let fifo = std::ffi::CString::new(p.path("classes/.jbuild/lock").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    p.jbuild(&["compile"]).run().code(1).stderr_has("classes/.jbuild/lock is not a regular file");
    p.jbuild(&["clean"]).run().code(1).stderr_has("is not a regular file");
    assert!(p.path("classes/.jbuild/lock").exists(), "not jbuild's: left alone");
}
