//! The ingest unit of work on PostgreSQL.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Postgres, Transaction};

use std::collections::{HashMap, HashSet};

use super::links::{Group, link_mention, link_mentions};
use super::{db_err, helpdesk, ms, page, reads};
use super::{new_records, ticket_batch};
use crate::domain::{Analysis, Cursor, Identity, Mention};
use crate::storage::{
    KnownCustomer, MentionCtx, MentionFilter, MentionRow, RollupDelta, StoreResult, StoreTx,
    ThreadProbe, TicketDraft,
};

pub struct PgTx {
    pub(super) tx: Transaction<'static, Postgres>,
    /// Brands whose advisory lock this transaction holds.
    pub(super) locked: Vec<i64>,
}

impl PgTx {
    /// Serializes the brand's crisis state across instances: the first write or incident read
    /// for a brand takes `pg_advisory_xact_lock(brand_id)`, held until commit or rollback, so
    /// two instances ingesting feeds of one brand see each other's incidents and raise one.
    pub(super) async fn lock_brand(&mut self, brand_id: i64) -> StoreResult<()> {
        if self.locked.contains(&brand_id) {
            return Ok(());
        }
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(brand_id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        self.locked.push(brand_id);
        Ok(())
    }

    /// Takes the lock of the incident's brand (none when there is no such incident).
    pub(super) async fn lock_incident_brand(&mut self, incident_id: i64) -> StoreResult<()> {
        let brand: Option<i64> = sqlx::query_scalar("SELECT brand_id FROM incidents WHERE id = $1")
            .bind(incident_id)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)?;
        match brand {
            Some(brand_id) => self.lock_brand(brand_id).await,
            None => Ok(()),
        }
    }
}

#[async_trait]
impl StoreTx for PgTx {
    async fn insert_mentions(
        &mut self,
        ctx: &MentionCtx,
        items: &[(&Mention, &Analysis)],
        customers: &[Option<i64>],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Option<i64>>> {
        self.lock_brand(ctx.brand_id).await?;
        page::insert_mentions(&mut self.tx, ctx, items, customers, now).await
    }

    async fn bump_rollups_page(&mut self, deltas: &[RollupDelta]) -> StoreResult<()> {
        page::bump_rollups(&mut self.tx, deltas).await
    }

    async fn find_customers(
        &mut self,
        identities: &[Identity],
    ) -> StoreResult<HashMap<Identity, KnownCustomer>> {
        page::find_customers(&mut self.tx, identities).await
    }

    async fn link_mentions_customers(&mut self, links: &[(i64, i64)]) -> StoreResult<()> {
        page::link_customers(&mut self.tx, links).await
    }

    async fn find_mentions(
        &mut self,
        filter: &MentionFilter,
        limit: i64,
    ) -> StoreResult<Vec<MentionRow>> {
        reads::mentions_by_filter(&mut self.tx, filter, limit, 0).await
    }

    async fn attach_to_incidents(
        &mut self,
        links: &[(i64, i64, DateTime<Utc>)],
    ) -> StoreResult<()> {
        link_mentions(&mut self.tx, Group::Incident, links).await
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
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING",
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
        helpdesk::find_customer(&mut self.tx, identity).await
    }
    async fn create_customer(
        &mut self,
        name: Option<&str>,
        identity: &Identity,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let ids = new_records::create_customers(&mut self.tx, &[(name, identity)], now).await?;
        Ok(ids[0])
    }
    async fn link_mention_customer(
        &mut self,
        mention_id: i64,
        customer_id: i64,
    ) -> StoreResult<()> {
        helpdesk::link_mention_customer(&mut self.tx, mention_id, customer_id).await
    }
    async fn open_ticket(&mut self, brand_id: i64, customer_id: i64) -> StoreResult<Option<i64>> {
        helpdesk::open_ticket(&mut self.tx, brand_id, customer_id).await
    }
    async fn create_ticket(&mut self, d: &TicketDraft) -> StoreResult<i64> {
        let ids = new_records::create_tickets(&mut self.tx, std::slice::from_ref(d)).await?;
        Ok(ids[0])
    }
    async fn create_customers(
        &mut self,
        new: &[(Option<&str>, &Identity)],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>> {
        new_records::create_customers(&mut self.tx, new, now).await
    }
    async fn create_tickets(&mut self, drafts: &[TicketDraft]) -> StoreResult<Vec<i64>> {
        new_records::create_tickets(&mut self.tx, drafts).await
    }
    async fn append_to_ticket(
        &mut self,
        ticket_id: i64,
        mention_id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        link_mention(&mut self.tx, Group::Ticket, ticket_id, mention_id, at).await
    }
    async fn tickets_in_threads(
        &mut self,
        brand_id: i64,
        probes: &[ThreadProbe<'_>],
    ) -> StoreResult<HashMap<i64, i64>> {
        ticket_batch::tickets_in_threads(&mut self.tx, brand_id, probes).await
    }
    async fn same_texts_seen(
        &mut self,
        brand_id: i64,
        mentions: &[(i64, i64, &Mention)],
    ) -> StoreResult<HashSet<i64>> {
        ticket_batch::same_texts_seen(&mut self.tx, brand_id, mentions).await
    }
    async fn open_tickets(
        &mut self,
        brand_id: i64,
        customers: &[i64],
    ) -> StoreResult<HashMap<i64, i64>> {
        ticket_batch::open_tickets(&mut self.tx, brand_id, customers).await
    }
    async fn append_to_tickets(&mut self, links: &[(i64, i64, DateTime<Utc>)]) -> StoreResult<()> {
        link_mentions(&mut self.tx, Group::Ticket, links).await
    }
    async fn customer_tier(&mut self, customer_id: i64) -> StoreResult<Option<String>> {
        helpdesk::customer_tier(&mut self.tx, customer_id).await
    }

    async fn save_cursor(
        &mut self,
        feed_id: i64,
        cursor: Option<&Cursor>,
        stored: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE feeds SET cursor = COALESCE($1, cursor), last_polled_at = $2, last_success_at = $2,
                consecutive_failures = 0, state = 'ok', mentions_total = mentions_total + $3,
                last_mention_at = CASE WHEN $3 > 0 THEN $2 ELSE last_mention_at END WHERE id = $4",
        )
        .bind(cursor.map(|c| c.0.as_str()))
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
