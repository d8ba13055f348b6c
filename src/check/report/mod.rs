//! What `jbuild check` prints: a line per case with diffs for failures, or
//! one JSON document, or the same text with GitHub Actions annotations; and
//! always a last line `N passed, N failed`.

pub mod github;
pub mod junit;

use std::io::Write;

use anyhow::Result;

use super::Format;
use super::summary::{number, points};
use super::verdict::CaseResult;
use super::verdict::Verdict;
use crate::term::{BAD, GOOD, Status, WARN};

pub struct Reporter {
    format: Format,
    status: Status,
    single_project: bool,
    /// The project whose GitHub `::group::` is open.
    group: Option<String>,
    stop_token: String,
}

impl Reporter {
    pub fn new(format: Format, status: Status, single_project: bool) -> Reporter {
        Reporter { format, status, single_project, group: None, stop_token: github::stop_token() }
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
        let details = if result.verdict == Verdict::Skipped { "" } else { result.details.as_str() };
        // Program output may contain anything, workflow commands included,
        // and so may a message taken from what a test threw.
        let guarded = self.format == Format::Github;
        if guarded {
            let _ = writeln!(out, "::stop-commands::{}", self.stop_token);
        }
        for line in result.message.lines().chain(details.lines()) {
            let _ = writeln!(out, "    {line}");
        }
        if guarded {
            let _ = writeln!(out, "::{}::", self.stop_token);
        }
    }

    /// Closes groups, prints JSON or annotations, the points and the summary line.
    pub fn finish(&mut self, results: &[CaseResult]) -> Result<()> {
        let passed = results.iter().filter(|r| r.verdict.passed()).count();
        let failed = results.iter().filter(|r| r.verdict.failed()).count();
        let skipped = results.len() - passed - failed;
        let points = points(results);
        let mut out = std::io::stdout().lock();
        match self.format {
            Format::Json => {
                let document = serde_json::json!({
                    "passed": passed,
                    "failed": failed,
                    "skipped": skipped,
                    "points": points.map(|(earned, possible)| serde_json::json!({"earned": earned, "possible": possible})),
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
                self.status.line("Points", format_args!("{} / {}", number(earned), number(possible)));
            }
            if skipped > 0 {
                eprintln!("{skipped} skipped");
            }
            eprintln!("{summary}");
        } else {
            if let Some((earned, possible)) = points {
                writeln!(out, "points: {}/{}", number(earned), number(possible))?;
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
}
