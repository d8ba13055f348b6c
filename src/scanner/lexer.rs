//! A lexer over Java's tokens, just deep enough to find declarations.
//!
//! It follows the Java Language Specification's order: unicode escapes are
//! translated first (JLS 3.3), so `\u000a` really does end a `//` comment, then
//! comments, strings, text blocks and char literals are skipped as whole
//! tokens so nothing inside them is mistaken for code.

use std::borrow::Cow;

/// One token of Java source. Only string literals keep their text (test
/// annotations such as `@Tag("points=2")` need it); other literals do not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Ident(String),
    /// A separator or operator character: `.`, `;`, `{`, `(`, `@`, `<`, ...
    Punct(char),
    /// `...`, which marks a varargs parameter.
    Ellipsis,
    /// A `"string"` literal's value, its escapes decoded.
    Str(String),
    /// A text block, char or number literal.
    Literal,
}

/// Translates `\uXXXX` escapes (any number of `u`s) that are preceded by an
/// even number of backslashes, and drops a leading UTF-8 byte order mark.
pub fn translate_unicode_escapes(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains("\\u") {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    // Count of contiguous raw backslashes just before `i`; an escape only
    // starts at a backslash that is not itself escaped.
    let mut backslashes = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && backslashes.is_multiple_of(2) && chars.get(i + 1) == Some(&'u') {
            let mut j = i + 1;
            while chars.get(j) == Some(&'u') {
                j += 1;
            }
            let hex: String = chars.iter().skip(j).take(4).collect();
            if hex.len() == 4
                && hex.chars().all(|c| c.is_ascii_hexdigit())
                && let Ok(code) = u32::from_str_radix(&hex, 16)
            {
                // Surrogate pairs arrive as two escapes; join them when we can.
                let mut decoded = char::from_u32(code);
                let mut end = j + 4;
                if decoded.is_none() && (0xD800..0xDC00).contains(&code) {
                    let low: String = chars.iter().skip(end).take(6).collect();
                    if let Some(hex) = low.strip_prefix("\\u")
                        && hex.len() == 4
                        && hex.chars().all(|c| c.is_ascii_hexdigit())
                        && let Ok(low) = u32::from_str_radix(hex, 16)
                        && (0xDC00..0xE000).contains(&low)
                    {
                        decoded = char::from_u32(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00));
                        end += 6;
                    }
                }
                out.push(decoded.unwrap_or('\u{fffd}'));
                i = end;
                backslashes = 0;
                continue;
            }
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        out.push(c);
        i += 1;
    }
    Cow::Owned(out)
}

/// Splits translated source into tokens, skipping whitespace and comments.
/// An unterminated comment or literal simply ends the token stream: javac
/// will report it properly, the scanner only needs to not crash.
pub fn tokenize(source: &str) -> Vec<Token> {
    Lexer::new(source).collect()
}

/// The tokens of translated source, one at a time, so a reader that needs
/// only the head of a file (its package line) stops lexing there.
pub struct Lexer {
    chars: Vec<char>,
    i: usize,
}

impl Lexer {
    pub fn new(source: &str) -> Lexer {
        Lexer { chars: source.chars().collect(), i: 0 }
    }

    fn at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or('\0')
    }
}

impl Iterator for Lexer {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let chars = &self.chars;
        let mut i = self.i;
        let token = loop {
            let Some(&c) = chars.get(i) else {
                self.i = i;
                return None;
            };
            if c == ' ' || c == '\n' || c.is_whitespace() {
                i += 1;
            } else if c == '/' && self.at(i + 1) == '/' {
                while i < chars.len() && chars[i] != '\n' && chars[i] != '\r' {
                    i += 1;
                }
            } else if c == '/' && self.at(i + 1) == '*' {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && self.at(i + 1) == '/') {
                    i += 1;
                }
                i += 2;
            } else if c == '"' && self.at(i + 1) == '"' && self.at(i + 2) == '"' {
                i = skip_text_block(chars, i + 3);
                break Token::Literal;
            } else if c == '"' {
                let (body_end, next) = string_body(chars, i + 1);
                let value = string_value(&chars[i + 1..body_end]);
                i = next;
                break Token::Str(value);
            } else if c == '\'' {
                i = skip_quoted(chars, i + 1, c);
                break Token::Literal;
            } else if c.is_ascii_digit() || (c == '.' && self.at(i + 1).is_ascii_digit()) {
                i = skip_number(chars, i);
                break Token::Literal;
            } else if is_identifier_start(c) {
                let start = i;
                while i < chars.len() && is_identifier_part(chars[i]) {
                    i += 1;
                }
                // javac leaves ignorable characters out of the name.
                let name = chars[start..i].iter().filter(|&&c| !is_identifier_ignorable(c)).collect();
                break Token::Ident(name);
            } else if c == '.' && self.at(i + 1) == '.' && self.at(i + 2) == '.' {
                i += 3;
                break Token::Ellipsis;
            } else {
                i += 1;
                break Token::Punct(c);
            }
        };
        self.i = i;
        Some(token)
    }
}

