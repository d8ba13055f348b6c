//! `jbuild run`: compile if needed, then `java -cp <classes> CLASS ARGS` with
//! the program owning stdin, stdout, stderr and the exit code.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::Context;
use crate::compile::{Request, build};
use crate::error::{ExitStatus, usage};
use crate::javac::Javac;
use crate::process::ToolCommand;
use crate::scanner::{ClassInfo, SourceFile, SourceTree, is_class_name};
use crate::target::{class_not_found, resolve_class, resolve_source};

/// `jbuild run [TARGET] [-- ARGS...]`.
pub fn command(ctx: &Context, target: Option<&OsStr>, args: &[OsString]) -> Result<ExitStatus> {
    let main = main_class(ctx, target)?;
    build(ctx, &Request::Files(vec![main.file.clone()]), &mut Javac::for_project(&ctx.project))?;
    let java = java_command(ctx, &main.name, &[], args)?;
    if ctx.status.verbosity == crate::status::Verbosity::Verbose {
        ctx.status.command(&java.display(), "");
    } else {
        ctx.status.line("Running", &main.name);
    }
    java.run_foreground()
}

/// The `java` command line for `class`: classes and jars on the classpath,
/// UTF-8 output whatever the locale (JDK 17 otherwise prints `?` for
/// non-ASCII text under LANG=C), then the project's java args.
/// Under a UTF-8 locale the JVM already does this, and the flags would only
/// cost start-up time, so they are left out.
pub fn java_command(ctx: &Context, class: &str, jvm_flags: &[String], args: &[OsString]) -> Result<ToolCommand> {
    let project = &ctx.project;
    let mut classpath = vec![project.classes.clone()];
    classpath.extend(project.jars()?);
    let mut java = ToolCommand::new(&ctx.jdk()?.java);
    java.current_dir(&ctx.cwd);
    java.arg("-cp").arg(std::env::join_paths(&classpath).context("joining the classpath")?);
    if !locale_is_utf8(|name| std::env::var(name).ok()) {
        java.args(UTF8_FLAGS);
    }
    java.args(jvm_flags);
    java.args(&project.settings.java_args);
    java.arg(class).args(args);
    Ok(java)
}

pub const UTF8_FLAGS: [&str; 3] = ["-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8"];

/// Whether the C library's character type locale (`LC_ALL`, then
/// `LC_CTYPE`, then `LANG`) is UTF-8.
pub fn locale_is_utf8(var: impl Fn(&str) -> Option<String>) -> bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"].into_iter().find_map(|name| var(name).filter(|v| !v.is_empty()));
    locale.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        l.contains("utf-8") || l.contains("utf8")
    })
}

/// Resolves what to run to a class with a main method, checking it can be
/// launched by the selected JDK.
pub fn main_class(ctx: &Context, target: Option<&OsStr>) -> Result<ClassInfo> {
    let (file, wanted) = match target {
        Some(target) => {
            let text = target.to_string_lossy();
            let file = resolve_source(ctx, target)?;
            let wanted = (is_class_name(&text) && !text.ends_with(".java")).then(|| text.into_owned());
            (file, wanted)
        }
        None => match &ctx.project.settings.main {
            Some(main) => (resolve_class(ctx, main)?, Some(main.clone())),
            None => return only_main_class(ctx),
        },
    };
    let source = SourceFile::read(&ctx.project.src, &file)
        .with_context(|| format!("reading {}", ctx.project.src.join(&file).display()))?;
    let class = match &wanted {
        Some(name) => source.classes().into_iter().find(|c| &c.name == name),
        None => source.primary_class(),
    };
    let class = match class {
        Some(class) => class,
        None => {
            let tree = SourceTree::scan(&ctx.project.src);
            return Err(usage(class_not_found(&tree, wanted.as_deref().unwrap_or_default())));
        }
    };
    check_launchable(ctx, &class)?;
    Ok(class)
}

fn check_launchable(ctx: &Context, class: &ClassInfo) -> Result<()> {
    match class.main {
        None => {
            let tree = SourceTree::scan(&ctx.project.src);
            let mains: Vec<String> = tree.main_classes().into_iter().map(|c| c.name).collect();
            let hint = if mains.is_empty() {
                "no class in the project has one".to_owned()
            } else {
                format!("classes with one: {}", mains.join(", "))
            };
            Err(usage(format!(
                "`{}` ({}) has no main method (`public static void main(String[] args)`); {hint}",
                class.name,
                display_file(ctx, &class.file)
            )))
        }
        Some(kind) => {
            let jdk = ctx.jdk()?;
            if jdk.feature() < kind.minimum_jdk() {
                return Err(usage(format!(
                    "`{}` declares an instance main method (`void main()`), which needs JDK {} or newer; \
                     the selected JDK is {} ({}). Set JAVA_HOME to a newer JDK or write \
                     `public static void main(String[] args)`",
                    class.name,
                    kind.minimum_jdk(),
                    jdk.version,
                    jdk.java.display()
                )));
            }
            Ok(())
        }
    }
}

/// With no target and no `main` setting: the only main class, if there is one.
fn only_main_class(ctx: &Context) -> Result<ClassInfo> {
    let tree = SourceTree::scan(&ctx.project.src);
    let mut mains = tree.main_classes();
    match mains.len() {
        1 => {
            let class = mains.remove(0);
            check_launchable(ctx, &class)?;
            Ok(class)
        }
        0 => Err(usage(format!("no class with a main method under {}", ctx.project.src.display()))),
        _ => Err(usage(format!(
            "several classes have a main method; name one (or set `main` in jbuild.toml):\n{}",
            mains.iter().map(|c| format!("    {}", c.name)).collect::<Vec<_>>().join("\n")
        ))),
    }
}

fn display_file(ctx: &Context, relative: &std::path::Path) -> String {
    let path: PathBuf = ctx.project.src.join(relative);
    path.strip_prefix(&ctx.cwd).map_or_else(|_| path.display().to_string(), |p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::locale_is_utf8;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn locale_detection_follows_libc_precedence() {
        assert!(locale_is_utf8(env(&[("LANG", "en_US.UTF-8")])));
        assert!(locale_is_utf8(env(&[("LC_CTYPE", "C.utf8"), ("LANG", "C")])));
        assert!(!locale_is_utf8(env(&[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")])));
        assert!(locale_is_utf8(env(&[("LC_ALL", ""), ("LANG", "ja_JP.UTF-8")])));
        assert!(!locale_is_utf8(env(&[])));
    }
}
