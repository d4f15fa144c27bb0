//! Database records (`FromRow`) and their conversion into the row types of `storage`.

use sqlx::FromRow;

use super::{from_ms, opt_from_ms};
use crate::domain::{IncidentStatus, Severity, TicketStatus};
use crate::storage::{Customer, FeedRow, Incident, MentionRow, StoreError, Ticket};

pub(in crate::storage) const MENTION_COLUMNS: &str =
    "SELECT m.id, b.name AS brand, f.name AS feed, m.source, m.external_id,
    m.created_at, m.text, m.author_handle, m.author_name, m.author_followers, m.url, m.likes,
    m.reposts, m.replies, m.reply_to, m.thread_id, m.is_repost, m.country, a.lang, a.compound, a.label, a.explanation, m.customer_id,
    (SELECT group_concat(category, ',') FROM (SELECT category FROM mention_categories c
        WHERE c.mention_id = m.id ORDER BY category)) AS categories
    FROM mentions m JOIN analyses a ON a.mention_id = m.id
    JOIN brands b ON b.id = m.brand_id JOIN feeds f ON f.id = m.feed_id";

#[derive(FromRow)]
pub(in crate::storage) struct MentionRecord {
    id: i64,
    brand: String,
    feed: String,
    source: String,
    external_id: String,
    created_at: i64,
    text: String,
    author_handle: String,
    author_name: Option<String>,
    author_followers: Option<i64>,
    url: Option<String>,
    likes: i64,
    reposts: i64,
    replies: i64,
    reply_to: Option<String>,
    thread_id: Option<String>,
    is_repost: bool,
    country: Option<String>,
    lang: String,
    compound: f64,
    label: String,
    explanation: String,
    customer_id: Option<i64>,
    categories: Option<String>,
}

impl From<MentionRecord> for MentionRow {
    fn from(r: MentionRecord) -> Self {
        MentionRow {
            id: r.id,
            brand: r.brand,
            feed: r.feed,
            source: r.source,
            external_id: r.external_id,
            created_at: from_ms(r.created_at),
            text: r.text,
            author_handle: r.author_handle,
            author_name: r.author_name,
            author_followers: r.author_followers,
            url: r.url,
            likes: r.likes,
            reposts: r.reposts,
            replies: r.replies,
            reply_to: r.reply_to,
            thread_id: r.thread_id,
            is_repost: r.is_repost,
            country: r.country,
            lang: r.lang,
            sentiment: r.compound,
            label: r.label,
            // Written by us as JSON; a row that is not (edited by hand) explains nothing.
            explanation: serde_json::from_str(&r.explanation).unwrap_or_default(),
            categories: r
                .categories
                .map(|c| c.split(',').map(str::to_owned).collect())
                .unwrap_or_default(),
            customer_id: r.customer_id,
        }
    }
}

pub(in crate::storage) const INCIDENT_COLUMNS: &str =
    "SELECT i.id, b.name AS brand, i.status, i.trigger,
    i.opened_at, i.last_mention_at, i.mention_count, i.severity, i.first_mention_at,
    i.acknowledged_by, i.acknowledged_at, i.resolved_by, i.resolved_at, i.resolve_proposed_at
    FROM incidents i JOIN brands b ON b.id = i.brand_id";

#[derive(FromRow)]
pub(in crate::storage) struct IncidentRecord {
    id: i64,
    brand: String,
    status: String,
    trigger: String,
    opened_at: i64,
    last_mention_at: i64,
    mention_count: i64,
    severity: String,
    first_mention_at: Option<i64>,
    acknowledged_by: Option<String>,
    acknowledged_at: Option<i64>,
    resolved_by: Option<String>,
    resolved_at: Option<i64>,
    resolve_proposed_at: Option<i64>,
}

impl TryFrom<IncidentRecord> for Incident {
    type Error = StoreError;

    fn try_from(r: IncidentRecord) -> Result<Self, StoreError> {
        Ok(Incident {
            id: r.id,
            brand: r.brand,
            status: IncidentStatus::parse(&r.status)
                .ok_or_else(|| StoreError::Corrupt(format!("incident status {}", r.status)))?,
            trigger: serde_json::from_str(&r.trigger)
                .map_err(|e| StoreError::Corrupt(format!("incident trigger: {e}")))?,
            opened_at: from_ms(r.opened_at),
            last_mention_at: from_ms(r.last_mention_at),
            mention_count: r.mention_count,
            severity: Severity::parse(&r.severity)
                .ok_or_else(|| StoreError::Corrupt(format!("incident severity {}", r.severity)))?,
            first_mention_at: opt_from_ms(r.first_mention_at),
            acknowledged_by: r.acknowledged_by,
            acknowledged_at: opt_from_ms(r.acknowledged_at),
            resolved_by: r.resolved_by,
            resolved_at: opt_from_ms(r.resolved_at),
            resolve_proposed_at: opt_from_ms(r.resolve_proposed_at),
        })
    }
}

