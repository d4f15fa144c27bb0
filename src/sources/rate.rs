//! Reading an API's rate-limit headers: `Retry-After`, `X-RateLimit-*` (Mastodon, Reddit),
//! `RateLimit-*` (Bluesky), `x-rate-limit-*` (X) and Meta's `X-App-Usage`.

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use std::time::Duration;

/// What a response's headers say about the remote rate limit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateInfo {
    /// Requests left in the current window.
    pub remaining: Option<f64>,
    /// Time until the window resets.
    pub reset_in: Option<Duration>,
    /// `Retry-After`, when the server sent one.
    pub retry_after: Option<Duration>,
    /// Highest percentage reported by Meta's `X-App-Usage`.
    pub usage_percent: Option<f64>,
}

impl RateInfo {
    /// Reads `Retry-After`, `X-RateLimit-*`, `RateLimit-*`, `x-rate-limit-*` and `X-App-Usage`.
    /// `now` turns absolute reset times (epoch seconds or ISO-8601) into durations.
    pub fn from_headers(h: &HeaderMap, now: DateTime<Utc>) -> RateInfo {
        let get = |names: &[&str]| names.iter().find_map(|n| header_str(h, n));
        let remaining = get(&[
            "x-ratelimit-remaining",
            "ratelimit-remaining",
            "x-rate-limit-remaining",
        ])
        .and_then(|v| v.trim().parse::<f64>().ok());
        let reset_in = get(&["x-ratelimit-reset", "ratelimit-reset", "x-rate-limit-reset"])
            .and_then(|v| reset_duration(&v, now));
        let retry_after = header_str(h, "retry-after").and_then(|v| retry_after(&v, now));
        let usage_percent = header_str(h, "x-app-usage").and_then(|v| app_usage(&v));
        RateInfo {
            remaining,
            reset_in,
            retry_after,
            usage_percent,
        }
    }

    /// How long the caller should wait before the next request to this API, if at all.
    pub fn suggested_wait(&self) -> Option<Duration> {
        if self.retry_after.is_some() {
            return self.retry_after;
        }
        let exhausted = self.remaining.is_some_and(|r| r < 1.0)
            || self.usage_percent.is_some_and(|p| p >= 100.0);
        if exhausted { self.reset_in } else { None }
    }
}

fn header_str(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name)?.to_str().ok().map(str::to_owned)
}

/// A reset header is either seconds-until-reset (Reddit, small numbers), an epoch timestamp
/// (X, Bluesky) or an ISO-8601 instant (Mastodon).
fn reset_duration(v: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = v.trim();
    if let Ok(n) = v.parse::<f64>() {
        if n > 1_000_000_000.0 {
            let secs = n - now.timestamp() as f64;
            return Some(Duration::from_secs_f64(secs.max(0.0)));
        }
        return (n >= 0.0).then(|| Duration::from_secs_f64(n));
    }
    let at = DateTime::parse_from_rfc3339(v).ok()?;
    (at.with_timezone(&Utc) - now)
        .to_std()
        .ok()
        .or(Some(Duration::ZERO))
}

/// `Retry-After` is seconds or an HTTP date.
fn retry_after(v: &str, now: DateTime<Utc>) -> Option<Duration> {
    if let Ok(n) = v.trim().parse::<u64>() {
        return Some(Duration::from_secs(n));
    }
    let at = DateTime::parse_from_rfc2822(v.trim()).ok()?;
    Some((at.with_timezone(&Utc) - now).to_std().unwrap_or_default())
}

/// `X-App-Usage: {"call_count":28,"total_time":25,"total_cputime":25}` → 28.
fn app_usage(v: &str) -> Option<f64> {
    let json: serde_json::Value = serde_json::from_str(v).ok()?;
    json.as_object()?
        .values()
        .filter_map(|x| x.as_f64())
        .reduce(f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn reads_the_header_families() {
        let now = at("2025-07-17T20:00:00Z");
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        h.insert(
            "x-ratelimit-reset",
            HeaderValue::from_static("2025-07-17T20:05:00.290188Z"),
        );
        let r = RateInfo::from_headers(&h, now);
        assert_eq!(r.remaining, Some(0.0));
        assert_eq!(r.suggested_wait().unwrap().as_secs(), 300);

        let mut h = HeaderMap::new();
        h.insert("x-rate-limit-remaining", HeaderValue::from_static("449"));
        h.insert("x-rate-limit-reset", HeaderValue::from_static("1752782460"));
        let r = RateInfo::from_headers(&h, now);
        assert_eq!(r.reset_in.unwrap().as_secs(), 60);
        assert_eq!(r.suggested_wait(), None);

        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("17"));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("452"));
        h.insert(
            "x-app-usage",
            HeaderValue::from_static(r#"{"call_count":100,"total_time":5}"#),
        );
        let r = RateInfo::from_headers(&h, now);
        assert_eq!(r.retry_after, Some(Duration::from_secs(17)));
        assert_eq!(r.reset_in, Some(Duration::from_secs(452)));
        assert_eq!(r.usage_percent, Some(100.0));
    }
}
