//! Crisis detection: for each stored mention, learn the brand's baselines, run the detectors,
//! and decide whether the mention opens an incident, joins (and maybe raises) the brand's
//! active one, raises an informational notice, or is ordinary.
//!
//! Time is event time: windows and baselines are measured on the mentions' own timestamps,
//! never on the wall clock, so a live feed, a fast replay and a later backtest of the same
//! mentions reach the same incidents.

pub mod baseline;
pub mod detectors;
mod incident;
mod learn;
mod rules;
mod stats;
pub mod terms;
pub mod watch;

pub use incident::Lifecycle;
pub use rules::{CrisisPolicy, CrisisRules};

use chrono::{DateTime, Duration, Utc};

use crate::domain::{Analysis, Brand, Mention, SentimentLabel, Trigger};
use crate::notify::alerts::Alerter;
use crate::storage::{StoreResult, StoreTx};
use baseline::prior;
use detectors::{Post, Signal};

/// What the detector did with one mention.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ordinary,
    Opened {
        incident_id: i64,
        trigger: Trigger,
    },
    Attached {
        incident_id: i64,
    },
    /// An informational signal (a positive surge) was recorded; no incident.
    Notice {
        trigger: Trigger,
    },
}

pub struct Detector {
    rules: CrisisRules,
    pub(crate) lifecycle: Lifecycle,
}

/// One mention as the detectors see it.
pub struct Seen<'a> {
    pub brand: &'a Brand,
    pub mention_id: i64,
    pub mention: &'a Mention,
    pub analysis: &'a Analysis,
}

impl Detector {
    pub fn new(rules: CrisisRules, alerter: Alerter) -> Detector {
        Detector {
            rules,
            lifecycle: Lifecycle::new(alerter),
        }
    }

    pub fn rules(&self) -> &CrisisRules {
        &self.rules
    }

    /// Evaluates a freshly stored mention inside the ingest transaction.
    pub async fn on_mention<T: StoreTx>(
        &self,
        tx: &mut T,
        brand: &Brand,
        mention_id: i64,
        mention: &Mention,
        analysis: &Analysis,
        now: DateTime<Utc>,
    ) -> StoreResult<Outcome> {
        let policy = self.rules.policy(&brand.name);
        learn::learn_until(tx, brand.id, mention.created_at, &policy.baseline).await?;
        let seen = Seen {
            brand,
            mention_id,
            mention,
            analysis,
        };
        let signals = self.signals(tx, policy, &seen, now).await?;
        let (crises, notices): (Vec<Signal>, Vec<Signal>) =
            signals.into_iter().partition(Signal::is_crisis);
        let outcome = self
            .lifecycle
            .on_signals(tx, policy, &seen, &crises, now)
            .await?;
        if outcome != Outcome::Ordinary {
            return Ok(outcome);
        }
        match notices.into_iter().next() {
            Some(n) => self.lifecycle.notice(tx, policy, &seen, n, now).await,
            None => Ok(Outcome::Ordinary),
        }
    }

    /// Every detector's verdict on this mention, strongest first.
    async fn signals<T: StoreTx>(
        &self,
        tx: &mut T,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Signal>> {
        let (m, a) = (seen.mention, seen.analysis);
        let mut out = Vec::new();
        out.extend(detectors::critical_category(policy, &a.categories));
        let to = m.created_at;
        let from = to - Duration::minutes(policy.window_minutes);
        let window = tx.window_counts(seen.brand.id, from, to).await?;
        let cats: Vec<&str> = a.categories.iter().map(String::as_str).collect();
        let sets = learn::slots_at(tx, seen.brand.id, to, &cats).await?;
        let expected = |category: &str| {
            let set = sets.get(category).copied().unwrap_or_default();
            set.expected(
                &policy.baseline,
                prior(&policy.baseline, !category.is_empty()),
            )
        };
        let overall = expected("");
        let per_window = overall.per_window(policy.window_minutes);
        match a.label {
            SentimentLabel::Negative => {
                out.extend(detectors::negative_volume(
                    policy,
                    window.negative,
                    per_window.negative,
                    None,
                ));
                for c in &cats {
                    let count = tx.category_negative(seen.brand.id, c, from, to).await?;
                    let e = expected(c).per_window(policy.window_minutes).negative;
                    out.extend(detectors::negative_volume(policy, count, e, Some(c)));
                }
                out.extend(detectors::negative_share(
                    policy,
                    &window,
                    overall.negative_share(),
                ));
                out.extend(detectors::viral_post(policy, &post(seen, now)));
            }
            SentimentLabel::Positive => {
                out.extend(detectors::positive_surge(
                    policy,
                    &window,
                    per_window.positive,
                ));
            }
            SentimentLabel::Neutral => {}
        }
        out.sort_by_key(|s| std::cmp::Reverse(s.severity));
        Ok(out)
    }
}

fn post(seen: &Seen<'_>, now: DateTime<Utc>) -> Post {
    let m = seen.mention;
    Post {
        mention_id: seen.mention_id,
        author: m.author.handle.clone(),
        negative: seen.analysis.label == SentimentLabel::Negative,
        likes: m.likes,
        reposts: m.reposts,
        replies: m.replies,
        age_minutes: (now - m.created_at).num_minutes().max(0),
    }
}

#[cfg(test)]
mod tests;
