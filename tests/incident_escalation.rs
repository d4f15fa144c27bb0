//! Escalation and auto-resolution proposals on a manual clock: level 1 hears about an
//! unacknowledged incident after `escalate_after_minutes`, once; an acknowledged one does not
//! escalate; a quiet incident gets one resolution proposal.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::TestApp;

fn boss() -> String {
    common::crisis_team_recipient("boss@rapiplato.example", "en")
}

async fn incident(t: &TestApp) -> (i64, DateTime<Utc>, DateTime<Utc>) {
    assert_eq!(t.replay_all("demo").await.incidents_opened, 1);
    let list = t.get_ok("/api/incidents").await;
    let i = &list["items"][0];
    let time = |k: &str| i[k].as_str().unwrap().parse::<DateTime<Utc>>().unwrap();
    (
        i["id"].as_i64().unwrap(),
        time("opened_at"),
        time("last_mention_at"),
    )
}

fn boss_mails(t: &TestApp) -> Vec<String> {
    t.emails()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .filter(|m| m.contains("boss@rapiplato.example"))
        .collect()
}

#[tokio::test]
async fn an_unacknowledged_incident_escalates_once_per_level() {
    let t = TestApp::start_served_with_extra(&boss()).await;
    let (id, opened, _) = incident(&t).await;
    t.clock.set(opened + Duration::minutes(10));
    assert_eq!(t.app.check_incidents().await.unwrap().escalated, 0);
    t.app.flush_outbox().await.unwrap();
    assert!(boss_mails(&t).is_empty(), "level 1 does not hear at once");

    t.clock.set(opened + Duration::minutes(15));
    assert_eq!(t.app.check_incidents().await.unwrap().escalated, 1);
    assert_eq!(t.app.check_incidents().await.unwrap().escalated, 0, "once");
    t.app.flush_outbox().await.unwrap();
    let mails = boss_mails(&t);
    assert_eq!(mails.len(), 1);
    // It says what it is: not a new crisis, one nobody has acknowledged.
    let msg = mail_parser::MessageParser::default()
        .parse(mails[0].as_bytes())
        .unwrap();
    let subject = msg.subject().unwrap_or_default();
    assert!(
        subject.starts_with("[Vigía] Unacknowledged crisis"),
        "{subject}"
    );
    let body = msg.body_text(0).unwrap_or_default();
    assert!(body.contains("nobody has acknowledged it yet"), "{body}");
    let d = t.get_ok(&format!("/api/incidents/{id}")).await;
    assert!(
        d["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "escalated"),
        "{d}"
    );
    t.stop().await;
}

#[tokio::test]
async fn an_acknowledged_incident_does_not_escalate_and_a_quiet_one_is_proposed_for_resolution() {
    let t = TestApp::start_served_with_extra(&boss()).await;
    let (id, opened, last) = incident(&t).await;
    t.clock.set(opened + Duration::minutes(5));
    let (status, _) = t
        .post_json(&format!("/api/incidents/{id}/ack"), &serde_json::json!({}))
        .await;
    assert_eq!(status, 200);
    t.clock.set(opened + Duration::minutes(60));
    assert_eq!(t.app.check_incidents().await.unwrap().escalated, 0);

    t.clock.set(last + Duration::minutes(359));
    assert_eq!(t.app.check_incidents().await.unwrap().proposed, 0);
    t.clock.set(last + Duration::minutes(360));
    assert_eq!(t.app.check_incidents().await.unwrap().proposed, 1);
    assert_eq!(t.app.check_incidents().await.unwrap().proposed, 0, "once");
    let d = t.get_ok(&format!("/api/incidents/{id}")).await;
    assert!(d["resolve_proposed_at"].is_string(), "{d}");
    assert_eq!(d["status"], "acknowledged", "a person decides");
    t.stop().await;
}
