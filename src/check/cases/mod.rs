//! Finding a project's check cases: `tests/`, the online-judge-tools
//! `test/` layout, `[[check]]` tables in `jbuild.toml`, and GitHub
//! Classroom's `.github/classroom/autograding.json` and
//! `.github/workflows/classroom.yml`, in that order.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};

use super::compare::Compare;
use crate::context::Context;
use crate::error::usage;
use crate::project::settings::SETTINGS_FILE;
use crate::scanner::SourceTree;

pub mod autograding;
mod oj;
mod table;
mod tests_dir;
pub mod workflow;

use super::checker::Checker;
use super::classroom::ClassroomTest;

/// What a case runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Program {
    /// `java -cp classes CLASS ARGS`.
    Java { class: String, args: Vec<String> },
    /// A GitHub Classroom test: shell commands run from the project root,
    /// graded by Classroom's rules.
    Classroom(ClassroomTest),
    /// A project's JUnit tests, run together; each test is reported as a case.
    Junit(Box<super::junit::Suite>),
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

/// Checks a case file found in the project: following symlinks, it must
/// stay inside the project (`root`) and be a regular file. Returns the
/// path to read (the link itself; its target is inside).
pub fn inside_project(root: &Path, path: &Path) -> Result<PathBuf> {
    let real_root = root.canonicalize().with_context(|| format!("resolving {}", root.display()))?;
    let real = path.canonicalize().with_context(|| format!("resolving {}", path.display()))?;
    if !real.starts_with(&real_root) {
        let how = if real == std::path::absolute(path).unwrap_or_default() {
            String::new()
        } else {
            format!(" (it leads to {})", real.display())
        };
        return Err(usage(format!(
            "{}{how} is outside the project {}; case files must stay inside it",
            path.display(),
            root.display()
        )));
    }
    let meta = std::fs::metadata(&real).with_context(|| format!("reading {}", path.display()))?;
    if !meta.is_file() {
        return Err(usage(format!("{}: not a regular file; case files must be plain files", path.display())));
    }
    Ok(path.to_path_buf())
}

/// A name as a report shows it: control characters, backslashes and bytes
/// that are not UTF-8 escaped, so every distinct name stays distinct and
/// fits on one line.
pub fn escape_name(name: &std::ffi::OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in name.as_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                c => out.push(c),
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
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
    /// Reports never show its input, expected output or diff.
    pub hidden: bool,
    /// The program that judges its output, instead of the comparison.
    pub checker: Option<Checker>,
    /// The `[[group]]` it is scored in (its points are the group's).
    pub group: Option<String>,
}

impl Case {
    /// A case of `program` with the defaults: no input, an empty expected
    /// output, exit code 0, the run's comparison and limits, no points.
    pub fn new(name: String, suite: String, origin: PathBuf, line: Option<usize>, program: Program) -> Case {
        Case {
            name,
            suite,
            origin,
            line,
            program,
            stdin: None,
            expected: Text::Inline(String::new()),
            expected_code: 0,
            compare: None,
            timeout: None,
            memory_mib: None,
            points: None,
            hidden: false,
            checker: None,
            group: None,
        }
    }

    /// A case running `class`.
    pub(super) fn java(
        class: String,
        name: &str,
        origin: &Path,
        args: Vec<String>,
        stdin: Option<Text>,
        expected: Text,
    ) -> Case {
        let name = format!("{class}/{name}");
        let program = Program::Java { class: class.clone(), args };
        Case { stdin, expected, ..Case::new(name, class, origin.to_path_buf(), None, program) }
    }

    /// A GitHub Classroom test, defined in `origin`.
    pub(super) fn classroom(
        name: &str,
        suite: &str,
        origin: &Path,
        line: Option<usize>,
        test: ClassroomTest,
        points: Option<f64>,
    ) -> Case {
        let name = escape_name(std::ffi::OsStr::new(name));
        Case { points, ..Case::new(name, suite.to_owned(), origin.to_path_buf(), line, Program::Classroom(test)) }
    }

    pub fn is_classroom(&self) -> bool {
        matches!(self.program, Program::Classroom(_))
    }
}

/// A project's cases, and what is worth saying about them once.
#[derive(Debug, Default)]
pub struct Discovered {
    pub cases: Vec<Case>,
    pub notes: Vec<String>,
    /// Only GitHub Classroom's tests count (see [`discover`]): no JUnit
    /// tests of jbuild's own either.
    pub classroom_only: bool,
}

