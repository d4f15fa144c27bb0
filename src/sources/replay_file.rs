//! The replay JSONL file, read by its line offsets so that memory does not grow with it.
//!
//! One mention per line, as [`super::replay_line`] reads it.
//!
//! [`ReplayFile::open`] reads the file once, a line at a time, and keeps one `u64` per valid
//! line (its byte offset and length) in time order; lines with equal times keep their file
//! order. A malformed line (bad JSON, invalid UTF-8, a missing id, source or handle, longer
//! than [`MAX_LINE_BYTES`](super::replay_line::MAX_LINE_BYTES)) is logged then with its file
//! and line number and skipped.
//! Beside it goes each line's time in milliseconds, so that which lines are due is known
//! without reading them. [`ReplayFile::read`] reads a range of that order back by offset and
//! parses it again, so months of recorded traffic take 16 bytes a mention in memory rather
//! than the mentions.
//!
//! A file that changes is noticed by its length and modification time
//! ([`ReplayFile::refresh`]). When it only grew (the bytes before its old end are as they
//! were) by lines no earlier than its latest, as a recorder appends, only the new lines are
//! read; any other change indexes the whole file again. Either way the order is the time
//! order of the whole file, so a position means the same after a restart. A line appended
//! with an earlier time than the replay has reached is therefore not replayed (the mention
//! it moves along is offered again and stored once). A last line without a line end that
//! does not parse yet is left for when the file grows.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::replay_line::{for_each_line, parse_line};
use crate::domain::Mention;

/// Bits of an index entry that hold the line's length (it is at most
/// [`MAX_LINE_BYTES`](super::replay_line::MAX_LINE_BYTES)).
const LEN_BITS: u32 = 24;
/// Largest file whose offsets fit beside the length in an index entry: 1 TiB.
const MAX_FILE_BYTES: u64 = 1 << (64 - LEN_BITS);
/// Bytes before the indexed end compared to tell a file that grew from a rewritten one.
const TAIL_BYTES: u64 = 256;

/// A replay file's index: where each valid line is, in replay order.
#[derive(Debug)]
pub struct ReplayFile {
    path: PathBuf,
    stamp: Stamp,
    /// `offset << LEN_BITS | length` of each valid line, in replay order.
    lines: Vec<u64>,
    /// The time of each of them, in milliseconds since the epoch.
    times: Vec<i64>,
    /// Where indexing stopped: the end of the last line read (the file's length, or the
    /// start of an unfinished last line).
    indexed: u64,
    /// Lines read so far, to number the next ones in warnings.
    line_count: usize,
    /// The [`TAIL_BYTES`] before `indexed`.
    tail: Vec<u8>,
    /// The time of the last line in the order, as `(seconds, nanoseconds)`.
    last: Option<(i64, u32)>,
}

/// Lines read by [`ReplayFile::scan`].
struct Scanned {
    /// `((seconds, nanoseconds), index entry)` of each valid line, in time order.
    keyed: Vec<((i64, u32), u64)>,
    /// Where reading stopped (as `ReplayFile::indexed` says it).
    indexed: u64,
    /// Lines read so far, from the start of the file.
    line_count: usize,
}

