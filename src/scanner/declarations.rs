//! Reads a Java file's token stream for what a build tool needs: the package,
//! the top-level types, and which of them can be launched.
//!
//! The parser walks declarations, not statements: each type body is read one
//! member at a time (modifiers, type parameters, type, name, then a
//! parameter list or a field's initializer), and every method body,
//! initializer, nested type and expression is skipped as a balanced run of
//! tokens. Every loop moves forward by at least one token, so any input, even
//! a truncated or garbled one, is read in linear time.

use super::lexer::{Lexer, Token, tokenize, translate_unicode_escapes};

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
    /// Top-level types, in source order. Empty in a compact source file,
    /// whose type declarations are members of its implicit class (JLS 7.3).
    pub types: Vec<TypeDecl>,
    /// A compact source file (JEP 512): top-level methods or fields outside
    /// any class. Its implicit class is named after the file.
    pub compact_main: Option<MainKind>,
    pub is_compact: bool,
    /// A module declaration (`module-info.java`): no package, no classes.
    pub is_module: bool,
}

/// Parses the declarations of one Java source text.
pub fn parse(text: &str) -> Declarations {
    let tokens = tokenize(&translate_unicode_escapes(text));
    Parser { tokens: &tokens, pos: 0 }.file()
}

/// What a file's first declarations say about where it belongs: read from
/// the head of a file, without parsing its types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Header {
    /// `package a.b;`, or `None` for the unnamed package.
    Package(Option<String>),
    /// A module declaration (`module-info.java`): it sits at its source root.
    Module,
}

/// The header of `text`, or `None` when `text` ends before it is known (the
/// head of a longer file, cut inside a comment or an annotation).
pub fn header(text: &str) -> Option<Header> {
    // Everything the header needs comes before the first body: stop lexing
    // at the first `{` outside an annotation's parentheses.
    let mut tokens = Vec::new();
    let mut parens = 0usize;
    for token in Lexer::new(&translate_unicode_escapes(text)) {
        let body = parens == 0 && token == Token::Punct('{');
        match token {
            Token::Punct('(') => parens += 1,
            Token::Punct(')') => parens = parens.saturating_sub(1),
            _ => {}
        }
        tokens.push(token);
        if body {
            break;
        }
    }
    let mut parser = Parser { tokens: &tokens, pos: 0 };
    parser.skip_annotations();
    if parser.at_end() {
        return None;
    }
    if parser.is_ident(0, "package") {
        parser.pos += 1;
        let name = parser.qualified_name();
        // Without the `;` the name may go on past the end of `text`.
        return parser.is_punct(0, ';').then_some(Header::Package(Some(name)));
    }
    // No package: a module declaration may still follow the imports.
    while parser.is_ident(0, "import") {
        parser.skip_statement();
    }
    parser.skip_annotations();
    if parser.at_end() {
        return None;
    }
    Some(if parser.starts_module_declaration() { Header::Module } else { Header::Package(None) })
}

