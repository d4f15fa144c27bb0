//! `vigia backtest`: replays a historical file of mentions (the replay JSONL format) through the
//! real pipeline — analysis, crisis rules, tickets — on simulated time, in a throw-away
//! database, and reports the incidents it would have opened. Nothing is sent: alerts are
//! rendered and queued, but no outbox worker runs.
//!
//! Incidents follow the same lifecycle as live: one closes itself (`auto_closed`) after its
//! brand's `quiet_minutes` without a crisis signal, on the mentions' own time, and a later
//! crisis opens a new one. Nobody acknowledges or resolves anything in a backtest.

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
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
use crate::domain::Incident;
use crate::sources::replay_line::for_each_line;
use crate::storage::{IncidentFilter, PageRequest, Store};

const FEED: &str = "backtest";

/// One incident as the backtest saw it. Times are simulated (the mentions' own).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestIncident {
    pub brand: String,
    /// Highest severity reached: `info`, `warning` or `critical`.
    pub severity: String,
    /// The detector that opened it.
    pub kind: String,
    /// The first mention of the burst that led to it.
    pub first_mention_at: String,
    pub detected_at: String,
    pub latency_s: i64,
    pub mentions: i64,
    /// `open` (still inside its quiet time when the file ends) or `auto_closed`.
    pub status: String,
    /// When Vigía closed it (its last crisis signal + `quiet_minutes`, or the first signal of
    /// a new crisis), or `null`.
    pub closed_at: Option<String>,
    /// It was closed because a crisis signal of another story opened the next incident.
    pub closed_by_new_crisis: bool,
    /// Severities in the order reached (text report only; the JSON keeps the documented shape).
    #[serde(skip)]
    pub severity_path: Vec<String>,
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
    let times = mention_times(req.input)?;
    let start = times.first().copied().unwrap_or_else(Utc::now);
    let clock = Arc::new(ManualClock::new(start));
    let app = App::build(config, clock.clone()).await?;
    replay_all(&app, &clock, &times).await?;

    report(app.store()).await
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
        speed: 1.0,
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

/// The event times of the file's mentions, sorted, read a line at a time; unreadable lines
/// are left to the replay source, which reports them.
fn mention_times(path: &Path) -> Result<Vec<DateTime<Utc>>> {
    #[derive(serde::Deserialize)]
    struct Line {
        created_at: DateTime<Utc>,
    }
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut times = Vec::new();
    for_each_line(file, |line| {
        if let Ok(line) = serde_json::from_slice::<Line>(line.raw) {
            times.push(line.created_at);
        }
    })
    .with_context(|| format!("cannot read {}", path.display()))?;
    times.sort();
    Ok(times)
}

/// Replays at simulated time: the clock steps to each mention's own time (at most once per
/// simulated minute), so every mention is ingested when it happened, as a live feed would.
async fn replay_all(app: &App, clock: &ManualClock, times: &[DateTime<Utc>]) -> Result<()> {
    let total = times.len();
    let bar = progress_bar(total);
    let mut seen = 0;
    let mut next = 0;
    while next < total {
        let step_end = times[next] + Duration::minutes(1);
        while next < total && times[next] < step_end {
            next += 1;
        }
        clock.set(times[next - 1]);
        // One poll takes every page that is due (the feed allows 1000 pages of 1000).
        seen += app.poll_once(FEED).await?.received;
        bar.set_position(seen as u64);
        bar.set_message(times[next - 1].format("%Y-%m-%d").to_string());
    }
    clock.advance(Duration::days(1));
    seen += app.poll_once(FEED).await?.received;
    bar.set_position(seen as u64);
    bar.finish();
    Ok(())
}

/// A progress bar on stderr when it is a terminal; hidden otherwise (logs, CI, pipes).
fn progress_bar(total: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(
        "backtest {bar:30} {pos}/{len} mentions, {per_sec}, ~{eta} left (simulated {msg})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
        .with_style(style)
}

async fn report<S: Store>(store: &S) -> Result<BacktestReport> {
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
        let timeline = timeline_of(store, &incident).await?;
        out.push(describe(&incident, timeline));
    }
    Ok(BacktestReport { incidents: out })
}

/// The severities the incident went through and when it closed, from its timeline.
async fn timeline_of<S: Store>(store: &S, incident: &Incident) -> Result<Timeline> {
    let mut out = Timeline::default();
    for e in store.incident_timeline(incident.id).await? {
        let s = match e.kind.as_str() {
            "opened" => e.detail["severity"].as_str(),
            "severity_raised" => e.detail["to"].as_str(),
            "auto_closed" => {
                out.closed_at = Some(e.at);
                out.superseded = e.detail.get("superseded_by").is_some();
                None
            }
            _ => None,
        };
        out.severities.extend(s.map(str::to_owned));
    }
    Ok(out)
}

#[derive(Default)]
struct Timeline {
    severities: Vec<String>,
    closed_at: Option<DateTime<Utc>>,
    superseded: bool,
}

fn describe(incident: &Incident, timeline: Timeline) -> BacktestIncident {
    let first = incident.first_mention_at.unwrap_or(incident.opened_at);
    let time = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    BacktestIncident {
        brand: incident.brand.clone(),
        severity: incident.severity.as_str().into(),
        kind: incident.trigger.kind().into(),
        first_mention_at: time(first),
        detected_at: time(incident.opened_at),
        latency_s: (incident.opened_at - first).num_seconds(),
        mentions: incident.mention_count,
        status: incident.status.as_str().into(),
        closed_at: timeline.closed_at.map(time),
        closed_by_new_crisis: timeline.superseded,
        severity_path: timeline.severities,
    }
}

/// The report as a person reads it.
pub fn render_text(report: &BacktestReport) -> String {
    if report.incidents.is_empty() {
        return "no incidents\n".into();
    }
    let mut out = format!("{} incident(s)\n", report.incidents.len());
    for (n, i) in report.incidents.iter().enumerate() {
        let end = match &i.closed_at {
            Some(t) if i.closed_by_new_crisis => format!("auto-closed {t} by a new crisis"),
            Some(t) => format!("auto-closed {t}"),
            None => "still open".into(),
        };
        out.push_str(&format!(
            "{}. {} {} ({}): burst from {}, detected {} (latency {} s), {} mentions, {}\n",
            n + 1,
            i.brand,
            i.severity_path.join(" → "),
            i.kind,
            i.first_mention_at,
            i.detected_at,
            i.latency_s,
            i.mentions,
            end
        ));
    }
    out
}
