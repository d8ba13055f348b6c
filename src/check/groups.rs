//! `[[group]]` tables and scores. A group names cases by glob and owns
//! their points: all of them when every case passes (`all-or-nothing`, the
//! default), or shared out among its cases. A case is in one group at most
//! and has no points of its own then.
//!
//! Scores: a project's points are those of its cases outside groups plus
//! its groups'. Where a project has no points at all, the gradebook and
//! Gradescope count one point per case.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use super::cases::Case;
use super::hidden::CaseGlobs;
use super::summary;
use super::verdict::{CaseResult, Verdict};
use crate::error::usage;
use crate::project::settings::GroupTable;

/// A group, resolved against a project's cases.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    pub points: f64,
    pub all_or_nothing: bool,
    /// Its cases' names.
    pub cases: Vec<String>,
}

/// How a group did in one project.
#[derive(Debug, Clone, Serialize)]
pub struct GroupScore {
    pub project: String,
    pub name: String,
    pub earned: f64,
    pub points: f64,
    pub all_or_nothing: bool,
    pub passed: usize,
    /// Its cases' names.
    pub cases: Vec<String>,
}

/// Reads the `[[group]]` tables of `file`, puts each matching case in its
/// group, and checks that every group has cases, every case one group at
/// most, and no grouped case points of its own.
///
/// `some_cases`: only some of the project's cases were listed (`jbuild test`
/// lists its JUnit tests alone), so a group that matches none of them is
/// left out rather than an error.
pub fn resolve(tables: &[GroupTable], cases: &mut [Case], file: &Path, some_cases: bool) -> Result<Vec<Group>> {
    let mut groups: Vec<Group> = Vec::new();
    for (index, table) in tables.iter().enumerate() {
        let bad = |why: String| usage(format!("{}: [[group]] #{} {:?}: {why}", file.display(), index + 1, table.name));
        if table.name.trim().is_empty() {
            return Err(bad("`name` must not be empty".to_owned()));
        }
        if groups.iter().any(|g| g.name == table.name) {
            return Err(bad("another [[group]] has the same name".to_owned()));
        }
        if !(table.points >= 0.0 && table.points.is_finite()) {
            return Err(bad(format!("`points`: {} is not a number of points (0 or more)", table.points)));
        }
        if table.cases.is_empty() {
            return Err(bad("`cases` names no case (give globs like \"sample01.Main/edge-*\")".to_owned()));
        }
        let globs = CaseGlobs::new(&table.cases).map_err(|why| bad(format!("`cases`: {why}")))?;
        let mut members = Vec::new();
        for case in cases.iter_mut().filter(|c| globs.matches(&c.name)) {
            if let Some(other) = &case.group {
                return Err(bad(format!(
                    "case {} is already in group {other:?}; a case counts in one group",
                    case.name
                )));
            }
            if case.points.is_some() {
                return Err(bad(format!(
                    "case {} has points of its own; a group gives its cases their points, so drop one",
                    case.name
                )));
            }
            case.group = Some(table.name.clone());
            members.push(case.name.clone());
        }
        if members.is_empty() && some_cases {
            continue;
        }
        if members.is_empty() {
            let example = match cases.first() {
                Some(case) => format!(" (cases are named like {})", case.name),
                None => " (the project has no cases at all: is its tests/ folder missing?)".to_owned(),
            };
            return Err(bad(format!("`cases` {:?} match no case{example}", table.cases)));
        }
        groups.push(Group {
            name: table.name.clone(),
            points: table.points,
            all_or_nothing: table.all_or_nothing.unwrap_or(true),
            cases: members,
        });
    }
    Ok(groups)
}

/// The slice number of each case for `--shard`, counting on from `next`:
/// one each, except that a group's cases share the number of its first.
pub fn slices(cases: &[Case], next: &mut usize) -> Vec<usize> {
    let mut of_group: Vec<(&str, usize)> = Vec::new();
    let mut fresh = || {
        *next += 1;
        *next - 1
    };
    cases
        .iter()
        .map(|case| match &case.group {
            None => fresh(),
            Some(group) => match of_group.iter().find(|(name, _)| name == group) {
                Some((_, slice)) => *slice,
                None => {
                    let slice = fresh();
                    of_group.push((group, slice));
                    slice
                }
            },
        })
        .collect()
}

