//! The Java toolchain: finding a JDK, starting processes (the one place
//! that does), javac cold or warm, java command lines, the per-user cache,
//! the warm worker, the opt-in daemon, and the JUnit Platform with its
//! embedded launcher.

pub mod cache;
pub mod daemon;
pub mod frame;
pub mod java;
pub mod javac;
pub mod jdk;
pub mod junit;
pub mod process;
pub mod runner;
pub mod worker;
