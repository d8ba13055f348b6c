//! Resolving what the user named (`sample01/Main.java`, `src/sample01/Main.java`,
//! `sample01.Main`) to a source file in a source root, and finding the class to run.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::{Project, normalize};
use crate::error::usage;
use crate::scanner::{ClassInfo, SourceFile, SourceTree, class_to_path, is_class_name};

/// Resolves a target to a path relative to the source root; `cwd` is where
/// the user stands.
pub fn resolve_source(project: &Project, cwd: &Path, arg: &OsStr) -> Result<PathBuf> {
    let text = arg.to_string_lossy();
    let path = Path::new(arg);
    let looks_like_path = path.extension().is_some_and(|e| e == "java")
        || text.contains('/')
        || text.contains(std::path::MAIN_SEPARATOR)
        || cwd.join(path).is_file();
    if !looks_like_path && is_class_name(&text) {
        return resolve_class(project, &text);
    }
    resolve_path(project, cwd, path)
}

/// Finds the file declaring class `name`: by the usual path first, then by
/// scanning the tree (secondary top-level classes, compact source files).
pub fn resolve_class(project: &Project, name: &str) -> Result<PathBuf> {
    let guess = class_to_path(name);
    for root in project.source_roots() {
        let path = root.join(&guess);
        if path.is_file()
            && let Ok(relative) = path.strip_prefix(&project.src)
            && project.is_source(relative)
        {
            return Ok(relative.to_path_buf());
        }
    }
    let tree = project.scan();
    if let Some(class) = tree.find_class(name) {
        return Ok(class.file);
    }
    Err(usage(class_not_found(&tree, name)))
}

/// "no class X in src/", with close names when there are some.
pub fn class_not_found(tree: &SourceTree, name: &str) -> String {
    let mut message = format!("no class `{name}` in {}", tree.root.display());
    let similar = tree.similar_classes(name);
    if !similar.is_empty() {
        message.push_str(&format!(
            " (did you mean {}?)",
            similar.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    message
}

fn resolve_path(project: &Project, cwd: &Path, path: &Path) -> Result<PathBuf> {
    let src = &project.src;
    let from_cwd = normalize(&cwd.join(path));
    let mut tried = vec![from_cwd.clone()];
    for root in std::iter::once(src.as_path()).chain(project.source_roots()) {
        let candidate = normalize(&root.join(path));
        if !tried.contains(&candidate) {
            tried.push(candidate);
        }
    }
    let Some(found) = tried.iter().find(|p| p.exists()).cloned() else {
        let message = if tried.len() == 1 {
            format!("no such file: {}", from_cwd.display())
        } else {
            let mut folders: Vec<String> = vec![cwd.display().to_string()];
            for root in std::iter::once(src.as_path()).chain(project.source_roots()) {
                let shown = root.display().to_string();
                if !folders.contains(&shown) {
                    folders.push(shown);
                }
            }
            format!("no such file: {} (looked in {})", path.display(), join_and(&folders))
        };
        return Err(usage(message));
    };
    if found.is_dir() {
        return Err(usage(format!("{} is a folder; name a .java file or a class", path.display())));
    }
    if found.extension().is_none_or(|e| e != "java") {
        return Err(usage(format!("{} is not a Java source file (expected a .java file)", path.display())));
    }
    let in_root = project.source_roots().iter().any(|root| found.starts_with(root));
    match found.strip_prefix(src) {
        Ok(relative) if in_root && project.is_source(relative) => Ok(relative.to_path_buf()),
        _ if project.test_roots().iter().any(|root| found.starts_with(root)) => Err(usage(format!(
            "{} is a test source ({}/); jbuild compiles and runs the main sources, in {}",
            found.display(),
            project.shown(project.test_roots().into_iter().find(|r| found.starts_with(r)).expect("found above")),
            roots_shown(project)
        ))),
        _ => Err(usage(format!(
            "{} is outside the source {} {}; jbuild compiles only sources in {}",
            found.display(),
            if project.source_roots().len() == 1 { "folder" } else { "roots" },
            roots_shown(project),
            if project.source_roots().len() == 1 { "it" } else { "them" },
        ))),
    }
}

/// `src/main/java` or `src/core, src/app`, as the user sees them.
fn roots_shown(project: &Project) -> String {
    project.source_roots().iter().map(|r| project.src.join(r).display().to_string()).collect::<Vec<_>>().join(", ")
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Resolves what to run to a class with a main method: the target, else
/// the `main` setting, else the only class with a main. Whether the JDK can
/// launch that main is the toolchain's question.
pub fn main_class(project: &Project, cwd: &Path, target: Option<&OsStr>) -> Result<ClassInfo> {
    let (file, wanted) = match target {
        Some(target) => {
            let text = target.to_string_lossy();
            let file = resolve_source(project, cwd, target)?;
            let wanted = (is_class_name(&text) && !text.ends_with(".java")).then(|| text.into_owned());
            (file, wanted)
        }
        None => match &project.settings.main {
            Some(main) => (resolve_class(project, main)?, Some(main.clone())),
            None => return only_main_class(project),
        },
    };
    let source = SourceFile::read(&project.src, &file)
        .with_context(|| format!("reading {}", project.src.join(&file).display()))?;
    let class = match &wanted {
        Some(name) => source.classes().into_iter().find(|c| &c.name == name),
        None => source.primary_class(),
    };
    let Some(class) = class else {
        let tree = project.scan();
        return Err(usage(class_not_found(&tree, wanted.as_deref().unwrap_or_default())));
    };
    if class.main.is_none() {
        let tree = project.scan();
        let mains: Vec<String> = tree.main_classes().into_iter().map(|c| c.name).collect();
        let hint = if mains.is_empty() {
            "no class in the project has one".to_owned()
        } else {
            format!("classes with one: {}", mains.join(", "))
        };
        let path = project.src.join(&class.file);
        return Err(usage(format!(
            "`{}` ({}) has no main method (`public static void main(String[] args)`); {hint}",
            class.name,
            crate::term::relative(cwd, &path)
        )));
    }
    Ok(class)
}

/// With no target and no `main` setting: the only main class, if there is one.
fn only_main_class(project: &Project) -> Result<ClassInfo> {
    let tree = project.scan();
    let mut mains = tree.main_classes();
    match mains.len() {
        1 => Ok(mains.remove(0)),
        0 => Err(usage(format!("no class with a main method under {}", roots_shown(project)))),
        _ => Err(usage(format!(
            "several classes have a main method; name one (or set `main` in jbuild.toml):\n{}",
            mains.iter().map(|c| format!("    {}", c.name)).collect::<Vec<_>>().join("\n")
        ))),
    }
}
