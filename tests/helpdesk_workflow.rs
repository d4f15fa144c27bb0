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
    let prefix = "https://vigia.example/survey/";
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

/// Posts the ticket rules let pass: thanks and chatter by one author, none negative or a
/// question.
const PRAISE: &str = concat!(
    r#"{"id":"x-50","source":"x","created_at":"2026-03-02T16:00:00Z","text":"@rapiplato gracias, todo llegó perfecto y calentito","author":{"handle":"pablo_r","name":"Pablo Ruiz","followers":1200}}"#,
    "\n",
    r#"{"id":"x-51","source":"x","created_at":"2026-03-02T16:20:00Z","text":"@rapiplato otra vez genial, me encanta la app","author":{"handle":"pablo_r","name":"Pablo Ruiz","followers":1200}}"#,
    "\n",
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_opens_a_ticket_for_a_mention_the_rules_let_pass() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("p.jsonl");
    std::fs::write(&feed, PRAISE).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap();
    let t = TestApp::start_with_feed_extra_secrets(&feed, "", now, true, &[]).await;
    t.replay_all("demo").await;
    let listed = t.get_ok("/api/mentions?limit=10").await;
    let id_of = |ext: &str| {
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["external_id"] == ext)
            .unwrap_or_else(|| panic!("{ext} stored: {listed}"))["id"]
            .as_i64()
            .unwrap()
    };
    let (first, second) = (id_of("x-50"), id_of("x-51"));
    let first_category = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == first)
        .and_then(|m| m["categories"][0].as_str())
        .unwrap_or("other")
        .to_owned();
    assert_eq!(t.total("/api/tickets").await, 0, "praise opens no ticket");

    let agent = t.token_for("ana", "agent", None).await;
    let open = |id: i64, body: serde_json::Value| {
        let (t, agent) = (&t, agent.clone());
        async move {
            let url = format!("/api/mentions/{id}/ticket");
            t.send(reqwest::Method::POST, &agent, &url, Some(&body))
                .await
        }
    };
    let (status, ticket) = open(first, json!({})).await;
    assert_eq!(status, 201, "{ticket}");
    let ticket_id = ticket["id"].as_i64().unwrap();
    assert_eq!(ticket["status"], "new");
    assert_eq!(ticket["category"], first_category.as_str());
    assert_eq!(ticket["mentions"][0]["id"], first);
    assert_eq!(ticket["customer"]["name"], "Pablo Ruiz");
    assert!(ticket["first_response_due"].is_string(), "{ticket}");
    // The author now has a profile, and the mention is linked to it.
    let m = t.get_ok("/api/mentions?limit=10").await;
    let linked = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == first)
        .unwrap();
    assert_eq!(linked["customer_id"], ticket["customer_id"]);

    // Again: the same ticket, nothing new. The author's next post joins it.
    let (status, again) = open(first, json!({})).await;
    assert_eq!(
        (status, again["id"].as_i64()),
        (200, Some(ticket_id)),
        "{again}"
    );
    let (status, joined) = open(second, json!({"category": "other"})).await;
    assert_eq!(
        (status, joined["id"].as_i64()),
        (200, Some(ticket_id)),
        "{joined}"
    );
    let ids: Vec<i64> = joined["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{joined}");
    assert!(ids.contains(&first) && ids.contains(&second));
    assert_eq!(t.total("/api/tickets").await, 1);

    // Refusals: a malformed category, no such mention, a role that does not handle tickets.
    let (status, e) = open(first, json!({"category": "Seguridad!"})).await;
    assert_eq!(status, 400, "{e}");
    assert!(e["message"].as_str().unwrap().starts_with("category:"));
    assert_eq!(open(999_999, json!({})).await.0, 404);
    let viewer = t.token_for("vera", "viewer", None).await;
    let url = format!("/api/mentions/{first}/ticket");
    let (status, _) = t
        .send(reqwest::Method::POST, &viewer, &url, Some(&json!({})))
        .await;
    assert_eq!(status, 403);

    let audit = t.get_ok("/api/audit?limit=50").await;
    let opened: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "ticket.open_for_mention")
        .map(|a| a["detail"]["outcome"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(opened.len(), 3, "{audit}");
    for outcome in ["opened", "already", "appended"] {
        assert!(opened.contains(&outcome), "{opened:?}");
    }
    t.stop().await;
}
