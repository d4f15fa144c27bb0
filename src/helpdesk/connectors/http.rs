//! The HTTP client the connectors share: base URL, timeout, and the mapping of answers to
//! [`HelpdeskError`] (429/503 with `Retry-After` → rate limited; timeouts flagged so the
//! dispatcher searches before creating again). An answer saying the rate-limit window is used
//! up (`X-RateLimit-Remaining: 0`, Zendesk's `x-rate-limit-remaining`/`rate-limit-remaining`)
//! pauses the connector until the window resets (`rate-limit-reset` seconds, else a minute):
//! calls in the meantime are not sent and come back as rate limited.

use chrono::{DateTime, Utc};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;

use super::HelpdeskError;

/// Wait when a 429 carries no usable `Retry-After`.
const DEFAULT_RETRY: Duration = Duration::from_secs(60);

const REMAINING: [&str; 3] = [
    "x-ratelimit-remaining",
    "x-rate-limit-remaining",
    "rate-limit-remaining",
];
const RESET: [&str; 3] = [
    "rate-limit-reset",
    "x-ratelimit-reset",
    "x-rate-limit-reset",
];

#[derive(Clone)]
pub(super) struct Client {
    http: reqwest::Client,
    base: String,
    /// Until when the helpdesk's rate-limit window is used up (application clock).
    paused_until: Arc<std::sync::Mutex<Option<DateTime<Utc>>>>,
    clock: Arc<dyn Clock>,
}

impl Client {
    pub(super) fn new(
        base_url: &str,
        timeout: Duration,
        clock: Arc<dyn Clock>,
    ) -> Result<Client, String> {
        let base = base_url.trim_end_matches('/').to_owned();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(format!("base_url '{base_url}' is not an http(s) URL"));
        }
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("vigia/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Client {
            http,
            base,
            paused_until: Default::default(),
            clock,
        })
    }

    fn paused(&self) -> Option<Duration> {
        let until = (*self.paused_until.lock().unwrap_or_else(|p| p.into_inner()))?;
        (until - self.clock.now())
            .to_std()
            .ok()
            .filter(|d| !d.is_zero())
    }

    /// Sends the request (unless the window is used up) and returns the JSON body of a 2xx
    /// answer (`Null` when empty).
    pub(super) async fn send_json(&self, req: RequestBuilder) -> Result<Value, HelpdeskError> {
        if let Some(wait) = self.paused() {
            return Err(HelpdeskError::RateLimited(wait));
        }
        let res = req.send().await.map_err(|e| {
            if e.is_timeout() {
                HelpdeskError::Timeout(e.to_string())
            } else {
                HelpdeskError::Temporary(e.to_string())
            }
        })?;
        // A 429 says how long to wait itself; a success may say the window is now used up.
        if let Some(wait) = window_used_up(&res).filter(|_| res.status().is_success()) {
            let until = self.clock.now() + chrono::Duration::from_std(wait).unwrap_or_default();
            *self.paused_until.lock().unwrap_or_else(|p| p.into_inner()) = Some(until);
        }
        check(res).await
    }

    pub(super) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, format!("{}{path}", self.base))
    }
}

fn header_f64(res: &Response, names: &[&str]) -> Option<f64> {
    names.iter().find_map(|n| {
        res.headers()
            .get(*n)?
            .to_str()
            .ok()?
            .trim()
            .parse::<f64>()
            .ok()
    })
}

/// How long to wait when the answer says no calls are left in this window.
fn window_used_up(res: &Response) -> Option<Duration> {
    let remaining = header_f64(res, &REMAINING)?;
    if remaining > 0.0 {
        return None;
    }
    let reset = header_f64(res, &RESET).filter(|s| (1.0..=3600.0).contains(s));
    Some(reset.map_or(DEFAULT_RETRY, Duration::from_secs_f64))
}

async fn check(res: Response) -> Result<Value, HelpdeskError> {
    let status = res.status();
    if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
        let wait = retry_after(&res).unwrap_or(DEFAULT_RETRY);
        return Err(HelpdeskError::RateLimited(wait));
    }
    let body = res.text().await.unwrap_or_default();
    if status.is_success() {
        return Ok(serde_json::from_str(&body).unwrap_or(Value::Null));
    }
    let snippet: String = body.chars().take(300).collect();
    let msg = format!("HTTP {status}: {snippet}");
    if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
        Err(HelpdeskError::Temporary(msg))
    } else {
        Err(HelpdeskError::Permanent(msg))
    }
}

/// `Retry-After` in seconds (the helpdesks send seconds, not dates).
fn retry_after(res: &Response) -> Option<Duration> {
    res.headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// Reads a JSON id (number or string) as a string.
pub(super) fn id_str(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

pub(super) fn parse_time(v: &Value) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(v.as_str()?)
        .ok()
        .map(|d| d.with_timezone(&chrono::Utc))
}
