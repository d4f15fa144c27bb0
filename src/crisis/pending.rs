//! The incident writes of one ingest page, kept in memory and written once at its end: the
//! mentions attached to incidents (one multi-row link statement and one count update) and
//! their terms (one upsert per incident), instead of a status read, a link, a count update
//! and a term upsert per attached mention.
//!
//! Nothing the detector reads inside the page's transaction depends on these rows (the
//! incident's counts and top terms are kept in [`super::active::ActiveIncident`]), and they
//! live in the brand's state, so a page that fails drops them with the state it rebuilds.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

use crate::storage::{StoreResult, StoreTx};

#[derive(Default)]
pub struct PageWrites {
    /// `(incident, mention, at)`, in the order the mentions were attached.
    links: Vec<(i64, i64, DateTime<Utc>)>,
    /// Terms of the attached mentions, per incident (a term named twice counts twice).
    terms: BTreeMap<i64, Vec<String>>,
    /// The incident whose status was read as active in this page's transaction: nobody else
    /// can change it before the page commits on SQLite (one writer), and on PostgreSQL a
    /// person's resolve that commits meanwhile is ordered after the page, as if it had come a
    /// moment later.
    confirmed: Option<i64>,
}

impl PageWrites {
    /// Attaches the mention to the incident, with its terms.
    pub fn attach(
        &mut self,
        incident_id: i64,
        mention_id: i64,
        at: DateTime<Utc>,
        terms: &[String],
    ) {
        self.links.push((incident_id, mention_id, at));
        if !terms.is_empty() {
            self.terms
                .entry(incident_id)
                .or_default()
                .extend(terms.iter().cloned());
        }
    }

    /// How many mentions this page attached to `incident_id` with event time after `since`.
    pub fn attached_since(&self, incident_id: i64, since: DateTime<Utc>) -> i64 {
        let mine = self
            .links
            .iter()
            .filter(|(i, _, at)| *i == incident_id && *at > since);
        mine.count() as i64
    }

    /// Whether `incident_id`'s status was already read as active in this page.
    pub fn confirmed(&self, incident_id: i64) -> bool {
        self.confirmed == Some(incident_id)
    }

    pub fn confirm(&mut self, incident_id: i64) {
        self.confirmed = Some(incident_id);
    }

    /// Writes what the page attached and starts afresh for the next page.
    pub async fn flush<T: StoreTx>(&mut self, tx: &mut T) -> StoreResult<()> {
        let page = std::mem::take(self);
        tx.attach_to_incidents(&page.links).await?;
        for (incident_id, terms) in &page.terms {
            tx.add_incident_terms(*incident_id, terms).await?;
        }
        Ok(())
    }
}
