//! Ticket priority from four explainable factors, each in `[0, 1]` and weighted
//! (`[priority]` in `alerts/tickets.toml`): how negative the post is, how severe its category
//! is, the customer's tier and the author's reach. The ticket keeps every factor, so an agent
//! sees why it got its priority.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityConfig {
    pub weights: Weights,
    /// Follower count that counts as full reach (reach grows with the logarithm).
    pub reach_full_followers: i64,
    /// Lowest score for each level; below `normal` is `low`.
    pub levels: Levels,
    /// Severity per category in `[0, 1]`; categories not listed have `default_severity`.
    #[serde(default)]
    pub category_severity: BTreeMap<String, f64>,
    pub default_severity: f64,
    /// Value of the tier factor per customer tier; unknown tiers count 0.
    #[serde(default)]
    pub tier_value: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub sentiment: f64,
    pub category: f64,
    pub tier: f64,
    pub reach: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    pub urgent: f64,
    pub high: f64,
    pub normal: f64,
}

/// One factor of a ticket's priority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    pub factor: String,
    /// The factor's value in `[0, 1]`.
    pub value: f64,
    pub weight: f64,
    /// `value * weight`: what the factor adds to the score.
    pub points: f64,
    /// The input it came from (e.g. `compound -0.82`, `tier vip`).
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Priority {
    pub level: &'static str,
    pub score: f64,
    pub factors: Vec<Factor>,
}

/// What the priority is computed from.
#[derive(Debug, Clone)]
pub struct PriorityInput<'a> {
    pub compound: f64,
    pub category: &'a str,
    pub tier: Option<&'a str>,
    pub followers: Option<i64>,
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

impl PriorityConfig {
    /// Checks ranges; the error is `(key, problem)`.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let unit = |k: String, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err((k, format!("{v} is not between 0 and 1")))
            }
        };
        let w = self.weights;
        for (k, v) in [
            ("sentiment", w.sentiment),
            ("category", w.category),
            ("tier", w.tier),
            ("reach", w.reach),
        ] {
            unit(format!("priority.weights.{k}"), v)?;
        }
        for (k, v) in &self.category_severity {
            unit(format!("priority.category_severity.{k}"), *v)?;
        }
        for (k, v) in &self.tier_value {
            unit(format!("priority.tier_value.{k}"), *v)?;
        }
        unit("priority.default_severity".into(), self.default_severity)?;
        let l = self.levels;
        if !(l.urgent >= l.high && l.high >= l.normal) {
            return Err((
                "priority.levels".into(),
                "need urgent ≥ high ≥ normal".into(),
            ));
        }
        if self.reach_full_followers < 10 {
            return Err((
                "priority.reach_full_followers".into(),
                "must be at least 10".into(),
            ));
        }
        Ok(())
    }

    pub fn compute(&self, input: &PriorityInput<'_>) -> Priority {
        let w = self.weights;
        let sentiment = (-input.compound).clamp(0.0, 1.0);
        let severity = self
            .category_severity
            .get(input.category)
            .copied()
            .unwrap_or(self.default_severity);
        let tier = input
            .tier
            .and_then(|t| self.tier_value.get(t).copied())
            .unwrap_or(0.0);
        let followers = input.followers.unwrap_or(0).max(0);
        let reach = ((followers as f64 + 1.0).log10()
            / (self.reach_full_followers as f64 + 1.0).log10())
        .clamp(0.0, 1.0);
        let factor = |name: &str, value: f64, weight: f64, detail: String| Factor {
            factor: name.to_owned(),
            value: round3(value),
            weight,
            points: round3(value * weight),
            detail,
        };
        let factors = vec![
            factor(
                "sentiment",
                sentiment,
                w.sentiment,
                format!("compound {:.2}", input.compound),
            ),
            factor(
                "category",
                severity,
                w.category,
                format!("category {}", input.category),
            ),
            factor(
                "tier",
                tier,
                w.tier,
                format!("tier {}", input.tier.unwrap_or("none")),
            ),
            factor("reach", reach, w.reach, format!("followers {followers}")),
        ];
        let score = round3(factors.iter().map(|f| f.value * f.weight).sum());
        let l = self.levels;
        let level = if score >= l.urgent {
            "urgent"
        } else if score >= l.high {
            "high"
        } else if score >= l.normal {
            "normal"
        } else {
            "low"
        };
        Priority {
            level,
            score,
            factors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> PriorityConfig {
        PriorityConfig {
            weights: Weights {
                sentiment: 0.35,
                category: 0.3,
                tier: 0.2,
                reach: 0.15,
            },
            reach_full_followers: 100_000,
            levels: Levels {
                urgent: 0.7,
                high: 0.5,
                normal: 0.25,
            },
            category_severity: [("safety".to_owned(), 1.0), ("delivery".to_owned(), 0.5)].into(),
            default_severity: 0.3,
            tier_value: [("vip".to_owned(), 1.0)].into(),
        }
    }

    #[test]
    fn every_factor_is_shown_and_adds_up() {
        let p = config().compute(&PriorityInput {
            compound: -0.8,
            category: "safety",
            tier: Some("vip"),
            followers: Some(100_000),
        });
        let names: Vec<&str> = p.factors.iter().map(|f| f.factor.as_str()).collect();
        assert_eq!(names, ["sentiment", "category", "tier", "reach"]);
        assert_eq!(p.factors[0].value, 0.8);
        assert_eq!(p.factors[1].value, 1.0);
        assert_eq!(p.factors[2].value, 1.0);
        assert_eq!(p.factors[3].value, 1.0);
        // 0.8*0.35 + 0.3 + 0.2 + 0.15
        assert_eq!(p.score, 0.93);
        assert_eq!(p.level, "urgent");
    }

    #[test]
    fn a_mild_delivery_gripe_from_an_unknown_small_account_is_low() {
        let p = config().compute(&PriorityInput {
            compound: -0.2,
            category: "delivery",
            tier: None,
            followers: Some(0),
        });
        // 0.2*0.35 + 0.5*0.3 + 0 + 0 = 0.22
        assert_eq!(p.level, "low");
        assert_eq!(p.score, 0.22);
        let tier = &p.factors[2];
        assert_eq!((tier.value, tier.detail.as_str()), (0.0, "tier none"));
    }

    #[test]
    fn tier_and_reach_raise_the_same_post() {
        let base = PriorityInput {
            compound: -0.6,
            category: "delivery",
            tier: None,
            followers: None,
        };
        let plain = config().compute(&base);
        let vip = config().compute(&PriorityInput {
            tier: Some("vip"),
            ..base.clone()
        });
        let loud = config().compute(&PriorityInput {
            followers: Some(50_000),
            ..base
        });
        assert!(vip.score > plain.score && loud.score > plain.score);
        assert_eq!(plain.level, "normal");
        assert_eq!(vip.level, "high");
    }

    #[test]
    fn validation_names_the_key() {
        let mut c = config();
        c.weights.reach = 1.5;
        assert_eq!(c.validate().unwrap_err().0, "priority.weights.reach");
    }
}
