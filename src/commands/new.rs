//! `jbuild new DIR [--main pkg.Main] [--course]`: an exercise project that
//! passes `jbuild check` at once (a main class that greets, one case, a
//! `jbuild.toml`, a `.gitignore`, a GitHub workflow running `jbuild check`,
//! a README for students and VS Code settings that agree with jbuild), or a
//! course: a folder for many exercises with one workflow at its top and a
//! first exercise. An exercise made inside a course shares its workflow.
//!
//! It writes only into a folder that is missing or empty, and creates each
//! file new: nothing is ever overwritten.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::context::Workspace;
use crate::error::{ExitStatus, usage};
use crate::project::is_project_dir;
use crate::term::relative;

/// `jbuild new` options, validated (see `config`).
#[derive(Debug, Clone)]
pub struct NewOptions {
    pub dir: PathBuf,
    pub main: Option<String>,
    pub course: bool,
}

const MAIN_JAVA: &str = include_str!("new/Main.java.tmpl");
const WORKFLOW: &str = include_str!("new/jbuild.yml.tmpl");
const SETTINGS: &str = include_str!("new/jbuild.toml.tmpl");
const GITIGNORE: &str = include_str!("new/gitignore.tmpl");
const VSCODE: &str = include_str!("new/vscode-settings.json.tmpl");
const README: &str = include_str!("new/README.md.tmpl");
const COURSE_README: &str = include_str!("new/course-README.md.tmpl");

/// Where the workflow lives, in a project or at the top of a course.
pub const WORKFLOW_PATH: &str = ".github/workflows/jbuild.yml";

/// The first exercise of a new course.
const FIRST_EXERCISE: &str = "ex01";

pub fn command(workspace: &Workspace, options: &NewOptions) -> Result<ExitStatus> {
    let dir = std::path::absolute(workspace.cwd.join(&options.dir))
        .with_context(|| format!("resolving {}", options.dir.display()))?;
    let shown = relative(&workspace.cwd, &dir);
    ensure_fresh(&dir, &shown)?;
    let name = dir.file_name().map_or_else(|| "exercise".to_owned(), |n| n.to_string_lossy().into_owned());
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let (what, main) = if options.course {
        let main = options.main.clone().unwrap_or_else(|| default_main(FIRST_EXERCISE));
        files.push((PathBuf::from(WORKFLOW_PATH), fill(WORKFLOW, &[])));
        files.push((PathBuf::from(".gitignore"), GITIGNORE.to_owned()));
        files.push((PathBuf::from("README.md"), fill(COURSE_README, &[("NAME", &name), ("FIRST", FIRST_EXERCISE)])));
        files.extend(
            exercise(FIRST_EXERCISE, &main)
                .into_iter()
                .map(|(path, text)| (Path::new(FIRST_EXERCISE).join(path), text)),
        );
        (format!("course {shown} with a first exercise, {FIRST_EXERCISE}"), main)
    } else {
        let main = options.main.clone().unwrap_or_else(|| default_main(&name));
        let in_course = dir.parent().is_some_and(is_course);
        if !in_course {
            files.push((PathBuf::from(WORKFLOW_PATH), fill(WORKFLOW, &[])));
            files.push((PathBuf::from(".gitignore"), GITIGNORE.to_owned()));
        }
        files.extend(exercise(&name, &main));
        let note = if in_course { ", sharing its course's workflow" } else { "" };
        (format!("exercise {shown}{note}"), main)
    };
    for (path, text) in &files {
        create(&dir.join(path), text)?;
    }
    // `05-loops` cannot be a package: say where `app` came from.
    let why = if options.main.is_none() && main == "app.Main" && !options.course {
        format!("; {name:?} is no Java package name, so the package is `app` (--main pkg.Main picks one)")
    } else {
        String::new()
    };
    workspace.status.line("Created", format_args!("{what} (main class {main}){why}"));
    let first = if options.course { format!("{shown}/{FIRST_EXERCISE}") } else { shown };
    workspace.status.line("Next", format_args!("cd {first} && jbuild check"));
    Ok(ExitStatus::Success)
}

/// The files of one exercise, relative to its folder.
fn exercise(name: &str, main: &str) -> Vec<(PathBuf, String)> {
    let (package, class) = main.rsplit_once('.').map_or(("", main), |(p, c)| (p, c));
    let package_line = if package.is_empty() { String::new() } else { format!("package {package};\n\n") };
    let source = PathBuf::from("src").join(format!("{}.java", main.replace('.', "/")));
    let tests = PathBuf::from("tests").join(main);
    let fills = [
        ("NAME", name),
        ("MAIN", main),
        ("CLASS", class),
        ("PACKAGE_LINE", &package_line),
        ("SOURCE", &source.to_string_lossy()),
        ("TESTS", &tests.to_string_lossy()),
    ];
    vec![
        (source.clone(), fill(MAIN_JAVA, &fills)),
        (tests.join("hello.in"), "Ada\n".to_owned()),
        (tests.join("hello.out"), "Hello, Ada!\n".to_owned()),
        (PathBuf::from(crate::project::settings::SETTINGS_FILE), fill(SETTINGS, &fills)),
        (PathBuf::from("README.md"), fill(README, &fills)),
        (PathBuf::from(".vscode/settings.json"), VSCODE.to_owned()),
    ]
}

