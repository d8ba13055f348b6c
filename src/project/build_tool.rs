//! Maven's `pom.xml` and Gradle's `build.gradle(.kts)`, read for their
//! dependencies only. jbuild compiles such a project as it is when it needs
//! nothing but test libraries (JUnit, Hamcrest, AssertJ) or jars already in
//! the project; for anything else it says which dependencies are missing,
//! instead of javac's wall of "package does not exist".

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::ide::read_small_file;
use super::java_level::{JavaLevel, parse_level};

pub const POM: &str = "pom.xml";
pub const GRADLE_FILES: [&str; 2] = ["build.gradle", "build.gradle.kts"];

/// Group ids of the test libraries jbuild accepts without a jar in `lib/`.
const TEST_LIBRARY_GROUPS: [&str; 6] =
    ["junit", "org.junit", "org.hamcrest", "org.assertj", "org.opentest4j", "org.apiguardian"];

/// A build file and the dependencies it declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildFile {
    /// `pom.xml`, `build.gradle` or `build.gradle.kts`.
    pub file: String,
    /// `Maven` or `Gradle`.
    pub tool: String,
    pub dependencies: Vec<Dependency>,
    /// Jars the build file names inside the project (Gradle's `files(...)`,
    /// `fileTree(...)`; Maven's `system` scope).
    pub jars: Vec<PathBuf>,
    pub notes: Vec<String>,
    /// The Java version the file compiles for, when it says.
    pub java_level: Option<JavaLevel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependency {
    /// `group:artifact`, or what stands for it (`project(':core')`, `libs.gson`).
    pub name: String,
    pub artifact: String,
    pub version: Option<String>,
    /// Only the tests use it (Maven's `test` scope, Gradle's `test*` configurations).
    pub tests_only: bool,
}

impl Dependency {
    fn new(name: String, artifact: String, version: Option<String>, tests_only: bool) -> Dependency {
        Dependency { name, artifact, version, tests_only }
    }

    pub fn is_test_library(&self) -> bool {
        let group = self.name.split(':').next().unwrap_or_default();
        let alias = self.name.to_ascii_lowercase();
        TEST_LIBRARY_GROUPS.iter().any(|g| group == *g || group.starts_with(&format!("{g}.")))
            || (self.name.starts_with("libs.") && ["junit", "hamcrest", "assertj"].iter().any(|l| alias.contains(l)))
    }

    /// `gson-2.10.1.jar` or `gson.jar` provides `com.google.code.gson:gson`.
    pub fn is_provided_by(&self, jar: &Path) -> bool {
        let name = jar.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let artifact = self.artifact.to_ascii_lowercase();
        !artifact.is_empty()
            && (name == format!("{artifact}.jar")
                || name
                    .strip_prefix(&format!("{artifact}-"))
                    .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit())))
    }

    /// `group:artifact:version`, as the user would search for it.
    pub fn coordinates(&self) -> String {
        match &self.version {
            Some(version) => format!("{}:{version}", self.name),
            None => self.name.clone(),
        }
    }
}

impl BuildFile {
    /// What the program needs that jbuild cannot find: dependencies that are
    /// not test libraries, not for the tests only, and in none of `jars`.
    pub fn missing(&self, jars: &[PathBuf]) -> Vec<&Dependency> {
        self.dependencies
            .iter()
            .filter(|d| !d.tests_only && !d.is_test_library() && !jars.iter().any(|jar| d.is_provided_by(jar)))
            .collect()
    }

    /// The dependencies only the tests need that are no test library jbuild knows.
    pub fn test_only(&self) -> Vec<&Dependency> {
        self.dependencies.iter().filter(|d| d.tests_only && !d.is_test_library()).collect()
    }

