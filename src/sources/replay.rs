//! Replay: a JSONL file of recorded mentions played back as if they were arriving live.
//!
//! One mention per line: `{"id","source","created_at","text","author":{"handle","name",
//! "followers"},"url","lang"?,"likes"?,"reposts"?,"replies"?}`. The simulated clock runs `speed`
//! times faster than the injected wall clock from the moment the feed first runs; each fetch
//! returns the mentions whose (simulated) time has come, oldest first. The cursor stores the
//! position and the clock's anchor, so a restart resumes where it stopped and never repeats.
//! A malformed line is logged with file and line number and skipped.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Source, SourceError};
use crate::clock::Clock;
use crate::config::{Config, ConfigError, ReplayFeedConfig, ReplayStart};
use crate::domain::{Author, Cursor, FeedQuery, Mention, Page};

/// Longest line we accept; anything longer is not a mention but a broken file.
const MAX_LINE_BYTES: usize = 1024 * 1024;

pub struct ReplaySource {
    path: PathBuf,
    speed: f64,
    start: ReplayStart,
    page_size: usize,
    clock: Arc<dyn Clock>,
    mentions: tokio::sync::OnceCell<Arc<Vec<Mention>>>,
}

#[derive(Debug, Deserialize)]
struct Record {
    id: String,
    source: String,
    created_at: DateTime<Utc>,
    text: String,
    author: RecordAuthor,
    url: Option<String>,
    lang: Option<String>,
    #[serde(default)]
    likes: i64,
    #[serde(default)]
    reposts: i64,
    #[serde(default)]
    replies: i64,
    #[serde(default)]
    reply_to: Option<String>,
    #[serde(default)]
    thread_id: Option<String>,
    #[serde(default)]
    is_repost: bool,
    country: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RecordAuthor {
    handle: String,
    name: Option<String>,
    followers: Option<i64>,
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
            mentions: tokio::sync::OnceCell::new(),
        })
    }

    async fn mentions(&self) -> Result<Arc<Vec<Mention>>, SourceError> {
        self.mentions
            .get_or_try_init(|| async {
                let bytes = tokio::fs::read(&self.path).await.map_err(|e| {
                    SourceError::Unavailable(format!("{}: {e}", self.path.display()))
                })?;
                Ok(Arc::new(parse_jsonl(&self.path, &bytes)))
            })
            .await
            .cloned()
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
        let all = self.mentions().await?;
        let now = self.clock.now();
        let state = match cursor {
            Some(c) => serde_json::from_str::<ReplayCursor>(&c.0)
                .map_err(|e| SourceError::BadCursor(format!("{}: {e}", c.0)))?,
            None => ReplayCursor {
                pos: 0,
                anchor_real: now.timestamp_millis(),
                anchor_sim: all
                    .first()
                    .map_or(now.timestamp_millis(), |m| m.created_at.timestamp_millis()),
            },
        };
        let sim_now = self.simulated_now(&state, now);
        let shift = match self.start {
            ReplayStart::Now => Duration::milliseconds(state.anchor_real - state.anchor_sim),
            ReplayStart::First => Duration::zero(),
        };
        let due = |m: &Mention| m.created_at.timestamp_millis() <= sim_now;
        let start = state.pos.min(all.len());
        let mut mentions = Vec::new();
        for m in all[start..]
            .iter()
            .take(self.page_size)
            .take_while(|m| due(m))
        {
            let mut m = m.clone();
            m.created_at = m
                .created_at
                .checked_add_signed(shift)
                .unwrap_or(m.created_at);
            mentions.push(m);
        }
        let pos = start + mentions.len();
        let more = all.get(pos).is_some_and(due);
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

/// Parses a JSONL file, skipping (and logging) lines that are not valid mentions. The result
/// is sorted by time; lines with equal times keep their file order.
pub fn parse_jsonl(path: &Path, bytes: &[u8]) -> Vec<Mention> {
    let mut out = Vec::new();
    for (index, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let line_no = index + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_line(raw) {
            Ok(m) => out.push(m),
            Err(problem) => tracing::warn!(
                file = %path.display(), line = line_no, problem = %problem,
                "skipping malformed replay line"
            ),
        }
    }
    out.sort_by_key(|m| m.created_at);
    out
}

fn parse_line(raw: &[u8]) -> Result<Mention, String> {
    if raw.len() > MAX_LINE_BYTES {
        return Err(format!("line longer than {MAX_LINE_BYTES} bytes"));
    }
    let text = std::str::from_utf8(raw).map_err(|e| format!("invalid UTF-8: {e}"))?;
    let r: Record = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let handle = r.author.handle.trim().trim_start_matches('@');
    if r.id.trim().is_empty() || r.source.trim().is_empty() || handle.is_empty() {
        return Err("id, source and author.handle must not be empty".into());
    }
    Ok(Mention {
        source: r.source.trim().to_lowercase(),
        external_id: r.id,
        created_at: r.created_at,
        text: Mention::cap_text(&r.text),
        author: Author {
            handle: handle.to_owned(),
            name: r.author.name,
            followers: r.author.followers,
        },
        url: r.url,
        lang_hint: r.lang,
        likes: r.likes,
        reposts: r.reposts,
        replies: r.replies,
        reply_to: r.reply_to,
        thread_id: r.thread_id,
        is_repost: r.is_repost,
        country: r.country.map(|c| c.trim().to_lowercase()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_lines_are_skipped_and_the_rest_sorted() {
        let data = concat!(
            r#"{"id":"2","source":"x","created_at":"2026-03-02T10:00:00Z","text":"b","author":{"handle":"@B"}}"#,
            "\n",
            "not json\n",
            "\n",
            r#"{"id":"1","source":"X","created_at":"2026-03-02T09:00:00Z","text":"a","author":{"handle":"a"},"lang":"es","likes":3}"#,
            "\n",
            r#"{"id":"","source":"x","created_at":"2026-03-02T09:00:00Z","text":"a","author":{"handle":"a"}}"#,
            "\n",
        );
        let mut bytes = data.as_bytes().to_vec();
        bytes.extend_from_slice(b"\xff\xfe invalid utf8\n");
        let got = parse_jsonl(Path::new("t.jsonl"), &bytes);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].external_id, "1");
        assert_eq!(got[0].source, "x");
        assert_eq!(got[0].likes, 3);
        assert_eq!(got[1].author.handle, "B");
    }
}
