//! A brand's crisis epoch (`brands.crisis_epoch`): how many ingest pages and people's incident
//! actions have changed its crisis state, on every instance
//! ([`crate::storage::CrisisTx::crisis_epoch`]). The same SQL on both back ends; PostgreSQL's
//! caller takes the brand's lock first.

use super::{Conn, db_err};
use crate::storage::StoreResult;

pub(super) async fn get(conn: &mut Conn, brand_id: i64) -> StoreResult<i64> {
    sqlx::query_scalar("SELECT crisis_epoch FROM brands WHERE id = $1")
        .bind(brand_id)
        .fetch_one(conn)
        .await
        .map_err(db_err)
}

pub(super) async fn bump(conn: &mut Conn, brand_id: i64) -> StoreResult<i64> {
    sqlx::query_scalar(
        "UPDATE brands SET crisis_epoch = crisis_epoch + 1 WHERE id = $1 RETURNING crisis_epoch",
    )
    .bind(brand_id)
    .fetch_one(conn)
    .await
    .map_err(db_err)
}

/// Counts a person's action on the incident as a change of its brand's crisis state.
pub(super) async fn bump_for_incident(conn: &mut Conn, incident_id: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE brands SET crisis_epoch = crisis_epoch + 1
         WHERE id = (SELECT brand_id FROM incidents WHERE id = $1)",
    )
    .bind(incident_id)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}
