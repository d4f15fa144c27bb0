//! Wiring: turns a validated [`Config`] into running components and runs them.
//!
//! `App::build` validates everything a user can get wrong (brands, feeds, cron expressions,
//! rule files, templates, mail settings) before anything runs, so bad config fails at start
//! with a message naming file, key and problem.

use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::analysis::{Analyzer, CategoryRules, LexiconSentiment};
use crate::clock::Clock;
use crate::config::{Config, ConfigError, StorageConfig};
use crate::crisis::{CrisisRules, Detector};
use crate::domain::{Brand, FeedQuery, Lang};
use crate::helpdesk::import::import_csv;
use crate::helpdesk::{TicketRules, Tickets};
use crate::ingest::{FeedCtx, IngestReport, Ingestor};
use crate::notify::alerts::Alerter;
use crate::notify::email::EmailNotifier;
use crate::notify::outbox::{OutboxWorker, PassReport};
use crate::notify::templates::Templates;
use crate::schedule::{FeedRunner, validate_schedule};
use crate::sources;
use crate::storage::Store;
use crate::storage::sqlite::SqliteStore;

pub struct App {
    pub config: Config,
    store: SqliteStore,
    runners: Vec<Arc<FeedRunner<SqliteStore>>>,
    outbox: Arc<OutboxWorker<SqliteStore>>,
    clock: Arc<dyn Clock>,
}

/// Components that only depend on the config files, built before the database is touched.
struct Parts {
    ingestor_parts: (Arc<Analyzer>, Arc<Detector>, Arc<Tickets>),
    email: Arc<EmailNotifier>,
}

impl App {
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> Result<App> {
        validate_brands(&config)?;
        let parts = build_parts(&config)?;
        let store = open_store(&config).await?;
        store
            .migrate()
            .await
            .context("applying database migrations")?;
        let (analyzer, detector, tickets) = parts.ingestor_parts;
        let ingestor = Arc::new(Ingestor::new(
            store.clone(),
            analyzer,
            detector,
            tickets,
            clock.clone(),
        ));
        let wake = Arc::new(Notify::new());
        let mut runners = Vec::new();
        for (index, feed) in config.feeds.iter().enumerate() {
            let key = format!("feeds[{index}] ({})", feed.name());
            let schedule = validate_schedule(&config.source_file, &key, feed.schedule())?;
            let source = sources::build(&config, index, feed, clock.clone())?;
            let brand_cfg = config.brand(feed.brand()).ok_or_else(|| {
                ConfigError::invalid(
                    &config.source_file,
                    format!("{key}.brand"),
                    format!("no brand named '{}'", feed.brand()),
                )
            })?;
            let brand_id = store
                .upsert_brand(&brand_cfg.name, brand_cfg.label(), &brand_cfg.lang)
                .await?;
            let feed_id = store
                .upsert_feed(feed.name(), brand_id, source.kind())
                .await?;
            let brand = Brand {
                id: brand_id,
                name: brand_cfg.name.clone(),
                display_name: brand_cfg.label().to_owned(),
                lang: Lang::from_code(&brand_cfg.lang),
            };
            let query = FeedQuery {
                feed: feed.name().to_owned(),
                brand: brand.name.clone(),
                terms: feed.terms().to_vec(),
            };
            runners.push(Arc::new(FeedRunner {
                ctx: FeedCtx {
                    feed_id,
                    name: feed.name().to_owned(),
                    brand,
                },
                query,
                schedule,
                source,
                ingestor: ingestor.clone(),
                store: store.clone(),
                clock: clock.clone(),
                outbox_wake: wake.clone(),
            }));
        }
        let outbox = Arc::new(OutboxWorker::new(
            store.clone(),
            parts.email,
            clock.clone(),
            config.outbox.clone(),
            wake,
        ));
        Ok(App {
            config,
            store,
            runners,
            outbox,
            clock,
        })
    }

    pub fn store(&self) -> &SqliteStore {
        &self.store
    }

    fn runner(&self, feed: &str) -> Result<&Arc<FeedRunner<SqliteStore>>> {
        match self.runners.iter().find(|r| r.ctx.name == feed) {
            Some(r) => Ok(r),
            None => bail!(
                "no feed named '{feed}' in {}",
                self.config.source_file.display()
            ),
        }
    }

    /// One poll of one feed, as `vigia poll --feed NAME --once` does.
    pub async fn poll_once(&self, feed: &str) -> Result<IngestReport> {
        Ok(self.runner(feed)?.poll_once().await?)
    }

    pub async fn reset_cursor(&self, feed: &str) -> Result<()> {
        let id = self.runner(feed)?.ctx.feed_id;
        Ok(self.store.reset_feed_cursor(id).await?)
    }

    /// Delivers every queued message that is due.
    pub async fn flush_outbox(&self) -> Result<PassReport> {
        Ok(self.outbox.pass().await?)
    }

    /// Runs one feed on its schedule until cancelled (`vigia poll --feed NAME`).
    pub async fn run_feed(&self, feed: &str, cancel: CancellationToken) -> Result<()> {
        let runner = self.runner(feed)?.clone();
        let outbox = self.outbox.clone();
        let worker = tokio::spawn({
            let cancel = cancel.clone();
            async move { outbox.run(cancel).await }
        });
        runner.run(cancel).await;
        worker.await.context("outbox worker panicked")?;
        Ok(())
    }

