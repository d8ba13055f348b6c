//! Checkers: a teacher's program that judges a case's output instead of a
//! comparison, by testlib's convention. It gets three paths, the case's
//! input, the program's output and the expected output, and runs from the
//! project root in the case's box (same environment, user and limits).
//! Exit 0 is a pass, 1 a wrong answer, anything else the checker's own
//! failure: a configuration error of the case. What it prints is the
//! message; a line `points X` (DMOJ's and testlib's partial checkers)
//! awards the fraction X of the case's points.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::cases::Case;
use super::java_case::{Judged, Texts, memory_mib, timeout};
use super::runner::{Execution, Limits, Stdin, execute};
use super::verdict::Verdict;
use super::{CASE_JVM_FLAGS, CheckOptions, CheckProject};
use crate::project::Project;
use crate::project::settings::CheckerSetting;
use crate::project::target::resolve_class;
use crate::scanner::is_class_name;
use crate::toolchain::process::ToolCommand;

/// The most of a checker's message a report keeps, in lines.
const MAX_MESSAGE_LINES: usize = 20;

#[derive(Debug, Clone, PartialEq)]
pub enum Checker {
    /// A command: `program` found (in the project, or on `PATH`), then its
    /// arguments, then the three paths.
    Command { program: PathBuf, args: Vec<String> },
    /// A main class of the project, compiled with it.
    Java { class: String },
}

impl Checker {
    /// Checks a `checker` setting against the project; the error says what
    /// is wrong with the value (the caller names the key and file).
    pub fn resolve(setting: &CheckerSetting, project: &Project) -> std::result::Result<Checker, String> {
        match setting {
            CheckerSetting::Command(argv) => {
                let Some((program, args)) = argv.split_first().filter(|(p, _)| !p.is_empty()) else {
                    return Err(r#"give the program and its arguments, e.g. ["python3", "checkers/sorted.py"]"#.into());
                };
                let program = if program.contains('/') {
                    // A path: from the project root, like the checker runs.
                    let path = project.root.join(program);
                    if !path.is_file() {
                        return Err(format!("{}: no such file", path.display()));
                    }
                    path
                } else {
                    which::which(program).map_err(|_| {
                        format!("`{program}` is not on PATH (write ./{program} for a file in the project)")
                    })?
                };
                Ok(Checker::Command { program, args: args.to_vec() })
            }
            CheckerSetting::Named(text) => match text.strip_prefix("java:") {
                Some(class) if is_class_name(class) => {
                    resolve_class(project, class).map_err(|e| format!("{e:#}"))?;
                    Ok(Checker::Java { class: class.to_owned() })
                }
                Some(class) => Err(format!("{class:?} is not a class name (e.g. \"java:checkers.Sorted\")")),
                None => Err(format!(
                    r#"{text:?}: give a command as a list, e.g. ["python3", "checkers/sorted.py"], or "java:CLASS" for a class of the project"#
                )),
            },
        }
    }

    /// The class to compile with the project, for a Java checker.
    pub fn class(&self) -> Option<&str> {
        match self {
            Checker::Java { class } => Some(class),
            Checker::Command { .. } => None,
        }
    }
}

/// Runs the case's checker on the program's `stdout`.
pub fn judge(
    project: &CheckProject,
    case: &Case,
    checker: &Checker,
    texts: &Texts,
    stdout: &[u8],
    options: &CheckOptions,
) -> Judged {
    match run(project, case, checker, texts, stdout, options) {
        Ok(execution) => verdict(&execution, timeout(case, options), options.output_limit),
        Err(e) => Judged::config(format!("checker failed: {e:#}"), String::new()),
    }
}

fn run(
    project: &CheckProject,
    case: &Case,
    checker: &Checker,
    texts: &Texts,
    stdout: &[u8],
    options: &CheckOptions,
) -> Result<Execution> {
    let sandbox = &project.sandbox;
    let scratch = sandbox.scratch()?;
    // Copies in jbuild's own part of the scratch folder: the checker
    // cannot change the project's files, and a `--run-as` user can read them.
    let files = [scratch.file("input"), scratch.file("output"), scratch.file("expected")];
    for (file, bytes) in files.iter().zip([texts.input.as_bytes(), stdout, texts.expected.as_bytes()]) {
        write_new(file, bytes)?;
    }
    let paths: Vec<OsString> = files.iter().map(|f| f.clone().into_os_string()).collect();
    let root = &project.ctx.project.root;
    let mut command = match checker {
        Checker::Command { program, args } => {
            let mut command = ToolCommand::new(program);
            command.args(args).args(&paths);
            command
        }
        Checker::Java { class } => {
            let mut flags = vec![format!("-Xmx{}m", memory_mib(case, options))];
            flags.extend(CASE_JVM_FLAGS.iter().map(|f| f.to_string()));
            flags.push(format!("-Djava.io.tmpdir={}", scratch.tmp().display()));
            project.ctx.java(root, class, &flags, &paths)?
        }
    };
    command
        .current_dir(root)
        .environment(sandbox.case_environment(&scratch))
        .run_as(sandbox.user())
        .label(format!("{}: the checker of {}", project.label, case.name));
    if project.ctx.status.is_verbose() {
        project.ctx.status.command(&command.display_with_cwd(), &format!(" to check {}", case.name));
    }
    let limits = Limits { timeout: timeout(case, options), output: options.output_limit };
    execute(&mut command, Stdin::Empty, &limits)
}

/// Writes a new file (never through a symlink or over a file planted
/// there), readable by a `--run-as` user.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::File::options()
        .write(true)
        .create_new(true)
        .mode(0o644)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    std::io::Write::write_all(&mut file, bytes).with_context(|| format!("writing {}", path.display()))
}

