//! [`Store`] on [`AnyStore`]: each call goes to the chosen back end.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{AnyStore, AnyTx, dispatch};
use crate::domain::*;
use crate::storage::*;

#[async_trait]
impl Store for AnyStore {
    type Tx = AnyTx;

    async fn migrate(&self) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => Store::migrate(s))
    }
    async fn begin(&self) -> StoreResult<AnyTx> {
        Ok(match self {
            AnyStore::Sqlite(s) => AnyTx::Sqlite(s.begin().await?),
            AnyStore::Postgres(s) => AnyTx::Postgres(s.begin().await?),
        })
    }
    async fn upsert_brand(&self, name: &str, display_name: &str, lang: &str) -> StoreResult<i64> {
        dispatch!(AnyStore, self, s => Store::upsert_brand(s, name, display_name, lang))
    }
    async fn upsert_feed(&self, name: &str, brand_id: i64, kind: &str) -> StoreResult<i64> {
        dispatch!(AnyStore, self, s => Store::upsert_feed(s, name, brand_id, kind))
    }
    async fn feed_cursor(&self, feed_id: i64) -> StoreResult<Option<Cursor>> {
        dispatch!(AnyStore, self, s => Store::feed_cursor(s, feed_id))
    }
    async fn reset_feed_cursor(&self, feed_id: i64) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => Store::reset_feed_cursor(s, feed_id))
    }
    async fn record_feed_failure(
        &self,
        feed_id: i64,
        error: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => Store::record_feed_failure(s, feed_id, error, at))
    }
    async fn list_feeds(&self) -> StoreResult<Vec<FeedRow>> {
        dispatch!(AnyStore, self, s => Store::list_feeds(s))
    }
    async fn feed_mentions_since(&self, since: DateTime<Utc>) -> StoreResult<Vec<(i64, i64)>> {
        dispatch!(AnyStore, self, s => Store::feed_mentions_since(s, since))
    }
    async fn set_feed_state(
        &self,
        feed_id: i64,
        state: &str,
        next_run_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => Store::set_feed_state(s, feed_id, state, next_run_at))
    }
    async fn import_customer(
        &self,
        customer: &CustomerImport,
        now: DateTime<Utc>,
    ) -> StoreResult<ImportOutcome> {
        dispatch!(AnyStore, self, s => Store::import_customer(s, customer, now))
    }
    async fn list_mentions(
        &self,
        filter: &MentionFilter,
        page: &PageRequest,
    ) -> StoreResult<Listing<MentionRow>> {
        dispatch!(AnyStore, self, s => Store::list_mentions(s, filter, page))
    }
    async fn list_incidents(
        &self,
        filter: &IncidentFilter,
        page: &PageRequest,
    ) -> StoreResult<Listing<Incident>> {
        dispatch!(AnyStore, self, s => Store::list_incidents(s, filter, page))
    }
    async fn list_tickets(
        &self,
        filter: &TicketFilter,
        page: &PageRequest,
    ) -> StoreResult<Listing<Ticket>> {
        dispatch!(AnyStore, self, s => Store::list_tickets(s, filter, page))
    }
    async fn ticket_mention_ids(&self, ticket_id: i64) -> StoreResult<Vec<i64>> {
        dispatch!(AnyStore, self, s => Store::ticket_mention_ids(s, ticket_id))
    }
    async fn tickets_mention_ids(
        &self,
        tickets: &[i64],
    ) -> StoreResult<std::collections::HashMap<i64, Vec<i64>>> {
        dispatch!(AnyStore, self, s => Store::tickets_mention_ids(s, tickets))
    }
    async fn customer(&self, id: i64) -> StoreResult<Option<Customer>> {
        dispatch!(AnyStore, self, s => Store::customer(s, id))
    }
    async fn customer_identities(&self, id: i64) -> StoreResult<Vec<Identity>> {
        dispatch!(AnyStore, self, s => Store::customer_identities(s, id))
    }
}
