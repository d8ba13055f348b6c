//! Finding a project's check cases: `tests/`, the online-judge-tools
//! `test/` layout, `[[check]]` tables in `jbuild.toml`, and GitHub
//! Classroom's `.github/classroom/autograding.json`, in that order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow};
use serde::Deserialize;

use super::compare::Compare;
use crate::Context;
use crate::error::usage;
use crate::scanner::{SourceTree, is_class_name};
use crate::settings::{CheckTable, SETTINGS_FILE};

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
            Text::File(path) => {
                let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
                Ok(String::from_utf8_lossy(&bytes).into_owned())
            }
        }
    }
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
    fn java(class: String, name: &str, origin: &Path, args: Vec<String>, stdin: Option<Text>, expected: Text) -> Case {
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
        cases.extend(from_tests_dir(&tests, &mut default_main)?);
    }
    let oj = root.join("test");
    if oj.is_dir() {
        cases.extend(from_oj_dir(&oj, &mut default_main)?);
    }
    for (index, table) in ctx.project.settings.checks.iter().enumerate() {
        cases.push(from_table(ctx, index, table, &mut default_main)?);
    }
    let autograding = root.join(".github/classroom/autograding.json");
    if autograding.is_file() {
        cases.extend(from_autograding(&autograding)?);
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

/// `tests/<class or package path>/<case>.out` with optional `.in`, `.args`, `.code`.
fn from_tests_dir(tests: &Path, default_main: &mut dyn FnMut() -> Result<String>) -> Result<Vec<Case>> {
    // Group files by (folder, stem).
    let mut groups: BTreeMap<(PathBuf, String), BTreeMap<String, PathBuf>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(tests).sort_by_file_name() {
        let entry = entry.with_context(|| format!("reading {}", tests.display()))?;
        let path = entry.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else { continue };
        if !entry.file_type().is_file() || !matches!(ext, "out" | "in" | "args" | "code") {
            continue;
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let folder = path.parent().unwrap_or(tests).to_path_buf();
        groups.entry((folder, stem)).or_default().insert(ext.to_owned(), path.to_path_buf());
    }
    let mut cases = Vec::new();
    for ((folder, stem), files) in groups {
        let Some(out) = files.get("out") else {
            let orphan = files.values().next().expect("a group has a file");
            return Err(usage(format!(
                "{}: no expected output {stem}.out beside it (each case needs a .out file)",
                orphan.display()
            )));
        };
        let relative = folder.strip_prefix(tests).unwrap_or(&folder);
        let class = if relative.as_os_str().is_empty() {
            default_main()?
        } else {
            let parts: Vec<String> =
                relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            let class = parts.join(".");
            if !is_class_name(&class) {
                return Err(usage(format!(
                    "{}: folder {} is not a class name or package path",
                    out.display(),
                    relative.display()
                )));
            }
            class
        };
        let args = match files.get("args") {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
                text.lines().map(str::to_owned).collect()
            }
            None => Vec::new(),
        };
        let expected_code = match files.get("code") {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
                text.trim()
                    .parse()
                    .map_err(|_| usage(format!("{}: {:?} is not an exit code", path.display(), text.trim())))?
            }
            None => 0,
        };
        let stdin = files.get("in").map(|p| Text::File(p.clone()));
        cases.push(Case { expected_code, ..Case::java(class, &stem, out, args, stdin, Text::File(out.clone())) });
    }
    Ok(cases)
}

/// online-judge-tools: `test/sample-1.in` + `test/sample-1.out`.
fn from_oj_dir(dir: &Path, default_main: &mut dyn FnMut() -> Result<String>) -> Result<Vec<Case>> {
    let mut outs: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "out"))
        .collect();
    outs.sort();
    let mut cases = Vec::new();
    for out in outs {
        let class = default_main()?;
        let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let input = out.with_extension("in");
        let stdin = input.is_file().then_some(Text::File(input));
        cases.push(Case::java(class, &stem, &out, Vec::new(), stdin, Text::File(out.clone())));
    }
    Ok(cases)
}

