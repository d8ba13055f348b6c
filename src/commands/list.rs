//! `jbuild list`: the classes the source scanner found.

use anyhow::Result;

use crate::context::Context;
use crate::error::ExitStatus;

/// How `jbuild list` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

pub fn command(ctx: &Context, all: bool, format: ListFormat) -> Result<ExitStatus> {
    let tree = ctx.project.scan();
    for warning in &tree.warnings {
        ctx.status.warning(warning);
    }
    let classes = if all { tree.classes() } else { tree.main_classes() };
    match format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&classes)?),
        ListFormat::Text => {
            let width = classes.iter().map(|c| c.name.chars().count()).max().unwrap_or(0);
            for class in &classes {
                let kind = class.main.map_or("", |m| m.describe());
                let file = ctx.project.shown(&ctx.project.src.join(&class.file));
                println!("{:width$}  {file}  {kind}", class.name);
            }
        }
    }
    Ok(ExitStatus::Success)
}
