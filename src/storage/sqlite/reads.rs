//! Read queries behind the HTTP API. Filters are built with `QueryBuilder`, values always bound.

use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteConnection};

use super::{db_err, from_ms, opt_from_ms};
use crate::domain::{Identity, IncidentStatus, TicketStatus};
use crate::storage::{
    CustomerRow, FeedRow, IncidentFilter, IncidentRow, Listing, MentionFilter, MentionRow,
    StoreError, StoreResult, TicketFilter, TicketRow,
};

const MENTION_COLUMNS: &str =
    "SELECT m.id, b.name AS brand, f.name AS feed, m.source, m.external_id,
    m.created_at, m.text, m.author_handle, m.author_name, m.author_followers, m.url, m.likes,
    m.reposts, m.replies, a.lang, a.compound, a.label, m.customer_id,
    (SELECT group_concat(category, ',') FROM (SELECT category FROM mention_categories c
        WHERE c.mention_id = m.id ORDER BY category)) AS categories
    FROM mentions m JOIN analyses a ON a.mention_id = m.id
    JOIN brands b ON b.id = m.brand_id JOIN feeds f ON f.id = m.feed_id";

#[derive(FromRow)]
struct MentionRecord {
    id: i64,
    brand: String,
    feed: String,
    source: String,
    external_id: String,
    created_at: i64,
    text: String,
    author_handle: String,
    author_name: Option<String>,
    author_followers: Option<i64>,
    url: Option<String>,
    likes: i64,
    reposts: i64,
    replies: i64,
    lang: String,
    compound: f64,
    label: String,
    customer_id: Option<i64>,
    categories: Option<String>,
}

impl From<MentionRecord> for MentionRow {
    fn from(r: MentionRecord) -> Self {
        MentionRow {
            id: r.id,
            brand: r.brand,
            feed: r.feed,
            source: r.source,
            external_id: r.external_id,
            created_at: from_ms(r.created_at),
            text: r.text,
            author_handle: r.author_handle,
            author_name: r.author_name,
            author_followers: r.author_followers,
            url: r.url,
            likes: r.likes,
            reposts: r.reposts,
            replies: r.replies,
            lang: r.lang,
            sentiment: r.compound,
            label: r.label,
            categories: r
                .categories
                .map(|c| c.split(',').map(str::to_owned).collect())
                .unwrap_or_default(),
            customer_id: r.customer_id,
        }
    }
}

fn push_mention_where(q: &mut QueryBuilder<'_, Sqlite>, f: &MentionFilter) {
    q.push(" WHERE 1 = 1");
    if let Some(brand) = &f.brand {
        q.push(" AND b.name = ").push_bind(brand.clone());
    }
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
        q.push(" AND m.text LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\'");
    }
    if let Some(customer) = f.customer_id {
        q.push(" AND m.customer_id = ").push_bind(customer);
    }
    if let Some(ids) = &f.ids {
        q.push(" AND m.id IN (SELECT value FROM json_each(")
            .push_bind(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
            .push("))");
    }
}

/// Mentions matching `filter`, newest first.
pub(super) async fn mentions_by_filter(
    conn: &mut SqliteConnection,
    filter: &MentionFilter,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<MentionRow>> {
    let mut q = QueryBuilder::<Sqlite>::new(MENTION_COLUMNS);
    push_mention_where(&mut q, filter);
    q.push(" ORDER BY m.created_at DESC, m.id DESC LIMIT ")
        .push_bind(limit);
    q.push(" OFFSET ").push_bind(offset);
    let rows: Vec<MentionRecord> = q.build_query_as().fetch_all(conn).await.map_err(db_err)?;
    Ok(rows.into_iter().map(MentionRow::from).collect())
}

pub(super) async fn count_mentions(
    conn: &mut SqliteConnection,
    filter: &MentionFilter,
) -> StoreResult<i64> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT COUNT(*) FROM mentions m JOIN analyses a ON a.mention_id = m.id JOIN brands b ON b.id = m.brand_id",
    );
    push_mention_where(&mut q, filter);
    q.build_query_scalar().fetch_one(conn).await.map_err(db_err)
}

fn push_incident_where(q: &mut QueryBuilder<'_, Sqlite>, f: &IncidentFilter) {
    q.push(" WHERE 1 = 1");
    if let Some(brand) = &f.brand {
        q.push(" AND b.name = ").push_bind(brand.clone());
    }
    if let Some(status) = f.status {
        q.push(" AND i.status = ").push_bind(status.as_str());
    }
}

