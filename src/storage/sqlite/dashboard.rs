//! [`DashboardStore`] for SQLite (the rollups are written per page by `page.rs`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite};

use super::{SqliteStore, db_err, from_ms, ms, opt_from_ms};
use crate::storage::{
    DAY_MS, DashboardStore, HOUR_MS, NamedCount, OpsFigures, SentimentBucket, SessionRow,
    StoreResult,
};

#[derive(sqlx::FromRow)]
struct BucketRecord {
    brand: String,
    hour: i64,
    network: String,
    label: String,
    n: i64,
}

#[derive(sqlx::FromRow)]
struct NamedRecord {
    name: String,
    n: i64,
}

fn named(rows: Vec<NamedRecord>) -> Vec<NamedCount> {
    rows.into_iter()
        .map(|r| NamedCount {
            name: r.name,
            count: r.n,
        })
        .collect()
}

#[async_trait]
impl DashboardStore for SqliteStore {
    async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        csrf: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db_err)?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
            .bind(ms(now))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(ms(now))
        .bind(ms(expires_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn session(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<SessionRow>> {
        let row: Option<(i64, String, i64)> = sqlx::query_as(
            "SELECT user_id, csrf, expires_at FROM sessions WHERE id_hash = ? AND expires_at > ?",
        )
        .bind(id_hash)
        .bind(ms(now))
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?;
        Ok(row.map(|(user_id, csrf, exp)| SessionRow {
            user_id,
            csrf,
            expires_at: from_ms(exp),
        }))
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = ?")
            .bind(id_hash)
            .execute(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn sentiment_buckets(
        &self,
        brands: &[String],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<SentimentBucket>> {
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT b.name AS brand, r.hour, r.network, r.label, r.n FROM rollup_sentiment r
             JOIN brands b ON b.id = r.brand_id WHERE b.name IN (SELECT value FROM json_each(",
        );
        q.push_bind(serde_json::to_string(brands).unwrap_or_else(|_| "[]".into()))
            .push(")) AND r.hour >= ")
            .push_bind(ms(from).div_euclid(HOUR_MS))
            .push(" AND r.hour < ")
            .push_bind(ms(to).div_euclid(HOUR_MS) + i64::from(ms(to) % HOUR_MS != 0))
            .push(" ORDER BY r.hour, b.name, r.network, r.label");
        let rows: Vec<BucketRecord> = q
            .build_query_as()
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|r| SentimentBucket {
                brand: r.brand,
                hour: from_ms(r.hour * HOUR_MS),
                network: r.network,
                label: r.label,
                count: r.n,
            })
            .collect())
    }

    async fn top_categories(
        &self,
        brand: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<NamedCount>> {
        let rollup = ("rollup_category", "category", "hour", HOUR_MS);
        top_named(self, rollup, brand, (from, to), limit).await
    }

    async fn top_terms(
        &self,
        brand: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<NamedCount>> {
        let rollup = ("rollup_term", "term", "day", DAY_MS);
        top_named(self, rollup, brand, (from, to), limit).await
    }

    async fn brand_last_activity(&self, brand: &str) -> StoreResult<Option<DateTime<Utc>>> {
        let hour: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(r.hour) FROM rollup_sentiment r JOIN brands b ON b.id = r.brand_id
             WHERE b.name = ?",
        )
        .bind(brand)
        .fetch_one(self.pool())
        .await
        .map_err(db_err)?;
        Ok(hour.map(|h| from_ms((h + 1) * HOUR_MS)))
    }

    async fn mentions_in_store_order(
        &self,
        filter: &crate::storage::MentionFilter,
        limit: i64,
    ) -> StoreResult<Vec<crate::storage::MentionRow>> {
        let mut q = QueryBuilder::<Sqlite>::new(super::records::MENTION_COLUMNS);
        super::reads::push_mention_where(&mut q, filter);
        q.push(" ORDER BY m.id LIMIT ").push_bind(limit);
        let rows: Vec<super::records::MentionRecord> = q
            .build_query_as()
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn last_mention_id(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM mentions")
            .fetch_one(self.pool())
            .await
            .map_err(db_err)
    }

    async fn ops_figures(&self) -> StoreResult<OpsFigures> {
        let (pending, oldest): (i64, Option<i64>) =
            sqlx::query_as("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 'pending'")
                .fetch_one(self.pool())
                .await
                .map_err(db_err)?;
        let incidents_open: Vec<(String, i64)> = sqlx::query_as(
            "SELECT b.name, COUNT(i.id) FROM brands b
             LEFT JOIN incidents i ON i.brand_id = b.id AND i.status IN ('open', 'acknowledged')
             GROUP BY b.name ORDER BY b.name",
        )
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(OpsFigures {
            outbox_pending: pending,
            outbox_oldest: opt_from_ms(oldest),
            incidents_open,
        })
    }
}

/// The most frequent names of a rollup table `(table, name column, bucket column, bucket
/// length in ms)` for a brand between two times (all identifiers are fixed by the callers).
async fn top_named(
    store: &SqliteStore,
    (table, column, bucket, bucket_ms): (&str, &str, &str, i64),
    brand: &str,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    limit: i64,
) -> StoreResult<Vec<NamedCount>> {
    let rows: Vec<NamedRecord> = sqlx::query_as(&format!(
        "SELECT r.{column} AS name, SUM(r.n) AS n FROM {table} r
         JOIN brands b ON b.id = r.brand_id
         WHERE b.name = ? AND r.{bucket} >= ? AND r.{bucket} <= ?
         GROUP BY r.{column} ORDER BY n DESC, name LIMIT ?"
    ))
    .bind(brand)
    .bind(ms(from).div_euclid(bucket_ms))
    .bind(ms(to).div_euclid(bucket_ms))
    .bind(limit)
    .fetch_all(store.pool())
    .await
    .map_err(db_err)?;
    Ok(named(rows))
}