/// How `group` of `project` did, from the results.
pub fn score(project: &str, group: &Group, results: &[CaseResult]) -> GroupScore {
    let members: Vec<&CaseResult> =
        results.iter().filter(|r| r.project == project && r.group.as_deref() == Some(group.name.as_str())).collect();
    let passed = members.iter().filter(|r| r.verdict.passed()).count();
    let earned = if members.is_empty() {
        0.0
    } else if group.all_or_nothing {
        if passed == members.len() { group.points } else { 0.0 }
    } else {
        let fractions: f64 = members.iter().map(|r| r.fraction()).sum();
        round(group.points * fractions / members.len() as f64)
    };
    GroupScore {
        project: project.to_owned(),
        name: group.name.clone(),
        earned,
        points: group.points,
        all_or_nothing: group.all_or_nothing,
        passed,
        cases: members.iter().map(|r| r.name.clone()).collect(),
    }
}

/// Earned and possible points of cases and groups, when any carries points.
pub fn points(results: &[CaseResult], groups: &[GroupScore]) -> Option<(f64, f64)> {
    let cases = summary::points(results);
    if groups.is_empty() {
        return cases;
    }
    let (earned, possible) = cases.unwrap_or((0.0, 0.0));
    Some((
        round(earned + groups.iter().map(|g| g.earned).sum::<f64>()),
        round(possible + groups.iter().map(|g| g.points).sum::<f64>()),
    ))
}

/// A project's line in a gradebook.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProjectScore {
    pub passed: usize,
    pub failed: usize,
    pub earned: f64,
    pub possible: f64,
}

/// A project's counts and points; one point per case when nothing in the
/// project carries points.
pub fn project_score(results: &[&CaseResult], groups: &[&GroupScore]) -> ProjectScore {
    // Skipped tests count on neither side.
    let results: Vec<&CaseResult> = results.iter().copied().filter(|r| r.verdict != Verdict::Skipped).collect();
    let passed = results.iter().filter(|r| r.verdict.passed()).count();
    let with_points: Vec<_> = results.iter().filter_map(|r| r.points.map(|p| (p, r.fraction()))).collect();
    let (earned, possible) = if with_points.is_empty() && groups.is_empty() {
        (results.iter().map(|r| r.fraction()).sum(), results.len() as f64)
    } else {
        (
            with_points.iter().map(|(p, f)| p * f).sum::<f64>() + groups.iter().map(|g| g.earned).sum::<f64>(),
            with_points.iter().map(|(p, _)| p).sum::<f64>() + groups.iter().map(|g| g.points).sum::<f64>(),
        )
    };
    ProjectScore { passed, failed: results.len() - passed, earned: round(earned), possible: round(possible) }
}

/// [`project_score`] of each project, by label, in the order given (a
/// project without cases too).
pub fn project_scores(results: &[CaseResult], groups: &[GroupScore], labels: &[String]) -> Vec<(String, ProjectScore)> {
    labels
        .iter()
        .map(|label| {
            let mine: Vec<&CaseResult> = results.iter().filter(|r| &r.project == label).collect();
            let its_groups: Vec<&GroupScore> = groups.iter().filter(|g| &g.project == label).collect();
            (label.clone(), project_score(&mine, &its_groups))
        })
        .collect()
}

/// Points to the hundredth, so shares of a group (10 / 3) stay readable.
pub fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::verdict::Verdict;

    fn result(name: &str, group: Option<&str>, verdict: Verdict, points: Option<f64>) -> CaseResult {
        let mut result = CaseResult::new("p", "Main", name, String::new(), None, points);
        result.verdict = verdict;
        result.group = group.map(str::to_owned);
        result
    }

    fn group(all_or_nothing: bool) -> Group {
        Group { name: "g".into(), points: 10.0, all_or_nothing, cases: vec!["a".into(), "b".into(), "c".into()] }
    }

    #[test]
    fn all_or_nothing_needs_every_case() {
        let mut results: Vec<_> = ["a", "b", "c"].iter().map(|n| result(n, Some("g"), Verdict::Pass, None)).collect();
        assert_eq!(score("p", &group(true), &results).earned, 10.0);
        results[1].verdict = Verdict::WrongOutput;
        let scored = score("p", &group(true), &results);
        assert_eq!((scored.earned, scored.passed), (0.0, 2));
        assert_eq!(score("p", &group(false), &results).earned, 6.67);
    }

    #[test]
    fn points_add_cases_and_groups() {
        let mut results =
            vec![result("x", None, Verdict::Pass, Some(2.0)), result("a", Some("g"), Verdict::Pass, None)];
        let groups = vec![score("p", &group(true), &results)];
        assert_eq!(points(&results, &groups), Some((12.0, 12.0)));
        results[0].credit = Some(0.5);
        assert_eq!(points(&results, &groups), Some((11.0, 12.0)));
        let plain = [result("x", None, Verdict::Pass, None), result("y", None, Verdict::Timeout, None)];
        let plain: Vec<&CaseResult> = plain.iter().collect();
        assert_eq!(project_score(&plain, &[]), ProjectScore { passed: 1, failed: 1, earned: 1.0, possible: 2.0 });
    }
}
