//! Customer profiles through the API: creation with identities of every kind, merge
//! suggestions that never merge by themselves, merge and unmerge that keep every row, audited.

mod common;

use chrono::{TimeZone, Utc};
use common::TestApp;
use serde_json::{Value, json};

const FEED: &str = concat!(
    r#"{"id":"x-1","source":"x","created_at":"2026-03-02T16:00:00Z","text":"@rapiplato pésimo, mi pedido nunca llegó. Escríbanme a luz.martinez@example.com o al +52 55 4182 7730","author":{"handle":"luz_otra"}}"#,
    "\n",
);

/// Rows per table, to show that merge and unmerge create and delete nothing.
async fn counts(t: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "customers",
        "customer_identities",
        "mentions",
        "tickets",
        "ticket_mentions",
    ] {
        out.push(t.db.scalar(&format!("SELECT COUNT(*) FROM {table}")).await);
    }
    out
}

fn ids(v: &Value, key: &str) -> Vec<i64> {
    let mut out: Vec<i64> = v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_suggest_merge_and_unmerge_keep_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("c.jsonl");
    std::fs::write(&feed, FEED).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap();
    let t = TestApp::start_with_feed_extra(&feed, "", now, true).await;
    t.import_customers(&common::demo_customers()).await;
    t.replay_all("demo").await;

    // A profile through the API, with identities of several kinds.
    let (status, created) = t
        .post_json(
            "/api/customers",
            &json!({"name": "Marta Gil", "email": "Marta@Example.com", "phone": "+34 600 11 22 33",
                    "lang": "es", "tier": "vip", "notes": "prefiere DM", "consent_survey": true,
                    "identities": [{"kind": "handle", "network": "x", "value": "@MartaGil"},
                                   {"kind": "user_id", "network": "x", "value": "998877"},
                                   {"kind": "crm", "value": "SF-001"}]}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let marta = created["id"].as_i64().unwrap();
    let (status, _) = t
        .post_json(
            &format!("/api/customers/{marta}/identities"),
            &json!({"kind": "handle", "network": "instagram", "value": "marta.gil"}),
        )
        .await;
    assert_eq!(status, 201);
    let profile = t.get_ok(&format!("/api/customers/{marta}")).await;
    let kinds: Vec<&str> = profile["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    for k in ["handle", "user_id", "email", "phone", "crm"] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    assert_eq!(profile["tier"], "vip");
    assert_eq!(profile["consent_survey"], true);
    // An identity belongs to one person.
    let (status, _) = t
        .post_json(
            "/api/customers",
            &json!({"identities": [{"kind": "handle", "network": "x", "value": "martagil"}]}),
        )
        .await;
    assert_eq!(status, 409);
    let (status, _) = t
        .post_json(
            &format!("/api/customers/{marta}/identities"),
            &json!({"kind": "fax", "value": "1"}),
        )
        .await;
    assert_eq!(status, 400);

    // The unknown author wrote Luz's e-mail and phone: a suggestion, not a merge.
    let list = t.get_ok("/api/tickets").await;
    let other = list["items"][0]["customer_id"].as_i64().unwrap();
    let luz = 1; // first row of the demo CSV (C1001, Luz Martínez)
    let before = counts(&t).await;
    let other_profile = t.get_ok(&format!("/api/customers/{other}")).await;
    let suggestions = other_profile["merge_suggestions"].as_array().unwrap();
    let kinds: Vec<(&str, i64)> = suggestions
        .iter()
        .map(|s| (s["kind"].as_str().unwrap(), s["other_id"].as_i64().unwrap()))
        .collect();
    assert!(
        kinds.contains(&("email", luz)) && kinds.contains(&("phone", luz)),
        "{suggestions:?}"
    );
    assert!(other_profile["merged_into"].is_null());
    assert_eq!(counts(&t).await, before, "suggesting changed nothing");
    let luz_before = t.get_ok(&format!("/api/customers/{luz}")).await;
    let luz_ids: Vec<&str> = luz_before["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert!(
        luz_ids.contains(&"phone") && luz_ids.contains(&"email"),
        "the CSV's contact data are identities: {luz_ids:?}"
    );

    // Merge: the other profile folds into Luz; every row is kept.
    let (status, merge) = t
        .post_json(
            &format!("/api/customers/{luz}/merge"),
            &json!({"other_id": other}),
        )
        .await;
    assert_eq!(status, 200, "{merge}");
    assert_eq!(counts(&t).await, before, "merge keeps every row");
    let merged = t.get_ok(&format!("/api/customers/{luz}")).await;
    assert_eq!(
        merged["mentions_total"].as_i64().unwrap(),
        luz_before["mentions_total"].as_i64().unwrap()
            + other_profile["mentions_total"].as_i64().unwrap()
    );
    assert_eq!(
        merged["tickets_total"].as_i64().unwrap(),
        luz_before["tickets_total"].as_i64().unwrap() + 1
    );
    assert_eq!(
        t.get_ok(&format!("/api/customers/{other}")).await["merged_into"],
        luz
    );
    let (status, _) = t
        .post_json(
            &format!("/api/customers/{luz}/merge"),
            &json!({"other_id": other}),
        )
        .await;
    assert_eq!(status, 409, "a merged profile cannot merge again");

    // Unmerge from the record: exactly the moved rows go back.
    let merge_id = merge["id"].as_i64().unwrap();
    let (status, undone) = t
        .post_json(
            &format!("/api/customers/merges/{merge_id}/undo"),
            &json!({}),
        )
        .await;
    assert_eq!(status, 200, "{undone}");
    assert!(undone["unmerged_at"].is_string());
    assert_eq!(counts(&t).await, before, "unmerge keeps every row");
    let back = t.get_ok(&format!("/api/customers/{other}")).await;
    assert!(back["merged_into"].is_null());
    assert_eq!(ids(&back, "mentions"), ids(&other_profile, "mentions"));
    assert_eq!(back["identities"], other_profile["identities"]);
    let luz_after = t.get_ok(&format!("/api/customers/{luz}")).await;
    assert_eq!(ids(&luz_after, "mentions"), ids(&luz_before, "mentions"));
    let (status, _) = t
        .post_json(
            &format!("/api/customers/merges/{merge_id}/undo"),
            &json!({}),
        )
        .await;
    assert_eq!(status, 409, "a merge is undone once");

    // Who merged what is in the audit log.
    let audit = t
        .get_ok(&format!("/api/audit?target_kind=customer&target_id={luz}"))
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"customer.merge") && actions.contains(&"customer.unmerge"),
        "{audit}"
    );

    // Agents may not merge; viewers may not create.
    let agent = t.token_for("agente", "agent", None).await;
    let (status, _) = t
        .send(
            reqwest::Method::POST,
            &agent,
            &format!("/api/customers/{luz}/merge"),
            Some(&json!({"other_id": other})),
        )
        .await;
    assert_eq!(status, 403);
    t.stop().await;
}