/// A `[[check]]` table of `jbuild.toml`.
fn from_table(
    ctx: &Context,
    index: usize,
    table: &CheckTable,
    default_main: &mut dyn FnMut() -> Result<String>,
) -> Result<Case> {
    let root = &ctx.project.root;
    let file = root.join(SETTINGS_FILE);
    let bad = |key: &str, why: String| usage(format!("{}: [[check]] #{} `{key}`: {why}", file.display(), index + 1));
    let name = table.name.clone().unwrap_or_else(|| format!("check-{}", index + 1));
    let class = match &table.main {
        Some(main) if is_class_name(main) => main.clone(),
        Some(main) => return Err(bad("main", format!("{main:?} is not a class name"))),
        None => default_main()?,
    };
    let inside = |key: &str, relative: &Path| -> Result<PathBuf> {
        let path = root.join(relative);
        let real = path.canonicalize().map_err(|e| bad(key, format!("{}: {e}", path.display())))?;
        let real_root = root.canonicalize().with_context(|| format!("resolving {}", root.display()))?;
        if !real.starts_with(&real_root) {
            return Err(bad(key, format!("{} is outside the project {}", relative.display(), root.display())));
        }
        Ok(real)
    };
    let stdin = match (&table.stdin, &table.stdin_file) {
        (Some(_), Some(_)) => return Err(bad("stdin-file", "give `stdin` or `stdin-file`, not both".to_owned())),
        (Some(text), None) => Some(Text::Inline(text.clone())),
        (None, Some(path)) => Some(Text::File(inside("stdin-file", path)?)),
        (None, None) => None,
    };
    let expected = match (&table.stdout, &table.stdout_file) {
        (Some(_), Some(_)) => return Err(bad("stdout-file", "give `stdout` or `stdout-file`, not both".to_owned())),
        (Some(text), None) => Text::Inline(text.clone()),
        (None, Some(path)) => Text::File(inside("stdout-file", path)?),
        (None, None) => return Err(bad("stdout", "every check needs `stdout` or `stdout-file`".to_owned())),
    };
    let compare =
        table.compare.as_deref().map(str::parse::<Compare>).transpose().map_err(|e| bad("compare", e.to_string()))?;
    let timeout = match table.timeout {
        Some(t) if t > 0.0 && t.is_finite() => Some(Duration::from_secs_f64(t)),
        Some(t) => return Err(bad("timeout", format!("{t} is not a positive number of seconds"))),
        None => None,
    };
    if table.memory == Some(0) {
        return Err(bad("memory", "must be a positive number of MiB".to_owned()));
    }
    Ok(Case {
        expected_code: table.code.unwrap_or(0),
        compare,
        timeout,
        memory_mib: table.memory,
        points: table.points,
        ..Case::java(class, &name, &file, table.args.clone().unwrap_or_default(), stdin, expected)
    })
}

/// GitHub Classroom's autograding.json.
#[derive(Debug, Deserialize)]
struct Autograding {
    tests: Vec<AutogradingTest>,
}

#[derive(Debug, Deserialize)]
struct AutogradingTest {
    name: String,
    #[serde(default)]
    setup: Option<String>,
    run: String,
    #[serde(default)]
    input: Option<String>,
    #[serde(default)]
    output: Option<String>,
    #[serde(default)]
    comparison: Option<String>,
    /// Minutes.
    #[serde(default)]
    timeout: Option<f64>,
    #[serde(default)]
    points: Option<f64>,
}

fn from_autograding(path: &Path) -> Result<Vec<Case>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let config: Autograding =
        serde_json::from_str(&text).map_err(|e| usage(format!("invalid {}: {e}", path.display())))?;
    let mut cases = Vec::new();
    for test in config.tests {
        let bad = |why: String| usage(format!("{}: test {:?}: {why}", path.display(), test.name));
        // Classroom's "exact" compares trimmed output with CRLF as LF.
        let compare = match test.comparison.as_deref().unwrap_or("included") {
            "exact" => Compare::Trimmed,
            "included" => Compare::Contains,
            "regex" => Compare::Regex,
            other => return Err(bad(format!("unknown comparison {other:?} (exact, included or regex)"))),
        };
        let timeout = match test.timeout {
            Some(minutes) if minutes > 0.0 && minutes.is_finite() => Some(Duration::from_secs_f64(minutes * 60.0)),
            Some(minutes) => return Err(bad(format!("timeout {minutes} is not a positive number of minutes"))),
            None => None,
        };
        let line = text.find(&format!("\"{}\"", test.name)).map(|at| text[..at].lines().count().max(1));
        cases.push(Case {
            name: test.name.clone(),
            suite: "autograding".to_owned(),
            origin: path.to_path_buf(),
            line,
            program: Program::Shell { command: test.run },
            stdin: test.input.filter(|i| !i.is_empty()).map(Text::Inline),
            expected: Text::Inline(test.output.unwrap_or_default()),
            expected_code: 0,
            compare: Some(compare),
            timeout,
            memory_mib: None,
            points: test.points,
            setup: test.setup.filter(|s| !s.trim().is_empty()),
        });
    }
    if cases.is_empty() {
        return Err(anyhow!("{}: no tests", path.display()));
    }
    Ok(cases)
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
