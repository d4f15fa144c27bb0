//! The ingest unit of work on SQLite.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

use std::collections::{HashMap, HashSet};

use super::links::{Group, link_mention, link_mentions};
use super::{db_err, helpdesk, ms, page, reads};
use super::{new_records, ticket_batch};
use crate::domain::{Analysis, Cursor, Identity, Mention};
use crate::storage::{
    KnownCustomer, MentionCtx, MentionFilter, MentionRow, RollupDelta, StoreResult, StoreTx,
    ThreadProbe, TicketDraft,
};

pub struct SqliteTx {
    pub(super) tx: Transaction<'static, Sqlite>,
}

#[async_trait]
impl StoreTx for SqliteTx {
    async fn insert_mentions(
        &mut self,
        ctx: &MentionCtx,
        items: &[(&Mention, &Analysis)],
        customers: &[Option<i64>],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Option<i64>>> {
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
            "UPDATE feeds SET cursor = COALESCE(?1, cursor), last_polled_at = ?2, last_success_at = ?2,
                consecutive_failures = 0, state = 'ok', mentions_total = mentions_total + ?3,
                last_mention_at = CASE WHEN ?3 > 0 THEN ?2 ELSE last_mention_at END WHERE id = ?4",
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
