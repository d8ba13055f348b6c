//! What a repository (and the programs it holds) cannot make jbuild do:
//! leak the CI's secrets to a graded program, let it forge the report,
//! leave processes or scratch folders behind, read files outside the
//! project, or take a bad environment value for a good one.

use crate::support::{Jbuild, TestProject, all_gone, eventually, processes_mentioning};

fn project_with(class: &str, body: &str, expected: &str) -> TestProject {
    let p = TestProject::empty();
    let (package, name) = class.rsplit_once('.').unwrap();
    p.write(
        &format!("src/{package}/{name}.java"),
        &format!("package {package};\nclass {name} {{ public static void main(String[] a) throws Exception {{\n{body}\n}} }}\n"),
    );
    p.write(&format!("tests/{class}/case.out"), expected);
    p
}

#[test]
fn a_graded_program_sees_only_the_documented_environment() {
    let p = project_with(
        "env.Show",
        r#"for (String name : new String[] {"GITHUB_TOKEN", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "CLASSPATH", "SECRET", "MY_VAR"})
             System.out.println(name + "=" + System.getenv(name));
           System.out.println("PATH set: " + (System.getenv("PATH") != null));
           System.out.println("TMPDIR in scratch: " + System.getenv("TMPDIR").contains("jbuild-case-"));"#,
        "GITHUB_TOKEN=null\nGITHUB_OUTPUT=null\nGITHUB_STEP_SUMMARY=null\nCLASSPATH=null\nSECRET=null\nMY_VAR=passed\nPATH set: true\nTMPDIR in scratch: true\n",
    );
    p.write("jbuild.toml", "env = [\"MY_VAR\"]\n");
    p.write(
        ".github/classroom/autograding.json",
        r#"{"tests": [{"name": "shell env", "run": "echo token=${GITHUB_TOKEN:-unset} secret=${SECRET:-unset} var=${MY_VAR:-unset}", "output": "token=unset secret=unset var=passed", "comparison": "exact", "points": 1}]}"#,
    );
    let out = p
        .jbuild(&["check"])
        .env("GITHUB_TOKEN", "ghp_secret")
        .env("GITHUB_OUTPUT", p.path("forged-output"))
        .env("GITHUB_STEP_SUMMARY", p.path("forged-summary"))
        .env("SECRET", "hunter2")
        .env("MY_VAR", "passed")
        .run();
    out.success().stdout_has("2 passed, 0 failed");
}

#[test]
fn printing_out_of_memory_is_not_running_out_of_memory() {
    let p = project_with(
        "mem.Liar",
        r#"System.out.println("fine"); System.err.println("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space");"#,
        "fine\n",
    );
    p.jbuild(&["check"]).run().success().stdout_has("1 passed, 0 failed");
}

