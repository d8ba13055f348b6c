//! Finding a project's check cases: `tests/`, the online-judge-tools
//! `test/` layout, `[[check]]` tables in `jbuild.toml`, and GitHub
//! Classroom's `.github/classroom/autograding.json`, in that order.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};

use super::compare::Compare;
use crate::context::Context;
use crate::error::usage;
use crate::project::settings::SETTINGS_FILE;
use crate::scanner::SourceTree;

mod autograding;
mod oj;
mod table;
mod tests_dir;

/// What a case runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Program {
    /// `java -cp classes CLASS ARGS`.
    Java { class: String, args: Vec<String> },
    /// A shell command from an autograding.json, run with `sh -c` from the project root.
    Shell { command: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    File(PathBuf),
    Inline(String),
}

impl Text {
    pub fn read(&self) -> Result<String> {
        match self {
            Text::Inline(text) => Ok(text.clone()),
            Text::File(path) => read_case_file(path),
        }
    }
}

/// The largest input or expected output jbuild reads.
pub const MAX_CASE_FILE: u64 = 64 * 1024 * 1024;

/// Opens a case file for reading: a regular file of at most
/// [`MAX_CASE_FILE`] bytes. A FIFO, device or folder is an error, never a
/// hang (the open itself does not block).
pub fn open_case_file(path: &Path) -> Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::File::options()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    let meta = file.metadata().with_context(|| format!("reading {}", path.display()))?;
    if !meta.is_file() {
        return Err(usage(format!("{}: not a regular file; case files must be plain files", path.display())));
    }
    if meta.len() > MAX_CASE_FILE {
        return Err(usage(format!(
            "{}: {} bytes, more than the {} MiB jbuild reads from a case file",
            path.display(),
            meta.len(),
            MAX_CASE_FILE >> 20
        )));
    }
    Ok(file)
}

/// Reads a case file (see [`open_case_file`]); invalid UTF-8 is replaced.
pub fn read_case_file(path: &Path) -> Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    open_case_file(path)?
        .take(MAX_CASE_FILE + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// One input/expected-output case.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// `sample01.Main/basic`, `sample-1`, the table's or test's name.
    pub name: String,
    /// The main class (or a label for shell cases), JUnit's classname.
    pub suite: String,
    /// The file that defines the case, for annotations.
    pub origin: PathBuf,
    pub line: Option<usize>,
    pub program: Program,
    /// `None` is empty stdin.
    pub stdin: Option<Text>,
    pub expected: Text,
    pub expected_code: i32,
    pub compare: Option<Compare>,
    pub timeout: Option<Duration>,
    pub memory_mib: Option<u64>,
    pub points: Option<f64>,
    /// A shell command to run once before this case (autograding `setup`).
    pub setup: Option<String>,
}

impl Case {
    /// A case running `class` with the defaults: exit code 0, the run's
    /// comparison and limits, no points.
    pub(super) fn java(
        class: String,
        name: &str,
        origin: &Path,
        args: Vec<String>,
        stdin: Option<Text>,
        expected: Text,
    ) -> Case {
        Case {
            name: format!("{class}/{name}"),
            suite: class.clone(),
            origin: origin.to_path_buf(),
            line: None,
            program: Program::Java { class, args },
            stdin,
            expected,
            expected_code: 0,
            compare: None,
            timeout: None,
            memory_mib: None,
            points: None,
            setup: None,
        }
    }
}

/// Every case of a project, in a stable order.
pub fn discover(ctx: &Context) -> Result<Vec<Case>> {
    let root = &ctx.project.root;
    let mut tree: Option<SourceTree> = None;
    let mut default_main = || -> Result<String> {
        let tree = tree.get_or_insert_with(|| SourceTree::scan(&ctx.project.src));
        default_main_class(ctx, tree)
    };
    let mut cases = Vec::new();
    let tests = root.join("tests");
    if tests.is_dir() {
        cases.extend(tests_dir::cases(&tests, &mut default_main)?);
    }
    let oj = root.join("test");
    if oj.is_dir() {
        cases.extend(oj::cases(&oj, &mut default_main)?);
    }
    for (index, table) in ctx.project.settings.checks.iter().enumerate() {
        cases.push(table::case(ctx, index, table, &mut default_main)?);
    }
    let autograding = root.join(".github/classroom/autograding.json");
    if autograding.is_file() {
        cases.extend(autograding::cases(&autograding)?);
    }
    Ok(cases)
}

/// The class that files directly in `tests/` (and `test/`, and tables
/// without `main`) belong to: the `main` setting, else the only main class.
fn default_main_class(ctx: &Context, tree: &SourceTree) -> Result<String> {
    if let Some(main) = &ctx.project.settings.main {
        return Ok(main.clone());
    }
    let mains = tree.main_classes();
    match mains.as_slice() {
        [only] => Ok(only.name.clone()),
        [] => Err(usage(format!("{}: no class with a main method to run the cases with", ctx.project.src.display()))),
        many => Err(usage(format!(
            "{}: several main classes ({}); put the cases in tests/<class>/ or set `main` in {SETTINGS_FILE}",
            ctx.project.root.display(),
            many.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// Fails with a clear message when a `.out` file cannot possibly be read
/// (checked up front so one bad file does not surface mid-run).
pub fn check_readable(cases: &[Case]) -> Result<()> {
    for case in cases {
        for text in [Some(&case.expected), case.stdin.as_ref()].into_iter().flatten() {
            if let Text::File(path) = text
                && let Err(e) = std::fs::metadata(path)
            {
                return Err(usage(format!("{}: {e}", path.display())));
            }
        }
    }
    Ok(())
}
