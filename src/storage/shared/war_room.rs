//! [`WarRoomStore`] on either back end.

use async_trait::async_trait;
use chrono::Duration;
use sqlx::QueryBuilder;
use std::collections::HashMap;

use super::id_list::push_ids;
use super::{Db, This, db_err};
use crate::storage::StoreResult;
use crate::storage::war_room::{AuthorReach, WarRoomStore};

type AuthorRecord = (
    String,
    String,
    Option<String>,
    Option<i64>,
    i64,
    i64,
    Option<i64>,
);

/// An incident's newest mentions: a walk of `incident_mentions_newest` that stops at the cap.
pub(super) const INCIDENT_MENTIONS_NEWEST: &str = "SELECT mention_id FROM incident_mentions
      WHERE incident_id = $1 ORDER BY mention_at DESC, mention_id DESC LIMIT $2";

/// The smallest ingest lag among the brand's 50 newest mentions by event time. Ordered as
/// the `(brand_id, created_at)` index is, so it reads 50 index entries: ordered by id, it
/// sorted all of the brand's mentions (2 s a war-room request at 10M, `plans.rs` checks it).
pub(super) const EVENT_LAG: &str =
    "SELECT MIN(lag) FROM (SELECT m.ingested_at - m.created_at AS lag
       FROM mentions m JOIN brands b ON b.id = m.brand_id
      WHERE b.name = $1 ORDER BY m.created_at DESC, m.id DESC LIMIT 50) AS recent";

#[async_trait]
impl WarRoomStore for This {
    async fn event_lag(&self, brand: &str) -> StoreResult<Duration> {
        let lag: Option<i64> = sqlx::query_scalar(EVENT_LAG)
            .bind(brand)
            .fetch_one(self.pool())
            .await
            .map_err(db_err)?;
        Ok(Duration::milliseconds(lag.unwrap_or(0).max(0)))
    }

    async fn incident_mention_ids(&self, incident_id: i64, cap: i64) -> StoreResult<Vec<i64>> {
        sqlx::query_scalar(INCIDENT_MENTIONS_NEWEST)
            .bind(incident_id)
            .bind(cap)
            .fetch_all(self.pool())
            .await
            .map_err(db_err)
    }

    async fn incident_authors(
        &self,
        incident_id: i64,
        limit: i64,
    ) -> StoreResult<Vec<AuthorReach>> {
        let rows: Vec<AuthorRecord> = sqlx::query_as(
            "SELECT m.source, m.author_handle, MAX(m.author_name), MAX(m.author_followers),
                    COUNT(*), COALESCE(SUM(CASE WHEN a.label = 'negative' THEN 1 ELSE 0 END), 0), MAX(m.customer_id)
               FROM incident_mentions im JOIN mentions m ON m.id = im.mention_id
               LEFT JOIN analyses a ON a.mention_id = m.id
              WHERE im.incident_id = $1
              GROUP BY m.source, m.author_handle
              ORDER BY COALESCE(MAX(m.author_followers), -1) DESC, COUNT(*) DESC, m.author_handle
              LIMIT $2",
        )
        .bind(incident_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(
                |(source, handle, name, followers, mentions, negative, customer_id)| AuthorReach {
                    source,
                    handle,
                    name,
                    followers,
                    mentions,
                    negative,
                    customer_id,
                },
            )
            .collect())
    }

    async fn incident_history_marks(&self, ids: &[i64]) -> StoreResult<HashMap<i64, i64>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut q = QueryBuilder::<Db>::new(
            "SELECT incident_id, MAX(id) FROM incident_events WHERE incident_id IN (",
        );
        push_ids(&mut q, ids.iter().copied());
        q.push(") GROUP BY incident_id");
        let rows: Vec<(i64, i64)> = q
            .build_query_as()
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().collect())
    }
}
