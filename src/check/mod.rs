//! `jbuild check`: the CI checker for Java exercises. Finds projects and
//! their cases, compiles every project once through one warm worker, runs
//! the cases in parallel under limits, and reports verdicts, diffs, JUnit
//! XML, JSON and GitHub annotations.

pub mod cases;
pub mod compare;
pub mod diff;
pub mod junit;
pub mod report;
pub mod runner;
pub mod sandbox;
pub mod summary;
pub mod verdict;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, mpsc};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use self::cases::{Case, Program};
use self::compare::Compare;
use self::runner::{Execution, Limits, Stdin, execute};
use self::sandbox::Sandbox;
use self::verdict::{CaseResult, Verdict};
use crate::build::{CompileFailed, Request, build};
use crate::context::{Context, Workspace};
use crate::error::{ExitStatus, usage};
use crate::project::target::resolve_class;
use crate::project::{is_project_dir, projects_below};
use crate::term::relative;
use crate::toolchain::javac::Javac;
use crate::toolchain::process::ToolCommand;

/// JVM options for every case (see the README's measurements): no perf-data
/// file (`/tmp/hsperfdata_*`) saves a short-lived JVM a few milliseconds,
/// and `-Xss64m` makes room for deeply recursive solutions. Measured and
/// left out: `-XX:+UseSerialGC` (about 10 ms slower to start on JDK 17,
/// whose default class-data archive maps its heap objects only with G1) and
/// `-XX:TieredStopAtLevel=1` (starts a little faster, but compute-heavy
/// solutions run about 35% slower, which would shift time limits).
pub const CASE_JVM_FLAGS: &[&str] = &["-XX:-UsePerfData", "-Xss64m"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Github,
}

/// `jbuild check` options, validated.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub jobs: usize,
    pub timeout: Duration,
    pub memory_mib: u64,
    pub output_limit: usize,
    pub compare: Option<Compare>,
    pub junit: Option<PathBuf>,
    pub format: Format,
    /// `(k, n)`: run the k-th (1-based) of n slices.
    pub shard: Option<(usize, usize)>,
    /// `--run-as USER`: run graded programs as this user.
    pub run_as: Option<String>,
    /// `jbuild test`: JUnit tests only, no input/output cases.
    pub tests_only: bool,
    /// `jbuild test FILTER...`: only the JUnit tests these name.
    pub test_filters: Vec<junit::TestFilter>,
}

/// A project to check, with its cases.
struct CheckProject {
    ctx: Context,
    /// The box its graded programs run in.
    sandbox: Sandbox,
    /// Folder name as shown in reports (relative to where jbuild ran).
    label: String,
    cases: Vec<Case>,
}

/// `jbuild check`: finds the projects and their cases, runs them, reports.
pub fn run(workspace: &Workspace, options: &CheckOptions) -> Result<ExitStatus> {
    let projects = find_projects(workspace, &options.paths)?;
    let mut checked = Vec::new();
    for ctx in projects {
        let label = project_label(&workspace.cwd, &ctx.project.root);
        let mut cases = if options.tests_only {
            Vec::new()
        } else {
            cases::discover(&ctx).with_context(|| format!("project {label}"))?
        };
        cases.extend(junit::discover(&ctx, &options.test_filters).with_context(|| format!("project {label}"))?);
        cases::check_readable(&cases)?;
        let settings = &ctx.project.settings;
        let sandbox = Sandbox::new(options.run_as.as_deref().or(settings.run_as.as_deref()), &settings.env)?;
        checked.push(CheckProject { ctx, sandbox, label, cases });
    }
    if let Some((k, n)) = options.shard {
        let mut index = 0;
        for project in &mut checked {
            project.cases.retain(|_| {
                index += 1;
                (index - 1) % n == k - 1
            });
        }
    }
    let total: usize = checked.iter().map(|p| p.cases.len()).sum();
    if total == 0 && options.tests_only {
        if !options.test_filters.is_empty() {
            return Err(junit::nothing_matches(
                &checked.iter().map(|p| &p.ctx).collect::<Vec<_>>(),
                &options.test_filters,
            ));
        }
        return Err(usage(format!(
            "no JUnit tests found in {} project{} (looked for .java files using JUnit in test/, the `test-src` setting's folder, and src/)",
            checked.len(),
            if checked.len() == 1 { "" } else { "s" }
        )));
    }
    if total == 0 {
        return Err(usage(format!(
            "no check cases found in {} project{} (looked for tests/, test/, [[check]] in jbuild.toml, .github/classroom/autograding.json, JUnit tests)",
            checked.len(),
            if checked.len() == 1 { "" } else { "s" }
        )));
    }

    if crate::toolchain::process::is_root() && checked.iter().any(|p| p.sandbox.run_as.is_none()) {
        workspace.status.warning(
            "running as root: graded programs run as root too, and no box holds them; \
             pass --run-as USER (or set `run-as` in jbuild.toml) to run them as another user",
        );
    }
    let reporter = report::Reporter::new(options.format, workspace.status, checked.len() == 1);
    let (mut reporter, ordered) = run_all(workspace, &checked, total, options, reporter);

    if let Some(path) = &options.junit {
        let xml = report::junit::render(&ordered);
        std::fs::write(path, xml).with_context(|| format!("writing {}", path.display()))?;
    }
    reporter.finish(&ordered)?;
    Ok(if ordered.iter().any(|r| r.verdict.failed()) { ExitStatus::Failure } else { ExitStatus::Success })
}