/// Java's operators, separators and whitespace are all ASCII, so outside
/// comments and literals any other character of valid source belongs to an
/// identifier: letters, but also currency symbols (`€`), connecting
/// punctuation (`‿`) and combining marks. Unicode whitespace is still taken
/// as whitespace, to be lenient with invalid source.
fn is_identifier_start(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic() || c == '_' || c == '$'
    } else {
        !c.is_whitespace() && !is_identifier_ignorable(c)
    }
}

fn is_identifier_part(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_' || c == '$' || (c.is_ascii_control() && is_identifier_ignorable(c))
    } else {
        !c.is_whitespace() || is_identifier_ignorable(c)
    }
}

/// `Character.isIdentifierIgnorable`: C0/C1 controls that are not
/// whitespace, and format characters (Unicode category Cf) such as the soft
/// hyphen and zero-width joiner.
fn is_identifier_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{e}'..='\u{1b}'
            | '\u{7f}'..='\u{9f}'
            | '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// Skips a string or char literal body; returns the index after the closing quote.
fn skip_quoted(chars: &[char], mut i: usize, quote: char) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '\n' => return i, // unterminated: stop at the line end
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// Where a string literal's body that starts at `start` ends, and where the
/// next token starts: after the closing quote, or at the line end or input
/// end that cut the literal short.
fn string_body(chars: &[char], start: usize) -> (usize, usize) {
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '\n' => return (i, i),
            '"' => return (i, i + 1),
            _ => i += 1,
        }
    }
    (chars.len(), chars.len())
}

/// The value of a string literal's body (between the quotes): escapes
/// decoded as far as a declaration reader needs (octal escapes are kept as
/// written, which no annotation value of interest uses).
fn string_value(body: &[char]) -> String {
    let mut value = String::with_capacity(body.len());
    let mut chars = body.iter();
    while let Some(&c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => value.push('\n'),
            Some('t') => value.push('\t'),
            Some('r') => value.push('\r'),
            Some('b') => value.push('\u{8}'),
            Some('f') => value.push('\u{c}'),
            Some('s') => value.push(' '),
            Some(&other) => value.push(other),
            None => {}
        }
    }
    value
}

/// Skips a text block body (after the opening `"""`).
fn skip_text_block(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() {
        if chars[i] == '\\' {
            i += 2;
        } else if chars[i] == '"' && chars.get(i + 1) == Some(&'"') && chars.get(i + 2) == Some(&'"') {
            return i + 3;
        } else {
            i += 1;
        }
    }
    i
}

