//! Configuration: what `vigia.toml` (plus `VIGIA__SECTION__KEY` environment overrides) says.
//!
//! These structs are plain data read with serde (`deny_unknown_fields` everywhere, so a typo is
//! an error, not a silently ignored key). Turning them into running components, and validating
//! everything that can be validated (cron expressions, files, templates, rule syntax), happens
//! once at start-up in `build()` functions; a failure names the file, the key and the problem.
//! Secrets never live here: they come from `VIGIA_*` environment variables (see `secrets`).

mod auth;
pub mod cron;
mod dashboard;
mod feeds;
mod helpdesk;
mod load;
mod privacy;

pub use feeds::{
    BlueskyFeedConfig, HackerNewsFeedConfig, HealthConfig, HttpSourceConfig, MastodonFeedConfig,
    MastodonMode, MetaFeedConfig, RedditFeedConfig, RssFeedConfig, WebhookFeedConfig, XFeedConfig,
    YoutubeFeedConfig, YoutubeMode,
};

pub use auth::AuthConfig;
pub use dashboard::DashboardConfig;
pub use helpdesk::{ConnectorConfig, ConnectorKind, HelpdeskConfig};
pub use load::{ConfigError, load, read_toml};
pub use privacy::PrivacyConfig;

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub http: HttpConfig,
    pub storage: StorageConfig,
    #[serde(default)]
    pub paths: PathsConfig,
    pub mail: MailConfig,
    #[serde(default)]
    pub brands: Vec<BrandConfig>,
    #[serde(default)]
    pub feeds: Vec<FeedConfig>,
    #[serde(default)]
    pub recipients: Vec<RecipientConfig>,
    #[serde(default)]
    pub outbox: OutboxConfig,
    #[serde(default)]
    pub customers: CustomersConfig,
    #[serde(default)]
    pub health: HealthConfig,
    #[serde(default)]
    pub helpdesk: HelpdeskConfig,
    #[serde(default)]
    pub auth: AuthConfig,
    #[serde(default)]
    pub dashboard: DashboardConfig,
    #[serde(default)]
    pub privacy: PrivacyConfig,
    /// Directory of the config file; relative paths in the config are resolved against it.
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The file this config was read from, for error messages.
    #[serde(skip)]
    pub source_file: PathBuf,
}

impl Config {
    /// Resolves a path from the config relative to the config file's directory.
    pub fn resolve(&self, path: &std::path::Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }

    pub fn brand(&self, name: &str) -> Option<&BrandConfig> {
        self.brands.iter().find(|b| b.name == name)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Address the API and dashboard listen on; `--listen ADDR` overrides it.
    pub listen: SocketAddr,
    /// Public base URL used in links inside alerts (e.g. `https://vigia.example.com`).
    pub public_url: Option<String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, tag = "backend", rename_all = "lowercase")]
pub enum StorageConfig {
    /// Embedded SQLite database file (WAL mode), created if missing.
    Sqlite { path: PathBuf },
    /// A PostgreSQL server shared by several instances. The connection URL comes only from
    /// the environment variable `VIGIA_DATABASE_URL`, never from this file (it holds a password).
    Postgres {
        /// Connections this instance keeps open (default 16).
        #[serde(default = "default_pg_connections")]
        max_connections: u32,
        /// A database on the server to use instead of the one the URL names (not secret:
        /// e.g. one database per environment on a shared server).
        #[serde(default)]
        database: Option<String>,
    },
}

fn default_pg_connections() -> u32 {
    16
}

/// Where the user-editable rule and template files live.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PathsConfig {
    pub keywords: PathBuf,
    pub alerts: PathBuf,
}

