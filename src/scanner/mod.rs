//! The source scanner: walks a `src/` tree and reads every `.java` file's
//! package, top-level types and main methods with a real Java lexer.

mod declarations;
mod header;
mod lexer;
pub mod test_classes;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::par;

pub use declarations::{Declarations, MainKind, TypeDecl, parse};
pub use header::{Head, Header, read_header, read_heads};

/// The largest source file the scanner reads (a repository could hold a
/// file of gigabytes named `.java`).
const MAX_SOURCE_BYTES: u64 = 16 << 20;

/// One `.java` file under the source root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the source root, e.g. `sample01/Main.java`.
    pub relative: PathBuf,
    pub declarations: Declarations,
}

/// A top-level class the scanner found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClassInfo {
    /// Fully qualified name, e.g. `sample01.Main`.
    pub name: String,
    /// Source path relative to the source root.
    pub file: PathBuf,
    pub main: Option<MainKind>,
}

/// Every Java source under a root, scanned.
#[derive(Debug, Clone, Default)]
pub struct SourceTree {
    pub root: PathBuf,
    pub files: Vec<SourceFile>,
    /// Things skipped while walking (unreadable files, symlink loops, names
    /// that are not UTF-8), as human-readable lines.
    pub warnings: Vec<String>,
}

impl SourceTree {
    /// Scans `root`, following symlinks (loops are reported, not followed).
    /// The walk is sequential (it is cheap, and keeps walkdir's loop
    /// detection and sorted order); reading and lexing the files runs in
    /// parallel for larger trees. Files and warnings come out in path order
    /// either way.
    pub fn scan(root: &Path) -> SourceTree {
        Self::from_listing_with(root, list_sources(root, root), par::THRESHOLD, &HashMap::new())
    }

    /// Reads the files of a listing of `root`, taking a file's bytes from
    /// `already_read` (keyed by `root.join(relative)`) when they are there.
    pub fn from_listing(root: &Path, listing: SourceListing, already_read: &HashMap<PathBuf, Vec<u8>>) -> SourceTree {
        Self::from_listing_with(root, listing, par::THRESHOLD, already_read)
    }

    #[cfg(test)]
    fn scan_with(root: &Path, parallel_threshold: usize) -> SourceTree {
        Self::from_listing_with(root, list_sources(root, root), parallel_threshold, &HashMap::new())
    }

    fn from_listing_with(
        root: &Path,
        listing: SourceListing,
        parallel_threshold: usize,
        already_read: &HashMap<PathBuf, Vec<u8>>,
    ) -> SourceTree {
        let results = par::map_above(&listing.files, parallel_threshold, |relative| {
            match already_read.get(&root.join(relative)) {
                Some(bytes) => Ok(SourceFile::parse(relative, bytes)),
                None => SourceFile::read(root, relative),
            }
        });
        let mut tree = SourceTree { root: root.to_path_buf(), files: Vec::new(), warnings: listing.warnings };
        for (relative, result) in listing.files.iter().zip(results) {
            match result {
                Ok(file) => tree.files.push(file),
                Err(e) => tree.warnings.push(format!("skipping {}: {e}", relative.display())),
            }
        }
        tree
    }

    pub fn file(&self, relative: &Path) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.relative == relative)
    }

    /// Every top-level class, in path order.
    pub fn classes(&self) -> Vec<ClassInfo> {
        self.files.iter().flat_map(SourceFile::classes).collect()
    }

    pub fn find_class(&self, name: &str) -> Option<ClassInfo> {
        self.files.iter().flat_map(SourceFile::classes).find(|c| c.name == name)
    }

    pub fn main_classes(&self) -> Vec<ClassInfo> {
        self.classes().into_iter().filter(|c| c.main.is_some()).collect()
    }

    /// Class names close to `name`, best first, for "did you mean" hints.
    pub fn similar_classes(&self, name: &str) -> Vec<String> {
        let simple = |n: &str| n.rsplit('.').next().unwrap_or(n).to_lowercase();
        let wanted = simple(name);
        let mut scored: Vec<(f64, String)> = self
            .classes()
            .into_iter()
            .map(|c| {
                let score = strsim::normalized_damerau_levenshtein(&c.name.to_lowercase(), &name.to_lowercase())
                    .max(strsim::normalized_damerau_levenshtein(&simple(&c.name), &wanted));
                (score, c.name)
            })
            .filter(|(score, _)| *score >= 0.75)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        scored.into_iter().take(3).map(|(_, name)| name).collect()
    }
}

