//! Customer profile statements outside the ingest transaction: creation, identities, lookups
//! for merge suggestions and the Customer 360 reads.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use super::records::{INCIDENT_COLUMNS, IncidentRecord};
use super::{db_err, ms};
use crate::domain::{Identity, Incident};
use crate::storage::{NewCustomer, SentimentPoint, StoreError, StoreResult};

/// The `customers` row of a new profile (identities are added by the caller).
pub(super) async fn insert_row(
    conn: &mut PgConnection,
    c: &NewCustomer,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO customers (external_ref, name, email, phone, lang, tier, notes,
            consent_contact, consent_survey, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(&c.external_ref)
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.lang)
    .bind(&c.tier)
    .bind(&c.notes)
    .bind(c.consent_contact)
    .bind(c.consent_survey)
    .bind(ms(now))
    .fetch_one(conn)
    .await
    .map_err(db_err)
}

pub(super) async fn create(pool: &PgPool, c: &NewCustomer, now: DateTime<Utc>) -> StoreResult<i64> {
    let mut tx = pool.begin().await.map_err(db_err)?;
    let id = insert_row(&mut tx, c, now).await?;
    for identity in &c.identities {
        insert_identity(&mut tx, id, identity).await?;
    }
    tx.commit().await.map_err(db_err)?;
    Ok(id)
}

async fn insert_identity(
    conn: &mut sqlx::PgConnection,
    customer_id: i64,
    identity: &Identity,
) -> StoreResult<()> {
    let owner: Option<i64> = sqlx::query_scalar(
        "SELECT customer_id FROM customer_identities WHERE network = $1 AND value = $2",
    )
    .bind(&identity.network)
    .bind(&identity.value)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db_err)?;
    match owner {
        Some(o) if o == customer_id => Ok(()),
        Some(o) => Err(StoreError::Conflict(format!(
            "identity {}:{} belongs to customer {o}",
            identity.network, identity.value
        ))),
        None => {
            sqlx::query(
                "INSERT INTO customer_identities (customer_id, network, value) VALUES ($1, $2, $3)",
            )
            .bind(customer_id)
            .bind(&identity.network)
            .bind(&identity.value)
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
            Ok(())
        }
    }
}

pub(super) async fn add_identity(
    pool: &PgPool,
    customer_id: i64,
    identity: &Identity,
) -> StoreResult<()> {
    let mut tx = pool.begin().await.map_err(db_err)?;
    insert_identity(&mut tx, customer_id, identity).await?;
    tx.commit().await.map_err(db_err)
}

pub(super) async fn identity_owners(
    pool: &PgPool,
    identities: &[Identity],
) -> StoreResult<Vec<(Identity, i64)>> {
    let mut out = Vec::new();
    for identity in identities {
        let owner: Option<i64> = sqlx::query_scalar(
            "SELECT customer_id FROM customer_identities WHERE network = $1 AND value = $2",
        )
        .bind(&identity.network)
        .bind(&identity.value)
        .fetch_optional(pool)
        .await
        .map_err(db_err)?;
        if let Some(id) = owner {
            out.push((identity.clone(), id));
        }
    }
    Ok(out)
}

pub(super) async fn incidents(pool: &PgPool, customer_id: i64) -> StoreResult<Vec<Incident>> {
    let sql = format!(
        "{INCIDENT_COLUMNS} WHERE i.id IN (SELECT im.incident_id FROM incident_mentions im
            JOIN mentions m ON m.id = im.mention_id WHERE m.customer_id = $1)
         ORDER BY i.opened_at DESC"
    );
    let rows: Vec<IncidentRecord> = sqlx::query_as(&sql)
        .bind(customer_id)
        .fetch_all(pool)
        .await
        .map_err(db_err)?;
    rows.into_iter().map(Incident::try_from).collect()
}

pub(super) async fn sentiment_trend(
    pool: &PgPool,
    customer_id: i64,
    brands: Option<&[String]>,
) -> StoreResult<Vec<SentimentPoint>> {
    let rows: Vec<(String, i64, f64)> = sqlx::query_as(
        "SELECT to_char(to_timestamp(m.created_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, COUNT(*), AVG(a.compound)
         FROM mentions m JOIN analyses a ON a.mention_id = m.id JOIN brands b ON b.id = m.brand_id
         WHERE m.customer_id = $1
           AND ($2 IS NULL OR b.name IN (SELECT value FROM jsonb_array_elements_text($2::jsonb)))
         GROUP BY day ORDER BY day",
    )
    .bind(customer_id)
    .bind(brands.map(|b| serde_json::to_string(b).unwrap_or_else(|_| "[]".into())))
    .fetch_all(pool)
    .await
    .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|(day, mentions, average)| SentimentPoint {
            day,
            mentions,
            average,
        })
        .collect())
}
