//! Compiling a project's test classes: the whole test source set in one
//! javac call (or found fresh, with no javac at all), and only when that
//! fails, one file at a time, so a test class that does not compile fails
//! its own tests and no others.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Suite;
use crate::build::source_set::SourceSet;
use crate::build::{CompileFailed, Request, build_set};
use crate::check::CheckProject;
use crate::check::cases::Program;
use crate::toolchain::javac::Javac;

/// What compiling a project's test classes gave.
#[derive(Debug, Default)]
pub struct TestBuild {
    /// Test files (relative to the project root) that did not compile: the
    /// message and javac's diagnostics.
    pub failed: BTreeMap<PathBuf, (String, String)>,
    /// Something other than javac failed (an unreadable folder, ...): every
    /// test is an error with this message.
    pub error: Option<String>,
}

/// Compiles the test classes of `project`'s JUnit suite, if it has one,
/// after its main classes compiled.
pub(in crate::check) fn compile(project: &CheckProject, javac: &mut Javac) -> Option<TestBuild> {
    let suite = project.cases.iter().find_map(|case| match &case.program {
        Program::Junit(suite) => Some(suite),
        _ => None,
    })?;
    let ctx = &project.ctx;
    let set = match SourceSet::tests(&ctx.project, Some(&suite.platform.jar)) {
        Ok(set) => set,
        Err(e) => return Some(TestBuild { error: Some(format!("{e:#}")), ..TestBuild::default() }),
    };
    match build_set(ctx, &set, &Request::WholeTree, javac) {
        Ok(_) => Some(TestBuild::default()),
        Err(e) if e.downcast_ref::<CompileFailed>().is_some() => Some(one_at_a_time(project, suite, set, javac)),
        Err(e) => Some(TestBuild { error: Some(format!("{e:#}")), ..TestBuild::default() }),
    }
}

/// Compiles each test file on its own, with the test classes compiled so
/// far on the classpath. javac finds what a test uses in the test roots by
/// itself (they are its source path); test files kept in `src/` are not
/// there, so when there are some, rounds repeat while they make progress:
/// a test that uses such a helper compiled later in a round gets another
/// chance.
fn one_at_a_time(project: &CheckProject, suite: &Suite, mut set: SourceSet, javac: &mut Javac) -> TestBuild {
    set.see_own_output = true;
    let outside_roots = suite.files.iter().any(|f| !set.roots.iter().any(|root| f.absolute.starts_with(root)));
    let mut pending: Vec<PathBuf> = suite.files.iter().map(|f| f.path.clone()).collect();
    let mut build = TestBuild::default();
    loop {
        let before = pending.len();
        build.failed.clear();
        pending.retain(|file| match build_set(&project.ctx, &set, &Request::Files(vec![file.clone()]), javac) {
            Ok(_) => false,
            Err(e) => {
                let failure = match e.downcast_ref::<CompileFailed>() {
                    Some(failed) => (failed.to_string(), String::from_utf8_lossy(&failed.diagnostics).into_owned()),
                    None => (format!("{e:#}"), String::new()),
                };
                build.failed.insert(file.clone(), failure);
                true
            }
        });
        if pending.is_empty() || pending.len() == before || !outside_roots {
            return build;
        }
    }
}
