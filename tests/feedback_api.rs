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

/// End to end through the binary: corrections made through the API, `vigia feedback export`
/// writes them, `vigia eval` reads the file and measures the analysis on them.
#[tokio::test]
async fn the_cli_exports_what_the_api_stored_and_eval_reads_it() {
    let (app, _dir) = started().await;
    let board = mention_id(&app, "enfermo").await;
    let late = mention_id(&app, "box came").await;
    let crisis = app.token_for("c", "crisis", None).await;
    post(
        &app,
        &crisis,
        board,
        json!({"sentiment": "positive", "category": "praise"}),
    )
    .await;
    post(
        &app,
        &crisis,
        late,
        json!({"sentiment": "negative", "category": "delivery"}),
    )
    .await;

    let config = app.dir.path().join("vigia.toml");
    let out = app.dir.path().join("feedback.tsv");
    let run = |args: Vec<std::ffi::OsString>| {
        let out = common::process::vigia(&config).args(args).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.success(), text, err)
    };
    let (ok, _, err) = run(vec![
        "feedback".into(),
        "export".into(),
        "--brand".into(),
        "rapiplato".into(),
        "--output".into(),
        out.clone().into(),
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("2 corrected mentions exported"), "{err}");
    let tsv = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines[0], "id\tlang\tvariety\tlabel\tcategory\ttext");
    assert_eq!(lines.len(), 3, "{tsv}");
    assert!(lines[1].starts_with(&format!("{board}\t")), "{tsv}");
    assert!(lines[1].contains("\tpos\tpraise\t"), "{tsv}");
    assert!(lines[2].contains("\tneg\tdelivery\t"), "{tsv}");

    let (ok, report, err) = run(vec!["eval".into(), out.clone().into()]);
    assert!(ok, "{err}");
    assert!(report.contains("all: n=2 "), "{report}");
    assert!(report.contains("2 posts, macro-F1"), "{report}");

    let (ok, _, err) = run(vec![
        "feedback".into(),
        "export".into(),
        "--brand".into(),
        "nadie".into(),
    ]);
    assert!(!ok, "an unknown brand is an error: {err}");

    let audit = app
        .get_ok("/api/audit?target_kind=feedback&target_id=tsv")
        .await;
    assert!(audit.to_string().contains("cli:"), "{audit}");
}

/// A sentiment correction that names a phrase becomes that brand's override after a restart,
/// and only that brand's.
#[tokio::test]
async fn a_corrected_phrase_becomes_a_brand_override_after_a_restart() {
    let (app, _dir) = started().await;
    let board = mention_id(&app, "enfermo").await;
    let text = "@rapiplato el nuevo modelo está enfermo";
    let mention = vigia::domain::Mention::new("x", "probe", chrono::Utc::now(), text, "zoe");
    let before = app.app.analyzer().analyze_for_brand(&mention, "rapiplato");
    assert_eq!(before.label.as_str(), "negative", "{before:?}");

    let crisis = app.token_for("c", "crisis", None).await;
    let body = json!({"sentiment": "positive", "phrase": "está enfermo"});
    assert_eq!(post(&app, &crisis, board, body).await.0, 201);
    let app = app.restart().await;
    let after = app.app.analyzer().analyze_for_brand(&mention, "rapiplato");
    assert_eq!(after.label.as_str(), "positive", "{after:?}");
    let other = app.app.analyzer().analyze_for_brand(&mention, "otra");
    assert_eq!(other.label.as_str(), "negative", "{other:?}");
}
