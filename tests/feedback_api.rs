//! The feedback loop: corrections through `POST /api/mentions/{id}/feedback` (roles, brand
//! scope, validation, audit), exported by `GET /api/feedback.tsv` as a labeled TSV that the
//! evaluators read.

mod common;

use common::TestApp;
use reqwest::Method;
use serde_json::{Value, json};

async fn started() -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        concat!(
            r#"{"id":"x-1","source":"x","created_at":"2026-03-02T10:00:00Z","text":"@rapiplato mi tabla está enfermo, la amo","author":{"handle":"ana"}}"#,
            "\n",
            r#"{"id":"x-2","source":"x","created_at":"2026-03-02T11:00:00Z","text":"@rapiplato the box came\tlate again","author":{"handle":"bo"}}"#,
            "\n",
        ),
    )
    .unwrap();
    let app = TestApp::start_with_feed(&feed).await;
    app.replay_all("demo").await;
    (app, dir)
}

/// The id of the stored mention whose text contains `needle`.
async fn mention_id(app: &TestApp, needle: &str) -> i64 {
    let list = app.get_ok("/api/mentions?limit=50").await;
    let items = list["items"].as_array().unwrap();
    let found = items
        .iter()
        .find(|m| m["text"].as_str().unwrap_or("").contains(needle))
        .unwrap_or_else(|| panic!("no mention with {needle}: {list}"));
    found["id"].as_i64().unwrap()
}

async fn post(app: &TestApp, token: &str, id: i64, body: Value) -> (u16, Value) {
    let path = format!("/api/mentions/{id}/feedback");
    app.send(Method::POST, token, &path, Some(&body)).await
}

#[tokio::test]
async fn corrections_are_checked_scoped_stored_and_audited() {
    let (app, _dir) = started().await;
    let id = mention_id(&app, "enfermo").await;
    let agent = app.token_for("agent", "agent", None).await;
    let viewer = app.token_for("viewer", "viewer", None).await;
    let outsider = app
        .token_for("outsider", "community", Some(&["otra"]))
        .await;

    let good = json!({"sentiment": "positive", "category": "praise", "phrase": "está enfermo"});
    assert_eq!(post(&app, "", id, good.clone()).await.0, 401);
    assert_eq!(post(&app, &viewer, id, good.clone()).await.0, 403);
    assert_eq!(post(&app, &outsider, id, good.clone()).await.0, 404);
    assert_eq!(post(&app, &agent, 999_999, good.clone()).await.0, 404);
    for bad in [
        json!({}),
        json!({"sentiment": "great"}),
        json!({"category": "Not A Code"}),
        json!({"category": "praise", "phrase": "enfermo"}),
        json!({"sentiment": "positive", "phrase": "no está en el post"}),
        json!({"sentiment": "positive", "colour": "red"}),
    ] {
        assert_eq!(post(&app, &agent, id, bad.clone()).await.0, 400, "{bad}");
    }

    let (status, row) = post(&app, &agent, id, good).await;
    assert_eq!(status, 201, "{row}");
    assert_eq!(row["mention_id"], id);
    assert_eq!(row["brand"], "rapiplato");
    assert_eq!(row["sentiment"], "positive");
    assert_eq!(row["category"], "praise");
    assert_eq!(row["phrase"], "está enfermo");
    assert_eq!(row["actor"], "agent");

    let audit = app
        .get_ok(&format!("/api/audit?target_kind=mention&target_id={id}"))
        .await;
    assert_eq!(audit["total"], 1, "{audit}");
    assert_eq!(audit["items"][0]["action"], "mention.feedback");
    assert_eq!(audit["items"][0]["detail"]["sentiment"], "positive");
}

#[tokio::test]
async fn the_export_is_a_labeled_tsv_the_evaluators_read() {
    let (app, _dir) = started().await;
    let board = mention_id(&app, "enfermo").await;
    let late = mention_id(&app, "box came").await;
    let crisis = app.token_for("c", "crisis", None).await;
    let outsider = app.token_for("o", "crisis", Some(&["otra"])).await;
    let agent = app.token_for("a", "agent", None).await;
    post(&app, &crisis, board, json!({"sentiment": "negative"})).await;
    // The latest correction of a label wins; a category-only correction keeps the sentiment.
    post(&app, &crisis, board, json!({"sentiment": "positive"})).await;
    post(&app, &crisis, board, json!({"category": "product_quality"})).await;
    post(&app, &crisis, late, json!({"category": "delivery"})).await;

    let url = format!("{}/api/feedback.tsv", app.base);
    let get = |token: &str, q: &str| {
        app.client
            .get(format!("{url}{q}"))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(get(&agent, "").await.unwrap().status(), 403);
    assert_eq!(
        get(&outsider, "?brand=rapiplato").await.unwrap().status(),
        404
    );
    let empty = get(&outsider, "").await.unwrap().text().await.unwrap();
    assert_eq!(empty.lines().count(), 1, "{empty}");

    let res = get(&crisis, "?brand=rapiplato").await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/tab-separated-values")
    );
    let tsv = res.text().await.unwrap();
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines[0], "id\tlang\tvariety\tlabel\tcategory\ttext");
    assert_eq!(lines.len(), 3, "{tsv}");
    let cols: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(cols[0], board.to_string());
    assert_eq!((cols[3], cols[4]), ("pos", "product_quality"));
    let cols: Vec<&str> = lines[2].split('\t').collect();
    assert_eq!(
        cols.len(),
        6,
        "a tab in the text must not add a column: {tsv}"
    );
    assert_eq!((cols[3], cols[4]), ("", "delivery"));

    let engine = vigia::analysis::SentimentEngine::new();
    let report = vigia::analysis::sentiment::eval::evaluate(&tsv, &engine).unwrap();
    assert_eq!(
        report.all.total(),
        1,
        "only the row with a sentiment label counts"
    );
    let rules = vigia::analysis::CategoryRules::load_dir(std::path::Path::new("keywords")).unwrap();
    let cats = vigia::analysis::rules::eval::evaluate(&rules, &tsv).unwrap();
    assert_eq!(cats.rows, 2);
}
