//! [`CrisisTx`] on SQLite: baselines, windows and incident lifecycle inside one transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::BTreeMap;

use super::crisis_state as state;
use super::tx::SqliteTx;
use super::{db_err, from_ms, ms, reads};
use crate::domain::Counts;
use crate::domain::Recent;
use crate::domain::{Incident, IncidentStatus, Severity, Trigger};
use crate::storage::crisis::{
    ActiveIncidentRow, BaselineRecord, BaselineRow, CrisisTx, HourBucket, IncidentAction,
    IncidentEvent,
};
use crate::storage::{StoreError, StoreResult};

const HOUR_MS: i64 = 3_600_000;

fn json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

#[async_trait]
impl CrisisTx for SqliteTx {
    async fn crisis_epoch(&mut self, brand_id: i64) -> StoreResult<i64> {
        super::crisis_epoch::get(&mut self.tx, brand_id).await
    }

    async fn bump_crisis_epoch(&mut self, brand_id: i64) -> StoreResult<i64> {
        super::crisis_epoch::bump(&mut self.tx, brand_id).await
    }

    async fn recent_mentions(&mut self, brand_id: i64, minutes: i64) -> StoreResult<Vec<Recent>> {
        state::recent_mentions(&mut self.tx, brand_id, minutes).await
    }

    async fn active_incident_states(
        &mut self,
        brand_id: i64,
    ) -> StoreResult<Vec<ActiveIncidentRow>> {
        super::active_incidents::active_incident_states(&mut self.tx, brand_id).await
    }

    async fn incident_status(&mut self, incident_id: i64) -> StoreResult<Option<IncidentStatus>> {
        state::incident_status(&mut self.tx, incident_id).await
    }

    async fn incident_mentions_since(
        &mut self,
        incident_id: i64,
        since: DateTime<Utc>,
    ) -> StoreResult<i64> {
        super::links::incident_links_since(&mut self.tx, incident_id, since).await
    }

    async fn set_last_signal(
        &mut self,
        incident_id: i64,
        at: DateTime<Utc>,
        peak: i64,
    ) -> StoreResult<()> {
        super::links::set_last_signal(&mut self.tx, incident_id, at, peak).await
    }

