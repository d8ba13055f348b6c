//! Every environment variable jbuild reads: its name, meaning and parsing.
//!
//! They are read and checked once, at start-up ([`init`]): a bad value is a
//! usage error naming the variable (exit 2), never a panic and never a
//! silent default. Variables jbuild *clears* or *sets* for the programs it
//! starts are listed in `toolchain::process`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::Result;

use crate::error::usage;

/// The JDK to use; else `javac` on `PATH`.
pub const JAVA_HOME: &str = "JAVA_HOME";
/// `JAVA_HOME_<N>_<ARCH>` (`JAVA_HOME_21_X64`, as GitHub's setup-java sets
/// them): JDKs of feature release N that a `jdk` setting may select.
pub const JAVA_HOME_NUMBERED_PREFIX: &str = "JAVA_HOME_";
/// SDKMAN's candidates folder (`~/.sdkman/candidates` when unset): its
/// `java/*` JDKs may be selected by a `jdk` setting.
pub const SDKMAN_CANDIDATES_DIR: &str = "SDKMAN_CANDIDATES_DIR";
/// The per-user cache (worker classes, daemon socket).
pub const JBUILD_CACHE_DIR: &str = "JBUILD_CACHE_DIR";
/// Base of the cache when `JBUILD_CACHE_DIR` is unset (`$XDG_CACHE_HOME/jbuild`).
pub const XDG_CACHE_HOME: &str = "XDG_CACHE_HOME";
/// Last resort for the cache (`~/.cache/jbuild`).
pub const HOME: &str = "HOME";
/// `1`/`true`: same as `--daemon` (read by clap, declared here to be listed).
pub const JBUILD_DAEMON: &str = "JBUILD_DAEMON";
/// Seconds before an idle daemon exits (default 600).
pub const JBUILD_DAEMON_IDLE: &str = "JBUILD_DAEMON_IDLE";
/// Seconds before a silent compile worker is killed (default 300).
pub const JBUILD_WORKER_TIMEOUT: &str = "JBUILD_WORKER_TIMEOUT";
/// Compiles before a worker is replaced by a fresh one (default 500).
pub const JBUILD_WORKER_MAX_REQUESTS: &str = "JBUILD_WORKER_MAX_REQUESTS";
/// The JUnit Platform console standalone jar (wins over the `junit` setting).
pub const JBUILD_JUNIT_JAR: &str = "JBUILD_JUNIT_JAR";
/// Any non-empty value: no colours (<https://no-color.org>).
pub const NO_COLOR: &str = "NO_COLOR";
/// Non-empty and not `0`: colours even when not on a terminal.
pub const CLICOLOR_FORCE: &str = "CLICOLOR_FORCE";
/// `true` on GitHub Actions: `jbuild check` writes annotations.
pub const GITHUB_ACTIONS: &str = "GITHUB_ACTIONS";
/// File that `jbuild check` appends its Markdown summary to, on GitHub Actions.
pub const GITHUB_STEP_SUMMARY: &str = "GITHUB_STEP_SUMMARY";
/// The C library's locale, in its order of precedence: decides whether java
/// needs to be told to print UTF-8.
pub const LOCALE_VARS: [&str; 3] = ["LC_ALL", "LC_CTYPE", "LANG"];
/// For tests: `1` makes every javac and java start take its arguments from
/// an `@argfile`, as a long command line would (as cargo's
/// `__CARGO_TEST_FORCE_ARGFILE`).
pub const FORCE_ARGFILE: &str = "__JBUILD_TEST_FORCE_ARGFILE";
/// For tests: where jbuild looks for the system's JUnit jar instead of the
/// path Debian's `junit5` package installs it to (so a test can make it
/// missing on a machine that has it).
pub const SYSTEM_JUNIT_JAR: &str = "__JBUILD_TEST_SYSTEM_JUNIT_JAR";
/// Where Debian's and Ubuntu's `junit5` package installs the JUnit jar.
pub const DEBIAN_JUNIT_JAR: &str = "/usr/share/java/junit-platform-console-standalone.jar";

