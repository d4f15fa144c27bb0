//! Rebuilding the crisis detector's in-memory state of a brand after a restart: its recent
//! mentions (its active incidents are read by the shared `active_incidents.rs`), and an
//! incident's status. Read once per brand and process, never per mention.

use sqlx::PgConnection;

use super::{db_err, from_ms};
use crate::domain::Recent;
use crate::domain::{IncidentStatus, SentimentLabel};
use crate::storage::{StoreError, StoreResult};

/// Separates category keys in `string_agg` (never part of a key).
const SEP: &str = "\u{1f}";

pub(super) async fn recent_mentions(
    conn: &mut PgConnection,
    brand_id: i64,
    minutes: i64,
) -> StoreResult<Vec<Recent>> {
    let rows: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT m.id, m.created_at, a.label,
                (SELECT string_agg(c.category, $3) FROM mention_categories c
                 WHERE c.mention_id = m.id)
         FROM mentions m JOIN analyses a ON a.mention_id = m.id
         WHERE m.brand_id = $1 AND m.created_at >
               (SELECT MAX(created_at) FROM mentions WHERE brand_id = $1) - $2
         ORDER BY m.created_at, m.id",
    )
    .bind(brand_id)
    .bind(minutes * 60_000)
    .bind(SEP)
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    rows.into_iter()
        .map(|(id, at, label, cats)| {
            let label = SentimentLabel::parse(&label)
                .ok_or_else(|| StoreError::Corrupt(format!("label '{label}'")))?;
            let mut categories: Vec<String> = cats
                .map(|c| c.split(SEP).map(str::to_owned).collect())
                .unwrap_or_default();
            categories.sort();
            Ok(Recent {
                mention_id: id,
                at: from_ms(at),
                label,
                categories,
            })
        })
        .collect()
}

pub(super) async fn incident_status(
    conn: &mut PgConnection,
    incident_id: i64,
) -> StoreResult<Option<IncidentStatus>> {
    let s: Option<String> = sqlx::query_scalar("SELECT status FROM incidents WHERE id = $1")
        .bind(incident_id)
        .fetch_optional(conn)
        .await
        .map_err(db_err)?;
    s.map(|s| IncidentStatus::parse(&s).ok_or_else(|| StoreError::Corrupt(format!("status '{s}'"))))
        .transpose()
}
