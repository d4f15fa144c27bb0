//! Mentions gathered into incidents and tickets: each link is made once, and the group's
//! mention count and latest time follow it. The same SQL on both back ends.

use chrono::{DateTime, Utc};

use super::{Conn, db_err, ms};
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
    // The same SQL on both back ends: `CASE` where SQLite would say `MAX(a, b)` and PostgreSQL
    // `GREATEST(a, b)` (and NULL counts as "no time yet", as GREATEST has it).
    let (link, update) = match group {
        Group::Incident => (
            "INSERT INTO incident_mentions (incident_id, mention_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
            "UPDATE incidents SET mention_count = mention_count + $1,
                last_mention_at = CASE WHEN last_mention_at IS NULL OR last_mention_at < $2
                    THEN $2 ELSE last_mention_at END,
                first_mention_at = CASE WHEN first_mention_at IS NULL OR first_mention_at > $2
                    THEN $2 ELSE first_mention_at END
             WHERE id = $3",
        ),
        Group::Ticket => (
            "INSERT INTO ticket_mentions (ticket_id, mention_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
            "UPDATE tickets SET mention_count = mention_count + $1,
                updated_at = CASE WHEN updated_at < $2 THEN $2 ELSE updated_at END
             WHERE id = $3",
        ),
    };
    let inserted = sqlx::query(link)
        .bind(group_id)
        .bind(mention_id)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?
        .rows_affected();
    sqlx::query(update)
        .bind(inserted as i64)
        .bind(ms(at))
        .bind(group_id)
        .execute(conn)
        .await
        .map_err(db_err)?;
    Ok(())
}
