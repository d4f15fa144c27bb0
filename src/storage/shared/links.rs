//! Mentions gathered into incidents and tickets: each link is made once, and the group's
//! mention count and latest time follow it; an incident's latest signal and peak (the most
//! of its links within one detector window) only move forward. The same SQL on both back
//! ends.

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::id_list::push_ids;
use super::{Conn, Db, db_err, ms};
use crate::storage::StoreResult;

/// Things that gather mentions: an incident or a ticket.
#[derive(Clone, Copy)]
pub(super) enum Group {
    Incident,
    Ticket,
}

/// Adds a mention to an incident or ticket once, keeping its count and latest time current
/// (and an incident's earliest mention time).
pub(super) async fn link_mention(
    conn: &mut Conn,
    group: Group,
    group_id: i64,
    mention_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    link_mentions(conn, group, &[(group_id, mention_id, at)]).await
}

/// Links per statement: two parameters each, far below either back end's limit.
const CHUNK: usize = 1000;

/// [`link_mention`] for many `(group, mention, at)`: each link made once, in one statement per
/// chunk, and the groups' counts and times in one more.
pub(super) async fn link_mentions(
    conn: &mut Conn,
    group: Group,
    links: &[(i64, i64, DateTime<Utc>)],
) -> StoreResult<()> {
    let (link_table, column, table) = match group {
        Group::Incident => ("incident_mentions", "incident_id", "incidents"),
        Group::Ticket => ("ticket_mentions", "ticket_id", "tickets"),
    };
    for chunk in links.chunks(CHUNK) {
        let mut q = QueryBuilder::<Db>::new("WITH v (g, m) AS (");
        q.push_values(chunk, |mut b, (group_id, mention, _)| {
            b.push_bind(*group_id).push_bind(*mention);
        });
        // An incident's link keeps the mention's engagement and time, for its ordered reads
        // (`incident_mentions_engagement`, `incident_mentions_newest`). `WHERE true` tells
        // SQLite's parser the `ON CONFLICT` is the upsert's, not a join's.
        let select = match group {
            Group::Incident => {
                "(incident_id, mention_id, engagement, mention_at)
                 SELECT v.g, v.m, m.likes + 2 * m.reposts + m.replies, m.created_at
                   FROM v JOIN mentions m ON m.id = v.m WHERE true"
            }
            Group::Ticket => "(ticket_id, mention_id) SELECT v.g, v.m FROM v WHERE true",
        };
        q.push(format!(
            ") INSERT INTO {link_table} {select} ON CONFLICT DO NOTHING RETURNING {column}, mention_id"
        ));
        let mut linked: HashSet<(i64, i64)> = q
            .build_query_as::<(i64, i64)>()
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?
            .into_iter()
            .collect();
        // Per group: the links just made (a pair named twice was made once), and their
        // earliest and latest times.
        let mut grown: BTreeMap<i64, (i64, i64, i64)> = BTreeMap::new();
        for (group_id, mention, at) in chunk {
            if linked.remove(&(*group_id, *mention)) {
                let entry = grown.entry(*group_id).or_insert((0, i64::MAX, i64::MIN));
                entry.0 += 1;
                entry.1 = entry.1.min(ms(*at));
                entry.2 = entry.2.max(ms(*at));
            }
        }
        if grown.is_empty() {
            continue;
        }
        let mut q = QueryBuilder::<Db>::new("WITH g (id, n, lo, hi) AS (");
        q.push_values(&grown, |mut b, (group_id, (n, lo, hi))| {
            b.push_bind(*group_id)
                .push_bind(*n)
                .push_bind(*lo)
                .push_bind(*hi);
        });
        // The same SQL on both back ends: `CASE` where SQLite would say `MAX(a, b)` and
        // PostgreSQL `GREATEST(a, b)` (and NULL counts as "no time yet", as GREATEST has it).
        let times = match group {
            Group::Incident => {
                "last_mention_at = CASE WHEN last_mention_at IS NULL OR last_mention_at < g.hi
                    THEN g.hi ELSE last_mention_at END,
                 first_mention_at = CASE WHEN first_mention_at IS NULL OR first_mention_at > g.lo
                    THEN g.lo ELSE first_mention_at END"
            }
            Group::Ticket => {
                "updated_at = CASE WHEN updated_at < g.hi THEN g.hi ELSE updated_at END"
            }
        };
        q.push(format!(
            ") UPDATE {table} SET mention_count = mention_count + g.n, {times}
             FROM g WHERE {table}.id = g.id"
        ));
        q.build().execute(&mut *conn).await.map_err(db_err)?;
    }
    Ok(())
}

/// How many of the incident's mentions have event time after `since` (a range of
/// `incident_mentions_newest`).
pub(super) async fn incident_links_since(
    conn: &mut Conn,
    incident_id: i64,
    since: DateTime<Utc>,
) -> StoreResult<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM incident_mentions WHERE incident_id = $1 AND mention_at > $2",
    )
    .bind(incident_id)
    .bind(ms(since))
    .fetch_one(conn)
    .await
    .map_err(db_err)
}

/// Moves the incident's latest signal to `at` and its peak to `peak`, never back (`CASE`
/// where SQLite would say `MAX(a, b)` and PostgreSQL `GREATEST(a, b)`).
pub(super) async fn set_last_signal(
    conn: &mut Conn,
    incident_id: i64,
    at: DateTime<Utc>,
    peak: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE incidents SET
             last_signal_at = CASE WHEN last_signal_at IS NULL OR last_signal_at < $1
                 THEN $1 ELSE last_signal_at END,
             peak_window = CASE WHEN peak_window < $3 THEN $3 ELSE peak_window END
         WHERE id = $2",
    )
    .bind(ms(at))
    .bind(incident_id)
    .bind(peak)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// The incident's latest signal (event time in ms, if any) and peak.
pub(super) async fn last_signal(
    conn: &mut Conn,
    incident_id: i64,
) -> StoreResult<(Option<i64>, i64)> {
    sqlx::query_as("SELECT last_signal_at, peak_window FROM incidents WHERE id = $1")
        .bind(incident_id)
        .fetch_one(conn)
        .await
        .map_err(db_err)
}

/// The mention ids of each of `tickets` (ascending), in one query per thousand tickets.
pub(super) async fn mentions_of_tickets(
    pool: &sqlx::Pool<Db>,
    tickets: &[i64],
) -> StoreResult<HashMap<i64, Vec<i64>>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for chunk in tickets.chunks(1000) {
        let mut q = QueryBuilder::<Db>::new(
            "SELECT ticket_id, mention_id FROM ticket_mentions WHERE ticket_id IN (",
        );
        push_ids(&mut q, chunk.iter().copied());
        q.push(") ORDER BY ticket_id, mention_id");
        let rows: Vec<(i64, i64)> = q.build_query_as().fetch_all(pool).await.map_err(db_err)?;
        for (ticket, mention) in rows {
            out.entry(ticket).or_default().push(mention);
        }
    }
    Ok(out)
}
