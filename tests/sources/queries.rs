//! A feed's Boolean `query` reaches each API in the API's own search syntax (a superset of the
//! query; ingest re-checks every post against the full query).

use serde_json::json;
use vigia::config::{BlueskyFeedConfig, HackerNewsFeedConfig, RedditFeedConfig, XFeedConfig};
use vigia::sources::Source;
use vigia::sources::bluesky::BlueskySource;
use vigia::sources::hackernews::HackerNewsSource;
use vigia::sources::reddit::RedditSource;
use vigia::sources::x::XSource;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::*;

const QUERY: &str = "query = \"rapiplato (frio OR tarde) NOT promo\"\n";

/// Mounts `GET path?name=value` answering `body`, expected exactly once.
async fn expect_search(
    server: &MockServer,
    at: &str,
    name: &str,
    value: &str,
    body: serde_json::Value,
) {
    Mock::given(method("GET"))
        .and(path(at))
        .and(query_param(name, value))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

async fn fetch_once(server: &MockServer, source: &dyn Source) {
    let page = fetch(source, &query(&[]), None).await;
    assert!(page.mentions.is_empty());
    server.verify().await;
}

#[tokio::test]
async fn x_gets_the_query_in_its_operators_plus_extra_query() {
    let server = MockServer::start().await;
    let cfg: XFeedConfig = config(
        &server,
        &format!("{QUERY}extra_query = \"-is:retweet\"\ntoken_env = \"T\""),
    );
    let text = "(rapiplato (frio OR tarde) -promo) -is:retweet";
    let body = json!({"meta": {"result_count": 0}});
    expect_search(&server, "/2/tweets/search/recent", "query", text, body).await;
    fetch_once(&server, &XSource::new(&cfg, deps(&[("T", "t")])).unwrap()).await;
}

#[tokio::test]
async fn reddit_gets_and_or_not() {
    let server = MockServer::start().await;
    let auth = format!("auth_http = {{ base_url = \"{}\" }}\n", server.uri());
    let cfg: RedditFeedConfig = config(
        &server,
        &format!("{QUERY}{auth}client_id_env = \"I\"\nclient_secret_env = \"S\""),
    );
    Mock::given(method("POST"))
        .and(path("/api/v1/access_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "tok", "token_type": "bearer", "expires_in": 86400}),
        ))
        .mount(&server)
        .await;
    let text = "(rapiplato AND (frio OR tarde) AND NOT promo)";
    let body = json!({"kind": "Listing", "data": {"children": [], "after": null, "before": null}});
    expect_search(&server, "/search", "q", text, body).await;
    let source = RedditSource::new(&cfg, deps(&[("I", "i"), ("S", "s")])).unwrap();
    fetch_once(&server, &source).await;
}

#[tokio::test]
async fn bluesky_gets_what_it_can_say_without_or() {
    let server = MockServer::start().await;
    let cfg: BlueskyFeedConfig = config(
        &server,
        &format!("{QUERY}identifier_env = \"I\"\npassword_env = \"P\""),
    );
    Mock::given(method("POST"))
        .and(path("/xrpc/com.atproto.server.createSession"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"accessJwt": "a", "refreshJwt": "r", "handle": "h", "did": "did:plc:h"}),
        ))
        .mount(&server)
        .await;
    let body = json!({"posts": []});
    expect_search(
        &server,
        "/xrpc/app.bsky.feed.searchPosts",
        "q",
        "(rapiplato -promo)",
        body,
    )
    .await;
    let source = BlueskySource::new(&cfg, deps(&[("I", "i"), ("P", "p")])).unwrap();
    fetch_once(&server, &source).await;
}

#[tokio::test]
async fn hacker_news_gets_the_words_one_of_which_every_match_contains() {
    let server = MockServer::start().await;
    let cfg: HackerNewsFeedConfig = config(&server, QUERY);
    let body = json!({"hits": [], "page": 0, "nbPages": 0, "nbHits": 0, "hitsPerPage": 100});
    expect_search(
        &server,
        "/api/v1/search_by_date",
        "query",
        "rapiplato",
        body,
    )
    .await;
    fetch_once(&server, &HackerNewsSource::new(&cfg, deps(&[])).unwrap()).await;
}

#[test]
fn a_bad_query_is_a_config_error_naming_the_key() {
    let server_uri = "http://127.0.0.1:9";
    let text = format!(
        "name = \"f\"\nbrand = \"b\"\nschedule = \"* * * * * *\"\nquery = \"(rapiplato OR\"\n\
         token_env = \"T\"\n[http]\nbase_url = \"{server_uri}\"\n"
    );
    let cfg: XFeedConfig = toml::from_str(&text).unwrap();
    let err = XSource::new(&cfg, deps(&[])).err().expect("an error");
    assert!(err.starts_with("query:"), "{err}");
}
