//! The gradebook (`--grades FILE.csv`): a header row, then one row per
//! project: `project,passed,failed,earned,possible,reason`, then one column
//! per case holding its verdict (`PASS`, `WRONG`, ...; empty when the
//! project has no such case). `reason` says why a project could not be
//! graded as a whole: it did not compile, or it could not even list its
//! cases. Points are the project's (cases and groups), or one per case
//! when nothing carries points.
//!
//! Sharded runs (`--shard K/N`) each write a file; [`merge`] adds them up
//! (`jbuild grades merge a.csv b.csv > all.csv`). A project that could not
//! be loaded is in every shard's file and counts once.
//!
//! Cells come from students' repositories (names, compiler messages): a
//! cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) gets a
//! leading `'`, and each is one line.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use super::github::javac_errors;
use crate::check::Entry;
use crate::check::groups::{GroupScore, project_score};
use crate::check::summary::number;
use crate::check::verdict::{CaseResult, Verdict};
use crate::error::usage;

/// Where `--grades` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// `--grades -`.
    Stdout,
    File(PathBuf),
}

/// The columns before the cases'.
pub const COLUMNS: [&str; 6] = ["project", "passed", "failed", "earned", "possible", "reason"];

/// The longest reason kept, in characters.
const MAX_REASON: usize = 300;

/// Writes the gradebook of a run; `sharded`: of one slice of it.
pub fn write(
    destination: &Destination,
    entries: &[Entry],
    results: &[CaseResult],
    groups: &[GroupScore],
    sharded: bool,
) -> Result<()> {
    let csv = render(entries, results, groups, sharded)?;
    match destination {
        Destination::Stdout => std::io::stdout().lock().write_all(csv.as_bytes()).context("writing the gradebook"),
        Destination::File(path) => std::fs::write(path, csv).with_context(|| format!("writing {}", path.display())),
    }
}

