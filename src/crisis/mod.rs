//! Crisis detection: for each stored mention, learn the brand's baselines, run the detectors,
//! and decide whether the mention opens an incident, joins (and maybe raises) one of the
//! brand's active incidents, raises an informational notice, or is ordinary.
//!
//! Time is event time: windows and baselines are measured on the mentions' own timestamps,
//! never on the wall clock, so a live feed, a fast replay and a later backtest of the same
//! mentions reach the same incidents.

pub mod active;
pub mod baseline;
pub mod detectors;
mod incident;
mod learn;
mod pending;
mod rules;
mod state;
mod stats;
pub mod terms;
pub mod watch;
pub mod window;

pub use incident::Lifecycle;
pub use rules::{CrisisPolicy, CrisisRules};

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use tokio::sync::Mutex;

use crate::domain::{Analysis, Brand, Mention, SentimentLabel, Trigger};
use crate::notify::alerts::Alerter;
use crate::storage::{StoreResult, StoreTx};
use baseline::{SlotSet, prior};
use detectors::{Post, Signal};
use state::BrandState;
use window::Recent;

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
    /// Per brand id; see [`state`]. One lock: mentions are evaluated inside the (single
    /// writer) ingest transaction anyway.
    states: Mutex<HashMap<i64, BrandState>>,
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
            states: Mutex::new(HashMap::new()),
        }
    }

    pub fn rules(&self) -> &CrisisRules {
        &self.rules
    }

    /// Drops what is kept in memory for a brand, to be rebuilt from the database at its next
    /// mention. The ingest calls it when its transaction did not commit.
    pub async fn forget(&self, brand_id: i64) {
        self.states.lock().await.remove(&brand_id);
    }

    /// Loads the brand's state from the database if it is not held yet, or if another instance
    /// has ingested a page of the brand since this one's last (the brand's crisis epoch moved;
    /// on PostgreSQL reading it takes the brand's lock, held to the end of the page). Ingest
    /// calls it before it writes a page, so a rebuilt state holds only what came before the
    /// page and each of the page's mentions is then evaluated in order, exactly as one mention
    /// per page would be.
    pub async fn prepare<T: StoreTx>(&self, tx: &mut T, brand: &Brand) -> StoreResult<()> {
        let policy = self.rules.policy(&brand.name);
        let epoch = tx.crisis_epoch(brand.id).await?;
        let mut states = self.states.lock().await;
        if states.get(&brand.id).is_none_or(|s| s.epoch != epoch) {
            let mut state = BrandState::load(tx, brand.id, policy, epoch).await?;
            if let Some(old) = states.remove(&brand.id) {
                state.keep_learned(old);
            }
            states.insert(brand.id, state);
        }
        Ok(())
    }

    /// Writes what the page's mentions changed in the brand's incidents (see [`pending`]).
    /// Ingest calls it once the page's mentions were evaluated, in the same transaction.
    pub async fn finish_page<T: StoreTx>(&self, tx: &mut T, brand: &Brand) -> StoreResult<()> {
        let mut states = self.states.lock().await;
        let Some(state) = states.get_mut(&brand.id) else {
            return Ok(());
        };
        let written = match state.page.flush(tx, brand.id).await {
            Ok(()) => tx.bump_crisis_epoch(brand.id).await,
            Err(e) => Err(e),
        };
        match written {
            Ok(epoch) => {
                state.epoch = epoch;
                Ok(())
            }
            Err(e) => {
                states.remove(&brand.id);
                Err(e)
            }
        }
    }

    /// Evaluates a freshly stored mention inside the ingest transaction. Costs no query
    /// unless something changes (an hour completes, an incident opens, takes the mention,
    /// rises or closes, a notice is recorded) or the brand is seen for the first time.
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
        let seen = Seen {
            brand,
            mention_id,
            mention,
            analysis,
        };
        let mut states = self.states.lock().await;
        let state = match states.entry(brand.id) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let epoch = tx.crisis_epoch(brand.id).await?;
                e.insert(BrandState::load(tx, brand.id, policy, epoch).await?)
            }
        };
        let outcome = self.evaluate(tx, state, policy, &seen, now).await;
        if outcome.is_err() {
            states.remove(&brand.id);
        }
        outcome
    }

    async fn evaluate<T: StoreTx>(
        &self,
        tx: &mut T,
        state: &mut BrandState,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<Outcome> {
        let at = seen.mention.created_at;
        state.learn(tx, seen.brand.id, at, policy).await?;
        state.recent.push(Recent {
            mention_id: seen.mention_id,
            at,
            label: seen.analysis.label,
            categories: seen.analysis.categories.clone(),
        });
        let signals = self.signals(tx, state, policy, seen, now).await?;
        let (crises, notices): (Vec<Signal>, Vec<Signal>) =
            signals.into_iter().partition(Signal::is_crisis);
        let outcome = self
            .lifecycle
            .on_signals(tx, state, policy, seen, &crises, now)
            .await?;
        if outcome != Outcome::Ordinary {
            return Ok(outcome);
        }
        match notices.into_iter().next() {
            Some(n) => self.lifecycle.notice(tx, state, policy, seen, n, now).await,
            None => Ok(Outcome::Ordinary),
        }
    }

    /// Every detector's verdict on this mention, strongest first.
    async fn signals<T: StoreTx>(
        &self,
        tx: &mut T,
        state: &mut BrandState,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Signal>> {
        let (m, a) = (seen.mention, seen.analysis);
        let mut out = Vec::new();
        out.extend(detectors::critical_category(policy, &a.categories));
        let to = m.created_at;
        let window = state.recent.window(to);
        // Everyday complaint categories have no surge detector of their own.
        let cats: Vec<(&str, i64)> = a
            .categories
            .iter()
            .filter(|c| !policy.everyday_categories.contains(c))
            .map(|c| (c.as_str(), state.recent.category_negative(c, to)))
            .collect();
        let sets = state.slots(tx, seen.brand.id, to).await?;
        let expected = |category: &str| {
            let set = sets.get(category).copied().unwrap_or_else(SlotSet::default);
            set.expected(
                &policy.baseline,
                prior(&policy.baseline, !category.is_empty()),
            )
        };
        let overall = expected("");
        let per_window = overall.per_window(policy.window_minutes);
        // A brand's first `learning_hours` teach its baseline; only critical categories and
        // viral posts fire meanwhile.
        let learning = sets
            .get("")
            .is_none_or(|set| set.learning(&policy.baseline));
        match a.label {
            // Whatever the label: `viral_post` itself passes only negative posts.
            _ if learning => out.extend(detectors::viral_post(policy, &post(seen, now))),
            SentimentLabel::Negative => {
                out.extend(detectors::negative_volume(
                    policy,
                    window.negative,
                    per_window.negative,
                    None,
                ));
                for (c, count) in cats {
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
