//! `jbuild daemon status|stop` (and the hidden `serve`).

use anyhow::Result;

use crate::error::ExitStatus;
use crate::term::Status;
use crate::toolchain::daemon::protocol::{SOCKET, daemon_dir};
use crate::toolchain::daemon::{DaemonClient, serve};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaemonAction {
    Status,
    Stop,
    Serve,
}

pub fn command(action: DaemonAction, status: &Status) -> Result<ExitStatus> {
    match action {
        DaemonAction::Serve => serve(),
        DaemonAction::Status => match DaemonClient::connect_existing()? {
            Some(mut client) => {
                let report = client.status()?;
                println!("running: pid={} {report}", client.pid);
                Ok(ExitStatus::Success)
            }
            None => {
                println!("not running (socket {})", daemon_dir()?.join(SOCKET).display());
                Ok(ExitStatus::Failure)
            }
        },
        DaemonAction::Stop => {
            match DaemonClient::connect_existing()? {
                Some(mut client) => {
                    client.stop()?;
                    status.line("Stopped", format_args!("the jbuild daemon (pid {})", client.pid));
                }
                None => status.line("Stopped", "nothing: the jbuild daemon is not running"),
            }
            Ok(ExitStatus::Success)
        }
    }
}
