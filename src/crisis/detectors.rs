//! The detectors: pure functions from counts and learned expectations to signals. Each signal
//! carries the numbers that explain it in one sentence (the `explain` macro of the alert
//! templates words it in Spanish and English).

use super::rules::{CrisisPolicy, SurgePolicy};
use super::stats::{binomial_tail, poisson_tail};
use crate::domain::{Severity, Trigger};

/// What a detector found.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    pub trigger: Trigger,
    pub severity: Severity,
}

impl Signal {
    /// A crisis opens or grows an incident; anything else (a positive surge) is a notice.
    pub fn is_crisis(&self) -> bool {
        !matches!(self.trigger, Trigger::PositiveSurge { .. })
    }
}

/// Counts in the sliding window that ends at the mention being evaluated.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Window {
    pub minutes: i64,
    pub total: i64,
    pub negative: i64,
    pub positive: i64,
}

/// A negative count far above the expected one. `category` narrows it to one category.
pub fn negative_volume(
    p: &CrisisPolicy,
    count: i64,
    expected: f64,
    category: Option<&str>,
) -> Option<Signal> {
    let min_count = match category {
        Some(_) => p.surge.category_min_count,
        None => p.surge.min_count,
    };
    let p_value = surge_p(&p.surge, count, expected, min_count)?;
    let critical = category.is_none()
        && count >= p.surge.critical_min_count
        && count as f64 >= p.surge.critical_ratio * expected;
    Some(Signal {
        trigger: Trigger::NegativeVolume {
            count,
            window_minutes: p.window_minutes,
            expected: round2(expected),
            p_value,
            category: category.map(str::to_owned),
        },
        severity: if critical {
            Severity::Critical
        } else {
            Severity::Warning
        },
    })
}

/// Positive mentions far above the expected count: information only.
pub fn positive_surge(p: &CrisisPolicy, w: &Window, expected: f64) -> Option<Signal> {
    let p_value = surge_p(&p.positive, w.positive, expected, p.positive.min_count)?;
    Some(Signal {
        trigger: Trigger::PositiveSurge {
            count: w.positive,
            window_minutes: w.minutes,
            expected: round2(expected),
            p_value,
        },
        severity: Severity::Info,
    })
}

/// The tail probability when all three surge conditions hold.
fn surge_p(s: &SurgePolicy, count: i64, expected: f64, min_count: i64) -> Option<f64> {
    if count < min_count || (count as f64) < s.min_ratio * expected {
        return None;
    }
    let p = poisson_tail(count.max(0) as u64, expected.max(1e-6));
    (p <= s.max_p).then_some(p)
}

/// The share of negative mentions well above the usual share, on enough mentions.
pub fn negative_share(p: &CrisisPolicy, w: &Window, baseline_share: f64) -> Option<Signal> {
    if w.total < p.share.min_total || w.total == 0 {
        return None;
    }
    let share = w.negative as f64 / w.total as f64;
    if share < baseline_share + p.share.min_jump {
        return None;
    }
    let p_value = binomial_tail(
        w.negative as u64,
        w.total as u64,
        baseline_share.clamp(0.01, 0.99),
    );
    (p_value <= p.share.max_p).then(|| Signal {
        trigger: Trigger::NegativeShare {
            negative: w.negative,
            total: w.total,
            window_minutes: w.minutes,
            share: round2(share),
            baseline_share: round2(baseline_share),
            p_value,
        },
        severity: Severity::Warning,
    })
}

/// The first of the mention's categories that the policy marks critical.
pub fn critical_category(p: &CrisisPolicy, categories: &[String]) -> Option<Signal> {
    let category = categories
        .iter()
        .find(|c| p.critical_categories.contains(c))?;
    Some(Signal {
        trigger: Trigger::CriticalCategory {
            category: category.clone(),
        },
        severity: Severity::Critical,
    })
}

/// One post as the viral detector sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub mention_id: i64,
    pub author: String,
    pub negative: bool,
    pub likes: i64,
    pub reposts: i64,
    pub replies: i64,
    /// Minutes between the post's creation and when it was observed.
    pub age_minutes: i64,
}

/// A negative post gathering interactions fast.
pub fn viral_post(p: &CrisisPolicy, post: &Post) -> Option<Signal> {
    if !post.negative {
        return None;
    }
    let engagement = post.likes.max(0) + 2 * post.reposts.max(0) + post.replies.max(0);
    let hours = post.age_minutes.max(p.viral.min_age_minutes) as f64 / 60.0;
    let per_hour = engagement as f64 / hours;
    if engagement < p.viral.min_engagement || per_hour < p.viral.min_per_hour {
        return None;
    }
    Some(Signal {
        trigger: Trigger::ViralPost {
            mention_id: post.mention_id,
            author: post.author.clone(),
            engagement,
            per_hour: round2(per_hour),
        },
        severity: if engagement >= p.viral.critical_engagement {
            Severity::Critical
        } else {
            Severity::Warning
        },
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
