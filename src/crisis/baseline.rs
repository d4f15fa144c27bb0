//! Learned baselines: what a brand's mentions usually look like at this hour of the week.
//!
//! Each hourly bucket of mentions is folded into three slots — its hour of the week, its hour
//! of the day and "all hours" — as an exponentially weighted moving average (EWMA). The
//! estimate for an hour shrinks the hour-of-week slot towards the hour-of-day slot, and that
//! towards the all-hours slot, in proportion to how many observations each has; before any
//! observation it is the configured prior. So a new brand starts from the prior, learns its
//! daily rhythm within days and its weekly rhythm within weeks, and "every evening's peak" is
//! expected instead of alarming.

use chrono::{DateTime, Datelike, Timelike, Utc};

use super::rules::BaselinePolicy;
pub use crate::domain::{Counts, SlotBaseline};

/// The three slots an hour belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// 0 = Monday 00h UTC ... 167 = Sunday 23h.
    HourOfWeek(u32),
    HourOfDay(u32),
    All,
}

impl Slot {
    pub fn of(t: DateTime<Utc>) -> [Slot; 3] {
        let hod = t.hour();
        let how = t.weekday().num_days_from_monday() * 24 + hod;
        [Slot::HourOfWeek(how), Slot::HourOfDay(hod), Slot::All]
    }

    pub fn key(self) -> String {
        match self {
            Slot::HourOfWeek(h) => format!("how:{h}"),
            Slot::HourOfDay(h) => format!("hod:{h}"),
            Slot::All => "all".into(),
        }
    }
}

/// The slots an hour belongs to, as learned so far (missing = never observed).
#[derive(Debug, Clone, Copy, Default)]
pub struct SlotSet {
    pub hour_of_week: Option<SlotBaseline>,
    pub hour_of_day: Option<SlotBaseline>,
    pub all: Option<SlotBaseline>,
}

impl SlotSet {
    /// Expected counts per hour: each slot shrunk towards its fallback by its observations.
    pub fn expected(&self, policy: &BaselinePolicy, prior: Counts) -> Counts {
        let shrink = |slot: Option<SlotBaseline>, fallback: Counts| match slot {
            Some(s) if s.observations > 0 => {
                let n = s.observations as f64;
                Counts::lerp(s.mean, fallback, n / (n + policy.warmup))
            }
            _ => fallback,
        };
        let all = shrink(self.all, prior);
        let day = shrink(self.hour_of_day, all);
        shrink(self.hour_of_week, day)
    }

    pub fn get_mut(&mut self, slot: Slot) -> &mut Option<SlotBaseline> {
        match slot {
            Slot::HourOfWeek(_) => &mut self.hour_of_week,
            Slot::HourOfDay(_) => &mut self.hour_of_day,
            Slot::All => &mut self.all,
        }
    }

    /// Whether the set is still in its learning hours (`learning_hours` observations of its
    /// all-hours slot).
    pub fn learning(&self, policy: &BaselinePolicy) -> bool {
        self.all.map_or(0, |s| s.observations) < policy.learning_hours
    }

    /// Learns one hourly bucket: capped against what was expected (as observed during the
    /// learning hours), then folded into each slot.
    pub fn learn(&mut self, observed: Counts, policy: &BaselinePolicy, prior: Counts) {
        let capped = if self.learning(policy) {
            observed
        } else {
            observed.capped(&self.expected(policy, prior))
        };
        // The all-hours slot is observed every hour, the hour-of-day slot once a day: with
        // `alpha / 24` its memory spans as many days, so it is the average of all hours
        // rather than of the last few (which at 8 in the morning are the night's).
        let slots = [
            (&mut self.hour_of_week, policy.alpha),
            (&mut self.hour_of_day, policy.alpha),
            (&mut self.all, policy.alpha / 24.0),
        ];
        for (s, alpha) in slots {
            s.get_or_insert_with(SlotBaseline::default)
                .observe(&capped, alpha);
        }
    }
}

/// The prior for a brand (or a category: a tenth of the brand's volume).
pub fn prior(policy: &BaselinePolicy, category: bool) -> Counts {
    let total = policy.prior_per_hour * if category { 0.1 } else { 1.0 };
    let negative = total * policy.prior_negative_share;
    Counts {
        total,
        negative,
        positive: total * policy.prior_positive_share,
        reach_neg: negative * 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> BaselinePolicy {
        BaselinePolicy {
            alpha: 0.2,
            warmup: 3.0,
            prior_per_hour: 4.0,
            prior_negative_share: 0.3,
            prior_positive_share: 0.3,
            learning_hours: 24,
        }
    }

    fn hour(neg: f64) -> Counts {
        Counts {
            total: neg * 3.0,
            negative: neg,
            positive: neg,
            reach_neg: neg * 2.0,
        }
    }

    #[test]
    fn a_new_slot_starts_at_the_prior_and_converges_to_the_data() {
        let p = policy();
        let mut s = SlotSet::default();
        assert_eq!(s.expected(&p, prior(&p, false)).total, 4.0);
        for _ in 0..60 {
            s.learn(hour(10.0), &p, prior(&p, false));
        }
        let e = s.expected(&p, prior(&p, false));
        assert!((e.negative - 10.0).abs() < 0.5, "{e:?}");
    }

    #[test]
    fn a_surge_hour_is_capped_before_it_is_learned() {
        let p = policy();
        let mut s = SlotSet::default();
        for _ in 0..30 {
            s.learn(hour(2.0), &p, prior(&p, false));
        }
        s.learn(hour(200.0), &p, prior(&p, false));
        let e = s.expected(&p, prior(&p, false));
        assert!(e.negative < 5.0, "{e:?}");
    }

    /// A big brand's first day is learned as it is (its hours far above the prior are its
    /// normal, not a surge); only after `learning_hours` are surge hours capped.
    #[test]
    fn the_learning_hours_are_learned_uncapped() {
        let p = policy();
        let mut s = SlotSet::default();
        assert!(s.learning(&p));
        for _ in 0..p.learning_hours {
            s.learn(hour(50.0), &p, prior(&p, false));
        }
        assert!(!s.learning(&p));
        let e = s.expected(&p, prior(&p, false));
        assert!(e.negative > 40.0, "{e:?}");
        s.learn(hour(5000.0), &p, prior(&p, false));
        let after = s.expected(&p, prior(&p, false));
        assert!(after.negative < 1.5 * e.negative, "{after:?}");
    }

    #[test]
    fn slots_are_hour_of_week_hour_of_day_and_all() {
        // 2026-03-06 is a Friday: day 4 from Monday, 20h.
        let t = "2026-03-06T20:15:00Z".parse().unwrap();
        assert_eq!(
            Slot::of(t).map(Slot::key),
            ["how:116".to_owned(), "hod:20".into(), "all".into()]
        );
    }
}