impl SourceFile {
    /// Reads and parses one file, `relative` to the source root.
    pub fn read(root: &Path, relative: &Path) -> std::io::Result<SourceFile> {
        use std::io::Read;
        let mut bytes = Vec::new();
        std::fs::File::open(root.join(relative))?.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_SOURCE_BYTES {
            return Err(std::io::Error::other(format!(
                "larger than {} MiB, more than any source jbuild reads",
                MAX_SOURCE_BYTES >> 20
            )));
        }
        Ok(SourceFile::parse(relative, &bytes))
    }

    /// Parses the bytes of the file `relative` to the source root.
    pub fn parse(relative: &Path, bytes: &[u8]) -> SourceFile {
        let declarations = parse(&String::from_utf8_lossy(bytes));
        SourceFile { relative: relative.to_path_buf(), declarations }
    }

    /// The package the file's folder implies: `sample01/Main.java` → `sample01`.
    pub fn expected_package(&self) -> Option<String> {
        let parts: Vec<&str> = self
            .relative
            .parent()?
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => part.to_str(),
                _ => None,
            })
            .collect();
        (!parts.is_empty()).then(|| parts.join("."))
    }

    /// `Some((declared, expected))` when the package does not match the folder.
    /// Never for a module declaration, which belongs to no package.
    pub fn package_mismatch(&self) -> Option<(Option<String>, Option<String>)> {
        if self.declarations.is_module {
            return None;
        }
        let expected = self.expected_package();
        (self.declarations.package != expected).then(|| (self.declarations.package.clone(), expected))
    }

    fn stem(&self) -> &str {
        self.relative.file_stem().and_then(|s| s.to_str()).unwrap_or_default()
    }

    /// The file's top-level classes, with the implicit class of a compact
    /// source file first. `module-info.java` and `package-info.java` have
    /// none (their names are no class names).
    pub fn classes(&self) -> Vec<ClassInfo> {
        if self.declarations.is_module || matches!(self.stem(), "module-info" | "package-info") {
            return Vec::new();
        }
        let qualify = |simple: &str| match &self.declarations.package {
            Some(package) => format!("{package}.{simple}"),
            None => simple.to_owned(),
        };
        let mut classes = Vec::new();
        if self.declarations.is_compact {
            classes.push(ClassInfo {
                name: qualify(self.stem()),
                file: self.relative.clone(),
                main: self.declarations.compact_main,
            });
        }
        classes.extend(self.declarations.types.iter().map(|t| ClassInfo {
            name: qualify(&t.name),
            file: self.relative.clone(),
            main: t.main,
        }));
        classes
    }

    /// The class a command means when it names this file: the type named
    /// after the file, else its only main class.
    pub fn primary_class(&self) -> Option<ClassInfo> {
        let classes = self.classes();
        let stem = self.stem();
        classes
            .iter()
            .find(|c| c.name.rsplit('.').next() == Some(stem))
            .or_else(|| classes.iter().find(|c| c.main.is_some()))
            .cloned()
    }
}

/// The `.java` files under a root, without reading them.
#[derive(Debug, Clone, Default)]
pub struct SourceListing {
    /// Paths relative to the root, sorted.
    pub files: Vec<PathBuf>,
    pub warnings: Vec<String>,
    /// Symbolic links (relative to the root) that lead out of the walk's
    /// boundary, with where they lead: neither listed nor followed.
    pub outside: Vec<(PathBuf, PathBuf)>,
    /// The other regular files (relative to the root), for the resources
    /// copied from source roots.
    pub others: Vec<PathBuf>,
}

impl SourceListing {
    /// The error for a listing with links out of `project`: javac would
    /// follow them (`-sourcepath` finds files through links), so a build
    /// over such a tree is refused rather than read outside the project.
    pub fn refuse_links_out(&self, root: &Path, project: &Path) -> Result<(), String> {
        let Some((link, target)) = self.outside.first() else { return Ok(()) };
        Err(format!(
            "{} is a symbolic link to {}, outside the project {}; jbuild does not compile or read files \
             outside the project: copy what it links to into the project, or remove the link",
            root.join(link).display(),
            target.display(),
            project.display()
        ))
    }
}

