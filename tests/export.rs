//! Bulk export of mentions: roles, brand scope, CSV safety, audit.

mod common;

use common::TestApp;

#[tokio::test]
async fn export_is_for_roles_with_export_keeps_scope_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        concat!(
            r#"{"id":"x-1","source":"x","created_at":"2026-03-02T10:00:00Z","text":"=HYPERLINK(\"http://evil\",\"clic\") @rapiplato","author":{"handle":"mallory"}}"#,
            "\n",
            r#"{"id":"x-2","source":"x","created_at":"2026-03-02T11:00:00Z","text":"@rapiplato todo bien, \"gracias\", de verdad","author":{"handle":"ana"}}"#,
            "\n",
        ),
    )
    .unwrap();
    let app = TestApp::start_with_feed(&feed).await;
    app.replay_all("demo").await;
    let viewer = app.token_for("v", "viewer", None).await;
    let crisis = app.token_for("c", "crisis", None).await;
    let elsewhere = app.token_for("o", "crisis", Some(&["otra"])).await;
    let url = |q: &str| format!("{}/api/export/mentions{q}", app.base);
    let get = |token: String, q: &str| app.client.get(url(q)).bearer_auth(token).send();

    assert_eq!(get(viewer, "").await.unwrap().status(), 403);
    let res = get(crisis.clone(), "").await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let body = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let text_col = headers.iter().position(|h| h == "text").unwrap();
    let texts: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[text_col].to_owned())
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts.contains(&"'=HYPERLINK(\"http://evil\",\"clic\") @rapiplato".to_owned()));
    // A cell starting with `@` is also one a spreadsheet may evaluate: it is prefixed too
    // (JSON lines keep the text as it is).
    assert!(
        texts.contains(&"'@rapiplato todo bien, \"gracias\", de verdad".to_owned()),
        "{texts:?}"
    );

    let jsonl = get(crisis.clone(), "?format=jsonl&since=2026-03-02T10:30:00Z")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["external_id"], "x-2");
    let outside = get(elsewhere, "?format=jsonl")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(outside, "", "nothing outside the user's brands");
    assert_eq!(get(crisis, "?format=xlsx").await.unwrap().status(), 400);

    let audit = app
        .get_ok("/api/audit?target_kind=mentions&target_id=export")
        .await;
    assert_eq!(audit["total"], 3);
    assert_eq!(audit["items"][2]["actor"], "c");
    assert_eq!(audit["items"][2]["detail"]["rows"], 2);
    app.stop().await;
}
