//! The project model: discovery, layout (where the root, `src/`,
//! `classes/` and `lib/` are), settings, and what a target names.

pub mod settings;
pub mod target;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use self::settings::{SETTINGS_FILE, Settings, SettingsFile, SettingsOverrides};
use crate::error::usage;

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
        let settings = Settings::merge(file, flags, &root.join(SETTINGS_FILE))?;
        let src = root.join(&settings.src);
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
        let classes = root.join(&settings.classes);
        // jbuild deletes stale class files under the output folder: keep it
        // apart from the sources so that can never touch them.
        if src.starts_with(&classes) || classes.starts_with(&src) {
            return Err(usage(format!(
                "setting `classes` ({}): the output folder must not contain the source folder {} or sit inside it",
                settings.classes.display(),
                src.display()
            )));
        }
        Ok(Project { classes, root, src, lib, settings })
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
        if dir.join("src").is_dir() {
            return Ok(dir.to_path_buf());
        }
    }
    Err(usage(format!(
        "no Java project found at {} or above it: jbuild looks for a folder with {SETTINGS_FILE} or a src/ folder \
         (run from the project, its src/ or classes/, or pass --project DIR)",
        start.display()
    )))
}

/// Whether `dir` is a project root: it has `jbuild.toml` or a `src/` folder.
pub fn is_project_dir(dir: &Path) -> bool {
    dir.join(SETTINGS_FILE).is_file() || dir.join("src").is_dir()
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
