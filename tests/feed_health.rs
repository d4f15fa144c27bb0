//! `max_silence`: a feed that stores nothing new for longer than its limit raises exactly one
//! admin email through the outbox, however often the watch runs (manual clock).

mod common;

use common::TestApp;

/// Subjects of the silence notices written to the mail outbox.
fn silence_mails(t: &TestApp) -> Vec<String> {
    t.emails()
        .iter()
        .filter_map(|path| {
            let raw = std::fs::read(path).ok()?;
            let msg = mail_parser::MessageParser::default().parse(&raw)?;
            let subject = msg.subject()?.to_owned();
            subject.contains("demo").then_some(subject)
        })
        .collect()
}

#[tokio::test]
async fn a_silent_feed_notifies_admins_exactly_once() {
    let extra =
        "max_silence_mins = 30\n\n[health]\nadmins = [\"ops@rapiplato.example\"]\nlang = \"es\"\n";
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
    assert!(silence_mails(&t).is_empty());

    t.clock.advance(chrono::Duration::minutes(2));
    assert_eq!(t.app.check_feed_health().await.unwrap(), 1);
    t.app.flush_outbox().await.unwrap();
    let mails = silence_mails(&t);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0].contains("La fuente «demo»") && mails[0].contains("no recibe menciones"),
        "{mails:?}"
    );

    for _ in 0..3 {
        t.clock.advance(chrono::Duration::hours(1));
        assert_eq!(t.app.check_feed_health().await.unwrap(), 1, "still silent");
        t.app.flush_outbox().await.unwrap();
    }
    assert_eq!(silence_mails(&t).len(), 1, "one notification per silence");
}
