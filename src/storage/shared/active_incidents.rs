//! A brand's active incidents with the crisis state the detector keeps in memory (crisis
//! categories, terms, latest signal and peak): read when a brand's state is rebuilt. The same
//! SQL on both back ends.

use super::records::{INCIDENT_COLUMNS, IncidentRecord};
use super::{Conn, db_err, from_ms};
use crate::domain::Incident;
use crate::storage::StoreResult;
use crate::storage::crisis::ActiveIncidentRow;

/// Every open or acknowledged incident of the brand with its crisis state, oldest first.
pub(super) async fn active_incident_states(
    conn: &mut Conn,
    brand_id: i64,
) -> StoreResult<Vec<ActiveIncidentRow>> {
    let sql = format!(
        "{INCIDENT_COLUMNS} WHERE i.brand_id = $1 AND i.status IN ('open', 'acknowledged')
         ORDER BY i.id"
    );
    let rows: Vec<IncidentRecord> = sqlx::query_as(&sql)
        .bind(brand_id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(active_state(&mut *conn, Incident::try_from(row)?).await?);
    }
    Ok(out)
}

async fn active_state(conn: &mut Conn, incident: Incident) -> StoreResult<ActiveIncidentRow> {
    let id = incident.id;
    let (last, peak) = super::links::last_signal(&mut *conn, id).await?;
    let crisis_categories = sqlx::query_scalar(
        "SELECT category FROM incident_crisis_categories WHERE incident_id = $1 ORDER BY category",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .map_err(db_err)?;
    let terms = sqlx::query_as("SELECT term, count FROM incident_terms WHERE incident_id = $1")
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(ActiveIncidentRow {
        last_signal_at: last.map_or(incident.last_mention_at, from_ms),
        peak,
        incident,
        crisis_categories,
        terms,
    })
}
