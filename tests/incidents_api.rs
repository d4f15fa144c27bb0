//! The incident API on the demo data: detail (timeline, top terms, samples, tickets), the
//! open → acknowledged → resolved lifecycle with who and when, audit records, and brand scope.

mod common;

use common::TestApp;
use serde_json::json;

async fn demo_incident(t: &TestApp) -> i64 {
    t.replay_all("demo").await;
    let list = t.get_ok("/api/incidents").await;
    assert_eq!(list["total"], 1, "{list}");
    list["items"][0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_detail_explains_the_incident() {
    let t = TestApp::start().await;
    let id = demo_incident(&t).await;
    let d = t.get_ok(&format!("/api/incidents/{id}")).await;
    assert_eq!(d["severity"], "critical", "{d}");
    assert_eq!(d["first_mention_at"], "2026-03-06T19:40:00Z");
    assert_eq!(d["timeline"][0]["kind"], "opened", "{d}");
    let terms: Vec<&str> = d["top_terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["term"].as_str().unwrap())
        .collect();
    assert!(terms.contains(&"braulio"), "{terms:?}");
    let samples = d["sample_mentions"].as_array().unwrap();
    assert!(!samples.is_empty() && samples.len() <= 10, "{d}");
    assert!(d["tickets"].is_array(), "{d}");
    let (status, _) = t.get("/api/incidents/999999").await;
    assert_eq!(status, 404);
    t.stop().await;
}

#[tokio::test]
async fn ack_then_resolve_records_who_and_when() {
    let t = TestApp::start().await;
    let id = demo_incident(&t).await;
    let (status, acked) = t
        .post_json(
            &format!("/api/incidents/{id}/ack"),
            &json!({"note": "on it"}),
        )
        .await;
    assert_eq!(status, 200, "{acked}");
    assert_eq!(acked["status"], "acknowledged");
    assert_eq!(acked["acknowledged_by"], "admin");
    assert!(acked["acknowledged_at"].is_string());
    let (status, _) = t
        .post_json(&format!("/api/incidents/{id}/ack"), &json!({}))
        .await;
    assert_eq!(status, 409, "acknowledging twice is a conflict");
    // No body at all is fine too.
    let (status, resolved) = t
        .send(
            reqwest::Method::POST,
            &t.token,
            &format!("/api/incidents/{id}/resolve"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{resolved}");
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(resolved["resolved_by"], "admin");
    let (status, _) = t
        .post_json(&format!("/api/incidents/{id}/resolve"), &json!({}))
        .await;
    assert_eq!(status, 409);
    let d = t.get_ok(&format!("/api/incidents/{id}")).await;
    let kinds: Vec<&str> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.ends_with(&["acknowledged", "resolved"]), "{kinds:?}");
    let audit = t
        .get_ok(&format!("/api/audit?target_kind=incident&target_id={id}"))
        .await;
    assert_eq!(audit["total"], 2, "{audit}");
    t.stop().await;
}

#[tokio::test]
async fn roles_and_brand_scope_apply() {
    let t = TestApp::start().await;
    let id = demo_incident(&t).await;
    let viewer = t.token_for("val", "viewer", None).await;
    let other = t.token_for("otto", "crisis", Some(&["otherbrand"])).await;
    let crisis = t.token_for("cris", "crisis", Some(&["rapiplato"])).await;
    let path = format!("/api/incidents/{id}");
    assert_eq!(t.get_as(&other, &path).await.0, 404);
    assert_eq!(t.get_as(&other, "/api/incidents").await.1["total"], 0);
    let ack = format!("{path}/ack");
    let empty = json!({});
    let post = |token: String| {
        let (ack, empty) = (&ack, &empty);
        let t = &t;
        async move {
            t.send(reqwest::Method::POST, &token, ack, Some(empty))
                .await
        }
    };
    assert_eq!(post(viewer).await.0, 403);
    assert_eq!(post(other).await.0, 404);
    assert_eq!(post(String::new()).await.0, 401);
    let (status, body) = post(crisis).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["acknowledged_by"], "cris");
    t.stop().await;
}
