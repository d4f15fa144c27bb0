//! Ingest: one page from a source becomes stored, analyzed mentions — together with the
//! incidents, tickets and queued alerts they cause and the feed's new cursor — in ONE
//! transaction. A crash therefore never loses a mention nor skips one (the cursor only moves
//! with the data), and a replayed page dedupes on `(source, external_id)`.

use chrono::{DateTime, Utc};
use std::sync::Arc;

use crate::analysis::{Analyzer, BrandScope};
use crate::clock::Clock;
use crate::crisis::{Detector, Outcome};
use crate::domain::{Analysis, Brand, Mention, Page};
use crate::helpdesk::{TicketOutcome, Tickets};
use crate::storage::{MentionCtx, RollupDelta, Store, StoreResult, StoreTx};

/// The feed a page came from.
#[derive(Debug, Clone)]
pub struct FeedCtx {
    pub feed_id: i64,
    pub name: String,
    pub brand: Brand,
    /// Which of the feed's mentions belong to the brand; the others are not stored.
    pub scope: Arc<BrandScope>,
}

/// What one page did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct IngestReport {
    pub received: usize,
    pub stored: usize,
    pub duplicates: usize,
    /// Mentions outside the brand's scope query or matching one of its exclusions.
    pub out_of_scope: usize,
    pub incidents_opened: usize,
    pub tickets_opened: usize,
    pub tickets_appended: usize,
}

impl IngestReport {
    pub fn add(&mut self, other: IngestReport) {
        self.received += other.received;
        self.stored += other.stored;
        self.duplicates += other.duplicates;
        self.out_of_scope += other.out_of_scope;
        self.incidents_opened += other.incidents_opened;
        self.tickets_opened += other.tickets_opened;
        self.tickets_appended += other.tickets_appended;
    }
}

pub struct Ingestor<S: Store> {
    store: S,
    analyzer: Arc<Analyzer>,
    crisis: Arc<Detector>,
    tickets: Arc<Tickets>,
    clock: Arc<dyn Clock>,
}

impl<S: Store> Ingestor<S> {
    pub fn new(
        store: S,
        analyzer: Arc<Analyzer>,
        crisis: Arc<Detector>,
        tickets: Arc<Tickets>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Ingestor {
            store,
            analyzer,
            crisis,
            tickets,
            clock,
        }
    }

    pub async fn ingest(&self, feed: &FeedCtx, page: &Page) -> StoreResult<IngestReport> {
        let report = self.ingest_page(feed, page).await;
        if report.is_err() {
            // The transaction rolled back: the crisis state in memory must not keep its part.
            self.crisis.forget(feed.brand.id).await;
        }
        report
    }

    async fn ingest_page(&self, feed: &FeedCtx, page: &Page) -> StoreResult<IngestReport> {
        let now = self.clock.now();
        // Scope, analysis and rollup terms are pure CPU work: do them before taking the write
        // lock.
        let mentions: Vec<_> = page
            .mentions
            .iter()
            .filter(|m| feed.scope.admits(m))
            .collect();
        let seconds = metrics::histogram!("vigia_analysis_seconds");
        let analyses: Vec<_> = mentions
            .iter()
            .map(|m| {
                let started = std::time::Instant::now();
                let analysis = self.analyzer.analyze_for_brand(m, &feed.brand.name);
                seconds.record(started.elapsed().as_secs_f64());
                analysis
            })
            .collect();
        let items: Vec<_> = mentions.iter().copied().zip(&analyses).collect();
        let mut report = IngestReport {
            received: page.mentions.len(),
            out_of_scope: page.mentions.len() - mentions.len(),
            ..Default::default()
        };
        let mut tx = self.store.begin().await?;
        self.store_page(&mut tx, feed, &items, now, &mut report)
            .await?;
        tx.save_cursor(
            feed.feed_id,
            page.next_cursor.as_ref(),
            report.stored as i64,
            now,
        )
        .await?;
        tx.commit().await?;
        metrics::counter!("vigia_mentions_ingested_total", "feed" => feed.name.clone())
            .increment(report.stored as u64);
        Ok(report)
    }

    /// The page's writes inside the transaction: mentions and analyses in a few multi-row
    /// statements, rollups once for the page, then crisis per stored mention (in page order)
    /// and the page's ticket decisions.
    async fn store_page(
        &self,
        tx: &mut S::Tx,
        feed: &FeedCtx,
        items: &[(&Mention, &Analysis)],
        now: DateTime<Utc>,
        report: &mut IngestReport,
    ) -> StoreResult<()> {
        let ctx = MentionCtx {
            brand_id: feed.brand.id,
            feed_id: feed.feed_id,
        };
        let ids = tx.insert_mentions(&ctx, items, now).await?;
        let stored: Vec<(i64, &Mention, &Analysis)> = items
            .iter()
            .zip(&ids)
            .filter_map(|(&(m, a), id)| id.map(|id| (id, m, a)))
            .collect();
        report.stored = stored.len();
        report.duplicates = items.len() - stored.len();
        let deltas: Vec<RollupDelta> = stored
            .iter()
            .map(|(_, m, a)| RollupDelta::of(ctx.brand_id, m, a))
            .collect();
        tx.bump_rollups_page(&deltas).await?;
        let brand = &feed.brand;
        for &(id, mention, analysis) in &stored {
            let outcome = self
                .crisis
                .on_mention(tx, brand, id, mention, analysis, now)
                .await?;
            if let Outcome::Opened { .. } = outcome {
                report.incidents_opened += 1;
            }
        }
        for outcome in self.tickets.on_page(tx, brand, &stored, now).await? {
            match outcome {
                TicketOutcome::Opened { .. } => report.tickets_opened += 1,
                TicketOutcome::Appended { .. } => report.tickets_appended += 1,
                TicketOutcome::None => {}
            }
        }
        Ok(())
    }
}
