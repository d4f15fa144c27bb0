//! Online learning of the baselines, in the ingest transaction: when a brand's first mention
//! of a new hour arrives, every completed hour since the last one learned is folded into the
//! stored baselines (hours without mentions count as zeros). The fold position is stored with
//! the baselines, so a restart neither skips nor repeats an hour. The slots read are kept in
//! memory ([`Learned`]); what a page's hours taught is written at the page's end, in the same
//! transaction ([`PageWrites`]).

use chrono::{DateTime, Duration, DurationRound, Utc};
use std::collections::{BTreeMap, HashMap};

use super::baseline::{Counts, Slot, SlotBaseline, SlotSet, prior};
use super::pending::PageWrites;
use super::rules::BaselinePolicy;
use crate::storage::crisis::{BaselineRow, HourBucket};
use crate::storage::{StoreResult, StoreTx};

/// Longest gap learned at once: after a long outage older hours are skipped, not replayed.
const MAX_FOLD_HOURS: i64 = 24 * 7 * 2;

pub fn hour_start(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::hours(1)).unwrap_or(t)
}

/// The brand's learned baselines read so far, per slot key (`how:N`, `hod:N`, `all`), every
/// category: each slot is read from the database once, then kept current by the folds that
/// write it. Valid while nobody else folds the brand's hours, which the fold position shows
/// (see [`super::state::BrandState::keep_learned`]). After a week of traffic every slot is
/// held and learning an hour costs no read.
#[derive(Debug, Default)]
pub struct Learned {
    slots: HashMap<String, BTreeMap<String, SlotBaseline>>,
}

impl Learned {
    /// Reads the slots not held yet, in one query.
    async fn hold<T: StoreTx>(
        &mut self,
        tx: &mut T,
        brand_id: i64,
        keys: &[String],
    ) -> StoreResult<()> {
        let missing: Vec<String> = keys
            .iter()
            .filter(|k| !self.slots.contains_key(*k))
            .cloned()
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        for key in &missing {
            self.slots.insert(key.clone(), BTreeMap::new());
        }
        for row in tx.load_baselines(brand_id, &missing).await? {
            if let Some(slot) = self.slots.get_mut(&row.slot) {
                slot.insert(row.category, row.baseline);
            }
        }
        Ok(())
    }

    /// The held slots of an hour, per category (`""`: all mentions).
    fn sets(&self, slots: &[Slot; 3], keys: &[String]) -> BTreeMap<String, SlotSet> {
        let mut sets: BTreeMap<String, SlotSet> = BTreeMap::new();
        for (slot, key) in slots.iter().zip(keys) {
            for (category, baseline) in self.slots.get(key).into_iter().flatten() {
                *sets.entry(category.clone()).or_default().get_mut(*slot) = Some(*baseline);
            }
        }
        sets
    }

    fn wrote(&mut self, rows: Vec<BaselineRow>) {
        for row in rows {
            self.slots
                .entry(row.slot)
                .or_default()
                .insert(row.category, row.baseline);
        }
    }
}

/// Where a fold reads and what it writes to: the page's transaction, the brand's learned
/// slots, and the page's pending writes.
pub struct Fold<'a, T> {
    pub tx: &'a mut T,
    pub learned: &'a mut Learned,
    pub page: &'a mut PageWrites,
}

/// Folds every completed hour before the hour of `at` into the brand's baselines, given how
/// far they are folded (`None`: never); the rows and the new position are written with the
/// page. Returns the new fold position when it moved; when it did not, no query ran.
pub async fn learn_until<T: StoreTx>(
    f: Fold<'_, T>,
    brand_id: i64,
    folded: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
    policy: &BaselinePolicy,
) -> StoreResult<Option<DateTime<Utc>>> {
    let Fold { tx, learned, page } = f;
    let to = hour_start(at);
    let Some(mut from) = folded else {
        page.folded(to);
        return Ok(Some(to));
    };
    if to <= from {
        return Ok(None);
    }
    from = from.max(to - Duration::hours(MAX_FOLD_HOURS));
    let mut buckets: BTreeMap<DateTime<Utc>, Vec<HourBucket>> = BTreeMap::new();
    for b in tx.hourly_counts(brand_id, from, to).await? {
        buckets.entry(b.hour).or_default().push(b);
    }
    let mut hour = from;
    while hour < to {
        let observed = buckets.remove(&hour).unwrap_or_default();
        let fold = Fold {
            tx: &mut *tx,
            learned: &mut *learned,
            page: &mut *page,
        };
        fold_hour(fold, brand_id, hour, &observed, policy).await?;
        hour += Duration::hours(1);
    }
    page.folded(to);
    Ok(Some(to))
}

/// Learns one hour for the overall baseline and every category seen before or in this hour.
async fn fold_hour<T: StoreTx>(
    f: Fold<'_, T>,
    brand_id: i64,
    hour: DateTime<Utc>,
    observed: &[HourBucket],
    policy: &BaselinePolicy,
) -> StoreResult<()> {
    let Fold { tx, learned, page } = f;
    let slots = Slot::of(hour);
    let keys: Vec<String> = slots.iter().map(|s| s.key()).collect();
    learned.hold(tx, brand_id, &keys).await?;
    let mut sets = learned.sets(&slots, &keys);
    sets.entry(String::new()).or_default();
    for b in observed {
        sets.entry(b.category.clone()).or_default();
    }
    let mut rows = Vec::with_capacity(sets.len() * slots.len());
    for (category, mut set) in sets {
        let counts = observed
            .iter()
            .find(|b| b.category == category)
            .map_or(Counts::default(), |b| b.counts);
        set.learn(counts, policy, prior(policy, !category.is_empty()));
        for (i, slot) in slots.iter().enumerate() {
            let baseline: SlotBaseline = set.get_mut(*slot).unwrap_or_default();
            rows.push(BaselineRow {
                category: category.clone(),
                slot: keys[i].clone(),
                baseline,
            });
        }
    }
    page.learned(&rows);
    learned.wrote(rows);
    Ok(())
}

/// The learned slots for the hour of `at`, for the overall baseline (`category` empty) and
/// every category.
pub async fn slots_at<T: StoreTx>(
    tx: &mut T,
    learned: &mut Learned,
    brand_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<BTreeMap<String, SlotSet>> {
    let slots = Slot::of(at);
    let keys: Vec<String> = slots.iter().map(|s| s.key()).collect();
    learned.hold(tx, brand_id, &keys).await?;
    Ok(learned.sets(&slots, &keys))
}
