//! Finding the JDK: `JAVA_HOME` when it holds a javac, else `PATH`.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::error::usage;

/// A JDK's tools and identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jdk {
    pub javac: PathBuf,
    pub java: PathBuf,
    /// The full version, e.g. `17.0.15`.
    pub version: String,
    /// Lines to show the user about how the JDK was chosen (e.g. a bad JAVA_HOME).
    pub notes: Vec<String>,
}

const INSTALL_HINT: &str =
    "install a JDK (Debian/Ubuntu: `apt-get install openjdk-17-jdk-headless`) or set JAVA_HOME to one";

impl Jdk {
    /// Finds javac and java: `$JAVA_HOME/bin` if it has javac, else `PATH`.
    pub fn find() -> Result<Jdk> {
        let mut notes = Vec::new();
        let mut searched = Vec::new();
        if let Some(home) = crate::env::get().java_home.clone() {
            if let Some(jdk) = Jdk::from_home(&home) {
                return Ok(jdk);
            }
            searched.push(format!("JAVA_HOME={}", home.display()));
            notes.push(format!("JAVA_HOME={} has no bin/javac; using PATH instead", home.display()));
        }
        searched.push("PATH".to_owned());
        let javac = which::which("javac").ok();
        let java = which::which("java").ok();
        match (javac, java) {
            (Some(javac), java) => {
                // Prefer the java beside javac so both come from one JDK.
                let sibling = javac.canonicalize().ok().and_then(|c| sibling_tool(&c, "java"));
                let java = sibling
                    .or(java)
                    .ok_or_else(|| usage(format!("found javac at {} but no java; {INSTALL_HINT}", javac.display())))?;
                let version = version_of(&javac)?;
                Ok(Jdk { javac, java, version, notes })
            }
            (None, Some(java)) => Err(usage(format!(
                "no javac found (searched {}); {} is a Java runtime (JRE) without the compiler: {INSTALL_HINT}",
                searched.join(", "),
                java.display()
            ))),
            (None, None) => Err(usage(format!("no JDK found (searched {}): {INSTALL_HINT}", searched.join(", ")))),
        }
    }

    /// The JDK at `home`, when it has `bin/javac` and `bin/java`.
    pub fn from_home(home: &Path) -> Option<Jdk> {
        let javac = home.join("bin").join(exe("javac"));
        let java = home.join("bin").join(exe("java"));
        if !javac.is_file() || !java.is_file() {
            return None;
        }
        let version = version_of(&javac).ok()?;
        Some(Jdk { javac, java, version, notes: Vec::new() })
    }

    /// The feature release: 17 for `17.0.15`, 8 for `1.8.0_392`.
    pub fn feature(&self) -> u32 {
        feature_of(&self.version)
    }
}

pub fn feature_of(version: &str) -> u32 {
    let mut parts = version.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty());
    match parts.next().and_then(|p| p.parse().ok()) {
        Some(1) => parts.next().and_then(|p| p.parse().ok()).unwrap_or(1),
        Some(n) => n,
        None => 0,
    }
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

fn sibling_tool(tool: &Path, name: &str) -> Option<PathBuf> {
    let sibling = tool.parent()?.join(exe(name));
    sibling.is_file().then_some(sibling)
}

/// Reads the version from the JDK's `release` file (no JVM start), falling
/// back to `javac -version`.
fn version_of(javac: &Path) -> Result<String> {
    let real = javac.canonicalize().unwrap_or_else(|_| javac.to_path_buf());
    if let Some(home) = real.parent().and_then(Path::parent)
        && let Ok(release) = std::fs::read_to_string(home.join("release"))
        && let Some(version) =
            release.lines().find_map(|l| l.strip_prefix("JAVA_VERSION=")).map(|v| v.trim().trim_matches('"').to_owned())
    {
        return Ok(version);
    }
    let output = super::process::ToolCommand::new(javac)
        .arg("-version")
        .output()
        .map_err(|e| usage(format!("{e:#}; {INSTALL_HINT}")))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    text.split_whitespace()
        .nth(1)
        .map(str::to_owned)
        .ok_or_else(|| usage(format!("{} -version printed no version ({:?})", javac.display(), text.trim())))
}

#[cfg(test)]
mod tests {
    use super::feature_of;

    #[test]
    fn feature_release() {
        assert_eq!(feature_of("17.0.15"), 17);
        assert_eq!(feature_of("25"), 25);
        assert_eq!(feature_of("1.8.0_392"), 8);
        assert_eq!(feature_of("21-ea"), 21);
    }
}
