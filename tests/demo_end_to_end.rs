//! The whole pipeline on the demo data: replay → analysis → storage → crisis → email, and
//! complaints → tickets linked to imported customers.

mod common;

use chrono::{DateTime, Utc};
use common::{TestApp, demo_customers, demo_mentions};
use serde_json::Value;
use std::collections::BTreeSet;

/// The demo's crisis starts with the first food-poisoning report (see examples/demo/README.md).
const CRISIS_START: &str = "2026-03-06T19:40:00Z";

fn demo_lines() -> Vec<Value> {
    std::fs::read_to_string(demo_mentions())
        .expect("demo file")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("demo lines are valid JSON"))
        .collect()
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().expect("time string").parse().expect("RFC 3339")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_week_end_to_end() {
    let t = TestApp::start().await;
    let imported = t.import_customers(&demo_customers()).await;
    assert!(
        imported.errors.is_empty(),
        "customers.csv rows rejected: {:?}",
        imported.errors
    );
    assert!(
        imported.created >= 30,
        "only {} customers imported",
        imported.created
    );

    let first = t.replay_all("demo").await;
    let lines = demo_lines();
    assert_eq!(
        first.stored,
        lines.len(),
        "every demo mention stored once: {first:?}"
    );
    assert_eq!(first.incidents_opened, 1, "{first:?}");
    t.app.flush_outbox().await.expect("outbox");

    check_mentions(&t, lines.len() as i64).await;
    let incident = check_single_incident(&t).await;
    check_alert_emails(&t, &lines, &incident).await;
    check_tickets(&t).await;

    // Replaying the same data again changes nothing: same mentions, incidents, mail, tickets.
    let tickets_before = t.total("/api/tickets").await;
    t.app.reset_cursor("demo").await.expect("reset");
    let second = t.replay_all("demo").await;
    assert_eq!(
        (second.stored, second.duplicates),
        (0, lines.len()),
        "{second:?}"
    );
    t.app.flush_outbox().await.expect("outbox");
    assert_eq!(t.total("/api/mentions?limit=1").await, lines.len() as i64);
    assert_eq!(t.total("/api/incidents").await, 1);
    assert_eq!(t.total("/api/tickets").await, tickets_before);
    assert_eq!(t.emails().len(), 2);
    t.stop().await;
}

async fn check_mentions(t: &TestApp, expected: i64) {
    assert_eq!(t.total("/api/mentions?limit=1").await, expected);
    let es = t.total("/api/mentions?lang=es&limit=1").await;
    let en = t.total("/api/mentions?lang=en&limit=1").await;
    assert!(
        es as f64 >= 0.55 * expected as f64,
        "Spanish mentions: {es} of {expected}"
    );
    assert!(en > 0 && es + en <= expected);
    let negative = t.get_ok("/api/mentions?sentiment=negative&limit=5").await;
    assert!(negative["total"].as_i64().unwrap() > 50, "{negative}");
    for m in negative["items"].as_array().unwrap() {
        assert_eq!(m["label"], "negative");
        assert!(m["sentiment"].as_f64().unwrap() <= -0.05);
        // The stored explanation says why: at least one word pulled the score down.
        let why = m["explanation"].as_array().expect("explanation array");
        assert!(
            why.iter()
                .any(|t| t["token"].is_string() && t["valence"].as_f64().is_some_and(|v| v < 0.0)),
            "{m}"
        );
    }
    let safety = t.get_ok("/api/mentions?category=safety&limit=500").await;
    for m in safety["items"].as_array().unwrap() {
        assert!(
            time(&m["created_at"]) >= time(&Value::from(CRISIS_START)),
            "safety outside crisis: {m}"
        );
    }
}

async fn check_single_incident(t: &TestApp) -> Value {
    let incidents = t.get_ok("/api/incidents").await;
    assert_eq!(incidents["total"], 1, "{incidents}");
    let incident = incidents["items"][0].clone();
    let opened = time(&incident["opened_at"]);
    let start = time(&Value::from(CRISIS_START));
    assert!(
        opened >= start && opened <= start + chrono::Duration::minutes(30),
        "incident opened at {opened}, crisis starts {start}"
    );
    assert_eq!(incident["brand"], "rapiplato");
    assert_eq!(incident["status"], "open");
    assert!(
        incident["mention_count"].as_i64().unwrap() >= 50,
        "{incident}"
    );
    incident
}

