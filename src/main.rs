//! The `jbuild` binary: parse the command line, run, print the error once, exit.

use std::process::ExitCode;

use jbuild::error::ExitStatus;

fn main() -> ExitCode {
    reset_sigpipe();
    let (cli, dash_dash_first) = jbuild::cli::parse();
    match jbuild::run(cli, dash_dash_first) {
        Ok(status) => status.into(),
        Err(error) => {
            // Paths as the user would type them from where they stand.
            let mut message = format!("{error:#}");
            if let Ok(cwd) = std::env::current_dir() {
                message = message.replace(&format!("{}/", cwd.display()), "");
            }
            eprintln!("jbuild: error: {}", jbuild::term::drawn(&message));
            ExitStatus::of_error(&error).into()
        }
    }
}

/// A closed stdout pipe (`jbuild list | head -1`) ends jbuild quietly, as it
/// would any Unix tool, instead of panicking in `println!`.
fn reset_sigpipe() {
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
