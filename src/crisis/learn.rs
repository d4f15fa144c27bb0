//! Online learning of the baselines, in the ingest transaction: when a brand's first mention
//! of a new hour arrives, every completed hour since the last one learned is folded into the
//! stored baselines (hours without mentions count as zeros). The fold position is stored with
//! the baselines, so a restart neither skips nor repeats an hour.

use chrono::{DateTime, Duration, DurationRound, Utc};
use std::collections::BTreeMap;

use super::baseline::{Counts, Slot, SlotBaseline, SlotSet, prior};
use super::rules::BaselinePolicy;
use crate::storage::crisis::{BaselineRow, HourBucket};
use crate::storage::{StoreResult, StoreTx};

/// Longest gap learned at once: after a long outage older hours are skipped, not replayed.
const MAX_FOLD_HOURS: i64 = 24 * 7 * 2;

pub fn hour_start(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::hours(1)).unwrap_or(t)
}

/// Folds every completed hour before the hour of `at` into the brand's baselines, given how
/// far they are folded (`None`: never). Returns the new fold position when it moved; when it
/// did not, no query ran.
pub async fn learn_until<T: StoreTx>(
    tx: &mut T,
    brand_id: i64,
    folded: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
    policy: &BaselinePolicy,
) -> StoreResult<Option<DateTime<Utc>>> {
    let to = hour_start(at);
    let Some(mut from) = folded else {
        tx.set_baseline_folded_until(brand_id, to).await?;
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
        fold_hour(tx, brand_id, hour, &observed, policy).await?;
        hour += Duration::hours(1);
    }
    tx.set_baseline_folded_until(brand_id, to).await?;
    Ok(Some(to))
}

/// Learns one hour for the overall baseline and every category seen before or in this hour.
async fn fold_hour<T: StoreTx>(
    tx: &mut T,
    brand_id: i64,
    hour: DateTime<Utc>,
    observed: &[HourBucket],
    policy: &BaselinePolicy,
) -> StoreResult<()> {
    let slots = Slot::of(hour);
    let keys: Vec<String> = slots.iter().map(|s| s.key()).collect();
    let mut sets: BTreeMap<String, SlotSet> = BTreeMap::new();
    sets.insert(String::new(), SlotSet::default());
    for row in tx.load_baselines(brand_id, &keys).await? {
        let set = sets.entry(row.category.clone()).or_default();
        if let Some(i) = keys.iter().position(|k| *k == row.slot) {
            *set.get_mut(slots[i]) = Some(row.baseline);
        }
    }
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
    tx.save_baselines(brand_id, &rows).await
}

/// The learned slots for the hour of `at`, for the overall baseline (`category` empty) and
/// every category.
pub async fn slots_at<T: StoreTx>(
    tx: &mut T,
    brand_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<BTreeMap<String, SlotSet>> {
    let slots = Slot::of(at);
    let keys: Vec<String> = slots.iter().map(|s| s.key()).collect();
    let mut sets: BTreeMap<String, SlotSet> = BTreeMap::new();
    for row in tx.load_baselines(brand_id, &keys).await? {
        if let Some(i) = keys.iter().position(|k| *k == row.slot) {
            *sets.entry(row.category).or_default().get_mut(slots[i]) = Some(row.baseline);
        }
    }
    Ok(sets)
}