/// Lists every `.java` file under `root`, following symlinks that stay
/// inside `boundary` (the project folder; `root` itself when it lies outside
/// it, as a folder named on the command line may); links out of it are
/// recorded in [`SourceListing::outside`], never followed. Loops,
/// unreadable folders and non-UTF-8 names become warnings, never errors.
pub fn list_sources(root: &Path, boundary: &Path) -> SourceListing {
    let mut listing = SourceListing::default();
    let real = |path: &Path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let real_root = real(root);
    let real_boundary = Some(real(boundary)).filter(|b| real_root.starts_with(b)).unwrap_or(real_root);
    let mut walk = WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                listing.warnings.push(format!("skipping {}", walk_error(&e, root)));
                continue;
            }
        };
        let path = entry.path();
        if entry.path_is_symlink() && entry.depth() > 0 {
            let target = real(path);
            if !target.starts_with(&real_boundary) {
                let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                let java = entry.file_type().is_dir() || path.extension().is_some_and(|e| e == "java");
                if entry.file_type().is_dir() {
                    walk.skip_current_dir();
                }
                if java {
                    listing.warnings.push(format!(
                        "skipping {}: a symbolic link out of the project (to {})",
                        relative.display(),
                        target.display()
                    ));
                    listing.outside.push((relative, target));
                }
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if path.extension().is_none_or(|e| e != "java") {
            listing.others.push(path.strip_prefix(root).unwrap_or(path).to_path_buf());
            continue;
        }
        let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        if relative.to_str().is_none() {
            listing.warnings.push(format!("skipping {}: file name is not valid UTF-8", relative.display()));
            continue;
        }
        listing.files.push(relative);
    }
    listing
}

/// `sample01.Main` → `sample01/Main.java`.
pub fn class_to_path(name: &str) -> PathBuf {
    let mut path: PathBuf = name.split('.').collect();
    path.set_extension("java");
    path
}

/// Whether `text` is a dotted sequence of Java identifiers.
pub fn is_class_name(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|part| {
            let mut chars = part.chars();
            chars.next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
                && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        })
}

