//! [`CrisisStore`] on either back end: incident detail reads for the API and the periodic checks.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::records::{INCIDENT_COLUMNS, IncidentRecord};
use super::{This, crisis::top_terms, db_err, from_ms, ms, reads};
use crate::domain::{Incident, Trigger};
use crate::storage::crisis::{CrisisStore, IncidentEvent, LinkedTicket};
use crate::storage::{MentionFilter, MentionRow, StoreError, StoreResult};

#[async_trait]
impl CrisisStore for This {
    async fn incident(&self, id: i64) -> StoreResult<Option<Incident>> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        reads::incident_by_id(&mut conn, id).await
    }

    async fn incident_timeline(&self, id: i64) -> StoreResult<Vec<IncidentEvent>> {
        let rows: Vec<(i64, String, Option<String>, String)> = sqlx::query_as(
            "SELECT at, kind, actor, detail FROM incident_events WHERE incident_id = $1
             ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        rows.into_iter()
            .map(|(at, kind, actor, detail)| {
                Ok(IncidentEvent {
                    at: from_ms(at),
                    kind,
                    actor,
                    detail: serde_json::from_str(&detail)
                        .map_err(|e| StoreError::Corrupt(format!("incident event: {e}")))?,
                })
            })
            .collect()
    }

    async fn incident_terms(&self, id: i64, limit: i64) -> StoreResult<Vec<(String, i64)>> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        top_terms(&mut conn, id, limit).await
    }

    async fn incident_samples(&self, id: i64, limit: i64) -> StoreResult<Vec<MentionRow>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT m.id FROM incident_mentions im JOIN mentions m ON m.id = im.mention_id
             WHERE im.incident_id = $1
             ORDER BY m.likes + 2 * m.reposts + m.replies DESC, m.created_at LIMIT $2",
        )
        .bind(id)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let filter = MentionFilter {
            ids: Some(ids.clone()),
            ..Default::default()
        };
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        let mut rows = reads::mentions_by_filter(&mut conn, &filter, limit, 0).await?;
        rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
        Ok(rows)
    }

    async fn incident_tickets(&self, id: i64) -> StoreResult<Vec<LinkedTicket>> {
        let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
            "SELECT t.id, t.status, t.category, t.subject, COUNT(*) FROM incident_mentions im
             JOIN ticket_mentions tm ON tm.mention_id = im.mention_id
             JOIN tickets t ON t.id = tm.ticket_id
             WHERE im.incident_id = $1 GROUP BY t.id ORDER BY t.id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, status, category, subject, shared_mentions)| LinkedTicket {
                    id,
                    status,
                    category,
                    subject,
                    shared_mentions,
                },
            )
            .collect())
    }

    async fn active_incidents(&self) -> StoreResult<Vec<(i64, Incident)>> {
        let sql = INCIDENT_COLUMNS.replace(
            "SELECT i.id,",
            "SELECT i.escalation_level AS escalation_level, i.id,",
        );
        let sql = format!("{sql} WHERE i.status IN ('open', 'acknowledged') ORDER BY i.id");
        let rows: Vec<Leveled> = sqlx::query_as(&sql)
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        rows.into_iter()
            .map(|r| Ok((r.escalation_level, Incident::try_from(r.incident)?)))
            .collect()
    }

    async fn negative_categories(
        &self,
        brand: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(String, i64)>> {
        sqlx::query_as(
            "SELECT c.category, COUNT(*) FROM analyses a
             JOIN mention_categories c ON c.mention_id = a.mention_id
             JOIN brands b ON b.id = a.brand_id
             WHERE b.name = $1 AND a.label = 'negative' AND a.created_at > $2 AND a.created_at <= $3
             GROUP BY c.category ORDER BY COUNT(*) DESC, c.category LIMIT 5",
        )
        .bind(brand)
        .bind(ms(from))
        .bind(ms(to))
        .fetch_all(self.pool())
        .await
        .map_err(db_err)
    }

    async fn notices(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(String, Trigger, DateTime<Utc>)>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT b.name, n.detail, n.at FROM crisis_notices n JOIN brands b ON b.id = n.brand_id
             WHERE n.at >= $1 AND n.at < $2 ORDER BY n.at",
        )
        .bind(ms(from))
        .bind(ms(to))
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        rows.into_iter()
            .map(|(brand, detail, at)| {
                let t = serde_json::from_str(&detail)
                    .map_err(|e| StoreError::Corrupt(format!("notice: {e}")))?;
                Ok((brand, t, from_ms(at)))
            })
            .collect()
    }
}

#[derive(sqlx::FromRow)]
struct Leveled {
    escalation_level: i64,
    #[sqlx(flatten)]
    incident: IncidentRecord,
}
