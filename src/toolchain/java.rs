//! `java` command lines, and whether a JDK's launcher can start a class.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::jdk::{Jdk, SearchPlaces};
use super::process::ToolCommand;
use crate::error::usage;
use crate::scanner::ClassInfo;

/// Makes java print UTF-8 whatever the locale (JDK 17 otherwise prints `?`
/// for non-ASCII text under LANG=C). Under a UTF-8 locale the JVM already
/// does, and the flags would only cost start-up time, so they are left out.
pub const UTF8_FLAGS: [&str; 3] = ["-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8"];

/// What to launch.
#[derive(Debug)]
pub struct Launch<'a> {
    pub classpath: &'a [PathBuf],
    /// The folder the program runs in.
    pub cwd: &'a Path,
    /// jbuild's own JVM flags (limits), then the project's `java-args`.
    pub jvm_flags: &'a [String],
    pub class: &'a str,
    pub args: &'a [OsString],
}

/// `java -cp CLASSPATH [UTF-8 flags] FLAGS CLASS ARGS`.
pub fn java_command(jdk: &Jdk, launch: &Launch) -> Result<ToolCommand> {
    let mut java = ToolCommand::jdk_tool(&jdk.java);
    java.current_dir(launch.cwd);
    java.arg("-cp").arg(std::env::join_paths(launch.classpath).context("joining the classpath")?);
    java.args(jvm_options(launch.jvm_flags));
    java.main_class(launch.class).args(launch.args);
    Ok(java)
}

/// The JVM options of every java jbuild starts for a program: the UTF-8
/// flags when the locale needs them, then `jvm_flags`.
pub fn jvm_options(jvm_flags: &[String]) -> Vec<String> {
    let mut options = Vec::new();
    if !crate::env::get().utf8_locale {
        options.extend(UTF8_FLAGS.iter().map(|f| f.to_string()));
    }
    options.extend(jvm_flags.iter().cloned());
    options
}

/// What to do when the selected JDK is older than `needed`: the first newer
/// JDK jbuild finds and how to select it, else to install one; or `instead`.
pub fn newer_jdk_advice(needed: u32, instead: &str) -> String {
    let found = SearchPlaces::from_env().installed().into_iter().find(|found| found.feature() >= needed);
    match found {
        Some(found) => format!(
            "jbuild found JDK {} at {} ({}): select it with `jdk = {}` in jbuild.toml (or --jdk {}, or \
             JAVA_HOME={}), or {instead}",
            found.version,
            found.home.display(),
            found.origin,
            found.feature(),
            found.feature(),
            found.home.display()
        ),
        None => format!(
            "no JDK {needed} or newer is installed (jbuild looked in JAVA_HOME, JAVA_HOME_<N>_X64, /usr/lib/jvm, \
             ~/.sdkman and ~/.jdks): install one, or {instead}"
        ),
    }
}

/// Refuses a class whose main method the JDK's launcher cannot start
/// (an instance main before JDK 25), saying what to do: which newer JDK
/// jbuild found, and how to select it.
pub fn ensure_launchable(jdk: &Jdk, class: &ClassInfo) -> Result<()> {
    let Some(kind) = class.main else { return Ok(()) };
    let needed = kind.minimum_jdk();
    if jdk.feature() >= needed {
        return Ok(());
    }
    let advice = newer_jdk_advice(needed, "write `public static void main(String[] args)`");
    Err(usage(format!(
        "`{}` declares an instance main method (`void main()`), which needs JDK {needed} or newer; \
         the selected JDK is {} ({}). {advice}",
        class.name,
        jdk.version,
        jdk.java.display()
    )))
}
