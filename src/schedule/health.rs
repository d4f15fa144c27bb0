//! The `max_silence` watch: a feed that has stored nothing new for longer than its
//! `max_silence_mins` (because it fails, is stopped, or its source went quiet) raises one
//! email to the `[health] admins` through the outbox. "Exactly once" comes from the outbox
//! key, which names the feed and the instant the silence began (its last new mention, or the
//! service start for a feed that never stored one): checking again queues nothing new, and a
//! later silence after the feed recovers is a new episode with a new key.

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

use crate::config::Config;
use crate::domain::Lang;
use crate::notify::FeedSilentAlert;
use crate::notify::alerts::EMAIL_CHANNEL;
use crate::notify::templates::Templates;
use crate::storage::{FeedRow, Store, StoreError, StoreResult, StoreTx};

/// Watches the feeds' silence and queues the admins' notices, written from the `feed_silent`
/// templates in the language of `[health] lang`.
pub struct SilenceWatch {
    config: Config,
    templates: Arc<Templates>,
    /// When this process started: the start of silence for feeds that never stored.
    started: DateTime<Utc>,
}

impl SilenceWatch {
    pub fn new(config: Config, templates: Arc<Templates>, started: DateTime<Utc>) -> SilenceWatch {
        SilenceWatch {
            config,
            templates,
            started,
        }
    }

    /// Whether anybody is to be told at all.
    pub fn enabled(&self) -> bool {
        !self.config.health.admins.is_empty()
    }

    /// Queues the silence notifications due at `now`; returns how many feeds are silent.
    pub async fn check<S: Store>(&self, store: &S, now: DateTime<Utc>) -> StoreResult<usize> {
        if !self.enabled() {
            return Ok(0);
        }
        let rows = store.list_feeds().await?;
        let mut silent = 0;
        for feed in &self.config.feeds {
            let (Some(mins), Some(row)) = (
                feed.max_silence_mins(),
                rows.iter().find(|r| r.name == feed.name()),
            ) else {
                continue;
            };
            let since = row.last_mention_at.unwrap_or(self.started);
            if now - since <= Duration::minutes(i64::from(mins)) {
                continue;
            }
            silent += 1;
            self.enqueue(store, row, since, mins, now).await?;
        }
        Ok(silent)
    }

    async fn enqueue<S: Store>(
        &self,
        store: &S,
        row: &FeedRow,
        since: DateTime<Utc>,
        mins: u32,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let key = format!("feed-{}-silent-since-{}", row.id, since.timestamp_millis());
        let alert = FeedSilentAlert {
            feed: row.name.clone(),
            brand: row.brand.clone(),
            kind: row.kind.clone(),
            since,
            limit_minutes: mins,
            state: row.state.clone(),
            consecutive_failures: row.consecutive_failures,
            last_error: row.last_error.clone(),
        };
        let health = &self.config.health;
        let msg = self
            .templates
            .render_feed_silent(Lang::from_code(&health.lang), &key, &health.admins, &alert)
            .map_err(|e| StoreError::Corrupt(format!("feed_silent template: {e}")))?;
        let payload =
            serde_json::to_string(&msg).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = store.begin().await?;
        tx.enqueue_outbox(&key, EMAIL_CHANNEL, &payload, now)
            .await?;
        tx.commit().await
    }
}
