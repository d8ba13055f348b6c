//! Finding the JDK: `JAVA_HOME` when it holds a javac, else `PATH`; and,
//! when a project asks for a version (`jdk = 25`, `jdk = "21+"`, or a
//! `release` newer than that default), the first installed JDK that has it.
//!
//! JDKs are found, never downloaded, in this order: `JAVA_HOME`,
//! `JAVA_HOME_<N>_<ARCH>` (GitHub's setup-java), `/usr/lib/jvm/*`, SDKMAN's
//! `~/.sdkman/candidates/java/*`, IntelliJ's `~/.jdks/*`, then `PATH`. A
//! JDK's version is read from its `release` file, so looking costs no JVM start.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use crate::error::usage;
use crate::project::java_level::JavaLevel;
use crate::project::settings::JdkVersion;

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

/// An installed JDK found while looking for one of some version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstalledJdk {
    /// The JDK's folder (with `bin/javac`, `bin/java` and `release`), symlinks resolved.
    pub home: PathBuf,
    pub version: String,
    /// Where it was found: `JAVA_HOME`, `JAVA_HOME_21_X64`, `/usr/lib/jvm`, `SDKMAN`, `~/.jdks`, `PATH`.
    pub origin: String,
}

impl InstalledJdk {
    pub fn feature(&self) -> u32 {
        feature_of(&self.version)
    }
}

/// The places to look for JDKs, in order; read from the environment, or
/// made up by tests.
#[derive(Debug, Clone, Default)]
pub struct SearchPlaces {
    pub java_home: Option<PathBuf>,
    /// `JAVA_HOME_<N>_<ARCH>` variables: (name, value).
    pub numbered: Vec<(String, PathBuf)>,
    /// Folders of JDK folders: (origin, folder).
    pub folders: Vec<(String, PathBuf)>,
    /// Look for `javac` on `PATH` last.
    pub path: bool,
}

impl SearchPlaces {
    /// The places of this machine and user.
    pub fn from_env() -> SearchPlaces {
        let env = crate::env::get();
        let mut folders = vec![("/usr/lib/jvm".to_owned(), PathBuf::from("/usr/lib/jvm"))];
        let sdkman = env.sdkman_candidates.clone().or_else(|| env.home.as_ref().map(|h| h.join(".sdkman/candidates")));
        if let Some(candidates) = sdkman {
            folders.push(("SDKMAN".to_owned(), candidates.join("java")));
        }
        if let Some(home) = &env.home {
            folders.push(("~/.jdks".to_owned(), home.join(".jdks")));
        }
        SearchPlaces {
            java_home: env.java_home.clone(),
            numbered: env.numbered_java_homes.iter().map(|(name, _, path)| (name.clone(), path.clone())).collect(),
            folders,
            path: true,
        }
    }

    /// Every JDK in these places, in search order, each once (by its real folder).
    pub fn installed(&self) -> Vec<InstalledJdk> {
        let mut found: Vec<InstalledJdk> = Vec::new();
        let mut add = |home: &Path, origin: &str| {
            if let Some(jdk) = installed_at(home, origin)
                && !found.iter().any(|known| known.home == jdk.home)
            {
                found.push(jdk);
            }
        };
        if let Some(home) = &self.java_home {
            add(home, crate::env::JAVA_HOME);
        }
        for (name, home) in &self.numbered {
            add(home, name);
        }
        for (origin, folder) in &self.folders {
            let Ok(entries) = std::fs::read_dir(folder) else { continue };
            let mut homes: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            homes.sort();
            for home in homes {
                add(&home, origin);
            }
        }
        if self.path
            && let Ok(javac) = which::which("javac")
            && let Some(home) =
                javac.canonicalize().ok().and_then(|real| real.parent()?.parent().map(Path::to_path_buf))
        {
            add(&home, "PATH");
        }
        found
    }
}

