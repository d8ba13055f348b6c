//! The subcommands, each thin: they tie the layers below together and
//! never call each other.

pub mod check;
pub mod clean;
pub mod compile;
pub mod daemon;
pub mod doctor;
pub mod grades;
pub mod list;
pub mod new;
pub mod run;
pub mod test;
pub mod watch;