/// Compiles and runs everything, as a pipeline: this thread compiles one
/// project after another (through one warm worker) and hands its cases to
/// the runners as soon as it is compiled, so cases run while later projects
/// compile. A reporter thread prints results in a stable order as they come.
fn run_all(
    workspace: &Workspace,
    checked: &[CheckProject],
    total: usize,
    options: &CheckOptions,
    mut reporter: report::Reporter,
) -> (report::Reporter, Vec<CaseResult>) {
    let prepared: Vec<OnceLock<Prepared>> = checked.iter().map(|_| OnceLock::new()).collect();
    let (queue, work) = mpsc::channel::<(usize, usize, usize)>();
    let work = Mutex::new(work);
    // A JUnit case gives one result per test.
    let (done, results) = mpsc::channel::<(usize, Vec<CaseResult>)>();
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1).min(total) {
            let done = done.clone();
            let (work, prepared) = (&work, &prepared);
            scope.spawn(move || {
                loop {
                    let next = work.lock().expect("work queue lock").recv();
                    let Ok((index, p, c)) = next else { break };
                    let project = &checked[p];
                    let prepared = prepared[p].get().expect("prepared before queued");
                    let case = &project.cases[c];
                    let results = match &case.program {
                        Program::Junit(suite) => junit::run(project, suite, prepared, options),
                        _ => vec![run_case(project, case, prepared, options)],
                    };
                    if done.send((index, results)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);
        let printer = scope.spawn(move || {
            let mut pending = BTreeMap::new();
            let (mut ordered, mut next) = (Vec::with_capacity(total), 0);
            for (index, batch) in results {
                pending.insert(index, batch);
                while let Some(batch) = pending.remove(&next) {
                    for result in batch {
                        reporter.case(&result);
                        ordered.push(result);
                    }
                    next += 1;
                }
            }
            (reporter, ordered)
        });
        let mut javac = Javac::warm(Some(workspace.cwd.clone())).capturing();
        let mut index = 0;
        for (p, project) in checked.iter().enumerate() {
            let compiled = compile_project(project, &mut javac);
            let tests = if compiled.is_ok() { junit::compile(project, &mut javac) } else { None };
            let _ = prepared[p].set(Prepared { compiled, setups: run_setups(project, options), tests });
            for c in 0..project.cases.len() {
                let _ = queue.send((index, p, c));
                index += 1;
            }
        }
        drop(queue);
        printer.join().expect("the reporter thread panicked")
    })
}

/// The projects to check: the given folders (each a project or a folder of
/// projects), else the current project, else every project below here.
fn find_projects(workspace: &Workspace, paths: &[PathBuf]) -> Result<Vec<Context>> {
    let mut roots = BTreeSet::new();
    if paths.is_empty() {
        if workspace.project_dir.is_some() {
            return Ok(vec![workspace.context()?]);
        }
        match crate::project::discover(&workspace.cwd) {
            Ok(root) => {
                roots.insert(root);
            }
            Err(_) => roots.extend(projects_below(&workspace.cwd)),
        }
    } else {
        for path in paths {
            let dir = workspace.cwd.join(path);
            if !dir.is_dir() {
                return Err(usage(format!("{}: no such folder", path.display())));
            }
            if is_project_dir(&dir) {
                roots.insert(dir);
            } else {
                let below = projects_below(&dir);
                if below.is_empty() {
                    return Err(usage(format!(
                        "{}: no Java project (a folder with src/ or jbuild.toml) in it",
                        path.display()
                    )));
                }
                roots.extend(below);
            }
        }
    }
    if roots.is_empty() {
        return Err(usage(format!(
            "no Java projects at or below {} (a project is a folder with src/ or jbuild.toml)",
            workspace.cwd.display()
        )));
    }
    roots.into_iter().map(|root| workspace.context_at(&root)).collect()
}

/// What compiling a project gave: `Ok` or the verdict message and details
/// for all its Java cases.
type Compiled = std::result::Result<(), (String, String)>;

/// What a project's cases need before they run.
struct Prepared {
    compiled: Compiled,
    /// What each distinct autograding `setup` command did.
    setups: BTreeMap<String, Execution>,
    /// How its JUnit test classes compiled, when it has JUnit tests and
    /// its main classes compiled.
    tests: Option<junit::TestBuild>,
}

/// Compiles a project's main classes (or, for shell cases, its whole tree)
/// once, through the shared warm worker.
fn compile_project(project: &CheckProject, javac: &mut Javac) -> Compiled {
    let mut files = Vec::new();
    for case in &project.cases {
        if let Program::Java { class, .. } = &case.program {
            match resolve_class(&project.ctx.project, class) {
                Ok(file) if !files.contains(&file) => files.push(file),
                Ok(_) => {}
                Err(e) => return Err((format!("{e:#}"), String::new())),
            }
        }
    }
    // Shell cases (autograding.json) run the project's classes too, and
    // JUnit tests may use any of them: compile the whole tree for them.
    let junit = project.cases.iter().any(|c| matches!(c.program, Program::Junit(_)));
    let request = if !files.is_empty() && !junit {
        Request::Files(files)
    } else if project.ctx.project.list_sources().files.is_empty() {
        return Ok(());
    } else {
        Request::WholeTree
    };
    match build(&project.ctx, &request, javac) {
        Ok(_) => Ok(()),
        Err(e) => match e.downcast_ref::<CompileFailed>() {
            Some(failed) => Err((failed.to_string(), String::from_utf8_lossy(&failed.diagnostics).into_owned())),
            None => Err((format!("{e:#}"), String::new())),
        },
    }
}

/// Runs each distinct autograding `setup` command of a project once.
fn run_setups(project: &CheckProject, options: &CheckOptions) -> BTreeMap<String, Execution> {
    let mut done = BTreeMap::new();
    for setup in project.cases.iter().filter_map(|c| c.setup.as_ref()) {
        if done.contains_key(setup) {
            continue;
        }
        let mut command = ToolCommand::shell(setup);
        command
            .current_dir(&project.ctx.project.root)
            .environment(project.sandbox.classroom_environment())
            .run_as(project.sandbox.user());
        let limits = Limits { timeout: Duration::from_secs(600), output: options.output_limit };
        let execution = execute(&mut command, Stdin::Empty, &limits).unwrap_or_else(|e| Execution {
            code: Some(127),
            stderr: format!("{e:#}").into_bytes(),
            ..Execution::default()
        });
        done.insert(setup.clone(), execution);
    }
    done
}

fn run_case(project: &CheckProject, case: &Case, prepared: &Prepared, options: &CheckOptions) -> CaseResult {
    let result = CaseResult {
        project: project.label.clone(),
        suite: case.suite.clone(),
        name: case.name.clone(),
        verdict: Verdict::Pass,
        message: String::new(),
        details: String::new(),
        time: Duration::ZERO,
        cpu_time: Duration::ZERO,
        stdout: String::new(),
        stderr: String::new(),
        file: relative(&project.ctx.cwd, &case.origin),
        line: case.line,
        points: case.points,
    };
    let fail = |mut result: CaseResult, verdict: Verdict, message: String, details: String| {
        result.verdict = verdict;
        result.message = message;
        result.details = details;
        result
    };
    if let (Program::Java { .. }, Err((message, diagnostics))) = (&case.program, &prepared.compiled) {
        return fail(result, Verdict::CompileError, message.clone(), diagnostics.clone());
    }
    if let Some(setup) = &case.setup
        && let Some(execution) = prepared.setups.get(setup).filter(|e| e.code != Some(0))
    {
        let stderr = String::from_utf8_lossy(&execution.stderr);
        return fail(result, Verdict::RuntimeError, format!("setup command failed: {setup}"), tail(&stderr, 20));
    }
    match execute_case(project, case, options) {
        Ok(execution) => judge(result, case, execution, options),
        Err(e) => fail(result, Verdict::RuntimeError, format!("{e:#}"), String::new()),
    }
}

fn execute_case(project: &CheckProject, case: &Case, options: &CheckOptions) -> Result<Execution> {
    let sandbox = &project.sandbox;
    let limits = Limits { timeout: case.timeout.unwrap_or(options.timeout), output: options.output_limit };
    let stdin = case.stdin.as_ref().map_or(Stdin::Empty, Stdin::Text);
    match &case.program {
        Program::Java { class, args } => {
            let ctx = &project.ctx;
            // Each case runs in a scratch folder of its own: files it writes
            // land there, not in the project, and parallel cases cannot clash.
            let scratch = sandbox.scratch()?;
            let memory = case.memory_mib.unwrap_or(options.memory_mib);
            let oom_command = format!(": > '{}'", scratch.oom_marker().display());
            let mut jvm_flags = vec![format!("-Xmx{memory}m"), format!("-XX:OnOutOfMemoryError={oom_command}")];
            jvm_flags.extend(CASE_JVM_FLAGS.iter().map(|f| f.to_string()));
            jvm_flags.push(format!("-Djava.io.tmpdir={}", scratch.tmp().display()));
            let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
            let mut java = ctx.java(&scratch.work(), class, &jvm_flags, &args)?;
            java.environment(sandbox.case_environment(&scratch))
                .run_as(sandbox.user())
                .label(format!("{}: {}", project.label, case.name));
            let mut execution = execute(&mut java, stdin, &limits)?;
            if scratch.oom_marker().exists() {
                execution.out_of_memory = true;
                execution.stdout = without_oom_notice(&execution.stdout, &oom_command);
            }
            Ok(execution)
        }
        Program::Shell { command: line } => {
            let mut command = ToolCommand::shell(line);
            command
                .current_dir(&project.ctx.project.root)
                .environment(sandbox.classroom_environment())
                .run_as(sandbox.user())
                .label(format!("{}: {}", project.label, case.name));
            execute(&mut command, stdin, &limits)
        }
        Program::Junit(_) => bail!("JUnit tests run as a suite, not as one case"),
    }
}

/// Turns what the process did into a verdict.
fn judge(mut result: CaseResult, case: &Case, execution: Execution, options: &CheckOptions) -> CaseResult {
    result.time = execution.wall;
    result.cpu_time = execution.cpu;
    let stdout = String::from_utf8_lossy(&execution.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&execution.stderr).into_owned();
    let limit = case.timeout.unwrap_or(options.timeout);
    let (verdict, message, details) = if execution.timed_out {
        (
            Verdict::Timeout,
            format!(
                "killed after {:.1}s (limit {:.1}s; {:.1}s of CPU time)",
                execution.wall.as_secs_f64(),
                limit.as_secs_f64(),
                execution.cpu.as_secs_f64()
            ),
            tail(&stderr, 10),
        )
    } else if execution.output_exceeded {
        (Verdict::OutputLimit, format!("printed more than {} bytes; stopped", options.output_limit), String::new())
    } else if execution.out_of_memory && execution.code != Some(case.expected_code) {
        let memory = case.memory_mib.unwrap_or(options.memory_mib);
        (Verdict::MemoryLimit, format!("ran out of memory (limit {memory} MiB)"), tail(&stderr, 10))
    } else if let (true, Some(message)) = (matches!(case.program, Program::Java { .. }), jvm_start_failure(&execution))
    {
        (Verdict::RuntimeError, "the JVM could not start (check --memory and --java-arg)".to_owned(), message)
    } else if execution.code != Some(case.expected_code) {
        let how = match (execution.code, execution.signal) {
            (Some(code), _) => format!("exit code {code}"),
            (None, Some(signal)) => format!("killed by signal {signal}"),
            (None, None) => "ended abnormally".to_owned(),
        };
        (Verdict::RuntimeError, format!("{how}, expected {}", case.expected_code), tail(&stderr, 20))
    } else {
        let compare = case.compare.clone().or_else(|| options.compare.clone()).unwrap_or_default();
        match case.expected.read().and_then(|expected| Ok((compare.matches(&expected, &stdout)?, expected))) {
            Ok((true, _)) => (Verdict::Pass, String::new(), String::new()),
            Ok((false, expected)) => (
                Verdict::WrongOutput,
                format!("output differs ({compare} comparison)"),
                diff::unified(&expected, &stdout),
            ),
            Err(e) => (Verdict::RuntimeError, format!("{e:#}"), String::new()),
        }
    };
    result.verdict = verdict;
    result.message = message;
    result.details = details;
    result.stdout = stdout;
    result.stderr = stderr;
    result
}

/// The JVM prints a notice on stdout before running the out-of-memory
/// command; it is the JVM's, not the program's output.
fn without_oom_notice(stdout: &[u8], command: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(stdout);
    let executing = format!("#   Executing /bin/sh -c \"{command}\"...\n");
    let Some(end) = text.find(&executing).map(|at| at + executing.len()) else { return stdout.to_vec() };
    // The notice starts with "#\n# java.lang.OutOfMemoryError: ..." two lines before.
    let start = text[..end].rfind("#\n# java.lang.OutOfMemoryError").unwrap_or(end - executing.len());
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

/// The message of a JVM that refused to start (a bad -Xmx or JVM option),
/// which it prints on stdout or stderr before exiting 1.
fn jvm_start_failure(execution: &Execution) -> Option<String> {
    if execution.code != Some(1) {
        return None;
    }
    let both = format!("{}{}", String::from_utf8_lossy(&execution.stdout), String::from_utf8_lossy(&execution.stderr));
    let failed = both.contains("Error: Could not create the Java Virtual Machine.")
        || both.starts_with("Error occurred during initialization of VM");
    failed.then(|| tail(both.trim_end(), 10))
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    let mut out = all[start..].join("\n");
    if start > 0 {
        out = format!("... ({start} earlier lines)\n{out}");
    }
    out
}

/// A project's name in reports: its path from where jbuild runs, or its
/// folder name when that is where jbuild runs (never `.`).
fn project_label(cwd: &std::path::Path, root: &std::path::Path) -> String {
    match relative(cwd, root).as_str() {
        "." => root.file_name().map_or_else(|| root.display().to_string(), |n| n.to_string_lossy().into_owned()),
        relative => relative.to_owned(),
    }
}

/// Parses `K/N` for `--shard`.
pub fn parse_shard(text: &str) -> Result<(usize, usize)> {
    let parsed = text.split_once('/').and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
    match parsed {
        Some((k, n)) if n >= 1 && (1..=n).contains(&k) => Ok((k, n)),
        _ => bail!("--shard {text:?}: expected K/N with 1 <= K <= N, e.g. 2/4"),
    }
}

/// Parses sizes like `1MiB`, `512KiB`, `2M`, `1000`.
pub fn parse_size(text: &str) -> Result<usize> {
    let lower = text.trim().to_ascii_lowercase();
    let (number, unit) = lower.split_at(lower.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(lower.len()));
    let scale = match unit {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        "g" | "gb" | "gib" => 1024 * 1024 * 1024,
        _ => bail!("{text:?}: unknown size unit (use B, KiB, MiB or GiB)"),
    };
    let number: f64 = number.trim().parse().map_err(|_| anyhow::anyhow!("{text:?} is not a size"))?;
    if !(number > 0.0 && number.is_finite()) {
        bail!("{text:?}: a size must be positive");
    }
    Ok((number * scale as f64) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_and_sizes() {
        assert_eq!(parse_shard("2/4").unwrap(), (2, 4));
        assert!(parse_shard("0/4").is_err());
        assert!(parse_shard("5/4").is_err());
        assert!(parse_shard("x").is_err());
        assert_eq!(parse_size("1MiB").unwrap(), 1 << 20);
        assert_eq!(parse_size("512k").unwrap(), 512 << 10);
        assert_eq!(parse_size("1000").unwrap(), 1000);
        assert!(parse_size("-1").is_err());
        assert!(parse_size("1 parsec").is_err());
    }

    #[test]
    fn tail_keeps_the_end() {
        assert_eq!(tail("a\nb\nc", 2), "... (1 earlier lines)\nb\nc");
        assert_eq!(tail("a", 5), "a");
    }
}
