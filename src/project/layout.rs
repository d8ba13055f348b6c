//! Source roots: the folders where packages start (`src/`, `src/main/java`,
//! the project folder itself). A file's package names the folders between
//! its root and itself, so `src/main/java/com/x/App.java` declaring
//! `package com.x;` has the root `src/main/java`.
//!
//! Roots come from, in order: the `src` setting, an IDE project file,
//! Maven's folders (known without reading a file), and otherwise the
//! package lines of the files themselves: the roots they agree on.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::scanner::{Head, Header, SourceListing, list_sources, read_heads};
use crate::term::count;

/// What a root holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RootKind {
    /// Sources of the program: compiled into the output folder.
    Main,
    /// Test sources (JUnit): not part of the main build.
    Test,
    /// Files copied into the output folder as they are (`getResource`).
    Resources,
}

/// One root and why jbuild uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRoot {
    /// Absolute.
    pub path: PathBuf,
    pub kind: RootKind,
    pub why: String,
}

impl SourceRoot {
    pub fn new(path: PathBuf, kind: RootKind, why: impl Into<String>) -> SourceRoot {
        SourceRoot { path, kind, why: why.into() }
    }
}

/// Eclipse's exclusion pattern (`chess/`, `**/Old*.java`, relative to its
/// source folder; `**` any folders, `*` and `?` within a name, a trailing
/// `/` the folder and all below it) as a regular expression over a path with
/// `/` between its parts.
pub fn exclusion_pattern(pattern: &str) -> Option<regex::Regex> {
    let pattern = if pattern.ends_with('/') { format!("{pattern}**") } else { pattern.to_owned() };
    let mut regex = String::from("^");
    let mut rest = pattern.as_str();
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("**/") {
            regex.push_str("(?:.*/)?");
            rest = after;
        } else if let Some(after) = rest.strip_prefix("**") {
            regex.push_str(".*");
            rest = after;
        } else {
            match c {
                '*' => regex.push_str("[^/]*"),
                '?' => regex.push_str("[^/]"),
                c => regex.push_str(&regex::escape(&c.to_string())),
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    regex.push('$');
    regex::Regex::new(&regex).ok()
}

/// Maven's main sources, test sources and resources.
pub const MAVEN_MAIN: &str = "src/main/java";
pub const MAVEN_TEST: &str = "src/test/java";
pub const MAVEN_RESOURCES: &str = "src/main/resources";

/// Folders at the top of a project that hold jbuild's cases or JUnit tests,
/// never the program's source root.
const TOP_LEVEL_TEST_FOLDERS: [&str; 2] = ["test", "tests"];

/// Maven's folders that exist in `root`, known by name alone.
/// Why a root that Maven's folder names is one.
pub const MAVEN_WHY: &str = "Maven's layout";

pub fn maven_roots(root: &Path) -> Vec<SourceRoot> {
    [(MAVEN_MAIN, RootKind::Main), (MAVEN_TEST, RootKind::Test), (MAVEN_RESOURCES, RootKind::Resources)]
        .into_iter()
        .filter(|(folder, _)| root.join(folder).is_dir())
        .map(|(folder, kind)| SourceRoot::new(root.join(folder), kind, MAVEN_WHY))
        .collect()
}

/// Drops a Maven folder (`src/main/java`, `src/test/java`) whose files all
/// declare packages that put their root above it: `src/main/java/App.java`
/// declaring `package main.java;` (a project opened with `src/` as its
/// root) agrees on `src/`, and the package lines then decide, as they do
/// without Maven's folders.
pub fn drop_disowned_maven_roots(known: Vec<SourceRoot>) -> Vec<SourceRoot> {
    known
        .into_iter()
        .filter(|root| {
            if root.kind == RootKind::Resources || root.why != MAVEN_WHY {
                return true;
            }
            // Kept unless every file names one and the same root above it;
            // walked lazily and read one at a time, so a Maven project stops
            // at its first file (links are not followed: a hint, not a build).
            let mut above: Option<PathBuf> = None;
            let java_files = walkdir::WalkDir::new(&root.path)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "java"));
            for entry in java_files {
                let file = entry.path();
                let Ok(header) = crate::scanner::read_header(file) else { continue };
                let proposed = root_from_package(file.parent().unwrap_or(&root.path), &header);
                match proposed {
                    Some(p)
                        if p != root.path && root.path.starts_with(&p) && above.as_ref().is_none_or(|a| a == &p) =>
                    {
                        above = Some(p);
                    }
                    _ => return true,
                }
            }
            above.is_none()
        })
        .collect()
}

