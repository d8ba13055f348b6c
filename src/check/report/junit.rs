//! JUnit XML for CI test reporters: one `<testsuite>` per project,
//! `<testcase classname="MAIN CLASS" name="CASE">`, failures with the diff.

use std::fmt::Write;
use std::time::Duration;

use crate::check::verdict::{CaseResult, Verdict};

/// Program output kept in `<system-out>`/`<system-err>`, per case.
const MAX_CAPTURE: usize = 64 * 1024;

pub fn render(results: &[CaseResult]) -> String {
    let mut projects: Vec<&str> = Vec::new();
    for result in results {
        if !projects.contains(&result.project.as_str()) {
            projects.push(&result.project);
        }
    }
    let total_time: Duration = results.iter().map(|r| r.time).sum();
    let failures = results.iter().filter(|r| is_failure(r.verdict)).count();
    let errors = results.iter().filter(|r| is_error(r.verdict)).count();
    let skipped = results.iter().filter(|r| r.verdict == Verdict::Skipped).count();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"jbuild check\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{:.3}\">",
        results.len(),
        total_time.as_secs_f64()
    );
    for project in projects {
        let cases: Vec<&CaseResult> = results.iter().filter(|r| r.project == project).collect();
        let time: Duration = cases.iter().map(|r| r.time).sum();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
            escape(project),
            cases.len(),
            cases.iter().filter(|r| is_failure(r.verdict)).count(),
            cases.iter().filter(|r| is_error(r.verdict)).count(),
            cases.iter().filter(|r| r.verdict == Verdict::Skipped).count(),
            time.as_secs_f64()
        );
        for case in cases {
            let _ = write!(
                xml,
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\" file=\"{}\"",
                escape(&case.suite),
                escape(&case.name),
                case.time.as_secs_f64(),
                escape(&case.file)
            );
            let quiet = case.stdout.is_empty() && case.stderr.is_empty();
            if case.verdict.passed() && quiet {
                xml.push_str("/>\n");
                continue;
            }
            xml.push_str(">\n");
            if case.verdict == Verdict::Skipped {
                let _ = writeln!(xml, "      <skipped message=\"{}\"/>", escape(&case.message));
            } else if !case.verdict.passed() {
                let element = if is_error(case.verdict) { "error" } else { "failure" };
                let message = format!("{}: {}", case.verdict.describe(), case.message);
                let _ = writeln!(
                    xml,
                    "      <{element} message=\"{}\" type=\"{}\">{}</{element}>",
                    escape(&message),
                    escape(
                        &serde_json::to_value(case.verdict)
                            .map(|v| v.as_str().unwrap_or("").to_owned())
                            .unwrap_or_default()
                    ),
                    escape(&format!("{message}\n{}", case.details))
                );
            }
            for (element, text) in [("system-out", &case.stdout), ("system-err", &case.stderr)] {
                if !text.is_empty() {
                    let _ = writeln!(xml, "      <{element}>{}</{element}>", escape(cap(text)));
                }
            }
            xml.push_str("    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

/// Crashes and compile errors are JUnit errors; wrong answers and limits are failures.
fn is_error(verdict: Verdict) -> bool {
    matches!(verdict, Verdict::RuntimeError | Verdict::CompileError)
}

fn is_failure(verdict: Verdict) -> bool {
    verdict.failed() && !is_error(verdict)
}

fn cap(text: &str) -> &str {
    if text.len() <= MAX_CAPTURE {
        return text;
    }
    let mut end = MAX_CAPTURE;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// XML-escapes text, dropping characters XML 1.0 cannot hold at all.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(escape("a<b>&\"c\"\u{1b}[0m"), "a&lt;b&gt;&amp;&quot;c&quot;\u{FFFD}[0m");
    }
}
