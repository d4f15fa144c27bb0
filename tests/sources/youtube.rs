use serde_json::{Value, json};
use std::sync::Arc;
use vigia::config::YoutubeFeedConfig;
use vigia::sources::Source as _;
use vigia::sources::SourceError;
use vigia::sources::quota::pacific_day;
use vigia::sources::youtube::YoutubeSource;
use vigia::storage::sqlite::SqliteStore;
use vigia::storage::{QuotaStore as _, Store as _};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::*;

fn thread(id: &str, at: &str) -> Value {
    json!({"kind": "youtube#commentThread", "etag": "e", "id": id, "snippet": {
        "channelId": "UCbrand", "videoId": "vid1", "canReply": true, "totalReplyCount": 2, "isPublic": true,
        "topLevelComment": {"kind": "youtube#comment", "etag": "e", "id": id, "snippet": {
            "authorDisplayName": "Luz", "authorChannelUrl": "http://www.youtube.com/channel/UCluz",
            "authorChannelId": {"value": "UCluz"}, "channelId": "UCbrand", "videoId": "vid1",
            "textDisplay": "rapiplato &amp; yo", "textOriginal": "rapiplato & yo", "canRate": true,
            "viewerRating": "none", "likeCount": 5, "publishedAt": at, "updatedAt": at}}}})
}

fn list(items: Vec<Value>, next: Option<&str>) -> Value {
    let mut v = json!({"kind": "youtube#commentThreadListResponse", "etag": "e",
                       "pageInfo": {"totalResults": 3, "resultsPerPage": 2}, "items": items});
    if let Some(n) = next {
        v["nextPageToken"] = json!(n);
    }
    v
}

