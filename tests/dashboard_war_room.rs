//! The API behind the dashboard's war room and ticket pages, and how the dashboard's files are
//! served: every mention of an incident paginated and filtered, top authors by reach, notes and
//! owner kept on the history with who and when, roles and brand scope enforced; SLA clocks on
//! the brand's event time; assets compressed, revalidated by ETag, and a favicon.

mod common;

use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn the_war_room_pages_filters_and_records_notes_and_owner() {
    let app = TestApp::start().await;
    app.replay_all("demo").await;
    let inc = app.get_ok("/api/incidents/1").await;
    let count = inc["mention_count"].as_i64().unwrap();
    assert!(count > 25, "the demo crisis has many mentions: {count}");

    let page = app.get_ok("/api/incidents/1/mentions?limit=25").await;
    assert_eq!(page["total"], count);
    assert_eq!(page["items"].as_array().unwrap().len(), 25);
    let last = app
        .get_ok(&format!(
            "/api/incidents/1/mentions?limit=25&offset={}",
            count - 1
        ))
        .await;
    assert_eq!(last["items"].as_array().unwrap().len(), 1);
    let negative = app
        .get_ok("/api/incidents/1/mentions?sentiment=negative&limit=500")
        .await;
    let n = negative["total"].as_i64().unwrap();
    assert!(n > 0 && n < count, "{n} of {count}");
    assert!(
        negative["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["label"] == "negative")
    );
    let (status, _) = app.get("/api/incidents/1/mentions?sentiment=angry").await;
    assert_eq!(status, 400);

    let room = app.get_ok("/api/incidents/1/room").await;
    let followers: Vec<i64> = room["authors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["followers"].as_i64().unwrap_or(-1))
        .collect();
    assert!(!followers.is_empty());
    assert!(followers.windows(2).all(|w| w[0] >= w[1]), "{followers:?}");
    assert!(room["volume"].as_array().unwrap().len() > 10);
    assert!(room["owner"].is_null());
    // "now" is on the replayed week's time line, not months later.
    assert!(room["now"].as_str().unwrap() < "2026-04-01");

    let carla = app.token_for("carla", "crisis", None).await;
    let (s, ev) = post(
        &app,
        &carla,
        "/api/incidents/1/notes",
        json!({"text": "Comunicado publicado"}),
    )
    .await;
    assert_eq!(s, 201, "{ev}");
    assert_eq!(ev["actor"], "carla");
    let (s, _) = post(
        &app,
        &carla,
        "/api/incidents/1/owner",
        json!({"owner": "carla"}),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(app.get_ok("/api/incidents/1/room").await["owner"], "carla");
    let timeline = app.get_ok("/api/incidents/1").await["timeline"].clone();
    let note = timeline
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "note")
        .expect("the note is on the history");
    assert_eq!(note["detail"]["note"], "Comunicado publicado");
    assert!(note["at"].as_str().unwrap() < "2026-04-01", "event time");

    let (s, _) = post(
        &app,
        &carla,
        "/api/incidents/1/notes",
        json!({"text": "  "}),
    )
    .await;
    assert_eq!(s, 400);
    let agent = app.token_for("ana", "agent", None).await;
    let (s, _) = post(
        &app,
        &agent,
        "/api/incidents/1/notes",
        json!({"text": "hola"}),
    )
    .await;
    assert_eq!(s, 403);
    let other = app.token_for("otro", "crisis", Some(&["otra"])).await;
    let (s, _) = post(
        &app,
        &other,
        "/api/incidents/1/owner",
        json!({"owner": "x"}),
    )
    .await;
    assert_eq!(s, 404);
    assert_eq!(app.get_as(&other, "/api/incidents/1/room").await.0, 404);
    assert_eq!(app.get_as(&other, "/api/incidents/1/mentions").await.0, 404);
    assert_eq!(app.get_as("", "/api/incidents/1/room").await.0, 401);
    app.stop().await;
}

#[tokio::test]
async fn sla_clocks_run_on_the_brands_event_time() {
    let app = TestApp::start().await;
    app.replay_all("demo").await;
    let list = app.get_ok("/api/tickets?limit=500").await;
    for t in list["items"].as_array().unwrap() {
        let now = t["sla"]["now"].as_str().expect("sla.now");
        assert!(now < "2026-04-01" && now > "2026-03-08", "{now}");
    }
    let overview = app
        .get_ok("/api/overview?brand=rapiplato&range=7d&until=event")
        .await;
    assert!(overview["totals"]["total"].as_i64().unwrap() > 0);
    app.stop().await;
}

#[tokio::test]
async fn dashboard_files_are_compressed_revalidated_and_have_a_favicon() {
    let app = TestApp::start().await;
    let url = format!("{}/dashboard/app.js", app.base);
    let res = app
        .client
        .get(&url)
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "br");
    let etag = res.headers()["etag"].clone();
    let again = app
        .client
        .get(&url)
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let icon = app
        .client
        .get(format!("{}/favicon.ico", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(icon.status(), 200, "redirected to the SVG icon");
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
    for f in ["live-worker.js", "favicon-alert.svg", "tickets.js"] {
        let r = app
            .client
            .get(format!("{}/dashboard/{f}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{f}");
    }
    assert_eq!(app.get("/dashboard/nope.js").await.0, 404);
    app.stop().await;
}

async fn post(
    app: &TestApp,
    token: &str,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    app.send(reqwest::Method::POST, token, path, Some(&body))
        .await
}
