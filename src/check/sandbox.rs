//! The box a graded program runs in: a scratch folder of its own, a small
//! documented environment, optionally another user. Nothing of jbuild's own
//! environment (`GITHUB_TOKEN`, `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`,
//! `CLASSPATH`, ...) reaches it unless named in the `env` setting.

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::toolchain::process::{Environment, RunAs, register_scratch, unregister_scratch};

/// What every case of one project gets.
#[derive(Debug, Clone, Default)]
pub struct Sandbox {
    /// Variables passed through by name (the `env` setting).
    pub pass_through: Vec<String>,
    /// The user graded programs run as, and its home folder.
    pub run_as: Option<(RunAs, PathBuf)>,
}

/// A case's scratch folder: `work/` (its working folder), `tmp/` (for
/// `TMPDIR` and `java.io.tmpdir`, and where the JVM leaves its
/// out-of-memory marker), and files of jbuild's own (a checker's inputs,
/// the JUnit launcher). `work/` and `tmp/` belong to the `--run-as` user
/// when there is one; the folder itself stays jbuild's, so that user can
/// neither change nor replace jbuild's files in it. Removed when dropped,
/// and by the abort handler if jbuild is interrupted.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    /// The scratch folder itself.
    pub fn root(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    pub fn tmp(&self) -> PathBuf {
        self.dir.path().join("tmp")
    }

    /// A file of jbuild's own in the scratch folder, beside `work/` and
    /// `tmp/` (what a checker reads: the input, output, expected output).
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Created by the JVM (`-XX:OnOutOfMemoryError`, as the case's user)
    /// when the program ran out of memory: printing "OutOfMemoryError" does
    /// not create it.
    pub fn oom_marker(&self) -> PathBuf {
        self.tmp().join(".jbuild-out-of-memory")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        unregister_scratch(self.dir.path());
    }
}

impl Sandbox {
    /// The box for a project: `--run-as` wins over the `run-as` setting.
    pub fn new(run_as: Option<&str>, pass_through: &[String]) -> Result<Sandbox> {
        let run_as = run_as.map(RunAs::lookup).transpose()?;
        let me = rustix::process::geteuid().as_raw();
        if let Some((user, _)) = &run_as
            && user.uid != me
            && me != 0
        {
            return Err(crate::error::usage(format!(
                "--run-as: switching to uid {} needs jbuild to run as root (it runs as uid {me})",
                user.uid
            )));
        }
        Ok(Sandbox { pass_through: pass_through.to_vec(), run_as })
    }

    pub fn user(&self) -> Option<RunAs> {
        self.run_as.as_ref().map(|(user, _)| *user)
    }

    pub fn scratch(&self) -> Result<Scratch> {
        let dir = tempfile::Builder::new().prefix("jbuild-case-").tempdir().context("creating a scratch folder")?;
        register_scratch(dir.path());
        let scratch = Scratch { dir };
        for folder in [scratch.work(), scratch.tmp()] {
            std::fs::create_dir(&folder).context("creating a scratch folder")?;
        }
        if let Some(user) = self.user() {
            for folder in [scratch.work(), scratch.tmp()] {
                user.chown(&folder)?;
            }
            // The case's user may pass through to its folders, no more.
            std::fs::set_permissions(scratch.root(), std::fs::Permissions::from_mode(0o711))
                .context("opening the scratch folder to the --run-as user")?;
        }
        Ok(scratch)
    }

    /// A Java case's environment: PATH, HOME, the locale variables, TMPDIR
    /// in its scratch folder, and the variables the `env` setting names.
    pub fn case_environment(&self, scratch: &Scratch) -> Environment {
        let mut vars = self.inherited(&["PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE"]);
        vars.push(("TMPDIR".into(), scratch.tmp().into_os_string()));
        self.finish(vars)
    }

    /// What GitHub Classroom's runner gave a test command: PATH and HOME,
    /// FORCE_COLOR, DOTNET_CLI_HOME and DOTNET_NOLOGO, and nothing else (no
    /// locale: javac then reads sources as ASCII, as it did there).
    pub fn classroom_environment(&self) -> Environment {
        let mut vars = self.inherited(&["PATH", "HOME"]);
        vars.push(("FORCE_COLOR".into(), "true".into()));
        vars.push(("DOTNET_CLI_HOME".into(), "/tmp".into()));
        vars.push(("DOTNET_NOLOGO".into(), "true".into()));
        self.finish(vars)
    }

    fn inherited(&self, names: &[&str]) -> Vec<(OsString, OsString)> {
        names.iter().filter_map(|name| Some((OsString::from(name), std::env::var_os(name)?))).collect()
    }

    /// Adds the `env` setting's variables and, for `--run-as`, that user's HOME.
    fn finish(&self, mut vars: Vec<(OsString, OsString)>) -> Environment {
        for name in &self.pass_through {
            if let Some(value) = std::env::var_os(name) {
                vars.retain(|(k, _)| k != name.as_str());
                vars.push((name.into(), value));
            }
        }
        if let Some((_, home)) = &self.run_as {
            vars.retain(|(k, _)| k != "HOME");
            vars.push(("HOME".into(), home.clone().into_os_string()));
        }
        Environment::Only(vars)
    }
}
