//! JUnit tests as cases of `jbuild check` and `jbuild test`.
//!
//! A project with test sources that use JUnit gets one extra case, a
//! [`Suite`], placed after its input/output cases. When the project is
//! compiled the suite's test classes are compiled too ([`compile`]: all
//! together, then one file at a time if that fails, so a test class that
//! does not compile fails only its own tests), and when the suite's turn
//! comes its tests run in a fresh JVM under the case limits ([`run`]), each
//! reported as a case of its own, named `<TestClass>/<test>`.

mod compile;
mod outcome;
mod run;
mod select;

use std::path::PathBuf;

use anyhow::{Context as _, Result};

pub use self::compile::TestBuild;
pub(in crate::check) use self::compile::compile;
pub(in crate::check) use self::run::run;
pub use self::select::TestFilter;
use super::cases::{Case, Program};
use crate::build::record::BuildRecord;
use crate::build::source_set::SourceSet;
use crate::context::Context;
use crate::error::usage;
use crate::scanner::test_classes::{self, TestFile};
use crate::toolchain::junit::{JunitPlatform, find};

/// A project's JUnit tests, as found in their sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Suite {
    pub platform: JunitPlatform,
    /// The test source set's files, in path order.
    pub files: Vec<TestSource>,
    /// The classes to run and, for each, the method globs that pick its
    /// tests (`None`: all of them).
    pub selection: Vec<(String, Option<Vec<String>>)>,
}

/// One file of the test source set.
#[derive(Debug, Clone, PartialEq)]
pub struct TestSource {
    /// As javac and requests name it: relative to the project root.
    pub path: PathBuf,
    pub absolute: PathBuf,
    pub declared: TestFile,
}

impl Suite {
    /// The test sources that declare `class` (a binary name).
    fn file_of(&self, class: &str) -> Option<&TestSource> {
        self.files.iter().find(|f| f.declared.classes.iter().any(|c| f.declared.qualified(c) == class))
    }

    /// The scanned tests of the selection in `files`, in source order:
    /// `(class, method)` pairs.
    fn scanned_tests<'a>(
        &'a self,
        files: impl Fn(&TestSource) -> bool + 'a,
    ) -> impl Iterator<Item = (&'a TestSource, String, &'a test_classes::TestClass, &'a test_classes::TestMethod)> + 'a
    {
        self.files.iter().filter(move |f| files(f)).flat_map(move |file| {
            file.declared.classes.iter().flat_map(move |class| {
                let name = file.declared.qualified(class);
                let globs = self.selected_globs(&name);
                class
                    .methods
                    .iter()
                    .filter(move |m| match &globs {
                        None => false,
                        Some(None) => true,
                        Some(Some(globs)) => globs.iter().any(|g| select::glob_matches(g, &m.name)),
                    })
                    .map(move |m| (file, name.clone(), class, m))
            })
        })
    }

    /// Whether `class` runs, and with which method globs: `None` when it
    /// does not, `Some(None)` for all its tests. A nested class runs with its
    /// enclosing class when that is selected.
    fn selected_globs(&self, class: &str) -> Option<Option<Vec<String>>> {
        let mut outer = Some(class);
        while let Some(name) = outer {
            if let Some((_, globs)) = self.selection.iter().find(|(selected, _)| selected == name) {
                return Some(globs.clone());
            }
            outer = name.rsplit_once('$').map(|(o, _)| o);
        }
        None
    }
}

/// The JUnit case of a project, when it has test sources that use JUnit
/// and (with `filters`) tests that match; finding the JUnit jar is then
/// required. Points tags are checked here, before anything runs.
pub fn discover(ctx: &Context, filters: &[TestFilter]) -> Result<Option<Case>> {
    let project = &ctx.project;
    let set = SourceSet::tests(project, None)?;
    if !set.has_candidates() {
        return Ok(None);
    }
    let (main_record, _) = BuildRecord::load(&project.classes);
    let mut files = Vec::new();
    for file in set.files(&main_record)? {
        let absolute = file.root.join(&file.relative);
        let bytes = std::fs::read(&absolute).with_context(|| format!("reading {}", absolute.display()))?;
        let declared = test_classes::read(&String::from_utf8_lossy(&bytes));
        files.push(TestSource { path: file.path, absolute, declared });
    }
    if !files.iter().any(|f| f.declared.uses_junit) {
        return Ok(None);
    }
    for file in &files {
        check_points(ctx, file)?;
    }
    let Some(selection) = select::selection(&files, filters) else { return Ok(None) };
    let platform = find(project)?;
    let origin = set.roots.first().cloned().unwrap_or_else(|| files[0].absolute.clone());
    let suite = Suite { platform, files, selection };
    Ok(Some(Case::new("JUnit tests".to_owned(), "JUnit".to_owned(), origin, None, Program::Junit(Box::new(suite)))))
}

/// The usage error for `jbuild test FILTER...` when no project has a test
/// that matches, naming the test classes there are.
pub fn nothing_matches(contexts: &[&Context], filters: &[TestFilter]) -> anyhow::Error {
    let mut classes = Vec::new();
    for ctx in contexts {
        let Ok(set) = SourceSet::tests(&ctx.project, None) else { continue };
        let (main_record, _) = BuildRecord::load(&ctx.project.classes);
        for file in set.files(&main_record).unwrap_or_default() {
            let text = std::fs::read(file.root.join(&file.relative)).unwrap_or_default();
            let declared = test_classes::read(&String::from_utf8_lossy(&text));
            if declared.uses_junit {
                classes
                    .extend(declared.classes.iter().filter(|c| !c.methods.is_empty()).map(|c| declared.qualified(c)));
            }
        }
    }
    let wanted = filters.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
    if classes.is_empty() {
        return usage(format!("no JUnit tests to match {wanted}: no test sources use JUnit here"));
    }
    let similar = filters
        .iter()
        .flat_map(|f| select::similar(&f.class, &classes))
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>();
    let hint = if similar.is_empty() {
        format!("test classes: {}", classes.join(", "))
    } else {
        format!("did you mean {}?", similar.join(", "))
    };
    usage(format!("no JUnit test matches {wanted} ({hint})"))
}

/// Refuses a points tag that is not a number, naming the file and test.
fn check_points(ctx: &Context, file: &TestSource) -> Result<()> {
    for class in &file.declared.classes {
        let class_name = file.declared.qualified(class);
        let tags = std::iter::once((class_name.clone(), &class.points))
            .chain(class.methods.iter().map(|m| (format!("{class_name}#{}", m.name), &m.points)));
        for (what, points) in tags {
            if let Some(points) = points
                && parse_points(points).is_none()
            {
                return Err(usage(format!(
                    "{}: `{what}`: @Tag(\"points={points}\") is not a number of points (e.g. points=2 or points=0.5)",
                    ctx.display_path(&file.absolute)
                )));
            }
        }
    }
    Ok(())
}

/// A `points=N` tag's value: a finite number, zero or more.
pub fn parse_points(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|p| p.is_finite() && *p >= 0.0)
}

#[cfg(test)]
mod tests {
    use super::parse_points;

    #[test]
    fn points_are_plain_non_negative_numbers() {
        assert_eq!(parse_points("2"), Some(2.0));
        assert_eq!(parse_points(" 0.5"), Some(0.5));
        for bad in ["", "two", "-1", "inf", "NaN", "1/2"] {
            assert_eq!(parse_points(bad), None, "{bad}");
        }
    }
}
