//! Gradescope's `results.json` (its autograder specification): one test per
//! case with `name`, `score`, `max_score`, `status` and `output`, one test
//! per `[[group]]` holding the group's points (its cases are then
//! informational: a status, no score), a top-level `score` equal to the sum
//! of the tests' and the run's `execution_time` in seconds. Hidden cases
//! are `"visibility": "after_published"`, and their output is only their
//! verdict. Where nothing carries points, each case is worth one.

use std::time::Duration;

use serde_json::{Value, json};

use crate::check::groups::{GroupScore, round};
use crate::check::verdict::{CaseResult, Verdict};

/// Gradescope shows test output in a `<pre>`; keep it readable (its own
/// Java helper cuts at the same length).
const MAX_OUTPUT: usize = 8192;

pub fn render(results: &[CaseResult], groups: &[GroupScore], elapsed: Duration) -> Value {
    let mut projects: Vec<&str> = Vec::new();
    for result in results {
        if !projects.contains(&result.project.as_str()) {
            projects.push(&result.project);
        }
    }
    let several = projects.len() > 1;
    let mut tests = Vec::new();
    let mut total = 0.0;
    for project in projects {
        let prefix = if several { format!("{project}: ") } else { String::new() };
        let cases: Vec<&CaseResult> = results.iter().filter(|r| r.project == project).collect();
        let its_groups: Vec<&GroupScore> = groups.iter().filter(|g| g.project == project).collect();
        let has_points = !its_groups.is_empty() || cases.iter().any(|r| r.points.is_some());
        for case in cases {
            let passed = case.verdict.passed();
            let mut test = json!({
                "name": format!("{prefix}{}", case.name),
                "status": if passed { "passed" } else { "failed" },
                "output": output(case),
            });
            match &case.group {
                Some(group) => test["tags"] = json!([format!("group: {group}")]),
                None => {
                    let max = if has_points { case.points.unwrap_or(0.0) } else { 1.0 };
                    let score = round(max * case.fraction());
                    total += score;
                    test["score"] = json!(score);
                    test["max_score"] = json!(max);
                }
            }
            if case.hidden {
                test["visibility"] = json!("after_published");
            }
            tests.push(test);
        }
        for group in its_groups {
            let complete = group.passed == group.cases.len();
            let rule = if group.all_or_nothing { "; all or nothing" } else { "" };
            total += group.earned;
            tests.push(json!({
                "name": format!("{prefix}group {}", group.name),
                "score": group.earned,
                "max_score": group.points,
                "status": if complete { "passed" } else { "failed" },
                "output": format!("{} of {} cases passed{rule}", group.passed, group.cases.len()),
            }));
        }
    }
    let passed = results.iter().filter(|r| r.verdict.passed()).count();
    let failed = results.iter().filter(|r| r.verdict.failed()).count();
    let mut summary = format!("jbuild check: {passed} passed, {failed} failed");
    if let Some(compile) = results.iter().find(|r| r.verdict == Verdict::CompileError) {
        summary.push_str(&format!("\n{}", compile.message));
    }
    json!({
        "score": round(total),
        "execution_time": elapsed.as_secs_f64().ceil() as u64,
        "output": summary,
        "tests": tests,
    })
}

/// What a student sees of a case: nothing for a pass, else the verdict,
/// the message and the details (of a hidden case, only its verdict: its
/// result holds nothing more).
fn output(case: &CaseResult) -> String {
    if case.verdict.passed() {
        return case.message.clone();
    }
    let mut text = format!("{}: {}", case.verdict.describe(), case.message);
    if !case.details.is_empty() {
        text.push('\n');
        text.push_str(&case.details);
    }
    if text.len() > MAX_OUTPUT {
        let mut end = MAX_OUTPUT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str("\n... (cut)");
    }
    text
}

/// The document for a run that could not start (no project, a bad
/// `jbuild.toml`): no tests, a score of 0 and the reason, so Gradescope
/// shows the student why instead of "the autograder failed to execute".
pub fn failure(error: &anyhow::Error) -> Value {
    json!({
        "score": 0,
        "output": format!("jbuild could not check this submission: {error:#}"),
        "tests": [],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_hold_the_points_of_their_cases() {
        let mut a = CaseResult::new("p", "Main", "Main/a", String::new(), None, None);
        a.group = Some("g".into());
        let mut b = CaseResult::new("p", "Main", "Main/b", String::new(), None, Some(3.0));
        b.verdict = Verdict::WrongOutput;
        b.hidden = true;
        b.message = "hidden".into();
        let group = GroupScore {
            project: "p".into(),
            name: "g".into(),
            earned: 2.0,
            points: 2.0,
            all_or_nothing: true,
            passed: 1,
            cases: vec!["Main/a".into()],
        };
        let doc = render(&[a, b], &[group], Duration::from_millis(1500));
        assert_eq!(doc["score"], 2.0);
        assert_eq!(doc["execution_time"], 2);
        let tests = doc["tests"].as_array().unwrap();
        assert_eq!(tests.len(), 3);
        assert!(tests[0].get("score").is_none());
        assert_eq!(tests[1]["max_score"], 3.0);
        assert_eq!(tests[1]["visibility"], "after_published");
        assert_eq!(tests[2]["name"], "group g");
        assert_eq!(tests[2]["status"], "passed");
    }
}
