//! The warm worker: byte-identical to cold javac, shared by batch compiles,
//! and never able to make a build wrong.

use std::path::Path;

use crate::support::TestProject;
use jbuild::toolchain::jdk::Jdk;
use jbuild::toolchain::process::ToolCommand;
use jbuild::toolchain::worker::{Lifetime, Worker};

/// Class files under `dir`, as (relative path, bytes), sorted.
fn class_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

/// One compile's exit code, stderr and class files.
type CompileResult = (i32, Vec<u8>, Vec<(String, Vec<u8>)>);

/// Compiles the same javac command cold and in a worker; returns both.
fn cold_and_warm(p: &TestProject, extra: &[&str]) -> [CompileResult; 2] {
    let jdk = Jdk::find().unwrap();
    let src = p.path("src");
    let out = p.path("out");
    let mut command = ToolCommand::new(&jdk.javac);
    command.current_dir(&src).args(["-d", "../out", "-sourcepath", ".", "-encoding", "UTF-8"]).args(extra);
    command.arg("sample01/Main.java");

    let cold = command.output().unwrap();
    let cold = (cold.status.code().unwrap(), cold.stderr, class_files(&out));
    let _ = std::fs::remove_dir_all(&out);

    // A worker that has already compiled a few times, as it would be in use.
    let classes =
        jbuild::toolchain::worker::ensure_compiled(&jdk, &std::env::temp_dir().join("jbuild-test-cache")).unwrap();
    let mut worker = Worker::launch(&jdk, &src, &classes, Lifetime::Session).unwrap();
    for _ in 0..3 {
        worker.compile(command.arguments()).unwrap();
        let _ = std::fs::remove_dir_all(&out);
    }
    let warm = worker.compile(command.arguments()).unwrap();
    assert!(warm.stdout.is_empty());
    let warm = (warm.code, warm.stderr, class_files(&out));
    [cold, warm]
}

#[test]
fn clean_compile_is_byte_identical() {
    let p = TestProject::sample();
    let [cold, warm] = cold_and_warm(&p, &[]);
    assert_eq!(cold.0, 0);
    assert_eq!(cold.2.len(), 2, "Main.class and Number.class");
    assert_eq!(cold, warm);
}

#[test]
fn compile_error_diagnostics_are_byte_identical() {
    let p = TestProject::sample();
    p.write(
        "src/sample01/Number.java",
        "package sample01;\npublic class Number {\n    int getNum() { return missing + \"é\"; }\n}\n",
    );
    let [cold, warm] = cold_and_warm(&p, &[]);
    assert_eq!(cold.0, 1);
    assert!(String::from_utf8_lossy(&cold.1).contains("./sample01/Number.java:3: error: cannot find symbol"));
    assert_eq!(cold, warm);
}

#[test]
fn lint_warnings_are_byte_identical() {
    let p = TestProject::sample();
    p.write(
        "src/sample01/Number.java",
        "package sample01;\nimport java.util.*;\npublic class Number {\n    List raw = new ArrayList();\n    int getNum() { raw.add(1); return 10; }\n}\n",
    );
    let [cold, warm] = cold_and_warm(&p, &["-Xlint:all"]);
    assert_eq!(cold.0, 0);
    assert!(String::from_utf8_lossy(&cold.1).contains("warning: [rawtypes]"), "{}", String::from_utf8_lossy(&cold.1));
    assert_eq!(cold, warm);
}

/// Three copies of the sample, side by side, as a teacher's repo would hold them.
fn exercises(count: usize) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (1..=count).map(|i| format!("ex{i}")).collect();
    for name in &names {
        crate::support::copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-project/src"),
            &dir.path().join(name).join("src"),
        );
    }
    (dir, names)
}

#[test]
fn batch_compile_shares_one_warm_worker() {
    let (dir, names) = exercises(3);
    let out = crate::support::Jbuild::new(dir.path()).args(&["compile", "ex1", "ex2", "ex3"]).run();
    out.success();
    assert_eq!(out.stderr.matches("(javac 17").count() + out.stderr.matches("(javac 2").count(), 3, "{}", out.stderr);
    assert_eq!(out.stderr.matches(", warm)").count(), 3, "{}", out.stderr);
    for name in &names {
        assert!(dir.path().join(name).join("classes/sample01/Number.class").is_file());
        crate::support::Jbuild::new(&dir.path().join(name))
            .args(&["run", "sample01.Main"])
            .run()
            .success()
            .stdout_is("Number is 10.\n");
    }
    // Nothing changed: a second batch runs no javac at all.
    let again = crate::support::Jbuild::new(dir.path()).args(&["compile", "ex1", "ex2", "ex3"]).run();
    again.success();
    assert_eq!(again.stderr.matches("Fresh").count(), 3, "{}", again.stderr);
}

#[test]
fn batch_compile_reports_every_broken_project() {
    let (dir, _) = exercises(3);
    std::fs::write(dir.path().join("ex2/src/sample01/Number.java"), "package sample01; public class Number { oops }")
        .unwrap();
    let out = crate::support::Jbuild::new(dir.path()).args(&["compile", "ex1", "ex2", "ex3"]).run();
    out.code(1)
        .stderr_has("ex2/src/sample01/Number.java:1: error")
        .stderr_has("1 of 3 projects failed to compile: ex2");
    assert!(dir.path().join("ex3/classes/sample01/Main.class").is_file(), "the others still compile");
}

