//! A feed's own `query` is re-checked locally on every fetched mention (whatever the API's
//! search let through), on top of the brand scope; a bad query fails start-up naming the key.

mod common;

use common::{TestApp, demo_mentions, write_config};

#[tokio::test]
async fn only_mentions_matching_the_feed_query_are_stored() {
    // The extra line lands in the demo replay feed's table.
    let t = TestApp::start_with_extra("query = \"reembolso OR refund\"\n").await;
    let report = t.replay_all("demo").await;
    assert!(report.stored > 0, "{report:?}");
    assert!(report.out_of_scope > 0, "{report:?}");
    assert_eq!(
        report.stored + report.out_of_scope + report.duplicates,
        report.received
    );
    let all = TestApp::start().await.replay_all("demo").await;
    assert_eq!(report.received, all.received);
    assert!(report.stored < all.stored);
}

#[tokio::test]
async fn a_bad_feed_query_names_the_feed_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), &demo_mentions(), "query = \"(reembolso OR\"\n");
    let config = vigia::config::load(&path).unwrap();
    let clock = std::sync::Arc::new(vigia::clock::ManualClock::new(chrono::Utc::now()));
    let err = vigia::app::App::build(config, clock)
        .await
        .err()
        .expect("an error");
    let text = format!("{err:#}");
    assert!(text.contains("feeds[0] (demo).query"), "{text}");
}

#[tokio::test]
async fn country_terms_match_the_country_a_network_gives() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("placed.jsonl");
    std::fs::write(
        &feed,
        concat!(
            r#"{"id":"x-1","source":"x","created_at":"2026-03-02T10:00:00Z","text":"@rapiplato llegó frío","author":{"handle":"ana"},"country":"MX"}"#,
            "\n",
            r#"{"id":"x-2","source":"x","created_at":"2026-03-02T10:01:00Z","text":"@rapiplato llegó frío","author":{"handle":"bea"},"country":"es"}"#,
            "\n",
            r#"{"id":"x-3","source":"x","created_at":"2026-03-02T10:02:00Z","text":"@rapiplato llegó frío","author":{"handle":"cai"}}"#,
            "\n",
        ),
    )
    .unwrap();
    let now = chrono::Utc::now();
    let t = TestApp::start_with_feed_extra(&feed, "query = \"frío country:mx\"\n", now, true).await;
    let report = t.replay_all("demo").await;
    assert_eq!((report.stored, report.out_of_scope), (1, 2), "{report:?}");
    let body = t.get_ok("/api/mentions").await;
    assert_eq!(body["items"][0]["external_id"], "x-1");
    assert_eq!(body["items"][0]["country"], "mx");
    t.stop().await;
}
