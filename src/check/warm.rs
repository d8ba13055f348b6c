//! `--reuse-jvm`: Java cases through a warm case runner (see
//! `toolchain::runner`), one per runner thread and project, instead of a
//! fresh JVM each.
//!
//! Parity is the rule: a case the runner refuses runs in a fresh JVM, and
//! every way a case can end maps to the same `Execution` a fresh JVM gives.

use std::cell::RefCell;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;

use super::cases::{Case, Text};
use super::runner::Execution;
use super::sandbox::Scratch;
use super::{CASE_JVM_FLAGS, CheckOptions, CheckProject, java_case};
use crate::toolchain::cache::cache_dir;
use crate::toolchain::java::jvm_options;
use crate::toolchain::process::ToolCommand;
use crate::toolchain::runner::{self, Ended, OUTPUT_LIMIT_EXIT, Request, Runner};

/// A runner serves the cases of one project with one set of JVM options:
/// a program can only ever affect its own project's later cases.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    project: PathBuf,
    jvm_options: Vec<String>,
}

struct Warm {
    key: Key,
    runner: Runner,
    /// The runner's working folder (emptied by it after each case).
    _scratch: Scratch,
}

thread_local! {
    static WARM: RefCell<Option<Warm>> = const { RefCell::new(None) };
}

/// Runs a Java case in this thread's runner, starting one when needed.
/// `None`: the runner cannot run it as a fresh JVM would; run it fresh.
pub fn execute(
    project: &CheckProject,
    case: &Case,
    class: &str,
    args: &[String],
    options: &CheckOptions,
) -> Result<Option<Execution>> {
    let ctx = &project.ctx;
    let scratch = project.sandbox.scratch()?;
    let memory = java_case::memory_mib(case, options);
    let mut flags = vec![format!("-Xmx{memory}m")];
    flags.extend(CASE_JVM_FLAGS.iter().map(|f| f.to_string()));
    flags.extend(ctx.project.settings.java_args.iter().cloned());
    let key = Key { project: ctx.project.root.clone(), jvm_options: jvm_options(&flags) };

    let stdin = match &case.stdin {
        None => None,
        Some(Text::File(path)) => Some(path.clone()),
        Some(Text::Inline(text)) => {
            let path = scratch.tmp().join("stdin");
            std::fs::write(&path, text)?;
            Some(path)
        }
    };
    let (stdout, stderr) = (scratch.tmp().join("stdout"), scratch.tmp().join("stderr"));
    let mut classpath = vec![ctx.project.classes.clone()];
    classpath.extend(ctx.project.jars()?);
    let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    let request = Request {
        stdin: stdin.as_deref(),
        stdout: &stdout,
        stderr: &stderr,
        output_limit: options.output_limit,
        classpath: &classpath,
        class,
        args: &args,
    };
    let timeout = java_case::timeout(case, options);

    WARM.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.as_ref().is_some_and(|warm| warm.key != key) {
            *slot = None;
        }
        if slot.is_none() {
            *slot = Some(start(project, key.clone())?);
        }
        let warm = slot.as_mut().expect("started");
        let started = Instant::now();
        let ended = warm.runner.run(&request, timeout)?;
        let wall = started.elapsed();
        let mut execution = Execution { wall, ..Execution::default() };
        match ended {
            Ended::Refused(_) => return Ok(None),
            Ended::Garbled => {
                *slot = None;
                return Ok(None);
            }
            Ended::Done { code, cpu } => {
                execution.code = Some(code);
                execution.cpu = cpu;
            }
            Ended::OutOfMemory { cpu } => {
                execution.code = Some(1);
                execution.cpu = cpu;
                execution.out_of_memory = true;
                *slot = None;
            }
            Ended::Exited { code, signal } => {
                execution.code = code;
                execution.signal = signal;
                *slot = None;
            }
            Ended::TimedOut => {
                execution.timed_out = true;
                *slot = None;
            }
        }
        execution.stdout = read_capped(&stdout, options.output_limit);
        execution.stderr = read_capped(&stderr, options.output_limit);
        let printed = file_len(&stdout) + file_len(&stderr);
        if printed > options.output_limit as u64
            || (execution.code == Some(OUTPUT_LIMIT_EXIT) && printed >= options.output_limit as u64)
        {
            execution.output_exceeded = true;
        }
        Ok(Some(execution))
    })
}

fn start(project: &CheckProject, key: Key) -> Result<Warm> {
    let ctx = &project.ctx;
    let jdk = ctx.jdk()?;
    let classes = runner::ensure_compiled(jdk, &cache_dir()?)?;
    let scratch = project.sandbox.scratch()?;
    let mut flags = key.jvm_options.clone();
    flags.push(format!("-Djava.io.tmpdir={}", scratch.tmp().display()));
    let mut command = ToolCommand::jdk_tool(&jdk.java);
    command
        .current_dir(scratch.work())
        .environment(project.sandbox.case_environment(&scratch))
        .run_as(project.sandbox.user())
        .label(format!("{}: the warm case runner", project.label));
    let runner = Runner::start(&classes, &flags, command)?;
    Ok(Warm { key, runner, _scratch: scratch })
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn read_capped(path: &Path, limit: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(limit as u64).read_to_end(&mut bytes);
    }
    bytes
}
