//! Project settings: `jbuild.toml` merged with command-line flags (flags win).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::error::usage;

pub const SETTINGS_FILE: &str = "jbuild.toml";

/// The contents of `jbuild.toml`. Every key is optional; unknown keys are an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SettingsFile {
    pub src: Option<PathBuf>,
    pub classes: Option<PathBuf>,
    pub lib: Option<PathBuf>,
    pub release: Option<u32>,
    /// The JDK to use: `25` (that feature release) or `"21+"` (21 or newer).
    pub jdk: Option<JdkSetting>,
    pub encoding: Option<String>,
    pub javac_args: Option<Vec<String>>,
    pub java_args: Option<Vec<String>>,
    pub main: Option<String>,
    pub daemon: Option<bool>,
    /// Folder of JUnit test sources (default: `test/` when it holds any).
    pub test_src: Option<PathBuf>,
    /// The JUnit Platform console standalone jar.
    pub junit: Option<PathBuf>,
    /// Variables passed to graded programs by name, besides the fixed few.
    pub env: Option<Vec<String>>,
    /// Run graded programs as this user (when jbuild runs as root).
    pub run_as: Option<String>,
    /// `[[check]]` tables: cases for `jbuild check`.
    pub check: Option<Vec<CheckTable>>,
    /// The program that judges every case's output (see `check::checker`).
    pub checker: Option<CheckerSetting>,
    /// Globs of case names (`class/case`) whose details reports never show.
    pub hidden: Option<Vec<String>>,
    /// `[[group]]` tables: cases scored together.
    pub group: Option<Vec<GroupTable>>,
}

/// `jdk = 25` or `jdk = "21+"` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum JdkSetting {
    Number(i64),
    Text(String),
}

/// Which JDKs a project accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JdkVersion {
    /// This feature release (`jdk = 25`).
    Exactly(u32),
    /// This feature release or a newer one (`jdk = "21+"`, or `release = 21`).
    AtLeast(u32),
}

impl JdkVersion {
    /// Reads `25`, `"25"` or `"21+"`.
    pub fn parse(text: &str) -> Option<JdkVersion> {
        let text = text.trim();
        let (number, at_least) = match text.strip_suffix('+') {
            Some(number) => (number.trim(), true),
            None => (text, false),
        };
        let feature: u32 = number.parse().ok().filter(|n| (6..=99).contains(n))?;
        Some(if at_least { JdkVersion::AtLeast(feature) } else { JdkVersion::Exactly(feature) })
    }

    pub fn accepts(self, feature: u32) -> bool {
        match self {
            JdkVersion::Exactly(wanted) => feature == wanted,
            JdkVersion::AtLeast(wanted) => feature >= wanted,
        }
    }
}

impl std::fmt::Display for JdkVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JdkVersion::Exactly(feature) => write!(f, "{feature}"),
            JdkVersion::AtLeast(feature) => write!(f, "{feature}+"),
        }
    }
}

/// One `[[check]]` table of `jbuild.toml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckTable {
    pub name: Option<String>,
    pub main: Option<String>,
    pub args: Option<Vec<String>>,
    pub stdin: Option<String>,
    pub stdin_file: Option<PathBuf>,
    pub stdout: Option<String>,
    pub stdout_file: Option<PathBuf>,
    pub compare: Option<String>,
    /// Seconds.
    pub timeout: Option<f64>,
    /// MiB.
    pub memory: Option<u64>,
    pub points: Option<f64>,
    /// Expected exit code (default 0).
    pub code: Option<i32>,
    /// This case's checker, instead of the top-level one.
    pub checker: Option<CheckerSetting>,
    /// Reports never show this case's input, expected output or diff.
    pub hidden: Option<bool>,
}

/// `checker = ["python3", "checkers/sorted.py"]` (a command, run from the
/// project root) or `checker = "java:checkers.Sorted"` (a class of the
/// project). Any other string is kept as written, for the check layer to
/// refuse with the key's location.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckerSetting {
    Command(Vec<String>),
    Named(String),
}

