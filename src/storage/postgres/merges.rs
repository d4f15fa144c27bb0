//! Merging customer profiles and undoing a merge. Nothing is deleted: the rows that move are
//! listed in `customer_merges`, and unmerge moves exactly those back.

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, PgPool};

use super::{db_err, from_ms, ms, opt_from_ms};
use crate::storage::{MergeRecord, StoreError, StoreResult};

const MERGE_COLUMNS: &str = "SELECT id, into_id, other_id, actor, merged_at, identity_ids,
    mention_ids, ticket_ids, unmerged_at, unmerged_by FROM customer_merges";

#[derive(FromRow)]
struct MergeDbRow {
    id: i64,
    into_id: i64,
    other_id: i64,
    actor: String,
    merged_at: i64,
    identity_ids: String,
    mention_ids: String,
    ticket_ids: String,
    unmerged_at: Option<i64>,
    unmerged_by: Option<String>,
}

impl TryFrom<MergeDbRow> for MergeRecord {
    type Error = StoreError;
    fn try_from(r: MergeDbRow) -> Result<Self, StoreError> {
        let ids = |s: &str| {
            serde_json::from_str::<Vec<i64>>(s)
                .map_err(|e| StoreError::Corrupt(format!("merge {} ids: {e}", r.id)))
        };
        Ok(MergeRecord {
            id: r.id,
            into_id: r.into_id,
            other_id: r.other_id,
            actor: r.actor.clone(),
            merged_at: from_ms(r.merged_at),
            identity_ids: ids(&r.identity_ids)?,
            mention_ids: ids(&r.mention_ids)?,
            ticket_ids: ids(&r.ticket_ids)?,
            unmerged_at: opt_from_ms(r.unmerged_at),
            unmerged_by: r.unmerged_by.clone(),
        })
    }
}

/// The three tables whose rows follow a customer.
const OWNED: [&str; 3] = ["customer_identities", "mentions", "tickets"];

async fn active_customer(conn: &mut PgConnection, id: i64) -> StoreResult<()> {
    let merged: Option<Option<i64>> =
        sqlx::query_scalar("SELECT merged_into FROM customers WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
    match merged {
        None => Err(StoreError::NotFound(format!("customer {id}"))),
        Some(Some(into)) => Err(StoreError::Conflict(format!(
            "customer {id} is already merged into {into}"
        ))),
        Some(None) => Ok(()),
    }
}

pub(super) async fn merge(
    pool: &PgPool,
    into_id: i64,
    other_id: i64,
    actor: &str,
    now: DateTime<Utc>,
) -> StoreResult<MergeRecord> {
    if into_id == other_id {
        return Err(StoreError::Conflict(
            "a profile cannot merge into itself".into(),
        ));
    }
    let mut tx = pool.begin().await.map_err(db_err)?;
    active_customer(&mut tx, into_id).await?;
    active_customer(&mut tx, other_id).await?;
    let mut moved: Vec<String> = Vec::with_capacity(3);
    for table in OWNED {
        let ids: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM {table} WHERE customer_id = $1 ORDER BY id"
        ))
        .bind(other_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query(&format!(
            "UPDATE {table} SET customer_id = $1 WHERE customer_id = $2"
        ))
        .bind(into_id)
        .bind(other_id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        moved.push(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()));
    }
    sqlx::query("UPDATE customers SET merged_into = $1 WHERE id = $2")
        .bind(into_id)
        .bind(other_id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customer_merges (into_id, other_id, actor, merged_at, identity_ids,
            mention_ids, ticket_ids) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(into_id)
    .bind(other_id)
    .bind(actor)
    .bind(ms(now))
    .bind(&moved[0])
    .bind(&moved[1])
    .bind(&moved[2])
    .fetch_one(&mut *tx)
    .await
    .map_err(db_err)?;
    let record = fetch(&mut tx, id).await?;
    tx.commit().await.map_err(db_err)?;
    record.ok_or_else(|| StoreError::NotFound(format!("merge {id}")))
}

pub(super) async fn unmerge(
    pool: &PgPool,
    merge_id: i64,
    actor: &str,
    now: DateTime<Utc>,
) -> StoreResult<MergeRecord> {
    let mut tx = pool.begin().await.map_err(db_err)?;
    let record = fetch(&mut tx, merge_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("merge {merge_id}")))?;
    if record.unmerged_at.is_some() {
        return Err(StoreError::Conflict(format!(
            "merge {merge_id} was already undone"
        )));
    }
    let lists = [
        &record.identity_ids,
        &record.mention_ids,
        &record.ticket_ids,
    ];
    for (table, ids) in OWNED.iter().zip(lists) {
        // Only rows still on the surviving profile move back (a later merge may have moved
        // some elsewhere; those stay where that merge put them).
        sqlx::query(&format!(
            "UPDATE {table} SET customer_id = $1 WHERE customer_id = $2
             AND id IN (SELECT value::INT8 FROM jsonb_array_elements_text($3::jsonb))"
        ))
        .bind(record.other_id)
        .bind(record.into_id)
        .bind(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    }
    sqlx::query("UPDATE customers SET merged_into = NULL WHERE id = $1")
        .bind(record.other_id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    sqlx::query("UPDATE customer_merges SET unmerged_at = $1, unmerged_by = $2 WHERE id = $3")
        .bind(ms(now))
        .bind(actor)
        .bind(merge_id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    let done = fetch(&mut tx, merge_id).await?;
    tx.commit().await.map_err(db_err)?;
    done.ok_or_else(|| StoreError::NotFound(format!("merge {merge_id}")))
}

pub(super) async fn fetch(conn: &mut PgConnection, id: i64) -> StoreResult<Option<MergeRecord>> {
    let row: Option<MergeDbRow> = sqlx::query_as(&format!("{MERGE_COLUMNS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?;
    row.map(MergeRecord::try_from).transpose()
}

pub(super) async fn of_customer(
    conn: &mut PgConnection,
    customer_id: i64,
) -> StoreResult<Vec<MergeRecord>> {
    let rows: Vec<MergeDbRow> = sqlx::query_as(&format!(
        "{MERGE_COLUMNS} WHERE into_id = $1 OR other_id = $1 ORDER BY id DESC"
    ))
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    rows.into_iter().map(MergeRecord::try_from).collect()
}
