//! Ingest: one page from a source becomes stored, analyzed mentions — together with the
//! incidents, tickets and queued alerts they cause and the feed's new cursor — in ONE
//! transaction. A crash therefore never loses a mention nor skips one (the cursor only moves
//! with the data), and a replayed page dedupes on `(source, external_id)`.

use std::sync::Arc;

use crate::analysis::{Analyzer, BrandScope};
use crate::clock::Clock;
use crate::crisis::{Detector, Outcome};
use crate::domain::{Brand, Page};
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
        let now = self.clock.now();
        // Scope and analysis are pure CPU work: do them before taking the write lock.
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
        let ctx = MentionCtx {
            brand_id: feed.brand.id,
            feed_id: feed.feed_id,
        };
        let mut report = IngestReport {
            received: page.mentions.len(),
            out_of_scope: page.mentions.len() - mentions.len(),
            ..Default::default()
        };
        let mut tx = self.store.begin().await?;
        for (&mention, analysis) in mentions.iter().zip(&analyses) {
            let Some(id) = tx.insert_mention(&ctx, mention, analysis, now).await? else {
                report.duplicates += 1;
                continue;
            };
            report.stored += 1;
            tx.bump_rollups(&RollupDelta::of(ctx.brand_id, mention, analysis))
                .await?;
            let brand = &feed.brand;
            if let Outcome::Opened { .. } = self
                .crisis
                .on_mention(&mut tx, brand, id, mention, analysis, now)
                .await?
            {
                report.incidents_opened += 1;
            }
            match self
                .tickets
                .on_mention(&mut tx, brand, id, mention, analysis, now)
                .await?
            {
                TicketOutcome::Opened { .. } => report.tickets_opened += 1,
                TicketOutcome::Appended { .. } => report.tickets_appended += 1,
                TicketOutcome::None => {}
            }
        }
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
}
