//! The HTTP client the connectors share: base URL, timeout, and the mapping of answers to
//! [`HelpdeskError`] (429/503 with `Retry-After` → rate limited; timeouts flagged so the
//! dispatcher searches before creating again).

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;
use std::time::Duration;

use super::HelpdeskError;

/// Wait when a 429 carries no usable `Retry-After`.
const DEFAULT_RETRY: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub(super) struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    pub(super) fn new(base_url: &str, timeout: Duration) -> Result<Client, String> {
        let base = base_url.trim_end_matches('/').to_owned();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(format!("base_url '{base_url}' is not an http(s) URL"));
        }
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("vigia/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Client { http, base })
    }

    pub(super) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, format!("{}{path}", self.base))
    }
}

/// Sends the request and returns the JSON body of a 2xx answer (`Null` when empty).
pub(super) async fn send_json(req: RequestBuilder) -> Result<Value, HelpdeskError> {
    let res = req.send().await.map_err(|e| {
        if e.is_timeout() {
            HelpdeskError::Timeout(e.to_string())
        } else {
            HelpdeskError::Temporary(e.to_string())
        }
    })?;
    check(res).await
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
