//! The profiles and tickets an ingest page creates, in a few multi-row statements instead of
//! two statements per record. Their ids are reserved first (the back end's
//! `helpdesk::reserve_ids`), so the rows that point at them (identities, first-mention links)
//! go in the same way. The same SQL on both back ends.

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

use super::helpdesk::reserve_ids;
use super::id_list::push_ids;
use super::{Conn, Db, db_err, ms};
use crate::domain::Identity;
use crate::storage::{StoreResult, TicketDraft};

/// Rows per statement: a ticket row binds 14 values, far below either back end's limit.
const CHUNK: usize = 500;

/// Creates one profile per `(name, identity)`; their ids, in input order.
///
/// Another instance's transaction may have created a profile for one of these identities
/// since this page looked its authors up (two feeds' pages naming one author, ingested at
/// once). The identity is then not inserted again (`ON CONFLICT DO NOTHING`, which waits for
/// that transaction to end): its profile's id is returned in place of the new one, and the
/// new, empty profile is removed. Identities go in one order everywhere (by network and
/// value), so two transactions inserting the same ones wait for each other instead of
/// deadlocking.
pub(super) async fn create_customers(
    conn: &mut Conn,
    new: &[(Option<&str>, &Identity)],
    now: DateTime<Utc>,
) -> StoreResult<Vec<i64>> {
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids = reserve_ids(conn, "customers", new.len()).await?;
    let key = |i: usize| (&new[i].1.network, &new[i].1.value);
    let mut order: Vec<usize> = (0..new.len()).collect();
    order.sort_by(|&a, &b| key(a).cmp(&key(b)));
    let mut inserted = std::collections::HashSet::new();
    for chunk in order.chunks(CHUNK) {
        let mut q = QueryBuilder::<Db>::new("INSERT INTO customers (id, name, created_at) ");
        q.push_values(chunk, |mut b, &i| {
            b.push_bind(ids[i]).push_bind(new[i].0).push_bind(ms(now));
        });
        q.build().execute(&mut *conn).await.map_err(db_err)?;
        let mut q = QueryBuilder::<Db>::new(
            "INSERT INTO customer_identities (customer_id, network, value) ",
        );
        q.push_values(chunk, |mut b, &i| {
            b.push_bind(ids[i])
                .push_bind(&new[i].1.network)
                .push_bind(&new[i].1.value);
        });
        q.push(" ON CONFLICT (network, value) DO NOTHING RETURNING customer_id");
        let rows: Vec<(i64,)> = q
            .build_query_as()
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
        inserted.extend(rows.into_iter().map(|(id,)| id));
    }
    let taken: Vec<usize> = (0..new.len())
        .filter(|&i| !inserted.contains(&ids[i]))
        .collect();
    if taken.is_empty() {
        return Ok(ids);
    }
    let mut q = QueryBuilder::<Db>::new("DELETE FROM customers WHERE id IN (");
    push_ids(&mut q, taken.iter().map(|&i| ids[i]));
    q.push(")");
    q.build().execute(&mut *conn).await.map_err(db_err)?;
    for i in taken {
        let identity = new[i].1;
        let owner: (i64,) = sqlx::query_as(
            "SELECT customer_id FROM customer_identities WHERE network = $1 AND value = $2",
        )
        .bind(&identity.network)
        .bind(&identity.value)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
        ids[i] = owner.0;
    }
    Ok(ids)
}

/// Creates the tickets, each linked to its first mention (count 1); their ids, ascending in
/// input order.
pub(super) async fn create_tickets(
    conn: &mut Conn,
    drafts: &[TicketDraft],
) -> StoreResult<Vec<i64>> {
    if drafts.is_empty() {
        return Ok(Vec::new());
    }
    let ids = reserve_ids(conn, "tickets", drafts.len()).await?;
    let rows: Vec<(i64, &TicketDraft)> = ids.iter().copied().zip(drafts).collect();
    for chunk in rows.chunks(CHUNK) {
        let mut q = QueryBuilder::<Db>::new(
            "INSERT INTO tickets (id, brand_id, customer_id, status, category, subject, opened_at,
                updated_at, priority, priority_factors, team, first_response_due,
                resolution_due, mention_count) ",
        );
        q.push_values(chunk, |mut b, (id, d)| {
            b.push_bind(*id)
                .push_bind(d.brand_id)
                .push_bind(d.customer_id)
                .push_bind("new")
                .push_bind(&d.category)
                .push_bind(&d.subject)
                .push_bind(ms(d.opened_at))
                .push_bind(ms(d.opened_at))
                .push_bind(&d.priority)
                .push_bind(&d.priority_factors)
                .push_bind(&d.team)
                .push_bind(d.first_response_due.map(ms))
                .push_bind(d.resolution_due.map(ms))
                .push_bind(1_i64);
        });
        q.build().execute(&mut *conn).await.map_err(db_err)?;
        // A new ticket's first link cannot exist yet: its count starts at 1 above.
        let mut q = QueryBuilder::<Db>::new("INSERT INTO ticket_mentions (ticket_id, mention_id) ");
        q.push_values(chunk, |mut b, (id, d)| {
            b.push_bind(*id).push_bind(d.mention_id);
        });
        q.build().execute(&mut *conn).await.map_err(db_err)?;
    }
    Ok(ids)
}