/// What the checker's exit and output say.
fn verdict(execution: &Execution, limit: std::time::Duration, output_limit: usize) -> Judged {
    let printed =
        format!("{}{}", String::from_utf8_lossy(&execution.stdout), String::from_utf8_lossy(&execution.stderr));
    let mut credit = None;
    let mut said = Vec::new();
    for line in printed.lines() {
        match line.trim().strip_prefix("points").filter(|rest| rest.starts_with(char::is_whitespace)) {
            Some(value) => match value.trim().parse::<f64>() {
                Ok(x) if (0.0..=1.0).contains(&x) => credit = Some(x),
                _ => {
                    return Judged::config(
                        format!(
                            "checker failed: it printed `{}`; the points are a fraction of the case's, from 0 to 1",
                            line.trim()
                        ),
                        String::new(),
                    );
                }
            },
            None => said.push(line),
        }
    }
    let said = said.join("\n").trim().to_owned();
    let (first, rest) = said.split_once('\n').unwrap_or((&said, ""));
    let rest = super::tail(rest.trim(), MAX_MESSAGE_LINES);
    if execution.timed_out {
        return Judged::config(
            format!("checker failed: stopped at the case's time limit ({:.1}s)", limit.as_secs_f64()),
            said,
        );
    }
    if execution.output_exceeded {
        return Judged::config(
            format!("checker failed: printed more than {output_limit} bytes; stopped"),
            String::new(),
        );
    }
    let verdict = match execution.code {
        Some(0) => Verdict::Pass,
        Some(1) => Verdict::WrongOutput,
        other => {
            let how = match (other, execution.signal) {
                (Some(code), _) => format!("exit code {code}"),
                (None, Some(signal)) => format!("killed by signal {signal}"),
                (None, None) => "ended abnormally".to_owned(),
            };
            return Judged::config(
                format!("checker failed: {how} (0 means pass, 1 wrong; anything else is the checker's own failure)"),
                said,
            );
        }
    };
    let mut message = if first.is_empty() {
        if verdict.passed() { String::new() } else { "rejected by the checker".to_owned() }
    } else {
        format!("checker: {first}")
    };
    if let Some(x) = credit.filter(|x| *x < 1.0 || !verdict.passed()) {
        message.push_str(&format!(" (partial credit: {}% of the points)", crate::check::summary::number(x * 100.0)));
    }
    Judged { credit, ..Judged::new(verdict, message, rest) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(code: i32, stdout: &str) -> Judged {
        let execution = Execution { code: Some(code), stdout: stdout.as_bytes().to_vec(), ..Execution::default() };
        verdict(&execution, std::time::Duration::from_secs(1), 1 << 20)
    }

    #[test]
    fn exit_codes_decide() {
        assert_eq!(judged(0, "").verdict, Verdict::Pass);
        let wrong = judged(1, "not sorted at line 3\nmore\n");
        assert_eq!(wrong.verdict, Verdict::WrongOutput);
        assert_eq!(wrong.message, "checker: not sorted at line 3");
        assert_eq!(wrong.details, "more");
        let failed = judged(3, "oops");
        assert_eq!(failed.verdict, Verdict::ConfigError);
        assert!(failed.message.starts_with("checker failed: exit code 3"), "{}", failed.message);
    }

    #[test]
    fn points_lines_give_partial_credit() {
        let partial = judged(1, "half right\npoints 0.5\n");
        assert_eq!(partial.credit, Some(0.5));
        assert_eq!(partial.message, "checker: half right (partial credit: 50% of the points)");
        assert_eq!(judged(0, "points 1\n").credit, Some(1.0));
        assert_eq!(judged(0, "points 2\n").verdict, Verdict::ConfigError);
        assert_eq!(judged(0, "points x\n").verdict, Verdict::ConfigError);
        assert_eq!(judged(0, "pointsless\n").credit, None);
    }
}
