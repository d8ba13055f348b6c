//! The embedded JUnit launcher (`JbuildJunitLauncher.java`): a small Java
//! program that runs test classes through the JUnit Platform Launcher API
//! and reports each event as a line of JSON (the protocol is documented at
//! the top of the Java file). It is compiled on first use into the cache,
//! against the platform jar, like the compile worker.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};

use super::JunitPlatform;
use crate::toolchain::cache::{Embedded, cache_dir, compile_embedded};
use crate::toolchain::frame::escape;
use crate::toolchain::jdk::Jdk;

pub const SOURCE: &str = include_str!("JbuildJunitLauncher.java");
/// The first line of every request.
pub const PROTOCOL: &str = "jbuild-junit 1";
pub const MAIN_CLASS: &str = "JbuildJunitLauncher";

/// The launcher's class folder for `jdk` and `platform`, compiled into the
/// cache first if needed.
pub fn ensure_compiled(jdk: &Jdk, platform: &JunitPlatform) -> Result<PathBuf> {
    let classpath = [platform.jar.clone()];
    let launcher = Embedded {
        label: "the JUnit launcher",
        folder: "junit-launcher",
        file: "JbuildJunitLauncher.java",
        source: SOURCE,
        classpath: &classpath,
        key: &platform.hash,
    };
    compile_embedded(jdk, &cache_dir()?, &launcher)
}

/// Copies the launcher's class files from the cache into `into` (a run's
/// scratch folder), where a test JVM running as another user can read them.
pub fn copy_classes(compiled: &Path, into: &Path) -> Result<()> {
    std::fs::create_dir_all(into).with_context(|| format!("creating {}", into.display()))?;
    for entry in std::fs::read_dir(compiled).with_context(|| format!("reading {}", compiled.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "class") {
            let target = into.join(path.file_name().expect("a file name"));
            std::fs::copy(&path, &target).with_context(|| format!("copying {}", path.display()))?;
        }
    }
    Ok(())
}

/// What one launcher run is asked to do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LaunchRequest {
    /// Prefix of the launcher's event lines, secret to the tests.
    pub nonce: String,
    /// JUnit's per-test timeout.
    pub timeout: Option<Duration>,
    /// Bytes of output kept per test and stream.
    pub capture: usize,
    /// Test classes, by binary name.
    pub classes: Vec<String>,
    /// `(class, method glob)`: only these methods of a selected class.
    pub methods: Vec<(String, String)>,
    /// Unique ids of tests (or containers) not to run again.
    pub exclude: Vec<String>,
}

impl LaunchRequest {
    /// The request as the launcher reads it on stdin.
    pub fn render(&self) -> String {
        let mut text = format!("{PROTOCOL}\nnonce {}\ncapture {}\n", self.nonce, self.capture);
        if let Some(timeout) = self.timeout {
            text.push_str(&format!("timeout {}\n", timeout.as_secs_f64()));
        }
        for class in &self.classes {
            text.push_str(&format!("select {}\n", escape(class)));
        }
        for (class, glob) in &self.methods {
            text.push_str(&format!("method {}\n", escape(&format!("{class} {glob}"))));
        }
        for id in &self.exclude {
            text.push_str(&format!("exclude {}\n", escape(id)));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_escape_their_lines() {
        let request = LaunchRequest {
            nonce: "ab".into(),
            timeout: Some(Duration::from_millis(1500)),
            capture: 10,
            classes: vec!["calc.CalcTest".into()],
            methods: vec![("calc.CalcTest".into(), "add*".into())],
            exclude: vec!["[engine:x]/[test:a\nb]".into()],
        };
        assert_eq!(
            request.render(),
            "jbuild-junit 1\nnonce ab\ncapture 10\ntimeout 1.5\nselect calc.CalcTest\nmethod calc.CalcTest add*\nexclude [engine:x]/[test:a\\nb]\n"
        );
    }
}
