//! Wiring: turns a validated [`Config`] into running components and runs them.
//!
//! `App::build` validates everything a user can get wrong (brands, feeds, cron expressions,
//! rule files, templates, mail settings) before anything runs, so bad config fails at start
//! with a message naming file, key and problem.

pub mod bench;
pub mod bench_gen;
pub mod bench_ingest;
pub mod bench_instances;
mod bench_words;
mod build;
mod helpdesk;
mod hooks;
pub mod progress;

use anyhow::{Context, Result, bail};
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::analysis::Analyzer;
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::{Brand, FeedQuery, Lang};
use crate::helpdesk::HELPDESK_CHANNEL;
use crate::helpdesk::connectors::HelpdeskChannel;
use crate::helpdesk::import::import_csv;
use crate::ingest::{FeedCtx, IngestReport, Ingestor};
use crate::notify::channels::Channels;
use crate::notify::outbox::{OutboxWorker, PassReport};
use crate::schedule::{FeedRunner, health};
use crate::sources::{Deps, Secrets};
use crate::storage::AnyStore;
use crate::storage::{LeaseStore, Store};

pub struct App {
    pub config: Config,
    store: AnyStore,
    runners: Vec<Arc<FeedRunner<AnyStore>>>,
    outbox: Arc<OutboxWorker<AnyStore>>,
    clock: Arc<dyn Clock>,
    analyzer: Arc<Analyzer>,
    silence: Arc<health::SilenceWatch>,
    dashboard: Arc<crate::http::dashboard::DashboardSettings>,
    incidents: Arc<crate::crisis::watch::IncidentWatch>,
    digests: Arc<crate::notify::digest::Digests>,
    desk: Arc<crate::helpdesk::Desk>,
    secrets: Arc<dyn Secrets>,
    /// When the retention pass runs (`[privacy].purge_schedule`).
    purge_schedule: cron::Schedule,
}

impl App {
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> Result<App> {
        Self::build_with_secrets(config, clock, crate::sources::secrets::from_env()).await
    }

    /// [`App::build`] with the feeds' and webhooks' credentials from `secrets` instead of the
    /// environment.
    pub async fn build_with_secrets(
        config: Config,
        clock: Arc<dyn Clock>,
        secrets: Arc<dyn Secrets>,
    ) -> Result<App> {
        build::validate_brands(&config)?;
        crate::http::metrics::install(config.feeds.iter().map(|f| f.name()));
        let dashboard = Arc::new(crate::http::dashboard::DashboardSettings::build(&config)?);
        let parts = build::build_parts(&config, &clock, &secrets)?;
        let deps = Deps::new(clock.clone(), secrets.clone());
        let feeds = build::plan_feeds(&config, &deps)?;
        let purge_schedule = crate::config::cron::parse_schedule(&config.privacy.purge_schedule)
            .map_err(|p| {
                crate::config::ConfigError::invalid(
                    &config.source_file,
                    "privacy.purge_schedule".to_owned(),
                    p,
                )
            })?;
        let store = build::open_store(&config).await?;
        store
            .migrate()
            .await
            .context("applying database migrations")?;
        deps.quota.bind(Arc::new(store.clone()));
        let install_id = crate::storage::PrivacyStore::install_id(&store).await?;
        parts.email.set_install_id(&install_id);
        let (analyzer, detector, tickets) = parts.ingestor_parts;
        let analyzer = build::apply_feedback(&config, analyzer, &store).await?;
        let all_brands = build::brands(&config, &store).await?;
        let also = build::also_brands(&config, &all_brands)?;
        let digests = Arc::new(crate::notify::digest::Digests::new(
            parts.templates.clone(),
            &config.recipients,
            all_brands.clone(),
            clock.now(),
        ));
        let incidents = Arc::new(crate::crisis::watch::IncidentWatch::new(
            detector.clone(),
            all_brands,
        ));
        let ingestor = Arc::new(
            Ingestor::new(
                store.clone(),
                analyzer.clone(),
                detector,
                tickets,
                clock.clone(),
            )
            .with_brands(also),
        );
        let wake = Arc::new(Notify::new());
        let instance = crate::storage::leases::instance_id();
        let released = store.release_leases(&instance).await?;
        tracing::info!(instance = %instance, backend = store.backend(), released, "leases of this instance released");
        let mut runners = Vec::new();
        for plan in feeds {
            let brand = &plan.brand;
            let brand_id = store
                .upsert_brand(&brand.name, brand.label(), &brand.lang)
                .await?;
            let feed_id = store
                .upsert_feed(&plan.name, brand_id, plan.source.kind())
                .await?;
            let brand = Brand {
                id: brand_id,
                name: brand.name.clone(),
                display_name: brand.label().to_owned(),
                lang: Lang::from_code(&brand.lang),
            };
            runners.push(Arc::new(FeedRunner {
                query: FeedQuery {
                    feed: plan.name.clone(),
                    brand: brand.name.clone(),
                    terms: plan.terms,
                },
                ctx: FeedCtx {
                    feed_id,
                    name: plan.name,
                    brand,
                    scope: plan.scope,
                },
                schedule: plan.schedule,
                source: plan.source,
                max_pages: plan.max_pages,
                ingestor: ingestor.clone(),
                store: store.clone(),
                clock: clock.clone(),
                outbox_wake: wake.clone(),
                owner: instance.clone(),
            }));
        }
        // Every channel's notifier, registered once: the outbox delivers by this map only.
        let mut channels = Channels::standard(parts.email, parts.webhooks);
        let helpdesk = HelpdeskChannel {
            dispatch: parts.desk.dispatch.clone(),
            store: store.clone(),
            clock: clock.clone(),
        };
        channels.register(HELPDESK_CHANNEL, Arc::new(helpdesk));
        let outbox = Arc::new(OutboxWorker::new(
            store.clone(),
            channels,
            clock.clone(),
            config.outbox.clone(),
            wake,
        ));
        let silence = health::SilenceWatch::new(config.clone(), parts.templates, clock.now());
        Ok(App {
            config,
            store,
            runners,
            outbox,
            silence: Arc::new(silence),
            dashboard,
            incidents,
            digests,
            clock,
            analyzer,
            desk: parts.desk,
            secrets,
            purge_schedule,
        })
    }

