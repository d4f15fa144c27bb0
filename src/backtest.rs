//! `vigia backtest`: replays a historical file of mentions (the replay JSONL format) through the
//! real pipeline — analysis, crisis rules, tickets — on simulated time, in a throw-away
//! database, and reports the incidents it would have opened. Nothing is sent: alerts are
//! rendered and queued, but no outbox worker runs.

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::App;
use crate::clock::ManualClock;
use crate::config::{
    BrandConfig, Config, FeedConfig, MailConfig, MailTransportConfig, ReplayFeedConfig,
    ReplayStart, StorageConfig,
};
use crate::crisis::CrisisRules;
use crate::domain::{Incident, SentimentLabel, Trigger};
use crate::storage::{IncidentFilter, MentionFilter, PageRequest, Store};

const FEED: &str = "backtest";

/// One incident as the backtest saw it. Times are simulated (the mentions' own).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestIncident {
    pub brand: String,
    /// Highest severity reached: `warning` for a negative surge, `critical` for a critical
    /// category.
    pub severity: String,
    /// The detector that opened it.
    pub kind: String,
    /// The first mention of the burst that led to it.
    pub first_mention_at: String,
    pub detected_at: String,
    pub latency_s: i64,
    pub mentions: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BacktestReport {
    pub incidents: Vec<BacktestIncident>,
}

/// What to replay and with which rules.
pub struct BacktestRequest<'a> {
    pub input: &'a Path,
    /// A full configuration (its brands, rule and template paths); `None` sets up an ad-hoc
    /// brand with the rules in `./keywords` and `./alerts`.
    pub config: Option<Config>,
    /// The brand that owns every mention of the file.
    pub brand: Option<&'a str>,
}

pub async fn run(req: BacktestRequest<'_>) -> Result<BacktestReport> {
    let workdir = tempfile::tempdir().context("creating a temporary directory")?;
    let config = backtest_config(&req, workdir.path())?;
    let brand = config.brands[0].name.clone();
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let app = App::build(config, clock.clone()).await?;
    replay_all(&app, &clock, count_lines(req.input)?).await?;
    let policy_window = window_minutes(&app.config, &brand)?;
    report(app.store(), policy_window).await
}

fn backtest_config(req: &BacktestRequest<'_>, workdir: &Path) -> Result<Config> {
    let input = std::fs::canonicalize(req.input)
        .with_context(|| format!("cannot read {}", req.input.display()))?;
    let mut config = match &req.config {
        Some(c) => c.clone(),
        None => ad_hoc_config(
            req.brand
                .context("--brand NAME is needed without --config")?,
        )?,
    };
    let brand = match req.brand {
        Some(name) => config
            .brand(name)
            .with_context(|| format!("no brand named '{name}' in the config"))?
            .clone(),
        None => config
            .brands
            .first()
            .context("the config has no brands")?
            .clone(),
    };
    config.brands = vec![brand.clone()];
    config.recipients.iter_mut().for_each(|r| r.brands.clear());
    config.storage = StorageConfig::Sqlite {
        path: workdir.join("backtest.db"),
    };
    config.mail.transport = MailTransportConfig::File {
        dir: workdir.join("mail"),
    };
    config.customers.import_on_start.clear();
    // A backtest never creates tickets in real helpdesks nor needs their secrets.
    config.helpdesk = Default::default();
    config.feeds = vec![FeedConfig::Replay(ReplayFeedConfig {
        name: FEED.into(),
        brand: brand.name,
        schedule: "0 0 0 1 1 * 2099".into(),
        terms: Vec::new(),
        query: None,
        max_pages_per_tick: 1000,
        path: input,
        speed: 1e12,
        start: ReplayStart::First,
        page_size: 1000,
        max_silence_mins: None,
    })];
    Ok(config)
}

