//! The Java toolchain: finding a JDK, starting processes (the one place
//! that does), javac cold or warm, java command lines, the per-user cache,
//! the warm worker and the opt-in daemon.

pub mod cache;
pub mod daemon;
pub mod embedded;
pub mod frame;
pub mod java;
pub mod javac;
pub mod jdk;
pub mod process;
pub mod runner;
pub mod worker;
