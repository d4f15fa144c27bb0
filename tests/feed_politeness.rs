//! The scheduler's politeness with a real network source against a local fake: refused
//! credentials mark the feed `auth_failed` and stop it instead of retrying forever; a rate
//! limit is recorded with the feed's state.

mod common;

use common::TestApp;
use tokio_util::sync::CancellationToken;
use vigia::clock::Clock as _;
use vigia::storage::Store as _;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn x_feed(server: &MockServer, env: &str) -> String {
    format!(
        "\n[[feeds]]\nkind = \"x\"\nname = \"x-rapi\"\nbrand = \"rapiplato\"\n\
         schedule = \"* * * * * *\"\nterms = [\"rapiplato\"]\ntoken_env = \"{env}\"\n\
         http = {{ base_url = \"{}\", timeout_secs = 5 }}\n",
        server.uri()
    )
}

#[tokio::test]
async fn revoked_credentials_mark_the_feed_auth_failed_and_stop_polling() {
    let server = MockServer::start().await;
    // SAFETY: test-only variable, written once by this test before the app reads it.
    unsafe { std::env::set_var("VIGIA_TEST_POLITE_X_TOKEN", "revoked") };
    Mock::given(method("GET"))
        .and(path("/2/tweets/search/recent"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!(
            {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})))
        .expect(1)
        .mount(&server)
        .await;
    let t = TestApp::start_with_extra(&x_feed(&server, "VIGIA_TEST_POLITE_X_TOKEN")).await;
    let run = t.app.run_feed("x-rapi", CancellationToken::new());
    tokio::time::timeout(std::time::Duration::from_secs(20), run)
        .await
        .expect("the feed loop stops by itself")
        .expect("run_feed");
    server.verify().await;
    let feeds = t.app.store().list_feeds().await.unwrap();
    let feed = feeds.iter().find(|f| f.name == "x-rapi").unwrap();
    assert_eq!(feed.state, "auth_failed");
    assert_eq!(feed.consecutive_failures, 1);
    assert!(feed.last_error.as_deref().unwrap().contains("401"));
    assert_eq!(feed.next_run_at, None);
}

/// Polls the stored feed row until `state` shows up (bounded; the loop runs on real time).
async fn wait_for_state(t: &TestApp, feed: &str, state: &str) -> vigia::storage::FeedRow {
    for _ in 0..200 {
        let feeds = t.app.store().list_feeds().await.unwrap();
        let row = feeds.into_iter().find(|f| f.name == feed).unwrap();
        if row.state == state {
            return row;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("feed {feed} never reached state {state}");
}

#[tokio::test]
async fn a_429_with_retry_after_postpones_the_next_run() {
    let server = MockServer::start().await;
    // SAFETY: test-only variable, written once by this test before the app reads it.
    unsafe { std::env::set_var("VIGIA_TEST_POLITE_X_TOKEN_2", "ok") };
    Mock::given(method("GET"))
        .and(path("/2/tweets/search/recent"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
        .expect(1)
        .mount(&server)
        .await;
    let t = TestApp::start_with_extra(&x_feed(&server, "VIGIA_TEST_POLITE_X_TOKEN_2")).await;
    let cancel = CancellationToken::new();
    let app = t.app.clone();
    let run = tokio::spawn({
        let cancel = cancel.clone();
        async move { app.run_feed("x-rapi", cancel).await }
    });
    let row = wait_for_state(&t, "x-rapi", "rate_limited").await;
    let next = row.next_run_at.expect("a next run");
    assert!(
        next - t.clock.now() >= chrono::Duration::seconds(120),
        "{next}"
    );
    cancel.cancel();
    run.await.unwrap().unwrap();
    server.verify().await;
}
