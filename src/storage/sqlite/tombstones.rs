//! Erasure tombstones: salted hashes of what identified an erased person (external reference,
//! e-mail, phone, identities), so a later import does not bring them back. The salt is random
//! per installation (migration 0017), so the hashes cannot be matched against a list of
//! e-mails from elsewhere.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

use super::{db_err, ms};
use crate::domain::Identity;
use crate::storage::StoreResult;

/// The installation's tombstone salt.
async fn salt(conn: &mut SqliteConnection) -> StoreResult<String> {
    sqlx::query_scalar("SELECT value FROM install WHERE key = 'salt'")
        .fetch_one(conn)
        .await
        .map_err(db_err)
}

fn hash(salt: &str, kind: &str, value: &str) -> String {
    let mut h = Sha256::new();
    for part in [salt, kind, value.trim().to_lowercase().as_str()] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(h.finalize())
}

/// The tombstone hashes of a person known by `external_ref` and `identities`.
pub(in crate::storage) fn hashes(
    salt: &str,
    external_ref: Option<&str>,
    identities: &[Identity],
) -> Vec<String> {
    let refs = external_ref
        .filter(|r| !r.trim().is_empty())
        .map(|r| hash(salt, "ref", r));
    let ids = identities
        .iter()
        .filter(|i| !i.value.is_empty())
        .map(|i| hash(salt, &format!("id:{}", i.network), &i.value));
    refs.into_iter().chain(ids).collect()
}

/// Whether any of these marks belongs to an erased person.
pub(super) async fn is_erased(
    conn: &mut SqliteConnection,
    external_ref: Option<&str>,
    identities: &[Identity],
) -> StoreResult<bool> {
    let salt = salt(conn).await?;
    for h in hashes(&salt, external_ref, identities) {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM erased_subjects WHERE hash = ?")
            .bind(&h)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?;
        if found.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Records tombstones for customer `id` (before their data is erased).
pub(super) async fn bury(
    conn: &mut SqliteConnection,
    id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let salt = salt(conn).await?;
    let (external_ref, email, phone): (Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT external_ref, email, phone FROM customers WHERE id = ?")
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err)?;
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT network, value FROM customer_identities WHERE customer_id = ?")
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
    for h in hashes(&salt, external_ref.as_deref(), &identities) {
        sqlx::query("INSERT OR IGNORE INTO erased_subjects (hash, erased_at) VALUES (?, ?)")
            .bind(h)
            .bind(ms(now))
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_ignore_case_and_depend_on_the_salt() {
        let ids = [Identity::new("email", "Ana@Example.com")];
        let a = hashes("s1", Some(" C1 "), &ids);
        assert_eq!(
            a,
            hashes(
                "s1",
                Some("c1"),
                &[Identity::new("email", "ana@example.com")]
            )
        );
        assert_ne!(a, hashes("s2", Some("c1"), &ids));
        assert_eq!(a.len(), 2);
        assert!(hashes("s1", Some(" "), &[]).is_empty());
    }
}
