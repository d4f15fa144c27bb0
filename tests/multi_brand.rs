//! A mention belongs to every brand it matches. Two brands' feeds finding the same posts both
//! keep them (each brand's mentions, tickets and share of voice count them), and a post any
//! feed fetches also belongs to another brand whose own scope query admits it.

mod common;

use common::TestApp;
use std::path::Path;

/// Posts that compare the two brands: two complaints, a question, a comparison, praise.
const COMPARISONS: &[&str] = &[
    "@rapiplato y @otra: pedí en las dos y ninguna llegó, llevo dos horas esperando, quiero mi reembolso",
    "@otra @rapiplato me cobraron dos veces el pedido y nadie contesta, pésimo servicio",
    "¿alguien sabe si @rapiplato u @otra reparten en Tlalpan?",
    "@rapiplato es más rápido que @otra pero más caro",
    "hoy cené con @otra y ayer con @rapiplato, las dos muy ricas 😋",
];

fn feed_file(dir: &Path, texts: &[&str]) -> std::path::PathBuf {
    let path = dir.join("posts.jsonl");
    let lines: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            serde_json::json!({
                "id": format!("x-{i}"),
                "source": "x",
                "created_at": format!("2026-03-02T10:{i:02}:00Z"),
                "text": text,
                "author": {"handle": format!("persona{i}")},
            })
            .to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").expect("write feed");
    path
}

const WINDOW: &str = "since=2026-03-02T00:00:00Z&until=2026-03-03T00:00:00Z";

#[tokio::test]
async fn two_brands_feeds_over_the_same_posts_both_keep_every_post() {
    let dir = tempfile::tempdir().unwrap();
    let feed = feed_file(dir.path(), COMPARISONS);
    // A second brand, comparing itself with the first, with its own feed over the same posts.
    let extra = format!(
        r#"
[[brands]]
name = "otra"
display_name = "Otra"
lang = "es"
competitors = ["rapiplato"]

[[feeds]]
kind = "replay"
name = "otra-feed"
brand = "otra"
schedule = "0 0 0 1 1 * 2099"
path = "{}"
speed = 1e12
start = "first"
"#,
        feed.display()
    );
    let t = TestApp::start_with_feed_extra(&feed, &extra, chrono::Utc::now(), true).await;
    let first = t.replay_all("demo").await;
    let second = t.replay_all("otra-feed").await;
    assert_eq!((first.stored, first.duplicates), (5, 0), "{first:?}");
    assert_eq!((second.stored, second.duplicates), (5, 0), "{second:?}");
    // Polled again from the start, each brand's feed finds only what that brand already has.
    t.app.reset_cursor("otra-feed").await.unwrap();
    let again = t.replay_all("otra-feed").await;
    assert_eq!((again.stored, again.duplicates), (0, 5), "{again:?}");

    for brand in ["rapiplato", "otra"] {
        assert_eq!(t.total(&format!("/api/mentions?brand={brand}")).await, 5);
    }
    assert_eq!(t.total("/api/mentions").await, 10, "one row per brand");
    // The complaints are each brand's tickets.
    let tickets = t.total("/api/tickets?brand=rapiplato").await;
    assert!(tickets > 0);
    assert_eq!(t.total("/api/tickets?brand=otra").await, tickets);
    // Share of voice counts the comparisons for both: half each.
    let overview = t
        .get_ok(&format!("/api/overview?brand=otra&{WINDOW}"))
        .await;
    assert_eq!(overview["totals"]["total"], 5, "{overview}");
    let voice = overview["share_of_voice"]
        .as_array()
        .expect("share of voice");
    let shares: Vec<(&str, i64)> = voice
        .iter()
        .map(|v| (v["brand"].as_str().unwrap(), v["count"].as_i64().unwrap()))
        .collect();
    assert_eq!(shares, [("otra", 5), ("rapiplato", 5)], "{overview}");
    t.stop().await;
}

#[tokio::test]
async fn a_post_naming_a_brand_with_a_scope_query_belongs_to_it_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut texts = COMPARISONS.to_vec();
    texts.extend([
        "@rapiplato llegó frío otra vez",
        "gracias @rapiplato, todo perfecto",
    ]);
    let feed = feed_file(dir.path(), &texts);
    // `otra` has no feed; its query names the brand, its exclusion drops one post.
    let extra = r#"
[[brands]]
name = "otra"
display_name = "Otra"
lang = "es"
query = "@otra"
exclude = ["Tlalpan"]
"#;
    let t = TestApp::start_with_feed_extra(&feed, extra, chrono::Utc::now(), true).await;
    let report = t.replay_all("demo").await;
    // 7 for the feed's brand, 4 of the 5 comparisons for `otra` ("otra vez" is not `@otra`).
    assert_eq!(
        (report.received, report.stored, report.out_of_scope),
        (7, 11, 0),
        "{report:?}"
    );
    assert_eq!(t.total("/api/mentions?brand=rapiplato").await, 7);
    assert_eq!(t.total("/api/mentions?brand=otra").await, 4);
    let otra = t.get_ok("/api/mentions?brand=otra&limit=10").await;
    for item in otra["items"].as_array().unwrap() {
        assert_eq!(item["feed"], "demo", "found by the demo feed: {item}");
        assert!(item["text"].as_str().unwrap().contains("@otra"), "{item}");
    }
    let overview = t
        .get_ok(&format!("/api/overview?brand=otra&{WINDOW}"))
        .await;
    assert_eq!(overview["totals"]["total"], 4, "{overview}");
    t.stop().await;
}
