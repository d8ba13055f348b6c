//! The project model: discovery, layout (where the root, `src/`,
//! `classes/` and `lib/` are), settings, and what a target names.

pub mod settings;
pub mod target;
pub mod test_sources;

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};

use self::settings::{SETTINGS_FILE, Settings, SettingsFile, SettingsOverrides};
use crate::error::usage;
use crate::scanner::{SourceListing, SourceTree, list_sources};

/// A discovered project with its settings resolved to absolute paths.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub src: PathBuf,
    pub classes: PathBuf,
    /// The jar folder, when it exists.
    pub lib: Option<PathBuf>,
    pub settings: Settings,
}

impl Project {
    /// Finds the project for `start` (the current folder, or `--project DIR`)
    /// and loads its settings.
    pub fn load(start: &Path, explicit: bool, flags: &SettingsOverrides) -> Result<Project> {
        let root = if explicit {
            if !start.is_dir() {
                return Err(usage(format!("--project {}: no such folder", start.display())));
            }
            start.to_path_buf()
        } else {
            discover(start)?
        };
        let root = std::path::absolute(&root).with_context(|| format!("resolving {}", root.display()))?;
        let file = SettingsFile::load(&root)?;
        // The source folder is `src/`, or the project folder itself when
        // there is no `src/` (Java files at the top, as Classroom's
        // exercises have them).
        let default_src = if root.join("src").is_dir() { "src" } else { "." };
        let settings = Settings::merge(file, flags, &root.join(SETTINGS_FILE), Path::new(default_src))?;
        let src = normalize(&root.join(&settings.src));
        if !src.is_dir() {
            return Err(usage(format!(
                "{} has no source folder {}/ (set `src` in {} or pass --src)",
                root.display(),
                settings.src.display(),
                SETTINGS_FILE
            )));
        }
        let lib = match &settings.lib {
            Some(lib) => {
                let lib = root.join(lib);
                if !lib.is_dir() {
                    return Err(usage(format!("setting `lib`: {} is not a folder", lib.display())));
                }
                Some(lib)
            }
            None => Some(root.join("lib")).filter(|lib| lib.is_dir()),
        };
        let classes = normalize(&root.join(&settings.classes));
        check_output_folder(&root, &src, &classes, &settings)?;
        Ok(Project { classes, root, src, lib, settings })
    }

    /// The `.java` files of the source tree, not counting any inside the
    /// output folder (which sits in the source folder when `src = "."`).
    pub fn list_sources(&self) -> SourceListing {
        let mut listing = list_sources(&self.src);
        if let Ok(inside) = self.classes.strip_prefix(&self.src) {
            listing.files.retain(|file| !file.starts_with(inside));
        }
        if self.src == self.root {
            // The project folder as source folder: `.git/`, `.github/` and
            // the like hold no sources.
            listing.files.retain(|file| !file.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')));
        }
        listing
    }

    /// The source tree, scanned (see [`Project::list_sources`]).
    pub fn scan(&self) -> SourceTree {
        SourceTree::from_listing(&self.src, self.list_sources())
    }

    /// Jars in the lib folder, sorted so the classpath is deterministic.
    pub fn jars(&self) -> Result<Vec<PathBuf>> {
        let Some(lib) = &self.lib else { return Ok(Vec::new()) };
        let mut jars = Vec::new();
        for entry in std::fs::read_dir(lib).with_context(|| format!("reading {}", lib.display()))? {
            let path = entry.with_context(|| format!("reading {}", lib.display()))?.path();
            if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("jar")) {
                jars.push(path);
            }
        }
        jars.sort();
        Ok(jars)
    }
}

/// Walks up from `start`: a folder with `jbuild.toml` is the root; a folder
/// named `src` or `classes` whose parent has `src/` means the parent is the
/// root; a folder containing `src/` is the root.
pub fn discover(start: &Path) -> Result<PathBuf> {
    let start = std::path::absolute(start).with_context(|| format!("resolving {}", start.display()))?;
    for dir in start.ancestors() {
        if dir.join(SETTINGS_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
        let named_layout = matches!(dir.file_name().and_then(|n| n.to_str()), Some("src" | "classes"));
        if named_layout
            && let Some(parent) = dir.parent()
            && parent.join("src").is_dir()
        {
            return Ok(parent.to_path_buf());
        }
        if dir.join("src").is_dir() || has_classroom_tests(dir) {
            return Ok(dir.to_path_buf());
        }
    }
    // Nothing marks a project above: Java files right here make one.
    if has_java_files(&start) {
        return Ok(start);
    }
    Err(usage(format!(
        "no Java project found at {} or above it: jbuild looks for a folder with {SETTINGS_FILE}, a src/ folder, \
         GitHub Classroom tests (.github/classroom/autograding.json, .github/workflows/classroom.yml) \
         or .java files (run from the project, its src/ or classes/, or pass -C DIR)",
        start.display()
    )))
}

/// Files that make a folder a GitHub Classroom assignment.
pub const CLASSROOM_FILES: [&str; 2] = [".github/classroom/autograding.json", ".github/workflows/classroom.yml"];

/// Whether `dir` holds GitHub Classroom tests.
pub fn has_classroom_tests(dir: &Path) -> bool {
    CLASSROOM_FILES.iter().any(|file| dir.join(file).is_file())
}

/// Whether `dir` itself (not below it) holds `.java` files.
pub fn has_java_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            e.path().extension().is_some_and(|x| x == "java")
                && e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink())
        })
    })
}

