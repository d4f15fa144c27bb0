//! The page-at-a-time statements of the ingest transaction: a page's mentions, analyses and
//! categories go in as multi-row INSERTs (dedupe on `(source, external_id, brand_id)` by
//! `ON CONFLICT DO NOTHING RETURNING`), its rollups are summed in memory and written once, and
//! its authors are looked up in one query. No statement here costs more as tables grow beyond
//! the O(log n) of an index probe per row.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;

use super::{db_err, ms};
use crate::domain::{Analysis, Identity, Mention};
use crate::storage::rows::{text_hash, with_customers};
use crate::storage::{KnownCustomer, MentionCtx, RollupDelta, StoreResult};

/// Rows per statement: 20 values a mention row stays well under SQLite's 32 766 bound values.
const ROWS_PER_STATEMENT: usize = 500;

/// Stores a page's mentions with their analyses; per item, the new id or `None` for a
/// duplicate (already stored, or an earlier item of the same page). Ids ascend in page order.
pub(super) async fn insert_mentions(
    conn: &mut SqliteConnection,
    ctx: &MentionCtx,
    items: &[(&Mention, &Analysis)],
    customers: &[Option<i64>],
    now: chrono::DateTime<chrono::Utc>,
) -> StoreResult<Vec<Option<i64>>> {
    let mut ids = Vec::with_capacity(items.len());
    for (k, chunk) in items.chunks(ROWS_PER_STATEMENT).enumerate() {
        let rows = with_customers(chunk, customers, k * ROWS_PER_STATEMENT);
        let new = insert_mention_rows(conn, ctx, &rows, ms(now)).await?;
        let chunk_ids = claim_ids(chunk, new);
        let stored: Vec<(i64, &Mention, &Analysis)> = chunk
            .iter()
            .zip(&chunk_ids)
            .filter_map(|((m, a), id)| id.map(|id| (id, *m, *a)))
            .collect();
        insert_analyses(conn, ctx.brand_id, &stored).await?;
        insert_categories(conn, &stored).await?;
        ids.extend(chunk_ids);
    }
    Ok(ids)
}

/// Gives each returned id to the first item with its key; later items with the same key are
/// duplicates within the page.
fn claim_ids(
    chunk: &[(&Mention, &Analysis)],
    mut new: HashMap<(String, String), i64>,
) -> Vec<Option<i64>> {
    chunk
        .iter()
        .map(|(m, _)| new.remove(&(m.source.clone(), m.external_id.clone())))
        .collect()
}

async fn insert_mention_rows(
    conn: &mut SqliteConnection,
    ctx: &MentionCtx,
    rows: &[(&Mention, Option<i64>)],
    now_ms: i64,
) -> StoreResult<HashMap<(String, String), i64>> {
    let mut q = mention_rows(ctx, rows.iter().copied(), now_ms);
    q.push(
        " ON CONFLICT (source, external_id, brand_id) DO NOTHING RETURNING id, source, external_id",
    );
    let rows: Vec<(i64, String, String)> = q
        .build_query_as()
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    Ok(rows.into_iter().map(|(id, s, e)| ((s, e), id)).collect())
}

/// `INSERT INTO mentions (...) VALUES (...), ...` for `(mention, its profile)`, without its
/// conflict clause: the one mention row shape, shared by ingest and the bare-INSERT reference
/// of the benchmark.
pub(super) fn mention_rows<'a>(
    ctx: &MentionCtx,
    mentions: impl Iterator<Item = (&'a Mention, Option<i64>)>,
    now_ms: i64,
) -> QueryBuilder<'a, Sqlite> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "INSERT INTO mentions (brand_id, feed_id, source, external_id, created_at, ingested_at,
            text, author_handle, author_name, author_followers, url, likes, reposts, replies,
            reply_to, thread_id, is_repost, country, customer_id, text_hash) ",
    );
    q.push_values(mentions, |mut b, (m, customer)| {
        b.push_bind(ctx.brand_id)
            .push_bind(ctx.feed_id)
            .push_bind(&m.source)
            .push_bind(&m.external_id)
            .push_bind(ms(m.created_at))
            .push_bind(now_ms)
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
            .push_bind(&m.country)
            .push_bind(customer)
            .push_bind(text_hash(&m.text));
    });
    q
}

async fn insert_analyses(
    conn: &mut SqliteConnection,
    brand_id: i64,
    stored: &[(i64, &Mention, &Analysis)],
) -> StoreResult<()> {
    if stored.is_empty() {
        return Ok(());
    }
    let mut q = QueryBuilder::<Sqlite>::new(
        "INSERT INTO analyses (mention_id, lang, compound, pos, neu, neg, label, brand_id,
            created_at, explanation) ",
    );
    q.push_values(stored, |mut b, (id, m, a)| {
        b.push_bind(*id)
            .push_bind(a.lang.code())
            .push_bind(a.sentiment.compound)
            .push_bind(a.sentiment.pos)
            .push_bind(a.sentiment.neu)
            .push_bind(a.sentiment.neg)
            .push_bind(a.label.as_str())
            .push_bind(brand_id)
            .push_bind(ms(m.created_at))
            .push_bind(explanation_json(&a.explanation));
    });
    q.build().execute(&mut *conn).await.map_err(db_err)?;
    Ok(())
}

