//! Persistence. Everything else talks to the [`Store`] trait; SQL lives only below this module,
//! and `sqlx::Error` is translated into [`StoreError`] here and nowhere else.
//!
//! Writes that must happen together (a page of mentions with their analyses, the incidents,
//! tickets and outbox rows they cause, and the feed's new cursor) go through one [`StoreTx`].

pub mod auth;
pub mod backend;
pub mod crisis;
pub mod dashboard;
pub mod feedback;
pub mod helpdesk;
pub mod leases;
pub mod postgres;
pub mod privacy;
pub mod quota;
pub mod rows;
pub mod sqlite;
pub mod war_room;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

use crate::domain::{Analysis, Cursor, Identity, Mention};
pub use crate::domain::{Customer, Incident, Ticket};
pub use auth::*;
pub use backend::{AnyStore, AnyTx};
pub use crisis::{CrisisStore, CrisisTx};
pub use dashboard::*;
pub use feedback::*;
pub use helpdesk::*;
pub use leases::LeaseStore;
pub use privacy::*;
pub use quota::QuotaStore;
pub use rows::*;
pub use war_room::{AuthorReach, WarRoomStore};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// A unique key is taken (e.g. a username).
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A customer profile found by one of its identities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownCustomer {
    pub id: i64,
    pub tier: Option<String>,
}

