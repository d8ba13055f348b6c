//! What every command works with: where the user stands, how to talk to
//! them, the project (or the way to find projects), and the JDK.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::Result;

use crate::project::settings::SettingsOverrides;
use crate::project::{Project, discover};
use crate::term::Status;
use crate::toolchain::java::{Launch, java_command};
use crate::toolchain::javac::Javac;
use crate::toolchain::jdk::{Jdk, SearchPlaces, select};
use crate::toolchain::process::ToolCommand;

/// Where jbuild was started and how projects are found from there: the
/// input of commands that may work on several projects.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Where jbuild works from: the current folder, or `-C DIR`.
    pub cwd: PathBuf,
    pub overrides: SettingsOverrides,
    pub status: Status,
}

/// How much of the tree a command will read: a command that lists every
/// class keeps the files read while finding the source roots, so they are
/// not read twice; one that only checks freshness keeps nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    Some,
    EverySource,
}

impl Workspace {
    /// The project around the folder jbuild works from.
    pub fn context(&self) -> Result<Context> {
        self.context_reading(Reads::Some)
    }

    /// [`Workspace::context`] for a command that reads every source.
    pub fn context_reading(&self, reads: Reads) -> Result<Context> {
        let project = Project::load_with(&self.cwd, false, &self.overrides, reads == Reads::EverySource)?;
        Ok(Context::new(self.cwd.clone(), project, self.status))
    }

    /// The project around the working folder or, when there is none, around
    /// `target`, a file or folder the user named (`jbuild run ex2/Main.java`
    /// from the folder above the project), as javac and java would find it.
    pub fn context_for(&self, target: Option<&OsStr>) -> Result<Context> {
        let start = match target.map(|t| self.cwd.join(t)) {
            Some(path) if path.exists() && discover(&self.cwd).is_err() => {
                if path.is_dir() {
                    path
                } else {
                    path.parent().map_or_else(|| self.cwd.clone(), Path::to_path_buf)
                }
            }
            _ => self.cwd.clone(),
        };
        Ok(Context::new(self.cwd.clone(), Project::load(&start, false, &self.overrides)?, self.status))
    }

    /// The project rooted at `dir` (for commands that work on several).
    pub fn context_at(&self, dir: &Path) -> Result<Context> {
        Ok(Context::new(self.cwd.clone(), Project::load(dir, true, &self.overrides)?, self.status))
    }
}

/// One project, with the JDK found on first use.
pub struct Context {
    pub cwd: PathBuf,
    pub project: Project,
    pub status: Status,
    jdk: OnceLock<Jdk>,
}

impl Context {
    /// The context of `project`; with `--verbose`, says how its layout was found.
    pub fn new(cwd: PathBuf, project: Project, status: Status) -> Context {
        if status.is_verbose() {
            for (label, text) in project.layout_lines() {
                status.line(label, text);
            }
        }
        Context { cwd, project, status, jdk: OnceLock::new() }
    }

    pub fn jdk(&self) -> Result<&Jdk> {
        if let Some(jdk) = self.jdk.get() {
            return Ok(jdk);
        }
        let settings = &self.project.settings;
        let selection =
            select(settings.jdk, settings.release, self.project.java_level.as_ref(), &SearchPlaces::from_env())?;
        for note in selection.jdk.notes.iter().chain(&selection.warning) {
            self.status.warning(note);
        }
        if self.status.is_verbose() {
            let javac = selection.jdk.javac.canonicalize().unwrap_or_else(|_| selection.jdk.javac.clone());
            let home = javac.parent().and_then(Path::parent).unwrap_or(&javac);
            self.status.line(
                "JDK",
                format_args!(
                    "{} at {} (from {}; {})",
                    selection.jdk.version,
                    home.display(),
                    selection.origin,
                    selection.why
                ),
            );
        }
        Ok(self.jdk.get_or_init(|| selection.jdk))
    }

    /// Plain javac, or the daemon when the project's settings ask for it.
    pub fn javac(&self) -> Javac {
        if self.project.settings.daemon { Javac::daemon() } else { Javac::cold() }
    }

    /// `java` for `class` of this project, run in `cwd`: the classes and jars
    /// on the class path, jbuild's `jvm_flags`, then the project's java args.
    pub fn java(&self, cwd: &Path, class: &str, jvm_flags: &[String], args: &[OsString]) -> Result<ToolCommand> {
        let mut classpath = vec![self.project.classes.clone()];
        classpath.extend(self.project.jars()?);
        let mut flags = jvm_flags.to_vec();
        flags.extend(self.project.settings.java_args.iter().cloned());
        java_command(self.jdk()?, &Launch { classpath: &classpath, cwd, jvm_flags: &flags, class, args })
    }

    /// A path as the user would type it from where they stand.
    pub fn display_path(&self, path: &Path) -> String {
        crate::term::relative(&self.cwd, path)
    }
}
