//! The dashboard's API: overview figures from the rollup tables agree with the mentions
//! themselves, share of voice against a competitor, the live stream, /metrics and the OpenAPI
//! description of every route the router serves.

mod common;

use common::TestApp;
use serde_json::Value;
use std::collections::BTreeSet;

/// The demo week (examples/demo/mentions.jsonl) ends before this.
const DEMO_END: &str = "2026-03-09T00:00:00Z";

fn sum(items: &Value) -> i64 {
    items
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["count"].as_i64().expect("count"))
        .sum()
}

#[tokio::test]
async fn overview_figures_from_rollups_match_the_stored_mentions() {
    let app = TestApp::start().await;
    app.replay_all("demo").await;
    let ov = app
        .get_ok(&format!(
            "/api/overview?brand=rapiplato&range=7d&until={DEMO_END}"
        ))
        .await;
    let since = ov["from"].as_str().expect("from");
    let mentions = app
        .total(&format!(
            "/api/mentions?brand=rapiplato&since={since}&limit=1"
        ))
        .await;
    let negative = app
        .total(&format!(
            "/api/mentions?brand=rapiplato&since={since}&sentiment=negative&limit=1"
        ))
        .await;
    assert!(mentions > 500, "the demo week is in the window: {mentions}");
    assert_eq!(ov["totals"]["total"], mentions);
    assert_eq!(ov["totals"]["negative"], negative);
    assert_eq!(sum(&ov["timeline"]), mentions);
    assert_eq!(sum(&ov["networks"]), mentions);
    let share = ov["negative_share"].as_f64().expect("share");
    assert!((share - negative as f64 / mentions as f64).abs() < 1e-9);
    // Categories: the count of the busiest one equals a filtered count of the mentions.
    let top = &ov["categories"][0];
    let name = top["name"].as_str().expect("category");
    let counted = app
        .total(&format!(
            "/api/mentions?brand=rapiplato&since={since}&category={name}&limit=1"
        ))
        .await;
    assert_eq!(top["count"], counted);
    // Terms: hashtags keep their '#', stop words are gone.
    let terms: Vec<&str> = ov["top_terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(!terms.is_empty() && !terms.iter().any(|t| t.starts_with('#')));
    assert!(
        !terms.contains(&"para") && !terms.contains(&"with"),
        "{terms:?}"
    );
    assert!(
        ov["top_hashtags"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["name"].as_str().unwrap().starts_with('#'))
    );
    // Alone, the brand has all of its voice; 24 h hold fewer mentions than 7 days.
    assert_eq!(ov["share_of_voice"][0]["share"], 1.0);
    let day = app
        .get_ok(&format!(
            "/api/overview?brand=rapiplato&range=24h&until={DEMO_END}"
        ))
        .await;
    assert!(day["totals"]["total"].as_i64().unwrap() < mentions);
    assert_eq!(day["last_activity"], ov["last_activity"]);
    assert_eq!(
        app.get("/api/overview?brand=rapiplato&range=1y").await.0,
        400
    );
    assert_eq!(app.get("/api/overview?brand=nope").await.0, 404);

    // A custom window counts exactly the mentions between its ends; 30 days hold the week.
    let (since, until) = ("2026-03-03T00:00:00Z", "2026-03-05T12:00:00Z");
    let custom = app
        .get_ok(&format!(
            "/api/overview?brand=rapiplato&since={since}&until={until}"
        ))
        .await;
    assert_eq!(custom["range"], "custom");
    assert_eq!(custom["from"], "2026-03-03T00:00:00Z");
    let from_since = app
        .total(&format!(
            "/api/mentions?brand=rapiplato&since={since}&limit=1"
        ))
        .await;
    let from_until = app
        .total(&format!(
            "/api/mentions?brand=rapiplato&since={until}&limit=1"
        ))
        .await;
    let between = from_since - from_until;
    assert!(between > 0 && between < mentions, "{between}");
    assert_eq!(custom["totals"]["total"], between);
    assert_eq!(sum(&custom["timeline"]), between);
    let month = app
        .get_ok(&format!(
            "/api/overview?brand=rapiplato&range=30d&until={DEMO_END}"
        ))
        .await;
    assert_eq!(month["range"], "30d");
    assert_eq!(month["totals"]["total"], mentions);
    for bad in [
        format!("since={until}&until={since}"),
        format!("since=2026-01-01T00:00:00Z&until={until}"),
        format!("since=yesterday&until={until}"),
    ] {
        let (status, e) = app
            .get(&format!("/api/overview?brand=rapiplato&{bad}"))
            .await;
        assert_eq!(status, 400, "{bad}: {e}");
        assert!(e["message"].as_str().unwrap().starts_with("since:"), "{e}");
    }
    app.stop().await;
}

#[tokio::test]
async fn share_of_voice_compares_with_competitors_from_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rival = dir.path().join("rival.jsonl");
    let lines: Vec<String> = (0..3)
        .map(|i| {
            format!(
                r#"{{"id":"r{i}","source":"x","created_at":"2026-03-05T10:0{i}:00Z","text":"comidaya rocks {i}","author":{{"handle":"h{i}"}},"url":"https://x.com/h/status/{i}"}}"#
            )
        })
        .collect();
    std::fs::write(&rival, lines.join("\n")).expect("rival feed");
    let extra = format!(
        "[[brands]]\nname = \"comidaya\"\nlang = \"es\"\n\n[[feeds]]\nkind = \"replay\"\nname = \"rival\"\nbrand = \"comidaya\"\nschedule = \"0 0 0 1 1 * 2099\"\npath = \"{}\"\nspeed = 1e12\nstart = \"first\"\n",
        rival.display()
    );
    common::write_config(dir.path(), &common::demo_mentions(), &extra);
    let cfg = std::fs::read_to_string(dir.path().join("vigia.toml")).unwrap();
    let cfg = cfg.replacen(
        "lang = \"es\"\n",
        "lang = \"es\"\ncompetitors = [\"comidaya\"]\n",
        1,
    );
    std::fs::write(dir.path().join("vigia.toml"), cfg).unwrap();
    let app = TestApp::start_in(dir).await;
    app.replay_all("demo").await;
    app.replay_all("rival").await;
    let ov = app
        .get_ok(&format!(
            "/api/overview?brand=rapiplato&range=7d&until={DEMO_END}"
        ))
        .await;
    let sov = ov["share_of_voice"].as_array().expect("sov");
    assert_eq!(sov.len(), 2);
    assert_eq!(
        (sov[0]["brand"].as_str(), sov[1]["brand"].as_str()),
        (Some("rapiplato"), Some("comidaya"))
    );
    assert_eq!(sov[1]["count"], 3);
    let own = ov["totals"]["total"].as_i64().unwrap();
    let share = sov[1]["share"].as_f64().unwrap();
    assert!((share - 3.0 / (own + 3) as f64).abs() < 1e-9);
    // A viewer scoped to rapiplato alone does not see the competitor's figures.
    let scoped = app
        .token_for("scoped", "viewer", Some(&["rapiplato"]))
        .await;
    let (_, ov) = app
        .get_as(
            &scoped,
            &format!("/api/overview?brand=rapiplato&range=7d&until={DEMO_END}"),
        )
        .await;
    assert_eq!(ov["share_of_voice"].as_array().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_competitor_must_be_a_configured_brand() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_config(dir.path(), &common::demo_mentions(), "");
    let path = dir.path().join("vigia.toml");
    let cfg = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        cfg.replacen(
            "lang = \"es\"\n",
            "lang = \"es\"\ncompetitors = [\"ghost\"]\n",
            1,
        ),
    )
    .unwrap();
    let config = vigia::config::load(&path).expect("parses");
    let clock = std::sync::Arc::new(vigia::clock::ManualClock::new(chrono::Utc::now()));
    let err = vigia::app::App::build(config, clock)
        .await
        .err()
        .expect("refused");
    let msg = format!("{err:#}");
    assert!(
        msg.contains("brands[0].competitors[0]") && msg.contains("ghost"),
        "{msg}"
    );
}

