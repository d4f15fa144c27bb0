//! PostgreSQL's plans for the batched ingest lookups that once went wrong under lagging
//! statistics, and the session settings the store connects with. Runs with
//! `VIGIA_TEST_BACKEND=postgres` (and `VIGIA_DATABASE_URL`); skipped with a notice otherwise.

use sqlx::{Connection, PgConnection};

use super::{PgStore, contacts, ticket_batch};
use crate::storage::ThreadProbe;

/// A migrated store on a database of its own, dropped by [`drop_database`].
async fn migrated(url: &str, name: &str) -> PgStore {
    let mut admin = PgConnection::connect(url).await.expect("connect");
    sqlx::raw_sql(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .expect("create database");
    let store = PgStore::connect(url, Some(name), 2).await.expect("store");
    store.run_migrations().await.expect("migrations");
    store
}

async fn drop_database(url: &str, name: &str) {
    let mut admin = PgConnection::connect(url).await.expect("connect");
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .expect("drop database");
}

fn server() -> Option<String> {
    let on = std::env::var("VIGIA_TEST_BACKEND").is_ok_and(|b| b == "postgres");
    let url = std::env::var(super::DATABASE_URL_VAR).ok().filter(|_| on);
    if url.is_none() {
        eprintln!(
            "skipped: PostgreSQL plans need VIGIA_TEST_BACKEND=postgres and VIGIA_DATABASE_URL"
        );
    }
    url
}

/// The conversation lookup reaches tickets through `ticket_mentions`' mention index and the
/// tickets' key even when the planner would rather not nest loops, as it would rather not
/// while its statistics lagged behind the tables: then it merge-joined both tables whole for
/// every page (see `ticket_batch::TICKETS_OF_MENTION`). The store's sessions run without JIT.
/// The profile lookup by contact can use its expression indexes (sequential scans are off
/// here, so an index the query cannot use shows as one).
#[tokio::test]
async fn ingest_and_profile_lookups_go_by_index_whatever_the_planner_prefers() {
    let Some(url) = server() else { return };
    let name = format!("vigia_plans_{}", std::process::id());
    let store = migrated(&url, &name).await;
    let mut conn = store.pool().acquire().await.expect("connection");
    let jit: String = sqlx::query_scalar("SHOW jit")
        .fetch_one(&mut *conn)
        .await
        .expect("SHOW jit");
    assert_eq!(jit, "off");

    let probe = ThreadProbe {
        mention_id: 7,
        source: "x",
        reply_to: Some("100"),
        thread_id: Some("90"),
    };
    let sql = ticket_batch::threads_query(&[&probe, &probe]).into_sql();
    sqlx::raw_sql(&format!(
        "SET enable_nestloop = off; SET enable_seqscan = off; PREPARE threads AS {sql}"
    ))
    .execute(&mut *conn)
    .await
    .expect("prepare");
    let plan: Vec<String> =
        sqlx::query_scalar("EXPLAIN EXECUTE threads(7, 'x', '100', '90', 8, 'x', '101', '90')")
            .fetch_all(&mut *conn)
            .await
            .expect("explain");
    let text = plan.join("\n");
    // The repeated-text lookup goes by the author's profile (nested loops allowed again: a
    // lookup per probe is the plan wanted here).
    let m = crate::domain::Mention::new("x", "101", chrono::Utc::now(), "sigo sin pedido", "ana");
    let sql = ticket_batch::same_texts_query(&[(7, 3, &m), (8, 4, &m)], 1).into_sql();
    sqlx::raw_sql(&format!(
        "SET enable_nestloop = on; PREPARE same (int8, int8, text, text, text, int8, int8, int8, text, text, text, int8, int8, int8) AS {sql}"
    ))
    .execute(&mut *conn)
    .await
    .expect("prepare");
    let same: Vec<String> = sqlx::query_scalar(
        "EXPLAIN EXECUTE same(7, 3, 'x', 'ana', 'sigo', 5, 8, 4, 'x', 'ana', 'sigo', 5, 1, 1)",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("explain same texts");
    let same = same.join("\n");
    // Merge suggestions find profiles by contact through the expression indexes.
    let contacts: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {}", contacts::BY_CONTACT))
        .bind(r#"["ana@example.com"]"#)
        .bind(r#"["+525541827730"]"#)
        .fetch_all(&mut *conn)
        .await
        .expect("explain contacts");
    let contacts = contacts.join("\n");
    drop(conn);
    drop(store);
    drop_database(&url, &name).await;
    // Each ticket link is looked up by the conversation mention, each ticket by its key.
    for wanted in [
        "Index Cond: (mention_id = m",
        "Index Scan using tickets_pkey on tickets",
        "Index Cond: (id = ticket_mentions.ticket_id)",
    ] {
        assert!(text.contains(wanted), "no {wanted} in:\n{text}");
    }
    // Both ranges of the profile's posts, the text's hash and the rows stored without one,
    // are index conditions: no earlier post of another text is read.
    for wanted in ["(text_hash = ", "(text_hash IS NULL)"] {
        assert!(
            same.contains("mentions_customer")
                && same
                    .lines()
                    .any(|l| l.contains("Index Cond: ((customer_id = ") && l.contains(wanted)),
            "the repeated-text lookup must go by mentions_customer with {wanted}:\n{same}"
        );
    }
    for index in ["customers_email_lower", "customers_phone_digits"] {
        assert!(contacts.contains(index), "no {index} in:\n{contacts}");
    }
}