/// Roots found by reading the files.
#[derive(Debug, Clone, Default)]
pub struct Inference {
    /// The known roots given in, then the roots the files agree on; always
    /// at least one main root.
    pub roots: Vec<SourceRoot>,
    /// Files under the scanned folder that lie in no root: not compiled.
    pub strays: Vec<PathBuf>,
    /// The walk of the scanned folder, kept so listing the sources of a
    /// root inside it does not walk the tree again.
    pub walked: Walked,
}

/// The `.java` files under a folder, as one walk found them.
#[derive(Debug, Clone, Default)]
pub struct Walked {
    pub folder: PathBuf,
    /// Relative to `folder`.
    pub listing: SourceListing,
    /// The bytes of the files read whole while inferring the roots, by
    /// path (`folder` joined with the file), so a scan need not read them again.
    pub heads: HashMap<PathBuf, Vec<u8>>,
}

impl Walked {
    /// The files under `root` (inside `folder`), relative to `root`: what
    /// walking `root` itself would list.
    pub fn under(&self, root: &Path) -> Vec<PathBuf> {
        Self::inside(&self.folder, root, &self.listing.files)
    }

    /// [`Walked::under`] for the files that are not `.java` files.
    pub fn others_under(&self, root: &Path) -> Vec<PathBuf> {
        Self::inside(&self.folder, root, &self.listing.others)
    }

    fn inside(folder: &Path, root: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
        let inside = root.strip_prefix(folder).unwrap_or(Path::new(""));
        files.iter().filter_map(|file| file.strip_prefix(inside).ok()).map(Path::to_path_buf).collect()
    }
}

/// At most this many bytes of files read while inferring the roots are kept
/// for the scan that follows; past it, the scan reads the files again.
const KEPT_BYTES: usize = 8 << 20;

/// A root that some files' package lines point to.
#[derive(Debug, Default)]
struct Candidate {
    files: usize,
    /// `package.FileStem` of each file: two roots declaring the same class
    /// do not agree.
    names: BTreeSet<String>,
}

