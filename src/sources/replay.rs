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

#[derive(Debug, Clone, Serialize, Deserialize)]
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

    /// The page due at `now` from the cursor `known` (a new one when `None`): the cursor it
    /// read from, its mentions (times as recorded) and whether more are due. The file's
    /// index is brought up to date first; when a line no longer parses (the file was
    /// rewritten under an unchanged length and time) it is indexed again, once.
    async fn due_page(
        &self,
        known: Option<ReplayCursor>,
        now: DateTime<Utc>,
    ) -> Result<(ReplayCursor, Vec<Mention>, bool), SourceError> {
        let (index, path) = (self.index.clone(), self.path.clone());
        let (speed, page_size) = (self.speed, self.page_size);
        let work = move || {
            let mut index = index.lock().unwrap_or_else(PoisonError::into_inner);
            let file = match &mut *index {
                Some(file) => {
                    file.refresh()?;
                    file
                }
                None => index.insert(ReplayFile::open(&path)?),
            };
            match page_of(file, known.as_ref(), now, speed, page_size) {
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    *file = ReplayFile::open(&path)?;
                    page_of(file, known.as_ref(), now, speed, page_size)
                }
                page => page,
            }
        };
        let failed = |e: &dyn std::fmt::Display| {
            SourceError::Unavailable(format!("{}: {e}", self.path.display()))
        };
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| failed(&e))?
            .map_err(|e: std::io::Error| failed(&e))
    }
}

/// The page of `file` due at `now` from the cursor `known` (a new one, anchored on the
/// file's first mention, when `None`), as [`ReplaySource::due_page`] returns it.
fn page_of(
    file: &ReplayFile,
    known: Option<&ReplayCursor>,
    now: DateTime<Utc>,
    speed: f64,
    page_size: usize,
) -> std::io::Result<(ReplayCursor, Vec<Mention>, bool)> {
    let state = known.cloned().unwrap_or_else(|| ReplayCursor {
        pos: 0,
        anchor_real: now.timestamp_millis(),
        anchor_sim: file.time_ms(0).unwrap_or(now.timestamp_millis()),
    });
    let sim_now = simulated_now(&state, now, speed);
    let start = state.pos.min(file.len());
    let due = file.due(start, page_size, sim_now);
    let more = file.time_ms(start + due).is_some_and(|t| t <= sim_now);
    let mentions = file.read(start..start + due)?;
    Ok((
        ReplayCursor {
            pos: start,
            ..state
        },
        mentions,
        more,
    ))
}

/// Simulated "now" for a cursor's anchor, the clock running `speed` times faster.
fn simulated_now(cursor: &ReplayCursor, now: DateTime<Utc>, speed: f64) -> i64 {
    let elapsed_ms = (now.timestamp_millis() - cursor.anchor_real).max(0) as f64;
    let advanced = (elapsed_ms * speed).min(i64::MAX as f64 / 2.0) as i64;
    cursor.anchor_sim.saturating_add(advanced)
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
        let (state, mut mentions, more) = self.due_page(known, self.clock.now()).await?;
        let shift = match self.start {
            ReplayStart::Now => Duration::milliseconds(state.anchor_real - state.anchor_sim),
            ReplayStart::First => Duration::zero(),
        };
        for m in &mut mentions {
            m.created_at = m
                .created_at
                .checked_add_signed(shift)
                .unwrap_or(m.created_at);
        }
        let next = ReplayCursor {
            pos: state.pos + mentions.len(),
            ..state
        };
        let next_cursor = serde_json::to_string(&next).map(Cursor).ok();
        Ok(Page {
            mentions,
            next_cursor,
            more,
            wait: None,
        })
    }
}
