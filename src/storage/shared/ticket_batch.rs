//! The ticket lookups and links of a whole ingest page, one statement each instead of one per
//! mention, on either back end (`QueryBuilder` writes each back end's placeholders). Each query
//! answers what its single-mention counterpart in the back end's `helpdesk.rs` answers, for
//! every item of the page at once.

use sqlx::QueryBuilder;
use std::collections::{HashMap, HashSet};

use super::{Conn, Db, db_err};
use crate::domain::Mention;
use crate::storage::{StoreResult, ThreadProbe};

/// Items per statement: at most 5 parameters each, far below either back end's limit.
const CHUNK: usize = 1000;
/// Ticket statuses that still take mentions.
const ACTIVE: &str = "('new', 'open', 'pending')";

pub(super) async fn tickets_in_threads(
    conn: &mut Conn,
    brand_id: i64,
    probes: &[ThreadProbe<'_>],
) -> StoreResult<HashMap<i64, i64>> {
    let probes: Vec<&ThreadProbe> = probes
        .iter()
        .filter(|p| p.reply_to.is_some() || p.thread_id.is_some())
        .collect();
    let mut out = HashMap::new();
    for chunk in probes.chunks(CHUNK) {
        let mut q = threads_query(chunk, brand_id);
        let rows: Vec<(i64, Option<i64>)> = q
            .build_query_as()
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
        out.extend(rows.into_iter().filter_map(|(i, t)| Some((i, t?))));
    }
    Ok(out)
}

/// The conversation lookup of [`tickets_in_threads`] for one chunk of probes.
pub(super) fn threads_query<'a>(
    chunk: &'a [&'a ThreadProbe<'a>],
    brand_id: i64,
) -> QueryBuilder<'a, Db> {
    // Mentions first (by their unique key or the thread index), then their tickets by primary
    // key: the cost is that of each conversation, never of the tickets table. `CROSS JOIN`
    // keeps that order on SQLite; with a plain JOIN its planner may walk all of the brand's
    // tickets instead (38 ms a lookup at 100,000 tickets). `plans.rs` checks the plan.
    let mut q = QueryBuilder::<Db>::new("WITH q (i, src, reply_to, thread) AS (");
    q.push_values(chunk, |mut b, p| {
        b.push_bind(p.mention_id)
            .push_bind(p.source)
            .push_bind(p.reply_to)
            .push_bind(p.thread_id);
    });
    q.push(
        ") SELECT q.i, (SELECT MAX(t.id) FROM ticket_mentions tm CROSS JOIN tickets t
        WHERE t.id = tm.ticket_id AND tm.mention_id IN (
            SELECT id FROM mentions WHERE source = q.src
               AND external_id IN (q.reply_to, q.thread)
            UNION ALL
            SELECT id FROM mentions WHERE source = q.src AND thread_id = q.thread)
          AND t.brand_id = ",
    );
    q.push_bind(brand_id);
    q.push(format!(" AND t.status IN {ACTIVE}) FROM q"));
    q
}

pub(super) async fn same_texts_seen(
    conn: &mut Conn,
    brand_id: i64,
    mentions: &[(i64, &Mention)],
) -> StoreResult<HashSet<i64>> {
    let mut out = HashSet::new();
    for chunk in mentions.chunks(CHUNK) {
        let mut q = same_texts_query(chunk, brand_id);
        let ids: Vec<i64> = q
            .build_query_scalar()
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
        out.extend(ids);
    }
    Ok(out)
}

/// The repeated-text lookup of [`same_texts_seen`] for one chunk of mentions.
pub(super) fn same_texts_query<'a>(
    chunk: &'a [(i64, &'a Mention)],
    brand_id: i64,
) -> QueryBuilder<'a, Db> {
    let mut q = QueryBuilder::<Db>::new("WITH q (i, src, handle, body) AS (");
    q.push_values(chunk, |mut b, (id, m)| {
        b.push_bind(*id)
            .push_bind(&m.source)
            .push_bind(&m.author.handle)
            .push_bind(&m.text);
    });
    q.push(
        ") SELECT q.i FROM q WHERE EXISTS (SELECT 1 FROM mentions m
                WHERE m.source = q.src AND m.author_handle = q.handle AND m.text = q.body
                  AND m.id < q.i AND m.brand_id = ",
    );
    q.push_bind(brand_id).push(")");
    q
}

pub(super) async fn open_tickets(
    conn: &mut Conn,
    brand_id: i64,
    customers: &[i64],
) -> StoreResult<HashMap<i64, i64>> {
    let mut out = HashMap::new();
    for chunk in customers.chunks(CHUNK) {
        let mut q = QueryBuilder::<Db>::new(
            "SELECT customer_id, MAX(id) FROM tickets WHERE customer_id IN (",
        );
        let mut list = q.separated(", ");
        for c in chunk {
            list.push_bind(*c);
        }
        q.push(") AND brand_id = ").push_bind(brand_id);
        q.push(format!(" AND status IN {ACTIVE} GROUP BY customer_id"));
        let rows: Vec<(i64, i64)> = q
            .build_query_as()
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
        out.extend(rows);
    }
    Ok(out)
}
