//! Alert delivery through the outbox to a real SMTP server: a server that is down delays the
//! alerts (retry with backoff) but loses none and sends none twice.

mod common;

use common::TestApp;
use common::smtp::{SmtpServer, unused_port};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_down_then_up_delivers_every_alert_once_in_order() {
    let port = unused_port().await;
    let t = TestApp::start_with_smtp(port).await;
    let replay = t.replay_all("demo").await;
    assert_eq!(replay.incidents_opened, 1);

    // Nobody listens: both alerts (es, en) stay queued for a retry.
    let down = t.app.flush_outbox().await.unwrap();
    assert_eq!(
        (down.delivered, down.retried, down.failed),
        (0, 2, 0),
        "{down:?}"
    );
    let early = t.app.flush_outbox().await.unwrap();
    assert_eq!(
        (early.delivered, early.retried, early.failed),
        (0, 0, 0),
        "not due before the backoff: {early:?}"
    );

    let (server, mut inbox) = SmtpServer::start_on(port).await;
    t.clock.advance(chrono::Duration::seconds(6));
    let up = t.app.flush_outbox().await.unwrap();
    assert_eq!((up.delivered, up.retried, up.failed), (2, 0, 0), "{up:?}");

    let first = inbox.next().await;
    let second = inbox.next().await;
    // The outbox delivers in order of creation; language groups are queued in code order (en, es).
    let subjects: Vec<String> = [&first, &second]
        .iter()
        .map(|m| m.parse().subject().unwrap_or_default().to_owned())
        .collect();
    assert!(
        subjects[0].contains("Possible crisis (critical) at Rapiplato"),
        "{subjects:?}"
    );
    assert!(
        subjects[1].contains("Posible crisis (crítico) en Rapiplato"),
        "{subjects:?}"
    );
    assert_eq!(
        first.rcpt_to,
        vec!["community@rapiplato.example".to_owned()]
    );
    assert_eq!(second.rcpt_to, vec!["crisis@rapiplato.example".to_owned()]);

    // Nothing left, nothing repeated.
    t.clock.advance(chrono::Duration::hours(2));
    let after = t.app.flush_outbox().await.unwrap();
    assert_eq!(after.delivered, 0);
    assert!(inbox.try_next().is_none());
    server.stop().await;
    t.stop().await;
}
