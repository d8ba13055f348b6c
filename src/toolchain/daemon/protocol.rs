//! The daemon's protocol and its files, shared by client and server.
//!
//! Line-based over a Unix socket; every request gets one answer:
//!
//! ```text
//! hello <build id>            ok <build id> <pid> | mismatch <build id> <pid>
//! status                      build=<id> uptime=<s>s requests=<n> workers=<n> clients=<n>
//! stop                        bye
//! compile <count>             done <exit> <stdout bytes> <stderr bytes>, then the bytes
//!   <javac> <java> <version> <cwd> <arg 1> ... <arg count>   (escaped text fields, one per line)
//!                             or error <message>
//! ```

use std::path::PathBuf;

use anyhow::Result;

use crate::toolchain::cache::{cache_dir, private_dir};

pub const SOCKET: &str = "daemon.sock";
pub const LOCK: &str = "daemon.lock";
pub const LOG: &str = "daemon.log";

/// Identifies this jbuild build: a daemon with another id is replaced.
pub fn build_id() -> String {
    let worker = crate::toolchain::worker::SOURCE;
    let hash = blake3::hash(format!("{}\n{worker}", crate::toolchain::worker::PROTOCOL).as_bytes()).to_hex();
    format!("{}-{}", env!("CARGO_PKG_VERSION"), &hash.as_str()[..12])
}

/// The daemon's private folder (0700, ours alone).
pub fn daemon_dir() -> Result<PathBuf> {
    let dir = cache_dir()?.join("daemon");
    private_dir(&dir)?;
    Ok(dir)
}
