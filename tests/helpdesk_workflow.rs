//! Working a ticket through the API (assign, reply = first response, status workflow, audit)
//! and the satisfaction survey: signed links bound to one ticket, scores per brand.

mod common;

use chrono::{TimeZone, Utc};
use common::TestApp;
use serde_json::json;

const FEED: &str = concat!(
    r#"{"id":"x-1","source":"x","created_at":"2026-03-02T16:00:00Z","text":"@rapiplato pésimo, mi pedido nunca llegó y nadie responde","author":{"handle":"sofia_v"}}"#,
    "\n",
    r#"{"id":"x-2","source":"x","created_at":"2026-03-02T16:10:00Z","text":"@rapiplato horrible, el repartidor nunca llegó con mi pedido","author":{"handle":"dora_d"}}"#,
    "\n",
);

async fn survey(t: &TestApp, token: &str, score: &str) -> u16 {
    let url = format!("{}/survey/{token}?score={score}", t.base);
    t.client.get(url).send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflow_first_response_and_a_survey_that_cannot_be_forged() {
    // SAFETY: only this test binary reads this variable (a config override), and only here.
    unsafe { std::env::set_var("VIGIA__HTTP__PUBLIC_URL", "https://vigia.example.com") };
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("w.jsonl");
    std::fs::write(&feed, FEED).unwrap();
    let extra = "[helpdesk]\nsurvey_secret_env = \"VIGIA_SURVEY_SECRET\"\n";
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap();
    let secrets = [("VIGIA_SURVEY_SECRET", "survey-secret")];
    let t = TestApp::start_with_feed_extra_secrets(&feed, extra, now, true, &secrets).await;
    let (status, c) = t
        .post_json("/api/customers", &json!({"name": "Sofía Vela", "email": "sofia@example.com", "lang": "es",
            "consent_survey": true, "identities": [{"kind": "handle", "network": "x", "value": "sofia_v"}]}))
        .await;
    assert_eq!(status, 201, "{c}");
    t.replay_all("demo").await;
    let list = t.get_ok("/api/tickets?limit=10").await;
    let id_of = |cid: i64| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["customer_id"] == cid)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let sofia = id_of(c["id"].as_i64().unwrap());
    let other = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .find(|i| *i != sofia)
        .unwrap();

    // Assign, then reply: the reply is the first response and opens the ticket.
    let (s, body) = t
        .post_json(
            &format!("/api/tickets/{sofia}/assign"),
            &json!({"assignee": "ana", "team": "logistica"}),
        )
        .await;
    assert_eq!((s, body["assignee"].as_str()), (200, Some("ana")), "{body}");
    let (s, _) = t
        .post_json(
            &format!("/api/tickets/{sofia}/assign"),
            &json!({"team": "nadie"}),
        )
        .await;
    assert_eq!(s, 400);
    let (s, body) = t
        .post_json(
            &format!("/api/tickets/{sofia}/reply"),
            &json!({"body": "Hola Sofía, ya lo revisamos"}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["status"], "open");
    assert!(body["first_response_at"].is_string());
    assert_eq!(body["replies"][0]["author"], "admin");
    assert_eq!(
        body["sla"]["running"].as_array().unwrap().len(),
        1,
        "only the resolution clock runs"
    );
    let filtered = t.get_ok("/api/tickets?assignee=ana&status=open").await;
    assert_eq!(filtered["total"], 1);

    // The workflow: no going back to new; pending then solved.
    let (s, _) = t
        .post_json(
            &format!("/api/tickets/{sofia}/status"),
            &json!({"status": "new"}),
        )
        .await;
    assert_eq!(s, 409);
    let viewer = t.token_for("mirona", "viewer", None).await;
    let (s, _) = t
        .send(
            reqwest::Method::POST,
            &viewer,
            &format!("/api/tickets/{sofia}/status"),
            Some(&json!({"status": "pending"})),
        )
        .await;
    assert_eq!(s, 403);
    for next in ["pending", "solved"] {
        let (s, body) = t
            .post_json(
                &format!("/api/tickets/{sofia}/status"),
                &json!({"status": next}),
            )
            .await;
        assert_eq!((s, body["status"].as_str()), (200, Some(next)), "{body}");
    }
    let audit = t
        .get_ok(&format!("/api/audit?target_kind=ticket&target_id={sofia}"))
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in ["ticket.assign", "ticket.reply", "ticket.status"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }

    // Solving sent Sofía (consent, e-mail) the survey.
    t.app.flush_outbox().await.unwrap();
    let mut link = None;
    for p in t.emails() {
        let raw = std::fs::read(&p).unwrap();
        let msg = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let text = msg.body_text(0).unwrap_or_default().to_string();
        if msg.to().and_then(|a| a.first()).and_then(|a| a.address()) == Some("sofia@example.com") {
            link = text
                .lines()
                .find(|l| l.starts_with("4: "))
                .map(|l| l[3..].to_owned());
        }
    }
    let link = link.expect("survey e-mail to the customer");
    let prefix = "https://vigia.example.com/survey/";
    assert!(
        link.starts_with(prefix) && link.ends_with("?score=4"),
        "{link}"
    );
    let token = &link[prefix.len()..link.len() - "?score=4".len()];

    // The token of one ticket cannot answer for another, nor can a guessed one.
    let (_, sig) = token.split_once('.').unwrap();
    assert_eq!(survey(&t, &format!("{other}.{sig}"), "1").await, 404);
    let forged = vigia::helpdesk::survey::SurveySigner::new("guess").token(other);
    assert_eq!(survey(&t, &forged, "1").await, 404);
    assert_eq!(survey(&t, token, "9").await, 400);
    assert_eq!(survey(&t, token, "4").await, 200);
    let csat = t.get_ok("/api/csat").await;
    assert_eq!(
        csat["items"],
        json!([{"brand": "rapiplato", "responses": 1, "average": 4.0, "distribution": [0, 0, 0, 1, 0]}])
    );
    // Answering again replaces the score; it never counts twice.
    assert_eq!(survey(&t, token, "5").await, 200);
    let csat = t.get_ok("/api/csat").await;
    assert_eq!(csat["items"][0]["responses"], 1);
    assert_eq!(csat["items"][0]["average"], 5.0);
    t.stop().await;
}