async fn insert_categories(
    conn: &mut SqliteConnection,
    stored: &[(i64, &Mention, &Analysis)],
) -> StoreResult<()> {
    let rows: Vec<(i64, &str)> = stored
        .iter()
        .flat_map(|(id, _, a)| a.categories.iter().map(move |c| (*id, c.as_str())))
        .collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT * 4) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT OR IGNORE INTO mention_categories (mention_id, category) ",
        );
        q.push_values(chunk, |mut b, (id, c)| {
            b.push_bind(*id).push_bind(*c);
        });
        q.build().execute(&mut *conn).await.map_err(db_err)?;
    }
    Ok(())
}

/// Adds a page of mentions to the rollup tables: summed per key in memory, then one upsert
/// per table and 500 keys.
pub(super) async fn bump_rollups(
    conn: &mut SqliteConnection,
    deltas: &[RollupDelta],
) -> StoreResult<()> {
    let mut sentiment: HashMap<(i64, i64, &str, &str), i64> = HashMap::new();
    let mut categories: HashMap<(i64, i64, &str), i64> = HashMap::new();
    let mut terms: HashMap<(i64, i64, &str), i64> = HashMap::new();
    for d in deltas {
        *sentiment
            .entry((d.brand_id, d.hour, d.network.as_str(), d.label))
            .or_default() += 1;
        for c in &d.categories {
            *categories
                .entry((d.brand_id, d.hour, c.as_str()))
                .or_default() += 1;
        }
        for t in &d.terms {
            *terms.entry((d.brand_id, d.day, t.as_str())).or_default() += 1;
        }
    }
    let sentiment: Vec<_> = sentiment.into_iter().collect();
    for chunk in sentiment.chunks(ROWS_PER_STATEMENT) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO rollup_sentiment (brand_id, hour, network, label, n) ",
        );
        q.push_values(chunk, |mut b, ((brand, hour, network, label), n)| {
            b.push_bind(*brand)
                .push_bind(*hour)
                .push_bind(*network)
                .push_bind(*label)
                .push_bind(*n);
        });
        q.push(" ON CONFLICT (brand_id, hour, network, label) DO UPDATE SET n = n + excluded.n");
        q.build().execute(&mut *conn).await.map_err(db_err)?;
    }
    bump_named(conn, ("rollup_category", "hour", "category"), categories).await?;
    bump_named(conn, ("rollup_term", "day", "term"), terms).await
}

async fn bump_named(
    conn: &mut SqliteConnection,
    (table, bucket, name): (&str, &str, &str),
    counts: HashMap<(i64, i64, &str), i64>,
) -> StoreResult<()> {
    let counts: Vec<_> = counts.into_iter().collect();
    for chunk in counts.chunks(ROWS_PER_STATEMENT) {
        let mut q = QueryBuilder::<Sqlite>::new(format!(
            "INSERT INTO {table} (brand_id, {bucket}, {name}, n) "
        ));
        q.push_values(chunk, |mut b, ((brand, at, value), n)| {
            b.push_bind(*brand)
                .push_bind(*at)
                .push_bind(*value)
                .push_bind(*n);
        });
        q.push(format!(
            " ON CONFLICT (brand_id, {bucket}, {name}) DO UPDATE SET n = n + excluded.n"
        ));
        q.build().execute(&mut *conn).await.map_err(db_err)?;
    }
    Ok(())
}

/// The profiles (and tiers) owning these identities, in one indexed lookup per 500.
pub(super) async fn find_customers(
    conn: &mut SqliteConnection,
    identities: &[Identity],
) -> StoreResult<HashMap<Identity, KnownCustomer>> {
    let mut out = HashMap::new();
    for chunk in identities.chunks(ROWS_PER_STATEMENT) {
        let mut q = find_customers_query(chunk);
        let rows: Vec<(String, String, i64, Option<String>)> = q
            .build_query_as()
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
        for (network, value, id, tier) in rows {
            out.insert(Identity { network, value }, KnownCustomer { id, tier });
        }
    }
    Ok(out)
}

pub(super) fn find_customers_query(identities: &[Identity]) -> QueryBuilder<'_, Sqlite> {
    let mut q = QueryBuilder::<Sqlite>::new("WITH k(network, value) AS (");
    q.push_values(identities, |mut b, i| {
        b.push_bind(&i.network).push_bind(&i.value);
    });
    q.push(
        ") SELECT ci.network, ci.value, ci.customer_id, c.tier FROM k
         JOIN customer_identities ci ON ci.network = k.network AND ci.value = k.value
         JOIN customers c ON c.id = ci.customer_id",
    );
    q
}

/// Sets `mentions.customer_id` for each `(mention_id, customer_id)`.
pub(super) async fn link_customers(
    conn: &mut SqliteConnection,
    links: &[(i64, i64)],
) -> StoreResult<()> {
    for chunk in links.chunks(ROWS_PER_STATEMENT) {
        link_customers_query(chunk)
            .build()
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
    }
    Ok(())
}

pub(super) fn link_customers_query(links: &[(i64, i64)]) -> QueryBuilder<'_, Sqlite> {
    let mut q = QueryBuilder::<Sqlite>::new("WITH v(mention_id, customer_id) AS (");
    q.push_values(links, |mut b, (m, c)| {
        b.push_bind(*m).push_bind(*c);
    });
    q.push(
        ") UPDATE mentions SET customer_id = v.customer_id FROM v
         WHERE mentions.id = v.mention_id",
    );
    q
}

/// The explanation as the JSON array stored in `analyses.explanation`.
fn explanation_json(why: &[crate::domain::TokenValence]) -> String {
    serde_json::to_string(why).unwrap_or_else(|_| "[]".to_owned())
}