    async fn add_crisis_category(&mut self, incident_id: i64, category: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT OR IGNORE INTO incident_crisis_categories (incident_id, category) VALUES (?, ?)",
        )
        .bind(incident_id)
        .bind(category)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn auto_close(&mut self, incident_id: i64, at: DateTime<Utc>) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE incidents SET status = 'auto_closed', auto_closed_at = ?
             WHERE id = ? AND status IN ('open', 'acknowledged')",
        )
        .bind(ms(at))
        .bind(incident_id)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn last_notices(&mut self, brand_id: i64) -> StoreResult<Vec<(String, DateTime<Utc>)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT kind, MAX(at) FROM crisis_notices WHERE brand_id = ? GROUP BY kind",
        )
        .bind(brand_id)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(rows.into_iter().map(|(k, at)| (k, from_ms(at))).collect())
    }

    async fn baseline_folded_until(&mut self, brand_id: i64) -> StoreResult<Option<DateTime<Utc>>> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT folded_until FROM crisis_baseline_state WHERE brand_id = ?")
                .bind(brand_id)
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(db_err)?;
        Ok(v.map(from_ms))
    }

    async fn set_baseline_folded_until(
        &mut self,
        brand_id: i64,
        until: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO crisis_baseline_state (brand_id, folded_until) VALUES (?, ?)
             ON CONFLICT (brand_id) DO UPDATE SET folded_until = excluded.folded_until",
        )
        .bind(brand_id)
        .bind(ms(until))
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn hourly_counts(
        &mut self,
        brand_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<HourBucket>> {
        // One row per (hour, category); the overall row has category ''. Reach weight: the
        // number of digits of the author's followers (1 + floor(log10)).
        let rows: Vec<(i64, String, i64, i64, i64, f64)> = sqlx::query_as(
            "WITH m AS (
                SELECT m.id, (m.created_at / ?1) * ?1 AS hour, a.label,
                       CASE WHEN a.label = 'negative'
                            THEN length(CAST(MAX(COALESCE(m.author_followers, 0), 1) AS TEXT)) ELSE 0 END AS reach
                FROM mentions m JOIN analyses a ON a.mention_id = m.id
                WHERE m.brand_id = ?2 AND m.created_at >= ?3 AND m.created_at < ?4)
             SELECT hour, '' AS category, COUNT(*), SUM(label = 'negative'), SUM(label = 'positive'),
                    CAST(SUM(reach) AS REAL) FROM m GROUP BY hour
             UNION ALL
             SELECT hour, c.category, COUNT(*), SUM(label = 'negative'), SUM(label = 'positive'),
                    CAST(SUM(reach) AS REAL) FROM m JOIN mention_categories c ON c.mention_id = m.id
             GROUP BY hour, c.category",
        )
        .bind(HOUR_MS)
        .bind(brand_id)
        .bind(ms(from))
        .bind(ms(to))
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|(hour, category, total, neg, pos, reach)| HourBucket {
                hour: from_ms(hour),
                category,
                counts: Counts {
                    total: total as f64,
                    negative: neg as f64,
                    positive: pos as f64,
                    reach_neg: reach,
                },
            })
            .collect())
    }

    async fn load_baselines(
        &mut self,
        brand_id: i64,
        slots: &[String],
    ) -> StoreResult<Vec<BaselineRow>> {
        if slots.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<BaselineRecord> = baselines_query(brand_id, slots)
            .build_query_as()
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(BaselineRow::from).collect())
    }

    async fn save_baselines(&mut self, brand_id: i64, rows: &[BaselineRow]) -> StoreResult<()> {
        // 8 parameters a row: well under SQLite's 32,766 per statement.
        for chunk in rows.chunks(500) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO crisis_baselines (brand_id, category, slot, total, negative,
                    positive, reach_neg, observations) ",
            );
            q.push_values(chunk, |mut b, row| {
                let m = &row.baseline.mean;
                b.push_bind(brand_id)
                    .push_bind(&row.category)
                    .push_bind(&row.slot)
                    .push_bind(m.total)
                    .push_bind(m.negative)
                    .push_bind(m.positive)
                    .push_bind(m.reach_neg)
                    .push_bind(row.baseline.observations);
            });
            q.push(
                " ON CONFLICT (brand_id, category, slot) DO UPDATE SET total = excluded.total,
                    negative = excluded.negative, positive = excluded.positive,
                    reach_neg = excluded.reach_neg, observations = excluded.observations",
            );
            q.build().execute(&mut *self.tx).await.map_err(db_err)?;
        }
        Ok(())
    }

    async fn create_incident_with(
        &mut self,
        brand_id: i64,
        trigger: &Trigger,
        severity: Severity,
        opened_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO incidents (brand_id, status, trigger_kind, trigger, opened_at,
                last_mention_at, last_signal_at, first_mention_at, severity, created_at)
             VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(brand_id)
        .bind(trigger.kind())
        .bind(json(trigger)?)
        .bind(ms(opened_at))
        .bind(ms(opened_at))
        .bind(ms(opened_at))
        .bind(ms(opened_at))
        .bind(severity.as_str())
        .bind(ms(now))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn set_incident_severity(
        &mut self,
        incident_id: i64,
        severity: Severity,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE incidents SET severity = ? WHERE id = ?")
            .bind(severity.as_str())
            .bind(incident_id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn add_incident_event(&mut self, incident_id: i64, e: &IncidentEvent) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO incident_events (incident_id, at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(incident_id)
        .bind(ms(e.at))
        .bind(&e.kind)
        .bind(&e.actor)
        .bind(json(&e.detail)?)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn add_incident_terms(&mut self, incident_id: i64, terms: &[String]) -> StoreResult<()> {
        // A term named twice counts twice, as one row of the statement.
        let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
        for term in terms {
            *counts.entry(term.as_str()).or_default() += 1;
        }
        let counts: Vec<(&str, i64)> = counts.into_iter().collect();
        for chunk in counts.chunks(1000) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO incident_terms (incident_id, term, count) ",
            );
            q.push_values(chunk, |mut b, (term, n)| {
                b.push_bind(incident_id).push_bind(*term).push_bind(*n);
            });
            q.push(" ON CONFLICT (incident_id, term) DO UPDATE SET count = count + excluded.count");
            q.build().execute(&mut *self.tx).await.map_err(db_err)?;
        }
        Ok(())
    }

    async fn incident_for_update(&mut self, incident_id: i64) -> StoreResult<Option<Incident>> {
        reads::incident_by_id(&mut self.tx, incident_id).await
    }

    async fn apply_incident_action(
        &mut self,
        incident_id: i64,
        action: IncidentAction,
        who: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let sql = match action {
            IncidentAction::Acknowledge => {
                "UPDATE incidents SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ? WHERE id = ?"
            }
            IncidentAction::Resolve => {
                "UPDATE incidents SET status = 'resolved', resolved_by = ?, resolved_at = ? WHERE id = ?"
            }
            // The quiet time restarts at the reopening (`?2`); `?1` (who) is on the timeline.
            IncidentAction::Reopen => {
                "UPDATE incidents SET status = 'open', resolved_by = NULL, resolved_at = NULL,
                    auto_closed_at = NULL, resolve_proposed_at = NULL,
                    last_signal_at = MAX(COALESCE(last_signal_at, ?2), ?2)
                 WHERE id = ?3 AND ?1 IS NOT NULL"
            }
        };
        sqlx::query(sql)
            .bind(who)
            .bind(ms(at))
            .bind(incident_id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        super::crisis_epoch::bump_for_incident(&mut self.tx, incident_id).await
    }

    async fn propose_resolution(&mut self, incident_id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        exec(
            &mut self.tx,
            "UPDATE incidents SET resolve_proposed_at = ?1 WHERE id = ?2",
            ms(at),
            incident_id,
        )
        .await
    }

    async fn set_escalation_level(&mut self, incident_id: i64, level: i64) -> StoreResult<()> {
        exec(
            &mut self.tx,
            "UPDATE incidents SET escalation_level = ?1 WHERE id = ?2",
            level,
            incident_id,
        )
        .await
    }

    async fn enqueue_outbox_due(
        &mut self,
        key: &str,
        channel: &str,
        payload: &str,
        due: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO outbox (key, channel, payload, next_attempt_at, created_at)
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(channel)
        .bind(payload)
        .bind(ms(due.max(now)))
        .bind(ms(now))
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn record_notice(
        &mut self,
        brand_id: i64,
        trigger: &Trigger,
        severity: Severity,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO crisis_notices (brand_id, kind, severity, at, detail, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(brand_id)
        .bind(trigger.kind())
        .bind(severity.as_str())
        .bind(ms(at))
        .bind(json(trigger)?)
        .bind(ms(now))
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}

async fn exec(conn: &mut SqliteConnection, sql: &str, a: i64, b: i64) -> StoreResult<()> {
    sqlx::query(sql)
        .bind(a)
        .bind(b)
        .execute(conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

pub(super) async fn top_terms(
    conn: &mut SqliteConnection,
    incident_id: i64,
    limit: i64,
) -> StoreResult<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT term, count FROM incident_terms WHERE incident_id = ?
         ORDER BY count DESC, term LIMIT ?",
    )
    .bind(incident_id)
    .bind(limit)
    .fetch_all(conn)
    .await
    .map_err(db_err)
}

/// The brand's learned baselines in `slots`, every category: a search of
/// `crisis_baselines_brand_slot` per slot.
pub(super) fn baselines_query(brand_id: i64, slots: &[String]) -> QueryBuilder<'_, Sqlite> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT category, slot, total, negative, positive, reach_neg, observations
         FROM crisis_baselines WHERE brand_id = ",
    );
    q.push_bind(brand_id).push(" AND slot IN (");
    let mut list = q.separated(", ");
    for slot in slots {
        list.push_bind(slot);
    }
    q.push(")");
    q
}
