//! Scheduling: each feed fires on its own cron expression (with a seconds field), asks its
//! source for pages and hands them to ingest. Time, retries and waiting live here, not in
//! sources. A failed poll is recorded on the feed (health); when the feed is tried again is
//! decided by [`politeness`]: the API's own rate-limit answer, exponential backoff with jitter,
//! or never (refused credentials → `auth_failed`). The first run's backfill window is each
//! source's `backfill_hours`; one tick fetches at most [`MAX_PAGES_PER_TICK`] pages.

pub mod health;
pub mod limits;
pub mod politeness;

use chrono::{DateTime, Utc};
use cron::Schedule;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::config::ConfigError;
use crate::domain::FeedQuery;
use crate::ingest::{FeedCtx, IngestReport, Ingestor};
use crate::sources::{Source, SourceError};
use crate::storage::{Store, StoreError};
use politeness::Decision;

/// Most pages one tick fetches back to back when the source says more are ready.
const MAX_PAGES_PER_TICK: usize = 50;

#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Parses a cron expression (seconds field first: `sec min hour day month weekday [year]`).
pub fn parse_schedule(expr: &str) -> Result<Schedule, String> {
    Schedule::from_str(expr).map_err(|e| format!("invalid cron expression '{expr}': {e}"))
}

pub fn validate_schedule(
    file: &std::path::Path,
    key: &str,
    expr: &str,
) -> Result<Schedule, ConfigError> {
    parse_schedule(expr).map_err(|p| ConfigError::invalid(file, format!("{key}.schedule"), p))
}

/// One feed, ready to run.
pub struct FeedRunner<S: Store> {
    pub ctx: FeedCtx,
    pub query: FeedQuery,
    pub schedule: Schedule,
    pub source: Arc<dyn Source>,
    pub ingestor: Arc<Ingestor<S>>,
    pub store: S,
    pub clock: Arc<dyn Clock>,
    /// Woken when a poll queued outbox messages (or may have).
    pub outbox_wake: Arc<Notify>,
}

impl<S: Store> FeedRunner<S> {
    /// Fires on every cron tick until cancelled; a poll in progress finishes first. After a
    /// failure or an exhausted rate-limit window, ticks before the wait are skipped; refused
    /// credentials end the loop.
    pub async fn run(&self, cancel: CancellationToken) {
        let mut failures = 0u32;
        let mut not_before: Option<DateTime<Utc>> = None;
        let mut state = "ok";
        loop {
            let now = self.clock.now();
            let from = not_before.map_or(now, |t| t.max(now));
            let Some(next) = self.schedule.after(&from).next() else {
                tracing::info!(feed = %self.ctx.name, "schedule has no further runs");
                return;
            };
            self.set_state(state, Some(next)).await;
            let wait = (next - now).to_std().unwrap_or_default();
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(wait) => {}
            }
            let decision = match self.poll_tick().await {
                Ok((_, wait)) => {
                    failures = 0;
                    wait.map(|delay| Decision::Wait {
                        delay,
                        state: "rate_limited",
                    })
                }
                Err(e) => self.after_failure(&e, &mut failures),
            };
            match decision {
                None => (not_before, state) = (None, "ok"),
                Some(Decision::Wait { delay, state: s }) => {
                    let delay = chrono::Duration::from_std(delay).unwrap_or_default();
                    (not_before, state) = (Some(self.clock.now() + delay), s);
                }
                Some(Decision::Stop { state }) => return self.set_state(state, None).await,
            }
        }
    }

    fn after_failure(&self, e: &PollError, failures: &mut u32) -> Option<Decision> {
        let PollError::Source(e) = e else {
            tracing::warn!(feed = %self.ctx.name, error = %e, "poll failed");
            return None;
        };
        *failures += 1;
        let decision = politeness::after_failure(e, *failures, politeness::random_jitter());
        tracing::warn!(feed = %self.ctx.name, error = %e, failures = *failures, ?decision, "poll failed");
        Some(decision)
    }

    async fn set_state(&self, state: &str, next_run_at: Option<DateTime<Utc>>) {
        let result = self
            .store
            .set_feed_state(self.ctx.feed_id, state, next_run_at)
            .await;
        if let Err(e) = result {
            tracing::warn!(feed = %self.ctx.name, error = %e, "could not record feed state");
        }
    }

    /// Fetches pages until the source has nothing more ready (or the per-tick cap), ingesting
    /// each in its own transaction. Failures are recorded on the feed.
    pub async fn poll_once(&self) -> Result<IngestReport, PollError> {
        self.poll_tick().await.map(|(report, _)| report)
    }

    /// [`Self::poll_once`], also returning how long the API asked to be left alone when a page
    /// reported an exhausted rate-limit window (the tick stops fetching at that page).
    pub async fn poll_tick(&self) -> Result<(IngestReport, Option<Duration>), PollError> {
        let result = self.poll_pages().await;
        if let Err(e) = &result {
            metrics::counter!("vigia_feed_failures_total", "feed" => self.ctx.name.clone())
                .increment(1);
            self.store
                .record_feed_failure(self.ctx.feed_id, &e.to_string(), self.clock.now())
                .await?;
        }
        result
    }

    async fn poll_pages(&self) -> Result<(IngestReport, Option<Duration>), PollError> {
        let mut total = IngestReport::default();
        let mut wait = None;
        for _ in 0..MAX_PAGES_PER_TICK {
            let cursor = self.store.feed_cursor(self.ctx.feed_id).await?;
            if let Some((host, per_minute)) = self.source.pacing() {
                limits::until_ready(&host, per_minute).await;
            }
            let page = self.source.fetch(&self.query, cursor.as_ref()).await?;
            let report = self.ingestor.ingest(&self.ctx, &page).await?;
            total.add(report);
            if report.incidents_opened > 0 || report.stored > 0 {
                self.outbox_wake.notify_one();
            }
            wait = page.wait;
            if !page.more || wait.is_some() {
                break;
            }
        }
        if total.stored > 0 {
            tracing::info!(
                feed = %self.ctx.name, stored = total.stored, duplicates = total.duplicates,
                incidents = total.incidents_opened, tickets = total.tickets_opened, "poll ingested"
            );
        }
        Ok((total, wait))
    }
}
