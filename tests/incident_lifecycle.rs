//! Incidents on event time through the live pipeline: a replayed scenario gives the same
//! incidents as `vigia backtest` of the same file, also when the app restarts halfway (the
//! crisis state kept in memory is rebuilt from the database); an incident closes itself after
//! its quiet time with a notice in both languages; a person can reopen it.

mod common;
mod scenario;

use chrono::{DateTime, Duration, Utc};
use common::TestApp;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

use scenario::Rng;

/// Three weeks for the demo brand: a staff video surge in week 1, food poisoning in week 3.
fn three_weeks(path: &Path) -> DateTime<Utc> {
    let mut rng = Rng::new(21);
    let m = scenario::monday();
    let background = scenario::background(&mut rng, "rapiplato", m, 3);
    let crises = [
        scenario::crisis(
            &mut rng,
            "rapiplato",
            "staff_video",
            m + Duration::hours(24 * 8 + 11),
        ),
        scenario::crisis(
            &mut rng,
            "rapiplato",
            "food_safety",
            m + Duration::hours(24 * 17 + 20),
        ),
    ];
    scenario::write(path, &background, &crises);
    m
}

/// The fields that must agree, from a backtest report or the API.
fn summary(
    kind: &Value,
    first: &Value,
    detected: &Value,
    mentions: &Value,
    status: &Value,
) -> String {
    format!("{kind} {first} {detected} {mentions} {status}")
}

fn backtest(input: &Path) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_vigia"))
        .current_dir(common::repo())
        .args(["backtest", "--brand", "rapiplato", "--json", "--input"])
        .arg(input)
        .output()
        .expect("run vigia backtest");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = report["incidents"].as_array().unwrap();
    list.iter()
        .map(|i| {
            summary(
                &i["kind"],
                &i["first_mention_at"],
                &i["detected_at"],
                &i["mentions"],
                &i["status"],
            )
        })
        .collect()
}

async fn api_incidents(t: &TestApp) -> Vec<String> {
    let list = t.get_ok("/api/incidents?limit=100").await;
    let mut items = list["items"].as_array().unwrap().clone();
    items.reverse(); // oldest first, like the backtest
    items
        .iter()
        .map(|i| {
            let first = i["first_mention_at"].clone();
            summary(
                &i["trigger"]["kind"],
                &first,
                &i["opened_at"],
                &i["mention_count"],
                &i["status"],
            )
        })
        .collect()
}

/// The app replaying `input` live: at real speed on the app's clock, from `start` (the file's
/// first mention), polled until nothing is due.
async fn live(input: &Path, start: DateTime<Utc>, extra: &str) -> TestApp {
    let cfg = tempfile::tempdir().unwrap();
    common::write_config_with_speed(cfg.path(), input, 1.0, extra);
    let t = TestApp::start_in(cfg).await;
    t.clock.set(start);
    drain(&t).await;
    t
}

/// The subjects of the emails sent so far.
fn subjects(t: &TestApp) -> Vec<String> {
    t.emails()
        .iter()
        .map(|f| {
            let raw = std::fs::read(f).unwrap();
            let msg = mail_parser::MessageParser::default().parse(&raw).unwrap();
            msg.subject().unwrap_or_default().to_owned()
        })
        .collect()
}