/// Longest duration any variable may ask for: a day.
const MAX_SECONDS: f64 = 86_400.0;

/// The environment as jbuild understands it.
#[derive(Debug, Clone)]
pub struct Env {
    pub java_home: Option<PathBuf>,
    /// `JAVA_HOME_<N>_<ARCH>` variables: (name, N, value), by N then name.
    pub numbered_java_homes: Vec<(String, u32, PathBuf)>,
    pub sdkman_candidates: Option<PathBuf>,
    /// The user's home folder (`~/.sdkman`, `~/.jdks`).
    pub home: Option<PathBuf>,
    /// `JBUILD_CACHE_DIR`, else `XDG_CACHE_HOME/jbuild` (when absolute), else
    /// `HOME/.cache/jbuild`; `None` when none is set.
    pub cache_dir: Option<PathBuf>,
    pub daemon_idle: Duration,
    pub worker_timeout: Duration,
    pub worker_max_requests: u32,
    /// `JBUILD_JUNIT_JAR`, made absolute against the current folder.
    pub junit_jar: Option<PathBuf>,
    pub no_color: bool,
    pub clicolor_force: bool,
    pub github_actions: bool,
    pub step_summary: Option<PathBuf>,
    /// Whether the locale already makes java print UTF-8.
    pub utf8_locale: bool,
    pub force_argfile: bool,
    /// The system's JUnit jar: [`DEBIAN_JUNIT_JAR`] unless a test says otherwise.
    pub system_junit_jar: PathBuf,
}

static ENV: OnceLock<Env> = OnceLock::new();

/// Reads and checks the environment once; call before any work.
pub fn init() -> Result<&'static Env> {
    if let Some(env) = ENV.get() {
        return Ok(env);
    }
    let env = Env::read(|name| std::env::var_os(name), variable_names())?;
    Ok(ENV.get_or_init(|| env))
}

/// The environment read by [`init`] (read now, with defaults for bad
/// values, when `init` did not run: library callers and unit tests).
pub fn get() -> &'static Env {
    ENV.get_or_init(|| Env::read(|name| std::env::var_os(name), variable_names()).unwrap_or_else(|_| Env::defaults()))
}

/// The names of the environment's variables that follow a pattern rather
/// than being named one by one (`JAVA_HOME_<N>_<ARCH>`).
fn variable_names() -> Vec<String> {
    std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter(|name| name.starts_with(JAVA_HOME_NUMBERED_PREFIX))
        .collect()
}