pub(super) async fn incidents(
    conn: &mut SqliteConnection,
    f: &IncidentFilter,
    limit: i64,
    offset: i64,
) -> StoreResult<Listing<IncidentRow>> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT i.id, b.name, i.status, i.trigger, i.opened_at, i.last_mention_at, i.mention_count
         FROM incidents i JOIN brands b ON b.id = i.brand_id",
    );
    push_incident_where(&mut q, f);
    q.push(" ORDER BY i.opened_at DESC, i.id DESC LIMIT ")
        .push_bind(limit);
    q.push(" OFFSET ").push_bind(offset);
    let rows: Vec<(i64, String, String, String, i64, i64, i64)> = q
        .build_query_as()
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    let items = rows
        .into_iter()
        .map(|(id, brand, status, trigger, opened, last, count)| {
            Ok(IncidentRow {
                id,
                brand,
                status: IncidentStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("incident status {status}")))?,
                trigger: serde_json::from_str(&trigger)
                    .map_err(|e| StoreError::Corrupt(format!("incident trigger: {e}")))?,
                opened_at: from_ms(opened),
                last_mention_at: from_ms(last),
                mention_count: count,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let mut c = QueryBuilder::<Sqlite>::new(
        "SELECT COUNT(*) FROM incidents i JOIN brands b ON b.id = i.brand_id",
    );
    push_incident_where(&mut c, f);
    let total = c
        .build_query_scalar()
        .fetch_one(conn)
        .await
        .map_err(db_err)?;
    Ok(Listing { items, total })
}

fn push_ticket_where(q: &mut QueryBuilder<'_, Sqlite>, f: &TicketFilter) {
    q.push(" WHERE 1 = 1");
    if let Some(brand) = &f.brand {
        q.push(" AND b.name = ").push_bind(brand.clone());
    }
    if let Some(status) = f.status {
        q.push(" AND t.status = ").push_bind(status.as_str());
    }
    if let Some(customer) = f.customer_id {
        q.push(" AND t.customer_id = ").push_bind(customer);
    }
}

type TicketRecord = (
    i64,
    String,
    i64,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    i64,
    i64,
    i64,
);

pub(super) async fn tickets(
    conn: &mut SqliteConnection,
    f: &TicketFilter,
    limit: i64,
    offset: i64,
) -> StoreResult<Listing<TicketRow>> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT t.id, b.name, t.customer_id, c.name, c.external_ref, t.status, t.category, t.subject,
            t.opened_at, t.updated_at, t.mention_count
         FROM tickets t JOIN brands b ON b.id = t.brand_id JOIN customers c ON c.id = t.customer_id",
    );
    push_ticket_where(&mut q, f);
    q.push(" ORDER BY t.updated_at DESC, t.id DESC LIMIT ")
        .push_bind(limit);
    q.push(" OFFSET ").push_bind(offset);
    let rows: Vec<TicketRecord> = q
        .build_query_as()
        .fetch_all(&mut *conn)
        .await
        .map_err(db_err)?;
    let items = rows
        .into_iter()
        .map(
            |(
                id,
                brand,
                customer_id,
                customer_name,
                customer_ref,
                status,
                category,
                subject,
                opened,
                updated,
                count,
            )| {
                Ok(TicketRow {
                    id,
                    brand,
                    customer_id,
                    customer_name,
                    customer_ref,
                    status: TicketStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("ticket status {status}")))?,
                    category,
                    subject,
                    opened_at: from_ms(opened),
                    updated_at: from_ms(updated),
                    mention_count: count,
                })
            },
        )
        .collect::<StoreResult<Vec<_>>>()?;
    let mut c = QueryBuilder::<Sqlite>::new(
        "SELECT COUNT(*) FROM tickets t JOIN brands b ON b.id = t.brand_id",
    );
    push_ticket_where(&mut c, f);
    let total = c
        .build_query_scalar()
        .fetch_one(conn)
        .await
        .map_err(db_err)?;
    Ok(Listing { items, total })
}

type CustomerRecord = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

pub(super) async fn customer(
    conn: &mut SqliteConnection,
    id: i64,
) -> StoreResult<Option<CustomerRow>> {
    let row: Option<CustomerRecord> = sqlx::query_as(
        "SELECT id, external_ref, name, email, phone, lang, tier, created_at FROM customers WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
    .map_err(db_err)?;
    Ok(row.map(
        |(id, external_ref, name, email, phone, lang, tier, created)| CustomerRow {
            id,
            external_ref,
            name,
            email,
            phone,
            lang,
            tier,
            created_at: from_ms(created),
        },
    ))
}

pub(super) async fn identities(
    conn: &mut SqliteConnection,
    customer_id: i64,
) -> StoreResult<Vec<Identity>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT network, value FROM customer_identities WHERE customer_id = ? ORDER BY network, value",
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

type FeedRecord = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    i64,
    i64,
);

pub(super) async fn feeds(conn: &mut SqliteConnection) -> StoreResult<Vec<FeedRow>> {
    let rows: Vec<FeedRecord> = sqlx::query_as(
        "SELECT f.id, f.name, b.name, f.kind, f.last_polled_at, f.last_success_at, f.last_error,
            f.last_error_at, f.consecutive_failures, f.mentions_total
         FROM feeds f JOIN brands b ON b.id = f.brand_id ORDER BY f.name",
    )
    .fetch_all(conn)
    .await
    .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, brand, kind, polled, success, error, error_at, failures, total)| FeedRow {
                id,
                name,
                brand,
                kind,
                last_polled_at: opt_from_ms(polled),
                last_success_at: opt_from_ms(success),
                last_error: error,
                last_error_at: opt_from_ms(error_at),
                consecutive_failures: failures,
                mentions_total: total,
            },
        )
        .collect())
}
