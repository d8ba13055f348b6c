//! Cases in the online-judge-tools layout: `test/sample-1.in` + `test/sample-1.out`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::{Case, Text, escape_name, inside_project};
use crate::error::usage;

/// online-judge-tools: `test/sample-1.in` + `test/sample-1.out`, directly in
/// `test/` (which may hold other files too, JUnit sources among them).
/// `blessing`: a `.in` without its `.out` is a case whose `.out` `--bless` writes.
pub fn cases(
    root: &Path,
    dir: &Path,
    default_main: &mut dyn FnMut() -> Result<String>,
    blessing: bool,
) -> Result<Vec<Case>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "out" || e == "in"))
        .collect();
    files.sort();
    for file in &files {
        inside_project(root, file)?;
    }
    // Under --bless, a lone `.in` stands for the `.out` to write.
    let mut expected: Vec<PathBuf> = Vec::new();
    for file in &files {
        if file.extension().is_some_and(|e| e == "in") {
            if !files.contains(&file.with_extension("out")) {
                if blessing {
                    expected.push(file.with_extension("out"));
                    continue;
                }
                return Err(usage(format!(
                    "{}: no expected output {} beside it (each case needs a .out file; `jbuild check --bless` writes it)",
                    file.display(),
                    escape_name(file.with_extension("out").file_name().unwrap_or_default())
                )));
            }
            continue;
        }
        expected.push(file.clone());
    }
    expected.sort();
    let mut cases = Vec::new();
    for file in &expected {
        let class = default_main()?;
        let stem = escape_name(file.file_stem().unwrap_or_default());
        let input = file.with_extension("in");
        let stdin = files.contains(&input).then_some(Text::File(input));
        cases.push(Case::java(class, &stem, file, Vec::new(), stdin, Text::File(file.clone())));
    }
    Ok(cases)
}
