//! Digests on a manual clock: queued when the recipient's cron time comes, once, in the
//! recipient's language, with volume, trend, complaints and open incidents.

mod common;

use chrono::{Duration, DurationRound, Timelike};
use common::TestApp;
use vigia::clock::Clock;

#[tokio::test]
async fn a_daily_digest_goes_out_at_its_time_once() {
    let t = TestApp::start_with_extra(
        r#"
[[recipients]]
email = "digest@rapiplato.example"
lang = "en"
min_severity = "critical"
digest = "0 0 8 * * *"
"#,
    )
    .await;
    assert_eq!(t.replay_all("demo").await.incidents_opened, 1);
    let now = t.clock.now();
    let mut eight = now.duration_trunc(Duration::hours(1)).unwrap();
    while eight.hour() != 8 || eight <= now {
        eight += Duration::hours(1);
    }
    t.clock.set(eight - Duration::minutes(1));
    assert_eq!(t.app.send_digests().await.unwrap(), 0, "not yet");
    t.clock.set(eight);
    assert_eq!(t.app.send_digests().await.unwrap(), 1);
    assert_eq!(t.app.send_digests().await.unwrap(), 0, "once");
    t.app.flush_outbox().await.unwrap();
    let digests: Vec<String> = t
        .emails()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .filter(|m| m.contains("Rapiplato digest"))
        .collect();
    assert_eq!(digests.len(), 1);
    let text = &digests[0];
    assert!(text.contains("digest@rapiplato.example"));
    assert!(text.contains("Open incidents: 1"), "{text}");
    assert!(
        text.contains("Mentions: 0"),
        "the last day had none: {text}"
    );
    t.stop().await;
}

#[tokio::test]
async fn the_digest_summarises_the_period() {
    let t = TestApp::start_with_extra("").await;
    t.replay_all("demo").await;
    let brand = vigia::domain::Brand {
        id: 1,
        name: "rapiplato".into(),
        display_name: "Rapiplato".into(),
        lang: vigia::domain::Lang::Es,
    };
    let to = "2026-03-07T08:00:00Z".parse().unwrap();
    let d = vigia::notify::digest::build(t.app.store(), &brand, to - Duration::days(1), to)
        .await
        .unwrap();
    assert!(
        d.mentions > d.previous_mentions,
        "the crisis day is busier: {d:?}"
    );
    assert!(d.negative_pct > d.previous_negative_pct, "{d:?}");
    assert_eq!(d.top_complaints[0].0, "safety", "{d:?}");
    assert_eq!(d.open_incidents.len(), 1);
    t.stop().await;
}
