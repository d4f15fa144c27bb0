//! Daily API quotas (YouTube: units per Pacific-time day). A source asks the [`QuotaBook`]
//! before each call; the book keeps the count in the database once the app has bound it to the
//! store (so a restart keeps today's count), and in memory before that (`vigia parse`, tests).
//! Days follow the API's own clock: midnight in US Pacific time, daylight saving included.

use async_trait::async_trait;
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc, Weekday};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::SourceError;
use crate::storage::QuotaStore;

/// Where spent units are counted.
#[async_trait]
pub trait QuotaLedger: Send + Sync {
    /// Adds `cost` to `key`'s count for `day` unless that passes `limit`; whether it was added.
    async fn spend(&self, key: &str, day: NaiveDate, cost: u32, limit: u32)
    -> Result<bool, String>;
}

#[async_trait]
impl<S: QuotaStore + Send + Sync> QuotaLedger for S {
    async fn spend(
        &self,
        key: &str,
        day: NaiveDate,
        cost: u32,
        limit: u32,
    ) -> Result<bool, String> {
        self.spend_quota(key, day, cost.into(), limit.into())
            .await
            .map_err(|e| e.to_string())
    }
}

/// The quota counter sources share; see the module docs.
#[derive(Default)]
pub struct QuotaBook {
    ledger: OnceLock<Arc<dyn QuotaLedger>>,
    memory: Mutex<HashMap<(String, NaiveDate), u32>>,
}

impl QuotaBook {
    /// Counts in `ledger` from now on (the app binds the store once it is open).
    pub fn bind(&self, ledger: Arc<dyn QuotaLedger>) {
        let _ = self.ledger.set(ledger);
    }

    /// Reserves `cost` of `key`'s `limit` units for the quota day of `now`, or says how long
    /// until the quota resets.
    pub async fn spend(
        &self,
        key: &str,
        now: DateTime<Utc>,
        cost: u32,
        limit: u32,
    ) -> Result<(), SourceError> {
        let day = pacific_day(now);
        let granted = match self.ledger.get() {
            Some(ledger) => ledger
                .spend(key, day, cost, limit)
                .await
                .map_err(|e| SourceError::Unavailable(format!("quota ledger: {e}")))?,
            None => self.spend_in_memory(key, day, cost, limit),
        };
        if granted {
            return Ok(());
        }
        Err(SourceError::RateLimited {
            detail: format!("daily quota of {limit} units spent"),
            wait: Some(until_pacific_midnight(now)),
        })
    }

    fn spend_in_memory(&self, key: &str, day: NaiveDate, cost: u32, limit: u32) -> bool {
        let mut memory = self.memory.lock().unwrap_or_else(|p| p.into_inner());
        memory.retain(|(_, d), _| *d == day);
        let used = memory.entry((key.to_owned(), day)).or_insert(0);
        if *used + cost > limit {
            return false;
        }
        *used += cost;
        true
    }
}

/// The US Pacific offset at `at`: PDT (UTC−7) from the second Sunday of March 10:00 UTC to
/// the first Sunday of November 09:00 UTC (2 a.m. local on both), PST (UTC−8) otherwise.
pub fn pacific_offset(at: DateTime<Utc>) -> FixedOffset {
    let year = at.year();
    let start = nth_sunday(year, 3, 2)
        .and_hms_opt(10, 0, 0)
        .map(|t| t.and_utc());
    let end = nth_sunday(year, 11, 1)
        .and_hms_opt(9, 0, 0)
        .map(|t| t.and_utc());
    let dst = matches!((start, end), (Some(s), Some(e)) if at >= s && at < e);
    let hours = if dst { 7 } else { 8 };
    FixedOffset::west_opt(hours * 3600).unwrap_or(FixedOffset::west_opt(8 * 3600).expect("valid"))
}

fn nth_sunday(year: i32, month: u32, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, n).unwrap_or_default()
}

/// The quota day of `at`: its date in US Pacific time.
pub fn pacific_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&pacific_offset(at)).date_naive()
}

/// Time from `now` to the next midnight in US Pacific time, when YouTube quotas reset.
pub fn until_pacific_midnight(now: DateTime<Utc>) -> std::time::Duration {
    let next_day = pacific_day(now) + Duration::days(1);
    let midnight = next_day.and_hms_opt(0, 0, 0).unwrap_or_default();
    // DST changes at 2 a.m., so the offset at local midnight is the one at 08:00 UTC.
    let offset = pacific_offset((midnight + Duration::hours(8)).and_utc());
    let at = midnight.and_utc() - Duration::seconds(i64::from(offset.local_minus_utc()));
    (at - now).to_std().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn pacific_days_follow_daylight_saving() {
        // Winter: midnight PST is 08:00 UTC.
        assert_eq!(
            pacific_day(at("2026-01-15T07:59:00Z")).to_string(),
            "2026-01-14"
        );
        assert_eq!(
            pacific_day(at("2026-01-15T08:00:00Z")).to_string(),
            "2026-01-15"
        );
        // Summer: midnight PDT is 07:00 UTC.
        assert_eq!(
            pacific_day(at("2026-07-15T06:59:00Z")).to_string(),
            "2026-07-14"
        );
        assert_eq!(
            pacific_day(at("2026-07-15T07:00:00Z")).to_string(),
            "2026-07-15"
        );
        // 2026: DST from March 8 to November 1.
        assert_eq!(
            pacific_offset(at("2026-03-08T09:59:00Z")).local_minus_utc(),
            -8 * 3600
        );
        assert_eq!(
            pacific_offset(at("2026-03-08T10:00:00Z")).local_minus_utc(),
            -7 * 3600
        );
        assert_eq!(
            pacific_offset(at("2026-11-01T08:59:00Z")).local_minus_utc(),
            -7 * 3600
        );
        assert_eq!(
            pacific_offset(at("2026-11-01T09:00:00Z")).local_minus_utc(),
            -8 * 3600
        );
        assert_eq!(
            until_pacific_midnight(at("2026-07-15T06:00:00Z")).as_secs(),
            3600
        );
        assert_eq!(
            until_pacific_midnight(at("2026-01-15T06:00:00Z")).as_secs(),
            7200
        );
        // The night DST ends: midnight Nov 1 is still PDT, midnight Nov 2 is PST.
        assert_eq!(
            until_pacific_midnight(at("2026-11-01T12:00:00Z")).as_secs(),
            20 * 3600
        );
    }

    #[tokio::test]
    async fn memory_book_refuses_past_the_limit_until_the_next_day() {
        let book = QuotaBook::default();
        let now = at("2026-03-02T12:00:00Z");
        assert!(book.spend("k", now, 60, 100).await.is_ok());
        let err = book.spend("k", now, 60, 100).await.unwrap_err();
        assert!(
            matches!(err, SourceError::RateLimited { wait: Some(w), .. } if w.as_secs() == 20 * 3600)
        );
        assert!(book.spend("k", now, 40, 100).await.is_ok());
        assert!(
            book.spend("k", at("2026-03-03T08:00:00Z"), 100, 100)
                .await
                .is_ok()
        );
    }
}
