//! Customer and ticket statements of the ingest transaction.

use sqlx::PgConnection;

use super::db_err;
use crate::domain::Identity;
use crate::storage::StoreResult;

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
