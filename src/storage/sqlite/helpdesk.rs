//! Customer and ticket statements of the ingest transaction.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::{db_err, ms};
use crate::domain::Identity;
use crate::storage::{StoreResult, TicketDraft};

/// A customer's newest active ticket of the brand (its plan is checked in `plans.rs`).
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

/// `n` unused ids of `table` for rows written by this transaction, ascending: the ones SQLite
/// would give them (one past the largest id, as `INTEGER PRIMARY KEY` without `AUTOINCREMENT`
/// does). Safe because the ingest transaction holds SQLite's one write lock.
pub(super) async fn reserve_ids(
    conn: &mut SqliteConnection,
    table: &'static str,
    n: usize,
) -> StoreResult<Vec<i64>> {
    let max: i64 = sqlx::query_scalar(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok((1..=n as i64).map(|k| max + k).collect())
}
