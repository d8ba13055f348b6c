//! `jbuild check`: the CI checker for Java exercises. Finds projects and
//! their cases, compiles every project once through one warm worker, runs
//! the cases in parallel under limits, and reports verdicts, diffs, JUnit
//! XML, JSON and GitHub annotations.

mod bless;
pub mod cases;
pub mod checker;
pub mod classroom;
pub mod compare;
pub mod diff;
pub mod groups;
pub mod hidden;
mod java_case;
pub(in crate::check) use java_case::{jvm_start_failure, without_oom_notice};
pub(in crate::check) use pipeline::Prepared;
pub mod junit;
mod pipeline;
mod projects;
pub mod report;
pub mod runner;
pub mod sandbox;
pub mod summary;
pub mod verdict;
mod warm;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use self::cases::{Case, Program};
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
    /// Gradescope's `results.json`.
    Gradescope,
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
    /// `--reuse-jvm`: Java cases through a warm case runner.
    pub reuse_jvm: bool,
    /// `--bless`: write actual outputs into missing or different `.out` files.
    pub bless: bool,
    /// `--show-hidden`: report hidden cases in full.
    pub show_hidden: bool,
    /// `--grades FILE`: write the gradebook there.
    pub grades: Option<report::grades::Destination>,
    /// `jbuild test`: JUnit tests only, no input/output cases.
    pub tests_only: bool,
    /// `jbuild test FILTER...`: only the JUnit tests these name.
    pub test_filters: Vec<junit::TestFilter>,
}

impl CheckOptions {
    /// The time limit of a case or test that sets none of its own.
    pub fn case_timeout(&self) -> Duration {
        self.timeout.unwrap_or(DEFAULT_TIMEOUT)
    }

    /// The heap limit of a case or test JVM that sets none of its own.
    pub fn heap_mib(&self) -> u64 {
        self.memory_mib.unwrap_or(DEFAULT_MEMORY_MIB)
    }
}

/// A project to check, with its cases.
pub struct CheckProject {
    pub ctx: Context,
    /// The box its graded programs run in.
    pub sandbox: Sandbox,
    /// Its name in reports (see [`project_label`]).
    pub label: String,
    pub cases: Vec<Case>,
    /// Its `[[group]]` tables, resolved against its cases.
    pub groups: Vec<groups::Group>,
    /// What `--bless` wrote in this run.
    pub blessings: bless::Ledger,
}

/// What `jbuild check` works through: projects, and projects that could
/// not even list their cases (one failure each, named after the project).
pub enum Entry {
    Project(Box<CheckProject>),
    Failed { label: String, file: String, message: String },
}

