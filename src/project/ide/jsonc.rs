//! JSON with comments and trailing commas, as VS Code reads its settings:
//! the comments and the trailing commas are removed (outside strings) and
//! the rest is read by serde_json, so every other mistake is still one.

/// Parses JSONC text.
pub fn parse(text: &str) -> serde_json::Result<serde_json::Value> {
    serde_json::from_str(&strip(text))
}

/// `text` without `//` and `/* */` comments and without commas that only
/// precede a `}` or `]`. Removed characters become spaces (newlines stay),
/// so serde_json's line and column numbers still point into the file.
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.strip_prefix('\u{feff}').unwrap_or(text).chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    // Where in `out` the last comma outside a string is, while only
    // whitespace and comments have followed it.
    let mut pending_comma: Option<usize> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '"' {
            pending_comma = None;
            out.push(c);
            i += 1;
            while i < chars.len() {
                out.push(chars[i]);
                match chars[i] {
                    '\\' if i + 1 < chars.len() => {
                        out.push(chars[i + 1]);
                        i += 2;
                    }
                    '"' => {
                        i += 1;
                        break;
                    }
                    _ => i += 1,
                }
            }
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            out.extend([' ', ' ']);
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                out.push(if chars[i] == '\n' { '\n' } else { ' ' });
                i += 1;
            }
            out.extend([' ', ' ']);
            i += 2;
        } else {
            if (c == '}' || c == ']')
                && let Some(comma) = pending_comma.take()
            {
                out[comma] = ' ';
            }
            if c == ',' {
                // A comma after a value may trail; `{,}` and `[1,,]` stay mistakes.
                let after_value = out.iter().rev().find(|c| !c.is_whitespace()).is_some_and(|c| !"{[,".contains(*c));
                pending_comma = after_value.then_some(out.len());
            } else if !c.is_whitespace() {
                pending_comma = None;
            }
            out.push(c);
            i += 1;
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_as_vs_code_allows() {
        let text =
            "// settings\n{\n  \"a\": [\"lib/**/*.jar\", /* x */ \"b//c\",],\n  \"s\": \"/* not a comment */\",\n}\n";
        let value = parse(text).unwrap();
        assert_eq!(value["a"], serde_json::json!(["lib/**/*.jar", "b//c"]));
        assert_eq!(value["s"], "/* not a comment */");
        assert_eq!(parse("{\"q\": \"a\\\"b,}\", }").unwrap()["q"], "a\"b,}");
    }

    #[test]
    fn other_mistakes_stay_mistakes() {
        let error = parse("{\n  \"a\": 1\n  \"b\": 2\n}").unwrap_err();
        assert_eq!(error.line(), 3);
        assert!(parse("{,}").is_err());
        assert!(parse("[1,,]").is_err());
        assert!(parse("{\"a\": /* unterminated").is_err());
    }
}
