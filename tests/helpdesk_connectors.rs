//! External helpdesks against local fakes (wiremock) answering in each API's real shape: exact
//! method, path, auth header and JSON body; a 429 with Retry-After is waited out; a timeout
//! after the remote created the ticket is followed by a search, not a second ticket; status
//! changes made in the helpdesk come back by polling.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::TestApp;
use serde_json::{Value, json};
use vigia::storage::HelpdeskStore;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TEXT: &str = "@rapiplato pésimo, mi pedido nunca llegó y nadie responde";

fn feed_line() -> String {
    format!(
        r#"{{"id":"x-100","source":"x","created_at":"2026-03-02T16:00:00Z","text":"{TEXT}","author":{{"handle":"luz_mtz","followers":800}}}}"#
    )
}

/// One complaint by Luz (C1001 in the demo CSV: e-mail known, x handle `luz_mtz`), and the
/// connector `extra`; the app is built, not served, so the test runs the outbox itself.
async fn start(extra: &str, secret_var: &str, secret: &str) -> (TestApp, tempfile::TempDir) {
    start_with(extra, secret_var, secret, &(feed_line() + "\n"), 1).await
}

async fn start_with(
    extra: &str,
    secret_var: &str,
    secret: &str,
    lines: &str,
    tickets: usize,
) -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("one.jsonl");
    std::fs::write(&feed, lines).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap();
    let secrets = [(secret_var, secret)];
    let t = TestApp::start_with_feed_extra_secrets(&feed, extra, now, false, &secrets).await;
    t.import_customers(&common::demo_customers()).await;
    let report = t.replay_all("demo").await;
    assert_eq!(report.tickets_opened, tickets, "{report:?}");
    (t, dir)
}

fn connector(kind: &str, name: &str, base: &str, var: &str, more: &str) -> String {
    format!(
        "[[helpdesk.connectors]]\nname = \"{name}\"\nbrand = \"rapiplato\"\nkind = \"{kind}\"\nbase_url = \"{base}\"\nsecret_env = \"{var}\"\n{more}\n"
    )
}

async fn ticket(t: &TestApp) -> vigia::domain::Ticket {
    t.app.store().ticket(1).await.unwrap().expect("ticket 1")
}

