//! Helpers shared by the source tests.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use vigia::clock::{Clock, ManualClock};
use vigia::domain::{Cursor, FeedQuery, Page};
use vigia::sources::{Deps, FixedSecrets, Source, SourceError};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const NOW: &str = "2026-03-02T12:00:00Z";

pub fn now() -> DateTime<Utc> {
    NOW.parse().unwrap()
}

pub fn clock() -> Arc<dyn Clock> {
    Arc::new(ManualClock::new(now()))
}

pub fn query(terms: &[&str]) -> FeedQuery {
    FeedQuery {
        feed: "f".into(),
        brand: "rapiplato".into(),
        terms: terms.iter().map(|t| t.to_string()).collect(),
    }
}

/// What a source is built with: the fixed test clock and exactly these secrets (nothing is
/// read from, or written to, the process environment).
pub fn deps(secrets: &[(&str, &str)]) -> Deps {
    Deps::new(
        clock(),
        Arc::new(FixedSecrets::new(secrets.iter().copied())),
    )
}

/// Parses a feed config table written in TOML, with `http.base_url` pointing at `server`.
pub fn config<T: serde::de::DeserializeOwned>(server: &MockServer, body: &str) -> T {
    let text = format!(
        "name = \"f\"\nbrand = \"rapiplato\"\nschedule = \"0 0 0 1 1 * 2099\"\n{body}\n\
         [http]\nbase_url = \"{}\"\ntimeout_secs = 5\n",
        server.uri()
    );
    toml::from_str(&text).unwrap_or_else(|e| panic!("bad test config: {e}\n{text}"))
}

pub async fn fetch(source: &dyn Source, q: &FeedQuery, cursor: Option<&Cursor>) -> Page {
    source.fetch(q, cursor).await.expect("fetch failed")
}

/// 429 with Retry-After → RateLimited with that wait; 503 → Unavailable. Resets the server.
pub async fn assert_rate_limit_and_5xx(server: &MockServer, source: &dyn Source, q: &FeedQuery) {
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .mount(server)
        .await;
    match source.fetch(q, None).await {
        Err(SourceError::RateLimited { wait, .. }) => {
            assert_eq!(wait, Some(Duration::from_secs(30)))
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream down"))
        .mount(server)
        .await;
    match source.fetch(q, None).await {
        Err(SourceError::Unavailable(e)) => assert!(e.contains("503"), "{e}"),
        other => panic!("expected Unavailable, got {other:?}"),
    }
    server.reset().await;
}

pub fn cursor_json(page: &Page) -> serde_json::Value {
    let c = page.next_cursor.as_ref().expect("a cursor");
    serde_json::from_str(&c.0).unwrap()
}
