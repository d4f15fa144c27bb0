use serde_json::{Value, json};
use vigia::config::XFeedConfig;
use vigia::sources::Source as _;
use vigia::sources::SourceError;
use vigia::sources::x::XSource;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::*;

fn tweet(id: &str, author: &str, text: &str) -> Value {
    json!({"id": id, "text": text, "author_id": author, "created_at": "2026-03-02T11:00:00.000Z",
           "lang": "es", "conversation_id": id, "edit_history_tweet_ids": [id],
           "public_metrics": {"retweet_count": 1, "reply_count": 2, "like_count": 3, "quote_count": 4}})
}

fn users() -> Value {
    json!({"users": [{"id": "7", "username": "luz_mtz", "name": "Luz",
                      "public_metrics": {"followers_count": 900, "following_count": 1}}]})
}

#[tokio::test]
async fn recent_search_follows_next_token_then_moves_since_id() {
    let server = MockServer::start().await;
    let cfg: XFeedConfig = config(
        &server,
        "terms = [\"rapiplato\", \"rapi plato\"]\nmax_results = 10\nextra_query = \"-is:retweet\"\ntoken_env = \"VIGIA_TEST_X_TOKEN_A\"",
    );
    let source = XSource::new(&cfg, deps(&[("VIGIA_TEST_X_TOKEN_A", "bearer-a")])).unwrap();
    let q = query(&["rapiplato", "rapi plato"]);
    let mut placed = tweet("1002", "7", "rapiplato frío");
    placed["geo"] = json!({"place_id": "01a9a39529b27f36"});
    let mut includes = users();
    includes["places"] = json!([{"id": "01a9a39529b27f36", "full_name": "Ciudad de México, México",
                                 "country_code": "MX"}]);
    let page1 = json!({"data": [placed, tweet("1001", "8", "rapiplato tarde")],
        "includes": includes,
        "errors": [{"resource_id": "8", "title": "Forbidden", "resource_type": "user",
                    "detail": "User has been suspended: [x].", "type": "https://api.twitter.com/2/problems/resource-not-found"}],
        "meta": {"newest_id": "1002", "oldest_id": "1001", "result_count": 2, "next_token": "nt-1"}});
    Mock::given(method("GET"))
        .and(path("/2/tweets/search/recent"))
        .and(query_param(
            "query",
            "(rapiplato OR \"rapi plato\") -is:retweet",
        ))
        .and(query_param("max_results", "10"))
        .and(query_param("expansions", "author_id,geo.place_id"))
        .and(query_param("place.fields", "country_code"))
        .and(query_param("start_time", "2026-03-01T12:00:00Z"))
        .and(query_param_is_missing("since_id"))
        .and(query_param_is_missing("next_token"))
        .and(header("authorization", "Bearer bearer-a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page1))
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, None).await;
    assert_eq!(page.mentions.len(), 2, "partial errors keep the data");
    assert!(page.more);
    let m = &page.mentions[0];
    assert_eq!(
        (m.author.handle.as_str(), m.author.followers),
        ("luz_mtz", Some(900))
    );
    assert_eq!(m.url.as_deref(), Some("https://x.com/luz_mtz/status/1002"));
    assert_eq!((m.likes, m.reposts, m.replies), (3, 5, 2));
    assert_eq!(
        m.country.as_deref(),
        Some("mx"),
        "the tweet's place gives its country"
    );
    assert_eq!(page.mentions[1].country, None, "no place, no country");
    assert_eq!(
        page.mentions[1].author.handle, "8",
        "unknown users keep their id"
    );

    let page2 = json!({"data": [tweet("999", "7", "rapiplato bien")], "includes": users(),
        "meta": {"newest_id": "999", "oldest_id": "999", "result_count": 1}});
    Mock::given(method("GET"))
        .and(path("/2/tweets/search/recent"))
        .and(query_param("next_token", "nt-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page2)
                .insert_header("x-rate-limit-limit", "450")
                .insert_header("x-rate-limit-remaining", "0")
                .insert_header("x-rate-limit-reset", "1772453700"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, page.next_cursor.as_ref()).await;
    assert!(!page.more);
    assert_eq!(cursor_json(&page), json!({"since_id": "1002"}));
    let wait = page
        .wait
        .expect("an exhausted window asks the scheduler to wait");
    assert_eq!(wait.as_secs(), 900, "until x-rate-limit-reset");

    Mock::given(method("GET"))
        .and(path("/2/tweets/search/recent"))
        .and(query_param("since_id", "1002"))
        .and(query_param_is_missing("start_time"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"meta": {"result_count": 0}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, page.next_cursor.as_ref()).await;
    assert!(page.mentions.is_empty());
    server.verify().await;
    assert_rate_limit_and_5xx(&server, &source, &q).await;

    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})))
        .mount(&server)
        .await;
    assert!(matches!(
        source.fetch(&q, None).await,
        Err(SourceError::Auth(_))
    ));
}
