//! `java` command lines, and whether a JDK's launcher can start a class.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::jdk::Jdk;
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

/// Refuses a class whose main method the JDK's launcher cannot start
/// (an instance main before JDK 25), saying what to do.
pub fn ensure_launchable(jdk: &Jdk, class: &ClassInfo) -> Result<()> {
    let Some(kind) = class.main else { return Ok(()) };
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