async fn check_alert_emails(t: &TestApp, lines: &[Value], incident: &Value) {
    let files = t.emails();
    assert_eq!(files.len(), 2, "one alert per language group: {files:?}");
    let opened = time(&incident["opened_at"]);
    // The opening mention is quoted in the alert.
    let opener = lines
        .iter()
        .find(|l| time(&l["created_at"]) == opened)
        .expect("a demo line at the incident's opening time");
    let opener_text = opener["text"].as_str().unwrap();
    let mut seen = BTreeSet::new();
    for file in files {
        let raw = std::fs::read(&file).unwrap();
        let msg = mail_parser::MessageParser::default()
            .parse(&raw)
            .expect("valid email");
        let to = msg
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap()
            .to_owned();
        let subject = msg.subject().unwrap_or_default().to_owned();
        let text = msg.body_text(0).expect("text part").into_owned();
        let html = msg.body_html(0).expect("html part").into_owned();
        assert!(subject.contains("Rapiplato"), "{subject}");
        assert!(
            text.contains(opener_text.trim()),
            "alert quotes the opening mention:\n{text}"
        );
        assert!(
            !html.contains("<script"),
            "mention text must be escaped in HTML"
        );
        match to.as_str() {
            "crisis@rapiplato.example" => {
                assert!(
                    subject.contains("Posible crisis"),
                    "Spanish subject: {subject}"
                );
                assert!(text.contains("incidente"), "Spanish body: {text}");
            }
            "community@rapiplato.example" => {
                assert!(
                    subject.contains("Possible crisis"),
                    "English subject: {subject}"
                );
                assert!(text.contains("incident #"), "English body: {text}");
            }
            other => panic!("unexpected recipient {other}"),
        }
        seen.insert(to);
    }
    assert_eq!(seen.len(), 2);
}

async fn check_tickets(t: &TestApp) {
    let tickets = t.get_ok("/api/tickets?limit=500").await;
    let items = tickets["items"].as_array().unwrap();
    assert!(!items.is_empty());
    let from_csv: Vec<&Value> = items
        .iter()
        .filter(|t| t["customer_ref"].is_string())
        .collect();
    assert!(
        from_csv.len() >= 3,
        "tickets of imported customers: {}",
        from_csv.len()
    );
    let repeat = from_csv
        .iter()
        .find(|t| t["mention_count"].as_i64().unwrap() >= 2)
        .expect("a repeat complainer's follow-up appended to their open ticket");
    let customer = t
        .get_ok(&format!("/api/customers/{}", repeat["customer_id"]))
        .await;
    assert_eq!(
        customer["tickets_total"], 1,
        "one open ticket, not one per complaint: {customer}"
    );
    assert!(!customer["identities"].as_array().unwrap().is_empty());
    let customer_mentions: BTreeSet<i64> = customer["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    for id in repeat["mention_ids"].as_array().unwrap() {
        assert!(
            customer_mentions.contains(&id.as_i64().unwrap()),
            "ticket mention {id} not the customer's"
        );
    }
    // Unknown authors who complain get a profile of their own.
    assert!(items.iter().any(|t| t["customer_ref"].is_null()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_resumes_the_replay_without_losing_or_repeating() {
    // 2,000 simulated seconds per second: 150 s of the test clock ≈ 3.5 simulated days.
    let t = TestApp::start_with_speed(&demo_mentions(), 2000.0).await;
    let mut stored = t.app.poll_once("demo").await.unwrap().stored;
    t.clock.advance(chrono::Duration::seconds(150));
    stored += t.app.poll_once("demo").await.unwrap().stored;
    let total = demo_lines().len();
    assert!(stored > 100 && stored < total, "part of the week: {stored}");
    assert_eq!(
        t.total("/api/incidents").await,
        0,
        "the crisis is on Friday"
    );

    let t = t.restart().await;
    t.clock.advance(chrono::Duration::seconds(400));
    let rest = t.app.poll_once("demo").await.unwrap();
    assert_eq!(rest.duplicates, 0, "nothing fetched twice: {rest:?}");
    assert_eq!(stored + rest.stored, total);
    assert_eq!(t.total("/api/mentions?limit=1").await, total as i64);
    assert_eq!(t.total("/api/incidents").await, 1);
    t.stop().await;
}
