//! `vigia customers import FILE.csv`: customer profiles with their identities.
//!
//! Columns (header required, order free): `ref,name,email,phone,lang,tier,identities`, where
//! `identities` is a `;`-separated list of `network:handle` (e.g. `x:luz_mtz;mastodon:luz@mastodon.social`).
//! Optional columns `notes`, `consent_contact` and `consent_survey` (`yes`/`no`) may follow.
//! The e-mail and the phone also become identities. Only `ref` is required. Importing the same `ref` again updates the profile. A bad row is
//! reported with its line number and skipped; the other rows are imported.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::io::Read;

use crate::domain::Identity;
use crate::storage::{CustomerImport, ImportOutcome, Store, StoreError};

#[derive(Debug, Deserialize)]
struct Row {
    #[serde(rename = "ref")]
    external_ref: String,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    lang: Option<String>,
    tier: Option<String>,
    identities: Option<String>,
    notes: Option<String>,
    consent_contact: Option<String>,
    consent_survey: Option<String>,
}

/// `yes`/`true`/`1`/`sí` or `no`/`false`/`0`/empty.
fn flag(v: Option<&str>, column: &str) -> Result<bool, String> {
    match v.map(|s| s.trim().to_lowercase()).as_deref() {
        None | Some("") | Some("no") | Some("false") | Some("0") => Ok(false),
        Some("yes") | Some("true") | Some("1") | Some("si") | Some("sí") => Ok(true),
        Some(other) => Err(format!("{column} '{other}' is not yes or no")),
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    /// Rows of people erased earlier (right to erasure): skipped.
    pub erased: usize,
    /// `(line, problem)` for each row that was skipped.
    pub errors: Vec<(u64, String)>,
}

/// Parses one `network:handle` list.
pub fn parse_identities(field: &str) -> Result<Vec<Identity>, String> {
    field
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| match item.split_once(':') {
            Some((network, handle)) if !network.trim().is_empty() && !handle.trim().is_empty() => {
                Ok(Identity::new(network, handle))
            }
            _ => Err(format!(
                "identity '{item}' is not of the form network:handle"
            )),
        })
        .collect()
}

fn to_import(row: Row) -> Result<CustomerImport, String> {
    let external_ref = row.external_ref.trim().to_owned();
    if external_ref.is_empty() {
        return Err("ref is empty".into());
    }
    let clean = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let email = clean(row.email);
    if let Some(e) = &email {
        if !e.contains('@') {
            return Err(format!("email '{e}' has no @"));
        }
    }
    Ok(CustomerImport {
        external_ref,
        name: clean(row.name),
        email,
        phone: clean(row.phone),
        lang: clean(row.lang),
        tier: clean(row.tier),
        identities: parse_identities(row.identities.as_deref().unwrap_or(""))?,
        consent_contact: flag(row.consent_contact.as_deref(), "consent_contact")?,
        consent_survey: flag(row.consent_survey.as_deref(), "consent_survey")?,
        notes: clean(row.notes),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the CSV header: {0}")]
    Header(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports every valid row of `reader`; database errors abort, row errors are collected.
pub async fn import_csv<S: Store, R: Read>(
    store: &S,
    reader: R,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::default();
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| ImportError::Header(e.to_string()))?
        .clone();
    let mut record = csv::StringRecord::new();
    loop {
        let line = csv.position().line() + 1;
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                report.errors.push((line, e.to_string()));
                continue;
            }
        }
        let parsed = record
            .deserialize::<Row>(Some(&headers))
            .map_err(|e| e.to_string())
            .and_then(to_import);
        match parsed {
            Ok(customer) => match store.import_customer(&customer, now).await? {
                ImportOutcome::Created => report.created += 1,
                ImportOutcome::Updated => report.updated += 1,
                ImportOutcome::Erased => report.erased += 1,
            },
            Err(problem) => report
                .errors
                .push((record.position().map_or(line, |p| p.line()), problem)),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_parse_and_normalize() {
        let ids = parse_identities("x:@Luz_Mtz; mastodon:luz@mastodon.social;").unwrap();
        assert_eq!(
            ids,
            vec![
                Identity::new("x", "luz_mtz"),
                Identity::new("mastodon", "luz@mastodon.social")
            ]
        );
        assert!(parse_identities("x").is_err());
        assert!(parse_identities("x:").is_err());
    }

    #[test]
    fn consent_columns_read_yes_and_no() {
        assert_eq!(flag(Some("Sí"), "c"), Ok(true));
        assert_eq!(flag(Some(" yes "), "c"), Ok(true));
        assert_eq!(flag(None, "c"), Ok(false));
        assert_eq!(flag(Some("no"), "c"), Ok(false));
        assert!(
            flag(Some("maybe"), "consent_survey")
                .unwrap_err()
                .contains("consent_survey")
        );
    }
}
