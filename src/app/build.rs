//! Validating the configuration and building the components that only depend on it.

use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::sync::Arc;

use crate::analysis::sentiment::Overrides;
use crate::analysis::{Analyzer, BrandScope, CategoryRules, SentimentEngine};
use crate::config::BrandConfig;
use crate::config::{Config, ConfigError, StorageConfig};
use crate::crisis::{CrisisRules, Detector};
use crate::helpdesk::{TicketRules, Tickets};

use crate::config::cron::validate_schedule;
use crate::notify::alerts::Alerter;
use crate::notify::email::EmailNotifier;
use crate::notify::templates::Templates;
use crate::notify::webhooks::WebhookSender;
use crate::sources::{self, Deps, Source};
use crate::storage::AnyStore;
use crate::storage::postgres::{DATABASE_URL_VAR, PgStore};
use crate::storage::sqlite::SqliteStore;

/// Components that only depend on the config files, built before the database is touched.
pub(super) struct Parts {
    pub ingestor_parts: (Arc<Analyzer>, Arc<Detector>, Arc<Tickets>),
    pub desk: Arc<crate::helpdesk::Desk>,
    pub email: Arc<EmailNotifier>,
    pub templates: Arc<Templates>,
    pub webhooks: Arc<WebhookSender>,
}

pub(super) async fn open_store(config: &Config) -> Result<AnyStore> {
    match &config.storage {
        StorageConfig::Sqlite { path } => {
            let path = config.resolve(path);
            let store = SqliteStore::open(&path)
                .await
                .with_context(|| format!("opening SQLite database {}", path.display()))?;
            Ok(AnyStore::Sqlite(store))
        }
        StorageConfig::Postgres {
            max_connections,
            database,
        } => {
            let store = PgStore::connect_from_env(database.as_deref(), *max_connections)
                .await
                .with_context(|| format!("opening the PostgreSQL database ({DATABASE_URL_VAR})"))?;
            Ok(AnyStore::Postgres(store))
        }
    }
}

