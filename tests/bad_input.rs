//! Bad input gets a clear error and loses nothing.

mod common;

use common::{TestApp, write_config};

/// Runs `vigia --config CONFIG ARGS...` to completion.
fn vigia(config: &std::path::Path, args: &[&str]) -> std::process::Output {
    common::process::vigia(config)
        .args(args)
        .output()
        .expect("run vigia")
}

#[test]
fn invalid_cron_fails_at_start_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &common::demo_mentions(), "");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("0 0 0 1 1 * 2099", "every minute please");
    std::fs::write(&config, text).unwrap();
    let out = vigia(&config, &["migrate"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("vigia.toml") && stderr.contains("feeds[0] (demo).schedule"),
        "{stderr}"
    );
    assert!(
        stderr.contains("invalid cron expression 'every minute please'"),
        "{stderr}"
    );
}

#[test]
fn unknown_key_fails_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &common::demo_mentions(), "speeed = 3");
    let out = vigia(&config, &["migrate"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("vigia.toml")
            && stderr.contains("unknown field")
            && stderr.contains("speeed"),
        "{stderr}"
    );
}

#[test]
fn malformed_jsonl_line_is_logged_with_file_and_line_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.jsonl");
    let good = |id: u32, text: &str| {
        format!(
            r#"{{"id":"t-{id}","source":"x","created_at":"2026-03-02T10:0{id}:00Z","text":"{text}","author":{{"handle":"ana"}}}}"#
        )
    };
    let lines = [
        good(1, "Rapiplato llegó rapidísimo, gracias!"),
        "{\"id\": \"broken\", \"text\": ".to_owned(),
        good(2, "<script>alert('x')</script> rapiplato lo peor"),
    ];
    std::fs::write(&feed, lines.join("\n")).unwrap();
    let config = write_config(dir.path(), &feed, "");
    // The first run starts the replay clock (the first mention is due); the second run, a
    // moment later at 10^12× speed, gets the rest. Nothing is lost or repeated.
    let mut stored = 0;
    for _ in 0..2 {
        let out = vigia(&config, &["poll", "--feed", "demo", "--once"]);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("feed.jsonl") && stderr.contains("line=2"),
            "{stderr}"
        );
        let report: serde_json::Value = serde_json::from_str(stdout.trim()).expect("JSON report");
        stored += report["stored"].as_i64().unwrap();
    }
    assert_eq!(stored, 2);
}

/// A length limit of the OpenAPI description (`maxLength`) holds for the value as sent:
/// surrounding spaces count, though they are trimmed from what is stored (Schemathesis found
/// a 201-character `external_ref` starting with a vertical tab accepted).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn length_limits_count_the_value_as_sent() {
    let t = TestApp::start().await;
    let padded = format!("\u{b}{}", "*".repeat(200));
    let (status, body) = t
        .post_json(
            "/api/customers",
            &serde_json::json!({"external_ref": padded}),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("bad_request")),
        "{body}"
    );
    let fits = format!(" {} ", "*".repeat(198));
    let (status, body) = t
        .post_json("/api/customers", &serde_json::json!({"external_ref": fits}))
        .await;
    assert_eq!(status, 201, "{body}");
    let stored = t.get_ok(&format!("/api/customers/{}", body["id"])).await;
    assert_eq!(stored["external_ref"], "*".repeat(198));
    let long_q = format!("/api/mentions?q=%20{}", "a".repeat(200));
    let (status, body) = t.get(&long_q).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_parameters_of_the_wrong_type_get_a_400_json_error() {
    let t = TestApp::start().await;
    for path in [
        "/api/mentions?limit=abc",
        "/api/mentions?limit=501",
        "/api/mentions?offset=-1",
        "/api/mentions?since=yesterday",
        "/api/mentions?sentiment=angry",
        "/api/mentions?colour=red",
        "/api/incidents?status=burning",
        "/api/tickets?customer=x",
        "/api/customers/abc",
    ] {
        let (status, body) = t.get(path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["error"], "bad_request", "{path}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{path}: {body}"
        );
    }
    let (status, body) = t.get("/api/customers/999999").await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, _) = t.get("/nope").await;
    assert_eq!(status, 404);
    assert_eq!(t.get_ok("/healthz").await["status"], "ok");
    t.stop().await;
}
