//! Scheduling: each feed fires on its own cron expression (with a seconds field), asks its
//! source for pages and hands them to ingest. Time, retries and waiting live here, not in
//! sources. A failed poll is recorded on the feed (health); when the feed is tried again is
//! decided by [`politeness`]: the API's own rate-limit answer, exponential backoff with jitter,
//! or never (refused credentials → `auth_failed`). The first run's backfill window is each
//! source's `backfill_hours`; one tick fetches at most the feed's `max_pages_per_tick` pages
//! (the rest of a backfill or a burst continues on the next tick, from the stored cursor).
//! While a page is written, the next one (from the cursor that page stores) is already being
//! fetched and analyzed on another task; it is stored only after the page before it, and is
//! dropped when that page fails.

pub mod health;
pub mod limits;
pub mod politeness;

use chrono::{DateTime, Utc};
use cron::Schedule;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::domain::{Cursor, FeedQuery, Page};
use crate::ingest::{FeedCtx, IngestReport, Ingestor, Prepared};
use crate::sources::{Source, SourceError};
use crate::storage::{Store, StoreError};
use politeness::Decision;

#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One feed, ready to run.
pub struct FeedRunner<S: Store> {
    pub ctx: FeedCtx,
    pub query: FeedQuery,
    pub schedule: Schedule,
    pub source: Arc<dyn Source>,
    /// Most pages one tick fetches back to back when the source says more are ready.
    pub max_pages: usize,
    pub ingestor: Arc<Ingestor<S>>,
    pub store: S,
    pub clock: Arc<dyn Clock>,
    /// Woken when a poll queued outbox messages (or may have).
    pub outbox_wake: Arc<Notify>,
    /// This instance's id: the owner of the feed's lease while it polls (see
    /// [`crate::storage::LeaseStore`]).
    pub owner: String,
}

/// How long a poll holds the feed's lease; renewed before every page, so only an instance
/// that stopped (killed, hung) loses it, and another takes the feed over after this long.
pub const FEED_LEASE_SECS: i64 = 60;

/// Where a feed's loop stands between ticks.
#[derive(Debug, Clone, Copy)]
pub struct LoopState {
    /// Consecutive failed ticks.
    pub failures: u32,
    /// No poll before this instant (backoff or a rate-limit window).
    pub not_before: Option<DateTime<Utc>>,
    /// What `/api/feeds` shows.
    pub state: &'static str,
    /// The feed must not be polled again (refused credentials).
    pub stopped: bool,
}

impl Default for LoopState {
    fn default() -> Self {
        LoopState {
            failures: 0,
            not_before: None,
            state: "ok",
            stopped: false,
        }
    }
}

