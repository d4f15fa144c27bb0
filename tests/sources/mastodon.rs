use serde_json::{Value, json};
use vigia::config::MastodonFeedConfig;
use vigia::domain::Cursor;
use vigia::sources::Source as _;
use vigia::sources::SourceError;
use vigia::sources::mastodon::MastodonSource;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::*;

fn status(id: &str, at: &str, html: &str, reblog: Value) -> Value {
    json!({
        "id": id, "created_at": at, "in_reply_to_id": null, "sensitive": false,
        "spoiler_text": "", "visibility": "public", "language": "es",
        "uri": format!("https://mastodon.social/users/ana/statuses/{id}"),
        "url": format!("https://mastodon.social/@ana/{id}"),
        "replies_count": 1, "reblogs_count": 2, "favourites_count": 3, "content": html,
        "reblog": reblog, "media_attachments": [], "mentions": [], "tags": [], "emojis": [],
        "account": {"id": "1", "username": "ana", "acct": "ana", "display_name": "Ana",
                    "followers_count": 120, "url": "https://mastodon.social/@ana"}
    })
}

#[tokio::test]
async fn hashtag_timeline_pages_forward_with_min_id() {
    let server = MockServer::start().await;
    set_env("VIGIA_TEST_MASTODON_TOKEN_A", "tok-a");
    let cfg: MastodonFeedConfig = config(
        &server,
        "terms = [\"#Rapiplato\"]\nlimit = 2\ntoken_env = \"VIGIA_TEST_MASTODON_TOKEN_A\"",
    );
    let source = MastodonSource::new(&cfg, clock()).unwrap();
    let q = query(&["#Rapiplato"]);
    let first = json!([
        status(
            "110",
            "2026-03-02T11:00:00.000Z",
            "<p>Pedí en <a href=\"x\">#<span>Rapiplato</span></a> y nada</p>",
            Value::Null
        ),
        status(
            "109",
            "2026-03-02T10:00:00.000Z",
            "",
            status(
                "50",
                "2026-03-01T10:00:00.000Z",
                "<p>boosted &amp; shared</p>",
                Value::Null
            )
        ),
    ]);
    Mock::given(method("GET"))
        .and(path("/api/v1/timelines/tag/Rapiplato"))
        .and(query_param("limit", "2"))
        .and(query_param_is_missing("min_id"))
        .and(header("authorization", "Bearer tok-a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, None).await;
    assert_eq!(page.mentions.len(), 2);
    assert!(page.more, "a full page means more may be ready");
    let m = &page.mentions[0];
    assert_eq!(m.text, "Pedí en #Rapiplato y nada");
    assert_eq!(
        (m.author.handle.as_str(), m.author.followers),
        ("ana", Some(120))
    );
    assert_eq!((m.likes, m.reposts, m.replies), (3, 2, 1));
    assert!(page.mentions[1].is_repost);
    assert_eq!(page.mentions[1].text, "boosted & shared");
    assert_eq!(cursor_json(&page), json!({"min_id": "110"}));

    let second = json!([status(
        "111",
        "2026-03-02T11:30:00.000Z",
        "<p>otra</p>",
        Value::Null
    )]);
    Mock::given(method("GET"))
        .and(path("/api/v1/timelines/tag/Rapiplato"))
        .and(query_param("min_id", "110"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(second)
                .insert_header("x-ratelimit-remaining", "299")
                .insert_header("x-ratelimit-reset", "2026-03-02T12:05:00.290188Z"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, page.next_cursor.as_ref()).await;
    assert_eq!(page.mentions[0].external_id, "111");
    assert_eq!(page.wait, None, "299 requests left: no need to wait");
    assert!(!page.more);
    assert_eq!(cursor_json(&page), json!({"min_id": "111"}));
    server.verify().await;
    assert_rate_limit_and_5xx(&server, &source, &q).await;
}

#[tokio::test]
async fn search_needs_a_token_and_a_refused_token_is_an_auth_error() {
    let server = MockServer::start().await;
    let cfg: MastodonFeedConfig = config(
        &server,
        "mode = \"search\"\nterms = [\"rapiplato\"]\ntoken_env = \"VIGIA_TEST_MASTODON_TOKEN_B\"",
    );
    let source = MastodonSource::new(&cfg, clock()).unwrap();
    let q = query(&["rapiplato"]);
    assert!(matches!(
        source.fetch(&q, None).await,
        Err(SourceError::Auth(_))
    ));
    set_env("VIGIA_TEST_MASTODON_TOKEN_B", "revoked");
    Mock::given(method("GET"))
        .and(path("/api/v2/search"))
        .and(query_param("type", "statuses"))
        .and(query_param("q", "rapiplato"))
        .and(header("authorization", "Bearer revoked"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": "The access token was revoked"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let bad = Cursor(r#"{"min_id":"5"}"#.into());
    assert!(matches!(
        source.fetch(&q, Some(&bad)).await,
        Err(SourceError::Auth(_))
    ));
}
