//! The scheduler's politeness with a real network source against a local fake: refused
//! credentials mark the feed `auth_failed` and stop it instead of retrying forever; a rate
//! limit is recorded with the feed's state. Ticks are driven explicitly (no waiting on time).

mod common;

use common::TestApp;
use tokio_util::sync::CancellationToken;
use vigia::clock::Clock as _;
use vigia::schedule::LoopState;
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
    Mock::given(method("GET"))
        .and(path("/2/tweets/search/recent"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!(
            {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})))
        .expect(1)
        .mount(&server)
        .await;
    let feed = x_feed(&server, "VIGIA_TEST_POLITE_X_TOKEN");
    let t = TestApp::start_with_secrets(&feed, &[("VIGIA_TEST_POLITE_X_TOKEN", "revoked")], false)
        .await;
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

async fn feed_row(t: &TestApp, feed: &str) -> vigia::storage::FeedRow {
    let feeds = t.app.store().list_feeds().await.unwrap();
    feeds.into_iter().find(|f| f.name == feed).unwrap()
}

#[tokio::test]
async fn a_429_with_retry_after_postpones_the_next_run() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/2/tweets/search/recent"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
        .expect(1)
        .mount(&server)
        .await;
    let feed = x_feed(&server, "VIGIA_TEST_POLITE_X_TOKEN_2");
    let t =
        TestApp::start_with_secrets(&feed, &[("VIGIA_TEST_POLITE_X_TOKEN_2", "ok")], false).await;
    let runner = t.app.feed_runner("x-rapi").unwrap();
    let mut st = LoopState::default();
    runner.tick(&mut st).await;
    let next = runner.plan_next(&st).await.expect("a next run");
    server.verify().await;
    assert!(
        next - t.clock.now() >= chrono::Duration::seconds(120),
        "{next}"
    );
    let row = feed_row(&t, "x-rapi").await;
    assert_eq!(row.state, "rate_limited");
    assert_eq!(row.next_run_at, Some(next));
    assert_eq!(row.consecutive_failures, 1);
    assert!(row.last_error.as_deref().unwrap().contains("429"));

    // The cron fires every second, but no tick before the window ends is planned: moving the
    // clock 60 s changes nothing; after the window, the next second is the next run.
    t.clock.advance(chrono::Duration::seconds(60));
    assert_eq!(runner.plan_next(&st).await, Some(next));
    t.clock.advance(chrono::Duration::seconds(61));
    let after = runner.plan_next(&st).await.unwrap();
    assert!(after > next && after - t.clock.now() <= chrono::Duration::seconds(1));
}

#[tokio::test]
async fn one_tick_fetches_at_most_max_pages_per_tick() {
    let server = MockServer::start().await;
    let page = serde_json::json!({"data": [{"id": "1002", "text": "rapiplato frío",
        "author_id": "7", "created_at": "2026-03-02T11:00:00.000Z"}],
        "includes": {"users": [{"id": "7", "username": "luz_mtz", "name": "Luz"}]},
        "meta": {"newest_id": "1002", "oldest_id": "1002", "result_count": 1, "next_token": "nt"}});
    Mock::given(method("GET"))
        .and(path("/2/tweets/search/recent"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let feed = x_feed(&server, "T") + "max_pages_per_tick = 2\n";
    let t = TestApp::start_with_secrets(&feed, &[("T", "t")], false).await;
    let report = t.app.poll_once("x-rapi").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.len(),
        2,
        "the source always has more; the cap stops the tick"
    );
    assert_eq!(
        (report.received, report.stored),
        (2, 1),
        "the second page is a duplicate"
    );
    let second = requests[1].url.query().unwrap_or_default();
    assert!(second.contains("next_token=nt"), "{second}");
}

/// One page of the recent-search API with one post, pointing at `next` when given.
fn x_page(id: &str, text: &str, next: Option<&str>) -> serde_json::Value {
    let mut meta = serde_json::json!({"newest_id": id, "oldest_id": id, "result_count": 1});
    if let Some(next) = next {
        meta["next_token"] = next.into();
    }
    serde_json::json!({"data": [{"id": id, "text": text, "author_id": "7",
        "created_at": "2026-03-02T11:00:00.000Z"}],
        "includes": {"users": [{"id": "7", "username": "luz_mtz", "name": "Luz"}]},
        "meta": meta})
}

/// The recent search asked from `token` (`None`: the first page, without one).
fn search_from(token: Option<&str>) -> wiremock::MockBuilder {
    use wiremock::matchers::{query_param, query_param_is_missing};
    let search = Mock::given(method("GET")).and(path("/2/tweets/search/recent"));
    match token {
        Some(token) => search.and(query_param("next_token", token)),
        None => search.and(query_param_is_missing("next_token")),
    }
}

/// Answers the search asked from `token` with `page`.
async fn serve_page(server: &MockServer, token: Option<&str>, page: serde_json::Value) {
    search_from(token)
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(server)
        .await;
}

/// The scheduler fetches a feed's next page while it writes the current one. Whatever it
/// fetched ahead, the pages are stored in order from the cursor each one follows, and a page
/// that cannot be fetched stops the tick with the pages before it kept and its cursor stored:
/// the next tick asks for that page again.
#[tokio::test]
async fn pages_fetched_ahead_keep_their_order_and_a_failed_page_is_asked_again() {
    let server = MockServer::start().await;
    serve_page(
        &server,
        None,
        x_page("1003", "rapiplato llegó frío", Some("p2")),
    )
    .await;
    serve_page(
        &server,
        Some("p2"),
        x_page("1002", "rapiplato tarda mucho", Some("p3")),
    )
    .await;
    // The third page fails once, then answers.
    search_from(Some("p3"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve_page(
        &server,
        Some("p3"),
        x_page("1001", "rapiplato muy rico", None),
    )
    .await;
    let feed = x_feed(&server, "T") + "max_pages_per_tick = 10\n";
    let t = TestApp::start_with_secrets(&feed, &[("T", "t")], false).await;
    let failed = t.app.poll_once("x-rapi").await;
    assert!(failed.is_err(), "the third page failed: {failed:?}");
    let ids = "SELECT external_id FROM mentions ORDER BY id";
    assert_eq!(
        t.db.strings(ids).await,
        ["1003", "1002"],
        "the pages before the failure"
    );
    let row = feed_row(&t, "x-rapi").await;
    assert_eq!(row.consecutive_failures, 1);
    let report = t.app.poll_once("x-rapi").await.unwrap();
    assert_eq!((report.received, report.stored), (1, 1));
    assert_eq!(t.db.strings(ids).await, ["1003", "1002", "1001"]);
    let asked: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "next_token")
                .map_or("-".to_string(), |(_, v)| v.into_owned())
        })
        .collect();
    assert_eq!(
        asked,
        ["-", "p2", "p3", "p3"],
        "each page asked from the cursor before it, the failed one again, none beyond"
    );
}
