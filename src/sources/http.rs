//! The outbound HTTP client every network source shares: base URL and timeout from config,
//! one request per call, and the translation of HTTP outcomes into [`SourceError`]s that carry
//! what the remote end said about its rate limits. Nothing here sleeps or retries.

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};
use std::time::Duration;

use super::SourceError;
pub use super::rate::RateInfo;
use crate::config::HttpSourceConfig;

/// User-Agent sent by every source (Reddit requires a unique, descriptive one).
pub const USER_AGENT: &str = concat!("vigia/", env!("CARGO_PKG_VERSION"), " (reputation monitor)");

/// A successful response: its body and what it said about rate limits.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub rate: RateInfo,
}

impl Reply {
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, SourceError> {
        serde_json::from_slice(&self.body)
            .map_err(|e| SourceError::Unavailable(format!("unexpected response body: {e}")))
    }
}

/// One API's client: a reqwest client with the configured timeout and a base URL.
#[derive(Debug, Clone)]
pub struct Api {
    client: reqwest::Client,
    base: String,
    /// `host:port` and requests per minute, for the scheduler's per-host limiter.
    host: String,
    per_minute: Option<u32>,
    default_per_minute: u32,
}

impl Api {
    pub fn new(cfg: &HttpSourceConfig, default_base: &str) -> Result<Api, String> {
        let base = cfg.base_url.as_deref().unwrap_or(default_base);
        let parsed = reqwest::Url::parse(base).map_err(|e| format!("base_url: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err("base_url: must be an http(s) URL".into());
        }
        if cfg.timeout_secs == 0 {
            return Err("timeout_secs: must be at least 1".into());
        }
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(Duration::from_secs(cfg.timeout_secs))
            .build()
            .map_err(|e| format!("http client: {e}"))?;
        let host = format!(
            "{}:{}",
            parsed.host_str().unwrap_or_default(),
            parsed.port_or_known_default().unwrap_or(0)
        );
        Ok(Api {
            client,
            base: base.trim_end_matches('/').to_owned(),
            host,
            per_minute: cfg.requests_per_minute,
            default_per_minute: 60,
        })
    }

    /// Sets the API's published request rate, used unless the feed's `requests_per_minute`
    /// overrides it.
    pub fn with_rate(mut self, per_minute: u32) -> Api {
        self.default_per_minute = per_minute;
        self
    }

    /// What [`crate::sources::Source::pacing`] reports for this API.
    pub fn pacing(&self) -> Option<(String, u32)> {
        Some((
            self.host.clone(),
            self.per_minute.unwrap_or(self.default_per_minute),
        ))
    }

    /// `base` + `path` (path starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client.get(self.url(path))
    }

    pub fn post(&self, path: &str) -> RequestBuilder {
        self.client.post(self.url(path))
    }

    /// Sends one request. 2xx → [`Reply`]; anything else → the matching [`SourceError`].
    pub async fn send(
        &self,
        req: RequestBuilder,
        now: DateTime<Utc>,
    ) -> Result<Reply, SourceError> {
        let resp = req.send().await.map_err(transport_error)?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let rate = RateInfo::from_headers(&headers, now);
        let body = resp.bytes().await.map_err(transport_error)?.to_vec();
        let reply = Reply {
            status,
            headers,
            body,
            rate,
        };
        if status.is_success() {
            Ok(reply)
        } else {
            Err(status_error(&reply))
        }
    }
}

fn transport_error(e: reqwest::Error) -> SourceError {
    // reqwest errors can include the URL (and so a query-string API key): keep only the kind.
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "transport error"
    };
    SourceError::Unavailable(kind.to_owned())
}

/// Maps a non-2xx reply to an error. The API's own error code (not its message) is kept:
/// `ExpiredToken`/`InvalidToken` (Bluesky, HTTP 400) mean re-authenticate, `quotaExceeded` and
/// `rateLimitExceeded` (YouTube, HTTP 403) mean wait.
pub fn status_error(reply: &Reply) -> SourceError {
    let status = reply.status.as_u16();
    let code = api_error_code(&reply.body);
    let detail = match &code {
        Some(c) => format!("HTTP {status} {c}"),
        None => format!("HTTP {status}"),
    };
    let code = code.unwrap_or_default();
    let wait = reply.rate.suggested_wait();
    match (status, code.as_str()) {
        (429, _) | (403, "quotaExceeded" | "rateLimitExceeded" | "dailyLimitExceeded") => {
            SourceError::RateLimited { detail, wait }
        }
        (401, _) | (400, "ExpiredToken" | "InvalidToken" | "AuthRequired" | "keyInvalid") => {
            SourceError::Auth(detail)
        }
        _ => SourceError::Unavailable(detail),
    }
}

/// `{"error":"ExpiredToken"}` or `{"error":{"errors":[{"reason":"quotaExceeded"}]}}`.
fn api_error_code(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let e = v.get("error")?;
    let code = e
        .as_str()
        .or_else(|| e.pointer("/errors/0/reason")?.as_str())?;
    let ok = code.len() <= 64 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then(|| code.to_owned())
}
