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

fn timeline(paging: Option<(&str, &str)>, body: Value) -> Mock {
    let mut m = Mock::given(method("GET"))
        .and(path("/api/v1/timelines/tag/rapiplato"))
        .and(query_param("any[]", "rapiplatomx"))
        .and(query_param("limit", "2"))
        .and(header("authorization", "Bearer tok-a"));
    m = match paging {
        Some((name, id)) => m.and(query_param(name, id)),
        None => m
            .and(query_param_is_missing("min_id"))
            .and(query_param_is_missing("max_id")),
    };
    m.respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
}

#[tokio::test]
async fn hashtag_timeline_backfills_with_max_id_then_pages_forward_with_min_id() {
    let server = MockServer::start().await;
    let cfg: MastodonFeedConfig = config(
        &server,
        "query = \"#Rapiplato OR #rapiplatomx\"\nlimit = 2\nbackfill_hours = 24\n\
         token_env = \"VIGIA_TEST_MASTODON_TOKEN_A\"",
    );
    let source =
        MastodonSource::new(&cfg, deps(&[("VIGIA_TEST_MASTODON_TOKEN_A", "tok-a")])).unwrap();
    let q = query(&[]);
    let mut boosted = status(
        "50",
        "2026-03-01T10:00:00.000Z",
        "<p>boosted &amp; shared</p>",
        Value::Null,
    );
    boosted["in_reply_to_id"] = json!("40");
    let first = json!([
        status(
            "110",
            "2026-03-02T11:00:00.000Z",
            "<p>Pedí en <a href=\"x\">#<span>Rapiplato</span></a> y nada</p>",
            Value::Null
        ),
        status("109", "2026-03-02T10:00:00.000Z", "", boosted),
    ]);
    timeline(None, first).mount(&server).await;
    let page = fetch(&source, &q, None).await;
    assert_eq!(page.mentions.len(), 2);
    assert!(page.more, "a full first page: the backfill goes on");
    let m = &page.mentions[0];
    assert_eq!(m.text, "Pedí en #Rapiplato y nada");
    assert_eq!(
        (m.author.handle.as_str(), m.author.followers),
        ("ana", Some(120))
    );
    assert_eq!((m.likes, m.reposts, m.replies), (3, 2, 1));
    let boost = &page.mentions[1];
    assert!(boost.is_repost);
    assert_eq!(boost.text, "boosted & shared");
    assert_eq!(
        boost.reply_to.as_deref(),
        Some("40"),
        "the boosted status's parent"
    );
    assert_eq!(
        cursor_json(&page),
        json!({"back": {"max_id": "109", "since": "2026-03-01T12:00:00Z", "top": "110"}})
    );

    // Backfill page: one status inside the 24 h window, one before it (the walk ends).
    let older = json!([
        status(
            "108",
            "2026-03-01T13:00:00.000Z",
            "<p>ayer</p>",
            Value::Null
        ),
        status(
            "107",
            "2026-03-01T11:00:00.000Z",
            "<p>anteayer</p>",
            Value::Null
        ),
    ]);
    timeline(Some(("max_id", "109")), older)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, page.next_cursor.as_ref()).await;
    let ids: Vec<&str> = page
        .mentions
        .iter()
        .map(|m| m.external_id.as_str())
        .collect();
    assert_eq!(ids, vec!["108"], "older than the backfill window: dropped");
    assert!(!page.more);
    assert_eq!(cursor_json(&page), json!({"min_id": "110"}));

    let second = json!([status(
        "111",
        "2026-03-02T11:30:00.000Z",
        "<p>otra</p>",
        Value::Null
    )]);
    Mock::given(method("GET"))
        .and(path("/api/v1/timelines/tag/rapiplato"))
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
    let without = MastodonSource::new(&cfg, deps(&[])).unwrap();
    let q = query(&["rapiplato"]);
    assert!(matches!(
        without.fetch(&q, None).await,
        Err(SourceError::Auth(_))
    ));
    let source =
        MastodonSource::new(&cfg, deps(&[("VIGIA_TEST_MASTODON_TOKEN_B", "revoked")])).unwrap();
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
