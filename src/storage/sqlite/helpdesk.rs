//! Customer and ticket statements of the ingest transaction.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::{db_err, ms};
use crate::domain::Identity;
use crate::storage::{StoreResult, TicketDraft};

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
    sqlx::query_scalar(
        "SELECT id FROM tickets WHERE brand_id = ? AND customer_id = ? AND status = 'open'
         ORDER BY id DESC LIMIT 1",
    )
    .bind(brand_id)
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db_err)
}

pub(super) async fn create_ticket(
    conn: &mut SqliteConnection,
    d: &TicketDraft,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tickets (brand_id, customer_id, status, category, subject, opened_at, updated_at)
         VALUES (?, ?, 'open', ?, ?, ?, ?) RETURNING id",
    )
    .bind(d.brand_id)
    .bind(d.customer_id)
    .bind(&d.category)
    .bind(&d.subject)
    .bind(ms(d.opened_at))
    .bind(ms(d.opened_at))
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    super::tx::link_mention(
        conn,
        super::tx::Group::Ticket,
        id,
        d.mention_id,
        d.opened_at,
    )
    .await?;
    Ok(id)
}