/// jbuild deletes stale class files under the output folder and writes
/// there, so it must stay apart from the sources and inside the project.
/// Paths are compared normalised (`x/../src` is `src`) and with symlinks
/// resolved as far as they exist.
fn check_output_folder(root: &Path, src: &Path, classes: &Path, settings: &Settings) -> Result<()> {
    let bad = |why: String| usage(format!("setting `classes` ({}): {why}", settings.classes.display()));
    let (real_root, real_src, real_classes) = (real_path(root), real_path(src), real_path(classes));
    if !settings.classes.is_absolute() && !real_classes.starts_with(&real_root) {
        return Err(bad(format!(
            "{} is outside the project {}; give an absolute path to write class files elsewhere",
            classes.display(),
            root.display()
        )));
    }
    if real_classes == real_src {
        return Err(bad(format!("the output folder is the source folder {}", src.display())));
    }
    if real_src.starts_with(&real_classes) {
        return Err(bad(format!("the output folder contains the source folder {}", src.display())));
    }
    if !settings.src.is_absolute() && !real_src.starts_with(&real_root) {
        return Err(usage(format!(
            "setting `src` ({}): {} is outside the project {}",
            settings.src.display(),
            src.display(),
            root.display()
        )));
    }
    Ok(())
}

/// `path` with its longest existing prefix's symlinks resolved.
fn real_path(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.into_iter().rev().fold(real, |path, part: std::ffi::OsString| path.join(part));
        }
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Removes `.` and `..` lexically (`src/../x` is `x`), without touching
/// the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether `dir` is a project root: it has `jbuild.toml`, a `src/` folder,
/// GitHub Classroom tests, or `.java` files of its own beside a `tests/`
/// or `test/` folder (a package folder alone is not a project).
pub fn is_project_dir(dir: &Path) -> bool {
    dir.join(SETTINGS_FILE).is_file()
        || dir.join("src").is_dir()
        || has_classroom_tests(dir)
        || ((dir.join("tests").is_dir() || dir.join("test").is_dir()) && has_java_files(dir))
}

/// Project folders below `dir`, not looking inside a project once found,
/// nor into hidden or build folders.
pub fn projects_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut walker = walkdir::WalkDir::new(dir).min_depth(1).max_depth(6).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || matches!(name.as_ref(), "classes" | "target" | "build" | "node_modules" | "src") {
            walker.skip_current_dir();
            continue;
        }
        if is_project_dir(entry.path()) {
            found.push(entry.path().to_path_buf());
            walker.skip_current_dir();
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        dir
    }

    #[test]
    fn discovery_walks_up_to_the_first_marker() {
        let dir = layout(&["p/src/a/Main.java", "p/classes/a/Main.class", "q/jbuild.toml", "q/deep/er/x.txt"]);
        let root = dir.path();
        assert_eq!(discover(&root.join("p")).unwrap(), root.join("p"));
        assert_eq!(discover(&root.join("p/src/a")).unwrap(), root.join("p"));
        assert_eq!(discover(&root.join("p/classes/a")).unwrap(), root.join("p"));
        assert_eq!(discover(&root.join("q/deep/er")).unwrap(), root.join("q"));
    }

    #[test]
    fn classroom_files_and_loose_java_files_make_projects() {
        let dir = layout(&[
            "hw/.github/classroom/autograding.json",
            "yml/.github/workflows/classroom.yml",
            "loose/Hello.java",
            "course/ex1/Hello.java",
            "course/ex1/tests/Hello/a.out",
        ]);
        let root = dir.path();
        assert_eq!(discover(&root.join("hw")).unwrap(), root.join("hw"));
        assert_eq!(discover(&root.join("yml")).unwrap(), root.join("yml"));
        assert_eq!(discover(&root.join("loose")).unwrap(), root.join("loose"), "Java files right here");
        assert!(discover(root).is_err());
        assert!(is_project_dir(&root.join("course/ex1")));
        assert!(!is_project_dir(&root.join("loose")), "a package folder alone is not a project");
        assert_eq!(projects_below(root), [root.join("course/ex1"), root.join("hw"), root.join("yml")]);
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("/p/x/../src/./a")), PathBuf::from("/p/src/a"));
        assert_eq!(normalize(Path::new("/p/..")), PathBuf::from("/"));
    }
}
