//! Sources fetch one page of mentions per call, given the feed's cursor. They never sleep,
//! loop or retry: time, retries and backoff belong to `schedule/`. A network source reports
//! what the API said about its rate limits inside [`SourceError::RateLimited`], and the
//! scheduler decides when to ask again.
//!
//! One file per API. Each also exposes a pure `parse_body` used by `vigia parse` and by the
//! conformance test over recorded responses.

pub mod bluesky;
mod bluesky_auth;
pub mod hackernews;
pub mod http;
pub mod mastodon;
pub mod meta;
mod meta_whatsapp;
pub mod query;
pub mod quota;
mod rate;
mod recorded;
pub mod reddit;
pub mod replay;
pub mod replay_file;
pub mod replay_line;
pub mod rss;
pub mod secrets;
pub mod sweep;
pub mod text;
pub mod webhook;
pub mod x;
pub mod youtube;

use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use crate::config::{Config, ConfigError, FeedConfig};
use crate::domain::{Cursor, FeedQuery, Mention, Page};
pub use secrets::{EnvSecrets, FixedSecrets, Secrets};

/// What every source is built with besides its own settings: the clock it reads, the
/// provider of its credentials (the environment in production, a fixed map in tests) and the
/// daily-quota book (in memory until the app binds it to the database).
#[derive(Clone)]
pub struct Deps {
    pub clock: Arc<dyn Clock>,
    pub secrets: Arc<dyn Secrets>,
    pub quota: Arc<quota::QuotaBook>,
}

impl Deps {
    pub fn new(clock: Arc<dyn Clock>, secrets: Arc<dyn Secrets>) -> Deps {
        Deps {
            clock,
            secrets,
            quota: Arc::default(),
        }
    }

    /// The secret `name` (see [`secrets::require`]).
    pub fn secret(&self, name: &str) -> Result<String, SourceError> {
        secrets::require(self.secrets.as_ref(), name)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The remote end (or file) could not be read now; try again later.
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
    /// The stored cursor cannot be understood by this source.
    #[error("invalid cursor: {0}")]
    BadCursor(String),
    /// Credentials were refused; retrying will not help.
    #[error("authentication failed: {0}")]
    Auth(String),
    /// The API refused because of a rate limit or quota; `wait` is what it asked for.
    #[error("rate limited: {detail}")]
    RateLimited {
        detail: String,
        wait: Option<Duration>,
    },
}

#[async_trait]
pub trait Source: Send + Sync {
    fn kind(&self) -> &'static str;
    async fn fetch(&self, query: &FeedQuery, cursor: Option<&Cursor>) -> Result<Page, SourceError>;

