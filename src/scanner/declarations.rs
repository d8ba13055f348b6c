//! Reads a Java file's token stream for what a build tool needs: the package,
//! the top-level types, and which of them can be launched.

use super::lexer::{Token, tokenize, translate_unicode_escapes};

/// How a type's `main` method may be launched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MainKind {
    /// `public static void main(String[] args)`: every JDK can launch it.
    Classic,
    /// `void main()`, `static void main()`, a non-public `main(String[])`, or
    /// a compact source file: launchable from JDK 25 (JEP 512).
    Instance,
}

impl MainKind {
    /// The oldest JDK feature release whose launcher accepts this main.
    pub fn minimum_jdk(self) -> u32 {
        match self {
            MainKind::Classic => 1,
            MainKind::Instance => 25,
        }
    }

    /// How `jbuild list` shows it.
    pub fn describe(self) -> &'static str {
        match self {
            MainKind::Classic => "main",
            MainKind::Instance => "main (JDK 25+)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDecl {
    pub name: String,
    pub main: Option<MainKind>,
}

/// What one source file declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declarations {
    /// The declared package, `None` for the unnamed package.
    pub package: Option<String>,
    /// Top-level types, in source order.
    pub types: Vec<TypeDecl>,
    /// A compact source file (JEP 512): top-level methods or fields outside
    /// any class. Its implicit class is named after the file.
    pub compact_main: Option<MainKind>,
    pub is_compact: bool,
}

/// Parses the declarations of one Java source text.
pub fn parse(text: &str) -> Declarations {
    let tokens = tokenize(&translate_unicode_escapes(text));
    Parser { tokens: &tokens, pos: 0 }.file()
}

struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
}

impl<'t> Parser<'t> {
    fn peek(&self, offset: usize) -> Option<&'t Token> {
        self.tokens.get(self.pos + offset)
    }

    fn is_punct(&self, offset: usize, c: char) -> bool {
        self.peek(offset) == Some(&Token::Punct(c))
    }

    fn ident(&self, offset: usize) -> Option<&'t str> {
        match self.peek(offset) {
            Some(Token::Ident(s)) => Some(s),
            _ => None,
        }
    }

    fn file(mut self) -> Declarations {
        let mut decls = Declarations::default();
        self.skip_annotations();
        if self.ident(0) == Some("package") {
            self.pos += 1;
            decls.package = Some(self.qualified_name());
        }
        // Everything at the top level: imports, types, or (in a compact
        // source file) methods and fields.
        let mut member_start = self.pos;
        while self.pos < self.tokens.len() {
            match self.peek(0) {
                Some(Token::Punct(';')) => {
                    let first = self.tokens.get(member_start);
                    let is_import = matches!(first, Some(Token::Ident(s)) if s == "import");
                    if self.pos > member_start && !is_import {
                        decls.is_compact = true; // a top-level field
                    }
                    self.pos += 1;
                    member_start = self.pos;
                }
                Some(Token::Punct('@')) if self.ident(1) != Some("interface") => {
                    self.skip_annotations();
                }
                Some(Token::Punct('(')) => self.skip_balanced('(', ')'),
                Some(Token::Ident(word)) if is_type_keyword(word) && self.starts_type_declaration() => {
                    self.pos += 1;
                    if let Some(name) = self.ident(0).map(str::to_owned) {
                        let main = self.type_body();
                        decls.types.push(TypeDecl { name, main });
                    }
                    member_start = self.pos;
                }
                Some(Token::Punct('{')) => {
                    // A body with no type declaration before it: a top-level
                    // method of a compact source file.
                    decls.is_compact = true;
                    if let Some(kind) = main_signature(&self.tokens[member_start..self.pos], false) {
                        decls.compact_main = decls.compact_main.max(Some(kind));
                    }
                    self.skip_balanced('{', '}');
                    member_start = self.pos;
                }
                _ => self.pos += 1,
            }
        }
        if decls.is_compact {
            // A compact file's implicit class is only launchable when it has
            // a main; its classic-looking main still needs JDK 25.
            decls.compact_main = decls.compact_main.map(|_| MainKind::Instance);
        }
        decls
    }

    /// Whether the type keyword at `pos` begins a declaration rather than,
    /// say, `Foo.class` or a variable named `record`.
    fn starts_type_declaration(&self) -> bool {
        if self.pos > 0 && self.tokens[self.pos - 1] == Token::Punct('.') {
            return false;
        }
        let Some(name) = self.ident(1) else { return false };
        if is_keyword(name) {
            return false;
        }
        match self.ident(0) {
            Some("record") => self.is_punct(2, '(') || self.is_punct(2, '<'),
            Some("enum") => self.is_punct(2, '{') || self.ident(2) == Some("implements"),
            _ => true,
        }
    }

    /// Skips any number of annotations: `@A`, `@a.b.C`, `@A(...)`.
    fn skip_annotations(&mut self) {
        while self.is_punct(0, '@') && self.ident(1) != Some("interface") {
            self.pos += 1;
            self.qualified_name();
            if self.is_punct(0, '(') {
                self.skip_balanced('(', ')');
            }
        }
    }

    /// Reads `a.b.c` and stops after it (and after a `;` that ends it).
    fn qualified_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(part) = self.ident(0) {
            name.push_str(part);
            self.pos += 1;
            if self.is_punct(0, '.') && self.ident(1).is_some() {
                name.push('.');
                self.pos += 1;
            } else {
                break;
            }
        }
        if self.is_punct(0, ';') {
            self.pos += 1;
        }
        name
    }

    /// Skips from an opening delimiter at `pos` to just past its match.
    fn skip_balanced(&mut self, open: char, close: char) {
        let mut depth = 0usize;
        while let Some(token) = self.peek(0) {
            self.pos += 1;
            if *token == Token::Punct(open) {
                depth += 1;
            } else if *token == Token::Punct(close) {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return;
                }
            }
        }
    }

    /// With `pos` at a type's name: skips the header and the body, returning
    /// the best main method found among the body's direct members.
    fn type_body(&mut self) -> Option<MainKind> {
        let is_interface = self.pos >= 1 && self.tokens[self.pos - 1] == Token::Ident("interface".into());
        while self.pos < self.tokens.len() && !self.is_punct(0, '{') {
            if self.is_punct(0, '(') {
                self.skip_balanced('(', ')'); // a record header
            } else {
                self.pos += 1;
            }
        }
        self.pos += 1; // the body's `{`
        let mut best = None;
        let mut member_start = self.pos;
        while let Some(token) = self.peek(0) {
            match token {
                Token::Punct('}') => {
                    self.pos += 1;
                    return best;
                }
                Token::Punct(';') | Token::Punct(',') => {
                    self.pos += 1;
                    member_start = self.pos;
                }
                Token::Punct('(') => self.skip_balanced('(', ')'),
                Token::Punct('@') if self.ident(1) != Some("interface") => self.skip_annotations(),
                Token::Punct('{') => {
                    let member = &self.tokens[member_start..self.pos];
                    best = best.max(main_signature(member, is_interface));
                    self.skip_balanced('{', '}');
                    member_start = self.pos;
                }
                _ => self.pos += 1,
            }
        }
        best
    }
}