/// Every case of a project, in a stable order. `blessing`: a `.in` without
/// its `.out` is a case whose `.out` `--bless` is to write.
///
/// A repository graded by GitHub Classroom's tests, without a `jbuild.toml`,
/// is graded by those tests alone, as Classroom graded it: a student's own
/// `tests/` folder or JUnit classes do not change the grade. A `jbuild.toml`
/// says the teacher wants jbuild's cases too.
pub fn discover(ctx: &Context, blessing: bool) -> Result<Discovered> {
    let root = &ctx.project.root;
    let mut tree: Option<SourceTree> = None;
    let mut default_main = || -> Result<String> {
        let tree = tree.get_or_insert_with(|| ctx.project.scan());
        default_main_class(ctx, tree)
    };
    let mut found = Discovered::default();
    let tests = root.join("tests");
    let oj = root.join("test");
    found.classroom_only = crate::project::is_classroom_only(root);
    if found.classroom_only {
        let mut not_read: Vec<String> = [("tests/", &tests), ("test/", &oj)]
            .into_iter()
            .filter(|(_, p)| p.is_dir())
            .map(|(n, _)| n.to_owned())
            .collect();
        for root in ctx.project.test_roots() {
            let shown = format!("{}/", ctx.project.shown(root));
            if !not_read.contains(&shown) {
                not_read.push(shown);
            }
        }
        if !not_read.is_empty() {
            found.notes.push(format!(
                "grading only the GitHub Classroom tests, as Classroom did: {} not read for jbuild's own cases or \
                 JUnit tests (a {SETTINGS_FILE} in the project makes jbuild run those too)",
                not_read.join(" and ")
            ));
        }
    } else if tests.is_dir() {
        found.cases.extend(tests_dir::cases(root, &tests, &mut default_main, blessing)?);
    }
    if oj.is_dir() && !found.classroom_only {
        found.cases.extend(oj::cases(root, &oj, &mut default_main, blessing)?);
    }
    for (index, table) in ctx.project.settings.checks.iter().enumerate() {
        found.cases.push(table::case(ctx, index, table, &mut default_main, blessing)?);
    }
    check_classes_exist(ctx, &found.cases, &mut tree)?;
    let classroom_yml = root.join(workflow::PATH);
    let workflow = match classroom_yml.exists() {
        true => {
            inside_project(root, &classroom_yml)?;
            Some(workflow::cases(&classroom_yml)?)
        }
        false => None,
    };
    let autograding = root.join(autograding::PATH);
    let mut formats = Vec::new();
    if autograding.exists() {
        // Classroom ran autograding.json only through a workflow step
        // (`education/autograding`): a classroom.yml without one never graded it.
        if workflow.as_ref().is_some_and(|w| !w.runs_autograding_json) {
            found.notes.push(format!(
                "not running {}: no step of {} runs it (`uses: education/autograding`), so Classroom did not either",
                autograding::PATH,
                workflow::PATH
            ));
        } else {
            inside_project(root, &autograding)?;
            found.cases.extend(autograding::cases(&autograding)?);
            formats.push(autograding::PATH);
        }
    }
    if let Some(workflow) = workflow {
        if !workflow.cases.is_empty() {
            formats.push(workflow::PATH);
        }
        found.cases.extend(workflow.cases);
        for step in workflow.skipped {
            found.notes.push(format!("skipped test {step}: jbuild runs only the io- and command-grader steps"));
        }
    }
    if formats.len() == 2 {
        found.notes.push(format!("running the GitHub Classroom tests of both {} and {}", formats[0], formats[1]));
    }
    Ok(found)
}

/// Refuses cases of a class the project does not have (a misspelled
/// `tests/greet.Mian/` folder), with "did you mean", before anything compiles.
fn check_classes_exist(ctx: &Context, cases: &[Case], tree: &mut Option<SourceTree>) -> Result<()> {
    let mut checked = std::collections::BTreeSet::new();
    for case in cases {
        let Program::Java { class, .. } = &case.program else { continue };
        if !checked.insert(class) || ctx.project.src.join(crate::scanner::class_to_path(class)).is_file() {
            continue;
        }
        let tree = tree.get_or_insert_with(|| ctx.project.scan());
        if tree.find_class(class).is_none() {
            // A case in tests/ names its class by its folder.
            let defined_in = match case.origin.extension() {
                Some(ext) if ext == "out" => case.origin.parent().unwrap_or(&case.origin),
                _ => &case.origin,
            };
            return Err(usage(format!(
                "{}: {}",
                crate::term::relative(&ctx.cwd, defined_in),
                crate::project::target::class_not_found(tree, class)
            )));
        }
    }
    Ok(())
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
/// (checked up front so one bad file does not surface mid-run). A missing
/// `.out` is fine when `--bless` is to write it.
pub fn check_readable(cases: &[Case], blessing: bool) -> Result<()> {
    for case in cases {
        let expected = Some(&case.expected).filter(|_| !blessing);
        for text in [expected, case.stdin.as_ref()].into_iter().flatten() {
            if let Text::File(path) = text
                && let Err(e) = std::fs::metadata(path)
            {
                return Err(usage(format!("{}: {e}", path.display())));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    use super::escape_name;

    #[test]
    fn names_are_escaped_and_stay_distinct() {
        assert_eq!(escape_name(OsStr::new("plain")), "plain");
        assert_eq!(escape_name(OsStr::new("two\nlines")), "two\\nlines");
        assert_eq!(escape_name(OsStr::from_bytes(b"bad\xffbyte")), "bad\\xffbyte");
        assert_ne!(escape_name(OsStr::from_bytes(b"a\xff")), escape_name(OsStr::new("a\\xff")));
        assert_eq!(escape_name(OsStr::new("esc\u{1b}[31m")), "esc\\u{1b}[31m");
    }
}
