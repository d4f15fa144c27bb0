//! What the detector keeps in memory per brand, so that evaluating a mention costs no query:
//! the recent mentions (sliding windows), the fold position and this hour's learned baselines,
//! the active incidents and the latest notice of each kind, and the incident writes of the
//! page being ingested. Built from the database the first
//! time a brand is seen (so a restart continues exactly where the stored state is), and
//! written back only when something changes: an hour is learned, an incident opens, takes a
//! mention, rises or closes, a notice is recorded.

use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

use super::CrisisPolicy;
use super::active::ActiveIncident;
use super::baseline::SlotSet;
use super::learn::{self, Learned, hour_start};
use super::pending::PageWrites;
use super::window::RecentMentions;
use crate::storage::{StoreResult, StoreTx};

pub struct BrandState {
    pub recent: RecentMentions,
    folded_until: Option<DateTime<Utc>>,
    /// The learned slots read so far, written through by each fold.
    learned: Learned,
    /// The learned slots of one hour (every category), valid until the next fold.
    baselines: Option<(DateTime<Utc>, BTreeMap<String, SlotSet>)>,
    /// Open or acknowledged incidents, oldest first: usually none or one; a dangerous topic
    /// amid a crisis has its own beside it.
    pub active: Vec<ActiveIncident>,
    /// Event time of the latest notice per kind.
    pub notices: HashMap<String, DateTime<Utc>>,
    /// The incident writes of the page being ingested (written at its end).
    pub page: PageWrites,
    /// The brand's crisis epoch this state matches ([`crate::storage::CrisisTx::crisis_epoch`]):
    /// when another instance has ingested a page of the brand since, it no longer does.
    pub epoch: i64,
}

impl BrandState {
    /// The brand's state as the database holds it, at crisis epoch `epoch` (read by the caller
    /// in the same transaction).
    pub async fn load<T: StoreTx>(
        tx: &mut T,
        brand_id: i64,
        policy: &CrisisPolicy,
        epoch: i64,
    ) -> StoreResult<BrandState> {
        let mut recent = RecentMentions::new(policy.window_minutes);
        for r in tx.recent_mentions(brand_id, policy.window_minutes).await? {
            recent.push(r);
        }
        let active = tx
            .active_incident_states(brand_id)
            .await?
            .into_iter()
            .map(ActiveIncident::from_row)
            .collect();
        Ok(BrandState {
            epoch,
            recent,
            folded_until: tx.baseline_folded_until(brand_id).await?,
            learned: Learned::default(),
            baselines: None,
            active,
            notices: tx.last_notices(brand_id).await?.into_iter().collect(),
            page: PageWrites::default(),
        })
    }

    /// Keeps the learned slots the brand's previous state held, when they are still what the
    /// database holds. Baselines are written only together with the fold position, in the
    /// same transaction; so when the position just read is the one the old state had reached,
    /// nobody (another instance, or a page of ours that failed to commit after it folded) has
    /// written them since.
    pub fn keep_learned(&mut self, old: BrandState) {
        // Learned rows not written (a page that failed) are not what the database holds.
        if old.folded_until == self.folded_until && !old.page.learning_pending() {
            self.learned = old.learned;
        }
    }

    /// Learns every completed hour before `at` (queries only when an hour completed).
    pub async fn learn<T: StoreTx>(
        &mut self,
        tx: &mut T,
        brand_id: i64,
        at: DateTime<Utc>,
        policy: &CrisisPolicy,
    ) -> StoreResult<()> {
        let fold = learn::Fold {
            tx,
            learned: &mut self.learned,
            page: &mut self.page,
        };
        let folded =
            learn::learn_until(fold, brand_id, self.folded_until, at, &policy.baseline).await?;
        if let Some(f) = folded {
            self.folded_until = Some(f);
            self.baselines = None;
        }
        Ok(())
    }

    /// The learned slots for the hour of `at` (read once per hour and fold).
    pub async fn slots<T: StoreTx>(
        &mut self,
        tx: &mut T,
        brand_id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<&BTreeMap<String, SlotSet>> {
        let hour = hour_start(at);
        let fresh = matches!(&self.baselines, Some((h, _)) if *h == hour);
        if !fresh {
            let sets = learn::slots_at(tx, &mut self.learned, brand_id, at).await?;
            self.baselines = Some((hour, sets));
        }
        Ok(&self.baselines.as_ref().expect("just loaded").1)
    }
}