#[tokio::test]
async fn comment_threads_page_with_page_token_and_count_quota() {
    let server = MockServer::start().await;
    let cfg: YoutubeFeedConfig = config(
        &server,
        "terms = [\"rapiplato\"]\nchannel_id = \"UCbrand\"\nmax_results = 2\ndaily_quota = 3\nkey_env = \"VIGIA_TEST_YT_KEY_A\"",
    );
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("quota.db"))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let built = || {
        let d = deps(&[("VIGIA_TEST_YT_KEY_A", "key-a")]);
        d.quota.bind(Arc::new(store.clone()));
        YoutubeSource::new(&cfg, d).unwrap()
    };
    let source = built();
    let q = query(&["rapiplato"]);
    let mut first = thread("Ug2", "2026-03-02T11:00:00Z");
    first["replies"] = json!({"comments": [{"kind": "youtube#comment", "etag": "e", "id": "Ug2.r1",
        "snippet": {"authorDisplayName": "Marta", "authorChannelId": {"value": "UCmarta"},
            "channelId": "UCbrand", "videoId": "vid1", "textDisplay": "a mí también",
            "textOriginal": "a mí también", "parentId": "Ug2", "canRate": true,
            "viewerRating": "none", "likeCount": 0, "publishedAt": "2026-03-02T11:05:00Z",
            "updatedAt": "2026-03-02T11:05:00Z"}}]});
    Mock::given(method("GET"))
        .and(path("/youtube/v3/commentThreads"))
        .and(query_param("part", "snippet,replies"))
        .and(query_param("allThreadsRelatedToChannelId", "UCbrand"))
        .and(query_param("searchTerms", "rapiplato"))
        .and(query_param("order", "time"))
        .and(query_param("maxResults", "2"))
        .and(query_param("key", "key-a"))
        .and(query_param_is_missing("pageToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list(
            vec![first, thread("Ug1", "2026-03-02T10:00:00Z")],
            Some("QURTSl"),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, None).await;
    assert_eq!(page.mentions.len(), 3, "two threads and one reply");
    assert!(page.more);
    let reply = &page.mentions[1];
    assert_eq!(reply.external_id, "Ug2.r1");
    assert_eq!(
        (reply.reply_to.as_deref(), reply.thread_id.as_deref()),
        (Some("Ug2"), Some("Ug2"))
    );
    let m = &page.mentions[0];
    assert_eq!(
        (m.reply_to.as_deref(), m.thread_id.as_deref()),
        (Some("vid1"), Some("Ug2")),
        "a top-level comment answers the video and roots its thread"
    );
    assert_eq!(m.text, "rapiplato & yo");
    assert_eq!(
        m.url.as_deref(),
        Some("https://www.youtube.com/watch?v=vid1&lc=Ug2")
    );
    assert_eq!(
        (m.author.handle.as_str(), m.likes, m.replies),
        ("UCluz", 5, 2)
    );

    Mock::given(method("GET"))
        .and(path("/youtube/v3/commentThreads"))
        .and(query_param("pageToken", "QURTSl"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(list(vec![thread("Ug0", "2026-03-02T09:00:00Z")], None)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, page.next_cursor.as_ref()).await;
    assert!(!page.more);
    let day = pacific_day(now());
    assert_eq!(store.quota_used("youtube:f", day).await.unwrap(), 2);
    server.verify().await;

    // A restart (a new source on the same database) remembers today's units: one is left,
    // the quotaExceeded answer spends it, and the next call is refused before it is sent.
    drop(source);
    let restarted = built();
    assert_rate_limit_quota(&server, &restarted).await;
    assert_eq!(store.quota_used("youtube:f", day).await.unwrap(), 3);
}

async fn assert_rate_limit_quota(server: &MockServer, source: &YoutubeSource) {
    let q = query(&["rapiplato"]);
    server.reset().await;
    let quota = json!({"error": {"code": 403, "message": "quota", "errors": [
        {"message": "quota", "domain": "youtube.quota", "reason": "quotaExceeded"}]}});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_json(quota))
        .expect(1)
        .mount(server)
        .await;
    match source.fetch(&q, None).await {
        Err(SourceError::RateLimited { wait, detail }) => {
            assert!(detail.contains("quotaExceeded"), "{detail}");
            // 12:00 UTC is 04:00 at UTC-8: 20 hours to the Pacific midnight reset.
            assert_eq!(wait.map(|w| w.as_secs()), Some(20 * 3600));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(matches!(
        source.fetch(&q, None).await,
        Err(SourceError::RateLimited { .. })
    ));
    server.verify().await;
}

#[tokio::test]
async fn video_search_costs_100_units_and_5xx_is_unavailable() {
    let server = MockServer::start().await;
    let cfg: YoutubeFeedConfig = config(
        &server,
        "mode = \"videos\"\nterms = [\"rapiplato\", \"rapi plato\"]\ndaily_quota = 300\n\
         key_env = \"VIGIA_TEST_YT_KEY_B\"",
    );
    let source = YoutubeSource::new(&cfg, deps(&[("VIGIA_TEST_YT_KEY_B", "key-b")])).unwrap();
    let q = query(&["rapiplato", "rapi plato"]);
    let body = json!({"kind": "youtube#searchListResponse", "etag": "e", "regionCode": "MX",
        "pageInfo": {"totalResults": 1, "resultsPerPage": 50}, "items": [
        {"kind": "youtube#searchResult", "etag": "e", "id": {"kind": "youtube#video", "videoId": "v9"},
         "snippet": {"publishedAt": "2026-03-02T11:00:00Z", "channelId": "UCx", "title": "Probé Rapiplato",
                     "description": "reseña", "channelTitle": "Reseñas MX", "liveBroadcastContent": "none"}}]});
    Mock::given(method("GET"))
        .and(path("/youtube/v3/search"))
        .and(query_param("q", "rapiplato|\"rapi plato\""))
        .and(query_param("type", "video"))
        .and(query_param("order", "date"))
        .and(query_param("publishedAfter", "2026-03-01T12:00:00Z"))
        .and(query_param("key", "key-b"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, None).await;
    assert_eq!(
        page.mentions[0].url.as_deref(),
        Some("https://www.youtube.com/watch?v=v9")
    );
    server.verify().await;
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    assert!(matches!(
        source.fetch(&q, None).await,
        Err(SourceError::Unavailable(_))
    ));
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {"code": 400,
            "errors": [{"reason": "keyInvalid", "domain": "usageLimits"}], "message": "API key not valid."}})))
        .mount(&server)
        .await;
    let got = source.fetch(&q, None).await;
    assert!(
        matches!(got, Err(SourceError::Auth(_))),
        "an invalid key is an auth failure: {got:?}"
    );
    // Three search calls spent the 300 units (100 each): the fourth is not sent.
    server.reset().await;
    match source.fetch(&q, None).await {
        Err(SourceError::RateLimited { detail, wait }) => {
            assert!(detail.contains("daily quota of 300"), "{detail}");
            assert_eq!(wait.map(|w| w.as_secs()), Some(20 * 3600));
        }
        other => panic!("expected the quota to be spent, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
