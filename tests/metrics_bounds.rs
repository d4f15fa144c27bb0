//! `/metrics` stays bounded and complete: made-up HTTP methods share one label, counters exist
//! from the start (before any request or failure), and what was ingested before the first
//! HTTP request is counted. Its own test binary: the recorder is process-wide.

mod common;

use common::TestApp;

fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_are_complete_from_the_start_and_bounded() {
    let app = TestApp::start().await;
    // Ingest before any HTTP request reaches the server.
    let report = app.replay_all("demo").await;
    let metrics = || async {
        let res = app.client.get(format!("{}/metrics", app.base)).send();
        res.await.unwrap().text().await.unwrap()
    };
    let before = metrics().await;
    assert_eq!(
        value(&before, "vigia_feed_failures_total{feed=\"demo\"}"),
        Some(0.0),
        "the failure counter is there before any failure"
    );
    let ingested = value(&before, "vigia_mentions_ingested_total{feed=\"demo\"}");
    assert_eq!(ingested, Some(report.stored as f64));
    let analysed = value(&before, "vigia_analysis_seconds_count").unwrap_or_default();
    assert!(
        analysed >= report.stored as f64,
        "one observation per mention: {analysed} < {}",
        report.stored
    );
    for i in 0..50 {
        let method = reqwest::Method::from_bytes(format!("MADEUP{i}").as_bytes()).unwrap();
        let _ = app
            .client
            .request(method, format!("{}/api/mentions", app.base))
            .send()
            .await
            .unwrap();
    }
    let after = metrics().await;
    assert!(!after.contains("MADEUP"), "a made-up method became a label");
    assert!(after.contains("method=\"other\""));
    assert!(
        after.len() < before.len() + 8_000,
        "{} -> {} bytes",
        before.len(),
        after.len()
    );
    app.stop().await;
}
