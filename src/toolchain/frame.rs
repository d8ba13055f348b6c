//! The line-and-bytes framing shared by the worker's and the daemon's
//! protocols: text fields escaped on one line each, and answers of the form
//! `done CODE OUT_LEN ERR_LEN [EXTRA...]` followed by exactly that many
//! bytes of javac's stdout and stderr.

use std::io::BufRead;

use anyhow::{Result, anyhow, bail};

/// 128 bits from the OS random source, in hex: a token a program being
/// checked cannot guess (protocol nonces, `::stop-commands::` tokens).
pub fn nonce() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the OS random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// More output than this in one answer is garbage, not javac.
const MAX_FRAME_BYTES: u64 = 256 * 1024 * 1024;

/// What javac printed and how it exited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Escapes a text field: `\` as `\\`, newline as `\n`, CR as `\r`.
pub fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r")
}

/// The inverse of [`escape`].
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One line without its newline; `None` at the end of the stream.
pub fn read_line(reader: &mut impl BufRead) -> Result<Option<String>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.strip_suffix('\n').unwrap_or(&line).to_owned()))
}

/// Parses the fields after `done ` (exactly `3 + extra` numbers) and reads
/// the output bytes that follow. Returns the output and the extra numbers.
pub fn read_done(fields: &str, extra: usize, reader: &mut impl BufRead) -> Result<(Compiled, Vec<u64>)> {
    let numbers: Vec<i64> = fields
        .split(' ')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| anyhow!("malformed answer {fields:?}"))?;
    if numbers.len() != 3 + extra {
        bail!("malformed answer {fields:?}: expected {} numbers", 3 + extra);
    }
    let length = |n: i64| -> Result<usize> {
        u64::try_from(n)
            .ok()
            .filter(|n| *n <= MAX_FRAME_BYTES)
            .map(|n| n as usize)
            .ok_or_else(|| anyhow!("bad length {n}"))
    };
    let mut stdout = vec![0; length(numbers[1])?];
    reader.read_exact(&mut stdout)?;
    let mut stderr = vec![0; length(numbers[2])?];
    reader.read_exact(&mut stderr)?;
    let code = i32::try_from(numbers[0])?;
    let extra = numbers[3..].iter().map(|n| u64::try_from(*n).unwrap_or(0)).collect();
    Ok((Compiled { code, stdout, stderr }, extra))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        assert_eq!(escape("a\\b\nc\rd"), "a\\\\b\\nc\\rd");
        for text in ["plain", "a b\\c", "line\nbreak\r", "\\n literal"] {
            assert_eq!(unescape(&escape(text)), text);
        }
    }

    #[test]
    fn done_frames() {
        let mut input: &[u8] = b"abxyzrest";
        let (compiled, extra) = read_done("1 2 3 10 100", 2, &mut input).unwrap();
        assert_eq!(
            (compiled.code, &compiled.stdout[..], &compiled.stderr[..], extra),
            (1, &b"ab"[..], &b"xyz"[..], vec![10, 100])
        );
        assert_eq!(input, b"rest");
        assert!(read_done("1 2", 0, &mut &b""[..]).is_err());
        assert!(read_done("1 x 3", 0, &mut &b""[..]).is_err());
        assert!(read_done("0 -1 0", 0, &mut &b""[..]).is_err());
        assert!(read_done("0 999999999999 0", 0, &mut &b""[..]).is_err(), "no giant allocation from garbage");
        assert!(read_done("0 5 0", 0, &mut &b"abc"[..]).is_err(), "short output");
    }
}
