//! Conversation links (reply-to, thread root, repost) survive ingest and come back from the API.

mod common;

use common::TestApp;

#[tokio::test]
async fn reply_thread_and_repost_are_stored_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("thread.jsonl");
    std::fs::write(
        &feed,
        concat!(
            r#"{"id":"x-1","source":"x","created_at":"2026-03-02T10:00:00Z","text":"@rapiplato mi pedido no llegó","author":{"handle":"ana"},"thread_id":"x-1"}"#,
            "\n",
            r#"{"id":"x-2","source":"x","created_at":"2026-03-02T10:05:00Z","text":"@rapiplato sigo esperando","author":{"handle":"ana"},"reply_to":"x-1","thread_id":"x-1"}"#,
            "\n",
            r#"{"id":"x-3","source":"x","created_at":"2026-03-02T10:06:00Z","text":"RT @ana: @rapiplato mi pedido no llegó","author":{"handle":"bob"},"is_repost":true}"#,
            "\n",
        ),
    )
    .unwrap();
    let app = TestApp::start_with_feed(&feed).await;
    let report = app.replay_all("demo").await;
    assert_eq!(report.stored, 3, "{report:?}");
    let body = app.get_ok("/api/mentions?limit=10").await;
    let items = body["items"].as_array().expect("items");
    let by_id = |id: &str| {
        items
            .iter()
            .find(|m| m["external_id"] == id)
            .unwrap_or_else(|| panic!("{id} listed"))
            .clone()
    };
    let root = by_id("x-1");
    assert!(root["reply_to"].is_null());
    assert_eq!(root["thread_id"], "x-1");
    assert_eq!(root["is_repost"], false);
    let reply = by_id("x-2");
    assert_eq!(reply["reply_to"], "x-1");
    assert_eq!(reply["thread_id"], "x-1");
    let repost = by_id("x-3");
    assert_eq!(repost["is_repost"], true);
    assert!(repost["thread_id"].is_null());
    app.stop().await;
}