/// `{{KEY}}` replaced by its value; `{{VERSION}}` is jbuild's.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.replace("{{VERSION}}", env!("CARGO_PKG_VERSION"));
    for (key, value) in values {
        text = text.replace(&format!("{{{{{key}}}}}"), value);
    }
    text
}

/// A folder made by `jbuild new --course`: a workflow at its top, and not
/// itself a project.
fn is_course(dir: &Path) -> bool {
    dir.join(WORKFLOW_PATH).is_file() && !is_project_dir(dir)
}

fn ensure_fresh(dir: &Path, shown: &str) -> Result<()> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(usage(format!("{shown}: {e}"))),
        Ok(meta) if !meta.is_dir() => Err(usage(format!("{shown} exists and is not a folder"))),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir).map_err(|e| usage(format!("{shown}: {e}")))?;
            if entries.next().is_some() {
                return Err(usage(format!(
                    "{shown} exists and is not empty; jbuild new never overwrites anything: give a new folder"
                )));
            }
            Ok(())
        }
    }
}

/// Creates `path` (and its folders) with `text`; an existing file is an
/// error, never overwritten.
fn create(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes()).with_context(|| format!("writing {}", path.display()))
}

/// `<folder name as a package>.Main`, or `app.Main` when the name makes
/// no package.
fn default_main(name: &str) -> String {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || " -._".contains(c)) {
        return "app.Main".to_owned();
    }
    let package: String =
        name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    let main = format!("{}.Main", package.trim_matches('_'));
    if check_class_name(&main).is_ok() { main } else { "app.Main".to_owned() }
}

/// Java's reserved words (and literals), which no package or class may be named.
const RESERVED: &[&str] = &[
    "abstract",
    "assert",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "final",
    "finally",
    "float",
    "for",
    "goto",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "native",
    "new",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "short",
    "static",
    "strictfp",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "transient",
    "try",
    "void",
    "volatile",
    "while",
    "true",
    "false",
    "null",
    "_",
];

/// Names that are not reserved but cannot name a class.
const NOT_TYPE_NAMES: &[&str] = &["var", "yield", "record", "sealed", "permits"];

/// Whether `name` can name the main class of a new project: a dotted Java
/// name, no part a reserved word, no `$`. The error says why not.
pub fn check_class_name(name: &str) -> std::result::Result<(), String> {
    if !crate::scanner::is_class_name(name) || name.contains('$') {
        return Err("not a class name (e.g. hello.Main: letters, digits and _, parts separated by dots)".to_owned());
    }
    if let Some(part) = name.split('.').find(|part| RESERVED.contains(part)) {
        return Err(format!("`{part}` is a Java reserved word"));
    }
    let class = name.rsplit('.').next().unwrap_or(name);
    if NOT_TYPE_NAMES.contains(&class) {
        return Err(format!("`{class}` cannot name a class"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_are_checked() {
        assert!(check_class_name("hello.Main").is_ok());
        assert!(check_class_name("Main").is_ok());
        assert!(check_class_name("int.Main").unwrap_err().contains("`int` is a Java reserved word"));
        assert!(check_class_name("a..B").is_err());
        assert!(check_class_name("a.B$C").is_err());
        assert!(check_class_name("1x.Main").is_err());
        assert!(check_class_name("x.var").is_err());
    }

    #[test]
    fn default_mains_come_from_folder_names() {
        assert_eq!(default_main("hello"), "hello.Main");
        assert_eq!(default_main("My Exercise-2"), "my_exercise_2.Main");
        assert_eq!(default_main("2024"), "app.Main");
        assert_eq!(default_main("class"), "app.Main");
        assert_eq!(default_main("été"), "app.Main");
    }

    #[test]
    fn templates_are_filled() {
        let files = exercise("hello", "hello.Main");
        let java = &files[0].1;
        assert!(java.starts_with("package hello;\n\nimport java.util.Scanner;"), "{java}");
        assert!(java.contains("public class Main {"));
        assert!(files.iter().all(|(_, text)| !text.contains("{{")), "every placeholder filled");
        let bare = exercise("x", "Main");
        assert!(bare[0].1.starts_with("import java.util.Scanner;"));
        assert_eq!(bare[0].0, PathBuf::from("src/Main.java"));
        assert!(fill(WORKFLOW, &[]).contains("apt-get install -y -qq junit5"));
    }
}
