//! The ticket lookups and links of a whole ingest page, one statement each instead of one per
//! mention, on either back end (`QueryBuilder` writes each back end's placeholders). Each query
//! answers what its single-mention counterpart in the back end's `helpdesk.rs` answers, for
//! every item of the page at once.

use sqlx::QueryBuilder;
use std::collections::{HashMap, HashSet};

use super::id_list::push_ids;
use super::{Conn, Db, POSTGRES, db_err};
use crate::domain::Mention;
use crate::storage::rows::text_hash;
use crate::storage::{StoreResult, ThreadProbe};

/// Items per statement: at most 6 parameters each, far below either back end's limit.
const CHUNK: usize = 1000;
/// Ticket statuses that still take mentions.
const ACTIVE: &str = "('new', 'open', 'pending')";
const ACTIVE_STATUSES: [&str; 3] = ["new", "open", "pending"];

pub(super) async fn tickets_in_threads(
    conn: &mut Conn,
    brand_id: i64,
    probes: &[ThreadProbe<'_>],
) -> StoreResult<HashMap<i64, i64>> {
    let probes: Vec<&ThreadProbe> = probes
        .iter()
        .filter(|p| p.reply_to.is_some() || p.thread_id.is_some())
        .collect();
    let mut out: HashMap<i64, i64> = HashMap::new();
    for chunk in probes.chunks(CHUNK) {
        let mut q = threads_query(chunk);
        let rows: Vec<(i64, i64, i64, String)> = q
            .build_query_as()
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
        // The brand and status are checked here, not in SQL: see `threads_query`.
        for (item, ticket, brand, status) in rows {
            if brand == brand_id && ACTIVE_STATUSES.contains(&status.as_str()) {
                let best = out.entry(item).or_insert(ticket);
                *best = (*best).max(ticket);
            }
        }
    }
    Ok(out)
}

/// The conversation lookup of [`tickets_in_threads`] for one chunk of probes: every ticket
/// linked to a mention of each probe's conversation, with its brand and status.
pub(super) fn threads_query<'a>(chunk: &'a [&'a ThreadProbe<'a>]) -> QueryBuilder<'a, Db> {
    // Mentions first (by their unique key or the thread index), then their tickets by primary
    // key: the cost is that of each conversation, never of the tickets table. The statement
    // names no column of `tickets` but its key, so no planner can start from the brand's
    // active tickets instead: PostgreSQL did so while its statistics lagged behind a fast-
    // growing table (80–150 ms a page instead of about 1), and SQLite's planner may do it
    // with a plain JOIN (38 ms a lookup at 100,000 tickets; `CROSS JOIN` fixes its order).
    // Each branch is one equality on an index (PostgreSQL turns `external_id IN (a, b)` in a
    // join into a hash join over every mention). `plans.rs` checks the plan.
    let mut q = QueryBuilder::<Db>::new("WITH q (i, src, reply_to, thread) AS (");
    q.push_values(chunk, |mut b, p| {
        b.push_bind(p.mention_id)
            .push_bind(p.source)
            .push_bind(p.reply_to)
            .push_bind(p.thread_id);
    });
    q.push(
        ") SELECT c.i, t.id, t.brand_id, t.status FROM (
            SELECT q.i AS i, m.id AS mention_id FROM q CROSS JOIN mentions m
             WHERE m.source = q.src AND m.external_id = q.reply_to
            UNION ALL
            SELECT q.i, m.id FROM q CROSS JOIN mentions m
             WHERE m.source = q.src AND m.external_id = q.thread
            UNION ALL
            SELECT q.i, m.id FROM q CROSS JOIN mentions m
             WHERE m.source = q.src AND m.thread_id = q.thread
          ) c ",
    );
    q.push(TICKETS_OF_MENTION);
    q
}

/// How the conversation lookup reaches each mention's tickets: by `ticket_mentions`' mention
/// index, then the tickets' primary key.
///
/// SQLite: `CROSS JOIN` fixes that order. PostgreSQL reorders cross joins, and while its
/// statistics lagged behind a fast-growing table (`vigia bench ingest`) it merge-joined all of
/// `ticket_mentions` with all of `tickets` for every page: 1–10 s of server time in a run of
/// 200,000 mentions where the lookup otherwise takes 0.2 s. There each step is a `LATERAL`
/// subquery of the row before it, and `OFFSET 0` keeps the planner from flattening them back
/// into one join, so the only plan left is the index lookups (`postgres/plans.rs`).
const TICKETS_OF_MENTION: &str = if POSTGRES {
    "CROSS JOIN LATERAL (
        SELECT ticket_id FROM ticket_mentions WHERE mention_id = c.mention_id OFFSET 0
     ) tm CROSS JOIN LATERAL (
        SELECT id, brand_id, status FROM tickets WHERE id = tm.ticket_id OFFSET 0
     ) t"
} else {
    "CROSS JOIN ticket_mentions tm CROSS JOIN tickets t
     WHERE tm.mention_id = c.mention_id AND t.id = tm.ticket_id"
};

