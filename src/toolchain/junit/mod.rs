//! The JUnit Platform: finding its console standalone jar (jbuild never
//! downloads one), and the embedded launcher that runs tests with it.
//!
//! The standalone jar bundles the platform launcher, Jupiter (JUnit 5), the
//! vintage engine with JUnit 4 and Hamcrest, so one jar is enough both to
//! compile test classes and to run them.

pub mod events;
pub mod launcher;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::error::usage;
use crate::project::Project;
use crate::project::settings::SETTINGS_FILE;

/// The name every release of the jar starts with.
pub const JAR_PREFIX: &str = "junit-platform-console-standalone";
/// Where to get it, for the error that says how: its Maven coordinates.
pub const MAVEN_COORDINATES: &str = "org.junit.platform:junit-platform-console-standalone";

/// Entries every usable jar has: the launcher API and Jupiter's `@Tag`,
/// which the embedded launcher is compiled against.
const REQUIRED_ENTRIES: [&str; 2] =
    ["org/junit/platform/launcher/core/LauncherFactory.class", "org/junit/jupiter/api/Tag.class"];

/// A JUnit Platform console standalone jar, checked to be one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JunitPlatform {
    pub jar: PathBuf,
    /// How it was found: `JBUILD_JUNIT_JAR`, `the junit setting`, ...
    pub found_by: String,
    /// The jar's content hash (it keys the compiled launcher).
    pub hash: String,
}

/// Finds the jar for `project`: `JBUILD_JUNIT_JAR`, then the `junit`
/// setting, then `lib/junit-platform-console-standalone*.jar` (the newest
/// when there are several), then Debian's `junit5` package. A variable or
/// setting naming a missing or wrong file is an error, never skipped.
pub fn find(project: &Project) -> Result<JunitPlatform> {
    let env = crate::env::get();
    if let Some(jar) = &env.junit_jar {
        return checked(jar, crate::env::JBUILD_JUNIT_JAR);
    }
    if let Some(setting) = &project.settings.junit {
        return checked(
            &project.root.join(setting),
            &format!("the `junit` setting in {}", project.root.join(SETTINGS_FILE).display()),
        );
    }
    if let Some(lib) = &project.lib
        && let Some(jar) = newest_in(lib)?
    {
        return checked(&jar, &format!("{}/", lib.display()));
    }
    let system = &env.system_junit_jar;
    if system.is_file() {
        return checked(system, "the junit5 package");
    }
    let lib = project.lib.clone().unwrap_or_else(|| project.root.join("lib"));
    Err(usage(format!(
        "no JUnit Platform jar for the JUnit tests of {}: jbuild looked at {}, the `junit` setting, \
         {}/{JAR_PREFIX}*.jar and {}. Install it with `apt-get install junit5` \
         (Debian, Ubuntu), or download {JAR_PREFIX}-<version>.jar from Maven Central ({MAVEN_COORDINATES}) \
         into {}/ (jbuild never downloads it itself)",
        project.root.display(),
        crate::env::JBUILD_JUNIT_JAR,
        lib.display(),
        system.display(),
        lib.display(),
    )))
}

/// The newest `junit-platform-console-standalone*.jar` in `lib`.
fn newest_in(lib: &Path) -> Result<Option<PathBuf>> {
    let mut jars = Vec::new();
    for entry in std::fs::read_dir(lib).with_context(|| format!("reading {}", lib.display()))? {
        let path = entry.with_context(|| format!("reading {}", lib.display()))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with(JAR_PREFIX) && name.ends_with(".jar") {
            jars.push(path);
        }
    }
    jars.sort_by_key(|path| version_key(path));
    Ok(jars.pop())
}

/// `junit-platform-console-standalone-1.10.2.jar` → `[1, 10, 2]`, so 1.10
/// sorts after 1.9.
fn version_key(path: &Path) -> Vec<u64> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).filter_map(|p| p.parse().ok()).collect()
}

/// The jar at `path`, which `found_by` named, if it is a usable standalone jar.
fn checked(path: &Path, found_by: &str) -> Result<JunitPlatform> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return Err(usage(format!("{found_by}: cannot read the JUnit jar {}: {e}", path.display()))),
    };
    // Entry names are stored uncompressed in a jar's central directory.
    let missing = REQUIRED_ENTRIES
        .iter()
        .find(|entry| !regex::bytes::Regex::new(&regex::escape(entry)).is_ok_and(|pattern| pattern.is_match(&bytes)));
    if let Some(entry) = missing {
        return Err(usage(format!(
            "{found_by}: {} is not a JUnit Platform console standalone jar (it has no {entry}); \
             use {JAR_PREFIX}-<version>.jar, which bundles the launcher, JUnit 5 and JUnit 4",
            path.display()
        )));
    }
    Ok(JunitPlatform {
        jar: path.to_path_buf(),
        found_by: found_by.to_owned(),
        hash: blake3::hash(&bytes).to_hex().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_versions_sort_last() {
        let mut jars: Vec<PathBuf> =
            ["junit-platform-console-standalone-1.10.2.jar", "junit-platform-console-standalone-1.9.3.jar"]
                .iter()
                .map(PathBuf::from)
                .collect();
        jars.sort_by_key(|p| version_key(p));
        assert_eq!(jars.last().unwrap(), Path::new("junit-platform-console-standalone-1.10.2.jar"));
    }

    #[test]
    fn a_jar_without_the_launcher_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("junit-platform-console-standalone-9.jar");
        std::fs::write(&fake, "PK org/junit/jupiter/api/Tag.class").unwrap();
        let error = checked(&fake, "JBUILD_JUNIT_JAR").unwrap_err().to_string();
        assert!(error.contains("is not a JUnit Platform console standalone jar"), "{error}");
        assert!(error.contains("LauncherFactory"), "{error}");
        let missing = checked(&dir.path().join("nope.jar"), "JBUILD_JUNIT_JAR").unwrap_err().to_string();
        assert!(missing.starts_with("JBUILD_JUNIT_JAR: cannot read the JUnit jar"), "{missing}");
    }
}
