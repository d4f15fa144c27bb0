//! Read queries behind the HTTP API. Filters are built with `QueryBuilder`, values always bound.

use sqlx::{PgConnection, Postgres, QueryBuilder};

use super::db_err;
use super::records::{
    CUSTOMER_COLUMNS, CustomerRecord, FeedRecord, INCIDENT_COLUMNS, IncidentRecord, MentionRecord,
    TICKET_COLUMNS, TicketRecord,
};
use crate::domain::Identity;
use crate::storage::{
    Customer, FeedRow, Incident, IncidentFilter, Listing, MentionFilter, MentionRow, StoreResult,
    Ticket, TicketFilter,
};

/// Keeps to the caller's brands: `b.name IN (...)`, or nothing at all for an empty scope.
fn push_scope(q: &mut QueryBuilder<'_, Postgres>, scope: Option<&[String]>) {
    let Some(brands) = scope else { return };
    if brands.is_empty() {
        q.push(" AND FALSE");
        return;
    }
    q.push(" AND b.name IN (");
    let mut list = q.separated(", ");
    for brand in brands {
        list.push_bind(brand.clone());
    }
    list.push_unseparated(")");
}

pub(super) fn push_mention_where(q: &mut QueryBuilder<'_, Postgres>, f: &MentionFilter) {
    q.push(" WHERE 1 = 1");
    if let Some(brand) = &f.brand {
        q.push(" AND b.name = ").push_bind(brand.clone());
    }
    push_scope(q, f.scope.as_deref());
    if let Some(label) = f.label {
        q.push(" AND a.label = ").push_bind(label.as_str());
    }
    if let Some(category) = &f.category {
        q.push(" AND EXISTS (SELECT 1 FROM mention_categories c WHERE c.mention_id = m.id AND c.category = ")
            .push_bind(category.clone())
            .push(")");
    }
    if let Some(lang) = &f.lang {
        q.push(" AND a.lang = ").push_bind(lang.clone());
    }
    if let Some(until) = f.until {
        q.push(" AND m.created_at <= ")
            .push_bind(until.timestamp_millis());
    }
    if let Some(since) = f.since {
        q.push(" AND m.created_at >= ")
            .push_bind(since.timestamp_millis());
    }
    if let Some(text) = &f.text {
        let pattern = format!(
            "%{}%",
            text.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        q.push(" AND m.text ILIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\'");
    }
    if let Some(customer) = f.customer_id {
        q.push(" AND m.customer_id = ").push_bind(customer);
    }
    if let Some(after) = f.after_id {
        q.push(" AND m.id > ").push_bind(after);
    }
    if let Some(ids) = &f.ids {
        q.push(" AND m.id IN (SELECT value::INT8 FROM jsonb_array_elements_text(")
            .push_bind(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
            .push("::jsonb))");
    }
}

/// The mention columns of `records::MENTION_COLUMNS`, with PostgreSQL's `string_agg` for the
/// sorted category list (SQLite's is `group_concat` over an ordered subquery).
pub(super) const MENTION_COLUMNS: &str =
    "SELECT m.id, b.name AS brand, f.name AS feed, m.source, m.external_id,
    m.created_at, m.text, m.author_handle, m.author_name, m.author_followers, m.url, m.likes,
    m.reposts, m.replies, m.reply_to, m.thread_id, m.is_repost, m.country, a.lang, a.compound,
    a.label, a.explanation, m.customer_id,
    (SELECT string_agg(category, ',' ORDER BY category) FROM mention_categories c
        WHERE c.mention_id = m.id) AS categories
    FROM mentions m JOIN analyses a ON a.mention_id = m.id
    JOIN brands b ON b.id = m.brand_id JOIN feeds f ON f.id = m.feed_id";

/// Mentions matching `filter`, newest first.
pub(super) async fn mentions_by_filter(
    conn: &mut PgConnection,
    filter: &MentionFilter,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<MentionRow>> {
    let mut q = QueryBuilder::<Postgres>::new(MENTION_COLUMNS);
    push_mention_where(&mut q, filter);
    q.push(" ORDER BY m.created_at DESC, m.id DESC LIMIT ")
        .push_bind(limit);
    q.push(" OFFSET ").push_bind(offset);
    let rows: Vec<MentionRecord> = q.build_query_as().fetch_all(conn).await.map_err(db_err)?;
    Ok(rows.into_iter().map(MentionRow::from).collect())
}

/// Largest mention count a listing reports: counting stops there, so a page of a very large
/// table costs the same as one of a table this size.
pub const MAX_MENTION_TOTAL: i64 = 10_000;

/// Mentions matching `filter`, counted up to [`MAX_MENTION_TOTAL`].
pub(super) async fn count_mentions(
    conn: &mut PgConnection,
    filter: &MentionFilter,
) -> StoreResult<i64> {
    let mut q = QueryBuilder::<Postgres>::new(
        "SELECT COUNT(*) FROM (SELECT 1 FROM mentions m JOIN analyses a ON a.mention_id = m.id
         JOIN brands b ON b.id = m.brand_id",
    );
    push_mention_where(&mut q, filter);
    q.push(" LIMIT ")
        .push_bind(MAX_MENTION_TOTAL)
        .push(") AS capped");
    q.build_query_scalar().fetch_one(conn).await.map_err(db_err)
}

fn push_incident_where(q: &mut QueryBuilder<'_, Postgres>, f: &IncidentFilter) {
    q.push(" WHERE 1 = 1");
    if let Some(brand) = &f.brand {
        q.push(" AND b.name = ").push_bind(brand.clone());
    }
    push_scope(q, f.scope.as_deref());
    if let Some(status) = f.status {
        q.push(" AND i.status = ").push_bind(status.as_str());
    }
}

/// Runs `SELECT COUNT(*) FROM {from}` with the WHERE clause `push_where` adds.
async fn count(
    conn: &mut PgConnection,
    from: &str,
    push_where: impl FnOnce(&mut QueryBuilder<'_, Postgres>),
) -> StoreResult<i64> {
    let mut q = QueryBuilder::<Postgres>::new(format!("SELECT COUNT(*) FROM {from}"));
    push_where(&mut q);
    q.build_query_scalar().fetch_one(conn).await.map_err(db_err)
}

/// A page of rows from `columns` (a SELECT ... FROM ... with joins) with its WHERE clause from
/// `push_where`, ordered by `order`, plus the total count over `count_from`.
async fn listing<R, T>(
    conn: &mut PgConnection,
    (columns, count_from, order): (&str, &str, &str),
    push_where: impl Fn(&mut QueryBuilder<'_, Postgres>),
    limit: i64,
    offset: i64,
) -> StoreResult<Listing<T>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
    T: TryFrom<R, Error = crate::storage::StoreError>,
{
    let mut q = QueryBuilder::<Postgres>::new(columns);
    push_where(&mut q);
    q.push(format!(" ORDER BY {order} LIMIT ")).push_bind(limit);
    q.push(" OFFSET ").push_bind(offset);
    let rows: Vec<R> = q
        .build_query_as()
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    let items = rows
        .into_iter()
        .map(T::try_from)
        .collect::<StoreResult<Vec<_>>>()?;
    let total = count(conn, count_from, push_where).await?;
    Ok(Listing { items, total })
}

pub(super) async fn incidents(
    conn: &mut PgConnection,
    f: &IncidentFilter,
    limit: i64,
    offset: i64,
) -> StoreResult<Listing<Incident>> {
    let sql = (
        INCIDENT_COLUMNS,
        "incidents i JOIN brands b ON b.id = i.brand_id",
        "i.opened_at DESC, i.id DESC",
    );
    listing::<IncidentRecord, _>(conn, sql, |q| push_incident_where(q, f), limit, offset).await
}

fn push_ticket_where(q: &mut QueryBuilder<'_, Postgres>, f: &TicketFilter) {
    q.push(" WHERE 1 = 1");
    if let Some(brand) = &f.brand {
        q.push(" AND b.name = ").push_bind(brand.clone());
    }
    push_scope(q, f.scope.as_deref());
    if let Some(status) = f.status {
        q.push(" AND t.status = ").push_bind(status.as_str());
    }
    if let Some(customer) = f.customer_id {
        q.push(" AND t.customer_id = ").push_bind(customer);
    }
    if let Some(priority) = &f.priority {
        q.push(" AND t.priority = ").push_bind(priority.clone());
    }
    if let Some(team) = &f.team {
        q.push(" AND t.team = ").push_bind(team.clone());
    }
    if let Some(assignee) = &f.assignee {
        q.push(" AND t.assignee = ").push_bind(assignee.clone());
    }
    if let Some(category) = &f.category {
        q.push(" AND t.category = ").push_bind(category.clone());
    }
}

pub(super) async fn tickets(
    conn: &mut PgConnection,
    f: &TicketFilter,
    limit: i64,
    offset: i64,
) -> StoreResult<Listing<Ticket>> {
    // Counted over the tickets alone when nothing filters by the brand's name (every ticket
    // has a brand, so the join removes nothing), as on SQLite.
    let count_from = if f.brand.is_none() && f.scope.is_none() {
        "tickets t"
    } else {
        "tickets t JOIN brands b ON b.id = t.brand_id"
    };
    let sql = (TICKET_COLUMNS, count_from, "t.updated_at DESC, t.id DESC");
    listing::<TicketRecord, _>(conn, sql, |q| push_ticket_where(q, f), limit, offset).await
}

pub(super) async fn customer(conn: &mut PgConnection, id: i64) -> StoreResult<Option<Customer>> {
    let sql = format!("{CUSTOMER_COLUMNS} WHERE id = $1");
    let row: Option<CustomerRecord> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await
        .map_err(db_err)?;
    Ok(row.map(Customer::from))
}

pub(super) async fn identities(
    conn: &mut PgConnection,
    customer_id: i64,
) -> StoreResult<Vec<Identity>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT network, value FROM customer_identities WHERE customer_id = $1 ORDER BY network, value",
    )
    .bind(customer_id)
    .fetch_all(conn)
    .await
    .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|(network, value)| Identity { network, value })
        .collect())
}

pub(super) async fn feeds(conn: &mut PgConnection) -> StoreResult<Vec<FeedRow>> {
    let rows: Vec<FeedRecord> = sqlx::query_as(
        "SELECT f.id, f.name, b.name AS brand, f.kind, f.last_polled_at, f.last_success_at,
            f.last_error, f.last_error_at, f.consecutive_failures, f.mentions_total,
            f.state, f.next_run_at, f.last_mention_at
         FROM feeds f JOIN brands b ON b.id = f.brand_id ORDER BY f.name",
    )
    .fetch_all(conn)
    .await
    .map_err(db_err)?;
    Ok(rows.into_iter().map(FeedRow::from).collect())
}

pub(super) async fn incident_by_id(
    conn: &mut PgConnection,
    id: i64,
) -> StoreResult<Option<Incident>> {
    let sql = format!("{INCIDENT_COLUMNS} WHERE i.id = $1");
    let row: Option<IncidentRecord> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await
        .map_err(db_err)?;
    row.map(Incident::try_from).transpose()
}
