//! jbuild: build, run and check small Java projects.
//!
//! `main.rs` parses the command line and calls [`run`]; everything else lives
//! here so tests can reach it. The layers, lowest first (see ARCHITECTURE.md):
//! `error`, `env`, `term`; `scanner`; `project`; `toolchain`; `context`;
//! `build`; `check`; `commands`; and at the edge `cli` and `config`.

pub mod build;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod env;
pub mod error;
pub mod par;
pub mod project;
pub mod scanner;
pub mod term;
pub mod toolchain;

use anyhow::Result;

use crate::commands::{clean, compile, daemon, doctor, grades, list, new, run as run_command, watch};
use crate::config::{Action, Config};
use crate::error::ExitStatus;

/// Runs one jbuild invocation.
pub fn run(cli: cli::Cli, dash_dash_first: Option<bool>) -> Result<ExitStatus> {
    let Config { workspace, action } = Config::from_cli(cli, dash_dash_first)?;
    match &action {
        Action::Compile { targets } => compile::command(&workspace, targets),
        Action::Run { target, args } => {
            run_command::command(&workspace.context_for(target.as_deref())?, target.as_deref(), args)
        }
        Action::List { all, format } => {
            list::command(&workspace.context_reading(crate::context::Reads::EverySource)?, *all, *format)
        }
        Action::Clean => clean::command(&workspace.context()?),
        Action::Watch { then } => watch::command(&workspace, then),
        Action::Check(options) => commands::check::command(&workspace, options),
        Action::New(options) => new::command(&workspace, options),
        Action::GradesMerge { files } => grades::merge(&workspace, files),
        Action::Test(options) => commands::test::command(&workspace, options),
        Action::Doctor(format) => doctor::command(&workspace, *format),
        Action::Completions(shell) => {
            cli::write_completions(*shell, &mut std::io::stdout());
            Ok(ExitStatus::Success)
        }
        Action::Daemon(action) => daemon::command(*action, &workspace.status),
        Action::Man => {
            cli::write_man_page(&mut std::io::stdout())?;
            Ok(ExitStatus::Success)
        }
    }
}
