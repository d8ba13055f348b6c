//! IDE project files, read and never written: Eclipse's `.classpath`,
//! IntelliJ IDEA's `*.iml` (with `.idea/`), and VS Code's
//! `.vscode/settings.json`. They name the source folders, the output folder
//! and the jars the IDE uses, so jbuild can share them with it.
//!
//! They are the repository's files, so untrusted: read bounded, only as
//! regular files, and a folder they name is used only inside the project
//! (a jar may lie outside: jbuild only reads it). A file jbuild cannot
//! understand is ignored with a one-line note, never an error.

mod eclipse;
mod intellij;
mod jsonc;
mod vscode;

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::java_level::JavaLevel;
use super::normalize;

/// IDE files are small; anything bigger is not one.
const MAX_IDE_FILE_BYTES: u64 = 1024 * 1024;

/// What one IDE file says about the project's layout. Paths are absolute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdeLayout {
    /// The file, relative to the project root (`.classpath`, `app.iml`).
    pub file: String,
    pub sources: Vec<PathBuf>,
    pub tests: Vec<PathBuf>,
    pub resources: Vec<PathBuf>,
    pub output: Option<PathBuf>,
    pub jars: Vec<PathBuf>,
    /// Things in the file jbuild did not use, one line each.
    pub notes: Vec<String>,
    /// The Java version the IDE compiles the project for, when it says.
    pub java_level: Option<JavaLevel>,
    /// Files a source folder leaves out (Eclipse's `excluding="chess/|**/Old*.java"`),
    /// as compiled patterns of paths relative to the folder.
    pub excluding: Vec<(PathBuf, Vec<String>)>,
}

/// The IDE files of a project: the one used, and notes about the others.
#[derive(Debug, Clone, Default)]
pub struct IdeFiles {
    pub used: Option<IdeLayout>,
    pub notes: Vec<String>,
}

/// Reads the project's IDE files and picks one: `.classpath`, then `*.iml`,
/// then `.vscode/settings.json` (VS Code's Java support itself prefers an
/// Eclipse project's `.classpath` to its own settings).
pub fn read(root: &Path) -> IdeFiles {
    let mut files = IdeFiles::default();
    let found = [eclipse::read(root), intellij::read(root), vscode::read(root)];
    for result in found.into_iter().flatten() {
        match result {
            Ok(layout) if layout.is_empty() => {
                files.notes.extend(layout.notes);
                files.notes.push(format!("{} names no folder or jar that exists; not used", layout.file));
            }
            Ok(layout) if files.used.is_none() => files.used = Some(layout),
            Ok(layout) => {
                let used = files.used.as_ref().map_or("", |u| u.file.as_str());
                files.notes.push(format!("{} is not used: {used} comes first", layout.file));
            }
            Err(note) => files.notes.push(note),
        }
    }
    files
}

/// The IDE file that makes `dir` a Java project's folder, if any: VS Code
/// settings naming Java source folders, or IntelliJ's `.idea/`. (Eclipse's
/// `.classpath` is a project marker of its own.)
pub fn ide_project_file(dir: &Path) -> Option<&'static str> {
    let vscode = dir.join(vscode::FILE);
    if vscode.is_file()
        && read_small_file(&vscode, vscode::FILE).is_ok_and(|text| text.contains("java.project.sourcePaths"))
    {
        return Some(vscode::FILE);
    }
    dir.join(".idea").is_dir().then_some(".idea/")
}

/// The text of a small regular file (not a FIFO, device or directory), or
/// a note saying why not.
pub fn read_small_file(path: &Path, shown: &str) -> Result<String, String> {
    let fail = |why: String| format!("ignoring {shown}: {why}");
    let file = File::options().read(true).custom_flags(libc::O_NONBLOCK).open(path).map_err(|e| fail(e.to_string()))?;
    let meta = file.metadata().map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail("not a regular file".to_owned()));
    }
    if meta.len() > MAX_IDE_FILE_BYTES {
        return Err(fail(format!("larger than {MAX_IDE_FILE_BYTES} bytes")));
    }
    let mut bytes = Vec::new();
    file.take(MAX_IDE_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| fail(e.to_string()))?;
    String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text".to_owned()))
}

/// `relative` (as an IDE file wrote it) as a folder inside the project, or
/// `None` when it leads out of it.
fn folder_inside(root: &Path, relative: &str) -> Option<PathBuf> {
    let path = normalize(&root.join(relative.trim_end_matches('/')));
    (path.starts_with(root) && real_inside(root, &path)).then_some(path)
}

