//! Ingest: one page from a source becomes stored, analyzed mentions — together with the
//! incidents, tickets and queued alerts they cause and the feed's new cursor — in ONE
//! transaction. A crash therefore never loses a mention nor skips one (the cursor only moves
//! with the data), and a replayed page dedupes on `(source, external_id, brand)`.
//!
//! A mention belongs to every brand it matches: the feed's brand when the feed's scope admits
//! it, and every other brand whose own `query` admits it. It is stored once per brand (with
//! that brand's analysis), so each brand's rollups, share of voice, incidents and tickets count
//! it, and two brands' feeds finding the same post both keep it.

use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::analysis::query::Doc;
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

/// Another configured brand with a scope query of its own: a mention any feed fetches also
/// belongs to it when the query admits it.
#[derive(Debug, Clone)]
pub struct AlsoBrand {
    pub brand: Brand,
    pub scope: Arc<BrandScope>,
}

/// What one page did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct IngestReport {
    pub received: usize,
    /// Mentions stored, once per brand each belongs to.
    pub stored: usize,
    /// Mentions the brand already had (per brand, like `stored`).
    pub duplicates: usize,
    /// Mentions that belong to no brand: outside the feed's scope (and every other brand's
    /// query), or matching an exclusion.
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
    /// Brands with a scope query: candidates for the mentions of every feed.
    also: Vec<AlsoBrand>,
    times: WriteTimes,
}

/// How long this process's pages waited for their write transaction and held it, in all
/// (microseconds), and how many pages: what `vigia bench ingest` prints, and the sums of the
/// `vigia_ingest_page_*_seconds` metrics.
#[derive(Debug, Default)]
struct WriteTimes {
    waited_us: AtomicU64,
    held_us: AtomicU64,
    pages: AtomicU64,
}

/// [`Ingestor::write_times`]: totals over every page written so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteTotals {
    /// Time pages waited for their write transaction to begin.
    pub waited: Duration,
    /// Time pages held it, from `BEGIN` to the end of `COMMIT`.
    pub held: Duration,
    pub pages: u64,
}

/// The mentions of a page (by index) that belong to one brand, with that brand's analyses.
struct BrandShare {
    brand: Brand,
    indices: Vec<usize>,
    analyses: Vec<Analysis>,
    /// What each mention adds to the rollups if it is stored (its terms are read here,
    /// before the write lock, like its analysis).
    deltas: Vec<RollupDelta>,
}

/// A page read and analyzed, ready to be written ([`Ingestor::prepare`]): which brands each
/// mention belongs to, with each brand's analyses and rollup deltas. It owns what it holds,
/// so the next page can be prepared on another thread while this one is written; it
/// describes only the page it was prepared from.
pub struct Prepared {
    shares: Vec<BrandShare>,
}

