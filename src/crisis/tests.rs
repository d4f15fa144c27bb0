//! Detectors on synthetic hourly series, learned through the same baselines as in production.

use super::baseline::{Counts, SlotSet, prior};
use super::detectors::{self, Post, Window};
use super::{CrisisPolicy, CrisisRules};
use crate::domain::{Severity, Trigger};

fn policy() -> CrisisPolicy {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("alerts/crisis.toml");
    CrisisRules::load(&path, &[]).unwrap().policy("any").clone()
}

/// A brand's learned slots after `weeks` (starting on a Monday) of hourly counts given by `series(hour_of_day)`
/// (negatives; totals are three times that, positives equal), keyed by hour of the week.
fn learn(p: &CrisisPolicy, weeks: i64, series: impl Fn(u32) -> f64) -> Vec<SlotSet> {
    let mut how = vec![SlotSet::default(); 168];
    let mut hod = vec![None; 24];
    let mut all = None;
    for h in 0..weeks * 168 {
        let hour_of_day = (h % 24) as u32;
        let neg = series(hour_of_day);
        let observed = Counts {
            total: neg * 3.0,
            negative: neg,
            positive: neg,
            reach_neg: neg,
        };
        let slot = &mut how[(h % 168) as usize];
        slot.hour_of_day = hod[hour_of_day as usize];
        slot.all = all;
        slot.learn(observed, &p.baseline, prior(&p.baseline, false));
        hod[hour_of_day as usize] = slot.hour_of_day;
        all = slot.all;
    }
    // Refresh the shared slots in every hour-of-week set.
    for (h, set) in how.iter_mut().enumerate() {
        set.hour_of_day = hod[h % 24];
        set.all = all;
    }
    how
}

/// Expected negatives in the policy's window at hour-of-week `h`.
fn expected(p: &CrisisPolicy, sets: &[SlotSet], h: usize) -> Counts {
    sets[h]
        .expected(&p.baseline, prior(&p.baseline, false))
        .per_window(p.window_minutes)
}

#[test]
fn a_burst_against_a_steady_baseline_is_detected() {
    let p = policy();
    let sets = learn(&p, 3, |_| 3.0);
    let e = expected(&p, &sets, 40).negative;
    assert!((e - 3.0).abs() < 0.5, "{e}");
    let signal = detectors::negative_volume(&p, 20, e, None).expect("a burst fires");
    assert_eq!(signal.severity, Severity::Warning);
    assert!(signal.is_crisis());
    assert!(detectors::negative_volume(&p, 5, e, None).is_none());
    let big = detectors::negative_volume(&p, 60, e, None).unwrap();
    assert_eq!(big.severity, Severity::Critical, "{big:?}");
}

#[test]
fn a_quiet_brands_small_wiggle_does_not_fire() {
    let p = policy();
    let sets = learn(&p, 3, |_| 0.3);
    let e = expected(&p, &sets, 100).negative;
    // 2 → 6 is a tiny tail probability against 0.3 expected, but below the minimum count.
    assert!(super::stats::poisson_tail(6, e) < 1e-4);
    assert!(detectors::negative_volume(&p, 6, e, None).is_none());
    assert!(detectors::negative_volume(&p, 2, e, None).is_none());
}

#[test]
fn every_evenings_peak_does_not_fire_but_the_same_count_at_noon_does() {
    let p = policy();
    let series = |h: u32| if (19..=21).contains(&h) { 12.0 } else { 1.0 };
    let sets = learn(&p, 3, series);
    let friday_20h = 4 * 24 + 20;
    let friday_11h = 4 * 24 + 11;
    let evening = expected(&p, &sets, friday_20h).negative;
    assert!(
        detectors::negative_volume(&p, 15, evening, None).is_none(),
        "{evening}"
    );
    let noon = expected(&p, &sets, friday_11h).negative;
    assert!(
        detectors::negative_volume(&p, 15, noon, None).is_some(),
        "{noon}"
    );
}

#[test]
fn a_positive_surge_is_information_never_a_crisis() {
    let p = policy();
    let sets = learn(&p, 2, |_| 2.0);
    let e = expected(&p, &sets, 60);
    let w = Window {
        minutes: p.window_minutes,
        total: 50,
        negative: 3,
        positive: 45,
    };
    let s = detectors::positive_surge(&p, &w, e.positive).expect("a positive surge");
    assert_eq!(s.severity, Severity::Info);
    assert!(!s.is_crisis());
    assert!(matches!(
        s.trigger,
        Trigger::PositiveSurge { count: 45, .. }
    ));
    assert!(detectors::negative_volume(&p, w.negative, e.negative, None).is_none());
    assert!(detectors::negative_share(&p, &w, e.negative_share()).is_none());
}

#[test]
fn a_jump_in_the_negative_share_fires_only_on_enough_mentions() {
    let p = policy();
    let w = |negative, total| Window {
        minutes: 60,
        total,
        negative,
        positive: 0,
    };
    let s = detectors::negative_share(&p, &w(22, 25), 0.3).expect("88% vs 30%");
    assert!(matches!(s.trigger, Trigger::NegativeShare { .. }));
    assert!(
        detectors::negative_share(&p, &w(9, 10), 0.3).is_none(),
        "too few"
    );
    assert!(
        detectors::negative_share(&p, &w(12, 30), 0.3).is_none(),
        "40% is usual-ish"
    );
}

#[test]
fn critical_categories_fire_at_once() {
    let p = policy();
    let s = detectors::critical_category(&p, &["delivery".into(), "safety".into()]).unwrap();
    assert_eq!(s.severity, Severity::Critical);
    assert!(detectors::critical_category(&p, &["delivery".into()]).is_none());
}

#[test]
fn a_negative_post_spreading_fast_is_viral_a_slow_or_positive_one_is_not() {
    let p = policy();
    let post = Post {
        mention_id: 1,
        author: "someone".into(),
        negative: true,
        likes: 3000,
        reposts: 800,
        replies: 200,
        age_minutes: 90,
    };
    let s = detectors::viral_post(&p, &post).expect("4800 interactions in 1.5 h");
    assert!(matches!(
        s.trigger,
        Trigger::ViralPost {
            engagement: 4800,
            ..
        }
    ));
    let slow = Post {
        age_minutes: 60 * 24 * 3,
        ..post.clone()
    };
    assert!(detectors::viral_post(&p, &slow).is_none());
    let positive = Post {
        negative: false,
        ..post
    };
    assert!(detectors::viral_post(&p, &positive).is_none());
}