/// The gradebook as CSV text.
pub fn render(entries: &[Entry], results: &[CaseResult], groups: &[GroupScore], sharded: bool) -> Result<String> {
    let mut columns: Vec<&str> = Vec::new();
    for entry in entries {
        if let Entry::Project(project) = entry {
            for result in results.iter().filter(|r| r.project == project.label) {
                if !columns.contains(&result.name.as_str()) {
                    columns.push(&result.name);
                }
            }
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS.iter().map(|c| c.to_string()).chain(columns.iter().map(|c| cell(c))))?;
    for entry in entries {
        let row = match entry {
            Entry::Failed { label, message, .. } => {
                let reason = format!("configuration error: {message}");
                let mut row = vec![cell(label), "0".into(), "1".into(), "0".into(), "0".into(), cell(&reason)];
                row.extend(columns.iter().map(|_| String::new()));
                row
            }
            Entry::Project(project) => {
                let mine: Vec<&CaseResult> = results.iter().filter(|r| r.project == project.label).collect();
                if mine.is_empty() {
                    // Under --shard its cases may be in another slice.
                    if !sharded {
                        let mut row = vec![cell(&project.label), "0".into(), "0".into(), "0".into(), "0".into()];
                        row.push("no check cases found".into());
                        row.extend(columns.iter().map(|_| String::new()));
                        writer.write_record(row)?;
                    }
                    continue;
                }
                let its_groups: Vec<&GroupScore> = groups.iter().filter(|g| g.project == project.label).collect();
                let score = project_score(&mine, &its_groups);
                let mut row = vec![
                    cell(&project.label),
                    score.passed.to_string(),
                    score.failed.to_string(),
                    number(score.earned),
                    number(score.possible),
                    cell(&reason(&mine)),
                ];
                for column in &columns {
                    let verdict = mine.iter().find(|r| r.name == *column).map(|r| r.verdict.label());
                    row.push(verdict.unwrap_or_default().to_owned());
                }
                row
            }
        };
        writer.write_record(row)?;
    }
    Ok(String::from_utf8(writer.into_inner().context("writing the gradebook")?)?)
}

/// Why a project was not graded case by case: it did not compile, or a
/// case is misconfigured; empty otherwise.
fn reason(results: &[&CaseResult]) -> String {
    let mut compile = results.iter().filter(|r| r.verdict == Verdict::CompileError);
    // A hidden case keeps no diagnostics: any other says the same.
    if let Some(failed) = compile.clone().find(|r| !r.hidden).or_else(|| compile.next()) {
        if failed.hidden {
            return "compile error".to_owned();
        }
        let first = javac_errors(&failed.details).into_iter().next();
        return match first {
            Some((file, line, _, message)) => {
                let file = std::path::Path::new(&file).file_name().map_or(file.clone(), |n| n.to_string_lossy().into());
                format!("compile error: {file}:{line}: {message}")
            }
            None => format!("compile error: {}", failed.message),
        };
    }
    match results.iter().find(|r| r.verdict == Verdict::ConfigError) {
        Some(config) => format!("configuration error: {}: {}", config.name, config.message),
        None => String::new(),
    }
}

/// One line, cut to length, never a formula.
fn cell(text: &str) -> String {
    let mut line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((at, _)) = line.char_indices().nth(MAX_REASON) {
        line.truncate(at);
        line.push_str("...");
    }
    if line.starts_with(['=', '+', '-', '@']) {
        line.insert(0, '\'');
    }
    line
}

/// A project's row while merging.
#[derive(Default)]
struct Row {
    passed: usize,
    failed: usize,
    earned: f64,
    possible: f64,
    reason: String,
    cells: BTreeMap<String, String>,
}

/// Adds up the gradebooks of the shards of one run: `(name, text)` of each
/// file, in order. Projects and case columns keep their first order.
pub fn merge(files: &[(String, String)]) -> Result<String> {
    let mut columns: Vec<String> = Vec::new();
    let mut order: Vec<String> = Vec::new();
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut failures: BTreeSet<(String, String)> = BTreeSet::new();
    for (name, text) in files {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header: Vec<String> =
            reader.headers().with_context(|| format!("reading {name}"))?.iter().map(str::to_owned).collect();
        if header.len() < COLUMNS.len() || header[..COLUMNS.len()] != COLUMNS {
            return Err(usage(format!(
                "{name}: not a jbuild gradebook (its header should start with {})",
                COLUMNS.join(",")
            )));
        }
        let cases = &header[COLUMNS.len()..];
        if let Some(twice) = cases.iter().enumerate().find(|(i, c)| cases[..*i].contains(c)) {
            return Err(usage(format!("{name}: case column {:?} appears twice", twice.1)));
        }
        for case in cases {
            if !columns.contains(case) {
                columns.push(case.clone());
            }
        }
        for record in reader.records() {
            let record = record.map_err(|e| usage(format!("{name}: {e}")))?;
            let line = record.position().map_or(0, |p| p.line());
            let field = |i: usize| record.get(i).unwrap_or_default();
            let count = |i: usize| -> Result<usize> {
                field(i)
                    .parse()
                    .map_err(|_| usage(format!("{name}:{line}: `{}` is {:?}, not a count", COLUMNS[i], field(i))))
            };
            let points = |i: usize| -> Result<f64> {
                field(i).parse::<f64>().ok().filter(|p| p.is_finite() && *p >= 0.0).ok_or_else(|| {
                    usage(format!("{name}:{line}: `{}` is {:?}, not a number of points", COLUMNS[i], field(i)))
                })
            };
            let project = field(0).to_owned();
            let (passed, failed, earned, possible, reason) = (count(1)?, count(2)?, points(3)?, points(4)?, field(5));
            let cells: Vec<(&String, &str)> =
                cases.iter().zip(record.iter().skip(COLUMNS.len())).filter(|(_, v)| !v.is_empty()).collect();
            // A project that could not be loaded is in every shard's file.
            if cells.is_empty()
                && passed == 0
                && !reason.is_empty()
                && !failures.insert((project.clone(), reason.to_owned()))
            {
                continue;
            }
            if !rows.contains_key(&project) {
                order.push(project.clone());
            }
            let row = rows.entry(project.clone()).or_default();
            row.passed += passed;
            row.failed += failed;
            row.earned += earned;
            row.possible += possible;
            if row.reason.is_empty() {
                row.reason = reason.to_owned();
            }
            for (case, verdict) in cells {
                if row.cells.insert(case.clone(), verdict.to_owned()).is_some() {
                    return Err(usage(format!(
                        "{name}:{line}: project {project:?} has case {case:?} in an earlier file too; \
                         merge the files of one sharded run, each once"
                    )));
                }
            }
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS.iter().map(|c| c.to_string()).chain(columns.iter().cloned()))?;
    for project in order {
        let row = &rows[&project];
        let mut record = vec![
            project.clone(),
            row.passed.to_string(),
            row.failed.to_string(),
            number(crate::check::groups::round(row.earned)),
            number(crate::check::groups::round(row.possible)),
            row.reason.clone(),
        ];
        record.extend(columns.iter().map(|c| row.cells.get(c).cloned().unwrap_or_default()));
        writer.write_record(record)?;
    }
    Ok(String::from_utf8(writer.into_inner().context("writing the gradebook")?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_one_line_and_never_formulas() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("two\nlines"), "two lines");
        assert_eq!(cell("-1"), "'-1");
        assert!(cell(&"x".repeat(1000)).ends_with("..."));
    }

    #[test]
    fn shards_add_up_and_a_failed_project_counts_once() {
        let a = "project,passed,failed,earned,possible,reason,M/a\n\
                 alice,1,0,2,2,,PASS\n\
                 bob,0,1,0,0,configuration error: bad toml,\n";
        let b = "project,passed,failed,earned,possible,reason,M/b\n\
                 alice,0,1,0,3,,WRONG\n\
                 bob,0,1,0,0,configuration error: bad toml,\n";
        let merged = merge(&[("a.csv".into(), a.into()), ("b.csv".into(), b.into())]).unwrap();
        assert_eq!(
            merged,
            "project,passed,failed,earned,possible,reason,M/a,M/b\n\
             alice,1,1,2,5,,PASS,WRONG\n\
             bob,0,1,0,0,configuration error: bad toml,,\n"
        );
        let twice = merge(&[("a.csv".into(), a.into()), ("a2.csv".into(), a.into())]).unwrap_err();
        assert!(
            twice.to_string().contains("a2.csv:2: project \"alice\" has case \"M/a\" in an earlier file"),
            "{twice}"
        );
        let foreign = merge(&[("x.csv".into(), "name,score\nx,1\n".into())]).unwrap_err();
        assert!(foreign.to_string().contains("x.csv: not a jbuild gradebook"), "{foreign}");
        let bad = merge(&[("a.csv".into(), a.replace("alice,1,0,2", "alice,one,0,2"))]).unwrap_err();
        assert!(bad.to_string().contains("a.csv:2: `passed` is \"one\", not a count"), "{bad}");
    }
}
