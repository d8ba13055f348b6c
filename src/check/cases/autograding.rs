//! Tests from GitHub Classroom's `.github/classroom/autograding.json`, read
//! as leniently as its runner (education/autograding, `src/runner.ts`) read
//! them: the file was cast, not validated, so numbers may be strings and
//! any field may be `null` or missing.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use serde_json::Value;

use super::Case;
use crate::check::classroom::{ClassroomTest, Grader, Method};
use crate::error::usage;

pub const PATH: &str = ".github/classroom/autograding.json";

/// More points than this for one test are a typo (and their sums overflow).
const MAX_POINTS: f64 = 1_000_000.0;

pub fn cases(path: &Path) -> Result<Vec<Case>> {
    let text = super::read_case_file(path)?;
    if text.starts_with('\u{feff}') {
        return Err(usage(format!(
            "invalid {}: it starts with a byte order mark, which Classroom's JSON.parse refused too; save it as \
             UTF-8 without one",
            path.display()
        )));
    }
    let json: Value = serde_json::from_str(&text).map_err(|e| usage(format!("invalid {}: {e}", path.display())))?;
    let Some(tests) = json.get("tests").and_then(Value::as_array) else {
        return Err(usage(format!("{}: no \"tests\" array", path.display())));
    };
    let mut cases = Vec::new();
    let (mut cursor, mut line_at_cursor) = (0, 1);
    for (index, test) in tests.iter().enumerate() {
        let name = text_of(test.get("name")).unwrap_or_else(|| format!("test {}", index + 1));
        let bad = |why: String| usage(format!("{}: test {:?}: {why}", path.display(), name));
        // `if (test.points)`: only a truthy value counts, toward both totals.
        let points = match test.get("points") {
            None | Some(Value::Null) => None,
            Some(value) => match number_of(value) {
                Some(p) if p < 0.0 => return Err(bad(format!("points {p} is negative"))),
                // Sums of such numbers are infinite: no grade means anything then.
                Some(p) if p > MAX_POINTS => return Err(bad(format!("points {p} is more than {MAX_POINTS}"))),
                Some(p) if p > 0.0 => Some(p),
                Some(_) => None,
                None if value.as_str().is_some_and(|s| !s.is_empty()) => {
                    return Err(bad(format!("points {value} is not a number")));
                }
                None => None,
            },
        };
        // `(test.timeout || 1) * 60 * 1000 || 30000`: minutes, 1 when
        // missing or 0, 30 s when not a number.
        let timeout = match test.get("timeout") {
            None | Some(Value::Null) => Duration::from_secs(60),
            Some(value) => match number_of(value) {
                Some(0.0) => Duration::from_secs(60),
                Some(m) if m < 0.0 => Duration::ZERO,
                Some(m) => Duration::try_from_secs_f64(m * 60.0).unwrap_or(Duration::from_secs(86_400)),
                None if value.as_str() == Some("") => Duration::from_secs(60),
                None => Duration::from_secs(30),
            },
        };
        let method = match test.get("comparison").and_then(Value::as_str) {
            Some("exact") => Method::Exact,
            Some("regex") => Method::Regex,
            // "The default comparison mode is 'included'": anything else.
            _ => Method::Included,
        };
        let run = text_of(test.get("run"));
        let broken = run.is_none().then(|| "no `run` command".to_owned());
        // Tests come in file order: look for each name after the last one,
        // counting lines as we go (one pass over the file, whatever its size).
        let line = text[cursor..].find(&format!("\"{name}\"")).map(|offset| {
            let at = cursor + offset;
            line_at_cursor += text.as_bytes()[cursor..at].iter().filter(|&&b| b == b'\n').count();
            cursor = at;
            line_at_cursor
        });
        let classroom = ClassroomTest {
            grader: Grader::Autograding,
            setup: text_of(test.get("setup")).filter(|s| !s.is_empty()),
            command: run.unwrap_or_default(),
            input: text_of(test.get("input")).unwrap_or_default(),
            expected: text_of(test.get("output")).unwrap_or_default(),
            method,
            timeout: Some(timeout),
            broken,
        };
        cases.push(Case::classroom(&name, "autograding", path, line, classroom, points));
    }
    Ok(cases)
}

/// A JSON value as JavaScript would interpolate it into a string: strings
/// as they are, numbers and booleans printed; `null`/missing are none.
fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// A number, or a string JavaScript arithmetic would read as one.
fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::cases::Program;

    fn parse(json: &str) -> Vec<Case> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("autograding.json");
        std::fs::write(&path, json).unwrap();
        cases(&path).unwrap()
    }

    fn classroom(case: &Case) -> &ClassroomTest {
        match &case.program {
            Program::Classroom(test) => test,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fields_are_read_as_the_runner_read_them() {
        let cases = parse(
            r#"{"tests": [
                {"name": "a", "run": "x", "timeout": 0, "points": null, "comparison": "fuzzy"},
                {"name": "b", "run": "x", "timeout": "10", "points": "2", "comparison": "exact", "extra": 1},
                {"name": "c", "run": "x", "timeout": "soon", "points": 0, "input": 5, "output": null},
                {"run": "x", "timeout": 0.5, "points": 1.5, "comparison": "regex", "setup": ""}
            ]}"#,
        );
        let summary: Vec<_> = cases
            .iter()
            .map(|c| (c.name.as_str(), classroom(c).timeout.unwrap().as_secs(), c.points, classroom(c).method))
            .collect();
        assert_eq!(
            summary,
            [
                ("a", 60, None, Method::Included),
                ("b", 600, Some(2.0), Method::Exact),
                ("c", 30, None, Method::Included),
                ("test 4", 30, Some(1.5), Method::Regex),
            ]
        );
        assert_eq!(classroom(&cases[2]).input, "5");
        assert_eq!(classroom(&cases[3]).setup, None);
    }

    #[test]
    fn a_test_without_run_is_broken_not_the_file() {
        let cases = parse(r#"{"tests": [{"name": "a"}, {"name": "b", "run": "true"}]}"#);
        assert!(classroom(&cases[0]).broken.is_some());
        assert!(classroom(&cases[1]).broken.is_none());
    }
}
