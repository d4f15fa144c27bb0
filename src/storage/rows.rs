//! Row and filter types exchanged with the [`Store`](super::Store).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::{IncidentStatus, SentimentLabel, TicketStatus, TokenValence};

/// The mention rows of items `start..start + chunk.len()` of a page, each with the profile it
/// is stored with (`customers[i]`; none past the slice's end).
pub(crate) fn with_customers<'a>(
    chunk: &[(&'a crate::domain::Mention, &crate::domain::Analysis)],
    customers: &[Option<i64>],
    start: usize,
) -> Vec<(&'a crate::domain::Mention, Option<i64>)> {
    chunk
        .iter()
        .enumerate()
        .map(|(i, (m, _))| (*m, customers.get(start + i).copied().flatten()))
        .collect()
}

/// The `text_hash` a mention row is stored with: the first 8 bytes of the SHA-256 of its
/// text. The index `mentions_customer (customer_id, text_hash)` then takes the
/// repeated-text lookup of ingest straight to a profile's earlier posts of the same text,
/// however many posts the profile has. Equal texts give equal hashes on every back end and
/// version; the lookup still compares the texts themselves.
pub(crate) fn text_hash(text: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    let mut head = [0u8; 8];
    head.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(head)
}

/// Where a mention being stored comes from.
#[derive(Debug, Clone, Copy)]
pub struct MentionCtx {
    pub brand_id: i64,
    pub feed_id: i64,
}

#[derive(utoipa::ToSchema, Debug, Clone, Serialize)]
pub struct MentionRow {
    pub id: i64,
    pub brand: String,
    pub feed: String,
    pub source: String,
    pub external_id: String,
    pub created_at: DateTime<Utc>,
    pub text: String,
    pub author_handle: String,
    pub author_name: Option<String>,
    pub author_followers: Option<i64>,
    pub url: Option<String>,
    pub likes: i64,
    pub reposts: i64,
    pub replies: i64,
    /// External id of the post this one answers, on the same network.
    pub reply_to: Option<String>,
    /// Conversation root, if the network gives one.
    pub thread_id: Option<String>,
    pub is_repost: bool,
    /// Country code (lowercase ISO 3166-1) where the network placed the post.
    pub country: Option<String>,
    pub lang: String,
    pub sentiment: f64,
    pub label: String,
    /// The words that moved the sentiment most, strongest first (see [`TokenValence`]).
    pub explanation: Vec<TokenValence>,
    pub categories: Vec<String>,
    pub customer_id: Option<i64>,
}

#[derive(utoipa::ToSchema, Debug, Clone, Serialize)]
pub struct FeedRow {
    pub id: i64,
    pub name: String,
    pub brand: String,
    pub kind: String,
    pub last_polled_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub consecutive_failures: i64,
    pub mentions_total: i64,
    /// `ok`, `backoff`, `rate_limited` or `auth_failed` (see `schedule::politeness`).
    pub state: String,
    /// When the scheduler will poll next, if it is running.
    pub next_run_at: Option<DateTime<Utc>>,
    /// When the feed last stored a new mention.
    pub last_mention_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub key: String,
    pub channel: String,
    pub payload: String,
    pub attempts: i64,
    /// Fencing token of this claim: marking the row delivered (or for retry) only counts
    /// while the row still carries it, i.e. no other instance has claimed it since.
    pub token: i64,
}

/// A customer profile read from an import file.
#[derive(Debug, Clone, Default)]
pub struct CustomerImport {
    pub external_ref: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lang: Option<String>,
    pub tier: Option<String>,
    pub identities: Vec<crate::domain::Identity>,
    pub notes: Option<String>,
    pub consent_contact: bool,
    pub consent_survey: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportOutcome {
    Created,
    Updated,
    /// The person was erased (a tombstone matched): nothing was imported.
    Erased,
}

/// A mention's conversation, to look up the ticket it belongs to: the post it answers and the
/// thread it is in (on its network).
#[derive(Debug, Clone, Copy)]
pub struct ThreadProbe<'a> {
    pub mention_id: i64,
    pub source: &'a str,
    pub reply_to: Option<&'a str>,
    pub thread_id: Option<&'a str>,
}

/// What a new ticket holds when it is created from its first mention.
#[derive(Debug, Clone)]
pub struct TicketDraft {
    pub brand_id: i64,
    pub customer_id: i64,
    pub category: String,
    pub subject: String,
    pub mention_id: i64,
    pub opened_at: DateTime<Utc>,
    pub priority: String,
    /// JSON array of the priority's factors.
    pub priority_factors: String,
    pub team: Option<String>,
    pub first_response_due: Option<DateTime<Utc>>,
    pub resolution_due: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default)]
pub struct MentionFilter {
    pub brand: Option<String>,
    /// Brand scope of the caller: only these brands (`None`: all; empty: none).
    pub scope: Option<Vec<String>>,
    pub label: Option<SentimentLabel>,
    pub category: Option<String>,
    pub lang: Option<String>,
    pub since: Option<DateTime<Utc>>,
    /// Only mentions created at or before this time.
    pub until: Option<DateTime<Utc>>,
    /// Case-insensitive substring of the text.
    pub text: Option<String>,
    pub customer_id: Option<i64>,
    pub ids: Option<Vec<i64>>,
    /// Only mentions stored after the one with this id (the live stream's position).
    pub after_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    pub brand: Option<String>,
    /// Brand scope of the caller: only these brands (`None`: all; empty: none).
    pub scope: Option<Vec<String>>,
    pub status: Option<IncidentStatus>,
}

#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub brand: Option<String>,
    /// Brand scope of the caller: only these brands (`None`: all; empty: none).
    pub scope: Option<Vec<String>>,
    pub status: Option<TicketStatus>,
    pub customer_id: Option<i64>,
    pub priority: Option<String>,
    pub team: Option<String>,
    pub assignee: Option<String>,
    pub category: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub limit: i64,
    pub offset: i64,
}

#[derive(utoipa::ToSchema, Debug, Clone, Serialize)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub total: i64,
}
