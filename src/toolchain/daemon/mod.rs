//! The opt-in compile daemon: a background jbuild that keeps warm workers
//! so one-shot `jbuild compile` / `jbuild run` skip javac's start-up too.
//!
//! It listens on a Unix socket in a private per-user folder (0700, socket
//! 0600), checks every peer's uid, serves several clients at once, replaces
//! itself when a client of another jbuild build connects, and exits after
//! 10 idle minutes (`JBUILD_DAEMON_IDLE`). Anything that goes wrong on the
//! client side means "compile with plain javac instead".

pub mod client;
pub mod protocol;
pub mod server;

pub use client::DaemonClient;
pub use server::serve;
