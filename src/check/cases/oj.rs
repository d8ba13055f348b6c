//! Cases in the online-judge-tools layout: `test/sample-1.in` + `test/sample-1.out`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::{Case, Text};

/// online-judge-tools: `test/sample-1.in` + `test/sample-1.out`.
pub fn cases(dir: &Path, default_main: &mut dyn FnMut() -> Result<String>) -> Result<Vec<Case>> {
    let mut outs: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "out"))
        .collect();
    outs.sort();
    let mut cases = Vec::new();
    for out in outs {
        let class = default_main()?;
        let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let input = out.with_extension("in");
        let stdin = input.is_file().then_some(Text::File(input));
        cases.push(Case::java(class, &stem, &out, Vec::new(), stdin, Text::File(out.clone())));
    }
    Ok(cases)
}