    /// The advice for missing dependencies.
    pub fn missing_message(&self, missing: &[&Dependency]) -> String {
        let names: Vec<String> = missing.iter().map(|d| d.coordinates()).collect();
        let example = missing.first().map_or(String::new(), |d| {
            let version = d.version.as_deref().map_or(String::new(), |v| format!("-{v}"));
            format!(" (e.g. lib/{}{version}.jar)", d.artifact)
        });
        let build = if self.tool == "Maven" { "mvn package" } else { "gradle build" };
        format!(
            "{} needs {} that jbuild does not download: {}; put {} in lib/{example}, or build with {} (`{build}`)",
            self.file,
            if missing.len() == 1 { "a dependency" } else { "dependencies" },
            names.join(", "),
            if missing.len() == 1 { "its jar" } else { "their jars" },
            self.tool
        )
    }
}

/// The project's build file: `pom.xml`, else `build.gradle(.kts)`.
pub fn read(root: &Path) -> Option<Result<BuildFile, String>> {
    if std::fs::symlink_metadata(root.join(POM)).is_ok() {
        return Some(read_small_file(&root.join(POM), POM).and_then(|text| maven(root, &text)));
    }
    let file = GRADLE_FILES.into_iter().find(|f| std::fs::symlink_metadata(root.join(f)).is_ok())?;
    Some(read_small_file(&root.join(file), file).map(|text| gradle(root, file, &text)))
}

/// Whether `dir` has a build file.
pub fn has_build_file(dir: &Path) -> bool {
    dir.join(POM).is_file() || GRADLE_FILES.iter().any(|f| dir.join(f).is_file())
}

fn maven(root: &Path, text: &str) -> Result<BuildFile, String> {
    let document =
        roxmltree::Document::parse(text).map_err(|e| format!("ignoring {POM}: not XML jbuild understands ({e})"))?;
    let project = document.root_element();
    if !project.has_tag_name("project") {
        return Err(format!("ignoring {POM}: its root element is <{}>, not <project>", project.tag_name().name()));
    }
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children().find(|n| n.has_tag_name(name)).and_then(|n| n.text()).map(|t| t.trim().to_owned())
    };
    let properties: Vec<(String, String)> = project
        .children()
        .filter(|n| n.has_tag_name("properties"))
        .flat_map(|p| p.children().filter(|n| n.is_element()))
        .map(|n| (n.tag_name().name().to_owned(), n.text().unwrap_or_default().trim().to_owned()))
        .collect();
    let basedir = root.to_string_lossy().into_owned();
    let resolve = |value: String| expand_properties(&value, &properties, &basedir);
    let mut build = BuildFile {
        file: POM.to_owned(),
        tool: "Maven".to_owned(),
        dependencies: Vec::new(),
        jars: Vec::new(),
        notes: Vec::new(),
        java_level: None,
    };
    // The compiler plugin's own configuration wins over the properties, as in Maven.
    let compiler_plugin = project
        .descendants()
        .filter(|n| n.has_tag_name("plugin"))
        .find(|plugin| child(*plugin, "artifactId").as_deref() == Some("maven-compiler-plugin"))
        .and_then(|plugin| plugin.children().find(|n| n.has_tag_name("configuration")));
    let from_plugin = ["release", "source"].into_iter().find_map(|name| {
        let value = child(compiler_plugin?, name).map(&resolve)?;
        Some((format!("maven-compiler-plugin <{name}>"), value))
    });
    let from_properties = ["maven.compiler.release", "maven.compiler.source"].into_iter().find_map(|name| {
        let (_, value) = properties.iter().find(|(key, _)| key == name)?;
        Some((name.to_owned(), resolve(value.clone())))
    });
    build.java_level = from_plugin
        .or(from_properties)
        .and_then(|(name, value)| Some(JavaLevel::new(parse_level(&value)?, format!("{POM} ({name} {value})"))));
    if let Some(parent) = project.children().find(|n| n.has_tag_name("parent")) {
        let name = format!(
            "{}:{}",
            child(parent, "groupId").unwrap_or_default(),
            child(parent, "artifactId").unwrap_or_default()
        );
        build.notes.push(format!("{POM} inherits from {name}; jbuild reads only the dependencies this file declares"));
    }
    if project.children().any(|n| n.has_tag_name("modules")) {
        build.notes.push(format!("{POM} has modules; jbuild builds this folder's sources only"));
    }
    let dependencies = project.children().filter(|n| n.has_tag_name("dependencies"));
    for dependency in dependencies.flat_map(|d| d.children().filter(|n| n.has_tag_name("dependency"))) {
        let group = child(dependency, "groupId").map(&resolve).unwrap_or_default();
        let artifact = child(dependency, "artifactId").map(&resolve).unwrap_or_default();
        let version = child(dependency, "version").map(&resolve);
        let scope = child(dependency, "scope").unwrap_or_default();
        if scope == "system"
            && let Some(jar) = child(dependency, "systemPath").map(&resolve).map(|p| super::normalize(&root.join(p)))
            && super::is_inside(root, &jar)
            && jar.is_file()
        {
            build.jars.push(jar);
            continue;
        }
        build.dependencies.push(Dependency::new(format!("{group}:{artifact}"), artifact, version, scope == "test"));
    }
    Ok(build)
}

