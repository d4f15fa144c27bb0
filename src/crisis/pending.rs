//! The incident and baseline writes of one ingest page, kept in memory and written once at
//! its end: the mentions attached to incidents (one multi-row link statement and one count
//! update) and their terms (one upsert per incident), instead of a status read, a link, a
//! count update and a term upsert per attached mention; and the baselines the page's hours
//! taught (one upsert of every slot it changed, and the fold position), instead of two
//! statements per hour learned.
//!
//! Nothing the detector reads inside the page's transaction depends on these rows (the
//! incident's counts and top terms are kept in [`super::active::ActiveIncident`], the learned
//! slots in [`super::learn::Learned`]), and they live in the brand's state, so a page that
//! fails drops them with the state it rebuilds.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

use crate::domain::SlotBaseline;
use crate::storage::crisis::BaselineRow;
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
    /// Learned baselines, per `(category, slot)` (the latest value of each).
    baselines: BTreeMap<(String, String), SlotBaseline>,
    /// How far the brand's hours are folded, once the page moved it.
    folded_until: Option<DateTime<Utc>>,
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

    /// Records learned baseline rows (a later row of the same slot replaces an earlier one).
    pub fn learned(&mut self, rows: &[BaselineRow]) {
        for row in rows {
            let key = (row.category.clone(), row.slot.clone());
            self.baselines.insert(key, row.baseline);
        }
    }

    /// Records the brand's new fold position.
    pub fn folded(&mut self, until: DateTime<Utc>) {
        self.folded_until = Some(until);
    }

    /// Whether learned baselines or a fold position wait to be written.
    pub fn learning_pending(&self) -> bool {
        !self.baselines.is_empty() || self.folded_until.is_some()
    }

    /// Writes what the page attached and learned, and starts afresh for the next page.
    pub async fn flush<T: StoreTx>(&mut self, tx: &mut T, brand_id: i64) -> StoreResult<()> {
        let page = std::mem::take(self);
        tx.attach_to_incidents(&page.links).await?;
        for (incident_id, terms) in &page.terms {
            tx.add_incident_terms(*incident_id, terms).await?;
        }
        if !page.baselines.is_empty() {
            let rows: Vec<BaselineRow> = page
                .baselines
                .into_iter()
                .map(|((category, slot), baseline)| BaselineRow {
                    category,
                    slot,
                    baseline,
                })
                .collect();
            tx.save_baselines(brand_id, &rows).await?;
        }
        if let Some(until) = page.folded_until {
            tx.set_baseline_folded_until(brand_id, until).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Counts;

    fn row(category: &str, slot: &str, total: f64) -> BaselineRow {
        BaselineRow {
            category: category.into(),
            slot: slot.into(),
            baseline: SlotBaseline {
                mean: Counts {
                    total,
                    ..Counts::default()
                },
                observations: 1,
            },
        }
    }

    #[test]
    fn a_slot_learned_twice_in_a_page_is_written_once_with_its_last_value() {
        // Two hours of one page both fold into the `all` slot: one upsert may not name a key
        // twice (PostgreSQL refuses it), and the later value is the one that counts.
        let mut page = PageWrites::default();
        assert!(!page.learning_pending());
        page.learned(&[row("", "all", 1.0), row("", "how:1", 1.0)]);
        page.learned(&[row("", "all", 2.0), row("", "how:2", 2.0)]);
        let totals: Vec<(&str, f64)> = page
            .baselines
            .iter()
            .map(|((_, slot), b)| (slot.as_str(), b.mean.total))
            .collect();
        assert_eq!(totals, [("all", 2.0), ("how:1", 1.0), ("how:2", 2.0)]);
        assert!(page.learning_pending());
        let _ = std::mem::take(&mut page);
        assert!(!page.learning_pending());
    }
}
