//! Tests from GitHub Classroom's newer format: the grader steps of
//! `.github/workflows/classroom.yml` (classroom-resources'
//! `autograding-io-grader` and `autograding-command-grader`), in step order.
//!
//! Every `with:` input is trimmed, as `core.getInput` does. Other steps
//! (checkout, setup-java, the reporter, `education/autograding`, which runs
//! autograding.json) are not tests; a step that uses another grader is
//! reported as skipped, by name.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use serde_norway::Value;

use super::Case;
use crate::check::classroom::{ClassroomTest, Grader, Method, js_trim};
use crate::error::usage;

pub const PATH: &str = ".github/workflows/classroom.yml";

/// The io- and command-grader's own limit ("Maximum 60 minutes"): also what
/// jbuild uses for `timeout: 0`, which the graders took as no limit at all.
const MAX_TIMEOUT: Duration = Duration::from_secs(60 * 60);

/// The tests, and the names of steps that use graders jbuild does not run.
pub struct Workflow {
    pub cases: Vec<Case>,
    pub skipped: Vec<String>,
    /// Whether a step runs autograding.json (`education/autograding`):
    /// without one, Classroom never graded that file.
    pub runs_autograding_json: bool,
}

pub fn cases(path: &Path) -> Result<Workflow> {
    let source = super::read_case_file(path)?;
    let yaml: Value = serde_norway::from_str(&source).map_err(|e| usage(format!("invalid {}: {e}", path.display())))?;
    let steps: Vec<&Value> = yaml
        .get("jobs")
        .and_then(Value::as_mapping)
        .into_iter()
        .flat_map(|jobs| jobs.values())
        .filter_map(|job| job.get("steps").and_then(Value::as_sequence))
        .flatten()
        .collect();
    let counted = reported_steps(&steps);
    let mut workflow = Workflow { cases: Vec::new(), skipped: Vec::new(), runs_autograding_json: false };
    for step in steps {
        let Some(uses) = step.get("uses").and_then(Value::as_str) else { continue };
        let action = uses.split('@').next().unwrap_or(uses).to_ascii_lowercase();
        if action.ends_with("/autograding") {
            workflow.runs_autograding_json = true;
            continue;
        }
        let grader = if action.ends_with("/autograding-io-grader") {
            Grader::IoGrader
        } else if action.ends_with("/autograding-command-grader") {
            Grader::CommandGrader
        } else {
            if action.contains("/autograding-") && action.ends_with("-grader") {
                let name = input(step, "test-name").or_else(|| text(step.get("name"))).unwrap_or_default();
                workflow.skipped.push(format!("{name} ({uses})"));
            }
            continue;
        };
        let id = text(step.get("id"));
        let name = input(step, "test-name")
            .filter(|n| !n.is_empty())
            .or_else(|| text(step.get("name")))
            .unwrap_or_else(|| format!("step {}", workflow.cases.len() + 1));
        workflow.cases.push(grader_case(path, &source, step, grader, &name, id.as_deref(), &counted));
    }
    Ok(workflow)
}

fn grader_case(
    path: &Path,
    file_text: &str,
    step: &Value,
    grader: Grader,
    name: &str,
    id: Option<&str>,
    counted: &Option<BTreeSet<String>>,
) -> Case {
    let command = input(step, "command").unwrap_or_default();
    let expected = input(step, "expected-output").unwrap_or_default();
    let method_name = input(step, "comparison-method").unwrap_or_default();
    // The graders refuse these before running anything; such a result has
    // no max_score, so the reporter leaves the test out of both totals.
    let mut broken = None;
    if input(step, "test-name").is_none_or(|n| n.is_empty()) {
        broken = Some("Input required and not supplied: test-name".to_owned());
    } else if command.is_empty() {
        broken = Some("Input required and not supplied: command".to_owned());
    }
    let method = match method_name.as_str() {
        "exact" => Method::Exact,
        "regex" => Method::Regex,
        // `included` is what the io-grader's own README says; its code
        // accepts only `contains`. jbuild accepts both.
        "contains" | "included" => Method::Included,
        _ if grader == Grader::CommandGrader => Method::Included,
        other => {
            broken.get_or_insert(format!("Invalid comparison method: {other}"));
            Method::Included
        }
    };
    if grader == Grader::IoGrader && expected.is_empty() {
        broken.get_or_insert("Input required and not supplied: expected-output".to_owned());
    }
    // `parseFloat(timeout || 10)` minutes; 0 was "no limit".
    let timeout = match input(step, "timeout").filter(|t| !t.is_empty()) {
        None => Some(Duration::from_secs(600)),
        Some(t) => match leading_float(&t) {
            Some(m) if m > 0.0 => Some(Duration::try_from_secs_f64(m * 60.0).unwrap_or(MAX_TIMEOUT).min(MAX_TIMEOUT)),
            _ => Some(MAX_TIMEOUT),
        },
    };
    // `parseInt(max-score || 0)`; a result without a truthy max_score is
    // left out by the reporter, and so is a step the reporter is not told of.
    let listed = match (counted, id) {
        (None, _) => true,
        (Some(ids), Some(id)) => ids.contains(&id.to_ascii_uppercase()),
        (Some(_), None) => false,
    };
    let points = input(step, "max-score")
        .and_then(|s| leading_int(&s))
        .filter(|p| *p > 0)
        .map(|p| p as f64)
        .filter(|_| listed && broken.is_none());
    let line = id
        .and_then(|id| file_text.find(&format!("id: {id}")))
        .or_else(|| file_text.find(name))
        .map(|at| file_text[..at].lines().count().max(1));
    let classroom = ClassroomTest {
        grader,
        setup: input(step, "setup-command").filter(|s| !s.is_empty()),
        command,
        input: input(step, "input").map(|i| js_trim(&i).to_owned()).unwrap_or_default(),
        expected,
        method,
        timeout,
        broken,
    };
    Case::classroom(name, "classroom.yml", path, line, classroom, points)
}

