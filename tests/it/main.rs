//! jbuild's integration tests: one binary (each extra test binary links the
//! whole crate again), one module per area. Every test runs the real
//! `jbuild` binary on a temp copy of a fixture with the real javac and java.

mod check;
mod classroom;
mod compile;
mod daemon;
mod errors;
mod first_contact;
mod freshness;
mod junit;
mod layouts;
mod readme;
mod record_safety;
mod reuse_jvm;
mod run;
mod safety;
mod scanner_diff;
mod settings;
mod support;
mod toolkit;
mod watch;
mod worker;
