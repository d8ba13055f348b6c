//! Which tests `jbuild test [CLASS|Class#method|GLOB...]` runs.
//!
//! A filter names a class (`calc.CalcTest`, or just `CalcTest`), a class
//! and a method (`CalcTest#add`), or either with globs (`*Test`,
//! `calc.*`, `CalcTest#add*`; `*` is any run of characters, `?` one). A class
//! part matches a test class's full name or its simple name. A `.java` file
//! (`calc/CalcTest.java`) stands for the class it is named after.

use std::fmt;

use anyhow::Result;

use super::TestSource;
use crate::error::usage;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestFilter {
    pub class: String,
    pub method: Option<String>,
}

impl fmt::Display for TestFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.method {
            Some(method) => write!(f, "{}#{method}", self.class),
            None => f.write_str(&self.class),
        }
    }
}

impl std::str::FromStr for TestFilter {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> Result<TestFilter> {
        let (class, method) = match text.split_once('#') {
            Some((class, method)) => (class, Some(method)),
            None => (text, None),
        };
        // A source file (`CalcTest.java`, `calc/CalcTest.java`, what an
        // editor's "test this file" passes) names its class by its file name.
        let class = match class.strip_suffix(".java") {
            Some(path) => path.rsplit(['/', std::path::MAIN_SEPARATOR]).next().unwrap_or(path),
            None if class.contains('/') => class.rsplit('/').next().unwrap_or(class),
            None => class,
        };
        let name_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '$' | '*' | '?');
        let bad = |why: &str| usage(format!("test filter {text:?}: {why} (e.g. CalcTest, calc.*Test, CalcTest#add)"));
        if class.is_empty() || !class.split('.').all(|part| !part.is_empty() && part.chars().all(name_char)) {
            return Err(bad("expected a class name or glob before any `#`"));
        }
        if let Some(method) = method
            && (method.is_empty() || !method.chars().all(name_char))
        {
            return Err(bad("expected a method name or glob after `#`"));
        }
        Ok(TestFilter { class: class.to_owned(), method: method.map(str::to_owned) })
    }
}

impl TestFilter {
    /// Whether the class part matches `class` (a binary name), by its full
    /// or its simple name.
    fn matches_class(&self, class: &str) -> bool {
        let simple = class.rsplit('.').next().unwrap_or(class);
        glob_matches(&self.class, class) || glob_matches(&self.class, simple)
    }
}

/// Whether `glob` (`*`, `?`) matches all of `text`.
pub fn glob_matches(glob: &str, text: &str) -> bool {
    let pattern: String = glob
        .chars()
        .map(|c| match c {
            '*' => ".*".to_owned(),
            '?' => ".".to_owned(),
            c => regex::escape(&c.to_string()),
        })
        .collect();
    regex::Regex::new(&format!("^(?s:{pattern})$")).is_ok_and(|re| re.is_match(text))
}

/// The classes to run with, for each, the method globs that pick its tests
/// (`None`: all); `None` when filters are given and none matches here.
///
/// Without filters: every class of a file that uses JUnit (classes without
/// tests are ignored by JUnit), except `@Nested` ones, which run with their
/// enclosing class.
pub fn selection(files: &[TestSource], filters: &[TestFilter]) -> Option<Vec<(String, Option<Vec<String>>)>> {
    let mut selected: Vec<(String, Option<Vec<String>>)> = Vec::new();
    for file in files.iter().filter(|f| f.declared.uses_junit) {
        for class in &file.declared.classes {
            let name = file.declared.qualified(class);
            if filters.is_empty() {
                if !class.nested {
                    selected.push((name, None));
                }
                continue;
            }
            let mut all = false;
            let mut globs = Vec::new();
            for filter in filters.iter().filter(|f| f.matches_class(&name)) {
                match &filter.method {
                    None => all = true,
                    Some(glob) if class.methods.iter().any(|m| glob_matches(glob, &m.name)) => globs.push(glob.clone()),
                    Some(_) => {}
                }
            }
            if all {
                selected.push((name, None));
            } else if !globs.is_empty() {
                selected.push((name, Some(globs)));
            }
        }
    }
    (!selected.is_empty()).then_some(selected)
}

/// Names in `classes` close to `wanted`, for "did you mean".
pub fn similar(wanted: &str, classes: &[String]) -> Vec<String> {
    let simple = |n: &str| n.rsplit('.').next().unwrap_or(n).to_lowercase();
    let mut close: Vec<String> = classes
        .iter()
        .filter(|c| strsim::normalized_damerau_levenshtein(&simple(c), &simple(wanted)) >= 0.7)
        .cloned()
        .collect();
    close.sort();
    close.dedup();
    close.truncate(3);
    close
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scanner::test_classes;

    fn files() -> Vec<TestSource> {
        let text = "package calc;\nimport org.junit.jupiter.api.*;\nclass CalcTest { @Test void add() {} @Test void addMore() {} @Test void div() {} @Nested class Inner { @Test void deep() {} } }";
        vec![TestSource {
            path: "test/calc/CalcTest.java".into(),
            absolute: "/p/test/calc/CalcTest.java".into(),
            declared: test_classes::read(text),
        }]
    }

    fn parse(filters: &[&str]) -> Vec<TestFilter> {
        filters.iter().map(|f| f.parse().unwrap()).collect()
    }

    #[test]
    fn filters_parse_and_bad_ones_are_named() {
        assert_eq!(
            "CalcTest#add".parse::<TestFilter>().unwrap(),
            TestFilter { class: "CalcTest".into(), method: Some("add".into()) }
        );
        for file in ["CalcTest.java", "test/calc/CalcTest.java", "./CalcTest.java"] {
            assert_eq!(file.parse::<TestFilter>().unwrap(), TestFilter { class: "CalcTest".into(), method: None });
        }
        for bad in ["", "#add", "Calc Test", "CalcTest#", "a..b", "CalcTest#add()", ".java", "calc/"] {
            let error = bad.parse::<TestFilter>().unwrap_err().to_string();
            assert!(error.starts_with(&format!("test filter {bad:?}")), "{error}");
        }
    }

    #[test]
    fn everything_without_filters_and_nested_classes_with_their_outer_class() {
        assert_eq!(selection(&files(), &[]), Some(vec![("calc.CalcTest".into(), None)]));
    }

    #[test]
    fn classes_by_simple_or_full_name_and_methods_by_glob() {
        assert_eq!(selection(&files(), &parse(&["CalcTest"])), Some(vec![("calc.CalcTest".into(), None)]));
        assert_eq!(selection(&files(), &parse(&["calc.*"])).unwrap().len(), 2);
        assert_eq!(
            selection(&files(), &parse(&["*Test#add*", "CalcTest#div"])),
            Some(vec![("calc.CalcTest".into(), Some(vec!["add*".into(), "div".into()]))])
        );
        assert_eq!(selection(&files(), &parse(&["CalcTest#nope"])), None);
        assert_eq!(selection(&files(), &parse(&["Other"])), None);
        assert!(
            glob_matches("a?c", "abc")
                && !glob_matches("a?c", "abbc")
                && glob_matches("a.b", "a.b")
                && !glob_matches("a.b", "axb")
        );
    }
}