pub(super) async fn same_texts_seen(
    conn: &mut Conn,
    brand_id: i64,
    mentions: &[(i64, i64, &Mention)],
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

/// The repeated-text lookup of [`same_texts_seen`] for one chunk of mentions: each by the
/// customer's mentions of the same text hash (`mentions_customer (customer_id, text_hash)`,
/// see [`text_hash`]), so its cost is an index probe, never the brand's posts nor all of that
/// person's; the source, handle and text must match too (a profile gathers several identities,
/// and a repeat is the same identity's). Rows stored without a hash (before migrations
/// `sqlite/0035` and `postgres/0010`) are a second range of the same index.
///
/// Until 2026-12-07 (evening) the probe read every earlier post of the profile to compare
/// texts: in `vigia bench ingest` of 200,000 mentions on SQLite a call took 0.23 ms in the
/// run's first tenth and 3.53 ms in its last (0.29 and 1.20 now, with more of the page's
/// authors known), and on PostgreSQL it took 2.7–4.9 s of server time per 100,000 mentions in
/// six runs of seven (0.7 s in the seventh), against 0.12–0.16 s now.
///
/// Until 2026-12-07 it went by an index of its own on `(source, author_handle)`, which every
/// stored mention had to update at a random place: at 1,000,000 mentions 29% of the pages the
/// ingest commits wrote to the WAL were that index's (`tools/wal_frames`). A repeat that
/// could matter has a profile: the first post of the text either opened or joined a ticket,
/// which linked it to a profile (on the page's new profile, or because a known author's
/// mentions are stored linked), or qualified for none, and then neither does the repeat
/// (unless a tier given to the author's profile since makes the same text qualify now).
/// Repeats within one page, whose links are written after its decisions, are found in memory
/// (`helpdesk::tickets`). Migrations `sqlite/0034` and `postgres/0009` drop that index.
///
/// The brand is compared as `brand_id + 0` and the source as `source || ''`, expressions no
/// index serves, so no planner can start from the brand's or the network's mentions instead.
/// PostgreSQL started from the brand whenever its statistics lagged behind a table filling
/// fast (a first backfill, `vigia bench ingest`): it took a brand for 897 mentions when it
/// had 119,309 and hashed all of them for every page (110 ms a page instead of 15): in three
/// of seven runs of 200,000 mentions this lookup took 10.1–10.6 s of server time instead of
/// 1.0–1.3 s, and the run's last tenth went at 2,300–3,000 mentions/s. With `+ 0`: 1.0–1.2 s
/// in six runs of six. Without the author index, on an empty table it chose the
/// `(source, external_id, brand_id)` key by the source alone (in production: every mention
/// of the network, for each probe), hence `|| ''`. Both back ends' `plans.rs` check the plan.
pub(super) fn same_texts_query<'a>(
    chunk: &'a [(i64, i64, &'a Mention)],
    brand_id: i64,
) -> QueryBuilder<'a, Db> {
    let mut q = QueryBuilder::<Db>::new("WITH q (i, customer, src, handle, body, hash) AS (");
    q.push_values(chunk, |mut b, (id, customer, m)| {
        b.push_bind(*id)
            .push_bind(*customer)
            .push_bind(&m.source)
            .push_bind(&m.author.handle)
            .push_bind(&m.text)
            .push_bind(text_hash(&m.text));
    });
    q.push(") SELECT q.i FROM q WHERE ");
    // Rows stored with the text's hash, then rows stored without one (before migration
    // `0035` / `0010`, or by a writer that does not set it): each its own index range.
    let ranges = ["m.text_hash = q.hash", "m.text_hash IS NULL"];
    for (n, hash) in ranges.into_iter().enumerate() {
        if n > 0 {
            q.push(" OR ");
        }
        q.push(format!(
            "EXISTS (SELECT 1 FROM mentions m
                WHERE m.customer_id = q.customer AND {hash} AND m.source || '' = q.src
                  AND m.author_handle = q.handle AND m.text = q.body
                  AND m.id < q.i AND m.brand_id + 0 = "
        ));
        q.push_bind(brand_id).push(")");
    }
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
        push_ids(&mut q, chunk.iter().copied());
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