/// Polls until the feed has nothing due.
async fn drain(t: &TestApp) {
    while t.app.poll_once("demo").await.expect("poll").received > 0 {}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_replay_with_a_restart_agrees_with_backtest() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("three-weeks.jsonl");
    let start = three_weeks(&input);
    let expected = backtest(&input);
    assert_eq!(expected.len(), 2, "{expected:#?}");

    let t = live(&input, start, "").await;
    // Up to the middle of the first crisis, then a restart.
    t.clock.advance(Duration::hours(24 * 8 + 13));
    drain(&t).await;
    let t = t.restart().await;
    t.clock.advance(Duration::days(30));
    drain(&t).await;
    assert_eq!(api_incidents(&t).await, expected);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incident_closes_itself_with_a_notice_and_a_person_reopens_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("three-weeks.jsonl");
    three_weeks(&input);
    let t = TestApp::start_with_feed(&input).await;
    t.replay_all("demo").await;
    t.app.flush_outbox().await.expect("outbox");
    let list = t.get_ok("/api/incidents?status=auto_closed").await;
    assert_eq!(list["total"], 2, "{list}");
    let id = list["items"][1]["id"].as_i64().unwrap(); // the older one
    let d = t.get_ok(&format!("/api/incidents/{id}")).await;
    let timeline = d["timeline"].as_array().unwrap();
    let closed = timeline
        .iter()
        .find(|e| e["kind"] == "auto_closed")
        .expect("closed");
    assert_eq!(closed["detail"]["quiet_minutes"], 2160, "{closed}");
    let signal: DateTime<Utc> = closed["detail"]["last_signal_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let at: DateTime<Utc> = closed["at"].as_str().unwrap().parse().unwrap();
    assert_eq!(at - signal, Duration::minutes(2160));

    // The notice: each recipient in their language.
    let subjects = subjects(&t);
    let closed_es = subjects
        .iter()
        .filter(|s| s.contains("cerrado automáticamente"))
        .count();
    let closed_en = subjects
        .iter()
        .filter(|s| s.contains("closed automatically"))
        .count();
    assert_eq!((closed_es, closed_en), (2, 2), "{subjects:#?}");

    // Reopen: roles and brand scope as for ack/resolve.
    let path = format!("/api/incidents/{id}/reopen");
    let viewer = t.token_for("val", "viewer", None).await;
    let other = t.token_for("otto", "crisis", Some(&["otherbrand"])).await;
    let body = json!({"note": "the story is back"});
    let post = |token: String| {
        let (path, body, t) = (&path, &body, &t);
        async move {
            t.send(reqwest::Method::POST, &token, path, Some(body))
                .await
        }
    };
    assert_eq!(post(viewer).await.0, 403);
    assert_eq!(post(other).await.0, 404);
    assert_eq!(post(String::new()).await.0, 401);
    let (status, reopened) = t.post_json(&path, &body).await;
    assert_eq!(status, 200, "{reopened}");
    assert_eq!(reopened["status"], "open");
    // The newer one can be reopened beside it: a brand may have several active incidents.
    let newer = list["items"][0]["id"].as_i64().unwrap();
    let (status, both) = t
        .post_json(&format!("/api/incidents/{newer}/reopen"), &json!({}))
        .await;
    assert_eq!(status, 200, "{both}");
    let open = t.get_ok("/api/incidents?status=open").await;
    assert_eq!(open["total"], 2, "{open}");
    // Reopening an open incident is still a conflict.
    let (status, _) = t
        .post_json(&format!("/api/incidents/{newer}/reopen"), &json!({}))
        .await;
    assert_eq!(status, 409);
    // A person's resolve stays: resolve it, then it is not auto-closed.
    let (status, resolved) = t
        .post_json(&format!("/api/incidents/{id}/resolve"), &json!({}))
        .await;
    assert_eq!(status, 200, "{resolved}");
    let d = t.get_ok(&format!("/api/incidents/{id}")).await;
    let kinds: Vec<&str> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.ends_with(&["auto_closed", "reopened", "resolved"]),
        "{kinds:?}"
    );
    let audit = t
        .get_ok(&format!("/api/audit?target_kind=incident&target_id={id}"))
        .await;
    assert_eq!(audit["total"], 2, "{audit}");
    t.stop().await;
}

