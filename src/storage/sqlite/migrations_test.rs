//! Upgrading a database that has data: the rebuild of `mentions` (migration 27, mentions per
//! brand) keeps every mention with its analysis, categories and incident links, and the
//! foreign keys still cascade afterwards.

use sqlx::migrate::Migrator;
use std::borrow::Cow;

use super::{MIGRATOR, SqliteStore};

const PER_BRAND: i64 = 27;

async fn count(store: &SqliteStore, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_mentions_rebuild_keeps_what_references_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("old.db")).await.unwrap();
    let before = Migrator {
        migrations: Cow::Owned(
            MIGRATOR
                .migrations
                .iter()
                .filter(|m| m.version < PER_BRAND)
                .cloned()
                .collect(),
        ),
        ..Migrator::DEFAULT
    };
    before.run(store.writer()).await.unwrap();
    for sql in [
        "INSERT INTO brands (id, name, display_name, lang) VALUES (1, 'a', 'A', 'es')",
        "INSERT INTO feeds (id, name, brand_id, kind) VALUES (1, 'f', 1, 'replay')",
        "INSERT INTO mentions (id, brand_id, feed_id, source, external_id, created_at,
            ingested_at, text, author_handle) VALUES (7, 1, 1, 'x', '1', 1, 1, 't', 'h')",
        "INSERT INTO analyses (mention_id, lang, compound, pos, neu, neg, label, brand_id,
            created_at) VALUES (7, 'es', 0, 0, 1, 0, 'neutral', 1, 1)",
        "INSERT INTO mention_categories (mention_id, category) VALUES (7, 'delivery')",
        "INSERT INTO incidents (id, brand_id, status, trigger_kind, trigger, opened_at,
            last_mention_at, created_at) VALUES (1, 1, 'open', 'spike', '{}', 1, 1, 1)",
        "INSERT INTO incident_mentions (incident_id, mention_id) VALUES (1, 7)",
    ] {
        sqlx::query(sql).execute(store.writer()).await.expect(sql);
    }
    store.run_migrations().await.unwrap();
    for table in [
        "mentions",
        "analyses",
        "mention_categories",
        "incident_mentions",
    ] {
        assert_eq!(count(&store, table).await, 1, "{table}");
    }
    // The same post for another brand is now a row of its own; for the same brand, a conflict.
    let insert = "INSERT INTO mentions (brand_id, feed_id, source, external_id, created_at,
        ingested_at, text, author_handle) VALUES (?1, 1, 'x', '1', 1, 1, 't', 'h')";
    sqlx::query("INSERT INTO brands (id, name, display_name, lang) VALUES (2, 'b', 'B', 'es')")
        .execute(store.writer())
        .await
        .unwrap();
    sqlx::query(insert)
        .bind(2)
        .execute(store.writer())
        .await
        .unwrap();
    assert!(
        sqlx::query(insert)
            .bind(1)
            .execute(store.writer())
            .await
            .is_err()
    );
    // Foreign keys are enforced again, with their cascades.
    sqlx::query("DELETE FROM mentions WHERE id = 7")
        .execute(store.writer())
        .await
        .unwrap();
    for table in ["analyses", "mention_categories", "incident_mentions"] {
        assert_eq!(count(&store, table).await, 0, "{table}");
    }
    let orphan = "INSERT INTO analyses (mention_id, lang, compound, pos, neu, neg, label,
        brand_id, created_at) VALUES (99, 'es', 0, 0, 1, 0, 'neutral', 1, 1)";
    assert!(sqlx::query(orphan).execute(store.writer()).await.is_err());
}