/// An annotation processor that crashes or hangs, but only inside jbuild's
/// worker JVM (which sets -Djbuild.worker), so plain javac still works.
const FAULT_PROCESSOR: &str = r#"
import java.util.Set;
import javax.annotation.processing.*;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

@SupportedAnnotationTypes("*")
public class Fault extends AbstractProcessor {
    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (System.getProperty("jbuild.worker") != null) {
            String fault = System.getenv("FAULT");
            if ("crash".equals(fault)) {
                Runtime.getRuntime().halt(3);
            }
            if ("hang".equals(fault)) {
                try { Thread.sleep(600_000); } catch (InterruptedException e) { }
            }
        }
        return false;
    }
}
"#;

fn with_fault_processor(dir: &Path, names: &[String]) {
    let processor = dir.join("processor");
    std::fs::create_dir_all(&processor).unwrap();
    std::fs::write(processor.join("Fault.java"), FAULT_PROCESSOR).unwrap();
    let jdk = Jdk::find().unwrap();
    let mut javac = ToolCommand::new(&jdk.javac);
    javac.current_dir(&processor).args(["-d", ".", "Fault.java"]);
    assert!(javac.output().unwrap().status.success());
    for name in names {
        let settings = format!(
            "javac-args = [\"-processorpath\", {:?}, \"-processor\", \"Fault\"]\n",
            processor.display().to_string()
        );
        std::fs::write(dir.join(name).join("jbuild.toml"), settings).unwrap();
    }
}

#[test]
fn worker_crash_mid_request_falls_back_to_plain_javac() {
    let (dir, names) = exercises(2);
    with_fault_processor(dir.path(), &names);
    let out = crate::support::Jbuild::new(dir.path()).args(&["compile", "ex1", "ex2"]).env("FAULT", "crash").run();
    out.success().stderr_has("the compile worker exited; compiling with plain javac");
    for name in &names {
        crate::support::Jbuild::new(&dir.path().join(name))
            .args(&["run", "sample01.Main"])
            .run()
            .success()
            .stdout_is("Number is 10.\n");
    }
}

#[test]
fn hung_worker_is_killed_and_replaced_by_plain_javac() {
    let (dir, names) = exercises(2);
    with_fault_processor(dir.path(), &names);
    let out = crate::support::Jbuild::new(dir.path())
        .args(&["compile", "ex1", "ex2"])
        .env("FAULT", "hang")
        .env("JBUILD_WORKER_TIMEOUT", "2")
        .run();
    out.success().stderr_has("the compile worker did not answer within 2s; killed it; compiling with plain javac");
    assert!(dir.path().join("ex2/classes/sample01/Main.class").is_file());
    assert!(crate::support::processes_under(dir.path()).is_empty(), "no JVM left behind");
}

#[test]
fn concurrent_first_use_compiles_the_worker_safely() {
    let cache = tempfile::tempdir().unwrap();
    let jdk = Jdk::find().unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (jdk, cache) = (jdk.clone(), cache.path().to_path_buf());
            std::thread::spawn(move || jbuild::toolchain::worker::ensure_compiled(&jdk, &cache).unwrap())
        })
        .collect();
    let dirs: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(dirs.windows(2).all(|w| w[0] == w[1]));
    assert!(dirs[0].join("JbuildWorker.class").is_file());
    let leftovers: Vec<_> = std::fs::read_dir(cache.path().join("worker"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with("building-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let mut worker = Worker::launch(&jdk, cache.path(), &dirs[0], Lifetime::Batch).unwrap();
    let version = worker.compile(&["-version".into()]).unwrap();
    assert_eq!(version.code, 0);
}

#[test]
fn worn_out_worker_is_replaced_between_requests() {
    let (dir, names) = exercises(3);
    let out = crate::support::Jbuild::new(dir.path())
        .args(&["compile", "--verbose", "ex1", "ex2", "ex3"])
        .env("JBUILD_WORKER_MAX_REQUESTS", "1")
        .run();
    out.success();
    assert_eq!(out.stderr.matches("Restarting the compile worker after 1 compiles").count(), 2, "{}", out.stderr);
    assert_eq!(out.stderr.matches(", warm)").count(), 3, "{}", out.stderr);
    for name in &names {
        assert!(dir.path().join(name).join("classes/sample01/Main.class").is_file());
    }
}

#[test]
fn a_project_folder_named_like_an_argument_file_compiles() {
    // javac reads an argument starting with `@` as a file of arguments.
    let (dir, _) = exercises(2);
    std::fs::rename(dir.path().join("ex1"), dir.path().join("@SUM(A1)")).unwrap();
    crate::support::Jbuild::new(dir.path()).args(&["compile", "@SUM(A1)", "ex2"]).run().success();
    assert!(dir.path().join("@SUM(A1)/classes/sample01/Main.class").is_file());
}
