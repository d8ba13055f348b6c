//! Cases in the online-judge-tools layout: `test/sample-1.in` + `test/sample-1.out`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::{Case, Text, escape_name, inside_project};
use crate::error::usage;

/// online-judge-tools: `test/sample-1.in` + `test/sample-1.out`, directly in
/// `test/` (which may hold other files too, JUnit sources among them).
pub fn cases(root: &Path, dir: &Path, default_main: &mut dyn FnMut() -> Result<String>) -> Result<Vec<Case>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "out" || e == "in"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in &files {
        inside_project(root, file)?;
        if file.extension().is_some_and(|e| e == "in") {
            if !files.contains(&file.with_extension("out")) {
                return Err(usage(format!(
                    "{}: no expected output {} beside it (each case needs a .out file)",
                    file.display(),
                    escape_name(file.with_extension("out").file_name().unwrap_or_default())
                )));
            }
            continue;
        }
        let class = default_main()?;
        let stem = escape_name(file.file_stem().unwrap_or_default());
        let input = file.with_extension("in");
        let stdin = files.contains(&input).then_some(Text::File(input));
        cases.push(Case::java(class, &stem, file, Vec::new(), stdin, Text::File(file.clone())));
    }
    Ok(cases)
}
