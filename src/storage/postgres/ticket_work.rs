//! Ticket statements outside the ingest transaction: workflow, replies, SLA scan, external
//! helpdesk references and satisfaction answers.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::records::{TICKET_COLUMNS, TicketRecord};
use super::{db_err, from_ms, ms};
use crate::domain::{Ticket, TicketStatus};
use crate::storage::{CsatSummary, ExternalRow, ReplyRow, StoreError, StoreResult};

pub(super) async fn ticket(pool: &PgPool, id: i64) -> StoreResult<Option<Ticket>> {
    let sql = format!("{TICKET_COLUMNS} WHERE t.id = $1");
    let row: Option<TicketRecord> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(db_err)?;
    row.map(Ticket::try_from).transpose()
}

fn found(rows: u64, id: i64) -> StoreResult<()> {
    if rows == 0 {
        Err(StoreError::NotFound(format!("ticket {id}")))
    } else {
        Ok(())
    }
}

pub(super) async fn set_status(
    pool: &PgPool,
    id: i64,
    status: TicketStatus,
    resolution_due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let at = ms(now);
    let r = sqlx::query(
        "UPDATE tickets SET status = $1, updated_at = GREATEST(updated_at, $2),
            solved_at = CASE WHEN $1 = 'solved' THEN $2 WHEN $1 IN ('open', 'pending') THEN NULL
                             ELSE solved_at END,
            closed_at = CASE WHEN $1 = 'closed' THEN $2 ELSE closed_at END,
            pending_since = CASE WHEN $1 = 'pending' THEN COALESCE(pending_since, $2) END,
            resolution_due = COALESCE($4, resolution_due)
         WHERE id = $3",
    )
    .bind(status.as_str())
    .bind(at)
    .bind(id)
    .bind(resolution_due.map(ms))
    .execute(pool)
    .await
    .map_err(db_err)?;
    found(r.rows_affected(), id)
}

pub(super) async fn assign(
    pool: &PgPool,
    id: i64,
    assignee: Option<&str>,
    team: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let r = sqlx::query(
        "UPDATE tickets SET assignee = $1, team = COALESCE($2, team),
            updated_at = GREATEST(updated_at, $3) WHERE id = $4",
    )
    .bind(assignee)
    .bind(team)
    .bind(ms(now))
    .bind(id)
    .execute(pool)
    .await
    .map_err(db_err)?;
    found(r.rows_affected(), id)
}

pub(super) async fn add_reply(
    pool: &PgPool,
    ticket_id: i64,
    author: &str,
    body: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let mut tx = pool.begin().await.map_err(db_err)?;
    let r = sqlx::query(
        "UPDATE tickets SET first_response_at = COALESCE(first_response_at, $1),
            status = CASE WHEN status = 'new' THEN 'open' ELSE status END,
            updated_at = GREATEST(updated_at, $1) WHERE id = $2",
    )
    .bind(ms(now))
    .bind(ticket_id)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    found(r.rows_affected(), ticket_id)?;
    let id = sqlx::query_scalar(
        "INSERT INTO ticket_replies (ticket_id, author, body, created_at) VALUES ($1, $2, $3, $4)
         RETURNING id",
    )
    .bind(ticket_id)
    .bind(author)
    .bind(body)
    .bind(ms(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(db_err)?;
    tx.commit().await.map_err(db_err)?;
    Ok(id)
}

pub(super) async fn mark_first_response(
    pool: &PgPool,
    ticket_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE tickets SET first_response_at = COALESCE(first_response_at, $1) WHERE id = $2",
    )
    .bind(ms(at))
    .bind(ticket_id)
    .execute(pool)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(super) async fn replies(pool: &PgPool, ticket_id: i64) -> StoreResult<Vec<ReplyRow>> {
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, author, body, created_at FROM ticket_replies WHERE ticket_id = $1 ORDER BY id",
    )
    .bind(ticket_id)
    .fetch_all(pool)
    .await
    .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|(id, author, body, at)| ReplyRow {
            id,
            author,
            body,
            created_at: from_ms(at),
        })
        .collect())
}

