//! Personal data: erasure of one customer on request, and retention limits.

mod common;

use chrono::{TimeZone, Utc};
use common::TestApp;
use reqwest::Method;
use serde_json::Value;

/// Mentions whose author is `handle`, as the API lists them.
async fn by_author(app: &TestApp, handle: &str) -> Vec<Value> {
    let body = app.get_ok("/api/mentions?limit=500").await;
    let mut found: Vec<Value> = body["items"].as_array().unwrap().clone();
    let body = app.get_ok("/api/mentions?limit=500&offset=500").await;
    found.extend(body["items"].as_array().unwrap().iter().cloned());
    found.retain(|m| m["author_handle"] == handle);
    found
}

#[tokio::test]
async fn erasing_a_customer_removes_their_personal_data_and_keeps_statistics() {
    let app = TestApp::start().await;
    app.import_customers(&common::demo_customers()).await;
    app.replay_all("demo").await;
    let total = app.total("/api/mentions").await;
    let negatives = app.total("/api/mentions?sentiment=negative").await;
    let luz = by_author(&app, "luz_mtz").await;
    assert!(!luz.is_empty(), "the demo has posts by luz_mtz");
    let customer = app.get_ok("/api/customers/1").await;
    assert_eq!(customer["name"], "Luz Martínez");
    let identities = customer["identities"].as_array().unwrap().len();
    assert!(identities >= 3);

    let community = app.token_for("cm", "community", None).await;
    let (status, _) = app
        .send(Method::POST, &community, "/api/customers/1/erase", None)
        .await;
    assert_eq!(status, 403, "only admins erase");
    let (status, report) = app.post_json("/api/customers/1/erase", &Value::Null).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["identities"], identities);
    assert!(
        report["mentions"].as_u64().unwrap() >= luz.len() as u64,
        "{report}"
    );

    let customer = app.get_ok("/api/customers/1").await;
    for field in ["name", "email", "phone", "external_ref"] {
        assert!(customer[field].is_null(), "{field} erased: {customer}");
    }
    assert_eq!(customer["identities"].as_array().unwrap().len(), 0);
    for m in customer["mentions"].as_array().unwrap() {
        assert_eq!(m["text"], "", "{m}");
        assert_eq!(m["author_handle"], "erased");
        assert!(m["url"].is_null() && m["author_name"].is_null());
    }
    assert!(by_author(&app, "luz_mtz").await.is_empty());
    // Nor a fingerprint of the words: the hash of each text goes with it.
    let erased = "SELECT COUNT(*) FROM mentions WHERE erased_at IS NOT NULL";
    assert!(app.db.scalar(erased).await >= luz.len() as i64);
    let fingerprints = format!("{erased} AND text_hash IS NOT NULL");
    assert_eq!(app.db.scalar(&fingerprints).await, 0);
    // Statistics stay: every mention and its sentiment are still counted.
    assert_eq!(app.total("/api/mentions").await, total);
    assert_eq!(
        app.total("/api/mentions?sentiment=negative").await,
        negatives
    );
    let audit = app
        .get_ok("/api/audit?target_kind=customer&target_id=1")
        .await;
    assert_eq!(audit["items"][0]["action"], "customer.erase");
    assert_eq!(audit["items"][0]["actor"], "admin");
    // Erasing again finds nothing left; an unknown customer is a 404.
    let (_, again) = app.post_json("/api/customers/1/erase", &Value::Null).await;
    assert_eq!(again["mentions"], 0);
    assert_eq!(
        app.post_json("/api/customers/9999/erase", &Value::Null)
            .await
            .0,
        404
    );
    app.stop().await;
}

#[tokio::test]
async fn retention_deletes_old_mentions_and_keeps_incidents_and_tickets() {
    let app = TestApp::start_with_extra("[privacy]\nmention_retention_days = 5\n").await;
    app.import_customers(&common::demo_customers()).await;
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap());
    let report = app.replay_all("demo").await;
    let stored = report.stored as i64;
    // The demo week runs 2026-03-02 .. 2026-03-08; five days before 03-09 12:00 is 03-04 12:00.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 9, 12, 0, 0).unwrap());
    let store = app.app.store();
    let cutoff = "2026-03-04T12:00:00Z";
    let old = count_before(store, cutoff).await;
    assert!(old > 100 && old < stored, "{old} of {stored}");
    let incidents_before = incident_and_ticket_counts(store).await;
    let purged = app.app.purge().await.unwrap();
    assert_eq!(purged.mentions as i64, old);
    assert_eq!(count_before(store, cutoff).await, 0);
    assert_eq!(total(store).await, stored - old);
    assert_eq!(incident_and_ticket_counts(store).await, incidents_before);
    // A second pass has nothing to do.
    assert_eq!(app.app.purge().await.unwrap().mentions, 0);
}