/// Finds the main roots of the `.java` files under `scan` (the `src/`
/// folder, or the project folder), besides the `known` roots given in.
///
/// Each file proposes its root (its folder minus its package's folders);
/// files whose folder does not end with their package propose none. The
/// roots proposed are taken by how many files propose them, most first,
/// skipping any that nests with a root already taken (one file cannot lie
/// in two roots) and any that declares a class another proposed root also
/// declares (the files then do not agree; `ex1/Main.java` and
/// `ex2/Main.java` without packages are two programs, not one). When no
/// root is left, `scan` itself is the root, as it always was.
///
/// `keep_sources`: keep the files read whole (up to [`KEPT_BYTES`]) for a
/// scan of every source that follows.
pub fn infer(project_root: &Path, scan: &Path, output: &Path, known: Vec<SourceRoot>, keep_sources: bool) -> Inference {
    let mut candidates: BTreeMap<PathBuf, Candidate> = BTreeMap::new();
    let mut walked =
        Walked { folder: scan.to_path_buf(), listing: list_sources(scan, project_root), heads: HashMap::new() };
    let files: Vec<PathBuf> = walked
        .listing
        .files
        .iter()
        .filter(|relative| !(scan == project_root && is_hidden_or_test_folder(relative)))
        .map(|relative| scan.join(relative))
        .filter(|file| !file.starts_with(output) && !known.iter().any(|root| file.starts_with(&root.path)))
        .collect();
    let heads = read_heads(&files, if keep_sources { KEPT_BYTES } else { 0 });
    let mut read = Vec::new();
    for (file, head) in files.into_iter().zip(heads) {
        let Ok(Head { header, whole }) = head else { continue };
        if let Some(bytes) = whole {
            walked.heads.insert(file.clone(), bytes);
        }
        let folder = file.parent().unwrap_or(scan);
        if let Some(root) = root_from_package(folder, &header).filter(|root| root.starts_with(project_root)) {
            let candidate = candidates.entry(root).or_default();
            candidate.files += 1;
            if let Header::Package(package) = &header {
                let stem = file.file_stem().and_then(OsStr::to_str).unwrap_or_default();
                candidate.names.insert(package.as_ref().map_or(stem.to_owned(), |p| format!("{p}.{stem}")));
            }
        }
        read.push(file);
    }

    let mut declared_by: BTreeMap<&str, usize> = BTreeMap::new();
    for candidate in candidates.values() {
        for name in &candidate.names {
            *declared_by.entry(name).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&PathBuf, &Candidate)> = candidates
        .iter()
        .filter(|(_, candidate)| candidate.names.iter().all(|name| declared_by[name.as_str()] == 1))
        .collect();
    ranked.sort_by(|(a_path, a), (b_path, b)| {
        b.files
            .cmp(&a.files)
            .then(a_path.components().count().cmp(&b_path.components().count()))
            .then(a_path.cmp(b_path))
    });
    let mut roots = known;
    for (path, candidate) in ranked {
        // One file lies in one root: main roots never nest. A test or
        // resource folder may lie inside a main root (`src/` holding
        // `src/test/java`): its files are left out of the main ones.
        let nests = |root: &SourceRoot| {
            path.starts_with(&root.path) || (root.kind == RootKind::Main && root.path.starts_with(path))
        };
        if roots.iter().any(nests) {
            continue;
        }
        let why = format!("the package lines of {}", count(candidate.files, "file"));
        // A module's `src/test/java` (Gradle's `app/src/test/java`) holds tests.
        let kind = if path.ends_with(MAVEN_TEST) { RootKind::Test } else { RootKind::Main };
        roots.push(SourceRoot::new(path.clone(), kind, why));
    }
    if !roots.iter().any(|root| root.kind == RootKind::Main) {
        roots.push(SourceRoot::new(scan.to_path_buf(), RootKind::Main, "the source folder"));
    }
    roots.sort_by(|a, b| (a.kind as u8, &a.path).cmp(&(b.kind as u8, &b.path)));
    let strays = read
        .into_iter()
        .filter(|file| !roots.iter().any(|root| root.kind != RootKind::Resources && file.starts_with(&root.path)))
        .collect();
    Inference { roots, strays, walked }
}

/// `.git/...`, `.github/...` and the cases and tests at the project's top.
fn is_hidden_or_test_folder(relative: &Path) -> bool {
    let mut parts = relative.components().map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next().unwrap_or_default();
    let is_folder = relative.components().count() > 1;
    (is_folder && TOP_LEVEL_TEST_FOLDERS.contains(&first.as_ref()))
        || first.starts_with('.')
        || parts.any(|part| part.starts_with('.'))
}

/// The root a file in `folder` belongs to by its header: the folder minus
/// the package's folders, or `None` when the folder does not end with them.
pub fn root_from_package(folder: &Path, header: &Header) -> Option<PathBuf> {
    let package = match header {
        Header::Module | Header::Package(None) => return Some(folder.to_path_buf()),
        Header::Package(Some(package)) => package,
    };
    let mut root = folder.to_path_buf();
    for part in package.split('.').rev() {
        if root.file_name() != Some(OsStr::new(part)) {
            return None;
        }
        root.pop();
    }
    Some(root)
}

/// The package a file's folder means under `root`: `root/a/b/X.java` → `a.b`.
pub fn package_of_folder(root: &Path, folder: &Path) -> Option<Option<String>> {
    let relative = folder.strip_prefix(root).ok()?;
    let parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some((!parts.is_empty()).then(|| parts.join(".")))
}

/// The folder for `package` under `root`.
pub fn folder_of_package(root: &Path, package: Option<&str>) -> PathBuf {
    package.map_or_else(|| root.to_path_buf(), |p| p.split('.').fold(root.to_path_buf(), |dir, part| dir.join(part)))
}

/// Where a root list came from when the user or an IDE named it (no
/// inference then: a file that does not fit is pointed at the setting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootsNamedBy {
    /// Found by jbuild: conventions and package lines.
    Nobody,
    /// `--src DIR`.
    Flag,
    /// `src` in jbuild.toml.
    SettingsFile,
    /// An IDE's project file, by its path relative to the project root.
    Ide(String),
}

