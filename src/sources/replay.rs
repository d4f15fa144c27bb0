//! Replay: a JSONL file of recorded mentions played back as if they were arriving live.
//!
//! The file's format and how it is read are [`super::replay_file`]'s: only an index of its
//! lines stays in memory, and a file that changes is read again (appended lines are picked
//! up). The simulated clock runs `speed` times faster than the injected wall clock from the
//! moment the feed first runs; each fetch returns the mentions whose (simulated) time has
//! come, oldest first. The cursor stores the position in the file's time order and the
//! clock's anchor, so a restart resumes where it stopped and never repeats. A malformed line
//! is logged with file and line number and skipped.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use super::replay_file::ReplayFile;
use super::{Source, SourceError};
use crate::clock::Clock;
use crate::config::{Config, ConfigError, ReplayFeedConfig, ReplayStart};
use crate::domain::{Cursor, FeedQuery, Mention, Page};

pub struct ReplaySource {
    path: PathBuf,
    speed: f64,
    start: ReplayStart,
    page_size: usize,
    clock: Arc<dyn Clock>,
    /// The file's index, once read (see [`ReplayFile::refresh`]).
    index: Arc<Mutex<Option<ReplayFile>>>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ReplayCursor {
    /// Index of the next mention to emit, in time order.
    pos: usize,
    /// Wall-clock instant (ms) at which the simulated clock read `anchor_sim`.
    anchor_real: i64,
    anchor_sim: i64,
}

impl ReplaySource {
    pub fn new(
        config: &Config,
        key: &str,
        c: &ReplayFeedConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<ReplaySource, ConfigError> {
        let file = &config.source_file;
        let path = config.resolve(&c.path);
        if !path.is_file() {
            let problem = format!("path: file not found: {}", path.display());
            return Err(ConfigError::invalid(file, key, problem));
        }
        if !(c.speed.is_finite() && c.speed > 0.0) {
            return Err(ConfigError::invalid(
                file,
                key,
                "speed: must be a positive number",
            ));
        }
        if !(1..=100_000).contains(&c.page_size) {
            return Err(ConfigError::invalid(
                file,
                key,
                "page_size: must be between 1 and 100000",
            ));
        }
        Ok(ReplaySource {
            path,
            speed: c.speed,
            start: c.start,
            page_size: c.page_size,
            clock,
            index: Arc::default(),
        })
    }

    /// The mentions at `range` of the file's replay order, and how many it has, with its
    /// index brought up to date first. When a line no longer parses (the file was rewritten
    /// under an unchanged length and time) the whole file is indexed again, once.
    async fn read(&self, range: Range<usize>) -> Result<(usize, Vec<Mention>), SourceError> {
        let (index, path) = (self.index.clone(), self.path.clone());
        let work = move || {
            let mut index = index.lock().unwrap_or_else(PoisonError::into_inner);
            let file = match &mut *index {
                Some(file) => {
                    file.refresh()?;
                    file
                }
                None => index.insert(ReplayFile::open(&path)?),
            };
            let mentions = match file.read(range.clone()) {
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    *file = ReplayFile::open(&path)?;
                    file.read(range)?
                }
                read => read?,
            };
            Ok((file.len(), mentions))
        };
        let failed = |e: &dyn std::fmt::Display| {
            SourceError::Unavailable(format!("{}: {e}", self.path.display()))
        };
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| failed(&e))?
            .map_err(|e: std::io::Error| failed(&e))
    }

    /// Simulated "now" for a cursor's anchor.
    fn simulated_now(&self, cursor: &ReplayCursor, now: DateTime<Utc>) -> i64 {
        let elapsed_ms = (now.timestamp_millis() - cursor.anchor_real).max(0) as f64;
        let advanced = (elapsed_ms * self.speed).min(i64::MAX as f64 / 2.0) as i64;
        cursor.anchor_sim.saturating_add(advanced)
    }
}

#[async_trait]
impl Source for ReplaySource {
    fn kind(&self) -> &'static str {
        "replay"
    }

    async fn fetch(
        &self,
        _query: &FeedQuery,
        cursor: Option<&Cursor>,
    ) -> Result<Page, SourceError> {
        let known = match cursor {
            Some(c) => Some(
                serde_json::from_str::<ReplayCursor>(&c.0)
                    .map_err(|e| SourceError::BadCursor(format!("{}: {e}", c.0)))?,
            ),
            None => None,
        };
        // One more than a page: whether the next one is due too says if there is more.
        let start = known.as_ref().map_or(0, |c| c.pos);
        let (len, read) = self
            .read(start..start.saturating_add(self.page_size + 1))
            .await?;
        let now = self.clock.now();
        let state = known.unwrap_or_else(|| ReplayCursor {
            pos: 0,
            anchor_real: now.timestamp_millis(),
            anchor_sim: read
                .first()
                .map_or(now.timestamp_millis(), |m| m.created_at.timestamp_millis()),
        });
        let sim_now = self.simulated_now(&state, now);
        let shift = match self.start {
            ReplayStart::Now => Duration::milliseconds(state.anchor_real - state.anchor_sim),
            ReplayStart::First => Duration::zero(),
        };
        let due = |m: &Mention| m.created_at.timestamp_millis() <= sim_now;
        let taken = read
            .iter()
            .take(self.page_size)
            .take_while(|m| due(m))
            .count();
        let more = read.get(taken).is_some_and(due);
        let mut mentions = read;
        mentions.truncate(taken);
        for m in &mut mentions {
            m.created_at = m
                .created_at
                .checked_add_signed(shift)
                .unwrap_or(m.created_at);
        }
        let pos = start.min(len) + taken;
        let next = ReplayCursor { pos, ..state };
        let next_cursor = serde_json::to_string(&next).map(Cursor).ok();
        Ok(Page {
            mentions,
            next_cursor,
            more,
            wait: None,
        })
    }
}
