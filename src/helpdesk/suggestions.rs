//! Merge suggestions: e-mail addresses and phone numbers written in a customer's posts that
//! belong to another profile. They are only ever offered to a person; nothing merges on its own.

use regex::Regex;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::LazyLock;

use crate::domain::{Identity, normalize_phone};
use crate::storage::{HelpdeskStore, MentionRow, StoreResult};

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}\b")
        .expect("valid e-mail pattern")
});
/// A run of digits with optional `+`, spaces, dots, dashes or parentheses between them.
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\+?\d[\d\s().\-]{7,}\d").expect("valid phone pattern"));

/// E-mail addresses in `text`, lower case.
pub fn emails_in(text: &str) -> BTreeSet<String> {
    EMAIL
        .find_iter(text)
        .map(|m| m.as_str().to_lowercase())
        .collect()
}

/// Phone numbers in `text` with 9 to 15 digits, normalized to digits (with a leading `+` if
/// written).
pub fn phones_in(text: &str) -> BTreeSet<String> {
    PHONE
        .find_iter(text)
        .filter_map(|m| normalize_phone(m.as_str()))
        .collect()
}

/// One suggestion: `other_id` could be the same person, because `mention_id` contains `value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergeSuggestion {
    pub other_id: i64,
    /// `email` or `phone`.
    pub kind: &'static str,
    pub value: String,
    pub mention_id: i64,
}

/// Suggestions for `customer_id` from its mentions (profiles already merged are left out).
pub async fn suggest<S: HelpdeskStore>(
    store: &S,
    customer_id: i64,
    mentions: &[MentionRow],
) -> StoreResult<Vec<MergeSuggestion>> {
    let mut found: Vec<(&'static str, String, i64)> = Vec::new();
    for m in mentions {
        found.extend(emails_in(&m.text).into_iter().map(|e| ("email", e, m.id)));
        found.extend(phones_in(&m.text).into_iter().map(|p| ("phone", p, m.id)));
    }
    let identities: Vec<Identity> = found
        .iter()
        .map(|(kind, v, _)| Identity::new(kind, v))
        .collect();
    let mut owners: Vec<(String, i64)> = store
        .identity_owners(&identities)
        .await?
        .into_iter()
        .map(|(i, id)| (i.value, id))
        .collect();
    let emails: Vec<String> = found
        .iter()
        .filter(|f| f.0 == "email")
        .map(|f| f.1.clone())
        .collect();
    let phones: Vec<String> = found
        .iter()
        .filter(|f| f.0 == "phone")
        .map(|f| f.1.clone())
        .collect();
    owners.extend(store.customers_by_contact(&emails, &phones).await?);
    let mut out: Vec<MergeSuggestion> = Vec::new();
    for (kind, value, mention_id) in found {
        for (v, other_id) in &owners {
            let same = v == &value || v.replace([' ', '-', '(', ')'], "") == value;
            let s = MergeSuggestion {
                other_id: *other_id,
                kind,
                value: value.clone(),
                mention_id,
            };
            if same && *other_id != customer_id && !out.contains(&s) {
                out.push(s);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_emails_and_phones_in_hostile_text() {
        let t = "escríbanme a Luz.Martinez@Example.com o al +52 55 4182 7730 🙏 pedido 12345";
        assert_eq!(
            emails_in(t),
            BTreeSet::from(["luz.martinez@example.com".to_owned()])
        );
        assert_eq!(phones_in(t), BTreeSet::from(["+525541827730".to_owned()]));
        assert!(phones_in("pedido 12345 llegó a las 10:30").is_empty());
        assert!(emails_in("@rapiplato no sirve").is_empty());
    }
}
