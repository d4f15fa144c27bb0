//! Work shared by several instances on one database: feeds and outbox messages are leased for
//! a while by one instance (`owner`, see `app::instance_id`), so a feed is polled by one
//! instance at a time and a message is sent by one. A lease expires, so the work of a killed
//! instance resumes elsewhere; a restarted instance releases its own leases at once.
//!
//! Outbox claims carry a fencing token that grows with every claim: an instance whose lease
//! passed to another can no longer mark the row, and the row is never marked twice.
//!
//! The SQL is written once with `$n` placeholders, which both SQLite and PostgreSQL read; only
//! the outbox claim differs (`FOR UPDATE SKIP LOCKED` on PostgreSQL, where claims run
//! concurrently; SQLite has one writer at a time). The implementation is one macro body for both back ends.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{OutboxRow, StoreResult};

#[async_trait]
pub trait LeaseStore: Send + Sync {
    /// Takes (or renews) `owner`'s lease on the feed until `until`; `false` while another
    /// instance holds an unexpired lease.
    async fn lease_feed(
        &self,
        feed_id: i64,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn release_feed(&self, feed_id: i64, owner: &str) -> StoreResult<()>;
    /// Drops every feed and outbox lease `owner` holds (called at start: whatever a previous
    /// run of this instance held is not being worked on any more). Returns how many.
    async fn release_leases(&self, owner: &str) -> StoreResult<u64>;

    /// Leases up to `limit` due messages to `owner` for `lease_secs`, oldest first, each with
    /// a new fencing token.
    async fn claim_outbox(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_secs: i64,
        limit: i64,
    ) -> StoreResult<Vec<OutboxRow>>;
    /// Marks a claimed message delivered; `false` when the claim was fenced off.
    async fn outbox_delivered(&self, id: i64, token: i64, at: DateTime<Utc>) -> StoreResult<bool>;
    async fn outbox_retry(
        &self,
        id: i64,
        token: i64,
        error: &str,
        next_at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn outbox_failed(&self, id: i64, token: i64, error: &str) -> StoreResult<bool>;
}

/// One conditional UPDATE on both back ends. On PostgreSQL a row another transaction is
/// updating (a cursor being saved, a feed state) is waited for, then the condition is checked
/// again on the committed row: skipping it (`SKIP LOCKED`) would report "another instance
/// holds the lease" for a feed nobody holds, and a poll would silently fetch nothing.
const LEASE_FEED: &str = "UPDATE feeds SET lease_owner = $1, lease_until = $2
    WHERE id = $3 AND (lease_owner IS NULL OR lease_owner = $1 OR lease_until IS NULL
                       OR lease_until <= $4)";
const RELEASE_FEED: &str =
    "UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2";
const RELEASE_FEEDS: &str =
    "UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1";
const RELEASE_OUTBOX: &str = "UPDATE outbox SET lease_owner = NULL, lease_until = NULL
    WHERE lease_owner = $1 AND status = 'pending'";
const CLAIM_OUTBOX: &str = "UPDATE outbox SET lease_until = $1, lease_owner = $4,
        lease_token = lease_token + 1, attempts = attempts + 1
    WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2
                 AND (lease_until IS NULL OR lease_until <= $2) ORDER BY id LIMIT $3)
    RETURNING id, key, channel, payload, attempts, lease_token";
const CLAIM_OUTBOX_PG: &str = "UPDATE outbox SET lease_until = $1, lease_owner = $4,
        lease_token = lease_token + 1, attempts = attempts + 1
    WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2
                 AND (lease_until IS NULL OR lease_until <= $2) ORDER BY id LIMIT $3
                 FOR UPDATE SKIP LOCKED)
    RETURNING id, key, channel, payload, attempts, lease_token";
const DELIVERED: &str = "UPDATE outbox SET status = 'delivered', delivered_at = $1,
        lease_until = NULL, lease_owner = NULL, last_error = NULL
    WHERE id = $2 AND lease_token = $3 AND status = 'pending'";
const RETRY: &str = "UPDATE outbox SET next_attempt_at = $1, lease_until = NULL,
        lease_owner = NULL, last_error = $2
    WHERE id = $3 AND lease_token = $4 AND status = 'pending'";