/// The step ids the reporter counts: its `runners` list, through the
/// `<RUNNER>_RESULTS` variables of its `env:` (`${{steps.<id>.outputs.result}}`).
/// `None` when there is no reporter step: then every grader counts.
fn reported_steps(steps: &[&Value]) -> Option<BTreeSet<String>> {
    let reporter = steps.iter().find(|step| {
        step.get("uses").and_then(Value::as_str).is_some_and(|u| u.contains("/autograding-grading-reporter"))
    })?;
    let runners = input(reporter, "runners").unwrap_or_default();
    let mut ids = BTreeSet::new();
    for runner in runners.split(|c: char| c == ',' || c.is_whitespace()).filter(|r| !r.is_empty()) {
        let variable = format!("{}_RESULTS", runner.to_ascii_uppercase());
        let expression = reporter.get("env").and_then(|env| env.get(variable.as_str())).and_then(|v| text(Some(v)));
        let id = expression
            .as_deref()
            .and_then(|e| e.split("steps.").nth(1))
            .and_then(|rest| rest.split(".outputs").next())
            .map(|id| id.trim().to_owned())
            .unwrap_or_else(|| runner.to_owned());
        ids.insert(id.to_ascii_uppercase());
    }
    Some(ids)
}

/// A `with:` input as the action saw it: as a string, trimmed.
fn input(step: &Value, key: &str) -> Option<String> {
    text(step.get("with")?.get(key)).map(|s| s.trim().to_owned())
}

/// A YAML scalar as GitHub passes it to an action: as a string.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// JavaScript's `parseFloat`: the longest leading number.
fn leading_float(text: &str) -> Option<f64> {
    let text = text.trim_start();
    (1..=text.len()).rev().filter(|end| text.is_char_boundary(*end)).find_map(|end| text[..end].parse::<f64>().ok())
}

/// JavaScript's `parseInt(_, 10)`: the leading integer.
fn leading_int(text: &str) -> Option<i64> {
    let text = text.trim_start();
    let sign = usize::from(text.starts_with(['-', '+']));
    let digits = text[sign..].chars().take_while(char::is_ascii_digit).count();
    (digits > 0).then(|| text[..sign + digits].parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::cases::Program;

    const WORKFLOW: &str = r#"
name: Autograding Tests
'on': [push]
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    steps:
    - uses: actions/checkout@v4
    - name: hello
      id: hello
      uses: classroom-resources/autograding-io-grader@v1
      with:
        test-name: hello
        command: "java Hello"
        input: "  Jeff  "
        expected-output: |-
          Hello Jeff
        comparison-method: contains
        timeout: 10
        max-score: 2.5
    - name: builds
      id: builds
      uses: classroom-resources/autograding-command-grader@v1
      with:
        test-name: builds
        command: javac Hello.java
        max-score: 3
    - name: unlisted
      id: unlisted
      uses: classroom-resources/autograding-command-grader@v1
      with:
        test-name: unlisted
        command: "true"
        max-score: 5
    - name: py
      uses: classroom-resources/autograding-python-grader@v1
      with:
        test-name: pytest
    - name: Autograding Reporter
      uses: classroom-resources/autograding-grading-reporter@v1
      env:
        HELLO_RESULTS: "${{steps.hello.outputs.result}}"
        BUILDS_RESULTS: "${{steps.builds.outputs.result}}"
      with:
        runners: hello,builds
"#;

    #[test]
    fn grader_steps_become_tests_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("classroom.yml");
        std::fs::write(&path, WORKFLOW).unwrap();
        let workflow = cases(&path).unwrap();
        let names: Vec<_> = workflow.cases.iter().map(|c| (c.name.as_str(), c.points)).collect();
        assert_eq!(names, [("hello", Some(2.0)), ("builds", Some(3.0)), ("unlisted", None)]);
        assert_eq!(workflow.skipped, ["pytest (classroom-resources/autograding-python-grader@v1)"]);
        let Program::Classroom(hello) = &workflow.cases[0].program else { panic!() };
        assert_eq!((hello.input.as_str(), hello.expected.as_str()), ("Jeff", "Hello Jeff"));
        assert_eq!(hello.timeout, Some(Duration::from_secs(600)));
    }

    #[test]
    fn javascript_number_parsing() {
        assert_eq!(leading_float("1.5 minutes"), Some(1.5));
        assert_eq!(leading_float("x"), None);
        assert_eq!(leading_int("2.5"), Some(2));
        assert_eq!(leading_int("-3x"), Some(-3));
        assert_eq!(leading_int("abc"), None);
    }
}