pub(super) async fn active_with_sla(pool: &PgPool, limit: i64) -> StoreResult<Vec<Ticket>> {
    let sql = format!(
        "{TICKET_COLUMNS} WHERE t.status IN ('new', 'open', 'pending')
           AND (t.first_response_due IS NOT NULL OR t.resolution_due IS NOT NULL)
         ORDER BY t.resolution_due LIMIT $1"
    );
    let rows: Vec<TicketRecord> = sqlx::query_as(&sql)
        .bind(limit)
        .fetch_all(pool)
        .await
        .map_err(db_err)?;
    rows.into_iter().map(Ticket::try_from).collect()
}

type ExternalDbRow = (i64, String, String, Option<String>, i64);

fn external(r: ExternalDbRow) -> ExternalRow {
    ExternalRow {
        ticket_id: r.0,
        connector: r.1,
        external_id: r.2,
        remote_status: r.3,
        synced_at: from_ms(r.4),
    }
}

pub(super) async fn externals(pool: &PgPool, ticket_id: i64) -> StoreResult<Vec<ExternalRow>> {
    let rows: Vec<ExternalDbRow> = sqlx::query_as(
        "SELECT ticket_id, connector, external_id, remote_status, synced_at
         FROM ticket_external WHERE ticket_id = $1 ORDER BY connector",
    )
    .bind(ticket_id)
    .fetch_all(pool)
    .await
    .map_err(db_err)?;
    Ok(rows.into_iter().map(external).collect())
}

pub(super) async fn set_external(pool: &PgPool, r: &ExternalRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO ticket_external (ticket_id, connector, external_id, remote_status, synced_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (ticket_id, connector) DO UPDATE SET external_id = excluded.external_id,
            remote_status = excluded.remote_status, synced_at = excluded.synced_at",
    )
    .bind(r.ticket_id)
    .bind(&r.connector)
    .bind(&r.external_id)
    .bind(&r.remote_status)
    .bind(ms(r.synced_at))
    .execute(pool)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(super) async fn externals_to_sync(
    pool: &PgPool,
    connector: &str,
    limit: i64,
) -> StoreResult<Vec<ExternalRow>> {
    let rows: Vec<ExternalDbRow> = sqlx::query_as(
        "SELECT e.ticket_id, e.connector, e.external_id, e.remote_status, e.synced_at
         FROM ticket_external e JOIN tickets t ON t.id = e.ticket_id
         WHERE e.connector = $1 AND t.status != 'closed' ORDER BY e.synced_at LIMIT $2",
    )
    .bind(connector)
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(db_err)?;
    Ok(rows.into_iter().map(external).collect())
}

pub(super) async fn record_csat(
    pool: &PgPool,
    ticket_id: i64,
    score: u8,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let r = sqlx::query(
        "INSERT INTO csat_responses (ticket_id, brand_id, score, answered_at)
         SELECT id, brand_id, $2, $3 FROM tickets WHERE id = $1
         ON CONFLICT (ticket_id) DO UPDATE SET score = excluded.score,
            answered_at = excluded.answered_at",
    )
    .bind(ticket_id)
    .bind(i64::from(score))
    .bind(ms(now))
    .execute(pool)
    .await
    .map_err(db_err)?;
    found(r.rows_affected(), ticket_id)
}

pub(super) async fn csat_by_brand(
    pool: &PgPool,
    brands: Option<&[String]>,
) -> StoreResult<Vec<CsatSummary>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT b.name, c.score, COUNT(*) FROM csat_responses c JOIN brands b ON b.id = c.brand_id
         WHERE $1 IS NULL OR b.name IN (SELECT value FROM jsonb_array_elements_text($1::jsonb))
         GROUP BY b.name, c.score ORDER BY b.name, c.score",
    )
    .bind(brands.map(|b| serde_json::to_string(b).unwrap_or_else(|_| "[]".into())))
    .fetch_all(pool)
    .await
    .map_err(db_err)?;
    let mut out: Vec<CsatSummary> = Vec::new();
    for (brand, score, n) in rows {
        if out.last().is_none_or(|s| s.brand != brand) {
            out.push(CsatSummary {
                brand: brand.clone(),
                responses: 0,
                average: 0.0,
                distribution: [0; 5],
            });
        }
        let s = out.last_mut().expect("pushed above");
        s.responses += n;
        s.distribution[(score.clamp(1, 5) - 1) as usize] += n;
    }
    for s in &mut out {
        let sum: i64 = (1..=5).map(|k| k * s.distribution[(k - 1) as usize]).sum();
        s.average = sum as f64 / s.responses.max(1) as f64;
    }
    Ok(out)
}