impl Entry {
    /// The project's name in reports.
    pub fn label(&self) -> &str {
        match self {
            Entry::Project(project) => &project.label,
            Entry::Failed { label, .. } => label,
        }
    }
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
                // A group's cases stay in one slice, so it can be scored.
                let mut keep = groups::slices(&project.cases, &mut index).into_iter().map(|slice| slice % n == k - 1);
                project.cases.retain(|_| keep.next().unwrap_or(false));
                let cases = &project.cases;
                project.groups.retain(|g| cases.iter().any(|c| c.group.as_ref() == Some(&g.name)));
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
    if empty.len() == entries.len() && options.tests_only {
        let contexts: Vec<&Context> = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Project(p) => Some(&p.ctx),
                Entry::Failed { .. } => None,
            })
            .collect();
        if !options.test_filters.is_empty() {
            return Err(junit::nothing_matches(&contexts, &options.test_filters));
        }
        return Err(usage(format!(
            "no JUnit tests found in {} (looked for .java files using JUnit in test/, the `test-src` setting's folder, and src/)",
            count(entries.len(), "project")
        )));
    }
    if empty.len() == entries.len() {
        return Err(usage(format!(
            "no check cases found in {} (looked for tests/, test/, [[check]] in jbuild.toml, \
             .github/classroom/autograding.json, .github/workflows/classroom.yml, JUnit tests)",
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
    if options.grades == Some(report::grades::Destination::Stdout) {
        reporter = reporter.on_stderr();
    }
    let (mut reporter, ordered) = pipeline::run_all(workspace, &entries, options, reporter);

    if let Some(path) = &options.junit {
        let xml = report::junit::render(&ordered);
        std::fs::write(path, xml).with_context(|| format!("writing {}", path.display()))?;
    }
    let scores = group_scores(&entries, &ordered);
    let labels: Vec<String> = entries.iter().map(|entry| entry.label().to_owned()).collect();
    reporter.finish(&ordered, &scores, &labels)?;
    if options.bless {
        let failed = ordered.iter().filter(|r| r.verdict.failed()).count();
        if failed > 0 {
            workspace.status.warning(format_args!(
                "{} not blessed: --bless writes only the output of a program that ran as expected (not a crash, \
                 a timeout or a wrong exit code), into a `.out` or `stdout-file`; never a JUnit test, an inline \
                 `stdout` or a regular expression",
                count(failed, "failing case")
            ));
        } else if !ordered.iter().any(|r| r.blessed.is_some()) {
            workspace.status.line("Blessed", "nothing: every expected output already matches");
        }
    }
    if let Some(destination) = &options.grades {
        report::grades::write(destination, &entries, &ordered, &scores, options.shard.is_some())?;
        if options.shard.is_none()
            && let Some(warning) = uneven_possible_points(&labels, &ordered, &scores)
        {
            workspace.status.warning(warning);
        }
    }
    Ok(if !ordered.iter().any(|r| r.verdict.failed()) {
        ExitStatus::Success
    } else if ordered.iter().all(|r| r.verdict == Verdict::ConfigError) {
        ExitStatus::Usage
    } else {
        ExitStatus::Failure
    })
}

/// When the projects of one gradebook do not all have the same possible
/// points, says which have fewer: a student who deleted `test/`, disabled
/// a test or broke the layout has a smaller denominator, not a lower grade.
fn uneven_possible_points(
    labels: &[String],
    results: &[verdict::CaseResult],
    scores: &[groups::GroupScore],
) -> Option<String> {
    let possible: Vec<(String, f64)> =
        groups::project_scores(results, scores, labels).into_iter().map(|(label, s)| (label, s.possible)).collect();
    let most = possible.iter().map(|(_, p)| *p).fold(0.0, f64::max);
    let fewer: Vec<String> = possible
        .iter()
        .filter(|(_, p)| *p < most)
        .map(|(label, p)| format!("{label} {}", summary::number(*p)))
        .collect();
    if possible.len() < 2 || fewer.is_empty() {
        return None;
    }
    let shown = fewer.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    let more = if fewer.len() > 5 { format!(" and {} more", fewer.len() - 5) } else { String::new() };
    Some(format!(
        "possible points differ between projects: up to {}, but {shown}{more}; a repository may lack cases or \
         tests the others have (a deleted test/, a disabled test, a broken layout): give every one the same \
         tests and jbuild.toml before grading (README, \"For teachers\", step 7)",
        summary::number(most)
    ))
}

/// A project's cases and box, with what is worth saying about them once.
fn load(ctx: Context, label: &str, options: &CheckOptions, workspace: &Workspace) -> Result<CheckProject> {
    let found = if options.tests_only { cases::Discovered::default() } else { cases::discover(&ctx, options.bless)? };
    cases::check_readable(&found.cases, options.bless)?;
    for note in found.notes {
        workspace.status.line("Note", format_args!("{label}: {note}"));
    }
    let settings = &ctx.project.settings;
    let file = ctx.project.root.join(crate::project::settings::SETTINGS_FILE);
    let mut cases = found.cases;
    if !found.classroom_only {
        cases.extend(junit::discover(&ctx, &options.test_filters)?);
    }
    hidden::mark(&settings.hidden, &mut cases, &file)?;
    if let Some(setting) = &settings.checker {
        let checker = checker::Checker::resolve(setting, &ctx.project)
            .map_err(|why| usage(format!("{}: `checker`: {why}", file.display())))?;
        for case in cases.iter_mut().filter(|c| matches!(c.program, Program::Java { .. }) && c.checker.is_none()) {
            case.checker = Some(checker.clone());
        }
    }
    let groups = groups::resolve(&settings.groups, &mut cases, &file, options.tests_only)?;
    let sandbox = Sandbox::new(options.run_as.as_deref().or(settings.run_as.as_deref()), &settings.env)?;
    Ok(CheckProject { ctx, sandbox, label: label.to_owned(), cases, groups, blessings: Default::default() })
}

/// How every project's groups did.
fn group_scores(entries: &[Entry], results: &[verdict::CaseResult]) -> Vec<groups::GroupScore> {
    let projects = entries.iter().filter_map(|e| match e {
        Entry::Project(project) => Some(project),
        Entry::Failed { .. } => None,
    });
    projects.flat_map(|p| p.groups.iter().map(|g| groups::score(&p.label, g, results))).collect()
}

/// The last `lines` lines of `text`.
pub(in crate::check) fn tail(text: &str, lines: usize) -> String {
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
