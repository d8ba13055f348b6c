//! Resolving what the user named (`sample01/Main.java`, `src/sample01/Main.java`,
//! `sample01.Main`) to a source file under `src/`.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

use anyhow::Result;

use crate::Context;
use crate::error::usage;
use crate::scanner::{SourceTree, class_to_path, is_class_name};

/// Resolves a target to a path relative to the source root.
pub fn resolve_source(ctx: &Context, arg: &OsStr) -> Result<PathBuf> {
    let text = arg.to_string_lossy();
    let path = Path::new(arg);
    let looks_like_path = path.extension().is_some_and(|e| e == "java")
        || text.contains('/')
        || text.contains(std::path::MAIN_SEPARATOR)
        || ctx.cwd.join(path).is_file();
    if !looks_like_path && is_class_name(&text) {
        return resolve_class(ctx, &text);
    }
    resolve_path(ctx, path)
}

/// Finds the file declaring class `name`: by the usual path first, then by
/// scanning the tree (secondary top-level classes, compact source files).
pub fn resolve_class(ctx: &Context, name: &str) -> Result<PathBuf> {
    let src = &ctx.project.src;
    let guess = class_to_path(name);
    if src.join(&guess).is_file() {
        return Ok(guess);
    }
    let tree = SourceTree::scan(src);
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

fn resolve_path(ctx: &Context, path: &Path) -> Result<PathBuf> {
    let src = &ctx.project.src;
    let from_cwd = normalize(&ctx.cwd.join(path));
    let from_src = normalize(&src.join(path));
    let found = [&from_cwd, &from_src].into_iter().find(|p| p.exists()).cloned();
    let Some(found) = found else {
        let message = if from_cwd == from_src {
            format!("no such file: {}", from_cwd.display())
        } else {
            format!("no such file: {} (looked in {} and {})", path.display(), ctx.cwd.display(), src.display())
        };
        return Err(usage(message));
    };
    if found.is_dir() {
        return Err(usage(format!("{} is a folder; name a .java file or a class", path.display())));
    }
    if found.extension().is_none_or(|e| e != "java") {
        return Err(usage(format!("{} is not a Java source file (expected a .java file)", path.display())));
    }
    match found.strip_prefix(src) {
        Ok(relative) => Ok(relative.to_path_buf()),
        Err(_) => Err(usage(format!(
            "{} is outside the source folder {}; jbuild compiles only sources under it",
            found.display(),
            src.display()
        ))),
    }
}

/// Removes `.` and `..` lexically, so symlinked package folders keep their
/// place under `src/`.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