/// Recognises `[modifiers] void main(params) [throws ...]` in the tokens of a
/// member declaration that ends just before its body's `{`.
fn main_signature(member: &[Token], in_interface: bool) -> Option<MainKind> {
    let member = &strip_annotations(member)[..];
    let open = member.iter().position(|t| *t == Token::Punct('('))?;
    if open < 2 || member[open - 1] != Token::Ident("main".into()) || member[open - 2] != Token::Ident("void".into()) {
        return None;
    }
    let modifiers: Vec<&str> = member[..open - 2]
        .iter()
        .filter_map(|t| match t {
            Token::Ident(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    if modifiers.iter().any(|m| !is_modifier(m)) || modifiers.contains(&"abstract") {
        return None; // generic or otherwise not a plain method declaration
    }
    let close = open + member[open..].iter().position(|t| *t == Token::Punct(')'))?;
    let params = &member[open + 1..close];
    let is_static = modifiers.contains(&"static");
    let is_public = modifiers.contains(&"public") || in_interface;
    let is_private = modifiers.contains(&"private");
    let string_array = is_string_array_param(params);
    if is_private || !(params.is_empty() || string_array) {
        return None;
    }
    if is_static && is_public && string_array { Some(MainKind::Classic) } else { Some(MainKind::Instance) }
}

/// Drops annotations (`@A`, `@a.B`, `@A(...)`) from a declaration's tokens,
/// keeping `@interface`.
fn strip_annotations(tokens: &[Token]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let is_annotation =
            tokens[i] == Token::Punct('@') && tokens.get(i + 1) != Some(&Token::Ident("interface".into()));
        if !is_annotation {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        i += 2;
        while tokens.get(i) == Some(&Token::Punct('.')) {
            i += 2;
        }
        if tokens.get(i) == Some(&Token::Punct('(')) {
            let mut depth = 0;
            while let Some(token) = tokens.get(i) {
                i += 1;
                match token {
                    Token::Punct('(') => depth += 1,
                    Token::Punct(')') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// `String[] a`, `String a[]`, `String... a`, `final java.lang.String[] a`.
fn is_string_array_param(params: &[Token]) -> bool {
    let mut rest = params;
    if let [Token::Ident(f), tail @ ..] = rest
        && f == "final"
    {
        rest = tail;
    }
    let prefix = [Token::Ident("java".into()), Token::Punct('.'), Token::Ident("lang".into()), Token::Punct('.')];
    if rest.starts_with(&prefix) {
        rest = &rest[prefix.len()..];
    }
    let string = Token::Ident("String".into());
    let open = Token::Punct('[');
    let close = Token::Punct(']');
    match rest {
        [s, o, c, Token::Ident(_)] | [s, Token::Ident(_), o, c] => *s == string && *o == open && *c == close,
        [s, Token::Ellipsis, Token::Ident(_)] => *s == string,
        _ => false,
    }
}

fn is_type_keyword(word: &str) -> bool {
    matches!(word, "class" | "interface" | "enum" | "record")
}

fn is_modifier(word: &str) -> bool {
    matches!(
        word,
        "public" | "protected" | "private" | "static" | "final" | "synchronized" | "strictfp" | "native" | "abstract"
    )
}

fn is_keyword(word: &str) -> bool {
    matches!(word, "extends" | "implements" | "permits" | "class" | "interface" | "enum" | "record")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(text: &str) -> Vec<(String, Option<MainKind>)> {
        parse(text).types.into_iter().map(|t| (t.name, t.main)).collect()
    }

    fn one(name: &str, main: Option<MainKind>) -> Vec<(String, Option<MainKind>)> {
        vec![(name.to_owned(), main)]
    }

    const CLASSIC: Option<MainKind> = Some(MainKind::Classic);
    const INSTANCE: Option<MainKind> = Some(MainKind::Instance);

    #[test]
    fn sample_main() {
        let d = parse("package sample01;\n\nclass Main {\n public static void main(String[] args) {\n }\n}\n");
        assert_eq!(d.package.as_deref(), Some("sample01"));
        assert_eq!(types("class Main { public static void main(String[] args) {} }"), one("Main", CLASSIC));
    }

    #[test]
    fn no_package_is_unnamed() {
        assert_eq!(parse("class A {}").package, None);
    }

    #[test]
    fn dotted_package_with_comments_between() {
        let d = parse("/* c */ package /* x */ a . /* y */ b.c // z\n;");
        assert_eq!(d.package.as_deref(), Some("a.b.c"));
    }

    #[test]
    fn package_in_comment_is_ignored() {
        assert_eq!(parse("// package wrong;\n/* package wrong2; */\npackage right;").package.as_deref(), Some("right"));
    }

    #[test]
    fn package_with_bom() {
        assert_eq!(parse("\u{feff}package p;").package.as_deref(), Some("p"));
    }

    #[test]
    fn package_info_with_annotations() {
        let d = parse(
            "/** Docs. */\n@Deprecated\n@SuppressWarnings({\"a\", \"b\"})\n@java.lang.Deprecated(since = \"9\")\npackage p.q;\n",
        );
        assert_eq!(d.package.as_deref(), Some("p.q"));
        assert!(d.types.is_empty());
    }

    #[test]
    fn package_written_with_unicode_escapes() {
        assert_eq!(parse("\\u0070ackage \\u0061b;").package.as_deref(), Some("ab"));
    }

    #[test]
    fn varargs_main() {
        assert_eq!(types("public class A { public static void main(String... args) {} }"), one("A", CLASSIC));
    }

    #[test]
    fn c_style_array_and_final_main() {
        assert_eq!(types("class A { static public void main(final String args[]) {} }"), one("A", CLASSIC));
        assert_eq!(types("class A { public static void main(java.lang.String[] a) {} }"), one("A", CLASSIC));
    }

    #[test]
    fn annotated_main_and_throws() {
        assert_eq!(
            types(
                "class A { @SuppressWarnings(\"x\") public static void main(@Deprecated String[] a) throws Exception {} }"
            ),
            one("A", CLASSIC)
        );
    }

    #[test]
    fn instance_main_forms() {
        assert_eq!(types("class A { void main() {} }"), one("A", INSTANCE));
        assert_eq!(types("class A { static void main() {} }"), one("A", INSTANCE));
        assert_eq!(types("class A { void main(String[] a) {} }"), one("A", INSTANCE));
    }

    #[test]
    fn not_main_methods() {
        assert_eq!(types("class A { public static int main(String[] a) { return 0; } }"), one("A", None));
        assert_eq!(types("class A { public static void main(int x) {} }"), one("A", None));
        assert_eq!(types("class A { private static void main(String[] a) {} }"), one("A", None));
        assert_eq!(types("class A { public static void mainly(String[] a) {} }"), one("A", None));
    }

    #[test]
    fn main_in_nested_class_is_not_top_level() {
        assert_eq!(types("class A { static class B { public static void main(String[] a) {} } }"), one("A", None));
    }

    #[test]
    fn main_inside_method_body_or_string_is_ignored() {
        let src = "class A { void f() { String s = \"public static void main(String[] a) {}\"; } }";
        assert_eq!(types(src), one("A", None));
        let src = "class A { /* public static void main(String[] a) {} */ }";
        assert_eq!(types(src), one("A", None));
    }

    #[test]
    fn braces_in_literals_do_not_confuse_depth() {
        let src = "class A { char c = '{'; String s = \"}}}\"; String t = \"\"\"\n}\n\"\"\"; public static void main(String[] a) {} }";
        assert_eq!(types(src), one("A", CLASSIC));
    }

    #[test]
    fn several_top_level_types() {
        let d = parse("class A {} interface B {} enum C { X, Y } record D(int x) {} @interface E {}");
        let names: Vec<_> = d.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["A", "B", "C", "D", "E"]);
    }

    #[test]
    fn enum_and_record_with_main() {
        assert_eq!(types("enum E { A, B; public static void main(String[] a) {} }"), one("E", CLASSIC));
        assert_eq!(types("record R(int x) { public static void main(String[] a) {} }"), one("R", CLASSIC));
    }

    #[test]
    fn interface_static_main_is_public() {
        assert_eq!(types("interface I { static void main(String[] a) {} }"), one("I", CLASSIC));
    }

    #[test]
    fn generics_and_sealed_headers() {
        let src = "public sealed class A<T extends Comparable<T>> extends B<T> permits C, D { public static void main(String[] a) {} }";
        assert_eq!(types(src), one("A", CLASSIC));
    }

    #[test]
    fn class_literal_is_not_a_declaration() {
        let src = "@Ann(Foo.class) class A { Object o = String.class; }";
        assert_eq!(types(src), one("A", None));
    }

    #[test]
    fn record_as_identifier() {
        let d = parse("class A { int record = 1; void f() { record = 2; } }");
        assert_eq!(d.types.len(), 1);
    }

    #[test]
    fn compact_source_file() {
        let d = parse("void main() {\n    IO.println(\"hi\");\n}\n");
        assert!(d.is_compact);
        assert_eq!(d.compact_main, INSTANCE);
        assert!(d.types.is_empty());
    }

    #[test]
    fn compact_source_file_with_field_and_import() {
        let d = parse("import java.util.*;\nint count = 0;\nstatic void main(String[] args) {}\nclass Helper {}\n");
        assert!(d.is_compact);
        assert_eq!(d.compact_main, INSTANCE);
        assert_eq!(d.types.len(), 1);
    }

    #[test]
    fn ordinary_file_is_not_compact() {
        let d = parse("package a;\nimport java.util.List;\nimport static java.lang.Math.*;\n;\npublic class A {}\n");
        assert!(!d.is_compact);
    }

    #[test]
    fn unicode_escape_in_comment_ends_it() {
        // The escape is a newline, so the class is real code.
        let d = parse("// comment \\u000a class A { public static void main(String[] a) {} }");
        assert_eq!(d.types.len(), 1);
        assert_eq!(d.types[0].main, CLASSIC);
    }

    #[test]
    fn non_ascii_class_name() {
        assert_eq!(types("class 挨拶 { public static void main(String[] a) {} }"), one("挨拶", CLASSIC));
    }

    #[test]
    fn static_initializer_and_instance_blocks() {
        let src = "class A { static { int x = 1; } { int y; } public static void main(String[] a) {} }";
        assert_eq!(types(src), one("A", CLASSIC));
    }

    #[test]
    fn lambdas_and_anonymous_classes_in_fields() {
        let src = "class A { Runnable r = () -> {}; Object o = new Object() { public String toString() { return \"\"; } }; public static void main(String[] a) {} }";
        assert_eq!(types(src), one("A", CLASSIC));
    }

    #[test]
    fn truncated_file_does_not_panic() {
        let d = parse("package a; class A { public static void main(String[] a) {");
        assert_eq!(d.package.as_deref(), Some("a"));
    }
}