impl Default for PathsConfig {
    fn default() -> Self {
        PathsConfig {
            keywords: PathBuf::from("keywords"),
            alerts: PathBuf::from("alerts"),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// Sender, e.g. `Vigía <alerts@example.com>`.
    pub from: String,
    pub transport: MailTransportConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, tag = "kind", rename_all = "lowercase")]
pub enum MailTransportConfig {
    /// Writes each message as an `.eml` file into `dir` (the demo's local outbox).
    File { dir: PathBuf },
    /// Sends through an SMTP server. The password comes from `VIGIA_SMTP_PASSWORD`.
    Smtp {
        host: String,
        port: u16,
        #[serde(default)]
        security: SmtpSecurity,
        user: Option<String>,
        #[serde(default = "default_smtp_timeout")]
        timeout_secs: u64,
    },
}

fn default_smtp_timeout() -> u64 {
    30
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection (only for a local relay or a test server).
    None,
    /// Plain connection upgraded with STARTTLS (required).
    #[default]
    Starttls,
    /// Implicit TLS from the first byte (port 465).
    Tls,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandConfig {
    /// Stable key used in feeds, recipients and the API (e.g. `rapiplato`).
    pub name: String,
    /// Name shown to people (e.g. `Rapiplato`).
    pub display_name: Option<String>,
    /// Language of the brand's team: alerts are written in it (`es` or `en`).
    #[serde(default = "default_lang")]
    pub lang: String,
    /// Brand scope: a mention belongs to the brand when it matches this query
    /// (docs/query-language.md); none means every mention of the brand's feeds.
    #[serde(default)]
    pub query: Option<String>,
    /// Noise to drop before analysis: job ads, homonyms, the brand's own accounts
    /// (`author:rapiplato`); a mention matching any of these queries is not stored.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Sentiment words (or phrases) added or re-weighted for this brand's mentions, on VADER's
    /// −4..4 scale: `sentiment_words = { sick = 2.5, rapiplato = 0 }`.
    #[serde(default)]
    pub sentiment_words: std::collections::BTreeMap<String, f64>,
    /// Other configured brands to compare against in the dashboard's share of voice.
    #[serde(default)]
    pub competitors: Vec<String>,
}

impl BrandConfig {
    pub fn label(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }
}

fn default_lang() -> String {
    "en".to_owned()
}

/// A recipient's channel; also the outbox channel name of its messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    #[default]
    Email,
    Slack,
    Teams,
    Webhook,
}

impl ChannelKind {
    /// The outbox channel name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Email => "email",
            ChannelKind::Slack => "slack",
            ChannelKind::Teams => "teams",
            ChannelKind::Webhook => "webhook",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientConfig {
    /// Address for `channel = "email"` (the default channel).
    #[serde(default)]
    pub email: String,
    /// Language of this person's alerts; defaults to the brand's.
    pub lang: Option<String>,
    /// Brands this person hears about; empty means all brands.
    #[serde(default)]
    pub brands: Vec<String>,
    /// `email` (default), `slack`, `teams` or `webhook`; routing: see the notify module's `routing`.
    #[serde(default)]
    pub channel: ChannelKind,
    /// Environment variable holding the incoming-webhook URL (Slack, Teams, webhook).
    pub url_env: Option<String>,
    /// Environment variable holding a generic webhook's HMAC-SHA256 secret.
    pub secret_env: Option<String>,
    /// Lowest severity heard at once: `info`, `warning` (default) or `critical`.
    pub min_severity: Option<crate::domain::Severity>,
    /// Only incidents touching these categories; empty: all.
    #[serde(default)]
    pub categories: Vec<String>,
    /// 0 hears at once; N only if still unacknowledged after N × `escalate_after_minutes`.
    #[serde(default)]
    pub escalation_level: u32,
    /// `"HH-HH"` in UTC (e.g. `"22-07"`): non-critical news waits until the end.
    pub quiet_hours: Option<String>,
    /// Cron (sec min hour day month weekday, UTC) of this recipient's digest, e.g.
    /// `"0 0 8 * * *"` daily or `"0 0 8 * * Mon"` weekly; none: no digest.
    pub digest: Option<String>,
    /// Days a digest covers (1 daily, 7 weekly).
    #[serde(default = "default_digest_days")]
    pub digest_days: i64,
}

fn default_digest_days() -> i64 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutboxConfig {
    /// Seconds between outbox worker passes.
    pub poll_secs: u64,
    /// Attempts before a message is marked failed.
    pub max_attempts: i64,
    /// First retry delay in seconds; doubles on each failure (capped at one hour).
    pub backoff_secs: i64,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        OutboxConfig {
            poll_secs: 2,
            max_attempts: 10,
            backoff_secs: 5,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomersConfig {
    /// CSV files (see `vigia customers import`) imported every time `vigia serve` starts, e.g.
    /// a nightly CRM export. Importing is idempotent: a known `ref` updates its profile.
    #[serde(default)]
    pub import_on_start: Vec<PathBuf>,
}

/// One source connection for one brand. The `kind` key selects the source.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum FeedConfig {
    Replay(ReplayFeedConfig),
    Mastodon(MastodonFeedConfig),
    Bluesky(BlueskyFeedConfig),
    Reddit(RedditFeedConfig),
    HackerNews(HackerNewsFeedConfig),
    X(XFeedConfig),
    Youtube(YoutubeFeedConfig),
    Rss(RssFeedConfig),
    Webhook(WebhookFeedConfig),
    Meta(MetaFeedConfig),
}

/// Evaluates `$e` with `$c` bound to whichever variant `$f` holds (they share the first keys).
macro_rules! each_feed {
    ($f:expr, $c:ident => $e:expr) => {
        match $f {
            FeedConfig::Replay($c) => $e,
            FeedConfig::Mastodon($c) => $e,
            FeedConfig::Bluesky($c) => $e,
            FeedConfig::Reddit($c) => $e,
            FeedConfig::HackerNews($c) => $e,
            FeedConfig::X($c) => $e,
            FeedConfig::Youtube($c) => $e,
            FeedConfig::Rss($c) => $e,
            FeedConfig::Webhook($c) => $e,
            FeedConfig::Meta($c) => $e,
        }
    };
}

impl FeedConfig {
    pub fn name(&self) -> &str {
        each_feed!(self, c => &c.name)
    }

    pub fn brand(&self) -> &str {
        each_feed!(self, c => &c.brand)
    }

    pub fn schedule(&self) -> &str {
        each_feed!(self, c => &c.schedule)
    }

    pub fn terms(&self) -> &[String] {
        each_feed!(self, c => &c.terms)
    }

    pub fn max_silence_mins(&self) -> Option<u32> {
        each_feed!(self, c => c.max_silence_mins)
    }

    /// The feed's Boolean query, if it has one.
    pub fn query(&self) -> Option<&str> {
        each_feed!(self, c => c.query.as_deref())
    }

    pub fn max_pages_per_tick(&self) -> u32 {
        each_feed!(self, c => c.max_pages_per_tick)
    }
}

/// Replays a JSONL file of mentions as if they were arriving live.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplayFeedConfig {
    pub name: String,
    pub brand: String,
    /// Cron expression with a seconds field, e.g. `*/5 * * * * *`.
    pub schedule: String,
    /// Notify admins when the feed stores nothing new for this many minutes.
    pub max_silence_mins: Option<u32>,
    /// Terms the feed listens for (informational for replay: the file is already about the brand).
    #[serde(default)]
    pub terms: Vec<String>,
    /// Boolean query re-checked locally on every replayed mention.
    pub query: Option<String>,
    /// Most pages one scheduled run fetches back to back.
    #[serde(default = "feeds::default_max_pages")]
    pub max_pages_per_tick: u32,
    pub path: PathBuf,
    /// Simulated seconds per real second.
    #[serde(default = "default_speed")]
    pub speed: f64,
    #[serde(default)]
    pub start: ReplayStart,
    /// Most mentions returned by one fetch.
    #[serde(default = "default_page_size")]
    pub page_size: usize,
}

fn default_speed() -> f64 {
    1.0
}

fn default_page_size() -> usize {
    500
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplayStart {
    /// Mentions are shifted so the first one happens when the feed first runs.
    Now,
    /// Mentions keep their timestamps; the simulated clock starts at the first one.
    #[default]
    First,
}
