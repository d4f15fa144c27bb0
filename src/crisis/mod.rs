//! Crisis detection: decides, for each stored mention, whether it opens an incident, joins the
//! brand's active one, or is ordinary.
//!
//! Time is event time: windows are measured on the mentions' own timestamps, never on the
//! wall clock, so a live feed, a fast replay and a later backtest of the same mentions reach
//! the same incidents.

mod rules;

pub use rules::{CrisisPolicy, CrisisRules};

use chrono::{DateTime, Duration, Utc};

use crate::domain::{Analysis, Brand, Mention, SentimentLabel, Trigger};
use crate::notify::alerts::Alerter;
use crate::storage::{MentionFilter, MentionRow, StoreResult, StoreTx};

/// What the detector did with one mention.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ordinary,
    Opened { incident_id: i64, trigger: Trigger },
    Attached { incident_id: i64 },
}

pub struct Detector {
    rules: CrisisRules,
    alerter: Alerter,
}

impl Detector {
    pub fn new(rules: CrisisRules, alerter: Alerter) -> Detector {
        Detector { rules, alerter }
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
        let Some(trigger) = self.trigger(tx, policy, brand, mention, analysis).await? else {
            return Ok(Outcome::Ordinary);
        };
        let at = mention.created_at;
        if let Some(active) = tx.active_incident(brand.id).await? {
            let quiet_for = at - active.last_mention_at;
            if quiet_for <= Duration::minutes(policy.merge_window_minutes) {
                tx.attach_to_incident(active.id, mention_id, at).await?;
                return Ok(Outcome::Attached {
                    incident_id: active.id,
                });
            }
        }
        let incident_id = tx.create_incident(brand.id, &trigger, at, now).await?;
        tx.attach_to_incident(incident_id, mention_id, at).await?;
        let samples = self
            .samples(tx, policy, brand, &trigger, mention_id, at)
            .await?;
        self.alerter
            .incident_opened(tx, brand, incident_id, &trigger, at, &samples, now)
            .await?;
        tracing::info!(brand = %brand.name, incident = incident_id, trigger = trigger.kind(), "incident opened");
        Ok(Outcome::Opened {
            incident_id,
            trigger,
        })
    }

    /// The reason this mention is part of a crisis, if it is: a critical category fires at
    /// once; a negative mention fires when the brand's negative count in the window reaches
    /// the threshold.
    async fn trigger<T: StoreTx>(
        &self,
        tx: &mut T,
        policy: &CrisisPolicy,
        brand: &Brand,
        mention: &Mention,
        analysis: &Analysis,
    ) -> StoreResult<Option<Trigger>> {
        if let Some(category) = analysis
            .categories
            .iter()
            .find(|c| policy.critical_categories.contains(c))
        {
            return Ok(Some(Trigger::CriticalCategory {
                category: category.clone(),
            }));
        }
        if analysis.label != SentimentLabel::Negative {
            return Ok(None);
        }
        let to = mention.created_at;
        let from = to - Duration::minutes(policy.window_minutes);
        let count = tx.count_negative(brand.id, from, to).await?;
        Ok(
            (count >= policy.negative_threshold).then_some(Trigger::NegativeVolume {
                count,
                window_minutes: policy.window_minutes,
            }),
        )
    }

    /// Mentions quoted in the alert, oldest first, ending with the one that opened the
    /// incident: for a critical category, earlier mentions of that category in the window;
    /// for a negative surge, the latest negative mentions of the window.
    async fn samples<T: StoreTx>(
        &self,
        tx: &mut T,
        policy: &CrisisPolicy,
        brand: &Brand,
        trigger: &Trigger,
        mention_id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<MentionRow>> {
        let mut filter = MentionFilter {
            brand: Some(brand.name.clone()),
            since: Some(at - Duration::minutes(policy.window_minutes)),
            until: Some(at),
            ..Default::default()
        };
        match trigger {
            Trigger::CriticalCategory { category } => filter.category = Some(category.clone()),
            Trigger::NegativeVolume { .. } => filter.label = Some(SentimentLabel::Negative),
        }
        let limit = policy.sample_mentions.max(1);
        let mut rows = tx.find_mentions(&filter, limit + 1).await?;
        let opener = MentionFilter {
            ids: Some(vec![mention_id]),
            ..Default::default()
        };
        let opener = tx.find_mentions(&opener, 1).await?;
        rows.retain(|r| r.id != mention_id);
        rows.truncate((limit - 1) as usize);
        rows.reverse();
        rows.extend(opener);
        Ok(rows)
    }
}