#[tokio::test]
async fn the_live_stream_sends_new_mentions_and_incident_changes() {
    let app = TestApp::start().await;
    let mut res = app
        .client
        .get(format!("{}/api/stream?brand=rapiplato", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .expect("stream");
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    app.replay_all("demo").await;
    let mut text = String::new();
    let deadline = std::time::Duration::from_secs(20);
    while !(text.contains("event: mention") && text.contains("event: incident")) {
        let chunk = tokio::time::timeout(deadline, res.chunk())
            .await
            .expect("an event within the deadline")
            .expect("stream open")
            .expect("chunk");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    let first = text
        .lines()
        .skip_while(|l| *l != "event: mention")
        .nth(1)
        .and_then(|l| l.strip_prefix("data: "))
        .expect("mention data");
    let m: Value = serde_json::from_str(first).expect("mention JSON");
    assert_eq!(m["brand"], "rapiplato");
    assert!(m["text"].is_string() && m["label"].is_string());

    // A note changes neither status nor mention count, yet other browsers must learn of it:
    // once the stream is quiet, a note brings an incident event of that incident.
    let quiet = std::time::Duration::from_millis(2500);
    while let Ok(chunk) = tokio::time::timeout(quiet, res.chunk()).await {
        assert!(chunk.expect("stream open").is_some(), "stream ended");
    }
    let incident = app.get_ok("/api/incidents?limit=1").await["items"][0]["id"]
        .as_i64()
        .expect("an incident");
    let url = format!("/api/incidents/{incident}/notes");
    let (status, note) = app
        .post_json(
            &url,
            &serde_json::json!({"text": "hablamos con el restaurante"}),
        )
        .await;
    assert_eq!(status, 201, "{note}");
    let mut after = String::new();
    while !after.contains(&format!("\"id\":{incident},")) {
        let chunk = tokio::time::timeout(deadline, res.chunk())
            .await
            .expect("the note's incident event within the deadline")
            .expect("stream open")
            .expect("chunk");
        after.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(after.contains("event: incident"), "{after}");
    app.stop().await;
}

#[tokio::test]
async fn metrics_expose_ingest_outbox_incidents_feeds_and_http_latency() {
    let app = TestApp::start().await;
    let report = app.replay_all("demo").await;
    app.get_ok("/api/mentions?limit=1").await;
    let res = app
        .client
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .expect("metrics");
    assert_eq!(res.status(), 200);
    let text = res.text().await.expect("text");
    let ingested: f64 = text
        .lines()
        .find(|l| l.starts_with("vigia_mentions_ingested_total{feed=\"demo\"}"))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .expect("ingested counter");
    // Counters are process-wide and other tests in this binary ingest too.
    assert!(
        ingested >= report.stored as f64,
        "{ingested} < {}",
        report.stored
    );
    for name in [
        "vigia_analysis_seconds",
        "vigia_ingest_page_wait_seconds_count",
        "vigia_ingest_page_transaction_seconds_count",
        "vigia_outbox_pending",
        "vigia_outbox_oldest_age_seconds",
        "vigia_incidents_open{brand=\"rapiplato\"} 1",
        "vigia_feed_consecutive_failures{feed=\"demo\"} 0",
        "vigia_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/mentions\",status=\"200\"",
    ] {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
    app.stop().await;
}

#[tokio::test]
async fn openapi_is_valid_and_lists_exactly_the_routes_served() {
    let app = TestApp::start().await;
    let doc = app.get_ok("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let parsed: oas3::OpenApiV3Spec = serde_json::from_value(doc.clone()).expect("valid OpenAPI 3");
    let mut documented = BTreeSet::new();
    // Routes outside `/api` (health, webhooks, survey, sign-in) are documented too.
    for (path, item) in parsed.paths.as_ref().expect("paths") {
        if !path.starts_with("/api/") {
            continue;
        }
        for (method, _) in item.methods() {
            documented.insert((method.as_str().to_owned(), path.clone()));
        }
    }
    let table = vigia::http::api::table::<vigia::storage::sqlite::SqliteStore>();
    let served: BTreeSet<(String, String)> = table.served().iter().cloned().collect();
    assert_eq!(documented, served);
    // Every documented route reaches a handler in the running server (not the fallback).
    for (method, path) in &served {
        let path = path.replace("{id}", "1");
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let (status, body) = if path.ends_with("/stream") {
            (200, Value::Null) // an endless stream; checked in its own test
        } else {
            app.send(m, &app.token, &path, Some(&serde_json::json!({})))
                .await
        };
        assert!(
            !(status == 404 && body["message"] == "no such route") && status != 405,
            "{method} {path} is documented but not served ({status} {body})"
        );
    }
    app.stop().await;
}
