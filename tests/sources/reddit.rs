use serde_json::{Value, json};
use vigia::config::RedditFeedConfig;
use vigia::sources::Source as _;
use vigia::sources::reddit::RedditSource;
use wiremock::matchers::{body_string, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::*;

fn post(id: &str, created: f64) -> Value {
    json!({"kind": "t3", "data": {
        "name": format!("t3_{id}"), "id": id, "author": "luz_mtz", "created_utc": created,
        "title": "Rapiplato llegó frío", "selftext": "otra vez", "subreddit": "mexico",
        "permalink": format!("/r/mexico/comments/{id}/rapiplato/"), "score": 12,
        "num_comments": 4, "upvote_ratio": 0.9, "over_18": false}})
}

fn comment(id: &str, created: f64) -> Value {
    json!({"kind": "t1", "data": {
        "name": format!("t1_{id}"), "id": id, "author": "pepe", "created_utc": created,
        "body": "a mí también con rapiplato", "link_id": "t3_abc", "parent_id": "t3_abc",
        "permalink": format!("/r/mexico/comments/abc/x/{id}/"), "score": 2, "subreddit": "mexico"}})
}

fn listing(children: Vec<Value>, after: Option<&str>) -> Value {
    json!({"kind": "Listing", "data": {"after": after, "dist": children.len(), "modhash": "",
           "geo_filter": null, "children": children, "before": null}})
}

fn token(t: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(
        json!({"access_token": t, "token_type": "bearer", "expires_in": 86400, "scope": "*"}),
    )
}

async fn source(server: &MockServer, suffix: &str) -> RedditSource {
    let id = format!("VIGIA_TEST_REDDIT_ID_{suffix}");
    let secret = format!("VIGIA_TEST_REDDIT_SECRET_{suffix}");
    let cfg: RedditFeedConfig = config(
        server,
        &format!(
            "terms = [\"rapiplato\", \"rapi plato\"]\nlimit = 2\nclient_id_env = \"{id}\"\n\
             client_secret_env = \"{secret}\"\nauth_http = {{ base_url = \"{}\" }}",
            server.uri()
        ),
    );
    let secrets = [(id.as_str(), "cid"), (secret.as_str(), "csecret")];
    RedditSource::new(&cfg, deps(&secrets)).unwrap()
}

#[tokio::test]
async fn search_new_pages_with_after_using_a_client_credentials_token() {
    let server = MockServer::start().await;
    let source = source(&server, "A").await;
    let q = query(&["rapiplato", "rapi plato"]);
    Mock::given(method("POST"))
        .and(path("/api/v1/access_token"))
        .and(header("authorization", "Basic Y2lkOmNzZWNyZXQ="))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(token("tok-1"))
        .expect(1)
        .mount(&server)
        .await;
    // 2026-03-02T11:00:00Z and 10:00
    let page1 = listing(
        vec![post("p2", 1_772_449_200.0), comment("c1", 1_772_445_600.0)],
        Some("t1_c1"),
    );
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(query_param("q", "rapiplato OR \"rapi plato\""))
        .and(query_param("sort", "new"))
        .and(query_param("limit", "2"))
        .and(query_param("raw_json", "1"))
        .and(query_param_is_missing("after"))
        .and(header("authorization", "Bearer tok-1"))
        .and(header("user-agent", vigia::sources::http::USER_AGENT))
        .respond_with(ResponseTemplate::new(200).set_body_json(page1))
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, None).await;
    assert_eq!(page.mentions.len(), 2);
    assert!(page.more);
    let (p, c) = (&page.mentions[0], &page.mentions[1]);
    assert_eq!(p.text, "Rapiplato llegó frío\notra vez");
    assert_eq!(
        p.url.as_deref(),
        Some("https://www.reddit.com/r/mexico/comments/p2/rapiplato/")
    );
    assert_eq!((p.likes, p.replies), (12, 4));
    assert_eq!(c.external_id, "t1_c1");
    assert_eq!(c.thread_id.as_deref(), Some("t3_abc"));

    // The second page reaches mentions older than the backfill window: the sweep ends there.
    let page2 = listing(
        vec![post("p1", 1_772_438_400.0), post("old", 1_700_000_000.0)],
        Some("t3_old"),
    );
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(query_param("after", "t1_c1"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page2))
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, page.next_cursor.as_ref()).await;
    assert_eq!(page.mentions.len(), 1, "the old post is outside the window");
    assert!(!page.more);
    assert_eq!(cursor_json(&page), json!({"since": "2026-03-02T11:00:00Z"}));
    server.verify().await;
    assert_rate_limit_and_5xx(&server, &source, &q).await;
}

#[tokio::test]
async fn an_expired_token_is_replaced_and_revoked_credentials_fail_auth() {
    let server = MockServer::start().await;
    let source = source(&server, "B").await;
    let q = query(&["rapiplato"]);
    Mock::given(method("POST"))
        .and(path("/api/v1/access_token"))
        .respond_with(token("expired"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/access_token"))
        .respond_with(token("fresh"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(header("authorization", "Bearer expired"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"message": "Unauthorized", "error": 401})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(header("authorization", "Bearer fresh"))
        .respond_with(ResponseTemplate::new(200).set_body_json(listing(vec![], None)))
        .expect(1)
        .mount(&server)
        .await;
    assert!(fetch(&source, &q, None).await.mentions.is_empty());
    server.verify().await;

    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/access_token"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"message": "Unauthorized", "error": 401})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let got = source.fetch(&q, None).await;
    assert!(
        matches!(got, Err(vigia::sources::SourceError::Auth(_))),
        "{got:?}"
    );
}
