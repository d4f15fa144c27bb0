//! One line of a replay file, and reading a file a line at a time.
//!
//! One mention per line, in the shape of [`super::recorded`], with its `source` named.

use std::io::{self, BufRead, BufReader, Read};

use super::recorded::Recorded;
use crate::domain::Mention;

/// Longest line we accept; anything longer is not a mention but a broken file.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// A line of the input that is not blank, without its line end.
pub struct Line<'a> {
    /// Its number, from 1, counting blank lines.
    pub no: usize,
    /// Where it starts.
    pub offset: u64,
    /// Where the next line starts.
    pub end: u64,
    /// Whether a line end follows it (the last line of a file may have none).
    pub ended: bool,
    /// Its bytes; a line longer than [`MAX_LINE_BYTES`] is cut to one byte more than that,
    /// so that [`parse_line`] refuses it without holding it.
    pub raw: &'a [u8],
}

/// Calls `f` for each line of `input` that is not blank.
pub fn for_each_line(input: impl Read, mut f: impl FnMut(Line<'_>)) -> io::Result<()> {
    let mut reader = BufReader::with_capacity(256 * 1024, input);
    let (mut line, mut offset, mut no) = (Vec::new(), 0u64, 0usize);
    loop {
        line.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(());
        }
        no += 1;
        let mut whole = read as u64;
        let mut ended = line.last() == Some(&b'\n');
        if !ended && read > MAX_LINE_BYTES {
            // The rest of an overlong line is skipped, up to its end.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                let n = (&mut reader).take(64 * 1024).read_until(b'\n', &mut rest)?;
                whole += n as u64;
                ended = rest.last() == Some(&b'\n');
                if n == 0 || ended {
                    break;
                }
            }
        }
        let raw = line.strip_suffix(b"\n").unwrap_or(&line);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let end = offset + whole;
        if !raw.iter().all(u8::is_ascii_whitespace) {
            f(Line {
                no,
                offset,
                end,
                ended,
                raw,
            });
        }
        offset = end;
    }
}

/// One line of the file as a mention, or what is wrong with it.
pub fn parse_line(raw: &[u8]) -> Result<Mention, String> {
    if raw.len() > MAX_LINE_BYTES {
        return Err(format!("line longer than {MAX_LINE_BYTES} bytes"));
    }
    let text = std::str::from_utf8(raw).map_err(|e| format!("invalid UTF-8: {e}"))?;
    let r: Recorded = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let source = r.source.as_deref().map_or("", str::trim).to_lowercase();
    (!source.is_empty())
        .then(|| r.into_mention(source))
        .flatten()
        .ok_or_else(|| "id, source and author.handle must not be empty".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_numbered_and_placed_as_in_the_file() {
        let data = b"ab\n\n  \ncd\r\nef";
        let mut seen = Vec::new();
        for_each_line(&data[..], |l| {
            seen.push((l.no, l.offset, l.end, l.ended, l.raw.to_vec()))
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                (1, 0, 3, true, b"ab".to_vec()),
                (4, 7, 11, true, b"cd".to_vec()),
                (5, 11, 13, false, b"ef".to_vec())
            ]
        );
    }
}
