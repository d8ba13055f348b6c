//! GitHub Actions output: `::error` annotations (escaped, deduplicated,
//! sorted, capped) and the Markdown step summary.

use std::collections::BTreeSet;

use crate::check::groups::GroupScore;
use crate::check::summary::{number, points_line};
use crate::check::verdict::{CaseResult, Verdict};

/// GitHub shows at most 10 error annotations per step; keep one slot for
/// "and N more".
const MAX_ERRORS: usize = 10;

/// A token for `::stop-commands::`, so program output cannot issue
/// workflow commands: 128 bits from the OS random source, unpredictable to
/// the program being checked.
pub fn stop_token() -> String {
    format!("jbuild-{}", crate::toolchain::frame::nonce())
}

/// Escapes a workflow command's message.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=..,line=..,col=..,title=..::message` lines for javac errors
/// and failing cases.
pub fn annotations(results: &[CaseResult]) -> Vec<String> {
    // javac names files by absolute path in a shared worker; GitHub wants
    // them relative to the workspace, where jbuild runs.
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut set = BTreeSet::new();
    // A project that does not compile fails every case the same way: one
    // annotation per project (the first case that says why), not one per case.
    let mut not_compiled: BTreeSet<&str> = BTreeSet::new();
    for result in results.iter().filter(|r| r.verdict.failed()) {
        if result.verdict == Verdict::CompileError {
            for (file, line, col, message) in javac_errors(&result.details) {
                let file = crate::term::relative(&cwd, std::path::Path::new(&file));
                set.insert((file, line, col, "javac error".to_owned(), message));
            }
            if !result.details.contains(": error:") && !result.hidden && not_compiled.insert(&result.project) {
                let title = if result.project.is_empty() {
                    "compile error".to_owned()
                } else {
                    format!("{} (compile error)", result.project)
                };
                set.insert((result.file.clone(), 0, 0, title, result.message.clone()));
            }
            continue;
        }
        // A hidden case's annotation could say nothing but that it failed,
        // which the summary says already.
        if result.hidden {
            continue;
        }
        let title = format!("{}: {}", result.name, result.verdict.describe());
        let mut message = result.message.clone();
        if !result.details.is_empty() {
            message.push('\n');
            message.push_str(&result.details);
        }
        set.insert((result.file.clone(), result.line.unwrap_or(0), 0, title, message));
    }
    let total = set.len();
    let mut lines: Vec<String> = set
        .into_iter()
        .take(if total > MAX_ERRORS { MAX_ERRORS - 1 } else { MAX_ERRORS })
        .map(|(file, line, col, title, message)| {
            let mut properties = format!("file={}", escape_property(&file));
            if line > 0 {
                properties.push_str(&format!(",line={line}"));
            }
            if col > 0 {
                properties.push_str(&format!(",col={col}"));
            }
            properties.push_str(&format!(",title={}", escape_property(&title)));
            format!("::error {properties}::{}", escape_data(&message))
        })
        .collect();
    if total > MAX_ERRORS {
        lines.push(format!("::error title=jbuild check::{} more failures; see the log", total - (MAX_ERRORS - 1)));
    }
    lines
}

/// `(file, line, column, message)` of each `file:line: error: message` in
/// javac's output; the column comes from the caret line javac prints.
pub fn javac_errors(diagnostics: &str) -> Vec<(String, usize, usize, String)> {
    let lines: Vec<&str> = diagnostics.lines().collect();
    let mut errors = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((location, message)) = line.split_once(": error: ") else { continue };
        let Some((file, number)) = location.rsplit_once(':') else { continue };
        let Ok(number) = number.parse::<usize>() else { continue };
        // javac prints the source line, then a caret under the column.
        let col = lines
            .get(i + 2)
            .filter(|l| l.trim() == "^")
            .map_or(0, |caret| caret.chars().take_while(|c| *c == ' ').count() + 1);
        errors.push((file.to_owned(), number, col, message.to_owned()));
    }
    errors
}

/// The Markdown table appended to `$GITHUB_STEP_SUMMARY`.
pub fn summary(results: &[CaseResult], points: Option<(f64, f64)>) -> String {
    let passed = results.iter().filter(|r| r.verdict.passed()).count();
    let failed = results.iter().filter(|r| r.verdict.failed()).count();
    let skipped = results.len() - passed - failed;
    let mut text = format!("### jbuild check: {passed} passed, {failed} failed");
    if skipped > 0 {
        text.push_str(&format!(", {skipped} skipped"));
    }
    text.push_str("\n\n");
    if let Some((earned, possible)) = points {
        text.push_str(&format!("**{}**\n\n", points_line(earned, possible)));
    }
    text.push_str("| | Project | Case | Verdict | Time |\n|---|---|---|---|---:|\n");
    for result in results {
        let icon = match result.verdict {
            Verdict::Pass => "✅",
            Verdict::Skipped => "⏭️",
            _ => "❌",
        };
        text.push_str(&format!(
            "| {icon} | {} | {} | {} | {:.2}s |\n",
            cell(&result.project),
            cell(&result.name),
            result.verdict.describe(),
            result.time.as_secs_f64()
        ));
    }
    text.push('\n');
    text
}

/// The groups' table appended to the step summary (nothing without groups).
pub fn group_summary(groups: &[GroupScore]) -> String {
    if groups.is_empty() {
        return String::new();
    }
    let mut text = String::from("| | Project | Group | Points | Cases passed |\n|---|---|---|---:|---:|\n");
    for group in groups {
        let icon = if group.passed == group.cases.len() { "✅" } else { "❌" };
        text.push_str(&format!(
            "| {icon} | {} | {} | {} / {} | {} / {} |\n",
            cell(&group.project),
            cell(&group.name),
            number(group.earned),
            number(group.points),
            group.passed,
            group.cases.len()
        ));
    }
    text.push('\n');
    text
}

fn cell(text: &str) -> String {
    // Markdown's table pipes and code spans, and HTML: a case or project
    // name may hold `<h1>` or `<img>`, which the summary would render.
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('`', "'")
        .replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(cell("a|b <img src=x> & `c`\nd"), "a\\|b &lt;img src=x&gt; &amp; 'c' d");
    }

    #[test]
    fn one_annotation_per_project_that_does_not_compile_and_none_for_hidden_cases() {
        let failed = |project: &str, name: &str, verdict: Verdict, hidden: bool| {
            let mut result =
                CaseResult::new(project, "ex.Main", name, format!("{project}/tests/{name}.out"), None, None);
            result.verdict = verdict;
            result.message = "src/ex/Main.java: declares `package x;`, but its folder means `package ex;`".to_owned();
            result.hidden = hidden;
            result
        };
        let results = [
            failed("dave", "a", Verdict::CompileError, false),
            failed("dave", "b", Verdict::CompileError, false),
            failed("dave", "secret", Verdict::CompileError, true),
            failed("ken", "c", Verdict::WrongOutput, false),
            failed("ken", "secret", Verdict::WrongOutput, true),
        ];
        let lines = annotations(&results);
        assert_eq!(lines.len(), 2, "{lines:#?}");
        assert!(lines[0].contains("title=dave (compile error)"), "{lines:#?}");
        assert!(lines[1].contains("title=c%3A "), "{lines:#?}");
    }

    #[test]
    fn javac_error_locations() {
        let diagnostics = "src/a/B.java:4: error: ';' expected\n    int x = 1\n             ^\n1 error\n";
        assert_eq!(javac_errors(diagnostics), [("src/a/B.java".to_owned(), 4, 14, "';' expected".to_owned())]);
    }
}
