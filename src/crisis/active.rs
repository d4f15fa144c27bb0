//! A brand's active incident as the detector keeps it in memory: enough to decide, without a
//! query, whether a mention belongs to it (crisis categories, top terms, time of its latest
//! crisis signal) and whether its quiet time has passed.

use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeSet, HashMap};

use super::CrisisPolicy;
use crate::domain::{SentimentLabel, Severity, Trigger};
use crate::storage::crisis::ActiveIncidentRow;

/// How many of the incident's most frequent terms a mention is compared with.
pub const TOP_TERMS: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct ActiveIncident {
    pub id: i64,
    pub severity: Severity,
    pub trigger: Trigger,
    pub mention_count: i64,
    /// Event time of the latest crisis-level signal (or of a person's reopening).
    pub last_signal_at: DateTime<Utc>,
    /// Categories its signals named, never an everyday one.
    pub categories: BTreeSet<String>,
    terms: HashMap<String, i64>,
    /// The `TOP_TERMS` most frequent terms: count descending, then term.
    top: Vec<(String, i64)>,
}

impl ActiveIncident {
    pub fn new(id: i64, severity: Severity, trigger: Trigger, at: DateTime<Utc>) -> Self {
        ActiveIncident {
            id,
            severity,
            trigger,
            mention_count: 0,
            last_signal_at: at,
            categories: BTreeSet::new(),
            terms: HashMap::new(),
            top: Vec::new(),
        }
    }

    pub fn from_row(row: ActiveIncidentRow) -> Self {
        let i = row.incident;
        let mut a = ActiveIncident::new(i.id, i.severity, i.trigger, row.last_signal_at);
        a.mention_count = i.mention_count;
        a.categories = row.crisis_categories.into_iter().collect();
        a.terms = row.terms.into_iter().collect();
        let mut all: Vec<(String, i64)> = a.terms.iter().map(|(t, c)| (t.clone(), *c)).collect();
        all.sort_by(order);
        all.truncate(TOP_TERMS);
        a.top = all;
        a
    }

    /// The moment its quiet time ends: no signal since then closes it.
    pub fn closes_at(&self, policy: &CrisisPolicy) -> DateTime<Utc> {
        self.last_signal_at + Duration::minutes(policy.quiet_minutes)
    }

    /// Counts a mention's terms, keeping the top list exact (counts only grow, so a term
    /// enters the top only when its own count rises).
    pub fn add_terms(&mut self, terms: &[String]) {
        for t in terms {
            let n = self.terms.entry(t.clone()).or_default();
            *n += 1;
            let entry = (t.clone(), *n);
            match self.top.iter().position(|(x, _)| x == t) {
                Some(i) => self.top[i] = entry,
                None if self.top.len() < TOP_TERMS => self.top.push(entry),
                None => {
                    let last = self.top.last().expect("top is full");
                    if order(&entry, last).is_lt() {
                        *self.top.last_mut().expect("top is full") = entry;
                    }
                }
            }
            self.top.sort_by(order);
        }
    }

    pub fn top_terms(&self) -> &[(String, i64)] {
        &self.top
    }

    /// Whether an ordinary mention (no crisis signal of its own) joins: not positive, near
    /// the latest signal in time, and sharing a crisis category or enough top terms.
    pub fn fits(
        &self,
        policy: &CrisisPolicy,
        label: SentimentLabel,
        categories: &[String],
        terms: &[String],
        at: DateTime<Utc>,
    ) -> bool {
        if label == SentimentLabel::Positive {
            return false;
        }
        let near = Duration::minutes(policy.attach_window_minutes);
        if at - self.last_signal_at > near || self.last_signal_at - at > near {
            return false;
        }
        if categories.iter().any(|c| self.categories.contains(c)) {
            return true;
        }
        let shared = self.top.iter().filter(|(t, _)| terms.contains(t)).count();
        shared as i64 >= policy.attach_min_shared_terms
    }
}

fn order(a: &(String, i64), b: &(String, i64)) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_terms_stay_exact_as_counts_grow() {
        let t0 = "2026-03-02T00:00:00Z".parse().unwrap();
        let trigger = Trigger::CriticalCategory {
            category: "safety".into(),
        };
        let mut a = ActiveIncident::new(1, Severity::Critical, trigger, t0);
        let words = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        for i in 0..12 {
            a.add_terms(&words(&format!("term{i:02} common")));
        }
        a.add_terms(&words("term11 term11b"));
        a.add_terms(&words("term11"));
        let top: Vec<&str> = a.top_terms().iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(top[..2], ["common", "term11"]);
        assert_eq!(top.len(), TOP_TERMS);
        // The same list as sorting every count.
        let mut all: Vec<(String, i64)> = a.terms.iter().map(|(t, c)| (t.clone(), *c)).collect();
        all.sort_by(order);
        all.truncate(TOP_TERMS);
        assert_eq!(a.top_terms(), &all[..]);
    }
}
