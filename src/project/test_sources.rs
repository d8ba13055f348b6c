//! Where a project's JUnit test sources live: test source roots (the
//! `test-src` setting, else `test/` beside `src/`), plus test classes kept
//! inside `src/` (a file that imports from `org.junit` is a test source
//! wherever it is).
//!
//! Roots are a list so more layouts (Maven's `src/test/java`) can be added
//! to [`DEFAULT_TEST_ROOTS`] without touching their users.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::{Project, normalize};
use crate::error::usage;
use crate::project::settings::SETTINGS_FILE;
use crate::scanner::test_classes;

/// Folders (relative to the project root) that hold test sources when the
/// `test-src` setting does not name one. `test/` may also hold
/// online-judge `.in`/`.out` cases: only its `.java` files are sources.
pub const DEFAULT_TEST_ROOTS: &[&str] = &["test"];

/// The project's test source roots that exist, as absolute paths.
pub fn test_roots(project: &Project) -> Result<Vec<PathBuf>> {
    let root = &project.root;
    if let Some(setting) = &project.settings.test_src {
        let dir = normalize(&root.join(setting));
        let bad = |why: String| usage(format!("setting `test-src` ({}) in {SETTINGS_FILE}: {why}", setting.display()));
        if !dir.is_dir() {
            return Err(bad(format!("{} is not a folder", dir.display())));
        }
        if !crate::project::is_inside(root, &dir) {
            return Err(bad(format!("{} is outside the project {}", dir.display(), root.display())));
        }
        check_apart(project, &dir).map_err(bad)?;
        return Ok(vec![dir]);
    }
    // test/ beside src/, and the layout's own test roots (src/test/java).
    let mut roots: Vec<PathBuf> = DEFAULT_TEST_ROOTS
        .iter()
        .map(|name| root.join(name))
        .filter(|dir| dir.is_dir() && check_apart(project, dir).is_ok())
        .collect();
    for dir in project.test_roots() {
        if !roots.iter().any(|r| r == dir) && check_apart(project, dir).is_ok() {
            roots.push(dir.to_path_buf());
        }
    }
    Ok(roots)
}

/// A test root must not be, or contain, the source or output folder, and
/// must not sit inside the output folder.
fn check_apart(project: &Project, dir: &Path) -> std::result::Result<(), String> {
    if project.src.starts_with(dir) {
        return Err(format!("it contains the source folder {}", project.src.display()));
    }
    if project.classes.starts_with(dir) || dir.starts_with(&project.classes) {
        return Err(format!("it overlaps the output folder {}", project.classes.display()));
    }
    Ok(())
}

/// Whether the file at `path` is a test source: it uses JUnit.
pub fn is_test_source(path: &Path) -> Result<bool> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(uses_junit(&String::from_utf8_lossy(&bytes)))
}

/// Whether Java source `text` uses JUnit (imports from `org.junit`, or
/// names an `org.junit` annotation in full). A cheap test first: no
/// mention of `junit` at all means no.
pub fn uses_junit(text: &str) -> bool {
    (text.contains("junit") || text.contains("\\u")) && test_classes::read(text).uses_junit
}

#[cfg(test)]
mod tests {
    use super::uses_junit;

    #[test]
    fn junit_users_are_tests() {
        assert!(uses_junit("import org.junit.jupiter.api.Test;\nclass T {}"));
        assert!(uses_junit("import static org.junit.Assert.*;\nclass T {}"));
        assert!(!uses_junit("class Main { /* org.junit */ }"));
        assert!(!uses_junit("class Main {}"));
    }
}
