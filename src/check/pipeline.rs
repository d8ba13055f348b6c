//! Running everything, as a pipeline: this thread compiles one project
//! after another (through one warm worker) and hands its work to the
//! runners as soon as it is compiled, so cases run while later projects
//! compile. A reporter thread prints results in a stable order as they come.
//!
//! A project's Classroom tests are one unit of work, run one after another
//! in file order; Java cases are a unit each and run in parallel.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock, mpsc};

use super::cases::{Case, Program};
use super::classroom::{self, Overrides};
use super::report::Reporter;
use super::verdict::{CaseResult, Verdict};
use super::{CheckOptions, CheckProject, Entry, hidden, java_case};
use crate::build::{CompileFailed, Request, build};
use crate::context::Workspace;
use crate::project::target::resolve_class;
use crate::term::relative;
use crate::toolchain::javac::Javac;

/// What compiling a project gave: `Ok` or the verdict message and details
/// for all its Java cases.
pub(in crate::check) type Compiled = std::result::Result<(), (String, String)>;

/// What a project's cases need before they run.
pub(in crate::check) struct Prepared {
    pub compiled: Compiled,
    /// How its JUnit test classes compiled, when it has JUnit tests and its
    /// main classes compiled.
    pub tests: Option<super::junit::TestBuild>,
}

/// One piece of work for a runner thread, with the result index of each
/// case it reports.
enum Unit {
    Failed { entry: usize, index: usize },
    Case { entry: usize, case: usize, index: usize },
    Sequence { entry: usize, cases: Vec<(usize, usize)> },
}

