//! Erasure tombstones on PostgreSQL: the same salted hashes as SQLite's
//! ([`hashes`](crate::storage::sqlite::tombstones::hashes)), with the salt of this database.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::{db_err, ms};
use crate::domain::Identity;
use crate::storage::StoreResult;
use crate::storage::sqlite::tombstones::hashes;

/// The installation's tombstone salt.
async fn salt(conn: &mut PgConnection) -> StoreResult<String> {
    sqlx::query_scalar("SELECT value FROM install WHERE key = 'salt'")
        .fetch_one(conn)
        .await
        .map_err(db_err)
}

/// Whether any of these marks belongs to an erased person.
pub(super) async fn is_erased(
    conn: &mut PgConnection,
    external_ref: Option<&str>,
    identities: &[Identity],
) -> StoreResult<bool> {
    let salt = salt(conn).await?;
    let marks = hashes(&salt, external_ref, identities);
    if marks.is_empty() {
        return Ok(false);
    }
    let found: Option<i32> =
        sqlx::query_scalar("SELECT 1 FROM erased_subjects WHERE hash = ANY($1) LIMIT 1")
            .bind(&marks)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
    Ok(found.is_some())
}

/// Records tombstones for customer `id` (before their data is erased).
pub(super) async fn bury(conn: &mut PgConnection, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    let salt = salt(conn).await?;
    let (external_ref, email, phone): (Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT external_ref, email, phone FROM customers WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err)?;
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT network, value FROM customer_identities WHERE customer_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
    let mut identities: Vec<Identity> = rows
        .iter()
        .map(|(network, value)| Identity::new(network, value))
        .collect();
    identities.extend(email.iter().map(|e| Identity::new("email", e)));
    identities.extend(phone.iter().map(|p| Identity::new("phone", p)));
    let marks = hashes(&salt, external_ref.as_deref(), &identities);
    sqlx::query(
        "INSERT INTO erased_subjects (hash, erased_at) SELECT h, $2 FROM unnest($1::TEXT[]) AS h
         ON CONFLICT DO NOTHING",
    )
    .bind(&marks)
    .bind(ms(now))
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(())
}
