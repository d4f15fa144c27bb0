//! The outbox worker: leases due rows, delivers each through its channel's notifier (the
//! [`Channels`] map built at start), and records the result. Failures are retried with exponential backoff; a message that keeps failing (or
//! fails permanently) is marked `failed` and kept for inspection.
//!
//! Several instances may share the outbox: each message is leased on its own to one instance
//! (claimed right before it is sent) with a fencing token, so a crash delays at most the message
//! in flight (until its lease expires, or at once when the instance restarts and releases its
//! leases), and an instance whose lease passed to another cannot mark the message.

use chrono::Duration;
use std::sync::Arc;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::NotifyError;
use super::channels::Channels;
use crate::clock::Clock;
use crate::config::OutboxConfig;
use crate::storage::{OutboxRow, Store, StoreResult};

/// Seconds a claimed row stays reserved for this worker: longer than any notifier's timeout.
const LEASE_SECS: i64 = 120;
/// Messages claimed at a time: one, so a lease covers exactly the message being sent.
const BATCH: i64 = 1;
const MAX_BACKOFF_SECS: i64 = 3600;

pub struct OutboxWorker<S: Store> {
    store: S,
    /// This instance's id, the owner of its leases.
    owner: String,
    channels: Channels,
    clock: Arc<dyn Clock>,
    config: OutboxConfig,
    wake: Arc<Notify>,
    /// One pass at a time in this process: deliveries stay in creation order, and a caller of
    /// [`OutboxWorker::pass`] returns only after in-flight deliveries have finished.
    pass_lock: tokio::sync::Mutex<()>,
}

/// Counts from one pass over the due messages.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PassReport {
    pub delivered: usize,
    pub retried: usize,
    pub failed: usize,
}

impl<S: Store> OutboxWorker<S> {
    pub fn new(
        store: S,
        channels: Channels,
        clock: Arc<dyn Clock>,
        config: OutboxConfig,
        wake: Arc<Notify>,
    ) -> Self {
        OutboxWorker {
            store,
            owner: crate::storage::leases::instance_id(),
            channels,
            clock,
            config,
            wake,
            pass_lock: tokio::sync::Mutex::new(()),
        }
    }

    /// Leases messages as `owner` instead of this instance's id.
    pub fn with_owner(mut self, owner: &str) -> Self {
        self.owner = owner.to_owned();
        self
    }

    /// Runs until cancelled, then makes one last pass so queued messages go out before exit.
    pub async fn run(&self, cancel: CancellationToken) {
        let period = std::time::Duration::from_secs(self.config.poll_secs.max(1));
        loop {
            if let Err(e) = self.pass().await {
                tracing::warn!(error = %e, "outbox pass failed");
            }
            tokio::select! {
                _ = cancel.cancelled() => break,
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(period) => {}
            }
        }
        match self.pass().await {
            Ok(r) => tracing::info!(delivered = r.delivered, "outbox flushed before shutdown"),
            Err(e) => tracing::warn!(error = %e, "final outbox flush failed"),
        }
    }

    /// Delivers every message that is due now, oldest first.
    pub async fn pass(&self) -> StoreResult<PassReport> {
        let _one_at_a_time = self.pass_lock.lock().await;
        let mut report = PassReport::default();
        loop {
            let rows = self
                .store
                .claim_outbox(&self.owner, self.clock.now(), LEASE_SECS, BATCH)
                .await?;
            if rows.is_empty() {
                return Ok(report);
            }
            for row in rows {
                self.deliver(row, &mut report).await?;
            }
        }
    }

    async fn deliver(&self, row: OutboxRow, report: &mut PassReport) -> StoreResult<()> {
        let result = self.channels.deliver(&row).await;
        let now = self.clock.now();
        match result {
            Ok(delivery) => {
                tracing::info!(outbox = row.id, key = %row.key, detail = %delivery.detail, "message delivered");
                let held = self.store.outbox_delivered(row.id, row.token, now).await?;
                fenced(&row, held);
                report.delivered += 1;
            }
            Err(NotifyError::RateLimited {
                error,
                retry_after_secs,
            }) if row.attempts < self.config.max_attempts => {
                tracing::warn!(outbox = row.id, key = %row.key, error = %error, retry_in_secs = retry_after_secs, "rate limited, waiting as told");
                let next = now + Duration::seconds(retry_after_secs.max(1));
                let held = self
                    .store
                    .outbox_retry(row.id, row.token, &error, next)
                    .await?;
                fenced(&row, held);
                report.retried += 1;
            }
            Err(NotifyError::Temporary(e)) if row.attempts < self.config.max_attempts => {
                let delay = backoff_secs(self.config.backoff_secs, row.attempts);
                tracing::warn!(outbox = row.id, key = %row.key, error = %e, retry_in_secs = delay, "delivery failed, will retry");
                let next = now + Duration::seconds(delay);
                let held = self.store.outbox_retry(row.id, row.token, &e, next).await?;
                fenced(&row, held);
                report.retried += 1;
            }
            Err(e) => {
                tracing::error!(outbox = row.id, key = %row.key, error = %e, "delivery failed for good");
                let held = self
                    .store
                    .outbox_failed(row.id, row.token, &e.to_string())
                    .await?;
                fenced(&row, held);
                report.failed += 1;
            }
        }
        Ok(())
    }
}

/// Logs a claim that was fenced off: its lease expired and another instance claimed the row.
fn fenced(row: &OutboxRow, held: bool) {
    if !held {
        tracing::warn!(outbox = row.id, key = %row.key, token = row.token, "outbox lease was lost before the result was recorded");
    }
}

/// `base * 2^(attempts-1)`, capped at an hour.
fn backoff_secs(base: i64, attempts: i64) -> i64 {
    let exp = (attempts - 1).clamp(0, 20) as u32;
    base.max(1)
        .saturating_mul(1_i64 << exp)
        .min(MAX_BACKOFF_SECS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(super::backoff_secs(5, 1), 5);
        assert_eq!(super::backoff_secs(5, 2), 10);
        assert_eq!(super::backoff_secs(5, 4), 40);
        assert_eq!(super::backoff_secs(5, 30), 3600);
    }
}