impl Env {
    /// Reads the variables through `var` (the process environment, or a map
    /// in tests); `names` are the variable names set, for the patterned ones.
    pub fn read(var: impl Fn(&str) -> Option<OsString>, names: impl IntoIterator<Item = String>) -> Result<Env> {
        let set = |name: &str| var(name).filter(|v| !v.is_empty());
        let text = |name: &str| -> Result<Option<String>> {
            set(name).map(|v| v.into_string().map_err(|v| usage(format!("{name}={v:?}: not valid UTF-8")))).transpose()
        };
        let cache_dir = set(JBUILD_CACHE_DIR)
            .map(PathBuf::from)
            .or_else(|| set(XDG_CACHE_HOME).map(PathBuf::from).filter(|d| d.is_absolute()).map(|d| d.join("jbuild")))
            .or_else(|| set(HOME).map(|home| PathBuf::from(home).join(".cache").join("jbuild")));
        let defaults = Env::defaults();
        let mut numbered_java_homes: Vec<(String, u32, PathBuf)> = names
            .into_iter()
            .filter_map(|name| {
                let feature = numbered_java_home(&name)?;
                let value = set(&name)?;
                Some((name, feature, PathBuf::from(value)))
            })
            .collect();
        numbered_java_homes.sort();
        numbered_java_homes.sort_by_key(|(_, feature, _)| *feature);
        Ok(Env {
            java_home: set(JAVA_HOME).map(PathBuf::from),
            numbered_java_homes,
            sdkman_candidates: set(SDKMAN_CANDIDATES_DIR).map(PathBuf::from),
            home: set(HOME).map(PathBuf::from).filter(|home| home.is_absolute()),
            cache_dir,
            daemon_idle: seconds(JBUILD_DAEMON_IDLE, text(JBUILD_DAEMON_IDLE)?)?.unwrap_or(defaults.daemon_idle),
            worker_timeout: seconds(JBUILD_WORKER_TIMEOUT, text(JBUILD_WORKER_TIMEOUT)?)?
                .unwrap_or(defaults.worker_timeout),
            worker_max_requests: count(JBUILD_WORKER_MAX_REQUESTS, text(JBUILD_WORKER_MAX_REQUESTS)?)?
                .unwrap_or(defaults.worker_max_requests),
            junit_jar: set(JBUILD_JUNIT_JAR)
                .map(|path| std::path::absolute(PathBuf::from(&path)).unwrap_or(path.into())),
            no_color: set(NO_COLOR).is_some(),
            clicolor_force: set(CLICOLOR_FORCE).is_some_and(|v| v != "0"),
            github_actions: var(GITHUB_ACTIONS).is_some_and(|v| v == "true"),
            step_summary: set(GITHUB_STEP_SUMMARY).map(PathBuf::from),
            utf8_locale: locale_is_utf8(|name| var(name).and_then(|v| v.into_string().ok())),
            force_argfile: set(FORCE_ARGFILE).is_some_and(|v| v != "0"),
            system_junit_jar: set(SYSTEM_JUNIT_JAR).map_or(defaults.system_junit_jar, PathBuf::from),
        })
    }

    fn defaults() -> Env {
        Env {
            java_home: None,
            numbered_java_homes: Vec::new(),
            sdkman_candidates: None,
            home: None,
            cache_dir: None,
            daemon_idle: Duration::from_secs(600),
            worker_timeout: Duration::from_secs(300),
            worker_max_requests: 500,
            junit_jar: None,
            no_color: false,
            clicolor_force: false,
            github_actions: false,
            step_summary: None,
            utf8_locale: false,
            force_argfile: false,
            system_junit_jar: PathBuf::from(DEBIAN_JUNIT_JAR),
        }
    }
}

/// N of `JAVA_HOME_<N>_<ARCH>` (`JAVA_HOME_21_X64`, `JAVA_HOME_8_ARM64`);
/// `None` for other names (`JAVA_HOME_OLD`).
fn numbered_java_home(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(JAVA_HOME_NUMBERED_PREFIX)?;
    let (feature, arch) = rest.split_once('_')?;
    let valid_arch = !arch.is_empty() && arch.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let feature: u32 = feature.parse().ok().filter(|n| (1..=99).contains(n))?;
    valid_arch.then_some(feature)
}

/// A positive number of seconds, at most a day.
fn seconds(name: &str, value: Option<String>) -> Result<Option<Duration>> {
    let Some(value) = value else { return Ok(None) };
    match value.trim().parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs <= MAX_SECONDS => Ok(Some(Duration::from_secs_f64(secs))),
        _ => Err(usage(format!("{name}={value:?}: expected a number of seconds above 0 and at most {MAX_SECONDS}"))),
    }
}

/// A positive whole number.
fn count(name: &str, value: Option<String>) -> Result<Option<u32>> {
    let Some(value) = value else { return Ok(None) };
    match value.trim().parse::<u32>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err(usage(format!("{name}={value:?}: expected a whole number from 1 to {}", u32::MAX))),
    }
}