fn ad_hoc_config(brand: &str) -> Result<Config> {
    let base_dir = std::env::current_dir()?;
    for dir in ["keywords", "alerts"] {
        if !base_dir.join(dir).is_dir() {
            bail!("no ./{dir} directory here: run from the Vigía directory or pass --config");
        }
    }
    Ok(Config {
        http: Default::default(),
        storage: StorageConfig::Sqlite {
            path: PathBuf::new(),
        },
        paths: Default::default(),
        mail: MailConfig {
            from: "Vigía <backtest@vigia.localhost>".into(),
            transport: MailTransportConfig::File {
                dir: PathBuf::new(),
            },
        },
        brands: vec![BrandConfig {
            name: brand.into(),
            display_name: None,
            lang: "en".into(),
            query: None,
            exclude: Vec::new(),
            sentiment_words: Default::default(),
            competitors: Vec::new(),
        }],
        feeds: Vec::new(),
        recipients: Vec::new(),
        outbox: Default::default(),
        auth: Default::default(),
        privacy: Default::default(),
        customers: Default::default(),
        health: Default::default(),
        dashboard: Default::default(),
        helpdesk: Default::default(),
        source_file: base_dir.join("(backtest)"),
        base_dir,
    })
}

fn count_lines(path: &Path) -> Result<usize> {
    let text = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text
        .split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .count())
}

/// Polls the replay until it has nothing more, advancing simulated time past the file's end.
async fn replay_all(app: &App, clock: &ManualClock, total: usize) -> Result<()> {
    let progress = std::io::stderr().is_terminal();
    let mut seen = app.poll_once(FEED).await?.received;
    loop {
        clock.advance(Duration::seconds(1));
        let report = app.poll_once(FEED).await?;
        seen += report.received;
        if progress {
            eprint!("\rbacktest: {seen}/{total} mentions");
        }
        if report.received == 0 {
            break;
        }
    }
    if progress {
        eprintln!();
    }
    Ok(())
}

fn window_minutes(config: &Config, brand: &str) -> Result<i64> {
    let alerts = config.resolve(&config.paths.alerts).join("crisis.toml");
    let rules = CrisisRules::load(&alerts, &[brand])?;
    Ok(rules.policy(brand).window_minutes)
}

async fn report<S: Store>(store: &S, window_minutes: i64) -> Result<BacktestReport> {
    let page = PageRequest {
        limit: 500,
        offset: 0,
    };
    let mut incidents = store
        .list_incidents(&IncidentFilter::default(), &page)
        .await?
        .items;
    incidents.sort_by_key(|i| (i.opened_at, i.id));
    let mut out = Vec::with_capacity(incidents.len());
    for incident in incidents {
        let first = burst_start(store, &incident, window_minutes).await?;
        out.push(describe(&incident, first));
    }
    Ok(BacktestReport { incidents: out })
}

/// The first mention of the burst: the mention that fired a critical category, or the oldest
/// negative mention of the window whose count fired a surge.
async fn burst_start<S: Store>(
    store: &S,
    incident: &Incident,
    window: i64,
) -> Result<DateTime<Utc>> {
    let Trigger::NegativeVolume { .. } = incident.trigger else {
        return Ok(incident.opened_at);
    };
    let filter = MentionFilter {
        brand: Some(incident.brand.clone()),
        label: Some(SentimentLabel::Negative),
        since: Some(incident.opened_at - Duration::minutes(window) + Duration::milliseconds(1)),
        until: Some(incident.opened_at),
        ..Default::default()
    };
    let rows = store
        .list_mentions(
            &filter,
            &PageRequest {
                limit: 500,
                offset: 0,
            },
        )
        .await?;
    Ok(rows
        .items
        .last()
        .map_or(incident.opened_at, |m| m.created_at))
}

fn describe(incident: &Incident, first: DateTime<Utc>) -> BacktestIncident {
    let severity = match incident.trigger {
        Trigger::CriticalCategory { .. } => "critical",
        Trigger::NegativeVolume { .. } => "warning",
    };
    let time = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    BacktestIncident {
        brand: incident.brand.clone(),
        severity: severity.into(),
        kind: incident.trigger.kind().into(),
        first_mention_at: time(first),
        detected_at: time(incident.opened_at),
        latency_s: (incident.opened_at - first).num_seconds(),
        mentions: incident.mention_count,
    }
}

/// The report as a person reads it.
pub fn render_text(report: &BacktestReport) -> String {
    if report.incidents.is_empty() {
        return "no incidents\n".into();
    }
    let mut out = format!("{} incident(s)\n", report.incidents.len());
    for (n, i) in report.incidents.iter().enumerate() {
        out.push_str(&format!(
            "{}. {} {} ({}): burst from {}, detected {} (latency {} s), {} mentions\n",
            n + 1,
            i.brand,
            i.severity,
            i.kind,
            i.first_mention_at,
            i.detected_at,
            i.latency_s,
            i.mentions
        ));
    }
    out
}