const FAILED: &str = "UPDATE outbox SET status = 'failed', lease_until = NULL, lease_owner = NULL,
        last_error = $1
    WHERE id = $2 AND lease_token = $3 AND status = 'pending'";

/// Implements [`LeaseStore`] for a store with a `writer()` pool, given its feed-lease and claim SQL.
macro_rules! lease_store {
    ($store:ty, $lease_feed:expr, $claim:expr) => {
        #[async_trait]
        impl LeaseStore for $store {
            async fn lease_feed(
                &self,
                feed_id: i64,
                owner: &str,
                now: DateTime<Utc>,
                until: DateTime<Utc>,
            ) -> StoreResult<bool> {
                let done = sqlx::query($lease_feed)
                    .bind(owner)
                    .bind(until.timestamp_millis())
                    .bind(feed_id)
                    .bind(now.timestamp_millis())
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                Ok(done.rows_affected() == 1)
            }

            async fn release_feed(&self, feed_id: i64, owner: &str) -> StoreResult<()> {
                sqlx::query(RELEASE_FEED)
                    .bind(feed_id)
                    .bind(owner)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                Ok(())
            }

            async fn release_leases(&self, owner: &str) -> StoreResult<u64> {
                let mut n = 0;
                for sql in [RELEASE_FEEDS, RELEASE_OUTBOX] {
                    let done = sqlx::query(sql)
                        .bind(owner)
                        .execute(self.writer())
                        .await
                        .map_err(db_err)?;
                    n += done.rows_affected();
                }
                Ok(n)
            }

            async fn claim_outbox(
                &self,
                owner: &str,
                now: DateTime<Utc>,
                lease_secs: i64,
                limit: i64,
            ) -> StoreResult<Vec<OutboxRow>> {
                let rows: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as($claim)
                    .bind(now.timestamp_millis() + lease_secs * 1000)
                    .bind(now.timestamp_millis())
                    .bind(limit)
                    .bind(owner)
                    .fetch_all(self.writer())
                    .await
                    .map_err(db_err)?;
                let mut rows: Vec<OutboxRow> = rows.into_iter().map(outbox_row).collect();
                rows.sort_by_key(|r| r.id);
                Ok(rows)
            }

            async fn outbox_delivered(
                &self,
                id: i64,
                token: i64,
                at: DateTime<Utc>,
            ) -> StoreResult<bool> {
                let done = sqlx::query(DELIVERED)
                    .bind(at.timestamp_millis())
                    .bind(id)
                    .bind(token)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                Ok(done.rows_affected() == 1)
            }

            async fn outbox_retry(
                &self,
                id: i64,
                token: i64,
                error: &str,
                next_at: DateTime<Utc>,
            ) -> StoreResult<bool> {
                let done = sqlx::query(RETRY)
                    .bind(next_at.timestamp_millis())
                    .bind(error)
                    .bind(id)
                    .bind(token)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                Ok(done.rows_affected() == 1)
            }

            async fn outbox_failed(&self, id: i64, token: i64, error: &str) -> StoreResult<bool> {
                let done = sqlx::query(FAILED)
                    .bind(error)
                    .bind(id)
                    .bind(token)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

fn outbox_row(
    (id, key, channel, payload, attempts, token): (i64, String, String, String, i64, i64),
) -> OutboxRow {
    OutboxRow {
        id,
        key,
        channel,
        payload,
        attempts,
        token,
    }
}

use super::postgres::PgStore;
use super::sqlite::{SqliteStore, db_err};

lease_store!(SqliteStore, LEASE_FEED, CLAIM_OUTBOX);
lease_store!(PgStore, LEASE_FEED, CLAIM_OUTBOX_PG);

/// The environment variable naming this instance (the owner of its leases).
pub const INSTANCE_VAR: &str = "VIGIA_INSTANCE_ID";

/// This instance's id: `VIGIA_INSTANCE_ID`, or else the host name. It must be stable across
/// restarts (so a restarted instance finds its own leases) and unique among running instances
/// (set `VIGIA_INSTANCE_ID` when running several on one host).
pub fn instance_id() -> String {
    std::env::var(INSTANCE_VAR)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::fs::read_to_string("/proc/sys/kernel/hostname")
                .ok()
                .map(|h| h.trim().to_owned())
                .filter(|h| !h.is_empty())
        })
        .unwrap_or_else(|| "vigia".to_owned())
}
