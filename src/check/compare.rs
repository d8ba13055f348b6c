//! How a case's actual output is compared with the expected output.

use std::fmt;

use anyhow::{Result, bail};
use regex::Regex;

/// A comparison mode: `exact`, `lines` (the default), `tokens`, `contains`,
/// `regex`, `float[:TOLERANCE]`, or `trimmed` (GitHub Classroom's "exact":
/// CRLF as LF, surrounding whitespace ignored).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Compare {
    Exact,
    #[default]
    Lines,
    Tokens,
    Contains,
    Regex,
    Float(f64),
    Trimmed,
}

impl fmt::Display for Compare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Compare::Exact => f.write_str("exact"),
            Compare::Lines => f.write_str("lines"),
            Compare::Tokens => f.write_str("tokens"),
            Compare::Contains => f.write_str("contains"),
            Compare::Regex => f.write_str("regex"),
            Compare::Float(tolerance) => write!(f, "float:{tolerance:e}"),
            Compare::Trimmed => f.write_str("trimmed"),
        }
    }
}

pub const DEFAULT_FLOAT_TOLERANCE: f64 = 1e-6;

impl std::str::FromStr for Compare {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> Result<Compare> {
        Ok(match text {
            "exact" => Compare::Exact,
            "lines" => Compare::Lines,
            "tokens" => Compare::Tokens,
            "contains" | "included" => Compare::Contains,
            "regex" => Compare::Regex,
            "trimmed" => Compare::Trimmed,
            "float" => Compare::Float(DEFAULT_FLOAT_TOLERANCE),
            _ => match text.strip_prefix("float:").map(str::parse::<f64>) {
                Some(Ok(tolerance)) if tolerance >= 0.0 && tolerance.is_finite() => Compare::Float(tolerance),
                Some(_) => bail!("{text:?}: the float tolerance must be a non-negative number, e.g. float:1e-6"),
                None => bail!(
                    "unknown comparison {text:?} (expected exact, lines, tokens, contains, regex or float[:TOLERANCE])"
                ),
            },
        })
    }
}

impl Compare {
    /// Whether `actual` passes against `expected` under this mode.
    pub fn matches(&self, expected: &str, actual: &str) -> Result<bool> {
        Ok(match self {
            Compare::Exact => expected == actual,
            Compare::Lines => normalized_lines(expected) == normalized_lines(actual),
            Compare::Tokens => expected.split_whitespace().eq(actual.split_whitespace()),
            Compare::Contains => actual.replace("\r\n", "\n").contains(&expected.replace("\r\n", "\n")),
            Compare::Regex => {
                let pattern = Regex::new(expected.trim_end_matches(['\n', '\r']))
                    .map_err(|e| anyhow::anyhow!("the expected output is not a valid regex: {e}"))?;
                // Like GitHub Classroom: `$` may match at the end of the last line.
                pattern.is_match(actual.replace("\r\n", "\n").trim_end_matches('\n'))
            }
            Compare::Float(tolerance) => floats_match(expected, actual, *tolerance),
            Compare::Trimmed => expected.replace("\r\n", "\n").trim() == actual.replace("\r\n", "\n").trim(),
        })
    }
}

/// Lines with CRLF as LF, trailing whitespace removed from each line, and
/// trailing blank lines dropped.
pub fn normalized_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// Token by token; tokens that both parse as numbers compare within
/// `tolerance` (absolute or relative), others must be equal.
fn floats_match(expected: &str, actual: &str, tolerance: f64) -> bool {
    let mut expected = expected.split_whitespace();
    let mut actual = actual.split_whitespace();
    loop {
        match (expected.next(), actual.next()) {
            (None, None) => return true,
            (Some(e), Some(a)) => {
                let same = match (e.parse::<f64>(), a.parse::<f64>()) {
                    (Ok(x), Ok(y)) if x.is_finite() && y.is_finite() => {
                        let diff = (x - y).abs();
                        diff <= tolerance || diff <= tolerance * x.abs().max(y.abs())
                    }
                    _ => e == a,
                };
                if !same {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(mode: &str, expected: &str, actual: &str) -> bool {
        mode.parse::<Compare>().unwrap().matches(expected, actual).unwrap()
    }

    #[test]
    fn lines_ignores_trailing_space_crlf_and_blank_lines() {
        assert!(check("lines", "a\nb\n", "a  \r\nb\n\n\n"));
        assert!(!check("lines", "a\nb\n", " a\nb\n"));
        assert!(!check("lines", "a\nb\n", "a\n\nb\n"));
    }

    #[test]
    fn exact_is_exact() {
        assert!(check("exact", "a\n", "a\n"));
        assert!(!check("exact", "a\n", "a"));
    }

    #[test]
    fn tokens_ignore_all_whitespace() {
        assert!(check("tokens", "1 2\n3", "1\n2   3\n"));
        assert!(!check("tokens", "1 2 3", "1 23"));
    }

    #[test]
    fn contains_and_regex() {
        assert!(check("contains", "Number is", "The Number is 10.\r\n"));
        assert!(check("included", "is 10", "Number is 10.\n"));
        assert!(check("regex", "Number is \\d+\\.\n", "Number is 10.\n"));
        assert!(!check("regex", "^is", "Number is 10.\n"));
        assert!(check("regex", "^Number is [0-9]+\\.$", "Number is 10.\r\n"));
        assert!("regex".parse::<Compare>().unwrap().matches("(", "x").is_err());
    }

    #[test]
    fn floats_within_tolerance() {
        assert!(check("float:1e-3", "3.1416 x", "3.14159 x"));
        assert!(!check("float:1e-6", "3.1416", "3.14159"));
        assert!(check("float", "1e9", "1000000000.0001"), "relative tolerance for large numbers");
        assert!(!check("float", "1 2", "1 2 3"));
        assert!(!check("float", "nan", "1"));
    }

    #[test]
    fn trimmed_is_classroom_exact() {
        assert!(check("trimmed", "hello\r\nworld", "\nhello\nworld\n"));
        assert!(!check("trimmed", "hello world", "hello  world"));
    }

    #[test]
    fn bad_modes_are_named() {
        assert!("fuzzy".parse::<Compare>().unwrap_err().to_string().contains("unknown comparison \"fuzzy\""));
        assert!("float:-1".parse::<Compare>().is_err());
        assert_eq!("float:0.01".parse::<Compare>().unwrap(), Compare::Float(0.01));
    }
}
