//! What `jbuild check` prints: a line per case with diffs for failures, or
//! one JSON document (jbuild's own, or Gradescope's `results.json`), or the
//! same text with GitHub Actions annotations; and always a last line
//! `N passed, N failed`.

pub mod github;
pub mod grades;
pub mod gradescope;
pub mod junit;

use std::io::Write;
use std::time::Instant;

use anyhow::Result;

use super::Format;
use super::groups::{GroupScore, points};
use super::summary::{number, points_line};
use super::verdict::{CaseResult, Verdict};
use crate::term::{BAD, GOOD, Status, WARN};

pub struct Reporter {
    format: Format,
    status: Status,
    single_project: bool,
    /// Graded programs ran as root with no `--run-as`: said in every format.
    pub graded_as_root: bool,
    /// The project and javac messages of the last COMPILE case shown.
    compile_errors_shown: Option<(String, String)>,
    /// The project whose GitHub `::group::` is open.
    group: Option<String>,
    stop_token: String,
    /// stdout belongs to something else (`--grades -`): report on stderr.
    on_stderr: bool,
    started: Instant,
}

impl Reporter {
    pub fn new(format: Format, status: Status, single_project: bool) -> Reporter {
        Reporter {
            format,
            status,
            single_project,
            compile_errors_shown: None,
            graded_as_root: false,
            group: None,
            stop_token: github::stop_token(),
            on_stderr: false,
            started: Instant::now(),
        }
    }

    /// Reports on stderr, leaving stdout to the gradebook.
    pub fn on_stderr(self) -> Reporter {
        Reporter { on_stderr: true, ..self }
    }

    fn out(&self) -> Box<dyn Write> {
        if self.on_stderr { Box::new(std::io::stderr().lock()) } else { Box::new(std::io::stdout().lock()) }
    }

    /// Whether the format is one document on stdout.
    fn is_document(&self) -> bool {
        matches!(self.format, Format::Json | Format::Gradescope)
    }

    /// Shows one finished case (in order).
    pub fn case(&mut self, result: &CaseResult) {
        if let Some(file) = &result.blessed {
            self.status.line("Blessed", file);
        }
        if self.is_document() {
            return;
        }
        let mut out = self.out();
        if self.format == Format::Github && self.group.as_deref() != Some(&result.project) {
            if self.group.is_some() {
                let _ = writeln!(out, "::endgroup::");
            }
            let _ = writeln!(out, "::group::{}", github::escape_data(&result.project));
            self.group = Some(result.project.clone());
        }
        let style = match result.verdict {
            Verdict::Pass => GOOD,
            Verdict::Skipped => WARN,
            _ => BAD,
        };
        let label = self.status.paint_stdout(style, &format!("{:<8}", result.verdict.label()));
        // One project: its cases need no prefix.
        let project = if self.single_project { String::new() } else { format!("{}: ", result.project) };
        let _ = writeln!(out, "{label} {:>6.2}s  {project}{}", result.time.as_secs_f64(), result.name);
        if result.verdict.passed() {
            return;
        }
        // A project that does not compile fails every case with the same
        // javac messages: show them once.
        let mut details = if result.verdict == Verdict::Skipped { "" } else { result.details.as_str() };
        if result.verdict == Verdict::CompileError {
            let key = (result.project.clone(), result.details.clone());
            if self.compile_errors_shown.as_ref() == Some(&key) {
                details = "(javac's messages above)";
            } else {
                self.compile_errors_shown = Some(key);
            }
        }
        // Program output may contain anything, workflow commands included,
        // and so may a message taken from what a test threw.
        let guarded = self.format == Format::Github;
        if guarded {
            let _ = writeln!(out, "::stop-commands::{}", self.stop_token);
        }
        for line in result.message.lines().chain(details.lines()) {
            let _ = writeln!(out, "    {}", visible_controls(line));
        }
        if guarded {
            let _ = writeln!(out, "::{}::", self.stop_token);
        }
    }