    /// Serves the API and runs every feed and the outbox worker until `cancel` fires; then
    /// lets the current polls finish and flushes the outbox.
    pub async fn serve(&self, listener: TcpListener, cancel: CancellationToken) -> Result<()> {
        self.import_customers_on_start().await?;
        let mut tasks = tokio::task::JoinSet::new();
        for runner in &self.runners {
            let (runner, cancel) = (runner.clone(), cancel.clone());
            tasks.spawn(async move { runner.run(cancel).await });
        }
        let (outbox, c) = (self.outbox.clone(), cancel.clone());
        tasks.spawn(async move { outbox.run(c).await });
        let router = crate::http::router(crate::http::ApiState {
            store: self.store.clone(),
        });
        let c = cancel.clone();
        axum::serve(listener, router)
            .with_graceful_shutdown(async move { c.cancelled().await })
            .await
            .context("HTTP server failed")?;
        while let Some(result) = tasks.join_next().await {
            result.context("background task panicked")?;
        }
        tracing::info!("stopped cleanly");
        Ok(())
    }
}

impl App {
    async fn import_customers_on_start(&self) -> Result<()> {
        for path in &self.config.customers.import_on_start {
            let path = self.config.resolve(path);
            let file = std::fs::File::open(&path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            let report = import_csv(&self.store, file, self.clock.now()).await?;
            for (line, problem) in &report.errors {
                tracing::warn!(file = %path.display(), line, problem = %problem, "customer row skipped");
            }
            tracing::info!(file = %path.display(), created = report.created, updated = report.updated, "customers imported");
        }
        Ok(())
    }
}

async fn open_store(config: &Config) -> Result<SqliteStore> {
    match &config.storage {
        StorageConfig::Sqlite { path } => {
            let path = config.resolve(path);
            SqliteStore::open(&path)
                .await
                .with_context(|| format!("opening SQLite database {}", path.display()))
        }
    }
}

fn validate_brands(config: &Config) -> Result<(), ConfigError> {
    let file = &config.source_file;
    let mut seen = BTreeSet::new();
    for (i, b) in config.brands.iter().enumerate() {
        if b.name.trim().is_empty() || !seen.insert(b.name.as_str()) {
            return Err(ConfigError::invalid(
                file,
                format!("brands[{i}].name"),
                "must be non-empty and unique",
            ));
        }
        if !matches!(b.lang.as_str(), "es" | "en") {
            return Err(ConfigError::invalid(
                file,
                format!("brands[{i}].lang"),
                "must be \"es\" or \"en\"",
            ));
        }
    }
    for (i, p) in config.customers.import_on_start.iter().enumerate() {
        if !config.resolve(p).is_file() {
            return Err(ConfigError::invalid(
                file,
                format!("customers.import_on_start[{i}]"),
                format!("file not found: {}", p.display()),
            ));
        }
    }
    let mut feeds = BTreeSet::new();
    for (i, f) in config.feeds.iter().enumerate() {
        if !feeds.insert(f.name()) {
            return Err(ConfigError::invalid(
                file,
                format!("feeds[{i}].name"),
                format!("duplicate feed name '{}'", f.name()),
            ));
        }
    }
    for (i, r) in config.recipients.iter().enumerate() {
        if let Some(unknown) = r.brands.iter().find(|b| config.brand(b).is_none()) {
            return Err(ConfigError::invalid(
                file,
                format!("recipients[{i}].brands"),
                format!("no brand named '{unknown}'"),
            ));
        }
    }
    Ok(())
}

fn build_parts(config: &Config) -> Result<Parts> {
    let keywords = config.resolve(&config.paths.keywords);
    let alerts = config.resolve(&config.paths.alerts);
    let rules = CategoryRules::load_dir(&keywords)?;
    let known: BTreeSet<&str> = rules.categories().collect();
    let brands: Vec<&str> = config.brands.iter().map(|b| b.name.as_str()).collect();
    let crisis_file = alerts.join("crisis.toml");
    let crisis = CrisisRules::load(&crisis_file, &brands)?;
    if let Some(c) = crisis.critical_categories().find(|c| !known.contains(c)) {
        bail!(ConfigError::invalid(
            &crisis_file,
            "critical_categories",
            format!("category '{c}' is not defined in {}", keywords.display())
        ));
    }
    let tickets_file = alerts.join("tickets.toml");
    let ticket_rules = TicketRules::load(&tickets_file)?;
    if let Some(c) = ticket_rules
        .complaint_categories
        .iter()
        .find(|c| !known.contains(c.as_str()))
    {
        bail!(ConfigError::invalid(
            &tickets_file,
            "complaint_categories",
            format!("category '{c}' is not defined in {}", keywords.display())
        ));
    }
    let templates = Templates::load(&alerts.join("templates"))?;
    let email = Arc::new(EmailNotifier::from_config(&config.mail, &config.base_dir)?);
    let alerter = Alerter::new(
        templates,
        config.recipients.clone(),
        config.http.public_url.clone(),
    );
    let analyzer = Arc::new(Analyzer::new(Arc::new(LexiconSentiment::new()), rules));
    let detector = Arc::new(Detector::new(crisis, alerter));
    let tickets = Arc::new(Tickets::new(ticket_rules));
    Ok(Parts {
        ingestor_parts: (analyzer, detector, tickets),
        email,
    })
}
