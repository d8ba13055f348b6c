//! Resolving what the user named (`sample01/Main.java`, `src/sample01/Main.java`,
//! `sample01.Main`) to a source file in a source root, and finding the class to run.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::{Project, normalize};
use crate::error::usage;
use crate::scanner::{ClassInfo, Header, SourceFile, SourceTree, class_to_path, is_class_name, read_header};

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
    if let Some(message) = named_by_its_folder(project, name) {
        return Err(anyhow::anyhow!(message));
    }
    Err(usage(class_not_found(&tree, name)))
}

/// When `app.Wrong` names a file `app/Wrong.java` above a source root
/// (`src/app/Wrong.java` without a package line makes `src/app` its root),
/// says that its package line makes it another class, and both fixes.
fn named_by_its_folder(project: &Project, name: &str) -> Option<String> {
    let guess = class_to_path(name);
    let roots = project.source_roots();
    let above = roots.iter().flat_map(|root| root.ancestors().skip(1)).take_while(|dir| dir.starts_with(&project.root));
    let file = above.map(|dir| dir.join(&guess)).find(|path| path.is_file())?;
    let Ok(Header::Package(declared)) = read_header(&file) else { return None };
    let stem = file.file_stem()?.to_string_lossy().into_owned();
    let actual = declared.as_ref().map_or(stem.clone(), |p| format!("{p}.{stem}"));
    let wanted_package = name.rsplit_once('.').map(|(package, _)| package)?;
    let declared_text =
        declared.as_ref().map_or("no package (the unnamed package)".to_owned(), |p| format!("`package {p};`"));
    Some(format!(
        "{}: declares {declared_text}, so its class is `{actual}`, not `{name}`; add `package {wanted_package};` \
         at its top, or run it as `{actual}`",
        project.shown(&file)
    ))
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
            match resolve_source(project, cwd, target) {
                Ok(file) => {
                    let wanted = (is_class_name(&text) && !text.ends_with(".java")).then(|| text.into_owned());
                    (file, wanted)
                }
                // `jbuild run Main` when the only class called Main with a
                // main method is `sample01.Main`: run that one.
                Err(error) => {
                    let mut named = mains_named(project, &text);
                    match named.len() {
                        1 => {
                            let class = named.remove(0);
                            (class.file, Some(class.name))
                        }
                        0 => return Err(error),
                        _ => {
                            let names: Vec<String> = named.into_iter().map(|c| format!("`{}`", c.name)).collect();
                            return Err(usage(format!(
                                "`{text}` is ambiguous: {} have a main method; name one",
                                join_and(&names)
                            )));
                        }
                    }
                }
            }
        }
        None => match &project.settings.main {
            Some(main) => (resolve_class(project, main)?, Some(main.clone())),
            None => return only_main_class(project),
        },
    };
    let source = SourceFile::read(&project.src, &file)
        .with_context(|| format!("reading {}", project.src.join(&file).display()))?;
    // A file whose package line disagrees with its folder: say that first,
    // not "no class app.Wrong, did you mean ap.Wrong".
    if let Some(message) = project.package_problem(&source) {
        return Err(anyhow::anyhow!(message));
    }
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

/// The classes with a main method whose simple name is `name` (no dots):
/// `Main` finds `sample01.Main`; two of them are ambiguous.
fn mains_named(project: &Project, name: &str) -> Vec<ClassInfo> {
    if name.contains('.') || !is_class_name(name) {
        return Vec::new();
    }
    project.scan().main_classes().into_iter().filter(|c| c.name.rsplit('.').next() == Some(name)).collect()
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

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;

    use super::*;
    use crate::project::settings::SettingsOverrides;

    fn project() -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("p/src");
        std::fs::create_dir_all(src.join("a")).unwrap();
        std::fs::write(
            src.join("a/Main.java"),
            "package a;\nclass Main { public static void main(String[] x) {} }\nclass Helper {}\n",
        )
        .unwrap();
        let project = Project::load(&dir.path().join("p"), true, &SettingsOverrides::default()).unwrap();
        (dir, project)
    }

    #[test]
    fn targets_resolve_from_the_project_src_or_by_class() {
        let (_dir, p) = project();
        let from_root = |t: &str| resolve_source(&p, &p.root, OsStr::new(t));
        assert_eq!(from_root("a.Main").unwrap(), PathBuf::from("a/Main.java"));
        assert_eq!(from_root("src/a/Main.java").unwrap(), PathBuf::from("a/Main.java"));
        assert_eq!(from_root("a/Main.java").unwrap(), PathBuf::from("a/Main.java"), "relative to src/ too");
        assert_eq!(resolve_source(&p, &p.src, OsStr::new("a/Main.java")).unwrap(), PathBuf::from("a/Main.java"));
        assert_eq!(from_root("a.Helper").unwrap(), PathBuf::from("a/Main.java"), "a secondary top-level class");
        assert!(from_root("a.Mian").unwrap_err().to_string().contains("did you mean `a.Main`"));
        assert!(from_root("src/a").unwrap_err().to_string().contains("is a folder"));
        assert!(from_root("../outside/X.java").is_err());
    }
}