impl<'de> Deserialize<'de> for CheckerSetting {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = CheckerSetting;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(r#"a command as a list of strings (["python3", "checkers/sorted.py"]) or "java:CLASS""#)
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<CheckerSetting, E> {
                Ok(CheckerSetting::Named(text.to_owned()))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<CheckerSetting, A::Error> {
                let mut argv = Vec::new();
                while let Some(arg) = seq.next_element::<String>()? {
                    argv.push(arg);
                }
                Ok(CheckerSetting::Command(argv))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// One `[[group]]` table of `jbuild.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GroupTable {
    pub name: String,
    pub points: f64,
    /// Globs of case names (`class/case`).
    pub cases: Vec<String>,
    /// The group's points only when every case passes (default), else
    /// shared out among its cases.
    pub all_or_nothing: Option<bool>,
}

/// Values given on the command line; each wins over its key in `jbuild.toml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SettingsOverrides {
    pub src: Option<PathBuf>,
    pub classes: Option<PathBuf>,
    pub lib: Option<PathBuf>,
    pub release: Option<u32>,
    /// `--jdk 25`, `--jdk 21+`.
    pub jdk: Option<String>,
    pub encoding: Option<String>,
    /// Empty means "not given".
    pub javac_args: Vec<String>,
    pub java_args: Vec<String>,
    /// `--daemon` or `JBUILD_DAEMON`.
    pub daemon: bool,
}

/// Settings after merging file and flags, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub src: PathBuf,
    pub classes: PathBuf,
    /// `None` means "lib/ if it exists".
    pub lib: Option<PathBuf>,
    pub release: Option<u32>,
    /// The JDKs the project accepts (`None`: the default JDK).
    pub jdk: Option<JdkVersion>,
    pub encoding: String,
    pub javac_args: Vec<String>,
    pub java_args: Vec<String>,
    pub main: Option<String>,
    /// Compile through the background daemon.
    pub daemon: bool,
    /// Folder of JUnit test sources, relative to the root (`None`: `test/`).
    pub test_src: Option<PathBuf>,
    /// The JUnit Platform console standalone jar, relative to the root.
    pub junit: Option<PathBuf>,
    pub checks: Vec<CheckTable>,
    /// Environment variables graded programs may see, by name.
    pub env: Vec<String>,
    pub run_as: Option<String>,
    pub checker: Option<CheckerSetting>,
    pub hidden: Vec<String>,
    pub groups: Vec<GroupTable>,
}

impl SettingsFile {
    /// Reads `jbuild.toml` in `root`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<SettingsFile> {
        let path = root.join(SETTINGS_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SettingsFile::default()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        toml::from_str(&text).map_err(|e| usage(format!("invalid {}: {}", path.display(), e.to_string().trim_end())))
    }
}

/// A `jdk` value that is no JDK version, named with where it came from.
fn bad_jdk(origin: &str, value: &str) -> anyhow::Error {
    usage(format!(
        "setting `jdk` ({origin}): {value:?} is not a JDK version; write a feature release such as 25, \
         or \"21+\" for 21 or newer"
    ))
}

impl Settings {
    /// Merges `file` with `flags` and checks every value, naming the key at fault.
    /// `default_src` is the source folder when neither names one.
    pub fn merge(
        file: SettingsFile,
        flags: &SettingsOverrides,
        file_path: &Path,
        default_src: &Path,
    ) -> Result<Settings> {
        let pick_vec = |flag: &Vec<String>, file: Option<Vec<String>>| {
            if flag.is_empty() { file.unwrap_or_default() } else { flag.clone() }
        };
        let jdk = match (&flags.jdk, file.jdk) {
            (Some(flag), _) => Some(JdkVersion::parse(flag).ok_or_else(|| bad_jdk("flag --jdk", flag))?),
            (None, Some(JdkSetting::Number(n))) => Some(
                u32::try_from(n)
                    .ok()
                    .and_then(|n| JdkVersion::parse(&n.to_string()))
                    .ok_or_else(|| bad_jdk(&file_path.display().to_string(), &n.to_string()))?,
            ),
            (None, Some(JdkSetting::Text(text))) => {
                Some(JdkVersion::parse(&text).ok_or_else(|| bad_jdk(&file_path.display().to_string(), &text))?)
            }
            (None, None) => None,
        };
        let settings = Settings {
            src: flags.src.clone().or(file.src).unwrap_or_else(|| default_src.to_path_buf()),
            classes: flags.classes.clone().or(file.classes).unwrap_or_else(|| PathBuf::from("classes")),
            lib: flags.lib.clone().or(file.lib),
            release: flags.release.or(file.release),
            jdk,
            encoding: flags.encoding.clone().or(file.encoding).unwrap_or_else(|| "UTF-8".to_owned()),
            javac_args: pick_vec(&flags.javac_args, file.javac_args),
            java_args: pick_vec(&flags.java_args, file.java_args),
            main: file.main,
            daemon: flags.daemon || file.daemon.unwrap_or(false),
            test_src: file.test_src,
            junit: file.junit,
            checks: file.check.unwrap_or_default(),
            env: file.env.unwrap_or_default(),
            run_as: file.run_as,
            checker: file.checker,
            hidden: file.hidden.unwrap_or_default(),
            groups: file.group.unwrap_or_default(),
        };
        settings.validate(file_path)?;
        Ok(settings)
    }

