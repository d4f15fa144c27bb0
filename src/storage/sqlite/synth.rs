//! Synthetic mentions for the dashboard benchmark (`vigia bench dashboard`): bulk inserts of
//! mentions, analyses and categories with their rollup rows, many rows per statement and one
//! transaction per batch, so millions load in minutes.

use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite};
use std::collections::HashMap;

use super::{SqliteStore, db_err, ms};
use crate::storage::{DAY_MS, HOUR_MS, StoreResult};

const NETWORKS: [&str; 5] = ["x", "reddit", "mastodon", "bluesky", "youtube"];
const LABELS: [&str; 3] = ["positive", "neutral", "negative"];
const CATEGORIES: [&str; 4] = ["delivery", "refund", "app", "safety"];
const WORDS: [&str; 16] = [
    "pedido",
    "tarde",
    "frío",
    "repartidor",
    "reembolso",
    "excelente",
    "comida",
    "app",
    "delivery",
    "cold",
    "late",
    "great",
    "soporte",
    "#fail",
    "#rapido",
    "promo",
];
/// Rows per INSERT statement (SQLite allows 32 766 bound values).
const ROWS_PER_STATEMENT: usize = 500;

/// Where synthetic mentions go: brand and feed ids, and the time span they cover.
pub struct SynthTarget {
    pub brand_ids: Vec<i64>,
    pub feed_ids: Vec<i64>,
    pub end: DateTime<Utc>,
    pub span_hours: i64,
}

/// A tiny deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Row {
    brand: i64,
    feed: i64,
    at: i64,
    network: &'static str,
    label: &'static str,
    category: Option<&'static str>,
    text: String,
}

/// Inserts `count` mentions with ids after `first_id`; calls `progress` after each batch.
pub async fn load(
    store: &SqliteStore,
    target: &SynthTarget,
    count: u64,
    mut progress: impl FnMut(u64),
) -> StoreResult<()> {
    let first_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM mentions")
        .fetch_one(store.pool())
        .await
        .map_err(db_err)?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let span_ms = target.span_hours * HOUR_MS;
    let end = ms(target.end);
    let mut done = 0u64;
    let batch = 50_000u64;
    while done < count {
        let n = batch.min(count - done);
        let rows: Vec<Row> = (0..n)
            .map(|_| {
                let label = LABELS[rng.below(3)];
                Row {
                    brand: target.brand_ids[rng.below(target.brand_ids.len())],
                    feed: target.feed_ids[0],
                    at: end - (rng.next() % span_ms as u64) as i64,
                    network: NETWORKS[rng.below(NETWORKS.len())],
                    label,
                    category: (rng.below(3) == 0).then(|| CATEGORIES[rng.below(4)]),
                    text: (0..6)
                        .map(|_| WORDS[rng.below(WORDS.len())])
                        .collect::<Vec<_>>()
                        .join(" "),
                }
            })
            .collect();
        insert_batch(store, first_id + done as i64, &rows).await?;
        done += n;
        progress(done);
    }
    Ok(())
}

async fn insert_batch(store: &SqliteStore, id0: i64, rows: &[Row]) -> StoreResult<()> {
    let mut tx = store.pool().begin().await.map_err(db_err)?;
    for (c, chunk) in rows.chunks(ROWS_PER_STATEMENT).enumerate() {
        let base = id0 + (c * ROWS_PER_STATEMENT) as i64 + 1;
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO mentions (id, brand_id, feed_id, source, external_id, created_at, ingested_at, text, author_handle) ",
        );
        q.push_values(chunk.iter().enumerate(), |mut b, (i, r)| {
            let id = base + i as i64;
            b.push_bind(id)
                .push_bind(r.brand)
                .push_bind(r.feed)
                .push_bind(r.network)
                .push_bind(format!("synth-{id}"))
                .push_bind(r.at)
                .push_bind(r.at)
                .push_bind(&r.text)
                .push_bind("synth");
        });
        q.build().execute(&mut *tx).await.map_err(db_err)?;
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO analyses (mention_id, lang, compound, pos, neu, neg, label, brand_id, created_at) ",
        );
        q.push_values(chunk.iter().enumerate(), |mut b, (i, r)| {
            let compound = match r.label {
                "positive" => 0.5,
                "negative" => -0.5,
                _ => 0.0,
            };
            b.push_bind(base + i as i64)
                .push_bind("es")
                .push_bind(compound)
                .push_bind(0.3)
                .push_bind(0.4)
                .push_bind(0.3)
                .push_bind(r.label)
                .push_bind(r.brand)
                .push_bind(r.at);
        });
        q.build().execute(&mut *tx).await.map_err(db_err)?;
        let cats: Vec<(i64, &str)> = chunk
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.category.map(|c| (base + i as i64, c)))
            .collect();
        if !cats.is_empty() {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO mention_categories (mention_id, category) ",
            );
            q.push_values(cats, |mut b, (id, c)| {
                b.push_bind(id).push_bind(c);
            });
            q.build().execute(&mut *tx).await.map_err(db_err)?;
        }
    }
    bump_rollups(&mut tx, rows).await?;
    tx.commit().await.map_err(db_err)
}

/// The same rollups ingest maintains, summed per batch.
async fn bump_rollups(tx: &mut sqlx::SqliteConnection, rows: &[Row]) -> StoreResult<()> {
    let mut sent: HashMap<(i64, i64, &str, &str), i64> = HashMap::new();
    let mut cats: HashMap<(i64, i64, &str), i64> = HashMap::new();
    let mut terms: HashMap<(i64, i64, String), i64> = HashMap::new();
    for r in rows {
        let hour = r.at.div_euclid(HOUR_MS);
        *sent.entry((r.brand, hour, r.network, r.label)).or_default() += 1;
        if let Some(c) = r.category {
            *cats.entry((r.brand, hour, c)).or_default() += 1;
        }
        for t in crate::storage::terms(&r.text) {
            *terms
                .entry((r.brand, r.at.div_euclid(DAY_MS), t))
                .or_default() += 1;
        }
    }
    for ((brand, hour, network, label), n) in sent {
        sqlx::query("INSERT INTO rollup_sentiment (brand_id, hour, network, label, n) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (brand_id, hour, network, label) DO UPDATE SET n = n + excluded.n")
            .bind(brand).bind(hour).bind(network).bind(label).bind(n)
            .execute(&mut *tx).await.map_err(db_err)?;
    }
    for ((brand, hour, c), n) in cats {
        sqlx::query(
            "INSERT INTO rollup_category (brand_id, hour, category, n) VALUES (?, ?, ?, ?)
             ON CONFLICT (brand_id, hour, category) DO UPDATE SET n = n + excluded.n",
        )
        .bind(brand)
        .bind(hour)
        .bind(c)
        .bind(n)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    }
    for ((brand, day, t), n) in terms {
        sqlx::query(
            "INSERT INTO rollup_term (brand_id, day, term, n) VALUES (?, ?, ?, ?)
             ON CONFLICT (brand_id, day, term) DO UPDATE SET n = n + excluded.n",
        )
        .bind(brand)
        .bind(day)
        .bind(t)
        .bind(n)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}