impl<S: Store> FeedRunner<S> {
    /// Fires on every cron tick until cancelled; a poll in progress finishes first. After a
    /// failure or an exhausted rate-limit window, ticks before the wait are skipped; refused
    /// credentials end the loop.
    pub async fn run(&self, cancel: CancellationToken) {
        let mut st = LoopState::default();
        while let Some(next) = self.plan_next(&st).await {
            let wait = (next - self.clock.now()).to_std().unwrap_or_default();
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(wait) => {}
            }
            self.tick(&mut st).await;
        }
    }

    /// Records the feed's state and when it runs next (the first cron time not before the
    /// wait in `st`); `None` when it never runs again.
    pub async fn plan_next(&self, st: &LoopState) -> Option<DateTime<Utc>> {
        if st.stopped {
            self.set_state(st.state, None).await;
            return None;
        }
        let now = self.clock.now();
        let from = st.not_before.map_or(now, |t| t.max(now));
        let Some(next) = self.schedule.after(&from).next() else {
            tracing::info!(feed = %self.ctx.name, "schedule has no further runs");
            return None;
        };
        self.set_state(st.state, Some(next)).await;
        Some(next)
    }

    /// One scheduled poll, and what it means for the next: success clears the failures (and
    /// waits if the API's window is exhausted), a failure backs off, waits or stops.
    pub async fn tick(&self, st: &mut LoopState) {
        let Some(polled) = self.poll_leased().await else {
            tracing::debug!(feed = %self.ctx.name, "another instance is polling this feed");
            return;
        };
        let decision = match polled {
            Ok((_, wait)) => {
                st.failures = 0;
                wait.map(|delay| Decision::Wait {
                    delay,
                    state: "rate_limited",
                })
            }
            Err(e) => self.after_failure(&e, &mut st.failures),
        };
        match decision {
            None => (st.not_before, st.state) = (None, "ok"),
            Some(Decision::Wait { delay, state }) => {
                let delay = chrono::Duration::from_std(delay).unwrap_or_default();
                (st.not_before, st.state) = (Some(self.clock.now() + delay), state);
            }
            Some(Decision::Stop { state }) => (st.stopped, st.state) = (true, state),
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

    /// Takes or renews this instance's lease on the feed; `false` while another instance
    /// holds it (or the database cannot say: then nobody polls rather than two).
    async fn renew_lease(&self) -> bool {
        let now = self.clock.now();
        let until = now + chrono::Duration::seconds(FEED_LEASE_SECS);
        let held = self
            .store
            .lease_feed(self.ctx.feed_id, &self.owner, now, until)
            .await;
        held.unwrap_or_else(|e| {
            tracing::warn!(feed = %self.ctx.name, error = %e, "could not lease the feed");
            false
        })
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

    /// One tick's poll ([`Self::poll_tick`]) under the feed's lease, released after it so that
    /// the next tick may fall to any instance; `None` when another instance holds the lease
    /// (nothing was polled).
    pub async fn poll_leased(&self) -> Option<Result<(IngestReport, Option<Duration>), PollError>> {
        if !self.renew_lease().await {
            return None;
        }
        let polled = self.poll_tick().await;
        if let Err(e) = self.store.release_feed(self.ctx.feed_id, &self.owner).await {
            tracing::warn!(feed = %self.ctx.name, error = %e, "could not release the feed's lease");
        }
        Some(polled)
    }

    /// Fetches pages until the source has nothing more ready (or the per-tick cap), ingesting
    /// each in its own transaction. Failures are recorded on the feed.
    pub async fn poll_once(&self) -> Result<IngestReport, PollError> {
        self.poll_tick().await.map(|(report, _)| report)
    }

    /// [`Self::poll_once`], also returning how long the API asked to be left alone when a page
    /// reported an exhausted rate-limit window (the tick stops fetching at that page).
    pub async fn poll_tick(&self) -> Result<(IngestReport, Option<Duration>), PollError> {
        self.poll_tick_with(&mut |_: &IngestReport| {}).await
    }

    /// [`Self::poll_once`], telling `on_page` what each page did (a backfill's progress).
    pub async fn poll_once_with(
        &self,
        on_page: &mut (dyn FnMut(&IngestReport) + Send),
    ) -> Result<IngestReport, PollError> {
        self.poll_tick_with(on_page).await.map(|(report, _)| report)
    }

    async fn poll_tick_with(
        &self,
        on_page: &mut (dyn FnMut(&IngestReport) + Send),
    ) -> Result<(IngestReport, Option<Duration>), PollError> {
        let result = self.poll_pages(on_page).await;
        if let Err(e) = &result {
            metrics::counter!("vigia_feed_failures_total", "feed" => self.ctx.name.clone())
                .increment(1);
            self.store
                .record_feed_failure(self.ctx.feed_id, &e.to_string(), self.clock.now())
                .await?;
        }
        result
    }

    /// What fetching and preparing a page of this feed takes, owned.
    fn fetcher(&self) -> Fetcher<S> {
        Fetcher {
            source: self.source.clone(),
            query: self.query.clone(),
            ctx: self.ctx.clone(),
            ingestor: self.ingestor.clone(),
        }
    }

    async fn poll_pages(
        &self,
        on_page: &mut (dyn FnMut(&IngestReport) + Send),
    ) -> Result<(IngestReport, Option<Duration>), PollError> {
        let mut total = IngestReport::default();
        let mut wait = None;
        let pages = self.max_pages.max(1);
        // The next page, fetched and analyzed on another task while this one is written:
        // a feed's pages otherwise take turns between the CPU (reading, analysis) and the
        // writer. Dropped (and stopped) when this page fails or the lease is lost.
        let mut ahead: Option<Ahead> = None;
        let mut cursor = None;
        for n in 1..=pages {
            if !self.renew_lease().await {
                break;
            }
            let (page, prepared) = match ahead.take() {
                Some(next) => next.join().await?,
                None => {
                    cursor = self.store.feed_cursor(self.ctx.feed_id).await?;
                    self.fetcher().fetch(cursor.clone()).await?
                }
            };
            let last = n == pages || !page.more || page.wait.is_some();
            if !last {
                // The cursor this page's transaction stores: the page's own, or the one it
                // was asked from when it names none (`save_cursor` keeps it then).
                cursor = page.next_cursor.clone().or(cursor);
                ahead = Some(Ahead::spawn(self.fetcher(), cursor.clone()));
            }
            let report = self
                .ingestor
                .ingest_prepared(&self.ctx, &page, prepared)
                .await?;
            on_page(&report);
            total.add(report);
            if report.incidents_opened > 0 || report.stored > 0 {
                self.outbox_wake.notify_one();
            }
            wait = page.wait;
            if last {
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

/// Fetches one page of a feed (waiting for the host's rate limit first) and prepares it for
/// ingest; owned, so the next page can be fetched on another task while one is written.
struct Fetcher<S: Store> {
    source: Arc<dyn Source>,
    query: FeedQuery,
    ctx: FeedCtx,
    ingestor: Arc<Ingestor<S>>,
}

type Fetched = Result<(Page, Prepared), PollError>;

impl<S: Store> Fetcher<S> {
    async fn fetch(self, cursor: Option<Cursor>) -> Fetched {
        if let Some((host, per_minute)) = self.source.pacing() {
            limits::until_ready(&host, per_minute).await;
        }
        let page = self.source.fetch(&self.query, cursor.as_ref()).await?;
        let prepared = self.ingestor.prepare(&self.ctx, &page);
        Ok((page, prepared))
    }
}

/// A page being fetched and prepared on its own task; stopped when dropped unjoined
/// (aborting a task that has finished does nothing).
struct Ahead(tokio::task::JoinHandle<Fetched>);

impl Ahead {
    fn spawn<S: Store>(fetcher: Fetcher<S>, cursor: Option<Cursor>) -> Ahead {
        Ahead(tokio::spawn(fetcher.fetch(cursor)))
    }

    async fn join(mut self) -> Fetched {
        match (&mut self.0).await {
            Ok(fetched) => fetched,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            // Only a runtime shutting down cancels it before it is joined: try again later.
            Err(e) => {
                Err(SourceError::Unavailable(format!("the next page was not fetched: {e}")).into())
            }
        }
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.0.abort();
    }
}