/// A pom value with its `${name}` references replaced, as Maven does, but
/// bounded: at most [`MAX_EXPANSIONS`] rounds (`${a}` naming `${b}`...) and
/// [`MAX_VALUE_LEN`] bytes, so properties that name each other cannot make
/// a 1 KB file grow without end. An unknown reference stays as written.
fn expand_properties(value: &str, properties: &[(String, String)], basedir: &str) -> String {
    let lookup = |name: &str| match name {
        "project.basedir" | "basedir" => Some(basedir),
        _ => properties.iter().find(|(key, _)| key == name).map(|(_, v)| v.as_str()),
    };
    let mut value = value.to_owned();
    for _ in 0..MAX_EXPANSIONS {
        let mut out = String::new();
        let mut rest = value.as_str();
        let mut changed = false;
        while let Some(start) = rest.find("${") {
            let Some(end) = rest[start..].find('}') else { break };
            let name = &rest[start + 2..start + end];
            out.push_str(&rest[..start]);
            match lookup(name) {
                Some(replacement) => {
                    out.push_str(replacement);
                    changed = true;
                }
                None => out.push_str(&rest[start..=start + end]),
            }
            rest = &rest[start + end + 1..];
            if out.len() > MAX_VALUE_LEN {
                return value;
            }
        }
        out.push_str(rest);
        if !changed || out.len() > MAX_VALUE_LEN {
            return if out.len() > MAX_VALUE_LEN { value } else { out };
        }
        value = out;
    }
    value
}

const MAX_EXPANSIONS: usize = 8;
const MAX_VALUE_LEN: usize = 4096;

/// Reads the top-level `dependencies { ... }` blocks of a Groovy or Kotlin
/// build script with a small tokenizer (strings and comments skipped as
/// whole tokens): each line's configuration and its first string, or the
/// `group:`/`name:` pair of the map notation.
fn gradle(root: &Path, file: &str, text: &str) -> BuildFile {
    let mut build = BuildFile {
        file: file.to_owned(),
        tool: "Gradle".to_owned(),
        dependencies: Vec::new(),
        jars: Vec::new(),
        notes: Vec::new(),
        java_level: None,
    };
    let tokens = gradle_tokens(text);
    build.java_level = gradle_java_level(file, &tokens);
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Open('{') => depth += 1,
            Token::Close('}') => depth = depth.saturating_sub(1),
            Token::Word(word) if depth == 0 && word == "dependencies" => {
                if let Some(Token::Open('{')) = tokens.get(i + 1) {
                    i = dependencies_block(root, &tokens, i + 2, &mut build);
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    build
}

/// `JavaLanguageVersion.of(21)` (a toolchain), `JavaVersion.VERSION_17`, or
/// `sourceCompatibility = '17'`: the first of them in the script.
fn gradle_java_level(file: &str, tokens: &[Token]) -> Option<JavaLevel> {
    tokens.iter().enumerate().find_map(|(i, token)| {
        let Token::Word(word) = token else { return None };
        let value = if word.ends_with("JavaLanguageVersion.of") {
            match (tokens.get(i + 1), tokens.get(i + 2)) {
                (Some(Token::Open('(')), Some(Token::Word(v) | Token::Text(v))) => v.clone(),
                _ => return None,
            }
        } else if let Some(version) = word.strip_prefix("JavaVersion.") {
            version.to_owned()
        } else if word == "sourceCompatibility" {
            match (tokens.get(i + 1), tokens.get(i + 2)) {
                (Some(Token::Punct('=')), Some(Token::Word(v) | Token::Text(v))) if !v.starts_with("JavaVersion.") => {
                    v.clone()
                }
                _ => return None,
            }
        } else {
            return None;
        };
        Some(JavaLevel::new(parse_level(&value)?, format!("{file} ({word} {value})")))
    })
}

/// Reads one `dependencies` block from `start` (just after its `{`);
/// returns the index after its `}`.
fn dependencies_block(root: &Path, tokens: &[Token], start: usize, build: &mut BuildFile) -> usize {
    let mut i = start;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Close('}') => return i + 1,
            Token::Word(configuration) => {
                let end = statement_end(tokens, i + 1);
                read_dependency(root, configuration, &tokens[i + 1..end], build);
                i = end;
            }
            Token::Open('{') => i = statement_end(tokens, i),
            _ => i += 1,
        }
    }
    i
}

