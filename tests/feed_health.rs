//! `max_silence`: a feed that stores nothing new for longer than its limit raises exactly one
//! admin email through the outbox, however often the watch runs (manual clock).

mod common;

use common::TestApp;

fn silence_mails(t: &TestApp) -> usize {
    let dir = t.dir.path().join("mail");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    entries
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .filter(|m| m.contains("is silent"))
        .count()
}

#[tokio::test]
async fn a_silent_feed_notifies_admins_exactly_once() {
    let extra = "max_silence_mins = 30\n\n[health]\nadmins = [\"ops@rapiplato.example\"]\n";
    let t = TestApp::start_with_extra(extra).await;
    t.replay_all("demo").await;
    assert_eq!(
        t.app.check_feed_health().await.unwrap(),
        0,
        "just stored mentions"
    );

    t.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(t.app.check_feed_health().await.unwrap(), 0);
    t.app.flush_outbox().await.unwrap();
    assert_eq!(silence_mails(&t), 0);

    t.clock.advance(chrono::Duration::minutes(2));
    assert_eq!(t.app.check_feed_health().await.unwrap(), 1);
    t.app.flush_outbox().await.unwrap();
    assert_eq!(silence_mails(&t), 1);

    for _ in 0..3 {
        t.clock.advance(chrono::Duration::hours(1));
        assert_eq!(t.app.check_feed_health().await.unwrap(), 1, "still silent");
        t.app.flush_outbox().await.unwrap();
    }
    assert_eq!(silence_mails(&t), 1, "one notification per silence");
}
