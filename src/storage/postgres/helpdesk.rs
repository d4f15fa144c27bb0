//! Customer and ticket statements of the ingest transaction.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::{db_err, ms};
use crate::domain::Identity;
use crate::storage::{StoreResult, TicketDraft};

pub(super) async fn find_customer(
    conn: &mut PgConnection,
    identity: &Identity,
) -> StoreResult<Option<i64>> {
    sqlx::query_scalar(
        "SELECT customer_id FROM customer_identities WHERE network = $1 AND value = $2",
    )
    .bind(&identity.network)
    .bind(&identity.value)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db_err)
}

pub(super) async fn create_customer(
    conn: &mut PgConnection,
    name: Option<&str>,
    identity: &Identity,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let id: i64 =
        sqlx::query_scalar("INSERT INTO customers (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(ms(now))
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err)?;
    sqlx::query(
        "INSERT INTO customer_identities (customer_id, network, value) VALUES ($1, $2, $3)",
    )
    .bind(id)
    .bind(&identity.network)
    .bind(&identity.value)
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(id)
}

pub(super) async fn link_mention_customer(
    conn: &mut PgConnection,
    mention_id: i64,
    customer_id: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE mentions SET customer_id = $1 WHERE id = $2")
        .bind(customer_id)
        .bind(mention_id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

pub(super) async fn open_ticket(
    conn: &mut PgConnection,
    brand_id: i64,
    customer_id: i64,
) -> StoreResult<Option<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM tickets WHERE brand_id = $1 AND customer_id = $2
         AND status IN ('new', 'open', 'pending') ORDER BY id DESC LIMIT 1",
    )
    .bind(brand_id)
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db_err)
}

pub(super) async fn create_ticket(conn: &mut PgConnection, d: &TicketDraft) -> StoreResult<i64> {
    // The ticket and the link to its first mention in one statement (one round trip).
    sqlx::query_scalar(
        "WITH t AS (
            INSERT INTO tickets (brand_id, customer_id, status, category, subject, opened_at,
                updated_at, priority, priority_factors, team, first_response_due,
                resolution_due, mention_count)
            VALUES ($1, $2, 'new', $3, $4, $5, $6, $7, $8, $9, $10, $11, 1) RETURNING id)
         INSERT INTO ticket_mentions (ticket_id, mention_id) SELECT id, $12 FROM t
         RETURNING ticket_id",
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
    .bind(d.mention_id)
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)
}

pub(super) async fn customer_tier(
    conn: &mut PgConnection,
    customer_id: i64,
) -> StoreResult<Option<String>> {
    let tier: Option<Option<String>> =
        sqlx::query_scalar("SELECT tier FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
    Ok(tier.flatten())
}

/// `n` unused ids of `table` from its identity sequence, ascending (other instances may take
/// ids in between: only their order matters to the callers).
pub(super) async fn reserve_ids(
    conn: &mut PgConnection,
    table: &'static str,
    n: usize,
) -> StoreResult<Vec<i64>> {
    let mut ids: Vec<i64> = sqlx::query_scalar(
        "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)",
    )
    .bind(table)
    .bind(n as i64)
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    ids.sort_unstable();
    Ok(ids)
}
