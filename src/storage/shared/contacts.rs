//! Profiles by the contacts found in a customer's posts (merge suggestions), on either back
//! end: one query, each side repeating the expression its index is built on
//! (`customers_email_lower`, `customers_phone_digits`), so no lookup reads every profile.

use super::{Db, POSTGRES, db_err};
use crate::storage::StoreResult;

/// Unmerged profiles by contact: the first parameter a JSON array of lower-cased e-mails,
/// the second of phones in digits (and `+`). A profile can come out once per side.
pub(super) const BY_CONTACT: &str = if POSTGRES {
    "SELECT lower(email), id FROM customers WHERE merged_into IS NULL
       AND lower(email) IN (SELECT value FROM jsonb_array_elements_text($1::jsonb))
     UNION ALL
     SELECT phone, id FROM customers WHERE merged_into IS NULL AND phone IS NOT NULL
       AND replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', '')
           IN (SELECT value FROM jsonb_array_elements_text($2::jsonb))"
} else {
    "SELECT lower(email), id FROM customers WHERE merged_into IS NULL
       AND lower(email) IN (SELECT value FROM json_each(?1))
     UNION ALL
     SELECT phone, id FROM customers WHERE merged_into IS NULL AND phone IS NOT NULL
       AND replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', '')
           IN (SELECT value FROM json_each(?2))"
};

/// `(contact, profile id)` of the unmerged profiles with one of `emails` (lower-cased) or
/// `phones` (digits); the phone as the profile stores it.
pub(super) async fn by_contact(
    pool: &sqlx::Pool<Db>,
    emails: &[String],
    phones: &[String],
) -> StoreResult<Vec<(String, i64)>> {
    let json = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    sqlx::query_as(BY_CONTACT)
        .bind(json(emails))
        .bind(json(phones))
        .fetch_all(pool)
        .await
        .map_err(db_err)
}