/// The end of the statement starting at `start`: the next line end or `;`
/// outside brackets, with any `{ ... }` closure after it included.
fn statement_end(tokens: &[Token], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Open(_) => depth += 1,
            Token::Close(_) if depth == 0 => return i,
            Token::Close(_) => depth -= 1,
            Token::LineEnd if depth == 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    i
}

fn read_dependency(root: &Path, configuration: &str, tokens: &[Token], build: &mut BuildFile) {
    let tests_only = configuration.starts_with("test") || configuration.starts_with("androidTest");
    let words: Vec<&str> =
        tokens.iter().filter_map(|t| if let Token::Word(w) = t { Some(w.as_str()) } else { None }).collect();
    let strings: Vec<&str> =
        tokens.iter().filter_map(|t| if let Token::Text(s) = t { Some(s.as_str()) } else { None }).collect();
    if words.first().is_some_and(|w| *w == "files" || *w == "fileTree") {
        add_local_jars(root, &words, &strings, build);
        return;
    }
    if words.first() == Some(&"project") {
        let name = format!("project({})", strings.first().map_or(String::new(), |s| format!("'{s}'")));
        build.dependencies.push(Dependency::new(name, String::new(), None, tests_only));
        return;
    }
    if let Some(alias) = words.first().filter(|w| w.starts_with("libs.")) {
        // A version catalog alias: `libs.assertj.core` is most likely `assertj-core`.
        let artifact = alias.trim_start_matches("libs.").replace('.', "-");
        build.dependencies.push(Dependency::new((*alias).to_owned(), artifact, None, tests_only));
        return;
    }
    // Map notation: `group: 'g', name: 'a', version: 'v'` (or `=` in Kotlin).
    let value_of = |key: &str| {
        tokens.windows(3).find_map(|w| match w {
            [Token::Word(k), Token::Punct(':' | '='), Token::Text(v)] if k == key => Some(v.clone()),
            _ => None,
        })
    };
    if let Some(artifact) = value_of("name") {
        let group = value_of("group").unwrap_or_default();
        build.dependencies.push(Dependency::new(
            format!("{group}:{artifact}"),
            artifact,
            value_of("version"),
            tests_only,
        ));
        return;
    }
    if let Some(coordinates) = strings.iter().find(|s| s.contains(':')) {
        let mut parts = coordinates.split(':');
        let (group, artifact, version) =
            (parts.next().unwrap_or_default(), parts.next().unwrap_or_default(), parts.next());
        build.dependencies.push(Dependency::new(
            format!("{group}:{artifact}"),
            artifact.to_owned(),
            version.filter(|v| !v.is_empty()).map(str::to_owned),
            tests_only,
        ));
    }
}