/// What tells a file that changed from the one indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(file: &File) -> io::Result<Stamp> {
        let meta = file.metadata()?;
        Ok(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

impl ReplayFile {
    /// Indexes the file at `path` (see the module docs).
    pub fn open(path: &Path) -> io::Result<ReplayFile> {
        let mut index = ReplayFile {
            path: path.to_owned(),
            stamp: Stamp {
                len: 0,
                modified: None,
            },
            lines: Vec::new(),
            times: Vec::new(),
            indexed: 0,
            line_count: 0,
            tail: Vec::new(),
            last: None,
        };
        index.grow(File::open(path)?)?;
        Ok(index)
    }

    /// Brings the index up to date (see the module docs).
    pub fn refresh(&mut self) -> io::Result<()> {
        let mut file = File::open(&self.path)?;
        let stamp = Stamp::of(&file)?;
        if stamp == self.stamp {
            return Ok(());
        }
        if stamp.len >= self.indexed && self.tail_is_there(&mut file)? {
            return self.grow(file);
        }
        *self = ReplayFile::open(&self.path)?;
        Ok(())
    }

    /// Whether the bytes before the indexed end are still the ones read then.
    fn tail_is_there(&self, file: &mut File) -> io::Result<bool> {
        let mut now = vec![0; self.tail.len()];
        file.seek(SeekFrom::Start(self.indexed - self.tail.len() as u64))?;
        file.read_exact(&mut now)?;
        Ok(now == self.tail)
    }

    /// Indexes `file` from where indexing stopped to its current end; the whole file again
    /// when the new lines would not come last in time order.
    fn grow(&mut self, file: File) -> io::Result<()> {
        let stamp = Stamp::of(&file)?;
        if stamp.len >= MAX_FILE_BYTES {
            let problem = format!("{}: larger than 1 TiB", self.path.display());
            return Err(io::Error::new(io::ErrorKind::InvalidData, problem));
        }
        let new = self.scan(file, stamp.len)?;
        if let (Some(last), Some((first, _))) = (self.last, new.keyed.first())
            && *first < last
        {
            // Earlier than lines indexed before: only a whole new index keeps the time order.
            *self = ReplayFile::open(&self.path)?;
            return Ok(());
        }
        self.last = new.keyed.last().map(|(key, _)| *key).or(self.last);
        let millis = |(secs, nanos): (i64, u32)| {
            secs.saturating_mul(1000)
                .saturating_add(i64::from(nanos / 1_000_000))
        };
        self.times
            .extend(new.keyed.iter().map(|(key, _)| millis(*key)));
        self.lines
            .extend(new.keyed.into_iter().map(|(_, line)| line));
        (self.stamp, self.indexed, self.line_count) = (stamp, new.indexed, new.line_count);
        let from = self.indexed.saturating_sub(TAIL_BYTES);
        self.tail = vec![0; (self.indexed - from) as usize];
        let mut file = File::open(&self.path)?;
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut self.tail)
    }

    /// The valid lines of `file` from where indexing stopped up to byte `len`, in time order,
    /// each keyed by its time; malformed ones are logged.
    fn scan(&self, mut file: File, len: u64) -> io::Result<Scanned> {
        let start = self.indexed;
        file.seek(SeekFrom::Start(start))?;
        let mut new = Scanned {
            keyed: Vec::new(),
            indexed: start,
            line_count: self.line_count,
        };
        let mut sorted = true;
        for_each_line(file.take(len.saturating_sub(start)), |line| {
            let parsed = parse_line(line.raw);
            if !line.ended && parsed.is_err() {
                return; // maybe still being written
            }
            (new.indexed, new.line_count) = (start + line.end, self.line_count + line.no);
            match parsed {
                Ok(m) => {
                    let at = &m.created_at;
                    let key = (at.timestamp(), at.timestamp_subsec_nanos());
                    sorted &= new.keyed.last().is_none_or(|(last, _)| *last <= key);
                    let offset = start + line.offset;
                    new.keyed
                        .push((key, offset << LEN_BITS | line.raw.len() as u64));
                }
                Err(problem) => tracing::warn!(
                    file = %self.path.display(), line = new.line_count,
                    problem = %problem, "skipping malformed replay line"
                ),
            }
        })?;
        if !sorted {
            new.keyed.sort_by_key(|(key, _)| *key);
        }
        Ok(new)
    }

    /// How many mentions the file holds.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The time of the mention at `position` of the order, in milliseconds since the epoch.
    pub fn time_ms(&self, position: usize) -> Option<i64> {
        self.times.get(position).copied()
    }

    /// How many mentions from `start` on, at most `max`, are at or before `until_ms`.
    pub fn due(&self, start: usize, max: usize, until_ms: i64) -> usize {
        let times = self.times.get(start..).unwrap_or_default();
        times
            .iter()
            .take(max)
            .take_while(|&&t| t <= until_ms)
            .count()
    }

    /// The mentions at `range` of the replay order. A line that no longer parses means the
    /// file changed since it was indexed: an `InvalidData` error.
    pub fn read(&self, range: Range<usize>) -> io::Result<Vec<Mention>> {
        let lines = &self.lines[range.start.min(self.len())..range.end.min(self.len())];
        let (Some(first), Some(last)) = (
            lines.iter().map(|&l| offset(l)).min(),
            lines.iter().map(|&l| offset(l) + length(l)).max(),
        ) else {
            return Ok(Vec::new());
        };
        let mut file = File::open(&self.path)?;
        let wanted: u64 = lines.iter().map(|&l| length(l)).sum();
        // A page of a file in time order is one stretch of it: read it at once.
        let span = if last - first <= 2 * wanted + 64 * 1024 {
            file.seek(SeekFrom::Start(first))?;
            let mut span = vec![0; (last - first) as usize];
            file.read_exact(&mut span)?;
            Some(span)
        } else {
            None
        };
        let mut buf = Vec::new();
        lines
            .iter()
            .map(|&l| {
                let raw = match &span {
                    Some(span) => {
                        let at = (offset(l) - first) as usize;
                        &span[at..at + length(l) as usize]
                    }
                    None => {
                        buf.resize(length(l) as usize, 0);
                        file.seek(SeekFrom::Start(offset(l)))?;
                        file.read_exact(&mut buf)?;
                        &buf[..]
                    }
                };
                parse_line(raw).map_err(|problem| {
                    let problem = format!(
                        "{}: changed since it was read (byte {}: {problem})",
                        self.path.display(),
                        offset(l)
                    );
                    io::Error::new(io::ErrorKind::InvalidData, problem)
                })
            })
            .collect()
    }
}

fn offset(line: u64) -> u64 {
    line >> LEN_BITS
}

fn length(line: u64) -> u64 {
    line & ((1 << LEN_BITS) - 1)
}

#[cfg(test)]
mod tests;
