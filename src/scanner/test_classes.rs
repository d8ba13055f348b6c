//! What a JUnit test source declares, read from its tokens without
//! compiling it: whether it uses JUnit, and its test classes and test
//! methods with their `@Tag("points=N")`, `@DisplayName` and `@Disabled`.
//!
//! jbuild needs this before javac has run and when javac fails: to tell
//! test sources inside `src/` from main ones, to list the tests of a class
//! that does not compile (each is reported as a compile error, with its
//! points still counted as possible), and to check points tags up front.
//! When a class compiles, what the JUnit launcher reports is the truth.
//!
//! The reader walks type bodies member by member, skipping method bodies and
//! initializers as balanced runs of tokens; every step moves forward, so
//! any input is read in linear time.

use super::lexer::{Token, tokenize, translate_unicode_escapes};

/// Annotations that make a method a test (JUnit 5, and JUnit 4's `@Test`).
const TEST_ANNOTATIONS: [&str; 5] = ["Test", "ParameterizedTest", "RepeatedTest", "TestFactory", "TestTemplate"];

/// What one source file declares for JUnit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestFile {
    /// It imports from `org.junit`, or names an `org.junit` annotation in full.
    pub uses_junit: bool,
    pub package: Option<String>,
    /// Every class of the file, nested ones included, in source order.
    pub classes: Vec<TestClass>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestClass {
    /// The binary name within the package: `CalcTest`, `CalcTest$Inner`.
    pub name: String,
    /// The value after `points=` of its `@Tag`, as written.
    pub points: Option<String>,
    pub disabled: bool,
    /// Annotated `@Nested`: JUnit runs it with its enclosing class.
    pub nested: bool,
    pub methods: Vec<TestMethod>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestMethod {
    pub name: String,
    pub display_name: Option<String>,
    /// The value after `points=` of its own `@Tag`, as written.
    pub points: Option<String>,
    pub disabled: bool,
}

impl TestFile {
    /// The fully qualified binary name of `class`.
    pub fn qualified(&self, class: &TestClass) -> String {
        match &self.package {
            Some(package) => format!("{package}.{}", class.name),
            None => class.name.clone(),
        }
    }
}

/// Reads a test source's declarations.
pub fn read(text: &str) -> TestFile {
    let tokens = tokenize(&translate_unicode_escapes(text));
    let mut reader = Reader { tokens: &tokens, pos: 0, file: TestFile::default() };
    reader.file();
    reader.file
}

/// One annotation: its name as written and the string literals in its arguments.
#[derive(Debug, Default)]
struct Annotation {
    name: String,
    strings: Vec<String>,
}

impl Annotation {
    fn simple_name(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }
}

/// What the annotations before a declaration say.
#[derive(Debug, Default)]
struct Marks {
    test: bool,
    points: Option<String>,
    display_name: Option<String>,
    disabled: bool,
    nested: bool,
}

impl Marks {
    fn of(annotations: &[Annotation]) -> Marks {
        let mut marks = Marks::default();
        for annotation in annotations {
            match annotation.simple_name() {
                name if TEST_ANNOTATIONS.contains(&name) => marks.test = true,
                "Tag" | "Tags" => {
                    let points = annotation.strings.iter().find_map(|s| s.trim().strip_prefix("points="));
                    if marks.points.is_none() {
                        marks.points = points.map(str::to_owned);
                    }
                }
                "DisplayName" => marks.display_name = annotation.strings.first().cloned(),
                "Disabled" | "Ignore" => marks.disabled = true,
                "Nested" => marks.nested = true,
                _ => {}
            }
        }
        marks
    }
}

struct Reader<'t> {
    tokens: &'t [Token],
    pos: usize,
    file: TestFile,
}

