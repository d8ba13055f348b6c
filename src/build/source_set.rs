//! Source sets: what one output folder is compiled from, and against what.
//!
//! - The main set: `src/` without its test sources, into `classes/`, against
//!   `lib/*.jar`. javac runs from `src/`, as the classic script did.
//! - The test set: the test source roots (`test/`) and the test sources found
//!   inside `src/`, into `classes/.jbuild/test-classes/`, against
//!   `classes/`, the JUnit jar and `lib/*.jar`. javac runs from the project
//!   root, so its diagnostics say `test/CalcTest.java`.
//!
//! Test classes live inside the main output folder's `.jbuild/` because that
//! folder is jbuild's own: it is never taken for a package by java, the main
//! build record never lists anything in it, `jbuild watch` ignores it, and
//! removing `classes/` removes both. The test set has its own build record
//! and lock there, so both sets are compiled (or found fresh) the same way.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::outputs::create_real_folders;
use super::record::{BuildRecord, RECORD_DIR, key_of};
use crate::error::usage;
use crate::project::Project;
use crate::project::test_sources::{is_test_source, test_roots};
use crate::scanner::list_sources;

/// The test classes' folder inside the main output folder's `.jbuild/`.
pub const TEST_CLASSES: &str = "test-classes";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    Main,
    Tests,
}

/// One output folder and what it is compiled from.
#[derive(Debug, Clone)]
pub struct SourceSet {
    pub kind: SetKind,
    /// javac runs here (unless one worker serves many projects), and the
    /// build record's source keys are relative to it.
    pub base: PathBuf,
    /// The `-sourcepath` roots, absolute.
    pub roots: Vec<PathBuf>,
    pub output: PathBuf,
    /// What the set compiles against (after javac's staging folder).
    pub classpath: Vec<PathBuf>,
    /// The output folder of the set this one compiles against: locked while
    /// this set compiles, and its build record decides which `src/` files
    /// are known main sources and is part of this set's fingerprint.
    pub upstream: Option<PathBuf>,
    /// Put the set's own output folder on the classpath too (compiling test
    /// classes one at a time, so each sees those compiled before it).
    pub see_own_output: bool,
    candidates: Vec<Candidate>,
    /// Things skipped while listing the sources.
    pub warnings: Vec<String>,
}

/// A `.java` file that may belong to the set.
#[derive(Debug, Clone)]
struct Candidate {
    file: SetFile,
    /// Its key in the main build record when it lies in `src/`: it belongs
    /// to the test set exactly when it is a test source.
    src_key: Option<String>,
}

/// One source of a set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetFile {
    /// The source root it lies in, absolute.
    pub root: PathBuf,
    /// Relative to its root (its package path).
    pub relative: PathBuf,
    /// Relative to the set's base (absolute when outside it): how javac
    /// and requests name it.
    pub path: PathBuf,
    /// The build record's key.
    pub key: String,
}

impl SourceSet {
    /// `src/` without its test sources, into `classes/`.
    pub fn main(project: &Project) -> Result<SourceSet> {
        let listing = project.list_sources();
        listing.refuse_links_out(&project.src, &project.root).map_err(usage)?;
        let test_roots = test_roots(project)?;
        let candidates = listing
            .files
            .into_iter()
            .filter(|relative| !test_roots.iter().any(|t| project.src.join(relative).starts_with(t)))
            .map(|relative| {
                let file = SetFile {
                    root: project.src.clone(),
                    key: key_of(&relative),
                    path: relative.clone(),
                    relative: relative.clone(),
                };
                Candidate { src_key: Some(file.key.clone()), file }
            })
            .collect();
        Ok(SourceSet {
            kind: SetKind::Main,
            base: project.src.clone(),
            roots: project.source_roots().into_iter().map(Path::to_path_buf).collect(),
            output: project.classes.clone(),
            classpath: project.jars()?,
            upstream: None,
            see_own_output: false,
            candidates,
            warnings: listing.warnings,
        })
    }