fn description() -> String {
    format!("@luz_mtz (x, 2026-03-02 16:00:00 UTC): {TEXT}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zendesk_requester_identity_ticket_and_status_sync() {
    let zd = MockServer::start().await;
    let extra = connector(
        "zendesk",
        "zd",
        &zd.uri(),
        "VIGIA_TEST_ZD_TOKEN",
        "email = \"agente@rapiplato.example\"",
    );
    let (t, _dir) = start(&extra, "VIGIA_TEST_ZD_TOKEN", "zd-secret").await;
    let tk = ticket(&t).await;
    let auth = "Basic YWdlbnRlQHJhcGlwbGF0by5leGFtcGxlL3Rva2VuOnpkLXNlY3JldA==";
    Mock::given(method("POST"))
        .and(path("/api/v2/users/create_or_update.json"))
        .and(header("authorization", auth))
        .and(body_json(json!({"user": {"name": "Luz Martínez", "external_id": format!("vigia-customer-{}", tk.customer_id), "email": "luz.martinez@example.com"}})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"user": {"id": 9001, "name": "Luz Martínez", "email": "luz.martinez@example.com", "external_id": format!("vigia-customer-{}", tk.customer_id), "role": "end-user"}})))
        .expect(1)
        .mount(&zd)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/users/9001/identities.json"))
        .and(header("authorization", auth))
        .and(body_json(
            json!({"identity": {"type": "twitter", "value": "luz_mtz"}}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            json!({"identity": {"id": 77, "user_id": 9001, "type": "twitter", "value": "luz_mtz"}}),
        ))
        .expect(1)
        .mount(&zd)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets.json"))
        .and(header("authorization", auth))
        .and(body_json(json!({"ticket": {
            "subject": TEXT, "comment": {"body": description()}, "requester_id": 9001,
            "external_id": "vigia-1", "priority": tk.priority, "tags": ["vigia", tk.category]}})))
        .respond_with(ResponseTemplate::new(201)
            .insert_header("x-rate-limit", "700")
            .insert_header("x-rate-limit-remaining", "699")
            .set_body_json(json!({"ticket": {"id": 35436, "status": "new", "external_id": "vigia-1", "requester_id": 9001, "subject": TEXT}})))
        .expect(1)
        .mount(&zd)
        .await;
    let pass = t.app.flush_outbox().await.unwrap();
    assert_eq!(pass.delivered, 1, "{pass:?}");
    let ext = t.app.store().ticket_external(1).await.unwrap();
    assert_eq!(
        (ext[0].connector.as_str(), ext[0].external_id.as_str()),
        ("zd", "35436")
    );

    // The agent solves it in Zendesk: the poll brings the status back and stops the clocks.
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets/35436.json"))
        .and(header("authorization", auth))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"ticket": {"id": 35436, "status": "solved", "external_id": "vigia-1"}}),
        ))
        .mount(&zd)
        .await;
    let sync = t.app.sync_helpdesks().await.unwrap();
    assert_eq!((sync.checked, sync.status_changed), (1, 1), "{sync:?}");
    let after = ticket(&t).await;
    assert_eq!(after.status, vigia::domain::TicketStatus::Solved);
    assert!(after.first_response_at.is_some() && after.solved_at.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn freshdesk_429_retry_after_is_waited_out_then_search_then_create() {
    let fd = MockServer::start().await;
    let extra = connector("freshdesk", "fd", &fd.uri(), "VIGIA_TEST_FD_KEY", "");
    let (t, _dir) = start(&extra, "VIGIA_TEST_FD_KEY", "fd-key").await;
    let tk = ticket(&t).await;
    let auth = "Basic ZmQta2V5Olg=";
    let priority = match tk.priority.as_str() {
        "urgent" => 4,
        "high" => 3,
        "normal" => 2,
        _ => 1,
    };
    let body = json!({"subject": TEXT, "description": description(), "status": 2, "priority": priority,
        "source": 2, "tags": ["vigia-1", tk.category], "name": "Luz Martínez", "email": "luz.martinez@example.com"});
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets"))
        .and(header("authorization", auth))
        .and(body_json(body.clone()))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "120")
                .insert_header("X-RateLimit-Total", "50")
                .insert_header("X-RateLimit-Remaining", "0"),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&fd)
        .await;
    let first = t.app.flush_outbox().await.unwrap();
    assert_eq!((first.delivered, first.retried), (0, 1), "{first:?}");
    t.clock.advance(Duration::seconds(100));
    let early = t.app.flush_outbox().await.unwrap();
    assert_eq!(
        early.delivered + early.retried,
        0,
        "still inside Retry-After: {early:?}"
    );

    Mock::given(method("GET"))
        .and(path("/api/v2/search/tickets"))
        .and(query_param("query", "\"tag:'vigia-1'\""))
        .and(header("authorization", auth))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 0, "results": []})))
        .expect(1)
        .mount(&fd)
        .await;
    Mock::given(method("POST")).and(path("/api/v2/tickets")).and(header("authorization", auth)).and(body_json(body))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1, "status": 2, "priority": priority, "source": 2,
            "subject": TEXT, "requester_id": 6012691534_i64, "tags": ["vigia-1"], "created_at": "2026-03-02T18:02:00Z"})))
        .expect(1).mount(&fd).await;
    t.clock.advance(Duration::seconds(21));
    let second = t.app.flush_outbox().await.unwrap();
    assert_eq!(second.delivered, 1, "{second:?}");
    assert_eq!(
        t.app.store().ticket_external(1).await.unwrap()[0].external_id,
        "1"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zammad_timeout_after_create_is_found_by_search_not_created_twice() {
    let zm = MockServer::start().await;
    let extra = connector(
        "zammad",
        "zm",
        &zm.uri(),
        "VIGIA_TEST_ZM_TOKEN",
        "group = \"Users\"\ntimeout_secs = 1",
    );
    let (t, _dir) = start(&extra, "VIGIA_TEST_ZM_TOKEN", "zm-token").await;
    let tk = ticket(&t).await;
    let zpriority = match tk.priority.as_str() {
        "urgent" | "high" => "3 high",
        "low" => "1 low",
        _ => "2 normal",
    };
    let created: Value = json!({"id": 5, "group_id": 1, "priority_id": 2, "state_id": 1, "number": "77005", "title": TEXT, "customer_id": 2, "article_count": 1, "created_at": "2026-03-02T18:00:01.694Z"});
    // The remote creates the ticket but answers after our 1 s timeout.
    Mock::given(method("POST")).and(path("/api/v1/tickets")).and(header("authorization", "Token token=zm-token"))
        .and(body_json(json!({"title": TEXT, "group": "Users", "customer_id": "guess:luz.martinez@example.com",
            "priority": zpriority, "tags": format!("vigia-1,{}", tk.category),
            "article": {"subject": TEXT, "body": description(), "type": "note", "sender": "Customer", "content_type": "text/plain", "internal": false}})))
        .respond_with(ResponseTemplate::new(201).set_body_json(created).set_delay(std::time::Duration::from_millis(2500)))
        .expect(1).mount(&zm).await;
    let first = t.app.flush_outbox().await.unwrap();
    assert_eq!(first.retried, 1, "{first:?}");

    Mock::given(method("GET"))
        .and(path("/api/v1/tickets/search"))
        .and(query_param("query", "tags:vigia-1"))
        .and(header("authorization", "Token token=zm-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"tickets": [5], "tickets_count": 1, "assets": {}})),
        )
        .expect(1)
        .mount(&zm)
        .await;
    t.clock.advance(Duration::seconds(6));
    let second = t.app.flush_outbox().await.unwrap();
    assert_eq!(second.delivered, 1, "{second:?}");
    assert_eq!(
        t.app.store().ticket_external(1).await.unwrap()[0].external_id,
        "5"
    );
    // Nothing left to send: the POST mock's expect(1) is checked when the server drops.
    t.clock.advance(Duration::hours(2));
    assert_eq!(t.app.flush_outbox().await.unwrap().delivered, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_is_signed_and_keyed() {
    let hook = MockServer::start().await;
    let url = format!("{}/hooks/vigia", hook.uri());
    let extra = connector("webhook", "wh", &url, "VIGIA_TEST_WH_SECRET", "");
    let (t, _dir) = start(&extra, "VIGIA_TEST_WH_SECRET", "wh-secret").await;
    Mock::given(method("POST"))
        .and(path("/hooks/vigia"))
        .and(header("idempotency-key", "vigia-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "EXT-9"})))
        .expect(1)
        .mount(&hook)
        .await;
    assert_eq!(t.app.flush_outbox().await.unwrap().delivered, 1);
    let reqs = hook.received_requests().await.unwrap();
    let req = &reqs[0];
    let sig = req
        .headers
        .get("x-vigia-signature")
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(sig, vigia::signature::sign(b"wh-secret", &req.body));
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body["event"], "ticket.created");
    assert_eq!(body["ticket"]["external_id"], "vigia-1");
    assert_eq!(body["ticket"]["customer_email"], "luz.martinez@example.com");
    assert_eq!(body["ticket"]["handle"], json!(["x", "luz_mtz"]));
    assert_eq!(
        t.app.store().ticket_external(1).await.unwrap()[0].external_id,
        "EXT-9"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_up_rate_limit_window_pauses_the_connector() {
    let fd = MockServer::start().await;
    let extra = connector("freshdesk", "fd2", &fd.uri(), "VIGIA_TEST_FD2_KEY", "");
    let second = r#"{"id":"x-101","source":"x","created_at":"2026-03-02T16:05:00Z","text":"@rapiplato horrible, el repartidor nunca llegó con mi pedido","author":{"handle":"dora_d"}}"#;
    let lines = format!("{}\n{second}\n", feed_line());
    let (t, _dir) = start_with(&extra, "VIGIA_TEST_FD2_KEY", "fd2-key", &lines, 2).await;
    // The first ticket goes through, and the answer says the window is used up.
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("X-RateLimit-Total", "50")
                .insert_header("X-RateLimit-Remaining", "0")
                .insert_header("X-RateLimit-Used-CurrentRequest", "1")
                .set_body_json(
                    json!({"id": 11, "status": 2, "priority": 2, "source": 2, "subject": TEXT}),
                ),
        )
        .expect(1)
        .mount(&fd)
        .await;
    let pass = t.app.flush_outbox().await.unwrap();
    assert_eq!(
        (pass.delivered, pass.retried),
        (1, 1),
        "the second waits without calling: {pass:?}"
    );
    // No reset header from Freshdesk: a minute later the window is new.
    fd.reset().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/search/tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 0, "results": []})))
        .expect(1)
        .mount(&fd)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 12, "status": 2})))
        .expect(1)
        .mount(&fd)
        .await;
    t.clock.advance(Duration::seconds(30));
    assert_eq!(
        t.app.flush_outbox().await.unwrap().delivered,
        0,
        "still paused"
    );
    t.clock.advance(Duration::seconds(31));
    assert_eq!(t.app.flush_outbox().await.unwrap().delivered, 1);
}
