//! What `jbuild check` prints: a line per case with diffs for failures, or
//! one JSON document, or the same text with GitHub Actions annotations; and
//! always a last line `N passed, N failed`.

pub mod github;
pub mod junit;

use std::io::Write;

use anyhow::Result;

use super::Format;
use super::summary::{points, points_line};
use super::verdict::{CaseResult, Verdict};
use crate::term::{BAD, GOOD, Status};

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
        }
    }

    /// Shows one finished case (in order).
    pub fn case(&mut self, result: &CaseResult) {
        if self.format == Format::Json {
            return;
        }
        let mut out = std::io::stdout().lock();
        if self.format == Format::Github && self.group.as_deref() != Some(&result.project) {
            if self.group.is_some() {
                let _ = writeln!(out, "::endgroup::");
            }
            let _ = writeln!(out, "::group::{}", github::escape_data(&result.project));
            self.group = Some(result.project.clone());
        }
        let style = if result.verdict.passed() { GOOD } else { BAD };
        let label = self.status.paint_stdout(style, &format!("{:<8}", result.verdict.label()));
        // One project: its cases need no prefix.
        let project = if self.single_project { String::new() } else { format!("{}: ", result.project) };
        let _ = writeln!(out, "{label} {:>6.2}s  {project}{}", result.time.as_secs_f64(), result.name);
        if result.verdict.passed() {
            return;
        }
        for line in result.message.lines() {
            let _ = writeln!(out, "    {line}");
        }
        // A project that does not compile fails every case with the same
        // javac messages: show them once.
        if result.verdict == Verdict::CompileError {
            let key = (result.project.clone(), result.details.clone());
            if self.compile_errors_shown.as_ref() == Some(&key) {
                let _ = writeln!(out, "    (javac's messages above)");
                return;
            }
            self.compile_errors_shown = Some(key);
        }
        if !result.details.is_empty() {
            // Program output may contain anything, workflow commands included.
            let guarded = self.format == Format::Github;
            if guarded {
                let _ = writeln!(out, "::stop-commands::{}", self.stop_token);
            }
            for line in result.details.lines() {
                let _ = writeln!(out, "    {line}");
            }
            if guarded {
                let _ = writeln!(out, "::{}::", self.stop_token);
            }
        }
    }

    /// Closes groups, prints JSON or annotations, the points and the summary line.
    pub fn finish(&mut self, results: &[CaseResult]) -> Result<()> {
        let passed = results.iter().filter(|r| r.verdict.passed()).count();
        let failed = results.len() - passed;
        let points = points(results);
        let mut out = std::io::stdout().lock();
        match self.format {
            Format::Json => {
                let document = serde_json::json!({
                    "passed": passed,
                    "failed": failed,
                    "points": points.map(|(earned, possible)| serde_json::json!({"earned": earned, "possible": possible})),
                    "format_version": 1,
                    "graded_as_root": self.graded_as_root,
                    "cases": results,
                });
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
                }
            }
            Format::Text => {}
        }
        let summary = format!("{passed} passed, {failed} failed");
        if self.format == Format::Json {
            // stdout is one JSON document; the summary goes beside it.
            drop(out);
            if let Some((earned, possible)) = points {
                eprintln!("{}", points_line(earned, possible));
            }
            eprintln!("{summary}");
        } else {
            if let Some((earned, possible)) = points {
                writeln!(out, "{}", points_line(earned, possible))?;
            }
            writeln!(out, "{summary}")?;
        }
        Ok(())
    }
}
