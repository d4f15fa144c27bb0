//! Brand scope on every API route: a user limited to another brand (`otra`) or to a brand
//! that does not exist, of every role, walks every route of the API table (so routes added
//! later are walked too) against the demo brand's items. Nothing of the demo brand may come
//! back and nothing may change: every answer is a refusal (401/403/404) or carries none of
//! the demo brand's data, and the audit log records no write by these users.

mod common;

use common::TestApp;
use reqwest::Method;
use serde_json::{Value, json};
use vigia::storage::sqlite::SqliteStore;

const OTHER_BRAND: &str = "\n[[brands]]\nname = \"otra\"\ndisplay_name = \"Otra\"\nlang = \"es\"\n";

/// Ids of the demo brand's items, found as the unscoped admin.
struct Ids {
    incident: i64,
    ticket: i64,
    customer: i64,
    other_customer: i64,
    merge: i64,
    mention: i64,
}

async fn demo_ids(app: &TestApp) -> Ids {
    let first = |v: &Value| v["items"][0]["id"].as_i64().expect("an item");
    let incident = first(&app.get_ok("/api/incidents").await);
    let ticket = first(&app.get_ok("/api/tickets").await);
    let mention = first(&app.get_ok("/api/mentions?limit=1").await);
    // A merge to undo: two throwaway profiles folded together by the admin.
    let (_, a) = app.post_json("/api/customers", &json!({"name": "A"})).await;
    let (_, b) = app.post_json("/api/customers", &json!({"name": "B"})).await;
    let url = format!("/api/customers/{}/merge", a["id"]);
    let (status, merge) = app.post_json(&url, &json!({"other_id": b["id"]})).await;
    assert_eq!(status, 200, "{merge}");
    Ids {
        incident,
        ticket,
        customer: 1,
        other_customer: 2,
        merge: merge["id"].as_i64().expect("merge id"),
        mention,
    }
}

/// The concrete path of a route template, with the demo brand's ids.
fn concrete(path: &str, ids: &Ids) -> String {
    let id = if path.starts_with("/api/incidents/") {
        ids.incident
    } else if path.starts_with("/api/tickets/") {
        ids.ticket
    } else if path.starts_with("/api/customers/merges/") {
        ids.merge
    } else if path.starts_with("/api/customers/") {
        ids.customer
    } else if path.starts_with("/api/mentions/") {
        ids.mention
    } else {
        assert!(!path.contains('{'), "teach this test the ids of {path}");
        0
    };
    let with_id = path.replace("{id}", &id.to_string());
    assert!(
        !with_id.contains('{'),
        "teach this test the parameters of {path}"
    );
    // Routes that name a brand are asked about the demo brand.
    match with_id.as_str() {
        "/api/overview" | "/api/stream" | "/api/export/mentions" => {
            format!("{with_id}?brand=rapiplato")
        }
        _ => with_id,
    }
}

/// A body the unscoped admin would succeed with.
fn body_for(path: &str, ids: &Ids) -> Value {
    match path.rsplit('/').next().unwrap_or_default() {
        "merge" => json!({"other_id": ids.other_customer}),
        "identities" => json!({"kind": "handle", "network": "x", "value": "intruso"}),
        "status" => json!({"status": "closed"}),
        "assign" => json!({"assignee": "intruso"}),
        "reply" => json!({"body": "hola"}),
        "lang" => json!({"lang": "en"}),
        "customers" => json!({"name": "Nuevo"}),
        _ => json!({}),
    }
}

/// Whether an answer leaks anything of the demo brand.
fn leaks(body: &Value) -> bool {
    let text = body.to_string();
    text.contains("rapiplato") || text.contains("luz_mtz") || text.contains("Luz Mart")
}

#[tokio::test]
async fn brand_limited_users_of_every_role_reach_nothing_of_another_brand() {
    let app = TestApp::start_served_with_extra(OTHER_BRAND).await;
    app.import_customers(&common::demo_customers()).await;
    app.replay_all("demo").await;
    let ids = demo_ids(&app).await;
    let table = vigia::http::api::table::<SqliteStore>();
    let routes: Vec<(String, String)> = table.served().to_vec();
    let mut users = Vec::new();
    for role in ["admin", "crisis", "community", "agent", "viewer"] {
        for brand in ["otra", "nosuch"] {
            let name = format!("{role}-{brand}");
            let token = app.token_for(&name, role, Some(&[brand])).await;
            users.push((name, token));
        }
    }
    for (name, token) in &users {
        for (method, template) in &routes {
            if template == "/api/openapi.json" || template.starts_with("/api/me") {
                continue; // Not brand data.
            }
            let path = concrete(template, &ids);
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let body = (method == Method::POST).then(|| body_for(template, &ids));
            let (status, answer) = app.send(method.clone(), token, &path, body.as_ref()).await;
            let what = format!("{name}: {method} {path} answered {status}: {answer}");
            if (200..300).contains(&status) {
                assert!(!leaks(&answer), "{what}");
                assert!(
                    !template.contains("{id}"),
                    "an item of the demo brand answered {what}"
                );
            } else {
                assert!([401, 403, 404].contains(&status), "{what}");
            }
        }
    }
    // Nothing was changed by them: no audit record but (empty) exports and new profiles.
    let audit = app.get_ok("/api/audit?limit=500").await;
    for entry in audit["items"].as_array().unwrap() {
        let actor = entry["actor"].as_str().unwrap();
        let action = entry["action"].as_str().unwrap();
        if users.iter().any(|(n, _)| n == actor) {
            assert!(
                action == "customer.create" || action == "mentions.export",
                "{actor} did {action}"
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn erasure_and_the_audit_log_need_an_admin_without_brand_limits() {
    let app = TestApp::start_served_with_extra(OTHER_BRAND).await;
    app.import_customers(&common::demo_customers()).await;
    app.replay_all("demo").await;
    let scoped = app.token_for("dpo-otra", "admin", Some(&["otra"])).await;
    let own = app
        .token_for("dpo-demo", "admin", Some(&["rapiplato"]))
        .await;
    for token in [&scoped, &own] {
        let (status, body) = app
            .send(Method::POST, token, "/api/customers/4/erase", None)
            .await;
        assert!([403, 404].contains(&status), "{status} {body}");
        let (status, body) = app.get_as(token, "/api/audit").await;
        assert_eq!(status, 403, "{body}");
    }
    let customer = app.get_ok("/api/customers/4").await;
    assert!(!customer["name"].is_null(), "not erased: {customer}");
    app.stop().await;
}