    /// From now until `cancel`, SIGHUP reloads the category rules ([`App::reload_rules`]).
    /// The handler is installed before this returns, so call it before announcing readiness.
    #[cfg(unix)]
    pub fn reload_rules_on_sighup(&self, cancel: CancellationToken) -> Result<()> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut hangup = signal(SignalKind::hangup()).context("installing the SIGHUP handler")?;
        let (config, analyzer) = (self.config.clone(), self.analyzer.clone());
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    s = hangup.recv() => if s.is_none() { break },
                    () = cancel.cancelled() => break,
                }
                reload_rules(&config, &analyzer);
            }
        });
        Ok(())
    }

    /// Reloads the category rules from disk (what SIGHUP does while serving).
    pub fn reload_rules(&self) -> bool {
        reload_rules(&self.config, &self.analyzer)
    }

    /// The analyzer the feeds use.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    pub fn store(&self) -> &AnyStore {
        &self.store
    }

    fn runner(&self, feed: &str) -> Result<&Arc<FeedRunner<AnyStore>>> {
        match self.runners.iter().find(|r| r.ctx.name == feed) {
            Some(r) => Ok(r),
            None => bail!(
                "no feed named '{feed}' in {}",
                self.config.source_file.display()
            ),
        }
    }

    /// The runner of one feed (tests drive its ticks explicitly).
    pub fn feed_runner(&self, feed: &str) -> Result<Arc<FeedRunner<AnyStore>>> {
        self.runner(feed).cloned()
    }

    /// One poll of one feed, as `vigia poll --feed NAME --once` does.
    pub async fn poll_once(&self, feed: &str) -> Result<IngestReport> {
        Ok(self.runner(feed)?.poll_once().await?)
    }

    pub async fn reset_cursor(&self, feed: &str) -> Result<()> {
        let id = self.runner(feed)?.ctx.feed_id;
        Ok(self.store.reset_feed_cursor(id).await?)
    }

    /// Queues the `max_silence` notifications due now (see `schedule::health`); returns how
    /// many feeds are silent.
    pub async fn check_feed_health(&self) -> Result<usize> {
        Ok(self.silence.check(&self.store, self.clock.now()).await?)
    }

    /// Escalates unacknowledged incidents and proposes resolving quiet ones (what `serve`
    /// runs once a minute).
    pub async fn check_incidents(&self) -> Result<crate::crisis::watch::WatchReport> {
        Ok(self.incidents.check(&self.store, self.clock.now()).await?)
    }

    /// Queues the digests whose cron time has come since the last check.
    pub async fn send_digests(&self) -> Result<usize> {
        Ok(self.digests.check(&self.store, self.clock.now()).await?)
    }

    /// The helpdesk (ticket rules, SLA notices, surveys, connectors).
    pub fn desk(&self) -> &Arc<crate::helpdesk::Desk> {
        &self.desk
    }

    /// Queues the SLA notices due now; returns how many.
    pub async fn check_sla(&self) -> Result<usize> {
        Ok(self.desk.check_sla(&self.store, self.clock.now()).await?)
    }

    /// Polls the external helpdesks once for status changes.
    pub async fn sync_helpdesks(&self) -> Result<crate::helpdesk::connectors::sync::SyncReport> {
        Ok(self.desk.sync(&self.store, self.clock.now()).await?)
    }

    /// One retention pass now (what the `[privacy].purge_schedule` runs).
    pub async fn purge(&self) -> Result<crate::storage::PurgeReport> {
        Ok(crate::privacy::purge(&self.store, &self.config.privacy, self.clock.now()).await?)
    }

    /// Delivers every queued message that is due.
    pub async fn flush_outbox(&self) -> Result<PassReport> {
        Ok(self.outbox.pass().await?)
    }

    /// Runs one feed on its schedule until cancelled (`vigia poll --feed NAME`), or until the
    /// scheduler stops it (refused credentials).
    pub async fn run_feed(&self, feed: &str, cancel: CancellationToken) -> Result<()> {
        let runner = self.runner(feed)?.clone();
        let outbox = self.outbox.clone();
        let worker_cancel = cancel.child_token();
        let worker = tokio::spawn({
            let cancel = worker_cancel.clone();
            async move { outbox.run(cancel).await }
        });
        runner.run(cancel).await;
        worker_cancel.cancel();
        worker.await.context("outbox worker panicked")?;
        Ok(())
    }

    /// Serves the API and runs every feed and the outbox worker until `cancel` fires; then
    /// lets the current polls finish and flushes the outbox.
    pub async fn serve(&self, listener: TcpListener, cancel: CancellationToken) -> Result<()> {
        self.bootstrap_admin().await?;
        self.import_customers_on_start().await?;
        let mut tasks = tokio::task::JoinSet::new();
        for runner in &self.runners {
            let (runner, cancel) = (runner.clone(), cancel.clone());
            tasks.spawn(async move { runner.run(cancel).await });
        }
        let (outbox, c) = (self.outbox.clone(), cancel.clone());
        tasks.spawn(async move { outbox.run(c).await });
        let (watch, store, clock, c) = (
            self.incidents.clone(),
            self.store.clone(),
            self.clock.clone(),
            cancel.clone(),
        );
        tasks.spawn(async move { watch.run(store, clock, c).await });
        let (digests, store, clock, c) = (
            self.digests.clone(),
            self.store.clone(),
            self.clock.clone(),
            cancel.clone(),
        );
        tasks.spawn(async move { digests.run(store, clock, c).await });
        tasks.spawn(health_loop(
            self.silence.clone(),
            self.store.clone(),
            self.clock.clone(),
            cancel.clone(),
        ));
        tasks.spawn(helpdesk::helpdesk_loop(
            self.desk.clone(),
            self.store.clone(),
            self.clock.clone(),
            self.config.helpdesk.clone(),
            cancel.clone(),
        ));
        tasks.spawn(crate::privacy::run(
            self.store.clone(),
            self.config.privacy.clone(),
            self.purge_schedule.clone(),
            self.clock.clone(),
            cancel.clone(),
        ));
        let hooks = hooks::AppHooks::new(&self.config, &self.runners, self.secrets.clone());
        let router = crate::http::router(crate::http::ApiState {
            store: self.store.clone(),
            hooks: hooks.map(|h| Arc::new(h) as Arc<dyn crate::http::hooks::HookSink>),
            clock: self.clock.clone(),
            dashboard: self.dashboard.clone(),
            shutdown: cancel.clone(),
            desk: self.desk.clone(),
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

/// Reloads the category rules into `analyzer`; broken rules are logged and the old ones kept.
pub fn reload_rules(config: &Config, analyzer: &Analyzer) -> bool {
    match build::load_rules(config) {
        Ok(rules) => {
            tracing::info!(queries = rules.len(), "category rules reloaded");
            analyzer.set_rules(rules);
            true
        }
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "rules not reloaded; keeping the old ones");
            false
        }
    }
}

impl App {
    /// On the first start of a new database: creates the `admin` account and an admin API
    /// token in `[auth].admin_token_file` (mode 0600), and says where it is. Returns the path
    /// when it did so.
    pub async fn bootstrap_admin(&self) -> Result<Option<std::path::PathBuf>> {
        let file = self.config.resolve(&self.config.auth.admin_token_file);
        let written =
            crate::http::auth::accounts::bootstrap_admin(&self.store, &file, self.clock.now())
                .await;
        // Several instances starting together on one new database: one creates the admin.
        let written = match written {
            Err(crate::http::auth::accounts::AccountError::Store(
                crate::storage::StoreError::Conflict(_),
            )) => None,
            other => other?,
        };
        if let Some(path) = &written {
            tracing::warn!(file = %path.display(), "new database: created user 'admin' and wrote its API token here and its dashboard password beside it in admin-password (both mode 0600)");
        }
        Ok(written)
    }

    async fn import_customers_on_start(&self) -> Result<()> {
        for path in &self.config.customers.import_on_start {
            let path = self.config.resolve(path);
            let file = std::fs::File::open(&path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            let report = import_csv(&self.store, file, self.clock.now()).await?;
            for (line, problem) in &report.errors {
                tracing::warn!(file = %path.display(), line, problem = %problem, "customer row skipped");
            }
            tracing::info!(file = %path.display(), created = report.created, updated = report.updated, erased = report.erased, "customers imported");
        }
        Ok(())
    }
}

/// Checks feed silence once a minute until cancelled.
async fn health_loop(
    silence: Arc<health::SilenceWatch>,
    store: AnyStore,
    clock: Arc<dyn Clock>,
    cancel: CancellationToken,
) {
    if !silence.enabled() {
        return;
    }
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tick.tick() => {}
        }
        if let Err(e) = silence.check(&store, clock.now()).await {
            tracing::warn!(error = %e, "feed health check failed");
        }
    }
}
