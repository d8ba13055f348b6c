//! The launcher's events, read back from its stdout: only lines that start
//! with `@@<nonce> ` are events; everything else there is output that did
//! not go through `System.out` (a test writing to `FileDescriptor.out`, the
//! JVM's own notices).

use serde::Deserialize;

/// One test or container of the test plan (or a dynamic test registered later).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Node {
    pub id: String,
    pub parent: Option<String>,
    /// A test, not a container.
    pub test: bool,
    /// The binary name of its class, when JUnit knows it.
    pub class: Option<String>,
    pub method: Option<String>,
    pub params: Option<String>,
    pub display: String,
    pub legacy: String,
    /// The value of its method's `points=` tag (or its class's), as written.
    pub points: Option<String>,
    /// Its position in the plan (dynamic tests come after the plan).
    pub order: usize,
}

/// What a test or container threw.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Thrown {
    pub exception: Option<String>,
    /// It is a `java.lang.AssertionError` (JUnit 4 and 5 assertions are).
    #[serde(default)]
    pub assertion: bool,
    pub message: Option<String>,
    pub trace: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Failed,
    /// An assumption did not hold.
    Aborted,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Finished {
    pub id: String,
    pub status: Status,
    #[serde(flatten)]
    pub thrown: Thrown,
    pub ms: u64,
    /// Captured output (tests only), cut at the request's capture size.
    #[serde(default)]
    pub out: String,
    #[serde(default)]
    pub err: String,
    /// How much the test printed in all.
    #[serde(default)]
    pub out_bytes: u64,
    #[serde(default)]
    pub err_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "e", rename_all = "snake_case")]
pub enum Event {
    Node(Node),
    Started {
        id: String,
    },
    Skipped {
        id: String,
        reason: Option<String>,
    },
    Finished(Finished),
    /// The launcher itself failed (discovery failed, or an error JUnit does
    /// not catch, such as `OutOfMemoryError`, ended the run).
    Crashed(Thrown),
    Done,
}

/// The events in `stdout`, and the lines that were not events.
pub fn parse(stdout: &[u8], nonce: &str) -> (Vec<Event>, String) {
    let prefix = format!("@@{nonce} ");
    let mut events = Vec::new();
    let mut other = String::new();
    for line in String::from_utf8_lossy(stdout).lines() {
        match line.strip_prefix(&prefix).map(serde_json::from_str::<Event>) {
            Some(Ok(event)) => events.push(event),
            // A forged or garbled event line is not an event.
            _ => {
                other.push_str(line);
                other.push('\n');
            }
        }
    }
    (events, other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lines_with_the_nonce_are_events() {
        let stdout = concat!(
            "@@n1 {\"e\":\"started\",\"id\":\"a\"}\n",
            "@@guess {\"e\":\"done\"}\n",
            "hello\n",
            "@@n1 {\"e\":\"finished\",\"id\":\"a\",\"status\":\"failed\",\"exception\":\"java.lang.AssertionError\",\"message\":null,\"trace\":\"t\",\"ms\":3,\"out\":\"x\",\"out_bytes\":1,\"err\":\"\",\"err_bytes\":0}\n",
            "@@n1 {\"e\":\"finished\", broken\n",
            "@@n1 {\"e\":\"done\"}\n",
        );
        let (events, other) = parse(stdout.as_bytes(), "n1");
        assert_eq!(events.len(), 3);
        assert_eq!(events[0], Event::Started { id: "a".into() });
        match &events[1] {
            Event::Finished(f) => {
                assert_eq!(
                    (f.status, f.thrown.exception.as_deref(), f.out.as_str()),
                    (Status::Failed, Some("java.lang.AssertionError"), "x")
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(events[2], Event::Done);
        assert_eq!(other, "@@guess {\"e\":\"done\"}\nhello\n@@n1 {\"e\":\"finished\", broken\n");
    }
}