/// Skips a numeric literal such as `0x1F`, `1_000L`, `3.5e-10f` or `.5`.
/// An exponent's sign belongs to the literal after `e`/`E` in a decimal
/// literal and after `p`/`P` in a hexadecimal one (where `E` is a digit, so
/// `0x1E+2` is a sum).
fn skip_number(chars: &[char], start: usize) -> usize {
    let is_hex = chars[start] == '0' && matches!(chars.get(start + 1), Some('x' | 'X'));
    let mut i = start;
    while i < chars.len() {
        let c = chars[i];
        let exponent_sign = (c == '+' || c == '-')
            && i > start
            && if is_hex { matches!(chars[i - 1], 'p' | 'P') } else { matches!(chars[i - 1], 'e' | 'E') };
        let decimal_point = c == '.' && chars.get(i + 1) != Some(&'.');
        if c.is_ascii_alphanumeric() || c == '_' || exponent_sign || decimal_point {
            i += 1;
        } else {
            break;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idents(source: &str) -> Vec<String> {
        tokenize(&translate_unicode_escapes(source))
            .into_iter()
            .filter_map(|t| match t {
                Token::Ident(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn unicode_escape_becomes_character() {
        assert_eq!(translate_unicode_escapes("\\u0041b"), "Ab");
        assert_eq!(translate_unicode_escapes("\\uuu0041"), "A");
    }

    #[test]
    fn escaped_backslash_is_not_an_escape() {
        assert_eq!(translate_unicode_escapes("\\\\u0041"), "\\\\u0041");
        assert_eq!(translate_unicode_escapes("\\\\\\u0041"), "\\\\A");
    }

    #[test]
    fn surrogate_pair_escapes_join() {
        assert_eq!(translate_unicode_escapes("\\uD83D\\uDE00"), "😀");
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        assert_eq!(idents("\u{feff}package a;"), ["package", "a"]);
    }

    #[test]
    fn comments_hide_code() {
        assert_eq!(idents("// class A\n/* class B */ /** class C */ x"), ["x"]);
    }

    #[test]
    fn escaped_newline_ends_line_comment() {
        assert_eq!(idents("// hidden \\u000a visible"), ["visible"]);
    }

    #[test]
    fn strings_and_chars_hide_code() {
        assert_eq!(idents(r#"a "class \" B" '"' '\'' c"#), ["a", "c"]);
    }

    #[test]
    fn string_literals_keep_their_value() {
        let strings: Vec<Token> = tokenize(r#"@Tag("points=2") f("a\"b\\c\n", "", 'x', "unterminated"#)
            .into_iter()
            .filter(|t| matches!(t, Token::Str(_)))
            .collect();
        assert_eq!(
            strings,
            [
                Token::Str("points=2".into()),
                Token::Str("a\"b\\c\n".into()),
                Token::Str(String::new()),
                Token::Str("unterminated".into())
            ]
        );
    }

    #[test]
    fn text_block_hides_code() {
        assert_eq!(idents("a \"\"\"\n class X { \\\"\"\" \"\" \n\"\"\" b"), ["a", "b"]);
    }

    #[test]
    fn numbers_are_literals() {
        let tokens = tokenize("0x1E+2 1_000L 3.5e-10f .5 a");
        assert_eq!(tokens.iter().filter(|t| **t == Token::Literal).count(), 5);
        assert_eq!(tokens.last(), Some(&Token::Ident("a".into())));
    }

    #[test]
    fn ellipsis_is_one_token() {
        assert_eq!(tokenize("String...a")[1], Token::Ellipsis);
    }

    #[test]
    fn non_ascii_identifiers() {
        assert_eq!(idents("class Über_数 {}"), ["class", "Über_数"]);
    }

    #[test]
    fn java_identifier_characters_beyond_letters() {
        // Currency symbols, connecting punctuation and combining marks are
        // identifier characters in Java.
        assert_eq!(idents("class Prix€ £x A‿B Cafe\u{301} x٣"), ["class", "Prix€", "£x", "A‿B", "Cafe\u{301}", "x٣"]);
    }

    #[test]
    fn ignorable_characters_are_dropped_from_identifiers() {
        // javac leaves them out of the name: `Ma\u00adin` declares `Main`.
        assert_eq!(idents("Ma\u{ad}in Zw\u{200d}j Ct\u{1}l \\u0041\\u00ad\\u0042"), ["Main", "Zwj", "Ctl", "AB"]);
    }

    #[test]
    fn malformed_unicode_escape_is_left_alone() {
        assert_eq!(translate_unicode_escapes("\\u+041 \\u-7ff \\u12"), "\\u+041 \\u-7ff \\u12");
    }

    #[test]
    fn unterminated_comment_does_not_panic() {
        assert_eq!(idents("a /* never closed"), ["a"]);
        assert_eq!(idents("a \"never closed"), ["a"]);
    }
}
