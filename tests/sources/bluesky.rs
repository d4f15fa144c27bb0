use serde_json::{Value, json};
use vigia::config::BlueskyFeedConfig;
use vigia::sources::Source as _;
use vigia::sources::bluesky::BlueskySource;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::*;

const SEARCH: &str = "/xrpc/app.bsky.feed.searchPosts";

fn post(rkey: &str, at: &str, text: &str) -> Value {
    json!({
        "uri": format!("at://did:plc:ana/app.bsky.feed.post/{rkey}"),
        "cid": "bafyrei", "indexedAt": at,
        "author": {"did": "did:plc:ana", "handle": "ana.bsky.social", "displayName": "Ana",
                   "labels": [], "createdAt": "2024-01-01T00:00:00.000Z"},
        "record": {"$type": "app.bsky.feed.post", "createdAt": at, "text": text, "langs": ["es"]},
        "replyCount": 1, "repostCount": 2, "likeCount": 3, "quoteCount": 0, "labels": []
    })
}

fn session(access: &str, refresh: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "accessJwt": access, "refreshJwt": refresh, "handle": "vigia.bsky.social",
        "did": "did:plc:vigia", "active": true
    }))
}

async fn source(server: &MockServer, suffix: &str) -> BlueskySource {
    let id = format!("VIGIA_TEST_BSKY_ID_{suffix}");
    let pw = format!("VIGIA_TEST_BSKY_PW_{suffix}");
    let cfg: BlueskyFeedConfig = config(
        server,
        &format!(
            "terms = [\"rapiplato\"]\nlimit = 2\nidentifier_env = \"{id}\"\npassword_env = \"{pw}\""
        ),
    );
    let secrets = [
        (id.as_str(), "vigia.bsky.social"),
        (pw.as_str(), "app-pass-1234"),
    ];
    BlueskySource::new(&cfg, deps(&secrets)).unwrap()
}

#[tokio::test]
async fn search_sweeps_back_with_cursor_and_fills_followers_from_profiles() {
    let server = MockServer::start().await;
    let source = source(&server, "A").await;
    let q = query(&["rapiplato"]);
    Mock::given(method("POST"))
        .and(path("/xrpc/com.atproto.server.createSession"))
        .and(body_json(
            json!({"identifier": "vigia.bsky.social", "password": "app-pass-1234"}),
        ))
        .respond_with(session("acc-1", "ref-1"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/xrpc/app.bsky.actor.getProfiles"))
        .and(query_param("actors", "ana.bsky.social"))
        .and(header("authorization", "Bearer acc-1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"profiles": [
            {"did": "did:plc:ana", "handle": "ana.bsky.social", "followersCount": 321}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let page1 = json!({"posts": [post("3b", "2026-03-02T11:00:00.000Z", "rapiplato tarde"),
                                 post("3a", "2026-03-02T10:00:00.000Z", "rapiplato frío")],
                       "cursor": "2"});
    Mock::given(method("GET"))
        .and(path(SEARCH))
        .and(query_param("q", "rapiplato"))
        .and(query_param("sort", "latest"))
        .and(query_param("since", "2026-03-01T12:00:00.000Z"))
        .and(query_param("limit", "2"))
        .and(query_param_is_missing("cursor"))
        .and(header("authorization", "Bearer acc-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page1))
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, None).await;
    assert_eq!(page.mentions.len(), 2);
    assert!(page.more);
    let m = &page.mentions[0];
    assert_eq!(
        m.url.as_deref(),
        Some("https://bsky.app/profile/ana.bsky.social/post/3b")
    );
    assert_eq!(m.author.followers, Some(321));
    assert_eq!(m.lang_hint.as_deref(), Some("es"));

    let page2 = json!({"posts": [post("39", "2026-03-02T09:00:00.000Z", "rapiplato ok")]});
    Mock::given(method("GET"))
        .and(path(SEARCH))
        .and(query_param("cursor", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page2))
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, page.next_cursor.as_ref()).await;
    assert_eq!(page.mentions.len(), 1);
    assert!(!page.more, "no cursor: the sweep is over");
    assert_eq!(cursor_json(&page), json!({"since": "2026-03-02T11:00:00Z"}));
    server.verify().await;
    assert_rate_limit_and_5xx(&server, &source, &q).await;
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_once() {
    let server = MockServer::start().await;
    let source = source(&server, "B").await;
    let q = query(&["rapiplato"]);
    Mock::given(method("POST"))
        .and(path("/xrpc/com.atproto.server.createSession"))
        .respond_with(session("old", "ref-old"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(SEARCH))
        .and(header("authorization", "Bearer old"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": "ExpiredToken", "message": "Token has expired"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/xrpc/com.atproto.server.refreshSession"))
        .and(header("authorization", "Bearer ref-old"))
        .respond_with(session("new", "ref-new"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(SEARCH))
        .and(header("authorization", "Bearer new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"posts": []})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/xrpc/app.bsky.actor.getProfiles"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"profiles": []})))
        .mount(&server)
        .await;
    let page = fetch(&source, &q, None).await;
    assert!(page.mentions.is_empty());
    server.verify().await;
}

#[tokio::test]
async fn a_refused_app_password_is_an_auth_error() {
    let server = MockServer::start().await;
    let source = source(&server, "C").await;
    Mock::given(method("POST"))
        .and(path("/xrpc/com.atproto.server.createSession"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}),
        ))
        .mount(&server)
        .await;
    let got = source.fetch(&query(&["rapiplato"]), None).await;
    assert!(
        matches!(got, Err(vigia::sources::SourceError::Auth(_))),
        "{got:?}"
    );
}