fn walk_error(error: &walkdir::Error, root: &Path) -> String {
    let path = error.path().map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string());
    let path = path.unwrap_or_else(|| root.display().to_string());
    if error.loop_ancestor().is_some() {
        format!("{path}: symlink loop")
    } else {
        match error.io_error() {
            Some(io) => format!("{path}: {io}"),
            None => format!("{path}: {error}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, relative: &str, text: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn finds_classes_packages_and_mismatches() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "sample01/Main.java",
            "package sample01; class Main { public static void main(String[] a) {} }",
        );
        write(dir.path(), "sample01/Number.java", "package sample01; public class Number {}");
        write(dir.path(), "wrong/Thing.java", "package right; class Thing {}");
        write(dir.path(), "notes.txt", "class NotJava {}");
        let tree = SourceTree::scan(dir.path());
        let names: Vec<_> = tree.classes().into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["sample01.Main", "sample01.Number", "right.Thing"]);
        let mains: Vec<_> = tree.main_classes().into_iter().map(|c| c.name).collect();
        assert_eq!(mains, ["sample01.Main"]);
        let wrong = tree.file(Path::new("wrong/Thing.java")).unwrap();
        assert_eq!(wrong.package_mismatch(), Some((Some("right".into()), Some("wrong".into()))));
        assert_eq!(tree.file(Path::new("sample01/Main.java")).unwrap().package_mismatch(), None);
    }

    #[test]
    fn suggests_close_names() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "sample01/Main.java", "package sample01; class Main {}");
        let tree = SourceTree::scan(dir.path());
        assert_eq!(tree.similar_classes("sample01.Mian"), ["sample01.Main"]);
        assert_eq!(tree.similar_classes("sample1.Main"), ["sample01.Main"]);
        assert!(tree.similar_classes("zzz.Qqq").is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_and_unreadable_file_are_warnings() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a/A.java", "package a; class A {}");
        std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("a/loop")).unwrap();
        let tree = SourceTree::scan(dir.path());
        assert_eq!(tree.files.len(), 1);
        assert!(tree.warnings.iter().any(|w| w.contains("symlink loop")), "{:?}", tree.warnings);
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_file_name_is_skipped() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"bad\xff.java");
        std::fs::write(dir.path().join(name), "class Bad {}").unwrap();
        let tree = SourceTree::scan(dir.path());
        assert!(tree.files.is_empty());
        assert!(tree.warnings[0].contains("not valid UTF-8"));
    }

    #[test]
    fn compact_file_class_is_named_after_file() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Hello.java", "void main() { IO.println(\"hi\"); }");
        let tree = SourceTree::scan(dir.path());
        assert_eq!(tree.main_classes()[0].name, "Hello");
        assert_eq!(tree.main_classes()[0].main, Some(MainKind::Instance));
    }

    #[test]
    fn module_and_package_info_are_not_classes() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "module-info.java", "module app { requires java.base; exports a; }");
        write(dir.path(), "a/package-info.java", "/** Docs. */\n@Deprecated\npackage a;\n");
        write(dir.path(), "a/A.java", "package a; public class A { public static void main(String[] x) {} }");
        // A module declaration found elsewhere still has no package to check.
        write(dir.path(), "b/module-info.java", "open module b { }");
        let tree = SourceTree::scan(dir.path());
        assert_eq!(tree.files.len(), 4, "still compiled, so still listed");
        let names: Vec<_> = tree.classes().into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["a.A"]);
        for file in &tree.files {
            assert_eq!(file.package_mismatch(), None, "{}", file.relative.display());
        }
        assert_eq!(tree.file(Path::new("a/A.java")).unwrap().primary_class().unwrap().name, "a.A");
        assert_eq!(tree.file(Path::new("module-info.java")).unwrap().primary_class(), None);
    }

    #[test]
    fn compact_file_lists_only_its_implicit_class() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Hello.java", "void main() {}\nclass Helper {}\n");
        let names: Vec<_> = SourceTree::scan(dir.path()).classes().into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["Hello"]);
    }

    #[test]
    fn parallel_scan_is_deterministic_and_sorted() {
        let dir = tempfile::tempdir().unwrap();
        // Enough files for the parallel path, in folders and names whose
        // creation order is not their sorted order.
        let mut expected = Vec::new();
        for i in (0..150).rev() {
            let folder = ["b", "a", "a/z", "c/d"][i % 4];
            let package = folder.replace('/', ".");
            let name = format!("C{:03}", (i * 37) % 150);
            let main = if i % 3 == 0 { "public static void main(String[] a) {}" } else { "" };
            write(
                dir.path(),
                &format!("{folder}/{name}.java"),
                &format!("package {package}; class {name} {{ {main} }}"),
            );
            expected.push((format!("{folder}/{name}.java"), format!("{package}.{name}")));
        }
        write(dir.path(), "a/notes.txt", "class NotJava {}");
        #[cfg(unix)]
        {
            // A loop is a warning; a link to a file is followed.
            std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("a/z/loop")).unwrap();
            std::os::unix::fs::symlink(dir.path().join("b/C000.java"), dir.path().join("b/Link.java")).unwrap();
            expected.push(("b/Link.java".into(), "b.C000".into()));
        }
        expected.sort();
        let expected_names: Vec<String> = expected.iter().map(|(_, name)| name.clone()).collect();
        let sequential = SourceTree::scan_with(dir.path(), usize::MAX);
        let names = |tree: &SourceTree| tree.classes().into_iter().map(|c| c.name).collect::<Vec<_>>();
        let paths = |tree: &SourceTree| tree.files.iter().map(|f| f.relative.clone()).collect::<Vec<_>>();
        let sorted_paths = {
            let mut paths = paths(&sequential);
            paths.sort();
            paths
        };
        assert_eq!(paths(&sequential), sorted_paths, "walk order is path order");
        assert_eq!(sequential.files.len(), expected.len());
        #[cfg(unix)]
        assert!(sequential.warnings.iter().any(|w| w.contains("symlink loop")), "{:?}", sequential.warnings);
        for _ in 0..5 {
            let parallel = SourceTree::scan_with(dir.path(), 0);
            assert_eq!(paths(&parallel), paths(&sequential));
            assert_eq!(names(&parallel), names(&sequential));
            let decls = |tree: &SourceTree| tree.files.iter().map(|f| f.declarations.clone()).collect::<Vec<_>>();
            assert_eq!(decls(&parallel), decls(&sequential));
            assert_eq!(parallel.warnings, sequential.warnings);
        }
        let default = SourceTree::scan(dir.path());
        assert_eq!(names(&default), names(&sequential));
        let mut by_name = names(&default);
        by_name.sort();
        let mut wanted = expected_names;
        wanted.sort();
        assert_eq!(by_name, wanted);
    }

    #[test]
    fn class_names_and_paths() {
        assert_eq!(class_to_path("sample01.Main"), Path::new("sample01/Main.java"));
        assert!(is_class_name("sample01.Main"));
        assert!(is_class_name("挨拶"));
        assert!(!is_class_name("sample01/Main.java"));
        assert!(!is_class_name("a..b"));
        assert!(!is_class_name("1a"));
    }
}
