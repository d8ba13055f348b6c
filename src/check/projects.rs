//! Which projects `jbuild check` works on: the given folders (each a project
//! or a folder of projects), else the current project, else every project
//! below the current folder.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::Result;

use crate::context::{Context, Workspace};
use crate::error::usage;
use crate::project::{discover, has_java_files, is_project_dir, projects_below};

/// A project folder and what loading it gave: a project that cannot load
/// (a bad jbuild.toml) is one failure among many, not the end of the run.
pub struct Found {
    pub root: PathBuf,
    pub context: Result<Context>,
}

pub fn find(workspace: &Workspace, paths: &[PathBuf]) -> Result<Vec<Found>> {
    let mut roots = BTreeSet::new();
    if paths.is_empty() {
        match discover(&workspace.cwd) {
            // One project: a problem with it is the answer, exit 2.
            Ok(_) => {
                let context = workspace.context()?;
                return Ok(vec![Found { root: context.project.root.clone(), context: Ok(context) }]);
            }
            Err(_) => roots.extend(projects_below(&workspace.cwd)),
        }
    } else {
        for path in paths {
            let dir = workspace.cwd.join(path);
            if !dir.is_dir() {
                return Err(usage(format!("{}: no such folder", path.display())));
            }
            // Named on the command line, a folder with Java files is a project.
            if is_project_dir(&dir) || has_java_files(&dir) {
                roots.insert(dir);
            } else {
                let below = projects_below(&dir);
                if below.is_empty() {
                    return Err(usage(format!(
                        "{}: no Java project in it (a folder with src/, jbuild.toml, GitHub Classroom tests, \
                         or Java files beside tests/ or test/)",
                        path.display()
                    )));
                }
                roots.extend(below);
            }
        }
    }
    if roots.is_empty() {
        return Err(usage(format!(
            "no Java projects at or below {} (a project is a folder with src/, jbuild.toml, GitHub Classroom tests, \
             or Java files beside tests/ or test/; name a folder of Java files to check it: `jbuild check ex1`)",
            workspace.cwd.display()
        )));
    }
    Ok(roots.into_iter().map(|root| Found { context: workspace.context_at(&root), root }).collect())
}
