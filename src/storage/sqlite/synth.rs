//! Storage side of the benchmarks: the bare batched INSERT that `vigia bench ingest` compares
//! the whole pipeline with (the same rows, the same `mentions` schema and indexes, nothing
//! else: no analysis, rollups, crisis or tickets).

use super::{SqliteStore, db_err, ms, page};
use crate::domain::Mention;
use crate::storage::{MentionCtx, StoreResult};

/// Inserts `mentions` into `mentions` in multi-row statements of `per_tx` rows (at most 500
/// per statement), one transaction each, deduping on `(source, external_id, brand_id)` as
/// ingest does.
pub async fn bare_insert(
    store: &SqliteStore,
    brand_id: i64,
    feed_id: i64,
    mentions: &[Mention],
    per_tx: usize,
) -> StoreResult<()> {
    let now = ms(chrono::Utc::now());
    for batch in mentions.chunks(per_tx.max(1)) {
        let mut tx = store
            .writer()
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db_err)?;
        for chunk in batch.chunks(500) {
            let ctx = MentionCtx { brand_id, feed_id };
            let mut q = page::mention_rows(&ctx, chunk.iter().map(|m| (m, None)), now);
            q.push(" ON CONFLICT (source, external_id, brand_id) DO NOTHING RETURNING id");
            q.build().fetch_all(&mut *tx).await.map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
    }
    Ok(())
}
