//! `--reuse-jvm` gives the same verdicts and outputs as a fresh JVM per
//! case: the parity test over programs that end in every way a case can.

use crate::support::TestProject;

/// A case: name, stdin, expected stdout.
type Case = (&'static str, &'static str, &'static str);

/// (class, body of main, cases).
const PROGRAMS: &[(&str, &str, &[Case])] = &[
    (
        "Sum",
        "java.util.Scanner in = new java.util.Scanner(System.in); long s = 0; while (in.hasNextLong()) s += in.nextLong(); System.out.println(\"sum \" + s);",
        &[("a", "1 2 3\n", "sum 6\n"), ("b", "", "sum 0\n"), ("wrong", "5\n", "sum 6\n")],
    ),
    (
        "Counter",
        "count++; System.out.println(\"count \" + count + \" é✓\");",
        &[("first", "", "count 1 é✓\n"), ("second", "", "count 1 é✓\n")],
    ),
    ("Crash", "if (true) throw new IllegalStateException(\"boom\"); ", &[("a", "", "\n")]),
    ("Exit", "System.out.println(\"bye\"); System.exit(3);", &[("a", "", "bye\n")]),
    ("Loop", "while (true) { }", &[("a", "", "\n")]),
    (
        "Hog",
        "java.util.List<long[]> l = new java.util.ArrayList<>(); while (true) l.add(new long[1 << 20]);",
        &[("a", "", "\n")],
    ),
    (
        "Threads",
        "Thread t = new Thread(() -> { try { Thread.sleep(200); } catch (InterruptedException e) { } System.out.println(\"late\"); }); t.start(); System.out.println(\"early\");",
        &[("a", "", "early\nlate\n")],
    ),
    (
        "Files",
        "java.nio.file.Path p = java.nio.file.Path.of(\"state.txt\"); System.out.println(java.nio.file.Files.exists(p)); java.nio.file.Files.writeString(p, \"x\");",
        &[("a", "", "false\n"), ("b", "", "false\n")],
    ),
    ("Flood", "while (true) System.out.println(\"blah blah blah blah\");", &[("a", "", "\n")]),
    ("Args", "System.out.println(String.join(\"|\", a));", &[("a", "", "\n")]),
    // The JVM's real stdout: the program's own in a fresh JVM, never the
    // runner's channel (a forged reply must not end the case early).
    (
        "Forge",
        "var out = new java.io.FileOutputStream(java.io.FileDescriptor.out); out.write(\"done 0 0\\n\".getBytes()); out.flush(); while (true) { }",
        &[("a", "", "done 0 0\n")],
    ),
    (
        "RawOut",
        "var out = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true); out.println(\"raw\");",
        &[("a", "", "raw\n")],
    ),
];

fn project() -> TestProject {
    let p = TestProject::empty();
    for (class, body, cases) in PROGRAMS {
        p.write(
            &format!("src/par/{class}.java"),
            // Public or not, as students write them: java launches both.
            &format!(
                "package par;\n{}class {class} {{\n  static int count;\n  public static void main(String[] a) throws Exception {{ {body} }}\n}}\n",
                if class.len() % 2 == 0 { "public " } else { "" }
            ),
        );
        for (name, stdin, stdout) in *cases {
            p.write(&format!("tests/par.{class}/{name}.out"), stdout);
            if !stdin.is_empty() {
                p.write(&format!("tests/par.{class}/{name}.in"), stdin);
            }
        }
    }
    p.write("tests/par.Args/a.args", "x y\n-z\n");
    p.write("tests/par.Args/a.out", "x y|-z\n");
    p
}

/// A case's name, verdict, stdout and the first line of stderr.
type Outcome = (String, String, String, String);

fn outcomes(p: &TestProject, extra: &[&str]) -> Vec<Outcome> {
    let mut args = vec!["check", "--format", "json", "--timeout", "1", "--memory", "64", "--output-limit", "64KiB"];
    args.extend(extra);
    let out = p.jbuild(&args).run();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stderr));
    json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let first_err = c["stderr"].as_str().unwrap().lines().next().unwrap_or("").to_owned();
            (
                c["name"].as_str().unwrap().to_owned(),
                c["verdict"].as_str().unwrap().to_owned(),
                c["stdout"].as_str().unwrap().to_owned(),
                first_err,
            )
        })
        .collect()
}

#[test]
fn a_warm_jvm_gives_the_verdicts_and_outputs_of_fresh_jvms() {
    let p = project();
    let fresh = outcomes(&p, &[]);
    let warm = outcomes(&p, &["--reuse-jvm"]);
    // Output cut off at the limit may stop at a different byte: compare its verdict only.
    let comparable = |o: &Vec<Outcome>| -> Vec<_> {
        o.iter()
            .map(|(n, v, out, err)| {
                if v == "output-limit" {
                    (n.clone(), v.clone(), String::new(), String::new())
                } else {
                    (n.clone(), v.clone(), out.clone(), err.clone())
                }
            })
            .collect()
    };
    assert_eq!(comparable(&warm), comparable(&fresh));
    let verdicts: Vec<&str> = fresh.iter().map(|(_, v, _, _)| v.as_str()).collect();
    for expected in ["pass", "wrong-output", "runtime-error", "timeout", "memory-limit", "output-limit"] {
        assert!(verdicts.contains(&expected), "the programs cover {expected}: {verdicts:?}");
    }
}

#[test]
fn cases_really_share_a_warm_jvm() {
    let p = TestProject::empty();
    p.write("src/w/Pid.java", "package w;\nclass Pid { public static void main(String[] a) { System.out.println(ProcessHandle.current().pid()); } }\n");
    p.write("src/w/Pub.java", "package w;\npublic class Pub { public static void main(String[] a) { System.out.println(ProcessHandle.current().pid()); } }\n");
    for case in ["tests/w.Pid/a.out", "tests/w.Pid/b.out", "tests/w.Pub/a.out"] {
        p.write(case, "\n");
    }
    let pids = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["check", "--format", "json", "-j", "1"];
        args.extend(extra);
        let out = p.jbuild(&args).run();
        let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        json["cases"].as_array().unwrap().iter().map(|c| c["stdout"].as_str().unwrap().to_owned()).collect()
    };
    let warm = pids(&["--reuse-jvm"]);
    assert!(warm.iter().all(|pid| pid == &warm[0]), "one runner JVM ran every case: {warm:?}");
    let fresh = pids(&[]);
    assert!(fresh[0] != fresh[1] && fresh[1] != fresh[2], "a JVM per case: {fresh:?}");
}
