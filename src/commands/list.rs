//! `jbuild list`: the classes the source scanner found.
//!
//! Text and JSON use the same words: a class's main is `static` (any JDK
//! launches it) or `instance` (an instance or no-argument main, or a
//! compact source file: JDK 25 and newer).

use std::io::Write as _;

use anyhow::Result;

use crate::context::Context;
use crate::error::ExitStatus;
use crate::scanner::MainKind;

/// How `jbuild list` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

/// One line of the listing.
#[derive(Debug, serde::Serialize)]
struct Listed {
    name: String,
    /// The source file, as the user would type it from where they stand.
    file: String,
    /// `static`, `instance`, or none.
    main: Option<&'static str>,
    /// The oldest JDK whose launcher starts it, when it has a main.
    minimum_jdk: Option<u32>,
}

pub fn command(ctx: &Context, all: bool, format: ListFormat) -> Result<ExitStatus> {
    let tree = ctx.project.scan();
    for warning in &tree.warnings {
        ctx.status.warning(warning);
    }
    let classes = if all { tree.classes() } else { tree.main_classes() };
    let listed: Vec<Listed> = classes
        .into_iter()
        .map(|class| Listed {
            file: ctx.display_path(&ctx.project.src.join(&class.file)),
            main: class.main.map(word),
            minimum_jdk: class.main.map(MainKind::minimum_jdk),
            name: class.name,
        })
        .collect();
    match format {
        ListFormat::Json => {
            let document = serde_json::json!({ "format_version": 1, "classes": listed });
            println!("{}", serde_json::to_string_pretty(&document)?);
        }
        ListFormat::Text if listed.is_empty() => {
            let what = if all { "no classes" } else { "no class with a main method" };
            let hint = if all { "" } else { " (`jbuild list --all` lists every class)" };
            ctx.status.warning(format_args!("{what} under {}{hint}", ctx.display_path(&ctx.project.src)));
        }
        ListFormat::Text => {
            let name_width = listed.iter().map(|l| l.name.chars().count()).max().unwrap_or(0);
            let file_width = listed.iter().map(|l| l.file.chars().count()).max().unwrap_or(0);
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for entry in &listed {
                let main = match (entry.main, entry.minimum_jdk) {
                    (Some(word), Some(jdk)) if jdk > 1 => format!("{word} main, JDK {jdk}+"),
                    (Some(word), _) => format!("{word} main"),
                    (None, _) => "no main".to_owned(),
                };
                let line = format!("{:name_width$}  {:file_width$}  {main}", entry.name, entry.file);
                writeln!(out, "{}", line.trim_end())?;
            }
            out.flush()?;
        }
    }
    Ok(ExitStatus::Success)
}

fn word(kind: MainKind) -> &'static str {
    match kind {
        MainKind::Classic => "static",
        MainKind::Instance => "instance",
    }
}
