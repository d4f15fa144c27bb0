//! Customer profiles, merges, ticket work and helpdesk bookkeeping, as the application sees
//! them (the ingest-side ticket statements live in [`StoreTx`](super::StoreTx)).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;
use crate::domain::{Identity, Incident, Ticket, TicketStatus};

/// A profile created through the API.
#[derive(Debug, Clone, Default)]
pub struct NewCustomer {
    pub external_ref: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lang: Option<String>,
    pub tier: Option<String>,
    pub notes: Option<String>,
    pub consent_contact: bool,
    pub consent_survey: bool,
    pub identities: Vec<Identity>,
}

/// One merge: which rows moved from `other_id` into `into_id`, so unmerge moves them back.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct MergeRecord {
    pub id: i64,
    pub into_id: i64,
    pub other_id: i64,
    pub actor: String,
    pub merged_at: DateTime<Utc>,
    pub identity_ids: Vec<i64>,
    pub mention_ids: Vec<i64>,
    pub ticket_ids: Vec<i64>,
    pub unmerged_at: Option<DateTime<Utc>>,
    pub unmerged_by: Option<String>,
}

/// A reply recorded on a ticket.
#[derive(Debug, Clone, Serialize)]
pub struct ReplyRow {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// The ticket's counterpart in an external helpdesk.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExternalRow {
    pub ticket_id: i64,
    pub connector: String,
    pub external_id: String,
    pub remote_status: Option<String>,
    pub synced_at: DateTime<Utc>,
}

/// Satisfaction answers of one brand.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct CsatSummary {
    pub brand: String,
    pub responses: i64,
    pub average: f64,
    /// Answers per score, index 0 = score 1.
    pub distribution: [i64; 5],
}

/// Mentions of one customer on one day (UTC) and their mean sentiment.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SentimentPoint {
    pub day: String,
    pub mentions: i64,
    pub average: f64,
}

#[async_trait]
pub trait HelpdeskStore: Send + Sync {
    /// Creates a profile with its identities; `Conflict` if an identity or ref is taken.
    async fn create_customer(&self, c: &NewCustomer, now: DateTime<Utc>) -> StoreResult<i64>;
    /// Adds an identity; `Conflict` if it belongs to another profile.
    async fn add_identity(&self, customer_id: i64, identity: &Identity) -> StoreResult<()>;
    /// Which profile owns each of these identities (those owned by nobody are left out).
    async fn identity_owners(&self, identities: &[Identity]) -> StoreResult<Vec<(Identity, i64)>>;
    /// Profiles whose `email` or `phone` column is one of these values.
    async fn customers_by_contact(
        &self,
        emails: &[String],
        phones: &[String],
    ) -> StoreResult<Vec<(String, i64)>>;
    /// Folds `other_id` into `into_id`: its identities, mentions and tickets move; nothing is
    /// deleted; the record says exactly what moved.
    async fn merge_customers(
        &self,
        into_id: i64,
        other_id: i64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<MergeRecord>;
    /// Moves back exactly what the merge moved and reactivates the other profile.
    async fn unmerge(
        &self,
        merge_id: i64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<MergeRecord>;
    async fn merge_record(&self, merge_id: i64) -> StoreResult<Option<MergeRecord>>;
    /// Merges in which the profile took part, newest first.
    async fn customer_merges(&self, customer_id: i64) -> StoreResult<Vec<MergeRecord>>;
    async fn customer_incidents(&self, customer_id: i64) -> StoreResult<Vec<Incident>>;
    /// Per day, of the customer's mentions of `brands` (`None`: all brands).
    async fn customer_sentiment_trend(
        &self,
        customer_id: i64,
        brands: Option<&[String]>,
    ) -> StoreResult<Vec<SentimentPoint>>;

    async fn ticket(&self, id: i64) -> StoreResult<Option<Ticket>>;
    /// Sets the status and the matching workflow times (solved, closed, pending since), and
    /// the resolution due time when given.
    async fn set_ticket_status(
        &self,
        id: i64,
        status: TicketStatus,
        resolution_due: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn assign_ticket(
        &self,
        id: i64,
        assignee: Option<&str>,
        team: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Records a reply; the first one is the ticket's first response (a new ticket opens).
    async fn add_reply(
        &self,
        ticket_id: i64,
        author: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Records a first response given elsewhere (an external helpdesk) if none is recorded.
    async fn mark_first_response(&self, ticket_id: i64, at: DateTime<Utc>) -> StoreResult<()>;
    async fn ticket_replies(&self, ticket_id: i64) -> StoreResult<Vec<ReplyRow>>;
    /// New, open and pending tickets that have an SLA clock.
    async fn active_tickets_with_sla(&self, limit: i64) -> StoreResult<Vec<Ticket>>;

    async fn ticket_external(&self, ticket_id: i64) -> StoreResult<Vec<ExternalRow>>;
    async fn set_ticket_external(&self, row: &ExternalRow) -> StoreResult<()>;
    /// External tickets of `connector` whose Vigía ticket is not closed.
    async fn externals_to_sync(&self, connector: &str, limit: i64)
    -> StoreResult<Vec<ExternalRow>>;

    /// Stores (or replaces) the satisfaction score of a ticket.
    async fn record_csat(&self, ticket_id: i64, score: u8, now: DateTime<Utc>) -> StoreResult<()>;
    async fn csat_by_brand(&self, brands: Option<&[String]>) -> StoreResult<Vec<CsatSummary>>;
}