/// Says what is wrong with a file's package line given the roots, or
/// `None` when it fits: `path` is the file, `declared` its package,
/// `roots` the main and test roots.
pub fn package_problem(
    path: &Path,
    declared: Option<&str>,
    roots: &[&Path],
    named_by: &RootsNamedBy,
    shown: &dyn Fn(&Path) -> String,
) -> Option<String> {
    let folder = path.parent()?;
    let describe = |package: Option<&str>| {
        package.map_or("no package (the unnamed package)".to_owned(), |p| format!("`package {p};`"))
    };
    let line = |package: Option<&str>| package.map_or("no package line".to_owned(), |p| format!("`package {p};`"));
    let own_root = root_from_package(folder, &Header::Package(declared.map(str::to_owned)));
    let Some(root) = roots.iter().filter(|root| folder.starts_with(root)).max_by_key(|root| root.components().count())
    else {
        let listed = roots.iter().map(|r| shown(r)).collect::<Vec<_>>().join(", ");
        let home = roots.first().map(|root| shown(&folder_of_package(root, declared)));
        return Some(match home {
            Some(home) => format!(
                "{}: lies outside the source roots ({listed}), so jbuild does not compile it; \
                 for {} move it to {home}/",
                shown(path),
                describe(declared)
            ),
            None => format!("{}: lies in no source root", shown(path)),
        });
    };
    let expected = package_of_folder(root, folder)?;
    if expected.as_deref() == declared {
        return None;
    }
    let mut message = format!(
        "{}: declares {}, but its folder means {} (source root {})",
        shown(path),
        describe(declared),
        describe(expected.as_deref()),
        shown(root)
    );
    match (named_by, own_root) {
        // `calc/Main.java` declaring `package calc;` in a project rooted at
        // calc/ itself: the fix is the project, not the file.
        (RootsNamedBy::Nobody, Some(above)) if root.starts_with(&above) && above != *root => {
            message.push_str(&format!(
                "; its package makes {} its source root, above this project: make that folder the project \
                 (`touch {}`) and run jbuild from it, or change its package line to {}",
                above.display(),
                crate::term::shell_quote(above.join("jbuild.toml").as_os_str()),
                line(expected.as_deref())
            ));
        }
        (RootsNamedBy::Nobody, _) | (_, None) => message.push_str(&format!(
            "; change its package line to {} or move it to {}/",
            line(expected.as_deref()),
            shown(&folder_of_package(root, declared))
        )),
        (named_by, Some(own_root)) => {
            let fix = match named_by {
                RootsNamedBy::Flag => format!("pass --src {}", shown(&own_root)),
                RootsNamedBy::SettingsFile => format!("set `src = {:?}` in jbuild.toml", shown(&own_root)),
                RootsNamedBy::Ide(file) => format!("add {} to the source folders of {file}", shown(&own_root)),
                RootsNamedBy::Nobody => unreachable!("matched above"),
            };
            message.push_str(&format!(
                "; its package makes {} its source root: {fix}, or change its package line to {}",
                shown(&own_root),
                line(expected.as_deref())
            ));
        }
    }
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_lists_a_root_inside_it_as_walking_the_root_would() {
        let walked = Walked {
            folder: PathBuf::from("/p/src"),
            listing: SourceListing {
                files: ["main/java/a/A.java", "main/javax/B.java", "test/java/a/ATest.java", "C.java"]
                    .map(PathBuf::from)
                    .to_vec(),
                warnings: Vec::new(),
                outside: Vec::new(),
                others: Vec::new(),
            },
            heads: HashMap::new(),
        };
        assert_eq!(walked.under(Path::new("/p/src/main/java")), vec![PathBuf::from("a/A.java")]);
        assert_eq!(walked.under(Path::new("/p/src")).len(), 4);
    }

    fn write(root: &Path, relative: &str, text: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn main_roots(inference: &Inference, base: &Path) -> Vec<String> {
        inference
            .roots
            .iter()
            .filter(|r| r.kind == RootKind::Main)
            .map(|r| r.path.strip_prefix(base).unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn eclipse_exclusion_patterns() {
        let matches = |pattern: &str, path: &str| exclusion_pattern(pattern).unwrap().is_match(path);
        assert!(matches("chess/", "chess/Chess.java") && matches("chess/", "chess/a/B.java"));
        assert!(!matches("chess/", "main/Chess.java") && !matches("chess/", "chessboard/A.java"));
        assert!(matches("**/Old*.java", "a/b/OldMain.java") && matches("**/Old*.java", "OldMain.java"));
        assert!(!matches("**/Old*.java", "a/NewOld.java"));
        assert!(matches("a/?.java", "a/B.java") && !matches("a/?.java", "a/b/C.java"));
    }

    #[test]
    fn roots_from_package_lines() {
        assert_eq!(
            root_from_package(Path::new("/p/src/main/java/com/x"), &Header::Package(Some("com.x".into()))),
            Some(PathBuf::from("/p/src/main/java"))
        );
        assert_eq!(root_from_package(Path::new("/p/src/a"), &Header::Package(Some("b".into()))), None);
        assert_eq!(root_from_package(Path::new("/p/src"), &Header::Package(None)), Some(PathBuf::from("/p/src")));
        assert_eq!(root_from_package(Path::new("/x"), &Header::Package(Some("a.x".into()))), None);
    }

    #[test]
    fn files_agree_on_two_roots_and_a_stray_fits_none() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "src/core/com/x/Shape.java", "package com.x; public class Shape {}");
        write(p, "src/core/com/x/Circle.java", "package com.x; public class Circle {}");
        write(p, "src/app/com/y/Main.java", "package com.y; class Main {}");
        // Its root would be src/core/com, inside src/core: it fits no root.
        write(p, "src/core/com/x/Stray.java", "package x; class Stray {}");
        let inference = infer(p, &p.join("src"), &p.join("classes"), Vec::new(), false);
        assert_eq!(main_roots(&inference, p), ["src/app", "src/core"]);
        assert!(inference.strays.is_empty());
    }

    #[test]
    fn the_same_class_in_two_roots_is_no_agreement() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "src/ex1/Main.java", "class Main {}");
        write(p, "src/ex2/Main.java", "class Main {}");
        let inference = infer(p, &p.join("src"), &p.join("classes"), Vec::new(), false);
        assert_eq!(main_roots(&inference, p), ["src"]);
        assert_eq!(inference.roots[0].why, "the source folder");
    }

    #[test]
    fn maven_folders_win_and_files_outside_them_are_strays() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "src/main/java/com/x/App.java", "package com.x; class App {}");
        write(p, "src/test/java/com/x/AppTest.java", "package com.x; class AppTest {}");
        write(p, "src/Old.java", "class Old {}");
        let known = maven_roots(p);
        let inference = infer(p, &p.join("src"), &p.join("classes"), known, false);
        assert_eq!(main_roots(&inference, p), ["src/main/java"]);
        assert!(inference.roots.iter().any(|r| r.kind == RootKind::Test && r.path.ends_with("src/test/java")));
        assert_eq!(inference.strays, [p.join("src/Old.java")]);
    }

    #[test]
    fn a_test_folder_may_lie_inside_the_main_root() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "src/com/x/App.java", "package com.x; class App {}");
        write(p, "src/test/java/com/x/AppTest.java", "package com.x; class AppTest {}");
        let inference = infer(p, &p.join("src"), &p.join("classes"), maven_roots(p), false);
        assert_eq!(main_roots(&inference, p), ["src"]);
        assert_eq!(
            inference.roots.iter().find(|r| r.kind == RootKind::Main).unwrap().why,
            "the package lines of 1 file"
        );
    }

    #[test]
    fn a_gradle_module_below_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "app/src/main/java/org/example/App.java", "package org.example; class App {}");
        write(p, "app/src/test/java/org/example/AppTest.java", "package org.example; class AppTest {}");
        let inference = infer(p, p, &p.join("classes"), Vec::new(), false);
        assert_eq!(main_roots(&inference, p), ["app/src/main/java"]);
        let tests: Vec<&Path> =
            inference.roots.iter().filter(|r| r.kind == RootKind::Test).map(|r| r.path.as_path()).collect();
        assert_eq!(tests, [p.join("app/src/test/java")]);
    }

    #[test]
    fn top_level_files_skip_hidden_and_test_folders() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "Main.java", "class Main {}");
        write(p, "Helper.java", "class Helper {}");
        write(p, "test/MainTest.java", "class MainTest {}");
        write(p, "test/MainTest2.java", "class MainTest2 {}");
        write(p, "test/MainTest3.java", "class MainTest3 {}");
        write(p, ".github/x/Tool.java", "class Tool {}");
        let inference = infer(p, p, &p.join("classes"), Vec::new(), false);
        assert_eq!(main_roots(&inference, p), [""]);
        assert!(inference.strays.is_empty());
    }

    #[test]
    fn problems_suggest_fixes_that_keep_the_rest() {
        let shown = |p: &Path| p.strip_prefix("/p").unwrap_or(p).display().to_string();
        let roots = [Path::new("/p/src/main/java")];
        let file = Path::new("/p/src/main/java/com/x/Helper.java");
        let problem = package_problem(file, Some("com.y"), &roots, &RootsNamedBy::Nobody, &shown).unwrap();
        assert_eq!(
            problem,
            "src/main/java/com/x/Helper.java: declares `package com.y;`, but its folder means `package com.x;` \
             (source root src/main/java); change its package line to `package com.x;` or move it to \
             src/main/java/com/y/"
        );
        assert_eq!(package_problem(file, Some("com.x"), &roots, &RootsNamedBy::Nobody, &shown), None);
        let named = package_problem(
            Path::new("/p/src/main/java/com/x/App.java"),
            Some("com.x"),
            &[Path::new("/p/src")],
            &RootsNamedBy::SettingsFile,
            &shown,
        )
        .unwrap();
        assert!(named.contains("its folder means `package main.java.com.x;`"), "{named}");
        assert!(named.contains("set `src = \"src/main/java\"` in jbuild.toml"), "{named}");
        let outside = package_problem(Path::new("/p/src/Old.java"), None, &roots, &RootsNamedBy::Nobody, &shown);
        assert!(outside.unwrap().contains("lies outside the source roots (src/main/java)"));
    }
}
