//! Cases in `tests/`: `tests/<class or package path>/<case>.out` with
//! optional `.in`, `.args` and `.code`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::{Case, Text, escape_name, inside_project};
use crate::error::usage;
use crate::scanner::is_class_name;

/// `tests/<class or package path>/<case>.out` with optional `.in`, `.args`,
/// `.code`. Symlinks are followed while they stay inside the project
/// (`root`); one that leads out, or a case file that is not a regular file,
/// is an error naming it. `blessing`: a `.in` without its `.out` is a case
/// whose `.out` `--bless` writes.
pub fn cases(
    root: &Path,
    tests: &Path,
    default_main: &mut dyn FnMut() -> Result<String>,
    blessing: bool,
) -> Result<Vec<Case>> {
    // Group files by (folder, stem).
    let mut groups: BTreeMap<(PathBuf, String), BTreeMap<String, PathBuf>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(tests).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|e| usage(format!("reading {}: {e}", tests.display())))?;
        let path = entry.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else { continue };
        if !matches!(ext, "out" | "in" | "args" | "code") || (entry.file_type().is_dir() && entry.depth() == 0) {
            continue;
        }
        inside_project(root, path)?;
        let stem = escape_name(path.file_stem().unwrap_or_default());
        let folder = path.parent().unwrap_or(tests).to_path_buf();
        groups.entry((folder, stem)).or_default().insert(ext.to_owned(), path.to_path_buf());
    }
    let mut cases = Vec::new();
    for ((folder, stem), files) in groups {
        let missing;
        let out = match (files.get("out"), files.get("in")) {
            (Some(out), _) => out,
            (None, Some(input)) if blessing => {
                missing = input.with_extension("out");
                &missing
            }
            (None, input) => {
                let orphan = files.values().next().expect("a group has a file");
                let bless = if input.is_some() { "; `jbuild check --bless` writes it" } else { "" };
                return Err(usage(format!(
                    "{}: no expected output {stem}.out beside it (each case needs a .out file{bless})",
                    orphan.display()
                )));
            }
        };
        let relative = folder.strip_prefix(tests).unwrap_or(&folder);
        let class = if relative.as_os_str().is_empty() {
            default_main()?
        } else {
            let parts: Vec<String> =
                relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            let class = parts.join(".");
            if !is_class_name(&class) {
                return Err(usage(format!(
                    "{}: folder {} is not a class name or package path",
                    out.display(),
                    relative.display()
                )));
            }
            class
        };
        let args = match files.get("args") {
            Some(path) => {
                let text = super::read_case_file(path)?;
                text.lines().map(str::to_owned).collect()
            }
            None => Vec::new(),
        };
        let expected_code = match files.get("code") {
            Some(path) => {
                let text = super::read_case_file(path)?;
                text.trim().parse::<u8>().map(i32::from).map_err(|_| {
                    usage(format!("{}: {:?} is not an exit code (0 to 255)", path.display(), text.trim()))
                })?
            }
            None => 0,
        };
        let stdin = files.get("in").map(|p| Text::File(p.clone()));
        cases.push(Case { expected_code, ..Case::java(class, &stem, out, args, stdin, Text::File(out.clone())) });
    }
    Ok(cases)
}
