//! Three `vigia serve` processes on one PostgreSQL database, alerts to a real SMTP server; one
//! instance is killed with SIGKILL in the middle of the replay. Every mention is stored once,
//! the crisis raises one incident, and every message is received once.
//!
//! Runs with `VIGIA_TEST_BACKEND=postgres` (as `.ci/run`'s PostgreSQL pass does); on SQLite,
//! which is one process by design, it says so and returns.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::process::Served;
use common::smtp::{Inbox, SmtpServer};
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use std::str::FromStr;

/// The demo: 989 distinct posts over a week, replayed in about 20 s.
const DEMO_MENTIONS: i64 = 989;

fn config(dir: &std::path::Path, database: &str, smtp_port: u16) -> std::path::PathBuf {
    let repo = common::repo();
    let text = format!(
        r#"
[http]
listen = "127.0.0.1:0"
public_url = "https://vigia.example"

[storage]
backend = "postgres"
database = "{database}"
max_connections = 6

[paths]
keywords = "{repo}/keywords"
alerts = "{repo}/alerts"

[mail]
from = "Vigía <alertas@vigia.example>"
[mail.transport]
kind = "smtp"
host = "127.0.0.1"
port = {smtp_port}
security = "none"
timeout_secs = 5

[outbox]
poll_secs = 1

[[brands]]
name = "rapiplato"
display_name = "Rapiplato"
lang = "es"

[[recipients]]
email = "crisis@rapiplato.example"
brands = ["rapiplato"]

[[recipients]]
email = "community@rapiplato.example"
lang = "en"

[[feeds]]
kind = "replay"
name = "demo"
brand = "rapiplato"
schedule = "* * * * * *"
path = "{feed}"
speed = 30000.0
start = "first"
page_size = 20
max_pages_per_tick = 3
"#,
        repo = repo.display(),
        feed = common::demo_mentions().display(),
    );
    let path = dir.join("vigia.toml");
    std::fs::write(&path, text).expect("write config");
    path
}

async fn pool(database: &str) -> PgPool {
    let options = PgConnectOptions::from_str(&common::backend::base_url())
        .expect("VIGIA_DATABASE_URL")
        .database(database);
    PgPool::connect_with(options).await.expect("connect")
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

/// Polls `sql` until it returns `want` (the instances work in the background), up to `limit`.
async fn wait_until(pool: &PgPool, sql: &str, want: i64, limit: Duration) {
    let start = Instant::now();
    loop {
        let now = count(pool, sql).await;
        if now == want {
            return;
        }
        assert!(start.elapsed() < limit, "{sql}: {now}, waited for {want}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_one_killed_every_mention_and_message_once() {
    if !common::backend::postgres() {
        eprintln!("several_instances: needs VIGIA_TEST_BACKEND=postgres; skipped on SQLite");
        return;
    }
    let (smtp, mut inbox) = SmtpServer::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let database = common::backend::fresh_database();
    let config = config(dir.path(), &database, smtp.port);
    // `a` first: it creates the schema and the admin account; then the other two.
    let start = |id: &str| Served::start_with_env(&config, &[("VIGIA_INSTANCE_ID", id)]);
    let mut instances = vec![start("a")];
    instances[0].wait_for("is listening");
    instances.extend(["b", "c"].map(start));
    for i in &instances[1..] {
        i.wait_for("is listening");
    }
    // Kill whichever instance stores a page first, right after it did: it is mid-replay, maybe
    // mid-tick. (Any instance may win a tick's lease, so no one instance is sure to poll.)
    let victim = first_to_ingest(&instances);
    instances.swap_remove(victim).kill();
    let pool = pool(&database).await;
    let limit = Duration::from_secs(180);
    let mentions = "SELECT COUNT(*) FROM mentions";
    wait_until(&pool, mentions, DEMO_MENTIONS, limit).await;
    let distinct = "SELECT COUNT(DISTINCT (source, external_id)) FROM mentions";
    assert_eq!(count(&pool, distinct).await, DEMO_MENTIONS);
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM incidents").await, 1);
    let undelivered = "SELECT COUNT(*) FROM outbox WHERE status <> 'delivered'";
    wait_until(&pool, undelivered, 0, limit).await;
    let emails = "SELECT COUNT(*) FROM outbox WHERE channel = 'email'";
    let sent = count(&pool, emails).await;
    check_received_once(&mut inbox, sent).await;
    for i in instances {
        i.kill();
    }
    smtp.stop().await;
}

/// The index of the first instance to log a stored page (a minute at most; else every
/// instance's log is in the panic message).
fn first_to_ingest(instances: &[Served]) -> usize {
    let mut logs = vec![Vec::new(); instances.len()];
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        for (i, (instance, log)) in instances.iter().zip(&mut logs).enumerate() {
            let lines = instance.new_lines();
            if lines.iter().any(|l| l.contains("poll ingested")) {
                return i;
            }
            log.extend(lines);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let logs: Vec<String> = logs.iter().map(|l| l.join("\n")).collect();
    panic!(
        "no instance stored a page within a minute:\n{}",
        logs.join("\n---\n")
    );
}

/// Exactly `sent` messages arrived, no Message-ID twice, and the crisis alert reached both
/// recipients.
async fn check_received_once(inbox: &mut Inbox, sent: i64) {
    let mut ids = HashSet::new();
    let mut recipients = HashSet::new();
    for _ in 0..sent {
        let m = inbox.next().await;
        let id = m.parse().message_id().expect("Message-ID").to_owned();
        assert!(ids.insert(id.clone()), "{id} received twice");
        recipients.extend(m.rcpt_to.clone());
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        inbox.try_next().is_none(),
        "more messages than the outbox holds"
    );
    assert!(sent >= 2, "both recipients are alerted");
    for who in ["crisis@rapiplato.example", "community@rapiplato.example"] {
        assert!(
            recipients.contains(who),
            "{who} got no alert: {recipients:?}"
        );
    }
}
