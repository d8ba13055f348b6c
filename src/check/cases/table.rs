//! Cases from `[[check]]` tables in `jbuild.toml`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;

use super::{Case, Text};
use crate::check::checker::Checker;
use crate::check::compare::Compare;
use crate::context::Context;
use crate::error::usage;
use crate::project::settings::{CheckTable, SETTINGS_FILE};
use crate::scanner::is_class_name;

/// A `[[check]]` table of `jbuild.toml`. `blessing`: its `stdout-file` may
/// be missing (`--bless` writes it).
pub fn case(
    ctx: &Context,
    index: usize,
    table: &CheckTable,
    default_main: &mut dyn FnMut() -> Result<String>,
    blessing: bool,
) -> Result<Case> {
    let root = &ctx.project.root;
    let file = root.join(SETTINGS_FILE);
    let bad = |key: &str, why: String| usage(format!("{}: [[check]] #{} `{key}`: {why}", file.display(), index + 1));
    let name = table.name.clone().unwrap_or_else(|| format!("check-{}", index + 1));
    let class = match &table.main {
        Some(main) if is_class_name(main) => main.clone(),
        Some(main) => return Err(bad("main", format!("{main:?} is not a class name"))),
        None => default_main()?,
    };
    let inside = |key: &str, relative: &Path| -> Result<PathBuf> {
        super::inside_project(root, &root.join(relative)).map_err(|e| bad(key, format!("{e:#}")))
    };
    let stdin = match (&table.stdin, &table.stdin_file) {
        (Some(_), Some(_)) => return Err(bad("stdin-file", "give `stdin` or `stdin-file`, not both".to_owned())),
        (Some(text), None) => Some(Text::Inline(text.clone())),
        (None, Some(path)) => Some(Text::File(inside("stdin-file", path)?)),
        (None, None) => None,
    };
    let expected = match (&table.stdout, &table.stdout_file) {
        (Some(_), Some(_)) => return Err(bad("stdout-file", "give `stdout` or `stdout-file`, not both".to_owned())),
        (Some(text), None) => Text::Inline(text.clone()),
        (None, Some(path)) if blessing && !root.join(path).exists() => Text::File(root.join(path)),
        (None, Some(path)) => Text::File(inside("stdout-file", path)?),
        (None, None) => return Err(bad("stdout", "every check needs `stdout` or `stdout-file`".to_owned())),
    };
    let compare =
        table.compare.as_deref().map(str::parse::<Compare>).transpose().map_err(|e| bad("compare", e.to_string()))?;
    let timeout = match table.timeout {
        Some(t) if t > 0.0 && t.is_finite() => Some(Duration::from_secs_f64(t)),
        Some(t) => return Err(bad("timeout", format!("{t} is not a positive number of seconds"))),
        None => None,
    };
    if table.memory == Some(0) {
        return Err(bad("memory", "must be a positive number of MiB".to_owned()));
    }
    if let Some(points) = table.points
        && !(points >= 0.0 && points.is_finite())
    {
        return Err(bad("points", format!("{points} is not a number of points (0 or more)")));
    }
    if let Some(code) = table.code
        && !(0..=255).contains(&code)
    {
        return Err(bad("code", format!("{code} is not an exit code (0 to 255)")));
    }
    let checker = match &table.checker {
        Some(setting) => Some(Checker::resolve(setting, &ctx.project).map_err(|why| bad("checker", why))?),
        None => None,
    };
    Ok(Case {
        checker,
        hidden: table.hidden.unwrap_or(false),
        expected_code: table.code.unwrap_or(0),
        compare,
        timeout,
        memory_mib: table.memory,
        points: table.points,
        ..Case::java(class, &name, &file, table.args.clone().unwrap_or_default(), stdin, expected)
    })
}
