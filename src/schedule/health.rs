//! The `max_silence` watch: a feed that has stored nothing new for longer than its
//! `max_silence_mins` (because it fails, is stopped, or its source went quiet) raises one
//! email to the `[health] admins` through the outbox. "Exactly once" comes from the outbox
//! key, which names the feed and the instant the silence began (its last new mention, or the
//! service start for a feed that never stored one): checking again queues nothing new, and a
//! later silence after the feed recovers is a new episode with a new key.

use chrono::{DateTime, Duration, Utc};

use crate::config::Config;
use crate::notify::Rendered;
use crate::notify::alerts::EMAIL_CHANNEL;
use crate::storage::{FeedRow, Store, StoreError, StoreResult, StoreTx};

/// Queues the silence notifications due at `now`; returns how many feeds are silent.
pub async fn check_silence<S: Store>(
    config: &Config,
    store: &S,
    started: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    let admins = &config.health.admins;
    if admins.is_empty() {
        return Ok(0);
    }
    let rows = store.list_feeds().await?;
    let mut silent = 0;
    for feed in &config.feeds {
        let (Some(mins), Some(row)) = (
            feed.max_silence_mins(),
            rows.iter().find(|r| r.name == feed.name()),
        ) else {
            continue;
        };
        let since = row.last_mention_at.unwrap_or(started);
        if now - since <= Duration::minutes(i64::from(mins)) {
            continue;
        }
        silent += 1;
        let msg = render(row, since, mins, admins);
        let payload =
            serde_json::to_string(&msg).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = store.begin().await?;
        tx.enqueue_outbox(&msg.key, EMAIL_CHANNEL, &payload, now)
            .await?;
        tx.commit().await?;
    }
    Ok(silent)
}

fn render(row: &FeedRow, since: DateTime<Utc>, mins: u32, admins: &[String]) -> Rendered {
    let key = format!("feed-{}-silent-since-{}", row.id, since.timestamp_millis());
    let error = row.last_error.as_deref().unwrap_or("none");
    let text = format!(
        "Feed '{}' (brand {}, kind {}) has stored no new mention since {} (limit: {} minutes).\n\
         State: {}. Consecutive failures: {}. Last error: {}.\n",
        row.name,
        row.brand,
        row.kind,
        since.to_rfc3339(),
        mins,
        row.state,
        row.consecutive_failures,
        error
    );
    Rendered {
        key,
        to: admins.to_vec(),
        subject: format!("[Vigía] feed '{}' is silent", row.name),
        text,
        html: None,
    }
}
