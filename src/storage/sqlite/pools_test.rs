//! The two pools of [`SqliteStore`]: every write through the one writer connection, reads
//! beside it. Writers queue instead of failing or sleeping on the lock, readers see what the
//! writer committed, and (in the debug builds tests run) the read pool refuses writes, which
//! is what makes the rest of the suite catch a write sent to the wrong pool.

use super::SqliteStore;
use crate::storage::{Store, StoreTx};

async fn open() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("v.db")).await.unwrap();
    store.migrate().await.unwrap();
    (dir, store)
}

#[tokio::test]
async fn the_read_pool_refuses_writes_in_debug_builds() {
    let (_dir, store) = open().await;
    let write = "INSERT INTO brands (name, display_name, lang) VALUES ('a', 'A', 'es')";
    let refused = sqlx::query(write).execute(store.pool()).await;
    assert_eq!(refused.is_err(), cfg!(debug_assertions), "{refused:?}");
    if cfg!(debug_assertions) {
        let e = refused.unwrap_err().to_string();
        assert!(e.contains("readonly"), "{e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_queue_and_readers_see_their_commits() {
    let (_dir, store) = open().await;
    let brand = store.upsert_brand("b", "B", "es").await.unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..24 {
        let store = store.clone();
        tasks.spawn(async move {
            // An explicit transaction (the ingest page) and an autocommit write (a feed's
            // state) interleaved from many tasks: none may fail on a busy lock.
            let tx = store.begin().await?;
            tx.commit().await?;
            store.upsert_feed(&format!("f{i}"), brand, "replay").await
        });
    }
    let mut ids = Vec::new();
    while let Some(done) = tasks.join_next().await {
        ids.push(done.unwrap().unwrap());
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 24);
    let seen: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM feeds")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(seen, 24);
}
