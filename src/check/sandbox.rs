//! The box a graded program runs in: a scratch folder of its own and a
//! small, documented environment. Nothing of jbuild's own environment
//! (`GITHUB_TOKEN`, `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `CLASSPATH`, ...)
//! reaches it unless named in the `env` setting.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::toolchain::process::{Environment, register_scratch, unregister_scratch};

/// What every case gets.
#[derive(Debug, Clone, Default)]
pub struct Sandbox {
    /// Variables passed through by name (the `env` setting).
    pub pass_through: Vec<String>,
}

/// A case's scratch folder (its working folder) with `tmp/` inside for
/// `TMPDIR` and `java.io.tmpdir`. Removed when dropped, and by the abort
/// handler if jbuild is interrupted.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn tmp(&self) -> PathBuf {
        self.dir.path().join("tmp")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        unregister_scratch(self.dir.path());
    }
}

impl Sandbox {
    pub fn new() -> Result<Sandbox> {
        Ok(Sandbox::default())
    }

    pub fn scratch(&self) -> Result<Scratch> {
        let dir = tempfile::Builder::new().prefix("jbuild-case-").tempdir().context("creating a scratch folder")?;
        register_scratch(dir.path());
        let scratch = Scratch { dir };
        std::fs::create_dir(scratch.tmp()).context("creating a scratch folder")?;
        Ok(scratch)
    }

    /// A Java case's environment: PATH, HOME, the locale variables, TMPDIR
    /// in its scratch folder, and the variables the `env` setting names.
    pub fn case_environment(&self, scratch: &Scratch) -> Environment {
        let mut vars = self.inherited(&["PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE"]);
        vars.push(("TMPDIR".into(), scratch.tmp().into_os_string()));
        self.add_pass_through(&mut vars);
        Environment::Only(vars)
    }

    /// What GitHub Classroom's runner gave a test command: PATH and HOME,
    /// FORCE_COLOR, DOTNET_CLI_HOME and DOTNET_NOLOGO, and nothing else (no
    /// locale: javac then reads sources as ASCII, as it did there).
    pub fn classroom_environment(&self) -> Environment {
        let mut vars = self.inherited(&["PATH", "HOME"]);
        vars.push(("FORCE_COLOR".into(), "true".into()));
        vars.push(("DOTNET_CLI_HOME".into(), "/tmp".into()));
        vars.push(("DOTNET_NOLOGO".into(), "true".into()));
        self.add_pass_through(&mut vars);
        Environment::Only(vars)
    }

    fn inherited(&self, names: &[&str]) -> Vec<(OsString, OsString)> {
        names.iter().filter_map(|name| Some((OsString::from(name), std::env::var_os(name)?))).collect()
    }

    fn add_pass_through(&self, vars: &mut Vec<(OsString, OsString)>) {
        for name in &self.pass_through {
            if let Some(value) = std::env::var_os(name) {
                vars.retain(|(k, _)| k != name.as_str());
                vars.push((name.into(), value));
            }
        }
    }
}
