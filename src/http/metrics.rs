//! Prometheus metrics at `/metrics`.
//!
//! Counted as they happen (in this process): `vigia_mentions_ingested_total{feed}`,
//! `vigia_analysis_seconds` (per mention), `vigia_ingest_page_wait_seconds` and
//! `vigia_ingest_page_transaction_seconds` (per page), `vigia_feed_failures_total{feed}`,
//! `vigia_http_request_duration_seconds{method,route,status}`. Read from the database at each
//! scrape (so they agree across instances): `vigia_outbox_pending`,
//! `vigia_outbox_oldest_age_seconds`, `vigia_incidents_open{brand}`,
//! `vigia_feed_consecutive_failures{feed}`, `vigia_feed_last_success_age_seconds{feed}`.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

use super::{ApiError, ApiState};
use crate::storage::Store;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide recorder (installed on first use).
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&[
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ])
            .expect("static bucket list is not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Fails only if another recorder is installed; then metrics go there.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

pub async fn get<S: Store>(State(state): State<ApiState<S>>) -> Result<Response, ApiError> {
    let handle = handle();
    let now = state.clock.now();
    let ops = state.store.ops_figures().await?;
    metrics::gauge!("vigia_outbox_pending").set(ops.outbox_pending as f64);
    let age = ops
        .outbox_oldest
        .map_or(0.0, |t| (now - t).num_milliseconds() as f64 / 1e3);
    metrics::gauge!("vigia_outbox_oldest_age_seconds").set(age.max(0.0));
    for (brand, n) in ops.incidents_open {
        metrics::gauge!("vigia_incidents_open", "brand" => brand).set(n as f64);
    }
    for feed in state.store.list_feeds().await? {
        let name = feed.name.clone();
        metrics::gauge!("vigia_feed_consecutive_failures", "feed" => name.clone())
            .set(feed.consecutive_failures as f64);
        if let Some(t) = feed.last_success_at {
            let age = (now - t).num_milliseconds() as f64 / 1e3;
            metrics::gauge!("vigia_feed_last_success_age_seconds", "feed" => name).set(age);
        }
    }
    let mut res = handle.render().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    Ok(res)
}

/// Middleware: records each request's latency by route template (not raw path, so ids do not
/// explode the label set).
/// A request method as a label: the standard ones by name, anything else `other`, so made-up
/// methods cannot grow the label set.
pub fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Installs the recorder (if not yet) and registers the counters that must be present from
/// the start, before anything happened: a failure counter at 0 for each feed.
pub fn install<'a>(feeds: impl IntoIterator<Item = &'a str>) {
    handle();
    for feed in feeds {
        metrics::counter!("vigia_feed_failures_total", "feed" => feed.to_owned()).increment(0);
        metrics::counter!("vigia_mentions_ingested_total", "feed" => feed.to_owned()).increment(0);
    }
}

pub async fn track(req: Request, next: Next) -> Response {
    handle();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = method_label(req.method());
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    metrics::histogram!("vigia_http_request_duration_seconds",
        "method" => method, "route" => route, "status" => res.status().as_u16().to_string())
    .record(started.elapsed().as_secs_f64());
    res
}
