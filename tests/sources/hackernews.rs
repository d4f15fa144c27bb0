use serde_json::{Value, json};
use vigia::config::HackerNewsFeedConfig;
use vigia::sources::hackernews::HackerNewsSource;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::*;

fn hit(id: &str, at: i64) -> Value {
    json!({"created_at": chrono::DateTime::from_timestamp(at, 0).unwrap().to_rfc3339(),
           "title": null, "url": null, "author": "pg", "points": 3, "story_text": null,
           "comment_text": "Rapiplato&#x27;s <i>API</i> is down<p>again", "num_comments": null,
           "story_id": 42, "story_title": "Ask HN", "story_url": null, "parent_id": 41,
           "created_at_i": at, "_tags": ["comment", "author_pg", format!("story_{id}")],
           "objectID": id, "_highlightResult": {}})
}

fn body(hits: Vec<Value>, page: u32, nb_pages: u32) -> Value {
    json!({"hits": hits, "nbHits": 3, "page": page, "nbPages": nb_pages, "hitsPerPage": 2,
           "processingTimeMS": 1, "query": "rapiplato", "params": "..."})
}

#[tokio::test]
async fn search_by_date_pages_with_a_created_at_watermark() {
    let server = MockServer::start().await;
    let cfg: HackerNewsFeedConfig = config(
        &server,
        "terms = [\"rapiplato\", \"rapi plato\"]\nhits_per_page = 2",
    );
    let source = HackerNewsSource::new(&cfg, deps(&[])).unwrap();
    let q = query(&["rapiplato", "rapi plato"]);
    let since = now().timestamp() - 24 * 3600;
    let filter = format!("created_at_i>={since}");
    let t = now().timestamp();
    Mock::given(method("GET"))
        .and(path("/api/v1/search_by_date"))
        .and(query_param("query", "rapiplato \"rapi plato\""))
        .and(query_param("optionalWords", "rapiplato \"rapi plato\""))
        .and(query_param("tags", "(story,comment)"))
        .and(query_param("numericFilters", filter.as_str()))
        .and(query_param("hitsPerPage", "2"))
        .and(query_param("page", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(
            vec![hit("3", t - 60), hit("2", t - 120)],
            0,
            2,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, None).await;
    assert_eq!(page.mentions.len(), 2);
    assert!(page.more);
    let m = &page.mentions[0];
    assert_eq!(m.text, "Rapiplato's API is down\nagain");
    assert_eq!(
        m.url.as_deref(),
        Some("https://news.ycombinator.com/item?id=3")
    );
    assert_eq!(
        (m.reply_to.as_deref(), m.thread_id.as_deref()),
        (Some("41"), Some("42"))
    );

    Mock::given(method("GET"))
        .and(path("/api/v1/search_by_date"))
        .and(query_param("numericFilters", filter.as_str()))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body(vec![hit("1", t - 600)], 1, 2)))
        .expect(1)
        .mount(&server)
        .await;
    let page = fetch(&source, &q, page.next_cursor.as_ref()).await;
    assert_eq!(page.mentions.len(), 1);
    assert!(!page.more);
    let top = chrono::DateTime::from_timestamp(t - 60, 0).unwrap();
    assert_eq!(cursor_json(&page), json!({"since": top}));
    server.verify().await;
    assert_rate_limit_and_5xx(&server, &source, &q).await;
}