/// Whether the C library's character type locale (`LC_ALL`, then
/// `LC_CTYPE`, then `LANG`) is UTF-8.
pub fn locale_is_utf8(var: impl Fn(&str) -> Option<String>) -> bool {
    let locale = LOCALE_VARS.into_iter().find_map(|name| var(name).filter(|v| !v.is_empty()));
    locale.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        l.contains("utf-8") || l.contains("utf8")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Result<Env> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let names: Vec<String> = vars.iter().map(|(k, _)| k.clone()).collect();
        Env::read(move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.into()), names)
    }

    #[test]
    fn numbered_java_homes_are_read_by_feature() {
        let env = env(&[
            ("JAVA_HOME_21_X64", "/jdk/21"),
            ("JAVA_HOME_8_X64", "/jdk/8"),
            ("JAVA_HOME_OLD", "/jdk/old"),
            ("JAVA_HOME_17_arm", "/jdk/lower"),
            ("JAVA_HOME_25_ARM64", ""),
        ])
        .unwrap();
        let found: Vec<(&str, u32)> = env.numbered_java_homes.iter().map(|(n, f, _)| (n.as_str(), *f)).collect();
        assert_eq!(found, [("JAVA_HOME_8_X64", 8), ("JAVA_HOME_21_X64", 21)]);
    }

    #[test]
    fn bad_numbers_name_the_variable() {
        for value in ["-1", "0", "NaN", "inf", "1e300", "soon", "100000"] {
            let error = env(&[(JBUILD_WORKER_TIMEOUT, value)]).unwrap_err().to_string();
            assert!(error.starts_with(&format!("{JBUILD_WORKER_TIMEOUT}=\"{value}\"")), "{error}");
        }
        assert!(env(&[(JBUILD_DAEMON_IDLE, "-5")]).is_err());
        assert!(env(&[(JBUILD_WORKER_MAX_REQUESTS, "0")]).is_err());
        assert!(env(&[(JBUILD_WORKER_MAX_REQUESTS, "99999999999")]).is_err());
        let ok = env(&[(JBUILD_WORKER_TIMEOUT, "2.5"), (JBUILD_WORKER_MAX_REQUESTS, "3")]).unwrap();
        assert_eq!((ok.worker_timeout, ok.worker_max_requests), (Duration::from_millis(2500), 3));
    }

    #[test]
    fn cache_folder_precedence() {
        let cache = |vars: &[(&str, &str)]| env(vars).unwrap().cache_dir;
        assert_eq!(cache(&[(HOME, "/h")]), Some(PathBuf::from("/h/.cache/jbuild")));
        assert_eq!(cache(&[(HOME, "/h"), (XDG_CACHE_HOME, "rel")]), Some(PathBuf::from("/h/.cache/jbuild")));
        assert_eq!(cache(&[(HOME, "/h"), (XDG_CACHE_HOME, "/x")]), Some(PathBuf::from("/x/jbuild")));
        assert_eq!(cache(&[(XDG_CACHE_HOME, "/x"), (JBUILD_CACHE_DIR, "/c")]), Some(PathBuf::from("/c")));
        assert_eq!(cache(&[]), None);
    }

    #[test]
    fn locale_detection_follows_libc_precedence() {
        let utf8 = |vars: &[(&str, &str)]| env(vars).unwrap().utf8_locale;
        assert!(utf8(&[("LANG", "en_US.UTF-8")]));
        assert!(utf8(&[("LC_CTYPE", "C.utf8"), ("LANG", "C")]));
        assert!(!utf8(&[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")]));
        assert!(utf8(&[("LC_ALL", ""), ("LANG", "ja_JP.UTF-8")]));
        assert!(!utf8(&[]));
    }

    #[test]
    fn colour_switches() {
        assert!(env(&[(NO_COLOR, "1")]).unwrap().no_color);
        assert!(!env(&[(NO_COLOR, "")]).unwrap().no_color);
        assert!(env(&[(CLICOLOR_FORCE, "1")]).unwrap().clicolor_force);
        assert!(!env(&[(CLICOLOR_FORCE, "0")]).unwrap().clicolor_force);
    }
}
