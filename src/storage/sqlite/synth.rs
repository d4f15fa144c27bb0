//! Storage side of the benchmarks: the bare batched INSERT that `vigia bench ingest` compares
//! the whole pipeline with (the same rows, the same `mentions` schema and indexes, nothing
//! else: no analysis, rollups, crisis or tickets).

use sqlx::{QueryBuilder, Sqlite};

use super::{SqliteStore, db_err, ms};
use crate::domain::Mention;
use crate::storage::StoreResult;

/// Inserts `mentions` into `mentions` in multi-row statements of `per_tx` rows (at most 500
/// per statement), one transaction each, deduping on `(source, external_id)` as ingest does.
pub async fn bare_insert(
    store: &SqliteStore,
    brand_id: i64,
    feed_id: i64,
    mentions: &[Mention],
    per_tx: usize,
) -> StoreResult<()> {
    let now = ms(chrono::Utc::now());
    for page in mentions.chunks(per_tx.max(1)) {
        let mut tx = store
            .pool()
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db_err)?;
        for chunk in page.chunks(500) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO mentions (brand_id, feed_id, source, external_id, created_at,
                    ingested_at, text, author_handle, author_name, author_followers, url, likes,
                    reposts, replies, reply_to, thread_id, is_repost, country) ",
            );
            q.push_values(chunk, |mut b, m| {
                b.push_bind(brand_id)
                    .push_bind(feed_id)
                    .push_bind(&m.source)
                    .push_bind(&m.external_id)
                    .push_bind(ms(m.created_at))
                    .push_bind(now)
                    .push_bind(&m.text)
                    .push_bind(&m.author.handle)
                    .push_bind(&m.author.name)
                    .push_bind(m.author.followers)
                    .push_bind(&m.url)
                    .push_bind(m.likes)
                    .push_bind(m.reposts)
                    .push_bind(m.replies)
                    .push_bind(&m.reply_to)
                    .push_bind(&m.thread_id)
                    .push_bind(m.is_repost)
                    .push_bind(&m.country);
            });
            q.push(" ON CONFLICT (source, external_id) DO NOTHING RETURNING id");
            q.build().fetch_all(&mut *tx).await.map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
    }
    Ok(())
}