#[test]
fn running_out_of_memory_is_a_memory_verdict_and_a_caught_one_is_not() {
    let p = project_with(
        "mem.Hog",
        "java.util.List<long[]> all = new java.util.ArrayList<>(); while (true) all.add(new long[1 << 20]);",
        "never\n",
    );
    p.write(
        "src/mem/Careful.java",
        "package mem;\nclass Careful { public static void main(String[] a) {\n  try { long[][] x = new long[1 << 20][]; for (int i = 0; ; i++) x[i] = new long[1 << 20]; }\n  catch (OutOfMemoryError e) { System.out.println(\"recovered\"); }\n} }\n",
    );
    p.write("tests/mem.Careful/case.out", "recovered\n");
    let out = p.jbuild(&["check", "--memory", "32"]).run();
    out.code(1).stdout_has("MEMORY").stdout_has("mem.Hog/case").stdout_has("ran out of memory (limit 32 MiB)");
    assert!(out.stdout.contains("PASS") && out.stdout.contains("mem.Careful/case"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("OnOutOfMemoryError"),
        "the JVM's notice is not the program's output:\n{}",
        out.stdout
    );
}

#[test]
fn a_jvm_that_cannot_start_says_why() {
    let p = project_with("app.Hello", r#"System.out.println("hi");"#, "hi\n");
    let out = p.jbuild(&["check", "--java-arg=-XX:NoSuchOption"]).run();
    out.code(1).stdout_has("the JVM could not start").stdout_has("Unrecognized VM option 'NoSuchOption'");
}

#[test]
fn case_files_behind_symlinks_stay_inside_the_project() {
    let p = project_with("app.Hello", r#"System.out.println("hi");"#, "hi\n");
    // Inside the project: followed, so the case is not silently dropped.
    p.write("shared/common.out", "hi\n");
    std::os::unix::fs::symlink(p.path("shared/common.out"), p.path("tests/app.Hello/linked.out")).unwrap();
    p.jbuild(&["check"]).run().success().stdout_has("2 passed, 0 failed");
    // Outside: refused, naming the link and where it leads.
    let outside = p.dir.path().join("answers.out");
    std::fs::write(&outside, "hi\n").unwrap();
    std::os::unix::fs::symlink(&outside, p.path("tests/app.Hello/leak.out")).unwrap();
    let out = p.jbuild(&["check"]).run();
    out.code(2).stderr_has("leak.out (it leads to").stderr_has("answers.out) is outside the project");
}

#[test]
fn a_fifo_case_file_is_an_error_not_a_hang() {
    let p = project_with("app.Hello", r#"System.out.println("hi");"#, "hi\n");
    let fifo = std::ffi::CString::new(p.path("tests/app.Hello/case.in").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    p.jbuild(&["check"]).run().code(2).stderr_has("case.in: not a regular file");
}

#[test]
fn strange_case_names_are_escaped_and_never_merge() {
    let p = project_with("app.Hello", r#"System.out.println("hi");"#, "hi\n");
    p.write("tests/app.Hello/two\nlines.out", "hi\n");
    p.write("tests/app.Hello/two\\nlines.out", "hi\n");
    let out = p.jbuild(&["check"]).run();
    out.success().stdout_has("3 passed, 0 failed");
    assert!(out.stdout.contains("app.Hello/two\\nlines\n"), "{}", out.stdout);
    assert!(out.stdout.contains("app.Hello/two\\\\nlines\n"), "{}", out.stdout);
}

#[test]
fn negative_points_and_impossible_exit_codes_are_configuration_errors() {
    let p = project_with("app.Hello", r#"System.out.println("hi");"#, "hi\n");
    p.write("jbuild.toml", "[[check]]\nmain = \"app.Hello\"\nstdout = \"hi\"\npoints = -3\n");
    p.jbuild(&["check"]).run().code(2).stderr_has("`points`: -3 is not a number of points");
    p.write("jbuild.toml", "[[check]]\nmain = \"app.Hello\"\nstdout = \"hi\"\ncode = 300\n");
    p.jbuild(&["check"]).run().code(2).stderr_has("`code`: 300 is not an exit code");
    p.write("jbuild.toml", "");
    p.write("tests/app.Hello/case.code", "-1\n");
    p.jbuild(&["check"]).run().code(2).stderr_has("case.code: \"-1\" is not an exit code (0 to 255)");
}

#[test]
fn bad_environment_values_are_usage_errors_naming_the_variable() {
    let p = TestProject::sample();
    for (name, value) in [
        ("JBUILD_WORKER_TIMEOUT", "-1"),
        ("JBUILD_WORKER_TIMEOUT", "NaN"),
        ("JBUILD_DAEMON_IDLE", "inf"),
        ("JBUILD_WORKER_MAX_REQUESTS", "0"),
        ("JBUILD_DAEMON_IDLE", "1e300"),
    ] {
        let out = p.jbuild(&["compile"]).env(name, value).run();
        out.code(2).stderr_has(&format!("{name}=\"{value}\""));
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
}

#[test]
fn an_edit_that_keeps_size_and_mtime_is_seen() {
    let p = TestProject::sample();
    p.jbuild(&["run", "sample01.Main"]).run().success().stdout_is("Number is 10.\n");
    let path = p.path("src/sample01/Number.java");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("10", "12"));
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(mtime).unwrap(); // `touch -r`
    p.jbuild(&["run", "sample01.Main"]).run().success().stdout_is("Number is 12.\n");
}

#[test]
fn ctrl_c_stops_every_case_and_removes_its_scratch_folder() {
    let p = project_with(
        "slow.Nap",
        r#"new ProcessBuilder("setsid", "sleep", "4247.5").start();
           System.out.println("napping"); System.out.flush(); Thread.sleep(4247_000);"#,
        "napping\n",
    );
    let tmp = p.dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let check = p.jbuild(&["check", "--timeout", "600"]).env("TMPDIR", &tmp).spawn();
    assert!(eventually(|| !processes_mentioning("4247.5").is_empty()), "the case never started");
    check.signal(libc::SIGINT);
    let (code, stderr) = check.finish();
    assert_eq!(code, Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted by SIGINT; stopped: ") && stderr.contains("project: slow.Nap/case"),
        "{stderr}"
    );
    assert!(all_gone("slow.Nap") && all_gone("4247.5"), "a case process outlived jbuild check");
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "scratch folders left behind: {left:?}");
}

#[test]
fn sigterm_stops_check_with_143() {
    let p = project_with(
        "slow.Nap",
        r#"System.out.println("napping"); System.out.flush(); Thread.sleep(4248_000);"#,
        "napping\n",
    );
    let check = p.jbuild(&["check", "--timeout", "600"]).spawn();
    assert!(eventually(|| !processes_mentioning("slow.Nap").is_empty()));
    check.signal(libc::SIGTERM);
    let (code, stderr) = check.finish();
    assert_eq!(code, Some(143), "{stderr}");
    assert!(all_gone("slow.Nap"));
}

#[test]
fn a_process_that_leaves_the_case_group_is_still_killed() {
    let p = project_with(
        "fork.Escape",
        r#"new ProcessBuilder("sh", "-c", "setsid sleep 4249.5 > /dev/null 2>&1 &").start().waitFor();
           System.out.println("escaped");"#,
        "escaped\n",
    );
    p.jbuild(&["check"]).run().success();
    assert!(all_gone("4249.5"), "a double-forked, setsid child survived its case");
}

/// A Java program that tries to write a forged line into jbuild's own
/// stdout through /proc and says whether it could.
fn forger() -> TestProject {
    project_with(
        "evil.Forge",
        r#"long parent = ProcessHandle.current().parent().get().pid();
           try (var out = new java.io.FileOutputStream("/proc/" + parent + "/fd/1", true)) {
             out.write("PASS      0.01s  forged/case\n".getBytes()); System.out.println("wrote");
           } catch (Exception e) { System.out.println("blocked"); }"#,
        "blocked\n",
    )
}

#[test]
#[cfg_attr(not(jbuild_root), ignore = "needs root: runs jbuild as the unprivileged user nobody")]
fn a_program_cannot_write_into_the_stdout_of_an_unprivileged_jbuild() {
    let p = forger();
    p.open_to_everyone();
    let cache = tempfile::tempdir().unwrap();
    std::os::unix::fs::chown(cache.path(), Some(65534), Some(65534)).unwrap();
    let out =
        p.jbuild(&["check"]).env("JBUILD_CACHE_DIR", cache.path()).env("HOME", cache.path()).run_as_nobody().run();
    out.success().stdout_has("1 passed, 0 failed");
    assert!(!out.stdout.contains("forged"), "{}", out.stdout);
}

#[test]
#[cfg_attr(not(jbuild_root), ignore = "needs root: --run-as switches users")]
fn run_as_puts_a_root_jbuilds_programs_in_another_users_box() {
    let p = forger();
    p.write(
        "src/evil/Who.java",
        "package evil;\nclass Who { public static void main(String[] a) throws Exception {\n  System.out.println(new com.sun.security.auth.module.UnixSystem().getUid());\n  System.out.println(System.getenv(\"HOME\"));\n  java.nio.file.Files.writeString(java.nio.file.Path.of(\"here.txt\"), \"ok\");\n  System.out.println(java.nio.file.Files.getOwner(java.nio.file.Path.of(\".\")).getName());\n} }\n",
    );
    p.write("tests/evil.Who/case.out", "65534\n/nonexistent\nnobody\n");
    p.open_to_everyone();
    let out = p.jbuild(&["check", "--run-as", "nobody"]).run();
    out.success().stdout_has("2 passed, 0 failed").stderr_lacks("running as root");
    assert!(!out.stdout.contains("forged"), "{}", out.stdout);
    // Without --run-as, root's programs run as root, and every report says so.
    let out = p.jbuild(&["check"]).run();
    out.stderr_has("running as root: graded programs run as root too");
    let json = p.jbuild(&["check", "--format", "json"]).run();
    assert!(json.stdout.contains("\"graded_as_root\": true"), "{}", json.stdout);
    let json = p.jbuild(&["check", "--format", "json", "--run-as", "nobody"]).run();
    assert!(json.stdout.contains("\"graded_as_root\": false"), "{}", json.stdout);
}

#[test]
#[cfg_attr(not(jbuild_root), ignore = "needs root: a cache folder owned by another user")]
fn a_worker_in_someone_elses_cache_is_never_run() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["ex1", "ex2"] {
        crate::support::copy_dir(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-project/src"),
            &dir.path().join(name).join("src"),
        );
    }
    let cache = tempfile::tempdir().unwrap();
    std::os::unix::fs::chown(cache.path(), Some(65534), Some(65534)).unwrap();
    let out = Jbuild::new(dir.path()).args(&["compile", "ex1", "ex2"]).env("JBUILD_CACHE_DIR", cache.path()).run();
    out.success().stderr_has("belongs to uid 65534, not to you").stderr_has("compiling with plain javac");
    assert!(dir.path().join("ex2/classes/sample01/Main.class").is_file());
}

#[test]
fn a_tampered_worker_class_is_rebuilt_before_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["ex1", "ex2"] {
        crate::support::copy_dir(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-project/src"),
            &dir.path().join(name).join("src"),
        );
    }
    let cache = tempfile::tempdir().unwrap();
    let compile =
        || Jbuild::new(dir.path()).args(&["compile", "ex1", "ex2"]).env("JBUILD_CACHE_DIR", cache.path()).run();
    compile().success().stderr_has(", warm)");
    let class = walkdir::WalkDir::new(cache.path())
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_name() == "JbuildWorker.class")
        .expect("the worker was compiled into the cache")
        .into_path();
    std::fs::write(&class, b"\xca\xfe\xba\xbe planted").unwrap();
    std::fs::remove_dir_all(dir.path().join("ex1/classes")).unwrap();
    compile().success().stderr_has(", warm)").stderr_lacks("plain javac");
    assert_ne!(std::fs::read(&class).unwrap_or_default(), b"\xca\xfe\xba\xbe planted");
}

#[test]
fn the_daemon_serves_a_client_while_another_sits_idle() {
    use std::io::{BufRead, Write};
    let cache = tempfile::tempdir().unwrap();
    let p = TestProject::sample();
    let compile = |p: &TestProject| p.jbuild(&["compile", "--daemon"]).env("JBUILD_CACHE_DIR", cache.path()).run();
    compile(&p).success();
    // A client that says hello and then nothing.
    let socket = cache.path().join("daemon/daemon.sock");
    let mut idle = std::os::unix::net::UnixStream::connect(&socket).unwrap();
    writeln!(idle, "hello someone-else").unwrap();
    let mut greeting = String::new();
    std::io::BufReader::new(idle.try_clone().unwrap()).read_line(&mut greeting).unwrap();
    p.write("src/sample01/Number.java", &p.read("src/sample01/Number.java").replace("10", "13"));
    compile(&p).success().stderr_has(", warm)").stderr_lacks("plain javac");
    drop(idle);
    p.jbuild(&["daemon", "stop"]).env("JBUILD_CACHE_DIR", cache.path()).run().success();
}

#[test]
fn a_program_that_rewrites_its_expected_output_is_judged_against_the_original() {
    // Without --run-as a program runs as you and can write the project's
    // files; what it is judged against was read before it ran.
    let p = project_with(
        "evil.Tamper",
        r#"var classes = java.nio.file.Path.of(System.getProperty("java.class.path").split(":")[0]);
           java.nio.file.Files.writeString(classes.resolveSibling("tests/evil.Tamper/case.out"), "FORGED\n");
           System.out.println("FORGED");"#,
        "REAL\n",
    );
    p.jbuild(&["check"]).run().code(1).stdout_has("WRONG").stdout_has("-REAL").stdout_has("+FORGED");
}

#[test]
fn a_programs_escape_sequences_cannot_rewrite_the_report() {
    let p = project_with("evil.Fake", r#"System.err.print("\u001b[2J\u001b[32mPASS\r"); System.exit(1);"#, "\n");
    let out = p.jbuild(&["check", "--color", "never"]).run();
    out.code(1).stdout_has("␛[2JPASS␍");
    assert!(!out.stdout.contains('\u{1b}') && !out.stdout.contains('\r'), "{:?}", out.stdout);
}

#[test]
fn a_source_linked_from_outside_the_project_is_never_read_or_compiled() {
    let p = TestProject::sample();
    // Inside the project: followed like any file.
    p.write("shared/Extra.java", "package sample01;\npublic class Extra {}\n");
    std::os::unix::fs::symlink(p.path("shared/Extra.java"), p.path("src/sample01/Extra.java")).unwrap();
    p.jbuild(&["compile"]).run().success();
    assert!(p.exists("classes/sample01/Extra.class"));
    // Outside: javac would follow it through -sourcepath, so the build is refused, naming it.
    let outside = p.dir.path().join("Secret.java");
    std::fs::write(&outside, "package sample01;\npublic class Secret {}\n").unwrap();
    std::os::unix::fs::symlink(&outside, p.path("src/sample01/Secret.java")).unwrap();
    let out = p.jbuild(&["run", "sample01.Main"]).run();
    out.code(2).stderr_has("src/sample01/Secret.java is a symbolic link to").stderr_has("outside the project");
    assert!(!p.exists("classes/sample01/Secret.class"));
    // The listing skips it, saying why; a linked folder is not walked either.
    let other = p.dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("Other.java"), "public class Other {}\n").unwrap();
    std::os::unix::fs::symlink(&other, p.path("src/elsewhere")).unwrap();
    let out = p.jbuild(&["list", "--all"]).run();
    out.success()
        .stdout_has("sample01.Main")
        .stderr_has("skipping sample01/Secret.java: a symbolic link out of the project")
        .stderr_has("skipping elsewhere: a symbolic link out of the project");
    assert!(!out.stdout.contains("Secret") && !out.stdout.contains("Other"), "{}", out.stdout);
}

#[test]
fn a_jar_linked_from_outside_the_project_never_reaches_the_class_path() {
    let p = TestProject::sample();
    let outside = p.dir.path().join("teacher.jar");
    std::fs::write(&outside, "not really a jar").unwrap();
    std::fs::create_dir_all(p.path("lib")).unwrap();
    std::os::unix::fs::symlink(&outside, p.path("lib/teacher.jar")).unwrap();
    let out = p.jbuild(&["run", "sample01.Main"]).run();
    out.code(2).stderr_has("lib/teacher.jar is a symbolic link to").stderr_has("outside the project");
    // An IDE file naming it is ignored with a note, the rest of the project runs.
    std::fs::remove_file(p.path("lib/teacher.jar")).unwrap();
    p.write(
        ".vscode/settings.json",
        &format!(
            "{{\"java.project.sourcePaths\": [\"src\"], \"java.project.referencedLibraries\": [{:?}]}}",
            outside.display().to_string()
        ),
    );
    p.jbuild(&["-v", "run", "sample01.Main"])
        .run()
        .success()
        .stdout_is("Number is 10.\n")
        .stderr_has("teacher.jar: it is outside the project");
}

#[test]
fn a_shared_temporary_folder_is_never_a_project() {
    use std::os::unix::fs::PermissionsExt;
    let shared = tempfile::tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    // Planted by another user of a shared /tmp.
    std::fs::write(shared.path().join("jbuild.toml"), "classes = \"stolen\"\n").unwrap();
    let mine = shared.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(
        mine.join("Hello.java"),
        "public class Hello { public static void main(String[] a) { System.out.println(\"hi\"); } }\n",
    )
    .unwrap();
    Jbuild::new(&mine).args(&["run", "Hello"]).run().success().stdout_is("hi\n");
    assert!(mine.join("classes/Hello.class").exists() && !shared.path().join("stolen").exists());
    // Java files straight in the shared folder: refused, not compiled with everyone's.
    std::fs::write(shared.path().join("Hi.java"), "public class Hi {}\n").unwrap();
    Jbuild::new(shared.path())
        .args(&["compile"])
        .run()
        .code(2)
        .stderr_has("is a shared temporary folder (anyone may write to it)");
}

#[test]
fn an_annotation_processor_in_lib_runs_only_when_asked() {
    let p = TestProject::sample();
    let marker = p.dir.path().join("processor-ran");
    let processor = p.dir.path().join("processor");
    std::fs::create_dir_all(processor.join("META-INF/services")).unwrap();
    std::fs::write(
        processor.join("Evil.java"),
        format!(
            "import javax.annotation.processing.*;\nimport javax.lang.model.element.TypeElement;\nimport java.util.Set;\n\
             @SupportedAnnotationTypes(\"*\")\npublic class Evil extends AbstractProcessor {{\n  \
             public boolean process(Set<? extends TypeElement> a, RoundEnvironment r) {{\n    \
             try {{ java.nio.file.Files.writeString(java.nio.file.Path.of({:?}), \"ran\"); }} catch (Exception e) {{}}\n    \
             return false;\n  }}\n}}\n",
            marker.display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(processor.join("META-INF/services/javax.annotation.processing.Processor"), "Evil\n").unwrap();
    let javac = std::process::Command::new("javac")
        .args(["-proc:none", "-d", "."])
        .arg("Evil.java")
        .current_dir(&processor)
        .status();
    assert!(javac.unwrap().success());
    std::fs::create_dir_all(p.path("lib")).unwrap();
    let jar = std::process::Command::new("jar")
        .args(["cf"])
        .arg(p.path("lib/evil.jar"))
        .args(["-C", ".", "Evil.class", "META-INF"])
        .current_dir(&processor)
        .status();
    assert!(jar.unwrap().success());
    // On the class path through lib/: never run unasked.
    p.jbuild(&["run", "sample01.Main"]).run().success().stdout_is("Number is 10.\n");
    assert!(!marker.exists(), "a processor in lib/ ran at compile time");
    // Asked for in javac-args: it runs (the test's processor works).
    p.write("jbuild.toml", "javac-args = [\"-processorpath\", \"lib/evil.jar\"]\n");
    p.jbuild(&["compile"]).run().success();
    assert!(marker.exists(), "the processor the project asked for did not run");
}
