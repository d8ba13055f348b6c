//! Readable expected-vs-actual diffs for failing cases.

use similar::{ChangeTag, TextDiff};

/// At most this many diff lines are shown; the rest is counted.
const MAX_DIFF_LINES: usize = 40;
/// Longer lines are cut (a program printing one huge line stays readable).
const MAX_LINE_CHARS: usize = 200;
/// Inputs beyond this size are diffed only up to it.
const MAX_DIFF_INPUT: usize = 64 * 1024;

/// A unified diff of `expected` against `actual`. When the two differ only
/// in whitespace, spaces, tabs and line ends are drawn visibly (`·`, `→`,
/// `␍`, `⏎`), since otherwise the diff would show two identical lines.
pub fn unified(expected: &str, actual: &str) -> String {
    let whitespace_only = expected.split_whitespace().eq(actual.split_whitespace());
    let (expected, expected_cut) = head(expected);
    let (actual, actual_cut) = head(actual);
    let diff = TextDiff::from_lines(expected, actual);
    let mut lines = vec!["--- expected".to_owned(), "+++ actual".to_owned()];
    for group in diff.grouped_ops(2) {
        let (first, last) = (&group[0], &group[group.len() - 1]);
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        lines.push(format!("@@ -{},{} +{},{} @@", old.start + 1, old.len(), new.start + 1, new.len()));
        for op in &group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                };
                let text = change.value();
                let shown = if whitespace_only && change.tag() != ChangeTag::Equal {
                    visible_whitespace(text)
                } else {
                    let mut text = text.trim_end_matches(['\n', '\r']).to_owned();
                    if change.missing_newline() {
                        text.push_str("  (no newline at end)");
                    }
                    text
                };
                lines.push(format!("{sign}{}", cut(&shown)));
            }
        }
    }
    if lines.len() == 2 {
        lines.push("(the outputs are equal as text; the difference is in the comparison mode)".to_owned());
    }
    if lines.len() > MAX_DIFF_LINES {
        let hidden = lines.len() - MAX_DIFF_LINES;
        lines.truncate(MAX_DIFF_LINES);
        lines.push(format!("... {hidden} more diff lines"));
    }
    if expected_cut || actual_cut {
        lines.push(format!(
            "... (only the first {} KiB of each output were compared line by line)",
            MAX_DIFF_INPUT / 1024
        ));
    }
    lines.join("\n")
}

fn head(text: &str) -> (&str, bool) {
    if text.len() <= MAX_DIFF_INPUT {
        return (text, false);
    }
    let mut end = MAX_DIFF_INPUT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

fn cut(line: &str) -> String {
    match line.char_indices().nth(MAX_LINE_CHARS) {
        Some((at, _)) => format!("{}... ({} more chars)", &line[..at], line[at..].chars().count()),
        None => line.to_owned(),
    }
}

fn visible_whitespace(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 4);
    for c in line.chars() {
        match c {
            ' ' => out.push('·'),
            '\t' => out.push('→'),
            '\r' => out.push('␍'),
            '\n' => out.push('⏎'),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_changed_lines() {
        let diff = unified("a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(diff, "--- expected\n+++ actual\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c");
    }

    #[test]
    fn whitespace_only_differences_are_visible() {
        let diff = unified("Number is 10.\n", "Number is 10. \n");
        assert!(diff.contains("-Number·is·10.⏎"), "{diff}");
        assert!(diff.contains("+Number·is·10.·⏎"), "{diff}");
    }

    #[test]
    fn missing_final_newline_is_said() {
        let diff = unified("x\ny\n", "x\nz");
        assert!(diff.contains("+z  (no newline at end)"), "{diff}");
    }

    #[test]
    fn huge_outputs_are_truncated() {
        let expected: String = (0..10_000).map(|i| format!("{i}\n")).collect();
        let actual: String = (0..10_000).map(|i| format!("{}\n", i * 2 + 1)).collect();
        let diff = unified(&expected, &actual);
        assert!(diff.lines().count() <= MAX_DIFF_LINES + 2);
        assert!(diff.contains("more diff lines"));
        let long = "x".repeat(1000);
        assert!(unified("a\n", &format!("{long}\n")).contains("... (800 more chars)"));
    }
}