pub(super) fn validate_brands(config: &Config) -> Result<(), ConfigError> {
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
        brand_scope(file, config, b)?;
        if let Some((w, _)) = b
            .sentiment_words
            .iter()
            .find(|(_, v)| !(-4.0..=4.0).contains(*v))
        {
            return Err(ConfigError::invalid(
                file,
                format!("brands[{i}].sentiment_words.{w}"),
                "valence must be between -4 and 4",
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
        if let Err((key, problem)) = crate::notify::routing::validate(r) {
            return Err(ConfigError::invalid(
                file,
                format!("recipients[{i}].{key}"),
                problem,
            ));
        }
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

/// Loads the category rules and the alert rules, and checks that every category the alert
/// rules name is defined by the category rules.
fn load_rule_files(config: &Config) -> Result<(CategoryRules, CrisisRules, TicketRules)> {
    let keywords = config.resolve(&config.paths.keywords);
    let alerts = config.resolve(&config.paths.alerts);
    for (key, dir) in [("paths.keywords", &keywords), ("paths.alerts", &alerts)] {
        if !dir.is_dir() {
            bail!(ConfigError::invalid(
                &config.source_file,
                key,
                format!("{} is not a directory", dir.display())
            ));
        }
    }
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
    if let Some(c) = ticket_rules.categories().find(|c| !known.contains(c)) {
        bail!(ConfigError::invalid(
            &tickets_file,
            "categories",
            format!("category '{c}' is not defined in {}", keywords.display())
        ));
    }
    Ok((rules, crisis, ticket_rules))
}

/// The category rules, checked like at start-up (for reloading them on SIGHUP).
pub(super) fn load_rules(config: &Config) -> Result<CategoryRules> {
    Ok(load_rule_files(config)?.0)
}

pub(super) fn build_parts(
    config: &Config,
    clock: &Arc<dyn crate::clock::Clock>,
    secrets: &Arc<dyn crate::sources::Secrets>,
) -> Result<Parts> {
    let alerts = config.resolve(&config.paths.alerts);
    let (rules, crisis, ticket_rules) = load_rule_files(config)?;
    let templates = Arc::new(Templates::load(&alerts.join("templates"))?);
    let email = EmailNotifier::from_config(&config.mail, &config.base_dir)
        .map_err(|e| ConfigError::invalid(&config.source_file, "mail", e.to_string()))?;
    let email = Arc::new(email);
    let alerter = Alerter::new(
        templates.clone(),
        config.recipients.clone(),
        config.http.public_url.clone(),
    );
    let analyzer = Arc::new(analyzer(config, rules));
    let detector = Arc::new(Detector::new(crisis, alerter));
    let desk = Arc::new(super::helpdesk::build_desk(
        config,
        ticket_rules,
        clock,
        secrets.as_ref(),
    )?);
    let tickets = desk.tickets.clone();
    let webhooks = WebhookSender::from_recipients(&config.recipients, secrets.as_ref()).map_err(
        |(i, key, problem)| {
            ConfigError::invalid(
                &config.source_file,
                format!("recipients[{i}].{key}"),
                problem,
            )
        },
    )?;
    Ok(Parts {
        ingestor_parts: (analyzer, detector, tickets),
        desk,
        email,
        templates,
        webhooks: Arc::new(webhooks),
    })
}

/// The brand's scope query and exclusions; errors name `brands[i].query` or `.exclude[j]`.
fn brand_scope(
    file: &std::path::Path,
    config: &Config,
    brand: &BrandConfig,
) -> Result<BrandScope, ConfigError> {
    let index = config.brands.iter().position(|b| b.name == brand.name);
    BrandScope::new(brand.query.as_deref(), &brand.exclude).map_err(|(key, e)| {
        ConfigError::invalid(
            file,
            format!("brands[{}].{key}", index.unwrap_or(0)),
            e.to_string(),
        )
    })
}

/// The brands with a scope query of their own: any feed's mention that their query admits
/// belongs to them too (see [`crate::ingest`]).
pub(super) fn also_brands(
    config: &Config,
    brands: &[crate::domain::Brand],
) -> Result<Vec<crate::ingest::AlsoBrand>, ConfigError> {
    let file = &config.source_file;
    config
        .brands
        .iter()
        .zip(brands)
        .filter(|(b, _)| b.query.as_deref().is_some_and(|q| !q.trim().is_empty()))
        .map(|(b, brand)| {
            Ok(crate::ingest::AlsoBrand {
                brand: brand.clone(),
                scope: Arc::new(brand_scope(file, config, b)?),
            })
        })
        .collect()
}

/// The brand's scope narrowed by the feed's own `query`: fetched posts are re-checked against
/// both, whatever the API's search let through. Errors name `feeds[i].query`.
fn feed_scope(
    file: &std::path::Path,
    config: &Config,
    brand: &BrandConfig,
    key: &str,
    query: Option<&str>,
) -> Result<BrandScope, ConfigError> {
    let Some(feed_query) = query.filter(|q| !q.trim().is_empty()) else {
        return brand_scope(file, config, brand);
    };
    crate::analysis::query::Query::parse(feed_query)
        .map_err(|e| ConfigError::invalid(file, format!("{key}.query"), e.to_string()))?;
    brand_scope(file, config, brand)?;
    let both = match brand.query.as_deref() {
        Some(b) => format!("({b}) AND ({feed_query})"),
        None => feed_query.to_owned(),
    };
    BrandScope::new(Some(&both), &brand.exclude)
        .map_err(|(k, e)| ConfigError::invalid(file, format!("{key}.{k}"), e.to_string()))
}

/// A feed whose settings are all valid, ready to be registered and run.
pub(super) struct FeedPlan {
    pub name: String,
    pub brand: BrandConfig,
    pub terms: Vec<String>,
    pub scope: Arc<BrandScope>,
    pub schedule: cron::Schedule,
    pub source: Arc<dyn Source>,
    pub max_pages: usize,
}

/// Validates every feed (brand, cron expression, source settings) before anything runs.
pub(super) fn plan_feeds(config: &Config, deps: &Deps) -> Result<Vec<FeedPlan>, ConfigError> {
    let file = &config.source_file;
    config
        .feeds
        .iter()
        .enumerate()
        .map(|(index, feed)| {
            let key = format!("feeds[{index}] ({})", feed.name());
            let brand = config.brand(feed.brand()).ok_or_else(|| {
                ConfigError::invalid(
                    file,
                    format!("{key}.brand"),
                    format!("no brand named '{}'", feed.brand()),
                )
            })?;
            if feed.max_pages_per_tick() == 0 {
                return Err(ConfigError::invalid(
                    file,
                    format!("{key}.max_pages_per_tick"),
                    "must be at least 1",
                ));
            }
            Ok(FeedPlan {
                name: feed.name().to_owned(),
                brand: brand.clone(),
                terms: feed.terms().to_vec(),
                scope: Arc::new(feed_scope(file, config, brand, &key, feed.query())?),
                schedule: validate_schedule(file, &key, feed.schedule())?,
                source: sources::build(config, index, feed, deps)?,
                max_pages: feed.max_pages_per_tick() as usize,
            })
        })
        .collect()
}

/// The analyzer, with an engine of its own for each brand that re-weights sentiment words.
fn analyzer(config: &Config, rules: CategoryRules) -> Analyzer {
    let mut analyzer = Analyzer::new(Arc::new(SentimentEngine::new()), rules);
    for brand in config
        .brands
        .iter()
        .filter(|b| !b.sentiment_words.is_empty())
    {
        let overrides = Overrides {
            words: brand.sentiment_words.clone().into_iter().collect(),
        };
        let engine = SentimentEngine::with_overrides(&overrides);
        analyzer = analyzer.with_brand_sentiment(&brand.name, Arc::new(engine));
    }
    analyzer
}

/// The analyzer with the sentiment phrases of stored corrections added to each corrected
/// brand's engine (see [`crate::storage::feedback`]); the brand's `sentiment_words` from the
/// config are applied after them and so win.
pub(super) async fn apply_feedback(
    config: &Config,
    analyzer: Arc<Analyzer>,
    store: &crate::storage::AnyStore,
) -> Result<Arc<Analyzer>> {
    use crate::storage::{FeedbackStore, phrase_valence};
    let phrases = store.feedback_phrases().await?;
    if phrases.is_empty() {
        return Ok(analyzer);
    }
    let mut by_brand: std::collections::BTreeMap<String, Vec<(String, f64)>> = Default::default();
    for (brand, phrase, sentiment) in phrases {
        if let Some(valence) = phrase_valence(&sentiment) {
            by_brand.entry(brand).or_default().push((phrase, valence));
        }
    }
    let mut out = (*analyzer).clone();
    for (brand, mut words) in by_brand {
        let learned = words.len();
        if let Some(b) = config.brands.iter().find(|b| b.name == brand) {
            words.extend(b.sentiment_words.clone());
        }
        let engine = SentimentEngine::with_overrides(&Overrides { words });
        out = out.with_brand_sentiment(&brand, Arc::new(engine));
        tracing::info!(brand = %brand, phrases = learned, "sentiment overrides from feedback");
    }
    Ok(Arc::new(out))
}

/// Every configured brand, mirrored into the database.
pub(super) async fn brands(config: &Config, store: &AnyStore) -> Result<Vec<crate::domain::Brand>> {
    use crate::storage::Store;
    let mut out = Vec::new();
    for b in &config.brands {
        let id = store.upsert_brand(&b.name, b.label(), &b.lang).await?;
        out.push(crate::domain::Brand {
            id,
            name: b.name.clone(),
            display_name: b.label().to_owned(),
            lang: crate::domain::Lang::from_code(&b.lang),
        });
    }
    Ok(out)
}
