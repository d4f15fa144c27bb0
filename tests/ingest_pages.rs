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

/// Page 1 (five mentions): a complaint opens a ticket; a reply to it and a complaint in its
/// thread (other authors) join it; another complaint opens a second ticket and its author's
/// repeat of the same text opens nothing. Page 2: a reply to a mention that joined the first
/// ticket in page 1 joins it too. Each page's decisions are made from one lookup per kind plus
/// what earlier mentions of the page decided.
const THREADS: &str = concat!(
    r#"{"id":"y-1","source":"x","created_at":"2026-03-02T16:00:00Z","text":"@rapiplato pésimo servicio, mi pedido nunca llegó y nadie responde, qué asco","author":{"handle":"ana_t"}}"#,
    "\n",
    r#"{"id":"y-2","source":"x","created_at":"2026-03-02T16:01:00Z","text":"@ana_t @rapiplato ¿ya te respondieron?","author":{"handle":"bob_t"},"reply_to":"y-1","thread_id":"y-1"}"#,
    "\n",
    r#"{"id":"y-3","source":"x","created_at":"2026-03-02T16:02:00Z","text":"@rapiplato a mí tampoco me llegó el pedido, pésimo, nadie responde","author":{"handle":"carla_t"},"thread_id":"y-1"}"#,
    "\n",
    r#"{"id":"y-4","source":"x","created_at":"2026-03-02T16:03:00Z","text":"@rapiplato me cobraron dos veces el mismo pedido, horrible, quiero mi reembolso","author":{"handle":"dani_t"}}"#,
    "\n",
    r#"{"id":"y-5","source":"x","created_at":"2026-03-02T16:04:00Z","text":"@rapiplato me cobraron dos veces el mismo pedido, horrible, quiero mi reembolso","author":{"handle":"dani_t"}}"#,
    "\n",
    r#"{"id":"y-6","source":"x","created_at":"2026-03-02T16:05:00Z","text":"@carla_t @rapiplato igual aquí, qué mal","author":{"handle":"eva_t"},"reply_to":"y-3"}"#,
    "\n",
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_decides_each_mention_as_if_the_earlier_ones_were_written_first() {
    threads_give_two_tickets("page_size = 5").await;
}

/// The same mentions one per page decide the same: the repeat (`y-5`) is now found in the
/// store, by its author's profile, which the first post's ticket created a page before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_of_one_mention_decide_as_one_page_does() {
    threads_give_two_tickets("page_size = 1").await;
}

async fn threads_give_two_tickets(page_size: &str) {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("threads.jsonl");
    std::fs::write(&feed, THREADS).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap();
    let t = TestApp::start_with_feed_extra(&feed, page_size, now, true).await;

    let report = t.replay_all("demo").await;
    assert_eq!((report.received, report.stored), (6, 6));
    assert_eq!(
        (report.tickets_opened, report.tickets_appended),
        (2, 3),
        "{report:?}"
    );
    let tickets = t.get_ok("/api/tickets").await;
    assert_eq!(tickets["total"], 2, "{tickets}");
    let mut counts: Vec<i64> = tickets["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["mention_count"].as_i64().unwrap())
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, [1, 4], "{tickets}");
    let linked = "SELECT COUNT(*) FROM ticket_mentions";
    assert_eq!(t.db.scalar(linked).await, 5);
    t.stop().await;
}

