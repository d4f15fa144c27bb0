//! The cursor shared by newest-first APIs that page backwards with an opaque token (Bluesky,
//! Reddit, Hacker News, YouTube). A *sweep* starts at the newest page and follows the API's
//! token back in time until it reaches `since` (the newest instant already stored) or the
//! API has no further page; only then does `since` move forward, to the newest item of the
//! sweep. The cursor moves with the ingested data, so a crash mid-sweep resumes the sweep.
//! Items exactly at `since` are fetched again and dropped by ingest's dedupe.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::SourceError;
use crate::domain::{Cursor, Mention, Page};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// Everything at or before this instant was stored by an earlier sweep.
    pub since: DateTime<Utc>,
    /// Token of the next (older) page in the current sweep; `None` = start a new sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Newest item seen in the current sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<DateTime<Utc>>,
}

impl Sweep {
    /// Reads the stored cursor, or starts `backfill_hours` before `now` on a feed's first run.
    pub fn load(
        cursor: Option<&Cursor>,
        now: DateTime<Utc>,
        backfill_hours: u32,
    ) -> Result<Sweep, SourceError> {
        match cursor {
            Some(c) => serde_json::from_str(&c.0)
                .map_err(|e| SourceError::BadCursor(format!("{}: {e}", c.0))),
            None => Ok(Sweep {
                since: now - Duration::hours(i64::from(backfill_hours)),
                token: None,
                top: None,
            }),
        }
    }

    /// Keeps the mentions newer than `since`, and returns the cursor to store with them and
    /// whether another page of this sweep is ready. `next_token` is the API's older-page token.
    pub fn advance(
        &self,
        mut mentions: Vec<Mention>,
        next_token: Option<String>,
    ) -> (Vec<Mention>, Cursor, bool) {
        let reached_end = mentions.iter().any(|m| m.created_at < self.since);
        mentions.retain(|m| m.created_at >= self.since);
        let newest = mentions.iter().map(|m| m.created_at).max();
        let top = match (self.top, newest) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let next = match next_token.filter(|t| !t.is_empty() && !reached_end) {
            Some(token) => Sweep {
                since: self.since,
                token: Some(token),
                top,
            },
            None => Sweep {
                since: top.unwrap_or(self.since).max(self.since),
                token: None,
                top: None,
            },
        };
        let more = next.token.is_some();
        let cursor = Cursor(serde_json::to_string(&next).unwrap_or_default());
        (mentions, cursor, more)
    }

    /// [`Self::advance`] as the page a source returns; `wait` is what the API's rate-limit
    /// headers asked for.
    pub fn page(
        &self,
        mentions: Vec<Mention>,
        next_token: Option<String>,
        wait: Option<std::time::Duration>,
    ) -> Page {
        let (mentions, cursor, more) = self.advance(mentions, next_token);
        Page {
            mentions,
            next_cursor: Some(cursor),
            more,
            wait,
        }
    }
}