/// Which launcher picks a type's `main`, following the launch protocol of
/// JEP 512 (JDK 25; `jdk.internal.misc.MethodFinder` and `LauncherHelper`):
///
/// 1. A method `main(String[])` is looked up first, then, if there is none or
///    it is unusable, a method `main()`. Usable means returning `void` and not
///    `private`; `public`, `protected` and package access all count.
/// 2. A static chosen method is simply called. An instance one needs an
///    instance: the class must not be abstract, an interface or an enum, and
///    must have a non-private constructor without parameters (the default
///    constructor of a class without constructors, the canonical one of a
///    record without components). Otherwise the launch fails, even when the
///    other kind of `main` would have worked.
/// 3. The choice is `MainKind::Classic`, launchable by every JDK, exactly when
///    it is `public static void main(String[])`: older launchers look up that
///    method only. That is why a class with both `public static void
///    main(String[])` and an instance `void main()` is classic: JDK 25 picks
///    the static one too. Any other choice needs JDK 25.
///
/// Parameters compare by erasure, as reflection sees them: `String...`,
/// `String a[]`, `java.lang.String[]` and `T[]` with `<T extends String>` are
/// all `String[]`, while `<T> T[]` is `Object[]`. A receiver parameter
/// (`A this`) is no parameter. Only members declared in the type itself
/// count: the scanner does not follow `extends` to inherited mains, nor does
/// it resolve a `String` that an import or nested class would shadow.
fn launch_kind(body: &Body) -> Option<MainKind> {
    let usable = |m: &&MainMethod| m.returns_void && !m.is_private;
    let chosen = body.string_array_main.as_ref().filter(usable).or(body.no_arg_main.as_ref().filter(usable))?;
    if chosen.is_static {
        let classic = chosen.is_public && chosen.takes_string_array;
        return Some(if classic { MainKind::Classic } else { MainKind::Instance });
    }
    body.is_instantiable().then_some(MainKind::Instance)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeKind {
    Class,
    Interface,
    Enum,
    Record,
    Annotation,
    /// The implicit class of a compact source file.
    Implicit,
}

/// A method named `main` with zero parameters or one `String[]`.
#[derive(Debug, Clone)]
struct MainMethod {
    is_static: bool,
    /// Declared `public`, or any non-private interface method.
    is_public: bool,
    is_private: bool,
    returns_void: bool,
    takes_string_array: bool,
}

/// What a type body declares that decides its launch kind.
#[derive(Debug)]
struct Body {
    kind: TypeKind,
    name: String,
    is_abstract: bool,
    /// A record header with at least one component.
    has_components: bool,
    /// Type parameters of the type: (name, erasure of its first bound).
    type_vars: Vec<(String, String)>,
    /// For each constructor: whether it takes no arguments and is not private.
    constructors: Vec<bool>,
    string_array_main: Option<MainMethod>,
    no_arg_main: Option<MainMethod>,
}

impl Body {
    fn new(kind: TypeKind, name: String) -> Body {
        Body {
            kind,
            name,
            is_abstract: false,
            has_components: false,
            type_vars: Vec::new(),
            constructors: Vec::new(),
            string_array_main: None,
            no_arg_main: None,
        }
    }

    /// Whether the launcher can make an instance to call an instance main on.
    fn is_instantiable(&self) -> bool {
        let no_arg_constructor = self.constructors.iter().any(|usable| *usable);
        match self.kind {
            TypeKind::Implicit => true,
            TypeKind::Class => !self.is_abstract && (self.constructors.is_empty() || no_arg_constructor),
            TypeKind::Record => !self.has_components || no_arg_constructor,
            TypeKind::Interface | TypeKind::Enum | TypeKind::Annotation => false,
        }
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Modifiers {
    is_public: bool,
    is_private: bool,
    is_static: bool,
    is_abstract: bool,
}

/// What a member declaration turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    Method,
    Field,
    Other,
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

    fn is_ident(&self, offset: usize, word: &str) -> bool {
        self.ident(offset) == Some(word)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    fn file(mut self) -> Declarations {
        let mut decls = Declarations::default();
        self.skip_annotations();
        if self.is_ident(0, "package") {
            self.pos += 1;
            decls.package = Some(self.qualified_name());
            if self.is_punct(0, ';') {
                self.pos += 1;
            }
        }
        let mut implicit = Body::new(TypeKind::Implicit, String::new());
        while !self.at_end() {
            let start = self.pos;
            if self.is_punct(0, ';') {
                self.pos += 1;
            } else if self.is_ident(0, "import") {
                self.skip_statement();
            } else {
                let modifiers = self.modifiers();
                if self.starts_module_declaration() {
                    decls.is_module = true;
                    self.skip_to_body_end();
                } else if let Some(kind) = self.type_keyword() {
                    if let Some(body) = self.type_declaration(kind, modifiers) {
                        let main = launch_kind(&body);
                        decls.types.push(TypeDecl { name: body.name, main });
                    }
                } else if self.is_punct(0, '}') {
                    self.pos += 1; // a stray closing brace
                } else {
                    let member = self.member_after_modifiers(modifiers, &mut implicit);
                    decls.is_compact |= member != Member::Other;
                }
            }
            if self.pos == start {
                self.pos += 1;
            }
        }
        if decls.is_compact {
            // The implicit class's members include the file's classes, and
            // even its classic-looking main needs JDK 25 to compile.
            decls.types.clear();
            decls.compact_main = launch_kind(&implicit).map(|_| MainKind::Instance);
        }
        decls
    }

    /// Skips annotations and modifier keywords, remembering the ones that
    /// matter for a main method.
    fn modifiers(&mut self) -> Modifiers {
        let mut modifiers = Modifiers::default();
        loop {
            if self.is_punct(0, '@') && !self.is_ident(1, "interface") {
                self.skip_annotation();
                continue;
            }
            let Some(word) = self.ident(0) else { break };
            match word {
                "public" => modifiers.is_public = true,
                "private" => modifiers.is_private = true,
                "static" => modifiers.is_static = true,
                "abstract" => modifiers.is_abstract = true,
                "protected" | "final" | "native" | "synchronized" | "transient" | "volatile" | "strictfp"
                | "default" => {}
                // Contextual: `sealed` may also name a field or method.
                "sealed" if matches!(self.peek(1), Some(Token::Ident(_) | Token::Punct('@'))) => {}
                "non" if self.is_punct(1, '-') && self.is_ident(2, "sealed") => self.pos += 2,
                _ => break,
            }
            self.pos += 1;
        }
        modifiers
    }

    /// `module a.b {` or `open module a.b {`, after any annotations.
    fn starts_module_declaration(&self) -> bool {
        let offset = usize::from(self.is_ident(0, "open"));
        if !self.is_ident(offset, "module") {
            return false;
        }
        let mut i = offset + 1;
        while self.ident(i).is_some() {
            if self.is_punct(i + 1, '.') {
                i += 2;
            } else {
                return self.is_punct(i + 1, '{');
            }
        }
        false
    }

    /// The kind of type whose declaration starts at `pos`, if one does.
    fn type_keyword(&self) -> Option<TypeKind> {
        let kind = match self.ident(0) {
            Some("class") => TypeKind::Class,
            Some("interface") => TypeKind::Interface,
            Some("enum") => TypeKind::Enum,
            // Contextual: `record` may also name a field or method.
            Some("record") if self.ident(1).is_some() && (self.is_punct(2, '(') || self.is_punct(2, '<')) => {
                TypeKind::Record
            }
            _ if self.is_punct(0, '@') && self.is_ident(1, "interface") => TypeKind::Annotation,
            _ => return None,
        };
        Some(kind)
    }

    /// With `pos` at a type keyword: reads the header and the body.
    fn type_declaration(&mut self, kind: TypeKind, modifiers: Modifiers) -> Option<Body> {
        self.pos += if kind == TypeKind::Annotation { 2 } else { 1 };
        let name = self.ident(0)?.to_owned();
        self.pos += 1;
        let mut body = Body::new(kind, name);
        body.is_abstract = modifiers.is_abstract;
        if self.is_punct(0, '<') {
            body.type_vars = self.type_parameters();
        }
        if kind == TypeKind::Record && self.is_punct(0, '(') {
            body.has_components = !self.is_punct(1, ')');
            self.skip_balanced('(', ')');
        }
        // `extends`, `implements`, `permits`: up to the body.
        while !self.at_end() && !self.is_punct(0, '{') {
            match self.peek(0) {
                Some(Token::Punct(';' | '}')) => return Some(body),
                Some(Token::Punct('(')) => self.skip_balanced('(', ')'),
                _ => self.pos += 1,
            }
        }
        if self.at_end() {
            return Some(body);
        }
        self.pos += 1; // the body's `{`
        if kind == TypeKind::Enum {
            self.enum_constants();
        }
        loop {
            let start = self.pos;
            match self.peek(0) {
                None => break,
                Some(Token::Punct('}')) => {
                    self.pos += 1;
                    break;
                }
                Some(Token::Punct(';')) => self.pos += 1,
                _ => {
                    let modifiers = self.modifiers();
                    self.member_after_modifiers(modifiers, &mut body);
                }
            }
            if self.pos == start {
                self.pos += 1;
            }
        }
        Some(body)
    }

    /// An enum's constants, each with optional arguments and class body, up
    /// to and including the `;` that ends them (or up to the body's `}`).
    fn enum_constants(&mut self) {
        loop {
            self.skip_annotations();
            match self.peek(0) {
                Some(Token::Ident(_)) => {
                    self.pos += 1;
                    if self.is_punct(0, '(') {
                        self.skip_balanced('(', ')');
                    }
                    if self.is_punct(0, '{') {
                        self.skip_balanced('{', '}');
                    }
                    if !self.is_punct(0, ',') {
                        if self.is_punct(0, ';') {
                            self.pos += 1;
                        }
                        return;
                    }
                    self.pos += 1;
                }
                Some(Token::Punct(',')) => self.pos += 1,
                Some(Token::Punct(';')) => {
                    self.pos += 1;
                    return;
                }
                _ => return,
            }
        }
    }

    /// One member of `body`, after its modifiers: an initializer, a nested
    /// type, a constructor, a method or a field.
    fn member_after_modifiers(&mut self, modifiers: Modifiers, body: &mut Body) -> Member {
        if self.is_punct(0, '{') {
            self.skip_balanced('{', '}'); // an initializer block
            return Member::Other;
        }
        if let Some(kind) = self.type_keyword() {
            // A nested type: its members are not the outer type's.
            self.pos += if kind == TypeKind::Annotation { 2 } else { 1 };
            self.skip_to_body_end();
            return Member::Other;
        }
        let method_vars = if self.is_punct(0, '<') { self.type_parameters() } else { Vec::new() };
        self.skip_annotations();
        let Some(name) = self.ident(0) else { return Member::Other };
        if self.is_punct(1, '(') {
            // A constructor (or, in broken code, a method without a type).
            self.pos += 1;
            let params = self.parameters();
            self.skip_method_rest();
            body.constructors.push(params.is_empty() && !modifiers.is_private);
            return Member::Other;
        }
        if body.kind == TypeKind::Record && name == body.name && self.is_punct(1, '{') {
            // A compact canonical constructor: it takes the components.
            self.pos += 1;
            self.skip_balanced('{', '}');
            body.constructors.push(!body.has_components && !modifiers.is_private);
            return Member::Other;
        }
        let returns_void = name == "void" && self.ident(1).is_some();
        if !self.skip_type() {
            return Member::Other;
        }
        let Some(name) = self.ident(0) else { return Member::Other };
        self.pos += 1;
        if !self.is_punct(0, '(') {
            self.skip_statement(); // a field, with any initializer
            return Member::Field;
        }
        let params = self.parameters();
        self.skip_method_rest();
        if name == "main" {
            let erasure = |name: &str| erase(name, &method_vars, &body.type_vars);
            let takes_string_array = matches!(&params[..], [(ty, 1)] if is_string(&erasure(ty)));
            let is_private = modifiers.is_private;
            let main = MainMethod {
                is_static: modifiers.is_static,
                is_public: modifiers.is_public
                    || (matches!(body.kind, TypeKind::Interface | TypeKind::Annotation) && !is_private),
                is_private,
                returns_void,
                takes_string_array,
            };
            if takes_string_array {
                body.string_array_main.get_or_insert(main);
            } else if params.is_empty() {
                body.no_arg_main.get_or_insert(main);
            }
        }
        Member::Method
    }

    /// Skips `@A`, `@a.b.C`, `@A(...)`, one after another.
    fn skip_annotations(&mut self) {
        while self.is_punct(0, '@') && !self.is_ident(1, "interface") {
            self.skip_annotation();
        }
    }

    fn skip_annotation(&mut self) {
        self.pos += 1;
        self.qualified_name();
        if self.is_punct(0, '(') {
            self.skip_balanced('(', ')');
        }
    }

    /// Reads `a.b.c` and stops after it.
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

    /// Skips through the next `{...}` (a module's or nested type's body).
    fn skip_to_body_end(&mut self) {
        while !self.at_end() && !self.is_punct(0, '{') {
            if self.is_punct(0, '}') {
                return;
            }
            self.pos += 1;
        }
        self.skip_balanced('{', '}');
    }

    /// Skips to just past the `;` that ends a statement-like declaration
    /// (an import, a field), over any bracketed initializer; stops before a
    /// `}` that would close the enclosing body.
    fn skip_statement(&mut self) {
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

    /// After a parameter list: skips dimensions, `throws` (whose commas do
    /// not end anything), an annotation element's `default`, and the body or
    /// the `;` of a body-less method.
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
                Token::Punct('(') => self.skip_balanced('(', ')'),
                _ => self.pos += 1,
            }
        }
    }

    /// Skips type arguments or parameters starting at a `<`, stopping early
    /// at a token that cannot be inside them.
    fn skip_angle(&mut self) {
        let mut depth = 0usize;
        while let Some(token) = self.peek(0) {
            match token {
                Token::Punct('<') => depth += 1,
                Token::Punct('>') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                }
                Token::Punct('(') => {
                    self.skip_balanced('(', ')'); // an annotation's arguments
                    continue;
                }
                Token::Punct(';' | '{' | '}' | '=' | ')') => return,
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// Reads `<A, B extends C & D, ...>` into (name, erasure) pairs.
    fn type_parameters(&mut self) -> Vec<(String, String)> {
        let start = self.pos;
        self.skip_angle();
        let inner = &self.tokens[start + 1..self.pos.saturating_sub(1).max(start + 1)];
        split_top_level(inner)
            .into_iter()
            .filter_map(|param| {
                let param = strip_annotations(param);
                let name = match param.first() {
                    Some(Token::Ident(name)) => name.clone(),
                    _ => return None,
                };
                let bound = match param.get(1) {
                    Some(Token::Ident(e)) if e == "extends" => dotted_name(&param[2..]),
                    _ => String::new(),
                };
                Some((name, if bound.is_empty() { "java.lang.Object".to_owned() } else { bound }))
            })
            .collect()
    }

    /// Skips a type: `a.b.C<D>.E @A [] []`. False when no type starts here.
    fn skip_type(&mut self) -> bool {
        if self.ident(0).is_none() {
            return false;
        }
        loop {
            self.skip_annotations();
            if self.ident(0).is_none() {
                break;
            }
            self.pos += 1;
            if self.is_punct(0, '<') {
                self.skip_angle();
            }
            if self.is_punct(0, '.') {
                self.pos += 1;
            } else {
                break;
            }
        }
        loop {
            self.skip_annotations();
            if self.is_punct(0, '[') && self.is_punct(1, ']') {
                self.pos += 2;
            } else {
                break;
            }
        }
        true
    }

    /// With `pos` at `(`: reads a formal parameter list into each
    /// parameter's (type name, array dimensions), leaving out a receiver
    /// parameter. A parameter it cannot read has an empty type name.
    fn parameters(&mut self) -> Vec<(String, usize)> {
        let start = self.pos;
        self.skip_balanced('(', ')');
        let end =
            if self.tokens.get(self.pos.wrapping_sub(1)) == Some(&Token::Punct(')')) { self.pos - 1 } else { self.pos };
        let inner = &self.tokens[(start + 1).min(end)..end];
        split_top_level(inner).into_iter().filter_map(parameter_type).collect()
    }
}

/// One formal parameter's (type name, dimensions), or `None` for a receiver
/// parameter (`A this`, `Outer.A Outer.this`).
fn parameter_type(tokens: &[Token]) -> Option<(String, usize)> {
    let tokens: Vec<Token> =
        strip_annotations(tokens).into_iter().filter(|t| !matches!(t, Token::Ident(w) if w == "final")).collect();
    if matches!(tokens.last(), Some(Token::Ident(w)) if w == "this") {
        return None;
    }
    let unreadable = Some((String::new(), 0));
    let mut i = 0;
    let mut name = String::new();
    loop {
        let Some(Token::Ident(part)) = tokens.get(i) else { return unreadable };
        name.push_str(part);
        i += 1;
        if tokens.get(i) == Some(&Token::Punct('<')) {
            // Type arguments: `String<X>` is no `String`.
            name.push('<');
            let mut depth = 0usize;
            while let Some(token) = tokens.get(i) {
                i += 1;
                match token {
                    Token::Punct('<') => depth += 1,
                    Token::Punct('>') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
        if tokens.get(i) == Some(&Token::Punct('.')) {
            name.push('.');
            i += 1;
        } else {
            break;
        }
    }
    let count_dims = |i: &mut usize| {
        let mut dims = 0;
        while tokens.get(*i) == Some(&Token::Punct('[')) && tokens.get(*i + 1) == Some(&Token::Punct(']')) {
            dims += 1;
            *i += 2;
        }
        dims
    };
    let mut dims = count_dims(&mut i);
    if tokens.get(i) == Some(&Token::Ellipsis) {
        dims += 1;
        i += 1;
    }
    let Some(Token::Ident(_)) = tokens.get(i) else { return unreadable };
    i += 1;
    dims += count_dims(&mut i);
    if i != tokens.len() {
        return unreadable;
    }
    Some((name, dims))
}

/// The erasure of a type name: a type variable (the method's own first)
/// becomes its first bound's erasure.
fn erase(name: &str, method_vars: &[(String, String)], type_vars: &[(String, String)]) -> String {
    let mut name = name.to_owned();
    // Bounds may name other type variables; a cycle is a compile error, so
    // a few steps are enough.
    for _ in 0..8 {
        match method_vars.iter().chain(type_vars).find(|(var, _)| *var == name) {
            Some((_, bound)) => name = bound.clone(),
            None => break,
        }
    }
    name
}

fn is_string(name: &str) -> bool {
    name == "String" || name == "java.lang.String"
}

/// `a.b.C` from the start of `tokens`, stopping at type arguments or `&`.
fn dotted_name(tokens: &[Token]) -> String {
    let mut name = String::new();
    for token in tokens {
        match token {
            Token::Ident(part) => name.push_str(part),
            Token::Punct('.') => name.push('.'),
            _ => break,
        }
    }
    name
}

/// Splits tokens at commas outside `()`, `<>`, `[]` and `{}`.
fn split_top_level(tokens: &[Token]) -> Vec<&[Token]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Punct('(' | '<' | '[' | '{') => depth += 1,
            Token::Punct(')' | '>' | ']' | '}') => depth = depth.saturating_sub(1),
            Token::Punct(',') if depth == 0 => {
                parts.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < tokens.len() {
        parts.push(&tokens[start..]);
    }
    parts
}

/// Drops annotations (`@A`, `@a.B`, `@A(...)`) from a declaration's tokens.
fn strip_annotations(tokens: &[Token]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] != Token::Punct('@') {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        i += 2;
        while tokens.get(i) == Some(&Token::Punct('.')) {
            i += 2;
        }
        if tokens.get(i) == Some(&Token::Punct('(')) {
            let mut depth = 0usize;
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
        assert!(d.types.is_empty(), "Helper is a member of the implicit class");
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
    fn throws_list_with_commas() {
        let src =
            "public class A { public static void main(String[] args) throws IOException, InterruptedException {} }";
        assert_eq!(types(src), one("A", CLASSIC));
        let src = "class A { public static void main(String[] a) throws java.io.IOException, @Ann E1, E2 { } }";
        assert_eq!(types(src), one("A", CLASSIC));
        let src = "class A { static <T extends Exception> void f() throws T, RuntimeException {} void main() {} }";
        assert_eq!(types(src), one("A", INSTANCE));
    }

    #[test]
    fn parameter_forms_of_main() {
        let classic = [
            "public static void main(@SuppressWarnings(\"x\") final String... args)",
            "public static void main(String args[])",
            "public static void main(final String[] args)",
            "public static void main(final @A({1, 2}) java.lang.String @B [] args)",
            "public static void main(java.lang.@A String[] args)",
            "public static <T> void main(String[] args)",
            "public static <T extends String> void main(T[] args)",
            "public static <T extends java.lang.String & Comparable<T>> void main(T... args)",
            "public static native void main(String[] args);",
            "public static @Deprecated void main(String[] args)",
            "final synchronized static strictfp public void main(String[] args)",
        ];
        for header in classic {
            let body = if header.ends_with(';') { "" } else { " {}" };
            let src = format!("class A {{ {header}{body} }}");
            assert_eq!(types(&src), one("A", CLASSIC), "{src}");
        }
        let none = [
            "public static <T> void main(T[] args) {}",
            "public static <String> void main(String[] args) {}",
            "public static void main(String[][] args) {}",
            "public static void main(String[] args[]) {}",
            "public static void main(String args) {}",
            "public static void main(Object[] args) {}",
            "public static void main(java.util.List<String> args) {}",
            "public static void main(String[] a, String[] b) {}",
            "public static void main(String... args[]) {}",
            "public static int main(String[] args) { return 0; }",
            "public static void[] main(String[] args) {}",
            "private void main() {}",
            "int main() { return 0; }",
            "public static void Main(String[] args) {}",
        ];
        for member in none {
            let src = format!("class A {{ {member} }}");
            assert_eq!(types(&src), one("A", None), "{src}");
        }
    }

    #[test]
    fn receiver_parameter_is_not_a_parameter() {
        assert_eq!(types("class A { void main(A this) {} }"), one("A", INSTANCE));
        assert_eq!(types("class A { public static void main(String[] a) {} void main(A this) {} }"), one("A", CLASSIC));
    }

    #[test]
    fn static_string_array_main_wins_over_instance_main() {
        // JEP 512: main(String[]) is looked up first; public + static makes it
        // launchable by every JDK, whatever other mains the class declares.
        let src = "class A { void main() {} public static void main(String[] args) {} }";
        assert_eq!(types(src), one("A", CLASSIC));
        let src = "class A { public static void main(String[] args) {} void main() {} }";
        assert_eq!(types(src), one("A", CLASSIC));
        let src = "class A { static void main() {} public static void main(String... args) {} }";
        assert_eq!(types(src), one("A", CLASSIC));
        let src = "interface I { default void main() {} static void main(String[] args) {} }";
        assert_eq!(types(src), one("I", CLASSIC));
    }

    #[test]
    fn launch_protocol_of_jdk_25() {
        // An unusable main(String[]) (private or not void) falls back to main().
        assert_eq!(
            types("class A { private static void main(String[] a) {} static void main() {} }"),
            one("A", INSTANCE)
        );
        assert_eq!(
            types("class A { public static int main(String[] a) { return 0; } void main() {} }"),
            one("A", INSTANCE)
        );
        // A usable main(String[]) is chosen even when main() would have worked.
        assert_eq!(types("class A { private A() {} void main(String[] a) {} static void main() {} }"), one("A", None));
        // Non-public or instance main(String[]) needs JDK 25.
        assert_eq!(types("class A { protected static void main(String[] a) {} }"), one("A", INSTANCE));
        assert_eq!(types("class A { public void main(String[] a) {} }"), one("A", INSTANCE));
        // Instance mains need a non-private zero-argument constructor.
        assert_eq!(types("class A { A(int x) {} void main() {} }"), one("A", None));
        assert_eq!(types("class A { A(int x) {} protected A() {} void main() {} }"), one("A", INSTANCE));
        assert_eq!(types("class A { private A() {} void main() {} }"), one("A", None));
        assert_eq!(types("class A { private A() {} static void main() {} }"), one("A", INSTANCE));
        assert_eq!(types("abstract class A { void main() {} }"), one("A", None));
        assert_eq!(types("interface I { default void main() {} }"), one("I", None));
        assert_eq!(types("interface I { void main(String[] a); static void main() {} }"), one("I", None));
        assert_eq!(types("interface I { static void main() {} }"), one("I", INSTANCE));
        assert_eq!(types("interface I { private static void main(String[] a) {} }"), one("I", None));
        assert_eq!(types("enum E { X; void main() {} }"), one("E", None));
        assert_eq!(types("enum E { X; static void main() {} }"), one("E", INSTANCE));
        assert_eq!(types("record R() { void main() {} }"), one("R", INSTANCE));
        assert_eq!(types("record R(int x) { void main() {} }"), one("R", None));
        assert_eq!(types("record R(int x) { R { } void main() {} }"), one("R", None));
        assert_eq!(types("record R(int x) { R() { this(0); } void main() {} }"), one("R", INSTANCE));
        assert_eq!(types("@interface N { void main(); }"), one("N", None));
    }

    #[test]
    fn module_declaration_is_not_a_class() {
        let d = parse(
            "/** The app. */\n@Deprecated open module com.example.app {\n requires java.base;\n exports a.b;\n provides x.Y with z.W, q.R;\n}\n",
        );
        assert!(d.is_module);
        assert!(!d.is_compact);
        assert!(d.types.is_empty());
        let d = parse("import a.B;\nmodule m { uses B; }");
        assert!(d.is_module && !d.is_compact && d.types.is_empty());
    }

    #[test]
    fn compact_file_classes_are_members_of_the_implicit_class() {
        // JLS 7.3 (JDK 25): javac writes `Hello$Helper.class`, not `Helper.class`.
        let d = parse("void main() {}\nclass Helper { public static void main(String[] a) {} }\n");
        assert!(d.is_compact);
        assert!(d.types.is_empty());
        assert_eq!(d.compact_main, INSTANCE);
    }

    #[test]
    fn compact_file_main_follows_the_launch_protocol() {
        assert_eq!(parse("private void main() {}").compact_main, None);
        assert_eq!(parse("int main() { return 1; }").compact_main, None);
        assert_eq!(parse("int x; static void main(String[] a) {}").compact_main, INSTANCE);
        assert_eq!(parse("String s = \"{\"; void helper() {}").compact_main, None);
    }

    #[test]
    fn stray_closing_brace_does_not_make_a_compact_file() {
        let d = parse("class A { public static void main(String[] a) {} } }");
        assert!(!d.is_compact);
        assert_eq!(d.types.len(), 1);
    }

    #[test]
    fn enum_constants_with_bodies_and_arguments() {
        let src = "enum E { @Deprecated A(1, \"}\") { void f() {} }, B { }, C; E() {} E(int x, String s) {} public static void main(String[] a) {} }";
        assert_eq!(types(src), one("E", CLASSIC));
        assert_eq!(types("enum E { ; public static void main(String[] a) {} }"), one("E", CLASSIC));
        assert_eq!(types("enum E { A, B, ; static public void main(String[] a) {} }"), one("E", CLASSIC));
    }

    #[test]
    fn sealed_and_non_sealed_types() {
        let d = parse(
            "sealed interface S permits A, B {} non-sealed class A implements S { public static void main(String[] a) {} } final class B implements S {}",
        );
        let names: Vec<_> = d.types.iter().map(|t| (t.name.as_str(), t.main)).collect();
        assert_eq!(names, [("S", None), ("A", CLASSIC), ("B", None)]);
    }

    #[test]
    fn class_type_parameters_erase() {
        assert_eq!(types("class A<T extends String> { void main(T[] a) {} }"), one("A", INSTANCE));
        assert_eq!(types("class A<String> { void main(String[] a) {} }"), one("A", None));
    }

    #[test]
    fn members_that_look_like_mains() {
        let src = "class A { int[] xs = { 1, 2 }; Runnable r = () -> { }; Object o = new Object() { public void main() {} }; \
                   String s = \"void main() {\"; @interface Q { } class B { void main() {} } static { } }";
        assert_eq!(types(src), one("A", None));
        let src = "@interface N { int[] value() default { 1, 2 }; String main() default \"x\"; }";
        assert_eq!(types(src), one("N", None));
    }

    #[test]
    fn truncated_file_does_not_panic() {
        let d = parse("package a; class A { public static void main(String[] a) {");
        assert_eq!(d.package.as_deref(), Some("a"));
    }
}

/// Random damage to valid sources must never panic the parser nor make it
/// loop: every cut, stray quote, backslash, NUL or invalid UTF-8 byte still
/// parses, quickly.
#[cfg(test)]
mod mutation_tests {
    use super::parse;
    use std::time::{Duration, Instant};

    const SEEDS: &[&str] = &[
        "package a.b;\n\nimport java.util.*;\n\n/** Docs {@code class X {}} */\n@SuppressWarnings({\"a\", \"}\"})\npublic class Main<T extends Comparable<T>> extends Base implements I, J {\n    static final String S = \"public static void main(String[] a) {}\\\"\";\n    char c = '\\'', d = '{';\n    String t = \"\"\"\n        } class Hidden { \\\"\"\" \\\n        \"\"\";\n    // line comment }\n    /* block comment { */\n    int[] xs = { 0x1E+2, 1_000L, .5e-3f, 0x1.8p1 };\n    Runnable r = () -> { };\n    Object o = new Object() { public void main() {} };\n    public static void main(final String @A [] args) throws java.io.IOException, InterruptedException {\n        class Local { }\n    }\n}\n",
        "\\u0070ackage q;\n// \\u000a class Escaped { public static void m\\u0061in(String... a) {} }\nrecord R<T>(int x, String... rest) implements Comparable<R<T>> { R { } static void main() { } }\n",
        "enum E implements Runnable { @Deprecated A(1) { void f() {} }, B(\"}\"), ; E(Object o) {} public void run() {} public static void main(String[] a) {} }\n@interface N { int[] v() default {1, 2}; String s() default \"\\\\\"; }\nsealed interface S permits X {}\nnon-sealed class X implements S { private X() {} void main() {} }\n",
        "/* header */ open module com.example { requires transitive java.sql; provides a.B with c.D, e.F; }\n",
        "import module java.base;\nint count = 0;\nString s = \"{\";\nvoid main() {\n    IO.println(\"hi \" + '\"');\n}\nclass Helper { }\n",
        "class Prix€ { char c = '\\u0041'; String u = \"\\uuu0042\\\\u0043\"; public static <T extends String> void main(T[] args) {} }\n",
    ];

    /// Bytes that open or close something, or are not UTF-8 at all.
    const NOISE: &[&[u8]] = &[
        b"\"",
        b"'",
        b"\\",
        b"\0",
        b"/",
        b"*",
        b"/*",
        b"*/",
        b"//",
        b"\"\"\"",
        b"\\u",
        b"\\u00",
        b"\\uD83D",
        b"{",
        b"}",
        b"(",
        b")",
        b"<",
        b">",
        b"@",
        b"\n",
        b"\r",
        b";",
        b",",
        b".",
        b"...",
        b"class ",
        b"record ",
        b"enum ",
        b"main",
        b"void ",
        b"static ",
        b"@interface ",
        b"module ",
        b"\xff",
        b"\xc3",
        b"\x80",
        b"\xe2\x82",
        b"\xf0\x9f\x98",
        b"\x1a",
        b"\xc2\xad",
    ];

    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    fn mutate(rng: &mut Rng, source: &[u8]) -> Vec<u8> {
        let mut bytes = source.to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len() + 1);
            let len = rng.below(8).min(bytes.len() - at);
            match rng.below(5) {
                0 => {
                    bytes.drain(at..at + len);
                }
                1 => {
                    let noise = NOISE[rng.below(NOISE.len())];
                    bytes.splice(at..at, noise.iter().copied());
                }
                2 => {
                    let copy = bytes[at..at + len].to_vec();
                    bytes.splice(at..at, copy);
                }
                3 => bytes.truncate(at),
                _ => {
                    let other = rng.below(bytes.len() + 1);
                    let copy = bytes[other..other + rng.below(16).min(bytes.len() - other)].to_vec();
                    bytes.splice(at..at + len, copy);
                }
            }
        }
        bytes
    }

    /// Parses every input on a worker thread, failing (not hanging) if the
    /// whole batch takes longer than `limit`.
    fn parse_all(inputs: Vec<Vec<u8>>, limit: Duration) {
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for bytes in &inputs {
                let text = String::from_utf8_lossy(bytes);
                let result = std::panic::catch_unwind(|| parse(&text));
                if result.is_err() {
                    let _ = done.send(Err(text.into_owned()));
                    return;
                }
            }
            let _ = done.send(Ok(inputs.len()));
        });
        match finished.recv_timeout(limit) {
            Ok(Ok(_)) => {}
            Ok(Err(text)) => panic!("parse panicked on {text:?}"),
            Err(_) => panic!("parsing did not finish within {limit:?}: a loop that does not advance?"),
        }
    }

    #[test]
    fn every_cut_of_every_seed_parses() {
        // Each prefix cuts inside some comment, literal, text block or escape.
        let inputs =
            SEEDS.iter().flat_map(|seed| (0..=seed.len()).map(|end| seed.as_bytes()[..end].to_vec())).collect();
        parse_all(inputs, Duration::from_secs(20));
    }

    #[test]
    fn random_mutations_parse() {
        let mut rng = Rng(0x6d75_7461_7465);
        let inputs = (0..3000).map(|i| mutate(&mut rng, SEEDS[i % SEEDS.len()].as_bytes())).collect::<Vec<Vec<u8>>>();
        parse_all(inputs, Duration::from_secs(20));
    }

    #[test]
    fn pathological_inputs_parse_in_linear_time() {
        let size = 200_000;
        let inputs: Vec<Vec<u8>> = [
            "\\uuuuu".as_bytes(),
            b"0e+0e-",
            b"a<",
            b"@a(",
            b"{",
            b"(",
            b"class A<",
            b"\"\\",
            b"/*",
            b"enum E { A, ",
            b"record R(",
            b"void main(",
        ]
        .iter()
        .map(|unit| unit.iter().copied().cycle().take(size).collect())
        .collect();
        let started = Instant::now();
        parse_all(inputs, Duration::from_secs(20));
        assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    }
}