    /// The test source roots and the test sources in `src/`, into
    /// `classes/.jbuild/test-classes/`, against `classes/`, `junit_jar` and
    /// the lib jars (the jar may be left out to only list the sources).
    pub fn tests(project: &Project, junit_jar: Option<&Path>) -> Result<SourceSet> {
        let base = project.root.clone();
        let roots = test_roots(project)?;
        let mut warnings = Vec::new();
        let mut candidates = Vec::new();
        for root in &roots {
            let listing = list_sources(root, &project.root);
            listing.refuse_links_out(root, &project.root).map_err(usage)?;
            warnings.extend(listing.warnings);
            for relative in listing.files {
                let file = set_file(&base, root, relative);
                candidates.push(Candidate { file, src_key: None });
            }
        }
        let listing = project.list_sources();
        listing.refuse_links_out(&project.src, &project.root).map_err(usage)?;
        for relative in listing.files {
            if roots.iter().any(|t| project.src.join(&relative).starts_with(t)) {
                continue; // listed with its test root already
            }
            let src_key = key_of(&relative);
            candidates.push(Candidate { file: set_file(&base, &project.src, relative), src_key: Some(src_key) });
        }
        let mut classpath = vec![project.classes.clone()];
        classpath.extend(junit_jar.map(Path::to_path_buf));
        classpath.extend(project.jars()?.into_iter().filter(|jar| Some(jar.as_path()) != junit_jar));
        Ok(SourceSet {
            kind: SetKind::Tests,
            output: project.classes.join(RECORD_DIR).join(TEST_CLASSES),
            base,
            roots,
            classpath,
            upstream: Some(project.classes.clone()),
            see_own_output: false,
            candidates,
            warnings,
        })
    }

    /// Whether the set has any file that could be a source (before telling
    /// main and test sources in `src/` apart).
    pub fn has_candidates(&self) -> bool {
        !self.candidates.is_empty()
    }

    /// The set's sources. A file in `src/` is a test source when it uses
    /// JUnit; files the main build record lists, unchanged since, are known
    /// main sources without reading them again.
    pub fn files(&self, main_record: &BuildRecord) -> Result<Vec<SetFile>> {
        let keep = |candidate: &Candidate| -> Result<Option<SetFile>> {
            let is_test = match &candidate.src_key {
                None => true,
                Some(key) => {
                    let path = candidate.file.root.join(&candidate.file.relative);
                    let known_main = std::fs::metadata(&path).is_ok_and(|m| main_record.knows_unchanged(key, &m));
                    !known_main && is_test_source(&path)?
                }
            };
            Ok((is_test == (self.kind == SetKind::Tests)).then(|| candidate.file.clone()))
        };
        let kept: Result<Vec<Option<SetFile>>> = crate::par::map(&self.candidates, keep).into_iter().collect();
        Ok(kept?.into_iter().flatten().collect())
    }

    /// Creates the output folder through real folders only (the test set's
    /// lies inside `classes/.jbuild/`).
    pub fn create_output(&self, project: &Project) -> Result<()> {
        if self.kind == SetKind::Tests {
            std::fs::create_dir_all(&project.classes)
                .map_err(|e| anyhow::anyhow!("creating {}: {e}", project.classes.display()))?;
            create_real_folders(&project.classes, &Path::new(RECORD_DIR).join(TEST_CLASSES))?;
        }
        Ok(())
    }

    /// The set's source roots as the user would type them, for messages.
    pub fn shown_roots(&self, project: &Project) -> String {
        self.roots.iter().map(|root| project.shown(root)).collect::<Vec<_>>().join(", ")
    }

    /// "file" or "test file", for status lines.
    pub fn noun(&self) -> &'static str {
        match self.kind {
            SetKind::Main => "file",
            SetKind::Tests => "test file",
        }
    }
}

fn set_file(base: &Path, root: &Path, relative: PathBuf) -> SetFile {
    let absolute = root.join(&relative);
    let path = absolute.strip_prefix(base).map(Path::to_path_buf).unwrap_or(absolute);
    SetFile { root: root.to_path_buf(), key: key_of(&path), path, relative }
}

/// The test classes' folder of a project.
pub fn test_classes(project: &Project) -> PathBuf {
    project.classes.join(RECORD_DIR).join(TEST_CLASSES)
}