pub fn run_all(
    workspace: &Workspace,
    entries: &[Entry],
    options: &CheckOptions,
    mut reporter: Reporter,
) -> (Reporter, Vec<CaseResult>) {
    let (units, total) = plan(entries, options.reuse_jvm);
    let compiled: Vec<OnceLock<Prepared>> = entries.iter().map(|_| OnceLock::new()).collect();
    let (queue, work) = mpsc::channel::<Unit>();
    let work = Mutex::new(work);
    // A JUnit case gives one result per test.
    let (done, results) = mpsc::channel::<(usize, Vec<CaseResult>)>();
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1).min(units.iter().map(Vec::len).sum::<usize>().max(1)) {
            let done = done.clone();
            let (work, compiled) = (&work, &compiled);
            scope.spawn(move || {
                loop {
                    let next = work.lock().expect("work queue lock").recv();
                    let Ok(unit) = next else { break };
                    // Each result goes to the printer as soon as it exists: a
                    // Classroom repository's tests show one by one.
                    let mut emit = |index: usize, results: Vec<CaseResult>| done.send((index, results)).is_ok();
                    if !run_unit(entries, compiled, &unit, options, &mut emit) {
                        return;
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
        for ((entry, project_units), compiled) in entries.iter().zip(units).zip(&compiled) {
            if let Entry::Project(project) = entry {
                let main = compile_project(project, &mut javac);
                let tests = if main.is_ok() { super::junit::compile(project, &mut javac) } else { None };
                let _ = compiled.set(Prepared { compiled: main, tests });
            }
            for unit in project_units {
                let _ = queue.send(unit);
            }
        }
        drop(queue);
        printer.join().expect("the reporter thread panicked")
    })
}

/// The units of work of each entry, and how many results they give.
/// With `reuse_jvm`, a project's Java cases are one unit too, so they run
/// one after another in one warm runner instead of starting one per thread.
fn plan(entries: &[Entry], reuse_jvm: bool) -> (Vec<Vec<Unit>>, usize) {
    let mut index = 0;
    let mut next = || {
        index += 1;
        index - 1
    };
    let mut plan = Vec::new();
    for (e, entry) in entries.iter().enumerate() {
        let mut units = Vec::new();
        match entry {
            Entry::Failed { .. } => units.push(Unit::Failed { entry: e, index: next() }),
            Entry::Project(project) => {
                let (mut sequence, mut warm) = (Vec::new(), Vec::new());
                for (c, case) in project.cases.iter().enumerate() {
                    if case.is_classroom() {
                        sequence.push((c, next()));
                    } else if reuse_jvm && matches!(case.program, Program::Java { .. }) {
                        warm.push((c, next()));
                    } else {
                        units.push(Unit::Case { entry: e, case: c, index: next() });
                    }
                }
                if !warm.is_empty() {
                    units.insert(0, Unit::Sequence { entry: e, cases: warm });
                }
                if !sequence.is_empty() {
                    // Long sequential work first, so it overlaps the rest.
                    units.insert(0, Unit::Sequence { entry: e, cases: sequence });
                }
            }
        }
        plan.push(units);
    }
    (plan, index)
}

/// Runs one unit, handing each result to `emit` as it is ready; false when
/// `emit` refused one (nobody is listening any more).
fn run_unit(
    entries: &[Entry],
    prepared: &[OnceLock<Prepared>],
    unit: &Unit,
    options: &CheckOptions,
    emit: &mut dyn FnMut(usize, Vec<CaseResult>) -> bool,
) -> bool {
    match unit {
        Unit::Failed { entry, index } => {
            let Entry::Failed { label, file, message } = &entries[*entry] else {
                unreachable!("planned from a failure")
            };
            let mut result = CaseResult::new(label, "project", "(configuration)", file.clone(), None, None);
            result.verdict = Verdict::ConfigError;
            result.message = message.clone();
            emit(*index, vec![result])
        }
        Unit::Case { entry, case, index } => {
            let Entry::Project(project) = &entries[*entry] else { unreachable!("planned from a project") };
            let prepared = prepared[*entry].get().expect("compiled before queued");
            let case = &project.cases[*case];
            let results = match &case.program {
                Program::Junit(suite) => super::junit::run(project, suite, prepared, options)
                    .into_iter()
                    .map(|r| sealed(r, options))
                    .collect(),
                _ => vec![run_java_case(project, case, &prepared.compiled, options)],
            };
            emit(*index, results)
        }
        Unit::Sequence { entry, cases } => {
            let Entry::Project(project) = &entries[*entry] else { unreachable!("planned from a project") };
            let compiled = &prepared[*entry].get().expect("compiled before queued").compiled;
            let mut memo = classroom::SetupMemo::default();
            cases.iter().all(|(c, index)| {
                let case = &project.cases[*c];
                let result = if case.is_classroom() {
                    run_classroom_test(project, case, options, &mut memo)
                } else {
                    run_java_case(project, case, compiled, options)
                };
                emit(*index, vec![result])
            })
        }
    }
}

fn base_result(project: &CheckProject, case: &Case) -> CaseResult {
    let mut result = CaseResult::new(
        &project.label,
        &case.suite,
        &case.name,
        relative(&project.ctx.cwd, &case.origin),
        case.line,
        case.points,
    );
    result.hidden = case.hidden;
    result.group = case.group.clone();
    result
}

/// A hidden case's result loses its details here, before any report.
fn sealed(mut result: CaseResult, options: &CheckOptions) -> CaseResult {
    if result.hidden && !options.show_hidden {
        hidden::redact(&mut result);
    }
    result
}

fn run_java_case(project: &CheckProject, case: &Case, compiled: &Compiled, options: &CheckOptions) -> CaseResult {
    let mut result = base_result(project, case);
    let Program::Java { class, args } = &case.program else { unreachable!("a Java case") };
    if let Err((message, diagnostics)) = compiled {
        result.verdict = Verdict::CompileError;
        result.message = message.clone();
        result.details = diagnostics.clone();
        return sealed(result, options);
    }
    // Read before the program runs (see `Texts`); a case file jbuild
    // cannot read is the case's configuration error, not the program's.
    let texts = match java_case::Texts::read(case, options.bless) {
        Ok(texts) => texts,
        Err(e) => {
            result.verdict = Verdict::ConfigError;
            result.message = format!("{e:#}");
            return sealed(result, options);
        }
    };
    match java_case::execute_case(project, case, class, args, options) {
        Ok(execution) => {
            let judged = java_case::judge(project, case, &texts, &execution, options);
            result.record(&execution, judged.verdict, judged.message, judged.details);
            result.credit = judged.credit;
            result.blessed = judged.blessed;
        }
        Err(e) => {
            result.verdict = Verdict::RuntimeError;
            result.message = format!("{e:#}");
        }
    }
    sealed(result, options)
}

fn run_classroom_test(
    project: &CheckProject,
    case: &Case,
    options: &CheckOptions,
    memo: &mut classroom::SetupMemo,
) -> CaseResult {
    let mut result = base_result(project, case);
    let Program::Classroom(test) = &case.program else { unreachable!("a Classroom test") };
    let flags =
        Overrides { timeout: options.timeout, compare: options.compare.as_ref(), output_limit: options.output_limit };
    let label = format!("{}: {}", project.label, case.name);
    let outcome =
        classroom::run(test, &project.ctx.project.root, &project.sandbox, &label, &flags, memo, &project.ctx.status);
    result.record(&outcome.execution, outcome.verdict, outcome.message, outcome.details);
    if outcome.drop_points {
        result.points = None;
    }
    sealed(result, options)
}

/// Compiles the classes a project's Java cases run, once, through the
/// shared warm worker. Projects with only Classroom tests compile nothing
/// (those compile and run Java themselves) and get no output folder.
fn compile_project(project: &CheckProject, javac: &mut Javac) -> Compiled {
    let mut files = Vec::new();
    for case in &project.cases {
        if let Program::Java { class, .. } = &case.program {
            // A Java checker compiles with the classes it checks.
            let checker = case.checker.as_ref().and_then(|c| c.class());
            for class in std::iter::once(class.as_str()).chain(checker) {
                match resolve_class(&project.ctx.project, class) {
                    Ok(file) if !files.contains(&file) => files.push(file),
                    Ok(_) => {}
                    Err(e) => return Err((format!("{e:#}"), String::new())),
                }
            }
        }
    }
    // JUnit tests may use any main class: compile the whole tree for them.
    let junit = project.cases.iter().any(|c| matches!(c.program, Program::Junit(_)));
    let request = if junit && !project.ctx.project.list_sources().files.is_empty() {
        Request::WholeTree
    } else if files.is_empty() {
        return Ok(());
    } else {
        Request::Files(files)
    };
    match build(&project.ctx, &request, javac) {
        Ok(_) => Ok(()),
        Err(e) => match e.downcast_ref::<CompileFailed>() {
            Some(failed) => Err((failed.to_string(), String::from_utf8_lossy(&failed.diagnostics).into_owned())),
            None => Err((format!("{e:#}"), String::new())),
        },
    }
}