/// Whether `path`, with its symlinks resolved as far as it exists, is still
/// inside `root`.
fn real_inside(root: &Path, path: &Path) -> bool {
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut existing = path.to_path_buf();
    while !existing.exists() {
        if !existing.pop() {
            return false;
        }
    }
    existing.canonicalize().is_ok_and(|real| real.starts_with(&real_root))
}

/// A jar named by an IDE file: relative to the project, or absolute; used
/// when it is a file.
fn jar_at(root: &Path, path: &str) -> Option<PathBuf> {
    let jar = normalize(&root.join(path));
    jar.is_file().then_some(jar)
}

impl IdeLayout {
    fn new(file: impl Into<String>) -> IdeLayout {
        IdeLayout { file: file.into(), ..IdeLayout::default() }
    }

    /// Adds a source folder the file names, if it is a folder inside the project.
    fn add_folder(&mut self, root: &Path, relative: &str, kind: FolderKind) {
        let Some(folder) = folder_inside(root, relative) else {
            self.notes.push(format!("{}: ignoring source folder {relative:?}: it is outside the project", self.file));
            return;
        };
        if !folder.is_dir() {
            self.notes.push(format!("{}: ignoring source folder {relative:?}: no such folder", self.file));
            return;
        }
        let list = match kind {
            FolderKind::Sources => &mut self.sources,
            FolderKind::Tests => &mut self.tests,
            FolderKind::Resources => &mut self.resources,
        };
        if !list.contains(&folder) {
            list.push(folder);
        }
    }

    /// Sets the output folder the file names, if it lies inside the project.
    fn set_output(&mut self, root: &Path, relative: &str) {
        match folder_inside(root, relative) {
            Some(folder) if folder != root => self.output = Some(folder),
            _ => self.notes.push(format!(
                "{}: ignoring output folder {relative:?}: jbuild writes only inside the project",
                self.file
            )),
        }
    }

    fn add_jar(&mut self, root: &Path, path: &str) {
        // A repository's IDE file may not put a file from elsewhere on the
        // class path (a graded program could read it as a resource).
        if let Some(jar) = jar_at(root, path)
            && !real_inside(root, &jar)
        {
            self.notes.push(format!(
                "{}: ignoring jar {path:?}: it is outside the project (copy it into lib/ to use it)",
                self.file
            ));
            return;
        }
        match jar_at(root, path) {
            Some(jar) if !self.jars.contains(&jar) => self.jars.push(jar),
            Some(_) => {}
            // The test libraries jbuild brings itself (the JUnit jar): no news.
            None if is_test_library_jar(path) => {}
            None => self.notes.push(format!("{}: ignoring jar {path:?}: no such file", self.file)),
        }
    }

    /// Whether the file said anything about the layout.
    fn is_empty(&self) -> bool {
        self.sources.is_empty()
            && self.tests.is_empty()
            && self.resources.is_empty()
            && self.output.is_none()
            && self.jars.is_empty()
    }
}

/// `junit-jupiter-5.8.1.jar`, `hamcrest-core-1.3.jar`, ...: what the JUnit
/// jar jbuild uses provides.
fn is_test_library_jar(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_ascii_lowercase();
    ["junit", "hamcrest", "opentest4j", "apiguardian"].iter().any(|library| name.starts_with(library))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FolderKind {
    Sources,
    Tests,
    Resources,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_must_stay_inside_the_project() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
        assert_eq!(folder_inside(&root, "src/"), Some(root.join("src")));
        assert_eq!(folder_inside(&root, "bin"), Some(root.join("bin")));
        assert_eq!(folder_inside(&root, "../elsewhere"), None);
        assert_eq!(folder_inside(&root, "/tmp"), None);
        assert_eq!(folder_inside(&root, "up/out"), None, "through a symlink that leads out");
    }

    #[test]
    fn small_regular_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let (fifo_type, mode) = (rustix::fs::FileType::Fifo, rustix::fs::Mode::from_raw_mode(0o600));
        rustix::fs::mknodat(rustix::fs::CWD, &fifo, fifo_type, mode, 0).unwrap();
        assert!(read_small_file(&fifo, "fifo").unwrap_err().contains("not a regular file"));
        assert!(read_small_file(dir.path(), "dir").is_err());
        std::fs::write(dir.path().join("big"), vec![b' '; 2 * 1024 * 1024]).unwrap();
        assert!(read_small_file(&dir.path().join("big"), "big").unwrap_err().contains("larger than"));
    }
}