/// `files('lib/a.jar')` and `fileTree(dir: 'libs', include: ['*.jar'])`
/// (or `fileTree('libs')`): jars inside the project.
fn add_local_jars(root: &Path, words: &[&str], strings: &[&str], build: &mut BuildFile) {
    let inside = |path: &str| Some(super::normalize(&root.join(path))).filter(|p| super::is_inside(root, p));
    if words.first() == Some(&"files") {
        for jar in strings.iter().filter_map(|s| inside(s)).filter(|p| p.is_file()) {
            build.jars.push(jar);
        }
        return;
    }
    let Some(dir) = strings.first().and_then(|s| inside(s)) else { return };
    let mut jars: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jar") && p.is_file())
        .collect();
    jars.sort();
    build.jars.extend(jars);
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Text(String),
    Open(char),
    Close(char),
    Punct(char),
    LineEnd,
}

/// Words (with dots: `libs.junit.jupiter`), strings, brackets and line ends
/// of a Groovy or Kotlin script; comments are skipped.
fn gradle_tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' || c == ';' {
            tokens.push(Token::LineEnd);
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '"' || c == '\'' {
            let triple = chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c);
            let quote_len = if triple { 3 } else { 1 };
            i += quote_len;
            let mut value = String::new();
            while i < chars.len() {
                if chars[i] == '\\' {
                    value.extend(chars.get(i + 1));
                    i += 2;
                } else if chars[i] == c && (!triple || (chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c))) {
                    i += quote_len;
                    break;
                } else {
                    value.push(chars[i]);
                    i += 1;
                }
            }
            tokens.push(Token::Text(value));
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let mut word = String::new();
            while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '$' | '.' | '-')) {
                word.push(chars[i]);
                i += 1;
            }
            tokens.push(Token::Word(word));
        } else if matches!(c, '{' | '(' | '[') {
            tokens.push(Token::Open(c));
            i += 1;
        } else if matches!(c, '}' | ')' | ']') {
            tokens.push(Token::Close(c));
            i += 1;
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(build: &BuildFile) -> Vec<(String, bool)> {
        build.dependencies.iter().map(|d| (d.coordinates(), d.tests_only)).collect()
    }

    #[test]
    fn maven_dependencies_with_properties_and_scopes() {
        let dir = tempfile::tempdir().unwrap();
        let pom = r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <properties><junit.version>5.10.2</junit.version></properties>
  <dependencyManagement><dependencies><dependency><groupId>x</groupId><artifactId>managed</artifactId></dependency></dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>${junit.version}</version><scope>test</scope></dependency>
    <dependency><groupId>com.google.code.gson</groupId><artifactId>gson</artifactId><version>2.10.1</version></dependency>
    <dependency><groupId>org.mockito</groupId><artifactId>mockito-core</artifactId><scope>test</scope></dependency>
  </dependencies>
  <build><plugins><plugin><artifactId>maven-compiler-plugin</artifactId></plugin></plugins></build>
</project>"#;
        let build = maven(dir.path(), pom).unwrap();
        assert_eq!(
            names(&build),
            [
                ("org.junit.jupiter:junit-jupiter:5.10.2".to_owned(), true),
                ("com.google.code.gson:gson:2.10.1".to_owned(), false),
                ("org.mockito:mockito-core".to_owned(), true),
            ]
        );
        let missing: Vec<String> = build.missing(&[]).iter().map(|d| d.name.clone()).collect();
        assert_eq!(missing, ["com.google.code.gson:gson"]);
        assert!(build.missing(&[PathBuf::from("/p/lib/gson-2.10.1.jar")]).is_empty());
        assert_eq!(build.test_only().len(), 1);
        let message = build.missing_message(&build.missing(&[]));
        assert_eq!(
            message,
            "pom.xml needs a dependency that jbuild does not download: com.google.code.gson:gson:2.10.1; put its jar \
             in lib/ (e.g. lib/gson-2.10.1.jar), or build with Maven (`mvn package`)"
        );
    }

    #[test]
    fn properties_expand_as_maven_does_but_never_without_end() {
        let props = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let p = props(&[("a", "${b}-${b}"), ("b", "x"), ("v", "5.10")]);
        assert_eq!(expand_properties("${a} ${v} ${unknown} ${basedir}/lib", &p, "/p"), "x-x 5.10 ${unknown} /p/lib");
        // Each level doubles: 2^40 bytes if unbounded.
        let mut bomb: Vec<(String, String)> =
            (0..40).map(|i| (format!("p{i}"), format!("${{p{}}}${{p{}}}", i + 1, i + 1))).collect();
        bomb.push(("p40".into(), "x".into()));
        let expanded = expand_properties("${p0}", &bomb, "/p");
        assert!(expanded.len() <= MAX_VALUE_LEN, "{}", expanded.len());
        // A property naming itself stops too.
        assert!(expand_properties("${self}", &props(&[("self", "a${self}")]), "/p").len() <= MAX_VALUE_LEN);
    }

    #[test]
    fn java_levels_of_build_files() {
        let dir = tempfile::tempdir().unwrap();
        let level = |build: BuildFile| build.java_level.map(|l| (l.feature, l.from));
        let pom = |inside: &str| format!("<project><modelVersion>4.0.0</modelVersion>{inside}</project>");
        let props = "<properties><java.version>21</java.version><maven.compiler.source>1.8</maven.compiler.source></properties>";
        assert_eq!(
            level(maven(dir.path(), &pom(props)).unwrap()),
            Some((8, "pom.xml (maven.compiler.source 1.8)".into()))
        );
        let plugin = "<build><plugins><plugin><artifactId>maven-compiler-plugin</artifactId>\
                      <configuration><release>${java.version}</release></configuration></plugin></plugins></build>";
        assert_eq!(
            level(maven(dir.path(), &pom(&format!("{props}{plugin}"))).unwrap()),
            Some((21, "pom.xml (maven-compiler-plugin <release> 21)".into()))
        );
        assert_eq!(level(maven(dir.path(), &pom("")).unwrap()), None);
        let gradle_level = |text: &str| level(gradle(dir.path(), "build.gradle", text)).map(|(f, _)| f);
        assert_eq!(
            gradle_level("java {\n  toolchain {\n    languageVersion = JavaLanguageVersion.of(21)\n  }\n}\n"),
            Some(21)
        );
        assert_eq!(gradle_level("sourceCompatibility = JavaVersion.VERSION_1_8\n"), Some(8));
        assert_eq!(gradle_level("java { sourceCompatibility = '17' }\n"), Some(17));
        assert_eq!(gradle_level("// sourceCompatibility = '17'\nplugins { id 'java' }\n"), None);
    }

    #[test]
    fn gradle_dependencies_in_both_dialects() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("libs")).unwrap();
        std::fs::write(dir.path().join("libs/local.jar"), "").unwrap();
        let groovy = r#"
