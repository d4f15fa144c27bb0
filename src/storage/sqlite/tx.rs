//! The ingest unit of work on SQLite.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

use super::{db_err, from_ms, ms, reads};
use crate::domain::{Analysis, Cursor, Identity, Incident, IncidentStatus, Mention, Trigger};
use crate::storage::{
    MentionCtx, MentionFilter, MentionRow, StoreError, StoreResult, StoreTx, TicketDraft,
};

pub struct SqliteTx {
    pub(super) tx: Transaction<'static, Sqlite>,
}

#[async_trait]
impl StoreTx for SqliteTx {
    async fn insert_mention(
        &mut self,
        ctx: &MentionCtx,
        m: &Mention,
        a: &Analysis,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO mentions (brand_id, feed_id, source, external_id, created_at, ingested_at,
                text, author_handle, author_name, author_followers, url, likes, reposts, replies)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (source, external_id) DO NOTHING RETURNING id",
        )
        .bind(ctx.brand_id)
        .bind(ctx.feed_id)
        .bind(&m.source)
        .bind(&m.external_id)
        .bind(ms(m.created_at))
        .bind(ms(now))
        .bind(&m.text)
        .bind(&m.author.handle)
        .bind(&m.author.name)
        .bind(m.author.followers)
        .bind(&m.url)
        .bind(m.likes)
        .bind(m.reposts)
        .bind(m.replies)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db_err)?;
        let Some(id) = id else { return Ok(None) };
        sqlx::query(
            "INSERT INTO analyses (mention_id, lang, compound, pos, neu, neg, label, brand_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(a.lang.code())
        .bind(a.sentiment.compound)
        .bind(a.sentiment.pos)
        .bind(a.sentiment.neu)
        .bind(a.sentiment.neg)
        .bind(a.label.as_str())
        .bind(ctx.brand_id)
        .bind(ms(m.created_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        for category in &a.categories {
            sqlx::query(
                "INSERT OR IGNORE INTO mention_categories (mention_id, category) VALUES (?, ?)",
            )
            .bind(id)
            .bind(category)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        }
        Ok(Some(id))
    }

    async fn mention(&mut self, id: i64) -> StoreResult<Option<MentionRow>> {
        let filter = MentionFilter {
            ids: Some(vec![id]),
            ..Default::default()
        };
        Ok(reads::mentions_by_filter(&mut self.tx, &filter, 1, 0)
            .await?
            .pop())
    }

    async fn count_negative(
        &mut self,
        brand_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM analyses
             WHERE brand_id = ? AND label = 'negative' AND created_at > ? AND created_at <= ?",
        )
        .bind(brand_id)
        .bind(ms(from))
        .bind(ms(to))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn recent_negative(
        &mut self,
        brand_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<MentionRow>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT mention_id FROM analyses
             WHERE brand_id = ? AND label = 'negative' AND created_at > ? AND created_at <= ?
             ORDER BY created_at DESC, mention_id DESC LIMIT ?",
        )
        .bind(brand_id)
        .bind(ms(from))
        .bind(ms(to))
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        let filter = MentionFilter {
            ids: Some(ids),
            ..Default::default()
        };
        reads::mentions_by_filter(&mut self.tx, &filter, limit, 0).await
    }

    async fn active_incident(&mut self, brand_id: i64) -> StoreResult<Option<Incident>> {
        let row: Option<(i64, String, String, String, i64, i64, i64, String)> = sqlx::query_as(
            "SELECT i.id, b.name, i.status, i.trigger, i.opened_at, i.last_mention_at, i.mention_count, b.lang
             FROM incidents i JOIN brands b ON b.id = i.brand_id
             WHERE i.brand_id = ? AND i.status != 'resolved' ORDER BY i.id DESC LIMIT 1",
        )
        .bind(brand_id)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db_err)?;
        row.map(|(id, brand, status, trigger, opened, last, count, _)| {
            Ok(Incident {
                id,
                brand,
                status: IncidentStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("incident status {status}")))?,
                trigger: serde_json::from_str(&trigger)
                    .map_err(|e| StoreError::Corrupt(format!("incident trigger: {e}")))?,
                opened_at: from_ms(opened),
                last_mention_at: from_ms(last),
                mention_count: count,
            })
        })
        .transpose()
    }

    async fn create_incident(
        &mut self,
        brand_id: i64,
        trigger: &Trigger,
        opened_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let trigger_json =
            serde_json::to_string(trigger).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query_scalar(
            "INSERT INTO incidents (brand_id, status, trigger_kind, trigger, opened_at, last_mention_at, created_at)
             VALUES (?, 'open', ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(brand_id)
        .bind(trigger.kind())
        .bind(trigger_json)
        .bind(ms(opened_at))
        .bind(ms(opened_at))
        .bind(ms(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn attach_to_incident(
        &mut self,
        incident_id: i64,
        mention_id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let inserted = sqlx::query(
            "INSERT OR IGNORE INTO incident_mentions (incident_id, mention_id) VALUES (?, ?)",
        )
        .bind(incident_id)
        .bind(mention_id)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?
        .rows_affected();
        sqlx::query(
            "UPDATE incidents SET mention_count = mention_count + ?,
                last_mention_at = MAX(last_mention_at, ?) WHERE id = ?",
        )
        .bind(inserted as i64)
        .bind(ms(at))
        .bind(incident_id)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn enqueue_outbox(
        &mut self,
        key: &str,
        channel: &str,
        payload: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO outbox (key, channel, payload, next_attempt_at, created_at)
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(channel)
        .bind(payload)
        .bind(ms(now))
        .bind(ms(now))
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn find_customer(&mut self, identity: &Identity) -> StoreResult<Option<i64>> {
        sqlx::query_scalar(
            "SELECT customer_id FROM customer_identities WHERE network = ? AND value = ?",
        )
        .bind(&identity.network)
        .bind(&identity.value)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn create_customer(
        &mut self,
        name: Option<&str>,
        identity: &Identity,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO customers (name, created_at) VALUES (?, ?) RETURNING id",
        )
        .bind(name)
        .bind(ms(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO customer_identities (customer_id, network, value) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(&identity.network)
        .bind(&identity.value)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(id)
    }

    async fn link_mention_customer(
        &mut self,
        mention_id: i64,
        customer_id: i64,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE mentions SET customer_id = ? WHERE id = ?")
            .bind(customer_id)
            .bind(mention_id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn open_ticket(&mut self, brand_id: i64, customer_id: i64) -> StoreResult<Option<i64>> {
        sqlx::query_scalar(
            "SELECT id FROM tickets WHERE brand_id = ? AND customer_id = ? AND status = 'open'
             ORDER BY id DESC LIMIT 1",
        )
        .bind(brand_id)
        .bind(customer_id)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn create_ticket(&mut self, d: &TicketDraft) -> StoreResult<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tickets (brand_id, customer_id, status, category, subject, opened_at, updated_at)
             VALUES (?, ?, 'open', ?, ?, ?, ?) RETURNING id",
        )
        .bind(d.brand_id)
        .bind(d.customer_id)
        .bind(&d.category)
        .bind(&d.subject)
        .bind(ms(d.opened_at))
        .bind(ms(d.opened_at))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)?;
        self.append_to_ticket(id, d.mention_id, d.opened_at).await?;
        Ok(id)
    }

    async fn append_to_ticket(
        &mut self,
        ticket_id: i64,
        mention_id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let inserted = sqlx::query(
            "INSERT OR IGNORE INTO ticket_mentions (ticket_id, mention_id) VALUES (?, ?)",
        )
        .bind(ticket_id)
        .bind(mention_id)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?
        .rows_affected();
        sqlx::query(
            "UPDATE tickets SET mention_count = mention_count + ?, updated_at = MAX(updated_at, ?) WHERE id = ?",
        )
        .bind(inserted as i64)
        .bind(ms(at))
        .bind(ticket_id)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn save_cursor(
        &mut self,
        feed_id: i64,
        cursor: Option<&Cursor>,
        stored: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE feeds SET cursor = COALESCE(?, cursor), last_polled_at = ?, last_success_at = ?,
                consecutive_failures = 0, mentions_total = mentions_total + ? WHERE id = ?",
        )
        .bind(cursor.map(|c| c.0.as_str()))
        .bind(ms(now))
        .bind(ms(now))
        .bind(stored)
        .bind(feed_id)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await.map_err(db_err)
    }
}
