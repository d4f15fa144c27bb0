//! Customer and ticket statements of the ingest transaction.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::{db_err, ms};
use crate::domain::Identity;
use crate::storage::{StoreResult, TicketDraft};

/// The hot lookups of a page's ticket decisions (their plans are checked in `plans.rs`).
/// `CROSS JOIN` keeps SQLite's join order: from the conversation's mentions to their tickets
/// by primary key. With a plain JOIN the planner may walk all of the brand's tickets instead
/// (38 ms a lookup at 100,000 tickets).
pub(super) const TICKET_IN_THREAD: &str =
    "SELECT MAX(t.id) FROM ticket_mentions tm CROSS JOIN tickets t
         WHERE t.id = tm.ticket_id AND tm.mention_id IN (
             SELECT id FROM mentions WHERE source = ?2 AND external_id IN (?3, ?4)
             UNION ALL
             SELECT id FROM mentions WHERE source = ?2 AND thread_id = ?4)
           AND t.brand_id = ?1 AND t.status IN ('new', 'open', 'pending')";
pub(super) const SAME_TEXT_SEEN: &str =
    "SELECT COUNT(*) FROM mentions WHERE brand_id = ? AND source = ? AND author_handle = ?
         AND text = ? AND id < ?";
pub(super) const OPEN_TICKET: &str =
    "SELECT MAX(id) FROM tickets WHERE customer_id = ? AND brand_id = ?
         AND status IN ('new', 'open', 'pending')";

pub(super) async fn find_customer(
    conn: &mut SqliteConnection,
    identity: &Identity,
) -> StoreResult<Option<i64>> {
    sqlx::query_scalar(
        "SELECT customer_id FROM customer_identities WHERE network = ? AND value = ?",
    )
    .bind(&identity.network)
    .bind(&identity.value)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db_err)
}

pub(super) async fn create_customer(
    conn: &mut SqliteConnection,
    name: Option<&str>,
    identity: &Identity,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let id: i64 =
        sqlx::query_scalar("INSERT INTO customers (name, created_at) VALUES (?, ?) RETURNING id")
            .bind(name)
            .bind(ms(now))
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err)?;
    sqlx::query("INSERT INTO customer_identities (customer_id, network, value) VALUES (?, ?, ?)")
        .bind(id)
        .bind(&identity.network)
        .bind(&identity.value)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(id)
}

pub(super) async fn link_mention_customer(
    conn: &mut SqliteConnection,
    mention_id: i64,
    customer_id: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE mentions SET customer_id = ? WHERE id = ?")
        .bind(customer_id)
        .bind(mention_id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

pub(super) async fn open_ticket(
    conn: &mut SqliteConnection,
    brand_id: i64,
    customer_id: i64,
) -> StoreResult<Option<i64>> {
    sqlx::query_scalar(OPEN_TICKET)
        .bind(customer_id)
        .bind(brand_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)
}

pub(super) async fn create_ticket(
    conn: &mut SqliteConnection,
    d: &TicketDraft,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tickets (brand_id, customer_id, status, category, subject, opened_at,
            updated_at, priority, priority_factors, team, first_response_due, resolution_due,
            mention_count)
         VALUES (?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
    )
    .bind(d.brand_id)
    .bind(d.customer_id)
    .bind(&d.category)
    .bind(&d.subject)
    .bind(ms(d.opened_at))
    .bind(ms(d.opened_at))
    .bind(&d.priority)
    .bind(&d.priority_factors)
    .bind(&d.team)
    .bind(d.first_response_due.map(ms))
    .bind(d.resolution_due.map(ms))
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    // A new ticket's first link cannot exist yet: its count starts at 1 above.
    sqlx::query("INSERT INTO ticket_mentions (ticket_id, mention_id) VALUES (?, ?)")
        .bind(id)
        .bind(d.mention_id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(id)
}

/// The active ticket of the brand holding a post of the same conversation: the post this one
/// answers (`reply_to`) or another post of its thread.
pub(super) async fn ticket_in_thread(
    conn: &mut SqliteConnection,
    brand_id: i64,
    source: &str,
    reply_to: Option<&str>,
    thread_id: Option<&str>,
) -> StoreResult<Option<i64>> {
    if reply_to.is_none() && thread_id.is_none() {
        return Ok(None);
    }
    // Mentions first (by their unique key or the thread index), then their tickets: the cost
    // is that of the conversation, never of the tickets table.
    let id: Option<i64> = sqlx::query_scalar(TICKET_IN_THREAD)
        .bind(brand_id)
        .bind(source)
        .bind(reply_to)
        .bind(thread_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(id)
}

/// Whether the same author already posted exactly this text about the brand, in a mention
/// stored before `mention_id` (a page is stored before its tickets are decided, so later
/// mentions of the same page must not count).
pub(super) async fn same_text_seen(
    conn: &mut SqliteConnection,
    brand_id: i64,
    source: &str,
    handle: &str,
    text: &str,
    mention_id: i64,
) -> StoreResult<bool> {
    let n: i64 = sqlx::query_scalar(SAME_TEXT_SEEN)
        .bind(brand_id)
        .bind(source)
        .bind(handle)
        .bind(text)
        .bind(mention_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(n > 0)
}

pub(super) async fn customer_tier(
    conn: &mut SqliteConnection,
    customer_id: i64,
) -> StoreResult<Option<String>> {
    let tier: Option<Option<String>> =
        sqlx::query_scalar("SELECT tier FROM customers WHERE id = ?")
            .bind(customer_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
    Ok(tier.flatten())
}
