//! [`QuotaStore`] for SQLite.

use async_trait::async_trait;
use chrono::NaiveDate;

use super::{SqliteStore, db_err};
use crate::storage::{QuotaStore, StoreResult};

#[async_trait]
impl QuotaStore for SqliteStore {
    async fn spend_quota(
        &self,
        key: &str,
        day: NaiveDate,
        cost: i64,
        limit: i64,
    ) -> StoreResult<bool> {
        if cost > limit {
            return Ok(false);
        }
        let done = sqlx::query(
            "INSERT INTO api_quota (key, day, used) VALUES (?1, ?2, ?3)
             ON CONFLICT (key, day) DO UPDATE SET used = used + excluded.used
             WHERE api_quota.used + excluded.used <= ?4",
        )
        .bind(key)
        .bind(day.to_string())
        .bind(cost)
        .bind(limit)
        .execute(self.writer())
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn quota_used(&self, key: &str, day: NaiveDate) -> StoreResult<i64> {
        let used: Option<i64> =
            sqlx::query_scalar("SELECT used FROM api_quota WHERE key = ? AND day = ?")
                .bind(key)
                .bind(day.to_string())
                .fetch_optional(self.pool())
                .await
                .map_err(db_err)?;
        Ok(used.unwrap_or(0))
    }
}