/// One mention per page: from its second page on, a known author's mentions are stored already
/// linked to the profile, whatever they say (praise included), and nobody else's are.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_authors_mentions_are_stored_linked_to_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("pages.jsonl");
    let praise = r#"{"id":"x-4","source":"x","created_at":"2026-03-02T16:04:00Z","text":"ya llegó, gracias @rapiplato","author":{"handle":"ana_q","followers":120}}"#;
    std::fs::write(&feed, format!("{FEED}{praise}\n")).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap();
    let t = TestApp::start_with_feed_extra(&feed, "page_size = 1", now, true).await;

    let report = t.replay_all("demo").await;
    assert_eq!((report.stored, report.duplicates), (4, 1));
    let linked = |handle: &str| {
        format!(
            "SELECT COUNT(*) FROM mentions WHERE author_handle = '{handle}' AND customer_id IS NOT NULL"
        )
    };
    assert_eq!(t.db.scalar(&linked("ana_q")).await, 3);
    assert_eq!(t.db.scalar(&linked("luis_p")).await, 0);
    let profiles = "SELECT COUNT(DISTINCT customer_id) FROM mentions";
    assert_eq!(t.db.scalar(profiles).await, 1);
    assert_eq!(t.total("/api/tickets").await, 1);
    t.stop().await;
}

/// The replay source keeps an index of the file, not its mentions: lines appended while the
/// feed runs are read on its next poll, after the ones already replayed, and a restart goes
/// on from the cursor without repeating anything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lines_appended_to_a_replay_file_are_picked_up_once() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("growing.jsonl");
    let lines: Vec<&str> = FEED.lines().collect();
    std::fs::write(&feed, format!("{}\n{}\n", lines[0], lines[1])).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap();
    let t = TestApp::start_with_feed_extra(&feed, "page_size = 100", now, true).await;
    let first = t.replay_all("demo").await;
    assert_eq!((first.received, first.stored), (2, 2));

    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&feed)
        .unwrap();
    writeln!(file, "{}", lines[3]).unwrap();
    t.clock.advance(chrono::Duration::seconds(1));
    let second = t.replay_all("demo").await;
    assert_eq!((second.received, second.stored), (1, 1));

    let t = t.restart().await;
    let another = lines[2].replace("x-1", "x-4").replace("16:02", "16:05");
    writeln!(file, "{another}").unwrap();
    t.clock.advance(chrono::Duration::seconds(1));
    let third = t.replay_all("demo").await;
    assert_eq!((third.received, third.stored, third.duplicates), (1, 1, 0));
    assert_eq!(t.total("/api/mentions?brand=rapiplato").await, 4);
    t.stop().await;
}

/// A replay file rewritten under the feed with the same length and modification time (so
/// nothing but its bytes tells it changed): the feed does not read garbage at the old
/// offsets but indexes the file again and goes on from its position in the new order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replay_file_rewritten_in_place_is_indexed_again() {
    let line = |id: &str, minute: u32, pad: usize| {
        format!(
            r#"{{"id":"{id}","source":"x","created_at":"2026-03-02T16:0{minute}:00Z","text":"@rapiplato pedido {id} {}","author":{{"handle":"h_{id}"}}}}"#,
            "z".repeat(pad)
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("rewritten.jsonl");
    let before = format!("{}\n{}\n", line("r-1", 0, 10), line("r-2", 1, 10));
    std::fs::write(&feed, &before).unwrap();
    let modified = std::fs::metadata(&feed).unwrap().modified().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap();
    let t = TestApp::start_with_feed_extra(&feed, "page_size = 100", now, true).await;
    // The first poll starts the replay clock: only the first mention is due.
    let first = t.app.poll_once("demo").await.unwrap();
    assert_eq!(first.stored, 1);

    // Same length, other lines: the second line of the old file began inside the new first.
    let after = format!("{}\n{}\n", line("r-3", 2, 15), line("r-4", 3, 5));
    assert_eq!(after.len(), before.len());
    std::fs::write(&feed, &after).unwrap();
    let file = std::fs::File::options().write(true).open(&feed).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);

    t.clock.advance(chrono::Duration::seconds(1));
    let second = t
        .app
        .poll_once("demo")
        .await
        .expect("the poll reads the new file");
    assert_eq!((second.received, second.stored), (1, 1));
    let stored = t.get_ok("/api/mentions?q=r-4").await;
    assert_eq!(stored["total"], 1, "{stored}");
    t.stop().await;
}