    /// Closes groups, prints JSON or annotations, the groups, the points
    /// and the summary line.
    /// `projects`: every project of the run by label, those without a case too.
    pub fn finish(&mut self, results: &[CaseResult], groups: &[GroupScore], projects: &[String]) -> Result<()> {
        let passed = results.iter().filter(|r| r.verdict.passed()).count();
        let failed = results.iter().filter(|r| r.verdict.failed()).count();
        let skipped = results.len() - passed - failed;
        let points = points(results, groups);
        let mut out = self.out();
        match self.format {
            Format::Json => {
                let document = serde_json::json!({
                    "passed": passed,
                    "failed": failed,
                    "skipped": skipped,
                    "points": points.map(|(earned, possible)| serde_json::json!({"earned": earned, "possible": possible})),
                    "format_version": 1,
                    "graded_as_root": self.graded_as_root,
                    "groups": groups,
                    "projects": project_scores(results, groups, projects),
                    "cases": results,
                });
                writeln!(out, "{}", serde_json::to_string_pretty(&document)?)?;
            }
            Format::Gradescope => {
                let document = gradescope::render(results, groups, self.started.elapsed());
                writeln!(out, "{}", serde_json::to_string_pretty(&document)?)?;
            }
            Format::Github => {
                if self.group.take().is_some() {
                    writeln!(out, "::endgroup::")?;
                }
                for line in github::annotations(results) {
                    writeln!(out, "{line}")?;
                }
                if let Some(path) = &crate::env::get().step_summary {
                    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
                    if self.graded_as_root {
                        file.write_all(b"> **Note:** graded programs ran as root (no `--run-as`).\n\n")?;
                    }
                    file.write_all(github::summary(results, points).as_bytes())?;
                    file.write_all(github::group_summary(groups).as_bytes())?;
                }
            }
            Format::Text => {}
        }
        let summary = format!("{passed} passed, {failed} failed");
        if self.is_document() {
            // stdout is one JSON document; the summary goes beside it.
            drop(out);
            for group in groups {
                self.status.line("Group", self.group_line(group));
            }
            if let Some((earned, possible)) = points {
                eprintln!("{}", points_line(earned, possible));
            }
            if skipped > 0 {
                eprintln!("{skipped} skipped");
            }
            eprintln!("{summary}");
        } else {
            for group in groups {
                writeln!(out, "group {}", self.group_line(group))?;
            }
            if let Some((earned, possible)) = points {
                writeln!(out, "{}", points_line(earned, possible))?;
            }
            // Skipped cases count on neither side; the last line keeps its
            // `N passed, N failed` shape for scripts.
            if skipped > 0 {
                writeln!(out, "{skipped} skipped")?;
            }
            writeln!(out, "{summary}")?;
        }
        Ok(())
    }

    /// `basics: 2/2 (2 of 2 cases passed)`, with the project when there are several.
    fn group_line(&self, group: &GroupScore) -> String {
        let project = if self.single_project { String::new() } else { format!("{}: ", group.project) };
        let rule = if group.all_or_nothing && group.passed < group.cases.len() { "; all or nothing" } else { "" };
        format!(
            "{project}{}: {}/{} ({} of {} cases passed{rule})",
            group.name,
            number(group.earned),
            number(group.points),
            group.passed,
            group.cases.len()
        )
    }
}

/// Each project's counts and points, as the gradebook has them: a teacher
/// reading the JSON needs no sums of their own, and a project without
/// cases is there too.
fn project_scores(results: &[CaseResult], groups: &[GroupScore], projects: &[String]) -> Vec<serde_json::Value> {
    super::groups::project_scores(results, groups, projects)
        .into_iter()
        .map(|(label, score)| {
            serde_json::json!({
                "project": label,
                "passed": score.passed,
                "failed": score.failed,
                "earned": score.earned,
                "possible": score.possible,
            })
        })
        .collect()
}

/// A line of program output as the text report prints it: control
/// characters (an escape sequence that would recolour or clear the
/// terminal, a carriage return that would overwrite the line) drawn as
/// their Unicode pictures (`␛`, `␍`), so a program cannot fake or hide
/// report lines. Tabs stay; colour sequences (`ESC[...m`, which Maven and
/// Gradle print under Classroom's `FORCE_COLOR`) are dropped, being only
/// style.
fn visible_controls(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains('\u{1b}') {
        return crate::term::drawn(line);
    }
    // Colour sequences go first; everything else is drawn.
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("\u{1b}[") {
        let after = &rest[at + 2..];
        let params = after.find(|c: char| !(c.is_ascii_digit() || c == ';')).unwrap_or(after.len());
        if after[params..].starts_with('m') {
            out.push_str(&rest[..at]);
            rest = &after[params + 1..];
        } else {
            out.push_str(&rest[..at + 2]);
            rest = after;
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(crate::term::drawn(&out).into_owned())
}

#[cfg(test)]
mod control_tests {
    use super::visible_controls;

    #[test]
    fn control_characters_are_drawn_not_obeyed() {
        assert_eq!(visible_controls("\u{1b}[2J\u{1b}[32mPASS\r"), "␛[2JPASS␍");
        assert_eq!(visible_controls("\u{1b}[1;34mINFO\u{1b}[m x \u{1b}[0m\u{1b}[H"), "INFO x ␛[H");
        assert_eq!(visible_controls("plain\ttext é"), "plain\ttext é");
        assert_eq!(visible_controls("\u{7f}\u{85}"), "␡�");
    }
}