async fn count_before(store: &vigia::storage::AnyStore, cutoff: &str) -> i64 {
    use vigia::storage::{MentionFilter, PageRequest, Store};
    let until = chrono::DateTime::parse_from_rfc3339(cutoff)
        .unwrap()
        .to_utc()
        - chrono::Duration::milliseconds(1);
    let filter = MentionFilter {
        until: Some(until),
        ..Default::default()
    };
    let page = PageRequest {
        limit: 1,
        offset: 0,
    };
    store.list_mentions(&filter, &page).await.unwrap().total
}

async fn total(store: &vigia::storage::AnyStore) -> i64 {
    use vigia::storage::{MentionFilter, PageRequest, Store};
    let page = PageRequest {
        limit: 1,
        offset: 0,
    };
    store
        .list_mentions(&MentionFilter::default(), &page)
        .await
        .unwrap()
        .total
}

async fn incident_and_ticket_counts(store: &vigia::storage::AnyStore) -> (i64, i64) {
    use vigia::storage::{IncidentFilter, PageRequest, Store, TicketFilter};
    let page = PageRequest {
        limit: 1,
        offset: 0,
    };
    let incidents = store
        .list_incidents(&IncidentFilter::default(), &page)
        .await
        .unwrap()
        .total;
    let tickets = store
        .list_tickets(&TicketFilter::default(), &page)
        .await
        .unwrap()
        .total;
    (incidents, tickets)
}

/// Waits for the served app's first answer, which comes after its start-up work (the
/// customer import on start).
async fn started(app: &TestApp) {
    let up = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("the server answers once started");
    assert!(up.status().is_success(), "healthz: {}", up.status());
}

/// Erasure survives the next start: the start-up import does not bring the person back, the
/// words that explained their mentions' scores are gone, and erasing again changes nothing.
#[tokio::test]
async fn an_erased_customer_stays_erased_after_a_restart_with_import_on_start() {
    let dir = tempfile::tempdir().unwrap();
    let extra = format!(
        "[customers]\nimport_on_start = [\"{}\"]\n",
        common::demo_customers().display()
    );
    common::write_config(dir.path(), &common::demo_mentions(), &extra);
    let app = TestApp::start_in(dir).await;
    // Ingest must not create profiles before the import does (Luz is then profile 1).
    started(&app).await;
    app.replay_all("demo").await;
    let luz = app.get_ok("/api/customers/1").await;
    assert_eq!(luz["name"], "Luz Martínez");
    let explained = |m: &Value| m["explanation"].as_array().is_some_and(|a| !a.is_empty());
    assert!(luz["mentions"].as_array().unwrap().iter().any(explained));
    let (status, report) = app.post_json("/api/customers/1/erase", &Value::Null).await;
    assert_eq!(status, 200, "{report}");
    let audited = app
        .total("/api/audit?target_kind=customer&target_id=1")
        .await;
    let mut next = 1;
    while app.get(&format!("/api/customers/{next}")).await.0 == 200 {
        next += 1;
    }

    let app = app.restart().await;
    // The restart's import has run before anything is checked.
    started(&app).await;
    let luz = app.get_ok("/api/customers/1").await;
    for field in ["name", "email", "phone", "external_ref"] {
        assert!(luz[field].is_null(), "{field} came back: {luz}");
    }
    assert_eq!(luz["identities"].as_array().unwrap().len(), 0, "{luz}");
    for m in luz["mentions"].as_array().unwrap() {
        assert!(!explained(m), "explanation kept: {m}");
    }
    // Nor as a new profile: the import created nobody.
    let (status, _) = app.get(&format!("/api/customers/{next}")).await;
    assert_eq!(status, 404, "a new profile was made at the restart");
    let (status, again) = app.post_json("/api/customers/1/erase", &Value::Null).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["already_erased"], true, "{again}");
    assert_eq!(
        app.total("/api/audit?target_kind=customer&target_id=1")
            .await,
        audited,
        "erasing again writes no new audit record"
    );
    app.stop().await;
}
