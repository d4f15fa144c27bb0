//! Lawful handling of personal data: erasure of one person on request, and retention limits
//! applied on a schedule.
//!
//! Erasure keeps what is not personal (a mention's sentiment and categories, a ticket's
//! status and SLA history) so statistics stay right, and removes what is: texts, handles,
//! names, links, identities, contact data. Who erased whom is in the audit log.

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::config::PrivacyConfig;
use crate::storage::{PrivacyStore, PurgeReport, StoreResult};

/// Mentions deleted per transaction, so a large purge never holds the write lock for long.
const PURGE_BATCH: i64 = 5_000;

/// One retention pass: everything older than the configured limits, as of `now`.
pub async fn purge<S: PrivacyStore>(
    store: &S,
    config: &PrivacyConfig,
    now: DateTime<Utc>,
) -> StoreResult<PurgeReport> {
    let mut report = PurgeReport::default();
    if config.mention_retention_days > 0 {
        let cutoff = now - Duration::days(i64::from(config.mention_retention_days));
        loop {
            let n = store.purge_mentions(cutoff, PURGE_BATCH).await?;
            report.mentions += n;
            if n < PURGE_BATCH as u64 {
                break;
            }
            tokio::task::yield_now().await;
        }
    }
    if config.outbox_retention_days > 0 {
        let cutoff = now - Duration::days(i64::from(config.outbox_retention_days));
        report.outbox = store.purge_outbox(cutoff).await?;
    }
    Ok(report)
}

/// Runs [`purge`] on `schedule` until cancelled.
pub async fn run<S: PrivacyStore>(
    store: S,
    config: PrivacyConfig,
    schedule: cron::Schedule,
    clock: Arc<dyn Clock>,
    cancel: CancellationToken,
) {
    if config.mention_retention_days == 0 && config.outbox_retention_days == 0 {
        return;
    }
    loop {
        let now = clock.now();
        let Some(next) = schedule.after(&now).next() else {
            return;
        };
        let wait = (next - now).to_std().unwrap_or_default();
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        match purge(&store, &config, clock.now()).await {
            Ok(r) => tracing::info!(mentions = r.mentions, outbox = r.outbox, "retention pass"),
            Err(e) => tracing::warn!(error = %e, "retention pass failed"),
        }
    }
}
