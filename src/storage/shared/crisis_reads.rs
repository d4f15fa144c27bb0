//! [`CrisisStore`] on either back end: incident detail reads for the API and the periodic checks.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sqlx::QueryBuilder;

use super::id_list::push_ids;
use super::records::{INCIDENT_COLUMNS, IncidentRecord};
use super::{Db, This, crisis::top_terms, db_err, from_ms, ms, reads};
use crate::domain::{Incident, Trigger};
use crate::storage::crisis::{CrisisStore, IncidentEvent, LinkedTicket, LinkedTickets};
use crate::storage::{MentionFilter, MentionRow, StoreError, StoreResult};

/// The tickets of an incident's mentions, newest mention first: the incident's key walked
/// backwards, one ticket-link probe per mention (`plans.rs` checks it); read as a stream and
/// dropped once a page of distinct tickets is found.
pub(super) const INCIDENT_TICKETS_NEWEST: &str = "SELECT tm.ticket_id FROM incident_mentions im
       JOIN ticket_mentions tm ON tm.mention_id = im.mention_id
      WHERE im.incident_id = $1 ORDER BY im.mention_id DESC";

/// An incident's most engaging mentions (likes + 2 x reposts + replies), oldest first among
/// equals: a walk of `incident_mentions_engagement` that stops at the limit.
pub(super) const INCIDENT_SAMPLES: &str = "SELECT mention_id FROM incident_mentions
      WHERE incident_id = $1 ORDER BY engagement DESC, mention_at LIMIT $2";

/// The page's tickets, each with how many of its mentions the incident shares (the ticket's
/// own mentions, each probed in the incident's key).
pub(super) fn incident_ticket_rows(incident: i64, tickets: &[i64]) -> QueryBuilder<'static, Db> {
    let mut q = QueryBuilder::new(
        "SELECT t.id, t.status, t.category, t.subject,
                (SELECT COUNT(*) FROM ticket_mentions tm
                   JOIN incident_mentions im ON im.mention_id = tm.mention_id
                  WHERE tm.ticket_id = t.id AND im.incident_id = ",
    );
    q.push_bind(incident)
        .push(") FROM tickets t WHERE t.id IN (");
    push_ids(&mut q, tickets.iter().copied());
    q.push(")");
    q
}

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
        let ids: Vec<i64> = sqlx::query_scalar(INCIDENT_SAMPLES)
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

    async fn incident_tickets(&self, id: i64, limit: usize) -> StoreResult<LinkedTickets> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        // Tickets in the order of the incident's newest mentions, read until one more than
        // asked for is found: bounded by the page, not by the incident (an incident of 3.2M
        // mentions links 1.3M tickets; grouping them all took 17 s).
        let mut ids: Vec<i64> = Vec::with_capacity(limit + 1);
        {
            let mut rows = sqlx::query_scalar::<_, i64>(INCIDENT_TICKETS_NEWEST)
                .bind(id)
                .fetch(&mut *conn);
            while let Some(ticket) = rows.try_next().await.map_err(db_err)? {
                if !ids.contains(&ticket) {
                    ids.push(ticket);
                    if ids.len() > limit {
                        break;
                    }
                }
            }
        }
        let more = ids.len() > limit;
        ids.truncate(limit);
        if ids.is_empty() {
            return Ok(LinkedTickets {
                tickets: Vec::new(),
                more,
            });
        }
        let mut q = incident_ticket_rows(id, &ids);
        let rows: Vec<(i64, String, String, String, i64)> = q
            .build_query_as()
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
        let mut tickets: Vec<LinkedTicket> = rows
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
            .collect();
        tickets.sort_by_key(|t| ids.iter().position(|i| *i == t.id));
        Ok(LinkedTickets { tickets, more })
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