    fn validate(&self, file_path: &Path) -> Result<()> {
        // Keys without a flag are named with their file only.
        let bad = |key: &str, why: String| match key {
            "main" | "env" => usage(format!("setting `{key}` ({}): {why}", file_path.display())),
            _ => usage(format!("setting `{key}` (flag --{key} or {}): {why}", file_path.display())),
        };
        if let Some(release) = self.release
            && !(6..=99).contains(&release)
        {
            return Err(bad("release", format!("{release} is not a Java release number (e.g. 17)")));
        }
        if let (Some(jdk @ JdkVersion::Exactly(feature)), Some(release)) = (self.jdk, self.release)
            && feature < release
        {
            return Err(bad("jdk", format!("JDK {jdk} cannot compile for `release = {release}`")));
        }
        if self.encoding.trim().is_empty() || self.encoding.contains(char::is_whitespace) {
            return Err(bad("encoding", format!("{:?} is not a charset name (e.g. UTF-8)", self.encoding)));
        }
        for (key, path) in [("src", &self.src), ("classes", &self.classes)] {
            if path.as_os_str().is_empty() {
                return Err(bad(key, "must not be empty".to_owned()));
            }
        }
        for (key, path) in [("test-src", &self.test_src), ("junit", &self.junit)] {
            if path.as_ref().is_some_and(|p| p.as_os_str().is_empty()) {
                return Err(usage(format!("setting `{key}` ({}): must not be empty", file_path.display())));
            }
        }
        if self.test_src.as_ref().is_some_and(|t| t == &self.src) {
            return Err(usage(format!(
                "setting `test-src` ({}): must differ from `src` (test classes inside src/ are found by their \
                 org.junit imports)",
                file_path.display()
            )));
        }
        if self.src == self.classes {
            return Err(bad(
                "classes",
                "must differ from `src`: jbuild never writes into the source folder".to_owned(),
            ));
        }
        if let Some(name) = self.env.iter().find(|n| n.is_empty() || n.contains('=') || n.contains('\0')) {
            return Err(bad("env", format!("{name:?} is not a variable name")));
        }
        if let Some(arg) = self.javac_args.iter().find(|a| a.starts_with('@')) {
            return Err(bad(
                "javac-args",
                format!("{arg:?}: javac would read it as a file of arguments; write the arguments themselves"),
            ));
        }
        if let Some(name) = self.env.iter().find(|n| is_secret(n)) {
            return Err(bad(
                "env",
                format!(
                    "{name} looks like a CI credential, and a repository cannot hand those to the programs it grades"
                ),
            ));
        }
        if let Some(main) = &self.main
            && !crate::scanner::is_class_name(main)
        {
            return Err(bad("main", format!("{main:?} is not a class name (e.g. sample01.Main)")));
        }
        Ok(())
    }
}

/// Variables a CI job keeps its credentials in: GitHub's and its runner's,
/// GitLab's `CI_*`, and anything named like a token, secret or password.
fn is_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["GITHUB_", "ACTIONS_", "RUNNER_", "CI_"].iter().any(|prefix| upper.starts_with(prefix))
        || ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "PRIVATE"].iter().any(|word| upper.contains(word))
        || upper.ends_with("_KEY")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merge(toml: &str, flags: &SettingsOverrides) -> Result<Settings> {
        let file: SettingsFile = toml::from_str(toml).unwrap();
        Settings::merge(file, flags, Path::new("jbuild.toml"), Path::new("src"))
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let none = SettingsOverrides::default();
        let defaults = merge("", &none).unwrap();
        assert_eq!((defaults.src.as_path(), defaults.classes.as_path()), (Path::new("src"), Path::new("classes")));
        assert_eq!((defaults.encoding.as_str(), defaults.release, defaults.daemon), ("UTF-8", None, false));
        let file = merge("release = 11\njavac-args = [\"-g\"]\nclasses = \"out\"\n", &none).unwrap();
        assert_eq!(
            (file.release, file.javac_args.as_slice(), file.classes.as_path()),
            (Some(11), &["-g".to_owned()][..], Path::new("out"))
        );
        let flags = SettingsOverrides { release: Some(17), javac_args: vec!["-Xlint".into()], ..Default::default() };
        let both = merge("release = 11\njavac-args = [\"-g\"]\n", &flags).unwrap();
        assert_eq!((both.release, both.javac_args.as_slice()), (Some(17), &["-Xlint".to_owned()][..]));
    }

    #[test]
    fn bad_values_name_the_key_and_say_whether_a_flag_exists() {
        let none = SettingsOverrides::default();
        let error = |toml: &str| merge(toml, &none).unwrap_err().to_string();
        assert!(error("release = 3").starts_with("setting `release` (flag --release or jbuild.toml)"));
        assert!(error("main = \"not a class\"").starts_with("setting `main` (jbuild.toml)"));
        assert!(error("env = [\"A=B\"]").contains("\"A=B\" is not a variable name"));
        for secret in [
            "GITHUB_TOKEN",
            "ACTIONS_RUNTIME_TOKEN",
            "CI_JOB_TOKEN",
            "TEACHER_SECRET",
            "AWS_SECRET_ACCESS_KEY",
            "DEPLOY_KEY",
        ] {
            assert!(error(&format!("env = [\"{secret}\"]")).contains("looks like a CI credential"), "{secret}");
        }
        assert!(error("src = \"x\"\nclasses = \"x\"").contains("must differ from `src`"));
        assert!(toml::from_str::<SettingsFile>("relese = 17").is_err(), "unknown keys are refused");
    }
}