plugins { id 'java' }
buildscript { dependencies { classpath 'com.android.tools:gradle:8.0' } }
// implementation 'commented:out:1'
dependencies {
    implementation 'com.google.guava:guava:33.0-jre'
    implementation group: 'org.apache.commons', name: 'commons-lang3', version: '3.14.0'
    implementation fileTree(dir: 'libs', include: ['*.jar'])
    testImplementation platform('org.junit:junit-bom:5.10.0')
    testImplementation("org.junit.jupiter:junit-jupiter") { exclude group: 'x' }
    testImplementation libs.assertj.core
    implementation project(':core')
}
"#;
        let build = gradle(dir.path(), "build.gradle", groovy);
        assert_eq!(
            names(&build),
            [
                ("com.google.guava:guava:33.0-jre".to_owned(), false),
                ("org.apache.commons:commons-lang3:3.14.0".to_owned(), false),
                ("org.junit:junit-bom:5.10.0".to_owned(), true),
                ("org.junit.jupiter:junit-jupiter".to_owned(), true),
                ("libs.assertj.core".to_owned(), true),
                ("project(':core')".to_owned(), false),
            ]
        );
        assert_eq!(build.jars, [dir.path().join("libs/local.jar")]);
        let kotlin = "dependencies {\n    testImplementation(\"org.junit.jupiter:junit-jupiter:5.10.2\")\n    testRuntimeOnly(\"org.junit.platform:junit-platform-launcher\")\n}\n";
        let build = gradle(dir.path(), "build.gradle.kts", kotlin);
        assert!(build.missing(&[]).is_empty());
        assert!(build.dependencies.iter().all(Dependency::is_test_library));
    }
}