/// One brand's part of a page, as [`Ingestor::store_page`] writes it: the mentions with their
/// analyses, and what each adds to the rollups.
struct PageShare<'a> {
    brand: &'a Brand,
    items: &'a [(&'a Mention, &'a Analysis)],
    deltas: &'a [RollupDelta],
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
            also: Vec::new(),
            times: WriteTimes::default(),
        }
    }

    /// Also stores each mention for these brands when their scope admits it (brands without
    /// a query of their own are left out: they take only their feeds' mentions).
    pub fn with_brands(mut self, also: Vec<AlsoBrand>) -> Self {
        self.also = also;
        self
    }

    /// How long the pages written so far waited for and held their write transactions.
    pub fn write_times(&self) -> WriteTotals {
        let us = |a: &AtomicU64| Duration::from_micros(a.load(Ordering::Relaxed));
        WriteTotals {
            waited: us(&self.times.waited_us),
            held: us(&self.times.held_us),
            pages: self.times.pages.load(Ordering::Relaxed),
        }
    }

    /// Stores a page of `feed` in one transaction, with its analyses, crisis signals and
    /// tickets, and advances the feed's cursor.
    pub async fn ingest(&self, feed: &FeedCtx, page: &Page) -> StoreResult<IngestReport> {
        let prepared = self.prepare(feed, page);
        self.ingest_prepared(feed, page, prepared).await
    }

    /// [`Self::ingest`] of a page already [prepared](Self::prepare) (from this `page`).
    pub async fn ingest_prepared(
        &self,
        feed: &FeedCtx,
        page: &Page,
        prepared: Prepared,
    ) -> StoreResult<IngestReport> {
        let shares = prepared.shares;
        let report = self.ingest_page(feed, page, &shares).await;
        if report.is_err() {
            // The transaction rolled back: the crisis state in memory must not keep its part.
            for share in &shares {
                self.crisis.forget(share.brand.id).await;
            }
        }
        report
    }

    /// Which brands each mention of `page` belongs to, with each brand's analysis and rollup
    /// delta. Scope, analysis and the rollups' terms are pure CPU work, done before the write
    /// lock is taken (every moment under it is a moment no other feed can write), and it
    /// reads nothing from the store, so a feed can prepare its next page while this one is
    /// written. In brand-id order, so that transactions touching several brands lock them in
    /// one order (no deadlock between instances).
    pub fn prepare(&self, feed: &FeedCtx, page: &Page) -> Prepared {
        let others = self
            .also
            .iter()
            .filter(|o| o.brand.id != feed.brand.id)
            .map(|o| (&o.brand, o.scope.as_ref()));
        let scopes: Vec<(&Brand, &BrandScope)> =
            std::iter::once((&feed.brand, feed.scope.as_ref()))
                .chain(others)
                .collect();
        // Each mention is read (language, words) once, however many scopes check it.
        let docs: Vec<Doc> = if scopes.iter().all(|(_, s)| s.admits_all()) {
            Vec::new()
        } else {
            page.mentions.iter().map(BrandScope::doc).collect()
        };
        let mut shares: Vec<BrandShare> = scopes
            .into_iter()
            .filter_map(|(brand, scope)| {
                let indices: Vec<usize> = (0..page.mentions.len())
                    .filter(|&i| scope.admits_all() || scope.admits_doc(&docs[i]))
                    .collect();
                let own = brand.id == feed.brand.id;
                (own || !indices.is_empty()).then(|| {
                    let analyses = self.analyze(indices.iter().map(|&i| &page.mentions[i]), brand);
                    let deltas = indices
                        .iter()
                        .zip(&analyses)
                        .map(|(&i, a)| RollupDelta::of(brand.id, &page.mentions[i], a))
                        .collect();
                    BrandShare {
                        analyses,
                        deltas,
                        brand: brand.clone(),
                        indices,
                    }
                })
            })
            .collect();
        shares.sort_by_key(|s| s.brand.id);
        Prepared { shares }
    }

    fn analyze<'m>(
        &self,
        mentions: impl Iterator<Item = &'m Mention>,
        brand: &Brand,
    ) -> Vec<Analysis> {
        let seconds = metrics::histogram!("vigia_analysis_seconds");
        mentions
            .map(|m| {
                let started = std::time::Instant::now();
                let analysis = self.analyzer.analyze_for_brand(m, &brand.name);
                seconds.record(started.elapsed().as_secs_f64());
                analysis
            })
            .collect()
    }

    async fn ingest_page(
        &self,
        feed: &FeedCtx,
        page: &Page,
        shares: &[BrandShare],
    ) -> StoreResult<IngestReport> {
        let now = self.clock.now();
        let mut belongs = vec![false; page.mentions.len()];
        for &i in shares.iter().flat_map(|s| &s.indices) {
            belongs[i] = true;
        }
        let mut report = IngestReport {
            received: page.mentions.len(),
            out_of_scope: belongs.iter().filter(|b| !**b).count(),
            ..Default::default()
        };
        // How long the page waited for the write transaction, and how long it held it: on
        // SQLite every write goes through one connection, so the held time over a minute is
        // how busy the writer is (near one second a second: saturated).
        let asked = std::time::Instant::now();
        let mut tx = self.store.begin().await?;
        let begun = std::time::Instant::now();
        let waited = begun - asked;
        metrics::histogram!("vigia_ingest_page_wait_seconds").record(waited.as_secs_f64());
        for share in shares {
            let items: Vec<_> = share
                .indices
                .iter()
                .map(|&i| &page.mentions[i])
                .zip(&share.analyses)
                .collect();
            let page = PageShare {
                brand: &share.brand,
                items: &items,
                deltas: &share.deltas,
            };
            self.store_page(&mut tx, feed.feed_id, page, now, &mut report)
                .await?;
        }
        tx.save_cursor(
            feed.feed_id,
            page.next_cursor.as_ref(),
            report.stored as i64,
            now,
        )
        .await?;
        tx.commit().await?;
        let held = begun.elapsed();
        metrics::histogram!("vigia_ingest_page_transaction_seconds").record(held.as_secs_f64());
        let us = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        let times = &self.times;
        times.waited_us.fetch_add(us(waited), Ordering::Relaxed);
        times.held_us.fetch_add(us(held), Ordering::Relaxed);
        times.pages.fetch_add(1, Ordering::Relaxed);
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
        feed_id: i64,
        page: PageShare<'_>,
        now: DateTime<Utc>,
        report: &mut IngestReport,
    ) -> StoreResult<()> {
        let PageShare {
            brand,
            items,
            deltas,
        } = page;
        let ctx = MentionCtx {
            brand_id: brand.id,
            feed_id,
        };
        // The crisis state must be read before the page is written (see `Detector::prepare`).
        self.crisis.prepare(tx, brand).await?;
        let (authors, customers) = self.tickets.authors(tx, brand, items).await?;
        let ids = tx.insert_mentions(&ctx, items, &customers, now).await?;
        let stored: Vec<(i64, &Mention, &Analysis)> = items
            .iter()
            .zip(&ids)
            .filter_map(|(&(m, a), id)| id.map(|id| (id, m, a)))
            .collect();
        report.stored += stored.len();
        report.duplicates += items.len() - stored.len();
        // Duplicates add nothing (rarely any: the whole page, as computed, otherwise).
        if stored.len() == deltas.len() {
            tx.bump_rollups_page(deltas).await?;
        } else {
            let of_stored: Vec<RollupDelta> = deltas
                .iter()
                .zip(&ids)
                .filter(|(_, id)| id.is_some())
                .map(|(d, _)| d.clone())
                .collect();
            tx.bump_rollups_page(&of_stored).await?;
        }
        for &(id, mention, analysis) in &stored {
            let outcome = self
                .crisis
                .on_mention(tx, brand, id, mention, analysis, now)
                .await?;
            if let Outcome::Opened { .. } = outcome {
                report.incidents_opened += 1;
            }
        }
        self.crisis.finish_page(tx, brand).await?;
        for outcome in self
            .tickets
            .on_page(tx, brand, authors, &stored, now)
            .await?
        {
            match outcome {
                TicketOutcome::Opened { .. } => report.tickets_opened += 1,
                TicketOutcome::Appended { .. } => report.tickets_appended += 1,
                TicketOutcome::None => {}
            }
        }
        Ok(())
    }
}