/// Two weeks for the demo brand: an app outage in week 2, and food poisoning reported half an
/// hour into it. Returns the Monday and the outage's start.
fn outage_and_poisoning(path: &Path) -> (DateTime<Utc>, DateTime<Utc>) {
    let mut rng = Rng::new(21);
    let m = scenario::monday();
    let background = scenario::background(&mut rng, "rapiplato", m, 2);
    let outage_at = m + Duration::days(8) + Duration::hours(18) + Duration::minutes(40);
    let crises = [
        scenario::crisis(&mut rng, "rapiplato", "app_outage", outage_at),
        scenario::crisis(
            &mut rng,
            "rapiplato",
            "food_safety",
            outage_at + Duration::minutes(30),
        ),
    ];
    scenario::write(path, &background, &crises);
    (m, outage_at)
}

/// Two crises at once through the live pipeline: the food poisoning opens its own incident
/// beside the outage's, each alerts as "possible crisis" in both languages, and neither is
/// closed by the other. A restart while both are active rebuilds both from the database, and
/// the result is the backtest's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_crises_at_once_each_alert_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("outage-and-poisoning.jsonl");
    let (start, outage_at) = outage_and_poisoning(&input);
    let expected = backtest(&input);
    assert_eq!(expected.len(), 2, "{expected:#?}");

    // A crisis-team member who hears of an incident only when it escalates.
    let boss = common::crisis_team_recipient("jefa@rapiplato.example", "es");
    let t = live(&input, start, &boss).await;
    // Both crises under way: two active incidents, then a restart.
    t.clock.advance(outage_at - start + Duration::minutes(50));
    drain(&t).await;
    let active = t.get_ok("/api/incidents?status=open").await;
    assert_eq!(active["total"], 2, "{active}");
    let ids: Vec<i64> = (active["items"].as_array().unwrap().iter())
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    let (outage, poisoning) = (ids.iter().min().copied(), ids.iter().max().copied());
    let (outage, poisoning) = (outage.unwrap(), poisoning.unwrap());
    // The second one says, in its timeline, that it opened beside the first.
    let d = t.get_ok(&format!("/api/incidents/{poisoning}")).await;
    let opened = &d["timeline"].as_array().unwrap()[0];
    assert_eq!(opened["kind"], "opened", "{d}");
    assert_eq!(
        opened["detail"]["beside"],
        serde_json::json!([outage]),
        "{d}"
    );
    // Neither acknowledged: each escalates to the crisis team, naming the other.
    assert_eq!(t.app.check_incidents().await.unwrap().escalated, 2);
    let t = t.restart().await;
    t.clock.advance(Duration::days(30));
    drain(&t).await;
    assert_eq!(api_incidents(&t).await, expected);

    t.app.flush_outbox().await.expect("outbox");
    let subjects = subjects(&t);
    let opened = |prefix: &str| subjects.iter().filter(|s| s.contains(prefix)).count();
    // One Spanish and one English recipient hear of each incident's opening.
    assert_eq!(
        (opened("Posible crisis"), opened("Possible crisis")),
        (2, 2),
        "{subjects:#?}"
    );
    assert!(
        !subjects
            .iter()
            .any(|s| s.contains("una nueva crisis") || s.contains("a new crisis opened")),
        "neither closes the other: {subjects:#?}"
    );
    // The second alert names the incident it opened beside, in each language, and each
    // escalation names the other incident.
    let count = |start: &str, end: String| {
        (subjects.iter())
            .filter(|s| s.contains(start) && s.ends_with(&end))
            .count()
    };
    assert_eq!(
        (
            count(
                "Posible crisis",
                format!("(junto al incidente activo #{outage})")
            ),
            count(
                "Possible crisis",
                format!("(beside active incident #{outage})")
            ),
            count(
                "Crisis sin reconocer",
                format!("(junto al incidente activo #{outage})")
            ),
            count(
                "Crisis sin reconocer",
                format!("(junto al incidente activo #{poisoning})")
            ),
        ),
        (1, 1, 1, 1),
        "{subjects:#?}"
    );
    t.stop().await;
}