    /// The host this source calls and the requests per minute it may make there, for the
    /// scheduler's per-host limiter. `None` for sources that do not use the network.
    fn pacing(&self) -> Option<(String, u32)> {
        None
    }
}

/// Kinds `vigia parse --kind` understands.
pub const PARSE_KINDS: &[&str] = &[
    "mastodon",
    "bluesky",
    "reddit",
    "hackernews",
    "x",
    "youtube",
    "rss",
    "meta",
];

/// Parses one raw response body of `kind` into mentions (no network, no cursor).
pub fn parse_body(kind: &str, body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    match kind {
        "mastodon" => mastodon::parse_body(body),
        "bluesky" => bluesky::parse_body(body),
        "reddit" => reddit::parse_body(body),
        "hackernews" => hackernews::parse_body(body),
        "x" => x::parse_body(body),
        "youtube" => youtube::parse_body(body),
        "rss" => rss::parse_body(body),
        "meta" => meta::parse_body(body),
        other => Err(SourceError::Unavailable(format!(
            "unknown kind '{other}' (expected one of {})",
            PARSE_KINDS.join(", ")
        ))),
    }
}

/// Parses a file holding one raw body, or a JSONL of bodies (one response per line, as twarc
/// writes them). Bodies are tried whole first; RSS/Atom is always one document.
pub fn parse_file(kind: &str, bytes: &[u8]) -> Result<Vec<Mention>, SourceError> {
    let whole = parse_body(kind, bytes);
    if whole.is_ok() || kind == "rss" || !PARSE_KINDS.contains(&kind) {
        return whole;
    }
    let lines: Vec<&[u8]> = bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .collect();
    if lines.len() < 2 {
        return whole;
    }
    let mut out = Vec::new();
    for (i, line) in lines.into_iter().enumerate() {
        let found = parse_body(kind, line)
            .map_err(|e| SourceError::Unavailable(format!("body {}: {e}", i + 1)))?;
        out.extend(found);
    }
    Ok(out)
}

/// Builds the running source for a feed, validating its settings.
pub fn build(
    config: &Config,
    index: usize,
    feed: &FeedConfig,
    deps: &Deps,
) -> Result<Arc<dyn Source>, ConfigError> {
    let key = format!("feeds[{index}] ({})", feed.name());
    let invalid = |problem: String| ConfigError::invalid(&config.source_file, &key, problem);
    let d = deps.clone();
    Ok(match feed {
        FeedConfig::Replay(c) => Arc::new(replay::ReplaySource::new(config, &key, c, d.clock)?),
        FeedConfig::Mastodon(c) => Arc::new(mastodon::MastodonSource::new(c, d).map_err(invalid)?),
        FeedConfig::Bluesky(c) => Arc::new(bluesky::BlueskySource::new(c, d).map_err(invalid)?),
        FeedConfig::Reddit(c) => Arc::new(reddit::RedditSource::new(c, d).map_err(invalid)?),
        FeedConfig::HackerNews(c) => {
            Arc::new(hackernews::HackerNewsSource::new(c, d).map_err(invalid)?)
        }
        FeedConfig::X(c) => Arc::new(x::XSource::new(c, d).map_err(invalid)?),
        FeedConfig::Youtube(c) => Arc::new(youtube::YoutubeSource::new(c, d).map_err(invalid)?),
        FeedConfig::Webhook(_) => Arc::new(webhook::WebhookSource("webhook")),
        FeedConfig::Meta(_) => Arc::new(webhook::WebhookSource("meta")),
        FeedConfig::Rss(c) => Arc::new(rss::RssSource::new(c, d.clock).map_err(invalid)?),
    })
}

/// Reads a JSON cursor, or the default state on a feed's first run.
pub(crate) fn load_cursor<T: serde::de::DeserializeOwned + Default>(
    cursor: Option<&Cursor>,
) -> Result<T, SourceError> {
    match cursor {
        Some(c) => {
            serde_json::from_str(&c.0).map_err(|e| SourceError::BadCursor(format!("{}: {e}", c.0)))
        }
        None => Ok(T::default()),
    }
}

/// Implements [`Source`] for a network connector with an `api: Api` field and an inherent
/// `fetch_page(cursor)`: its kind, its pacing (from the API client) and its fetch. The feed's
/// search was translated once when the connector was built, so the page only needs the cursor.
macro_rules! network_source {
    ($ty:ty, $kind:literal) => {
        #[async_trait::async_trait]
        impl $crate::sources::Source for $ty {
            fn kind(&self) -> &'static str {
                $kind
            }

            fn pacing(&self) -> Option<(String, u32)> {
                self.api.pacing()
            }

            async fn fetch(
                &self,
                _q: &$crate::domain::FeedQuery,
                cursor: Option<&$crate::domain::Cursor>,
            ) -> Result<$crate::domain::Page, $crate::sources::SourceError> {
                self.fetch_page(cursor).await
            }
        }
    };
}
pub(crate) use network_source;

/// A body that is not the API's JSON shape.
pub(crate) fn bad_body(e: impl std::fmt::Display) -> SourceError {
    SourceError::Unavailable(format!("unexpected response body: {e}"))
}
