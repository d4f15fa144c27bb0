//! Customer and ticket statements of the ingest transaction.

use sqlx::SqliteConnection;

use super::db_err;
use crate::domain::Identity;
use crate::storage::StoreResult;

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
