//! What `jbuild check` prints: a line per case with diffs for failures, or
//! one JSON document, or the same text with GitHub Actions annotations; and
//! always a last line `N passed, N failed`.

use std::io::{IsTerminal, Write};

use anyhow::Result;

use super::Format;
use super::github;
use super::verdict::{CaseResult, Verdict};
use crate::status::Status;

pub struct Reporter {
    format: Format,
    color: bool,
    status: Status,
    /// The project whose GitHub `::group::` is open.
    group: Option<String>,
    stop_token: String,
}

impl Reporter {
    pub fn new(format: Format, status: Status) -> Reporter {
        let color = format == Format::Text
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Reporter { format, color, status, group: None, stop_token: github::stop_token() }
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
        let label = format!("{:<8}", result.verdict.label());
        let label = match (self.color, result.verdict) {
            (false, _) => label,
            (true, Verdict::Pass) => format!("\x1b[32m{label}\x1b[0m"),
            (true, _) => format!("\x1b[1;31m{label}\x1b[0m"),
        };
        let project = if result.project != "." { format!("{}: ", result.project) } else { String::new() };
        let _ = writeln!(out, "{label} {:>6.2}s  {project}{}", result.time.as_secs_f64(), result.name);
        if result.verdict.passed() {
            return;
        }
        let _ = writeln!(out, "    {}", result.message);
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
                if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
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
            eprintln!("{summary}");
        } else {
            if let Some((earned, possible)) = points {
                writeln!(out, "points: {}/{}", number(earned), number(possible))?;
            }
            writeln!(out, "{summary}")?;
        }
        Ok(())
    }
}

/// Earned and possible points, when any case carries points.
pub fn points(results: &[CaseResult]) -> Option<(f64, f64)> {
    let with_points: Vec<_> = results.iter().filter_map(|r| r.points.map(|p| (p, r.verdict.passed()))).collect();
    if with_points.is_empty() {
        return None;
    }
    let possible = with_points.iter().map(|(p, _)| p).sum();
    let earned = with_points.iter().filter(|(_, passed)| *passed).map(|(p, _)| p).sum();
    Some((earned, possible))
}

/// `3` rather than `3.0`, `2.5` as is.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value}") }
}