impl Reader<'_> {
    fn peek(&self, offset: usize) -> Option<&Token> {
        self.tokens.get(self.pos + offset)
    }

    fn is_punct(&self, offset: usize, c: char) -> bool {
        self.peek(offset) == Some(&Token::Punct(c))
    }

    fn ident(&self, offset: usize) -> Option<&str> {
        match self.peek(offset) {
            Some(Token::Ident(s)) => Some(s),
            _ => None,
        }
    }

    fn file(&mut self) {
        let mut pending = Vec::new();
        while self.pos < self.tokens.len() {
            let start = self.pos;
            if self.is_punct(0, '@') && self.ident(1) != Some("interface") {
                pending.push(self.annotation());
            } else if self.ident(0) == Some("package") {
                self.pos += 1;
                self.file.package = Some(self.qualified_name());
                pending.clear();
            } else if self.ident(0) == Some("import") {
                self.pos += 1;
                if self.ident(0) == Some("static") {
                    self.pos += 1;
                }
                let name = self.qualified_name();
                if name == "org.junit" || name.starts_with("org.junit.") {
                    self.file.uses_junit = true;
                }
            } else if let Some(skip) = self.type_keyword() {
                self.pos += skip;
                self.type_declaration(None, &std::mem::take(&mut pending));
            } else {
                if matches!(self.peek(0), Some(Token::Punct(';' | '{' | '}'))) {
                    pending.clear();
                }
                self.pos += 1;
            }
            if self.pos == start {
                self.pos += 1;
            }
        }
    }

    /// How many tokens the type keyword at `pos` takes (`class` is one,
    /// `@interface` two), when one starts a type declaration there.
    fn type_keyword(&self) -> Option<usize> {
        match self.ident(0) {
            Some("class" | "interface" | "enum") if self.ident(1).is_some() => Some(1),
            Some("record") if self.ident(1).is_some() && matches!(self.peek(2), Some(Token::Punct('(' | '<'))) => {
                Some(1)
            }
            _ if self.is_punct(0, '@') && self.ident(1) == Some("interface") => Some(2),
            _ => None,
        }
    }

    /// With `pos` at a type's name: reads its header and body.
    fn type_declaration(&mut self, outer: Option<&str>, annotations: &[Annotation]) {
        let is_enum = self.pos >= 1 && self.tokens.get(self.pos - 1) == Some(&Token::Ident("enum".into()));
        let Some(simple) = self.ident(0).map(str::to_owned) else { return };
        self.pos += 1;
        let name = match outer {
            Some(outer) => format!("{outer}${simple}"),
            None => simple,
        };
        // The header, up to the body.
        while self.pos < self.tokens.len() && !self.is_punct(0, '{') {
            match self.peek(0) {
                Some(Token::Punct(';' | '}')) => return,
                Some(Token::Punct('(')) => self.skip_balanced('(', ')'),
                _ => self.pos += 1,
            }
        }
        if self.pos >= self.tokens.len() {
            return;
        }
        let marks = Marks::of(annotations);
        let index = self.file.classes.len();
        self.file.classes.push(TestClass {
            name: name.clone(),
            points: marks.points,
            disabled: marks.disabled,
            nested: marks.nested,
            methods: Vec::new(),
        });
        if is_enum {
            // Constants look like calls; no tests live in an enum.
            self.skip_balanced('{', '}');
            return;
        }
        self.pos += 1; // the body's `{`
        let mut pending = Vec::new();
        loop {
            let start = self.pos;
            match self.peek(0) {
                None => return,
                Some(Token::Punct('}')) => {
                    self.pos += 1;
                    return;
                }
                Some(Token::Punct(';')) => {
                    pending.clear();
                    self.pos += 1;
                }
                Some(Token::Punct('{')) => {
                    self.skip_balanced('{', '}'); // an initializer
                    pending.clear();
                }
                Some(Token::Punct('=')) => {
                    self.skip_initializer();
                    pending.clear();
                }
                Some(Token::Punct('@')) if self.ident(1) != Some("interface") => pending.push(self.annotation()),
                _ => {
                    if let Some(skip) = self.type_keyword() {
                        self.pos += skip;
                        self.type_declaration(Some(&name), &std::mem::take(&mut pending));
                    } else if let (Some(method), true) = (self.ident(0), self.is_punct(1, '(')) {
                        let method = method.to_owned();
                        self.pos += 1;
                        self.skip_balanced('(', ')');
                        self.skip_method_rest();
                        let marks = Marks::of(&std::mem::take(&mut pending));
                        if marks.test {
                            self.file.classes[index].methods.push(TestMethod {
                                name: method,
                                display_name: marks.display_name,
                                points: marks.points,
                                disabled: marks.disabled,
                            });
                        }
                    } else {
                        self.pos += 1;
                    }
                }
            }
            if self.pos == start {
                self.pos += 1;
            }
        }
    }

    /// `@a.b.C` with any arguments; `pos` is at the `@`.
    fn annotation(&mut self) -> Annotation {
        self.pos += 1;
        let name = self.qualified_name();
        if name.starts_with("org.junit.") {
            self.file.uses_junit = true;
        }
        let mut strings = Vec::new();
        if self.is_punct(0, '(') {
            let end = self.balanced_end('(', ')');
            for token in &self.tokens[self.pos..end] {
                if let Token::Str(value) = token {
                    strings.push(value.clone());
                }
            }
            self.pos = end;
        }
        Annotation { name, strings }
    }

    /// Reads `a.b.c` (and a trailing `.*`) and stops after it.
    fn qualified_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(part) = self.ident(0) {
            name.push_str(part);
            self.pos += 1;
            if self.is_punct(0, '.') && (self.ident(1).is_some() || self.is_punct(1, '*')) {
                name.push('.');
                self.pos += 1;
                if self.is_punct(0, '*') {
                    name.push('*');
                    self.pos += 1;
                    break;
                }
            } else {
                break;
            }
        }
        name
    }

    /// The position just past the delimiter matching the one at `pos`.
    fn balanced_end(&self, open: char, close: char) -> usize {
        let mut depth = 0usize;
        let mut i = self.pos;
        while let Some(token) = self.tokens.get(i) {
            i += 1;
            if *token == Token::Punct(open) {
                depth += 1;
            } else if *token == Token::Punct(close) {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
        }
        i
    }

    fn skip_balanced(&mut self, open: char, close: char) {
        self.pos = self.balanced_end(open, close);
    }

    /// A field initializer, up to and including its `;` (or up to the
    /// `}` that closes the body).
    fn skip_initializer(&mut self) {
        while let Some(token) = self.peek(0) {
            match token {
                Token::Punct(';') => {
                    self.pos += 1;
                    return;
                }
                Token::Punct('}') => return,
                Token::Punct('{') => self.skip_balanced('{', '}'),
                Token::Punct('(') => self.skip_balanced('(', ')'),
                Token::Punct('[') => self.skip_balanced('[', ']'),
                _ => self.pos += 1,
            }
        }
    }

    /// After a parameter list: `throws ...`, then the body or the `;`.
    fn skip_method_rest(&mut self) {
        while let Some(token) = self.peek(0) {
            match token {
                Token::Punct('{') => {
                    self.skip_balanced('{', '}');
                    return;
                }
                Token::Punct(';') => {
                    self.pos += 1;
                    return;
                }
                Token::Punct('}') => return,
                _ => self.pos += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(name: &str) -> TestMethod {
        TestMethod { name: name.into(), ..TestMethod::default() }
    }

    #[test]
    fn jupiter_class_with_points_display_names_and_disabled_tests() {
        let file = read(
            r#"package calc;
import org.junit.jupiter.api.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("points=1")
class CalcTest {
    static final String NAME = call("x", () -> { return 1; });
    private Calc calc = new Calc() { int add(int a, int b) { return 0; } };
    CalcTest() { }
    @BeforeEach void setUp() { calc = new Calc(); }
    @Test @Tag("points=2.5") void add() { assertEquals(5, calc.add(2, 3)); }
    @Test @DisplayName("divides by \"zero\"") void div() throws Exception { }
    public @Test @Disabled("later") void off() { }
    @ParameterizedTest @ValueSource(ints = {1, 2}) void param(int x) { }
    @Tags({@Tag("slow"), @Tag(value = "points=3")}) @RepeatedTest(3) void again() { }
    void helper(int x) { }
    @Nested class Inner { @Test void deep() { } }
}
"#,
        );
        assert!(file.uses_junit);
        assert_eq!(file.package.as_deref(), Some("calc"));
        assert_eq!(file.classes.len(), 2);
        let outer = &file.classes[0];
        assert_eq!((outer.name.as_str(), outer.points.as_deref(), outer.nested), ("CalcTest", Some("1"), false));
        assert_eq!(
            outer.methods,
            [
                TestMethod { points: Some("2.5".into()), ..method("add") },
                TestMethod { display_name: Some("divides by \"zero\"".into()), ..method("div") },
                TestMethod { disabled: true, ..method("off") },
                method("param"),
                TestMethod { points: Some("3".into()), ..method("again") },
            ]
        );
        let inner = &file.classes[1];
        assert_eq!((inner.name.as_str(), inner.nested), ("CalcTest$Inner", true));
        assert_eq!(inner.methods, [method("deep")]);
        assert_eq!(file.qualified(inner), "calc.CalcTest$Inner");
    }

    #[test]
    fn junit4_and_fully_qualified_annotations() {
        let junit4 = read(
            "import org.junit.Test;\npublic class OldTest { @Test(timeout = 100) public void ok() {} @org.junit.Ignore @Test public void off() {} }",
        );
        assert!(junit4.uses_junit);
        assert_eq!(junit4.classes[0].methods, [method("ok"), TestMethod { disabled: true, ..method("off") }]);
        let qualified = read("class T { @org.junit.jupiter.api.Test void t() {} }");
        assert!(qualified.uses_junit);
        assert_eq!(qualified.classes[0].methods, [method("t")]);
    }

    #[test]
    fn main_sources_do_not_use_junit() {
        let main = read(
            "package a;\nimport java.util.*;\n// import org.junit.Test;\nclass Main { String s = \"import org.junit.Test;\"; @Override public String toString() { return s; } }",
        );
        assert!(!main.uses_junit);
        assert!(main.classes[0].methods.is_empty());
        assert!(!read("import org.junitx.Thing; class A {}").uses_junit);
    }

    #[test]
    fn enums_records_and_garbage_are_read_without_trouble() {
        let file = read(
            "import org.junit.jupiter.api.Test; enum E { A(1), B(2); E(int x) {} } record R(int x) { @Test void t() {} } class",
        );
        assert_eq!(file.classes.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["E", "R"]);
        assert_eq!(file.classes[1].methods, [method("t")]);
        for garbage in ["@", "class X { @Test void", "class { } } } @Tag(", "import", "class X { int a = ; @Test }"] {
            read(garbage);
        }
    }
}
