//! A brand's hourly counts and the learned expectation of one baseline slot: plain numbers the
//! crisis detectors compute and the store keeps.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::SentimentLabel;

/// Counts of one hourly bucket (or their expected values).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub total: f64,
    pub negative: f64,
    pub positive: f64,
    /// Negative mentions weighted by their author's reach: `Σ (1 + floor(log10(followers)))`.
    pub reach_neg: f64,
}

impl Counts {
    /// The usual share of negative mentions (0 when nothing is expected).
    pub fn negative_share(&self) -> f64 {
        if self.total > 0.0 {
            (self.negative / self.total).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// `w·a + (1 − w)·b`, count by count.
    pub fn lerp(a: Counts, b: Counts, w: f64) -> Counts {
        let f = |x: f64, y: f64| w * x + (1.0 - w) * y;
        Counts {
            total: f(a.total, b.total),
            negative: f(a.negative, b.negative),
            positive: f(a.positive, b.positive),
            reach_neg: f(a.reach_neg, b.reach_neg),
        }
    }

    /// Caps each count at `limit(expected)` so a surge hour teaches the baseline little.
    pub fn capped(self, expected: &Counts) -> Counts {
        let cap = |x: f64, e: f64| x.min(e + 4.0 * e.sqrt() + 3.0);
        Counts {
            total: cap(self.total, expected.total),
            negative: cap(self.negative, expected.negative),
            positive: cap(self.positive, expected.positive),
            reach_neg: cap(self.reach_neg, expected.reach_neg),
        }
    }

    /// Scales hourly counts to a window of `minutes`.
    pub fn per_window(self, minutes: i64) -> Counts {
        let k = minutes as f64 / 60.0;
        Counts {
            total: self.total * k,
            negative: self.negative * k,
            positive: self.positive * k,
            reach_neg: self.reach_neg * k,
        }
    }
}

/// One learned slot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SlotBaseline {
    pub mean: Counts,
    pub observations: i64,
}

impl SlotBaseline {
    /// Folds one hourly observation in. The first observations average plainly (weight
    /// `1/n`), so a young slot is not dominated by its first hour; later ones use `alpha`.
    pub fn observe(&mut self, c: &Counts, alpha: f64) {
        self.observations += 1;
        let w = alpha.max(1.0 / self.observations as f64);
        self.mean = Counts::lerp(*c, self.mean, w);
    }
}

/// One stored mention as the window sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recent {
    pub mention_id: i64,
    pub at: DateTime<Utc>,
    pub label: SentimentLabel,
    pub categories: Vec<String>,
}
