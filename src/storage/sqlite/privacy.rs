//! [`PrivacyStore`] for SQLite.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{SqliteStore, db_err, ms};
use crate::storage::{ErasureReport, PrivacyStore, StoreResult};

/// Mentions that belong to customer `?1`: linked to them, or written from one of their
/// identities (an identity's network is the mention's source; handles compare without case).
const THEIR_MENTIONS: &str = "customer_id = ?1 OR EXISTS (
    SELECT 1 FROM customer_identities ci WHERE ci.customer_id = ?1
    AND ci.network = mentions.source AND lower(ci.value) = lower(mentions.author_handle))";

#[async_trait]
impl PrivacyStore for SqliteStore {
    async fn erase_customer(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ErasureReport>> {
        let mut tx = self
            .writer()
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db_err)?;
        let erased: Option<Option<i64>> =
            sqlx::query_scalar("SELECT erased_at FROM customers WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        match erased {
            None => return Ok(None),
            Some(Some(_)) => return Ok(Some(ErasureReport::already(id))),
            Some(None) => {}
        }
        super::tombstones::bury(&mut tx, id, now).await?;
        // The words that explained a score quote the post (e.g. symptoms): health data.
        sqlx::query(&format!(
            "UPDATE analyses SET explanation = '[]' WHERE mention_id IN
                (SELECT id FROM mentions WHERE {THEIR_MENTIONS})"
        ))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let mentions = sqlx::query(&format!(
            "UPDATE mentions SET text = '', text_hash = NULL, author_handle = 'erased',
                author_name = NULL, author_followers = NULL, url = NULL, reply_to = NULL,
                thread_id = NULL, erased_at = ?2
             WHERE erased_at IS NULL AND ({THEIR_MENTIONS})"
        ))
        .bind(id)
        .bind(ms(now))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?
        .rows_affected();
        let tickets = sqlx::query("UPDATE tickets SET subject = '' WHERE customer_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        // Replies to the person may name them (helpdesk, migration 0006): keep the rows (the
        // first-response times stay right), drop the words.
        sqlx::query(
            "UPDATE ticket_replies SET body = '' WHERE ticket_id IN
                (SELECT id FROM tickets WHERE customer_id = ?)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let identities = sqlx::query("DELETE FROM customer_identities WHERE customer_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        sqlx::query(
            "UPDATE customers SET external_ref = NULL, name = NULL, email = NULL, phone = NULL,
                notes = NULL, erased_at = ? WHERE id = ?",
        )
        .bind(ms(now))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(Some(ErasureReport {
            customer_id: id,
            mentions,
            identities,
            tickets,
            already_erased: false,
        }))
    }

    async fn purge_mentions(&self, cutoff: DateTime<Utc>, batch: i64) -> StoreResult<u64> {
        let done = sqlx::query(
            "DELETE FROM mentions WHERE id IN (
                SELECT id FROM mentions WHERE created_at < ? ORDER BY created_at LIMIT ?)",
        )
        .bind(ms(cutoff))
        .bind(batch)
        .execute(self.writer())
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn install_id(&self) -> StoreResult<String> {
        sqlx::query_scalar("SELECT value FROM install WHERE key = 'id'")
            .fetch_one(self.pool())
            .await
            .map_err(db_err)
    }

    async fn purge_outbox(&self, cutoff: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query(
            "DELETE FROM outbox WHERE status IN ('delivered', 'failed') AND created_at < ?",
        )
        .bind(ms(cutoff))
        .execute(self.writer())
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
