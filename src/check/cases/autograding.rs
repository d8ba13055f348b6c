//! Cases from GitHub Classroom's `.github/classroom/autograding.json`.

use std::path::Path;
use std::time::Duration;

use anyhow::{Result, anyhow};
use serde::Deserialize;

use super::{Case, Program, Text};
use crate::check::compare::Compare;
use crate::error::usage;

/// GitHub Classroom's autograding.json.
#[derive(Debug, Deserialize)]
struct Autograding {
    tests: Vec<AutogradingTest>,
}

#[derive(Debug, Deserialize)]
struct AutogradingTest {
    name: String,
    #[serde(default)]
    setup: Option<String>,
    run: String,
    #[serde(default)]
    input: Option<String>,
    #[serde(default)]
    output: Option<String>,
    #[serde(default)]
    comparison: Option<String>,
    /// Minutes.
    #[serde(default)]
    timeout: Option<f64>,
    #[serde(default)]
    points: Option<f64>,
}

pub fn cases(path: &Path) -> Result<Vec<Case>> {
    let text = super::read_case_file(path)?;
    let config: Autograding =
        serde_json::from_str(&text).map_err(|e| usage(format!("invalid {}: {e}", path.display())))?;
    let mut cases = Vec::new();
    for test in config.tests {
        let bad = |why: String| usage(format!("{}: test {:?}: {why}", path.display(), test.name));
        // Classroom's "exact" compares trimmed output with CRLF as LF.
        let compare = match test.comparison.as_deref().unwrap_or("included") {
            "exact" => Compare::Trimmed,
            "included" => Compare::Contains,
            "regex" => Compare::Regex,
            other => return Err(bad(format!("unknown comparison {other:?} (exact, included or regex)"))),
        };
        let timeout = match test.timeout {
            Some(minutes) if minutes > 0.0 && minutes.is_finite() => Some(Duration::from_secs_f64(minutes * 60.0)),
            Some(minutes) => return Err(bad(format!("timeout {minutes} is not a positive number of minutes"))),
            None => None,
        };
        let line = text.find(&format!("\"{}\"", test.name)).map(|at| text[..at].lines().count().max(1));
        cases.push(Case {
            name: test.name.clone(),
            suite: "autograding".to_owned(),
            origin: path.to_path_buf(),
            line,
            program: Program::Shell { command: test.run },
            stdin: test.input.filter(|i| !i.is_empty()).map(Text::Inline),
            expected: Text::Inline(test.output.unwrap_or_default()),
            expected_code: 0,
            compare: Some(compare),
            timeout,
            memory_mib: None,
            points: test.points,
            setup: test.setup.filter(|s| !s.trim().is_empty()),
        });
    }
    if cases.is_empty() {
        return Err(anyhow!("{}: no tests", path.display()));
    }
    Ok(cases)
}
