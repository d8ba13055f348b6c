//! `jbuild check`: the CI checker for Java exercises. Finds projects and
//! their cases, compiles every project once through one warm worker, runs
//! the cases in parallel under limits, and reports verdicts, diffs, JUnit
//! XML, JSON and GitHub annotations.

pub mod cases;
pub mod classroom;
pub mod compare;
pub mod diff;
mod java_case;
mod pipeline;
mod projects;
pub mod report;
pub mod runner;
pub mod sandbox;
pub mod summary;
pub mod verdict;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use self::cases::Case;
use self::compare::Compare;
use self::sandbox::Sandbox;
use self::verdict::Verdict;
use crate::context::{Context, Workspace};
use crate::error::{ExitStatus, usage};
use crate::term::{count, relative};

/// JVM options for every case (see the README's measurements): no perf-data
/// file (`/tmp/hsperfdata_*`) saves a short-lived JVM a few milliseconds,
/// and `-Xss64m` makes room for deeply recursive solutions. Measured and
/// left out: `-XX:+UseSerialGC` (about 10 ms slower to start on JDK 17,
/// whose default class-data archive maps its heap objects only with G1) and
/// `-XX:TieredStopAtLevel=1` (starts a little faster, but compute-heavy
/// solutions run about 35% slower, which would shift time limits).
pub const CASE_JVM_FLAGS: &[&str] = &["-XX:-UsePerfData", "-Xss64m"];

/// A case's wall-clock limit when neither a flag nor the case sets one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// A case's heap limit (-Xmx) when neither a flag nor the case sets one.
pub const DEFAULT_MEMORY_MIB: u64 = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Github,
}

/// `jbuild check` options, validated. Limits and the comparison are
/// `Some` only when given on the command line: then they win over the
/// values in `tests/`, `[[check]]`, autograding.json and classroom.yml.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub jobs: usize,
    pub timeout: Option<Duration>,
    pub memory_mib: Option<u64>,
    pub output_limit: usize,
    pub compare: Option<Compare>,
    pub junit: Option<PathBuf>,
    pub format: Format,
    /// `(k, n)`: run the k-th (1-based) of n slices.
    pub shard: Option<(usize, usize)>,
    /// `--run-as USER`: run graded programs as this user.
    pub run_as: Option<String>,
}

/// A project to check, with its cases.
pub struct CheckProject {
    pub ctx: Context,
    /// The box its graded programs run in.
    pub sandbox: Sandbox,
    /// Its name in reports (see [`project_label`]).
    pub label: String,
    pub cases: Vec<Case>,
}

/// What `jbuild check` works through: projects, and projects that could
/// not even list their cases (one failure each, named after the project).
pub enum Entry {
    Project(Box<CheckProject>),
    Failed { label: String, file: String, message: String },
}

/// `jbuild check`: finds the projects and their cases, runs them, reports.
pub fn run(workspace: &Workspace, options: &CheckOptions) -> Result<ExitStatus> {
    let found = projects::find(workspace, &options.paths)?;
    let single = found.len() == 1;
    let mut entries = Vec::new();
    for projects::Found { root, context } in found {
        let label = project_label(&workspace.cwd, &root);
        match context.and_then(|ctx| load(ctx, &label, options, workspace)) {
            Ok(project) => entries.push(Entry::Project(Box::new(project))),
            // One project: its problem is the answer (exit 2).
            Err(e) if single => return Err(e),
            Err(e) => {
                // Paths in the message as the user would type them.
                let message = format!("{e:#}").replace(&format!("{}/", workspace.cwd.display()), "");
                entries.push(Entry::Failed { file: relative(&workspace.cwd, &root), label, message })
            }
        }
    }
    if let Some((k, n)) = options.shard {
        let mut index = 0;
        for entry in &mut entries {
            if let Entry::Project(project) = entry {
                project.cases.retain(|_| {
                    index += 1;
                    (index - 1) % n == k - 1
                });
            }
        }
    }
    let empty: Vec<&str> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Project(p) if p.cases.is_empty() => Some(p.label.as_str()),
            _ => None,
        })
        .collect();
    if empty.len() == entries.len() {
        return Err(usage(format!(
            "no check cases found in {} (looked for tests/, test/, [[check]] in jbuild.toml, \
             .github/classroom/autograding.json and .github/workflows/classroom.yml)",
            count(entries.len(), "project")
        )));
    }
    if !single && options.shard.is_none() {
        for label in empty {
            workspace.status.line("No cases", label);
        }
    }
    let graded_as_root = crate::toolchain::process::is_root()
        && entries.iter().any(|e| matches!(e, Entry::Project(p) if p.sandbox.run_as.is_none()));
    if graded_as_root {
        workspace.status.warning(
            "running as root: graded programs run as root too, and no box holds them; \
             pass --run-as USER (or set `run-as` in jbuild.toml) to run them as another user",
        );
    }
    let mut reporter = report::Reporter::new(options.format, workspace.status, single);
    reporter.graded_as_root = graded_as_root;
    let (mut reporter, ordered) = pipeline::run_all(workspace, &entries, options, reporter);

    if let Some(path) = &options.junit {
        let xml = report::junit::render(&ordered);
        std::fs::write(path, xml).with_context(|| format!("writing {}", path.display()))?;
    }
    reporter.finish(&ordered)?;
    Ok(if ordered.iter().all(|r| r.verdict.passed()) {
        ExitStatus::Success
    } else if ordered.iter().all(|r| r.verdict == Verdict::ConfigError) {
        ExitStatus::Usage
    } else {
        ExitStatus::Failure
    })
}

/// A project's cases and box, with what is worth saying about them once.
fn load(ctx: Context, label: &str, options: &CheckOptions, workspace: &Workspace) -> Result<CheckProject> {
    let found = cases::discover(&ctx)?;
    cases::check_readable(&found.cases)?;
    for note in found.notes {
        workspace.status.line("Note", format_args!("{label}: {note}"));
    }
    let settings = &ctx.project.settings;
    let sandbox = Sandbox::new(options.run_as.as_deref().or(settings.run_as.as_deref()), &settings.env)?;
    Ok(CheckProject { ctx, sandbox, label: label.to_owned(), cases: found.cases })
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
        _ => bail!("expected K/N with 1 <= K <= N, e.g. 2/4"),
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