/// The JDK at `home` when it has `bin/javac`, `bin/java` and a `release`
/// file naming its version.
fn installed_at(home: &Path, origin: &str) -> Option<InstalledJdk> {
    let home = home.canonicalize().ok()?;
    if !home.join("bin").join(exe("javac")).is_file() || !home.join("bin").join(exe("java")).is_file() {
        return None;
    }
    let version = release_version(&home)?;
    Some(InstalledJdk { home, version, origin: origin.to_owned() })
}

/// `JAVA_VERSION` of the JDK's `release` file (read bounded: it is a few lines).
fn release_version(home: &Path) -> Option<String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(home.join("release")).ok()?.take(64 * 1024).read_to_string(&mut text).ok()?;
    let version = text.lines().find_map(|l| l.strip_prefix("JAVA_VERSION="))?.trim().trim_matches('"');
    (!version.is_empty()).then(|| version.to_owned())
}

/// The JDK jbuild uses for a project, and why.
#[derive(Debug, Clone)]
pub struct Selection {
    pub jdk: Jdk,
    /// Where it was found (`JAVA_HOME`, `PATH`, `/usr/lib/jvm`, ...).
    pub origin: String,
    /// Why this one: "the default", "jdk = 25 in jbuild.toml", ...
    pub why: String,
    /// Said when the project's files ask for a newer Java than any JDK here.
    pub warning: Option<String>,
}

/// Selects the JDK: the default one ([`Jdk::find`]) unless `wanted` (the
/// `jdk` setting) or a `release` newer than the default asks for another,
/// which is then the first installed JDK that has the version.
///
/// `preferred` (the Java version the project's build file or IDE names) is
/// weaker: a newer JDK than the default is taken for it when one is
/// installed, else the default one is, with a warning naming the version.
pub fn select(
    wanted: Option<JdkVersion>,
    release: Option<u32>,
    preferred: Option<&JavaLevel>,
    places: &SearchPlaces,
) -> Result<Selection> {
    let default = Jdk::find();
    let (wanted, why) = match (wanted, &default) {
        (Some(wanted), _) => (wanted, format!("the `jdk = {wanted}` setting")),
        (None, Ok(jdk)) if release.is_some_and(|r| jdk.feature() < r) => {
            let release = release.expect("checked");
            (
                JdkVersion::AtLeast(release),
                format!("`release = {release}` is newer than the default JDK {}", jdk.version),
            )
        }
        (None, Ok(jdk)) if release.is_none() && preferred.is_some_and(|level| jdk.feature() < level.feature) => {
            let level = preferred.expect("checked");
            let wanted = JdkVersion::AtLeast(level.feature);
            let found = places.installed().into_iter().find(|found| wanted.accepts(found.feature()));
            if let Some(found) = found
                && let Some(newer) = Jdk::from_home(&found.home)
            {
                let why = format!(
                    "{} asks for Java {}, newer than the default JDK {}",
                    level.from, level.feature, jdk.version
                );
                return Ok(Selection { jdk: newer, origin: found.origin, why, warning: None });
            }
            let warning = format!(
                "{} asks for Java {}, and no JDK here has it: compiling with the default JDK {}; install JDK {} \
                 or newer, or set `jdk` in {}",
                level.from,
                level.feature,
                jdk.version,
                level.feature,
                crate::project::settings::SETTINGS_FILE
            );
            let origin = default_origin(jdk);
            return Ok(Selection {
                jdk: jdk.clone(),
                origin,
                why: "the default JDK".to_owned(),
                warning: Some(warning),
            });
        }
        (None, _) => {
            let jdk = default?;
            let origin = default_origin(&jdk);
            return Ok(Selection { jdk, origin, why: "the default JDK".to_owned(), warning: None });
        }
    };
    if let Ok(jdk) = &default
        && wanted.accepts(jdk.feature())
    {
        let origin = default_origin(jdk);
        return Ok(Selection { jdk: jdk.clone(), origin, why, warning: None });
    }
    let installed = places.installed();
    if let Some(found) = installed.iter().find(|jdk| wanted.accepts(jdk.feature()))
        && let Some(jdk) = Jdk::from_home(&found.home)
    {
        return Ok(Selection { jdk, origin: found.origin.clone(), why, warning: None });
    }
    let listed = if installed.is_empty() {
        "none".to_owned()
    } else {
        installed.iter().map(|j| format!("{} ({})", j.version, j.home.display())).collect::<Vec<_>>().join(", ")
    };
    Err(usage(format!(
        "{why} needs JDK {wanted}, and no installed JDK has it (found: {listed}; searched JAVA_HOME, \
         JAVA_HOME_<N>_X64, /usr/lib/jvm, ~/.sdkman/candidates/java, ~/.jdks and PATH): install one, \
         or change the setting"
    )))
}

