//! Page-at-a-time ingest: a page's mentions are written together, a mention repeated inside a
//! page or by a later replay is stored once, the rollups count each stored mention once,
//! authors are linked to their profiles, and a customer's second complaint in the same page
//! joins the ticket the first one opened.

mod common;

use chrono::{TimeZone, Utc};
use common::TestApp;

const FEED: &str = concat!(
    r#"{"id":"x-1","source":"x","created_at":"2026-03-02T16:00:00Z","text":"@rapiplato pésimo servicio, mi pedido nunca llegó y nadie responde, qué asco","author":{"handle":"ana_q","followers":120}}"#,
    "\n",
    r#"{"id":"x-2","source":"x","created_at":"2026-03-02T16:01:00Z","text":"excelente la pizza de @rapiplato, llegó calientita y rapidísimo","author":{"handle":"luis_p"}}"#,
    "\n",
    r#"{"id":"x-1","source":"x","created_at":"2026-03-02T16:02:00Z","text":"the same id again with another text","author":{"handle":"mallory"}}"#,
    "\n",
    r#"{"id":"x-3","source":"x","created_at":"2026-03-02T16:03:00Z","text":"@rapiplato horrible, el repartidor nunca llegó con mi pedido y sigo esperando","author":{"handle":"ana_q","followers":120}}"#,
    "\n",
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_is_stored_once_with_its_rollups_links_and_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("page.jsonl");
    std::fs::write(&feed, FEED).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap();
    let t = TestApp::start_with_feed_extra(&feed, "page_size = 100", now, true).await;

    let report = t.replay_all("demo").await;
    assert_eq!(
        (report.received, report.stored, report.duplicates),
        (4, 3, 1)
    );
    assert_eq!((report.tickets_opened, report.tickets_appended), (1, 1));
    assert_eq!(t.total("/api/mentions?brand=rapiplato").await, 3);
    let first = t.get_ok("/api/mentions?q=qu%C3%A9%20asco").await;
    assert_eq!(
        first["total"], 1,
        "the first x-1 is kept, not the repeat: {first}"
    );

    let counted = "SELECT CAST(SUM(n) AS BIGINT) FROM rollup_sentiment";
    assert_eq!(t.db.scalar(counted).await, 3);
    let linked =
        "SELECT COUNT(*) FROM mentions WHERE author_handle = 'ana_q' AND customer_id IS NOT NULL";
    assert_eq!(t.db.scalar(linked).await, 2);
    let tickets = t.get_ok("/api/tickets").await;
    assert_eq!(tickets["total"], 1, "{tickets}");
    assert_eq!(tickets["items"][0]["mention_count"], 2, "{tickets}");

    // The same file again from the start: nothing new, nothing counted twice.
    t.app.reset_cursor("demo").await.unwrap();
    let again = t.replay_all("demo").await;
    assert_eq!((again.stored, again.duplicates), (0, 4));
    assert_eq!(t.db.scalar(counted).await, 3);
    assert_eq!(t.total("/api/tickets").await, 1);
    t.stop().await;
}
