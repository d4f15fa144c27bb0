//! Daily API quota units, persisted so a restart does not forget what was spent today.

use async_trait::async_trait;
use chrono::NaiveDate;

use super::StoreResult;

#[async_trait]
pub trait QuotaStore {
    /// Adds `cost` units to `key`'s count for `day` unless the total would exceed `limit`.
    /// Returns whether the units were granted (atomic: concurrent callers never overspend).
    async fn spend_quota(
        &self,
        key: &str,
        day: NaiveDate,
        cost: i64,
        limit: i64,
    ) -> StoreResult<bool>;

    /// Units spent by `key` on `day`.
    async fn quota_used(&self, key: &str, day: NaiveDate) -> StoreResult<i64>;
}