fn default_origin(jdk: &Jdk) -> String {
    let from_java_home = crate::env::get().java_home.as_ref().is_some_and(|home| jdk.javac.starts_with(home));
    if from_java_home { crate::env::JAVA_HOME.to_owned() } else { "PATH".to_owned() }
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
    use super::*;

    /// A folder that looks like a JDK of `version` (empty tools, a release file).
    fn fake_jdk(home: &Path, version: &str) {
        std::fs::create_dir_all(home.join("bin")).unwrap();
        std::fs::write(home.join("bin/javac"), "").unwrap();
        std::fs::write(home.join("bin/java"), "").unwrap();
        std::fs::write(home.join("release"), format!("IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"{version}\"\n")).unwrap();
    }

    #[test]
    fn installed_jdks_in_search_order_each_once() {
        let dir = tempfile::tempdir().unwrap();
        let (jvm, jdks) = (dir.path().join("jvm"), dir.path().join("jdks"));
        fake_jdk(&jvm.join("java-21"), "21.0.2");
        fake_jdk(&jvm.join("java-17"), "17.0.9");
        fake_jdk(&jdks.join("temurin-25"), "25");
        std::fs::create_dir_all(jvm.join("no-jdk/bin")).unwrap();
        std::fs::write(jvm.join(".java-17.jinfo"), "").unwrap();
        std::os::unix::fs::symlink(jvm.join("java-17"), jvm.join("default-java")).unwrap();
        let places = SearchPlaces {
            java_home: Some(jvm.join("java-21")),
            numbered: vec![
                ("JAVA_HOME_25_X64".into(), jdks.join("temurin-25")),
                ("JAVA_HOME_8_X64".into(), "/nope".into()),
            ],
            folders: vec![("/usr/lib/jvm".into(), jvm.clone()), ("~/.jdks".into(), jdks.clone())],
            path: false,
        };
        let found: Vec<(String, String)> = places.installed().into_iter().map(|j| (j.version, j.origin)).collect();
        let expected = [("21.0.2", "JAVA_HOME"), ("25", "JAVA_HOME_25_X64"), ("17.0.9", "/usr/lib/jvm")];
        assert_eq!(found, expected.map(|(v, o)| (v.to_owned(), o.to_owned())));
    }

    #[test]
    fn versions_a_project_accepts() {
        assert!(JdkVersion::Exactly(25).accepts(25) && !JdkVersion::Exactly(25).accepts(26));
        assert!(JdkVersion::AtLeast(21).accepts(25) && !JdkVersion::AtLeast(21).accepts(17));
        assert_eq!(JdkVersion::parse("21+"), Some(JdkVersion::AtLeast(21)));
        assert_eq!(JdkVersion::parse(" 25 "), Some(JdkVersion::Exactly(25)));
        for bad in ["", "+", "twenty", "1.8", "3", "100", "-1"] {
            assert_eq!(JdkVersion::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn feature_release() {
        assert_eq!(feature_of("17.0.15"), 17);
        assert_eq!(feature_of("25"), 25);
        assert_eq!(feature_of("1.8.0_392"), 8);
        assert_eq!(feature_of("21-ea"), 21);
    }
}