pub(in crate::storage) const TICKET_COLUMNS: &str = "SELECT t.id, b.name AS brand, t.customer_id,
    c.name AS customer_name, c.external_ref AS customer_ref, t.status, t.category, t.subject,
    t.opened_at, t.updated_at, t.mention_count, t.priority, t.priority_factors, t.team,
    t.assignee, t.first_response_due, t.resolution_due, t.first_response_at, t.solved_at, t.pending_since
    FROM tickets t JOIN brands b ON b.id = t.brand_id JOIN customers c ON c.id = t.customer_id";

#[derive(FromRow)]
pub(in crate::storage) struct TicketRecord {
    id: i64,
    brand: String,
    customer_id: i64,
    customer_name: Option<String>,
    customer_ref: Option<String>,
    status: String,
    category: String,
    subject: String,
    opened_at: i64,
    updated_at: i64,
    mention_count: i64,
    priority: String,
    priority_factors: String,
    team: Option<String>,
    assignee: Option<String>,
    first_response_due: Option<i64>,
    resolution_due: Option<i64>,
    first_response_at: Option<i64>,
    solved_at: Option<i64>,
    pending_since: Option<i64>,
}

impl TryFrom<TicketRecord> for Ticket {
    type Error = StoreError;

    fn try_from(r: TicketRecord) -> Result<Self, StoreError> {
        Ok(Ticket {
            id: r.id,
            brand: r.brand,
            customer_id: r.customer_id,
            customer_name: r.customer_name,
            customer_ref: r.customer_ref,
            status: TicketStatus::parse(&r.status)
                .ok_or_else(|| StoreError::Corrupt(format!("ticket status {}", r.status)))?,
            category: r.category,
            subject: r.subject,
            opened_at: from_ms(r.opened_at),
            updated_at: from_ms(r.updated_at),
            mention_count: r.mention_count,
            priority: r.priority,
            priority_factors: serde_json::from_str(&r.priority_factors)
                .map_err(|e| StoreError::Corrupt(format!("ticket priority factors: {e}")))?,
            team: r.team,
            assignee: r.assignee,
            first_response_due: opt_from_ms(r.first_response_due),
            resolution_due: opt_from_ms(r.resolution_due),
            first_response_at: opt_from_ms(r.first_response_at),
            solved_at: opt_from_ms(r.solved_at),
            pending_since: opt_from_ms(r.pending_since),
        })
    }
}

#[derive(FromRow)]
pub(in crate::storage) struct CustomerRecord {
    id: i64,
    external_ref: Option<String>,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    lang: Option<String>,
    tier: Option<String>,
    created_at: i64,
    notes: Option<String>,
    consent_contact: bool,
    consent_survey: bool,
    merged_into: Option<i64>,
}

/// Columns of [`CustomerRecord`], in order.
pub(in crate::storage) const CUSTOMER_COLUMNS: &str =
    "SELECT id, external_ref, name, email, phone, lang, tier,
    created_at, notes, consent_contact, consent_survey, merged_into FROM customers";

impl From<CustomerRecord> for Customer {
    fn from(r: CustomerRecord) -> Self {
        Customer {
            id: r.id,
            external_ref: r.external_ref,
            name: r.name,
            email: r.email,
            phone: r.phone,
            lang: r.lang,
            tier: r.tier,
            created_at: from_ms(r.created_at),
            notes: r.notes,
            consent_contact: r.consent_contact,
            consent_survey: r.consent_survey,
            merged_into: r.merged_into,
        }
    }
}

#[derive(FromRow)]
pub(in crate::storage) struct FeedRecord {
    id: i64,
    name: String,
    brand: String,
    kind: String,
    last_polled_at: Option<i64>,
    last_success_at: Option<i64>,
    last_error: Option<String>,
    last_error_at: Option<i64>,
    consecutive_failures: i64,
    mentions_total: i64,
    state: String,
    next_run_at: Option<i64>,
    last_mention_at: Option<i64>,
}

impl From<FeedRecord> for FeedRow {
    fn from(r: FeedRecord) -> Self {
        FeedRow {
            id: r.id,
            name: r.name,
            brand: r.brand,
            kind: r.kind,
            last_polled_at: opt_from_ms(r.last_polled_at),
            last_success_at: opt_from_ms(r.last_success_at),
            last_error: r.last_error,
            last_error_at: opt_from_ms(r.last_error_at),
            consecutive_failures: r.consecutive_failures,
            mentions_total: r.mentions_total,
            state: r.state,
            next_run_at: opt_from_ms(r.next_run_at),
            last_mention_at: opt_from_ms(r.last_mention_at),
        }
    }
}
