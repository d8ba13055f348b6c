//! `jbuild run`: compile if needed, then `java -cp <classes> CLASS ARGS` with
//! the program owning stdin, stdout, stderr and the exit code.

use std::ffi::{OsStr, OsString};

use anyhow::Result;

use crate::build::{Request, build};
use crate::context::Context;
use crate::error::ExitStatus;
use crate::project::target::main_class;
use crate::toolchain::java::ensure_launchable;

/// `jbuild run [TARGET] [-- ARGS...]`.
pub fn command(ctx: &Context, target: Option<&OsStr>, args: &[OsString]) -> Result<ExitStatus> {
    let main = main_class(&ctx.project, &ctx.cwd, target)?;
    ensure_launchable(ctx.jdk()?, &main)?;
    build(ctx, &Request::Files(vec![main.file.clone()]), &mut ctx.javac())?;
    let mut java = ctx.java(&ctx.cwd, &main.name, &[], args)?;
    if ctx.status.is_verbose() {
        ctx.status.command(&java.display_with_cwd(), "");
    } else {
        ctx.status.line("Running", &main.name);
    }
    java.run_foreground()
}