/// The database as the application sees it: one method per query.
#[async_trait]
pub trait Store:
    AuthStore
    + CrisisStore
    + DashboardStore
    + FeedbackStore
    + HelpdeskStore
    + LeaseStore
    + PrivacyStore
    + QuotaStore
    + WarRoomStore
    + Clone
    + Send
    + Sync
    + 'static
{
    type Tx: StoreTx;

    async fn migrate(&self) -> StoreResult<()>;
    async fn begin(&self) -> StoreResult<Self::Tx>;

    // Configuration mirrored into the database.
    async fn upsert_brand(&self, name: &str, display_name: &str, lang: &str) -> StoreResult<i64>;
    async fn upsert_feed(&self, name: &str, brand_id: i64, kind: &str) -> StoreResult<i64>;
    async fn feed_cursor(&self, feed_id: i64) -> StoreResult<Option<Cursor>>;
    async fn reset_feed_cursor(&self, feed_id: i64) -> StoreResult<()>;
    async fn record_feed_failure(
        &self,
        feed_id: i64,
        error: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn list_feeds(&self) -> StoreResult<Vec<FeedRow>>;
    /// Mentions ingested at or after `since`, per feed id.
    async fn feed_mentions_since(&self, since: DateTime<Utc>) -> StoreResult<Vec<(i64, i64)>>;
    /// Records the scheduler's view of a feed: its state and when it will poll next.
    async fn set_feed_state(
        &self,
        feed_id: i64,
        state: &str,
        next_run_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;

    // The outbox worker's claims are in [`LeaseStore`].

    // Customers.
    async fn import_customer(
        &self,
        customer: &CustomerImport,
        now: DateTime<Utc>,
    ) -> StoreResult<ImportOutcome>;

    // Reads for the API.
    async fn list_mentions(
        &self,
        filter: &MentionFilter,
        page: &PageRequest,
    ) -> StoreResult<Listing<MentionRow>>;
    async fn list_incidents(
        &self,
        filter: &IncidentFilter,
        page: &PageRequest,
    ) -> StoreResult<Listing<Incident>>;
    async fn list_tickets(
        &self,
        filter: &TicketFilter,
        page: &PageRequest,
    ) -> StoreResult<Listing<Ticket>>;
    async fn ticket_mention_ids(&self, ticket_id: i64) -> StoreResult<Vec<i64>>;
    /// [`Store::ticket_mention_ids`] of a page of tickets in one query: each ticket's mention
    /// ids in ascending order (a ticket without links is absent).
    async fn tickets_mention_ids(&self, tickets: &[i64]) -> StoreResult<HashMap<i64, Vec<i64>>>;
    async fn customer(&self, id: i64) -> StoreResult<Option<Customer>>;
    async fn customer_identities(&self, id: i64) -> StoreResult<Vec<Identity>>;
}

/// One unit of work; dropped without [`StoreTx::commit`] it rolls back.
#[async_trait]
pub trait StoreTx: CrisisTx + Send {
    /// Stores a page of mentions with their analyses in a few multi-row statements; per item,
    /// the new id or `None` for a duplicate (already stored, or earlier in the same page).
    /// Ids ascend in page order. `customers[i]`, when given, is the profile item `i` belongs
    /// to, written with the row (a shorter slice leaves the rest unlinked).
    async fn insert_mentions(
        &mut self,
        ctx: &MentionCtx,
        items: &[(&Mention, &Analysis)],
        customers: &[Option<i64>],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Option<i64>>>;
    /// Counts a page of stored mentions in the dashboard's rollup tables (summed per key).
    async fn bump_rollups_page(&mut self, deltas: &[RollupDelta]) -> StoreResult<()>;
    /// The profiles owning any of these identities, with their tiers, in one lookup.
    async fn find_customers(
        &mut self,
        identities: &[Identity],
    ) -> StoreResult<HashMap<Identity, KnownCustomer>>;
    /// Links each `(mention_id, customer_id)` pair in one statement per 500.
    async fn link_mentions_customers(&mut self, links: &[(i64, i64)]) -> StoreResult<()>;
    /// Mentions matching `filter`, newest first (as seen inside this transaction).
    async fn find_mentions(
        &mut self,
        filter: &MentionFilter,
        limit: i64,
    ) -> StoreResult<Vec<MentionRow>>;
    /// Adds a page of `(incident, mention, at)` links: each mention to each incident once (in
    /// one statement), keeping the incidents' counts and first and latest mention times
    /// current (in another).
    async fn attach_to_incidents(&mut self, links: &[(i64, i64, DateTime<Utc>)])
    -> StoreResult<()>;
    /// Queues a side effect; a second row with the same key is ignored.
    async fn enqueue_outbox(
        &mut self,
        key: &str,
        channel: &str,
        payload: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn find_customer(&mut self, identity: &Identity) -> StoreResult<Option<i64>>;
    async fn create_customer(
        &mut self,
        name: Option<&str>,
        identity: &Identity,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    async fn link_mention_customer(&mut self, mention_id: i64, customer_id: i64)
    -> StoreResult<()>;
    async fn open_ticket(&mut self, brand_id: i64, customer_id: i64) -> StoreResult<Option<i64>>;
    async fn create_ticket(&mut self, draft: &TicketDraft) -> StoreResult<i64>;
    /// [`StoreTx::create_customer`] for a whole page of `(name, identity)`, in a few multi-row
    /// statements; the new ids in input order.
    async fn create_customers(
        &mut self,
        new: &[(Option<&str>, &Identity)],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>>;
    /// [`StoreTx::create_ticket`] for a whole page of drafts, in a few multi-row statements;
    /// the new ids, ascending in input order.
    async fn create_tickets(&mut self, drafts: &[TicketDraft]) -> StoreResult<Vec<i64>>;
    async fn append_to_ticket(
        &mut self,
        ticket_id: i64,
        mention_id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// For a whole page in one query, each probe's mention id → the brand's newest active
    /// ticket holding the post it answers (`reply_to`) or a post of its thread (probes with
    /// neither have none).
    async fn tickets_in_threads(
        &mut self,
        brand_id: i64,
        probes: &[ThreadProbe<'_>],
    ) -> StoreResult<HashMap<i64, i64>>;
    /// For a whole page in one query, the ids of those `(id, customer, mention)` whose author
    /// already posted the same text about the brand, in a mention stored before them and
    /// linked to that customer profile (a page is stored before its tickets are decided, so
    /// later mentions of the same page do not count).
    async fn same_texts_seen(
        &mut self,
        brand_id: i64,
        mentions: &[(i64, i64, &Mention)],
    ) -> StoreResult<HashSet<i64>>;
    /// [`StoreTx::open_ticket`] for several customers in one query: customer → their newest
    /// active ticket of the brand.
    async fn open_tickets(
        &mut self,
        brand_id: i64,
        customers: &[i64],
    ) -> StoreResult<HashMap<i64, i64>>;
    /// [`StoreTx::append_to_ticket`] for a whole page of `(ticket, mention, at)`: each link made
    /// once, in one statement, and the tickets' counts and latest times in another.
    async fn append_to_tickets(&mut self, links: &[(i64, i64, DateTime<Utc>)]) -> StoreResult<()>;
    async fn customer_tier(&mut self, customer_id: i64) -> StoreResult<Option<String>>;
    /// Moves the feed's cursor and records a successful poll.
    async fn save_cursor(
        &mut self,
        feed_id: i64,
        cursor: Option<&Cursor>,
        stored: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn commit(self) -> StoreResult<()>;
}
