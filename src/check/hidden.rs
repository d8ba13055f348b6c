//! Hidden cases: `hidden = ["glob", ...]` in `jbuild.toml`, or `hidden =
//! true` in a `[[check]]`. Their input, expected output and diff are never
//! shown: a hidden case's result is stripped to its name, verdict, time and
//! points as soon as it is judged, before any report (text, JSON, JUnit,
//! GitHub annotations, step summary, gradebook, Gradescope) sees it.
//! `--show-hidden` keeps everything, for the teacher's own runs.
//!
//! Patterns are globs over case names (`class/case`, e.g.
//! `sample01.Main/secret-*`); a pattern without `/` also matches the case
//! part alone (`secret-*`).

use std::path::Path;

use anyhow::Result;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::cases::Case;
use super::verdict::CaseResult;
use crate::error::usage;

/// What a failing hidden case says instead of its details.
pub const HIDDEN_NOTE: &str = "hidden case: its input, expected output and output are not shown";

/// Globs over case names.
#[derive(Debug, Clone)]
pub struct CaseGlobs {
    full: GlobSet,
    /// The patterns without `/`, matched against the case part too.
    short: GlobSet,
}

impl CaseGlobs {
    /// The error names the pattern at fault.
    pub fn new(patterns: &[String]) -> std::result::Result<CaseGlobs, String> {
        let (mut full, mut short) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        for pattern in patterns {
            let glob = GlobBuilder::new(pattern)
                .literal_separator(false)
                .build()
                .map_err(|e| format!("{pattern:?} is not a glob: {}", e.kind()))?;
            if !pattern.contains('/') {
                short.add(glob.clone());
            }
            full.add(glob);
        }
        let built = |builder: GlobSetBuilder| builder.build().map_err(|e| e.to_string());
        Ok(CaseGlobs { full: built(full)?, short: built(short)? })
    }

    pub fn matches(&self, name: &str) -> bool {
        self.full.is_match(name) || name.rsplit_once('/').is_some_and(|(_, case)| self.short.is_match(case))
    }
}

/// Marks the cases the `hidden` setting names.
pub fn mark(patterns: &[String], cases: &mut [Case], file: &Path) -> Result<()> {
    if patterns.is_empty() {
        return Ok(());
    }
    let globs = CaseGlobs::new(patterns).map_err(|why| usage(format!("{}: `hidden`: {why}", file.display())))?;
    for case in cases.iter_mut().filter(|c| globs.matches(&c.name)) {
        case.hidden = true;
    }
    Ok(())
}

/// Strips a hidden case's result to its name, verdict, time and points.
pub fn redact(result: &mut CaseResult) {
    result.message = if result.verdict.passed() { String::new() } else { HIDDEN_NOTE.to_owned() };
    result.details.clear();
    result.stdout.clear();
    result.stderr.clear();
}

#[cfg(test)]
mod tests {
    use super::CaseGlobs;

    #[test]
    fn globs_match_full_names_and_case_parts() {
        let globs = CaseGlobs::new(&["sample01.Main/secret-*".into(), "big*".into()]).unwrap();
        assert!(globs.matches("sample01.Main/secret-1"));
        assert!(!globs.matches("other.Main/secret-1"));
        assert!(globs.matches("x.Y/big-input"));
        assert!(globs.matches("big one"));
        assert!(!globs.matches("x.Y/small"));
        assert!(CaseGlobs::new(&["a[".into()]).unwrap_err().contains("\"a[\" is not a glob"));
    }
}
