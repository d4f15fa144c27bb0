//! Crisis thresholds from `alerts/crisis.toml`: `[defaults]` plus per-brand overrides in
//! `[brands.NAME]`, where any key (or nested table key) of the defaults may be overridden.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

use crate::config::{ConfigError, read_toml};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisPolicy {
    /// Sliding window (event time) the volume and share detectors count over.
    pub window_minutes: i64,
    /// Categories where a single mention opens an incident.
    pub critical_categories: Vec<String>,
    /// Informational notices (a positive surge) of one kind are recorded at most once per this
    /// many minutes and brand.
    pub merge_window_minutes: i64,
    /// An incident without a crisis-level signal for this many minutes (event time) stops
    /// taking mentions and closes itself as `auto_closed`; a later crisis signal opens a new
    /// incident.
    pub quiet_minutes: i64,
    /// An ordinary mention (no crisis signal of its own) attaches to an active incident only
    /// within this many minutes after the incident's latest crisis signal.
    pub attach_window_minutes: i64,
    /// A crisis signal continues an active incident when its mention shares one of the
    /// incident's crisis categories or `attach_min_shared_terms` of its top terms, or when it
    /// names no category, is of the kind that opened the incident and comes within this many
    /// minutes of its latest signal (the next wave of the same surge). Any other signal is a
    /// new crisis: the old incident closes itself (`auto_closed`, naming the new one) and the
    /// new one opens and alerts, so a lone critical mention a day cannot keep one incident
    /// open for weeks and swallow the next crisis. Amid a crisis in progress or of the last
    /// hours, a critical-category signal of another story opens its own incident beside it
    /// instead, and any other signal joins the crisis in progress.
    #[serde(default = "same_crisis_minutes")]
    pub same_crisis_minutes: i64,
    /// Everyday complaint categories: they never attach a mention to an incident, never
    /// become an incident's crisis categories and have no per-category surge detector (their
    /// surges still count in the brand's overall negative volume).
    pub everyday_categories: Vec<String>,
    /// How many mentions the alert quotes.
    pub sample_mentions: i64,
    /// An incident with this many mentions is raised to critical.
    pub critical_mentions: i64,
    /// A non-crisis negative mention attaches to an active incident when it shares this many
    /// of the incident's top terms (or one of its categories).
    pub attach_min_shared_terms: i64,
    /// Minutes without a new mention after which Vigía proposes to resolve an incident.
    pub auto_resolve_quiet_minutes: i64,
    /// An incident still open (not acknowledged) after N × this many minutes is sent to the
    /// recipients of escalation level N.
    pub escalate_after_minutes: i64,
    pub baseline: BaselinePolicy,
    pub surge: SurgePolicy,
    pub share: SharePolicy,
    pub viral: ViralPolicy,
    pub positive: SurgePolicy,
}

/// Twelve hours: a story's night lull stays one crisis.
fn same_crisis_minutes() -> i64 {
    720
}

/// How baselines learn: EWMA per hour-of-week slot, shrunk towards the hour-of-day and the
/// all-hours average while a slot has few observations, and towards a prior before any data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselinePolicy {
    /// EWMA weight of each new hourly observation of a slot (0 < alpha <= 1).
    pub alpha: f64,
    /// Observations at which a slot counts as much as its fallback.
    pub warmup: f64,
    /// Expected mentions per hour before anything is learned.
    pub prior_per_hour: f64,
    pub prior_negative_share: f64,
    pub prior_positive_share: f64,
    /// Hours a brand's baseline learns before its volume, share and positive surge detectors
    /// may fire (critical categories and viral posts fire from the first mention). In these
    /// hours it learns every hour as observed, uncapped: a big brand's ordinary first hours,
    /// far above the prior, are not a surge.
    #[serde(default = "default_learning_hours")]
    pub learning_hours: i64,
}

fn default_learning_hours() -> i64 {
    24
}

/// A count surge against the baseline: fires when the count reaches `min_count`, is at least
/// `min_ratio` times the expected count, and its Poisson tail probability is at most `max_p`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurgePolicy {
    pub min_count: i64,
    pub min_ratio: f64,
    pub max_p: f64,
    /// Raised to critical at this ratio and count (negative surges only).
    pub critical_ratio: f64,
    pub critical_min_count: i64,
    /// Minimum negative count for a surge within one category (e.g. `delivery`).
    pub category_min_count: i64,
}

/// A jump in the share of negative mentions among at least `min_total` mentions.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharePolicy {
    pub min_total: i64,
    /// Percentage points above the usual share (0.3 = +30 points).
    pub min_jump: f64,
    pub max_p: f64,
}

/// One negative post spreading fast: interactions (likes + 2 × reposts + replies) per hour of
/// the post's age (at least `min_age_minutes`, so a brand-new post is not divided by ~0).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViralPolicy {
    pub min_engagement: i64,
    pub min_per_hour: f64,
    pub min_age_minutes: i64,
    /// At this many interactions the incident is critical.
    pub critical_engagement: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrisisFile {
    defaults: toml::Table,
    #[serde(default)]
    brands: BTreeMap<String, toml::Table>,
}

#[derive(Debug, Clone)]
pub struct CrisisRules {
    defaults: CrisisPolicy,
    brands: BTreeMap<String, CrisisPolicy>,
}

impl CrisisRules {
    /// Reads and validates the file; `known_brands` are the brands of the config (an override
    /// for an unknown brand is a typo, so it is an error).
    pub fn load(path: &Path, known_brands: &[&str]) -> Result<CrisisRules, ConfigError> {
        let file: CrisisFile = read_toml(path)?;
        let defaults = parse(path, "defaults", file.defaults.clone())?;
        let mut brands = BTreeMap::new();
        for (name, over) in file.brands {
            let key = format!("brands.{name}");
            if !known_brands.contains(&name.as_str()) {
                return Err(ConfigError::invalid(
                    path,
                    key,
                    "no brand of that name in the config",
                ));
            }
            let mut merged = file.defaults.clone();
            merge(&mut merged, over);
            brands.insert(name, parse(path, &key, merged)?);
        }
        Ok(CrisisRules { defaults, brands })
    }

    pub fn policy(&self, brand: &str) -> &CrisisPolicy {
        self.brands.get(brand).unwrap_or(&self.defaults)
    }

    /// Every category named as critical, for checking against the keyword rules.
    pub fn critical_categories(&self) -> impl Iterator<Item = &str> {
        std::iter::once(&self.defaults)
            .chain(self.brands.values())
            .flat_map(|p| p.critical_categories.iter().map(String::as_str))
    }
}

/// Overlays `over` on `base`, recursing into tables so `[brands.x.surge] min_count = 5` keeps
/// the other surge keys of the defaults.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn parse(path: &Path, key: &str, table: toml::Table) -> Result<CrisisPolicy, ConfigError> {
    let policy: CrisisPolicy = toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| ConfigError::invalid(path, key, e.message().to_owned()))?;
    validate(path, key, &policy)?;
    Ok(policy)
}

fn validate(path: &Path, key: &str, p: &CrisisPolicy) -> Result<(), ConfigError> {
    let at_least_one = [
        ("window_minutes", p.window_minutes),
        ("merge_window_minutes", p.merge_window_minutes),
        ("sample_mentions", p.sample_mentions),
        ("critical_mentions", p.critical_mentions),
        ("quiet_minutes", p.quiet_minutes),
        ("attach_window_minutes", p.attach_window_minutes),
        ("same_crisis_minutes", p.same_crisis_minutes),
        ("attach_min_shared_terms", p.attach_min_shared_terms),
        ("auto_resolve_quiet_minutes", p.auto_resolve_quiet_minutes),
        ("escalate_after_minutes", p.escalate_after_minutes),
        ("surge.min_count", p.surge.min_count),
        ("surge.category_min_count", p.surge.category_min_count),
        ("positive.min_count", p.positive.min_count),
        ("share.min_total", p.share.min_total),
        ("viral.min_engagement", p.viral.min_engagement),
        ("viral.min_age_minutes", p.viral.min_age_minutes),
    ];
    let bad = |name: &str, problem: &str| {
        Err(ConfigError::invalid(path, format!("{key}.{name}"), problem))
    };
    for (name, value) in at_least_one {
        if value < 1 {
            return bad(name, "must be at least 1");
        }
    }
    if p.same_crisis_minutes > p.quiet_minutes {
        return bad(
            "same_crisis_minutes",
            "must not be longer than quiet_minutes",
        );
    }
    if p.attach_window_minutes > p.quiet_minutes {
        return bad(
            "attach_window_minutes",
            "must not be longer than quiet_minutes",
        );
    }
    if let Some(c) = p
        .everyday_categories
        .iter()
        .find(|c| p.critical_categories.contains(c))
    {
        return bad(
            "everyday_categories",
            &format!("'{c}' is also a critical category"),
        );
    }
    let probabilities = [
        ("baseline.alpha", p.baseline.alpha),
        (
            "baseline.prior_negative_share",
            p.baseline.prior_negative_share,
        ),
        (
            "baseline.prior_positive_share",
            p.baseline.prior_positive_share,
        ),
        ("surge.max_p", p.surge.max_p),
        ("positive.max_p", p.positive.max_p),
        ("share.max_p", p.share.max_p),
        ("share.min_jump", p.share.min_jump),
    ];
    for (name, value) in probabilities {
        if !(value > 0.0 && value <= 1.0) {
            return bad(name, "must be greater than 0 and at most 1");
        }
    }
    if p.baseline.learning_hours < 0 {
        return bad("baseline.learning_hours", "must not be negative");
    }
    let positive = [
        ("baseline.warmup", p.baseline.warmup),
        ("baseline.prior_per_hour", p.baseline.prior_per_hour),
        ("surge.min_ratio", p.surge.min_ratio),
        ("surge.critical_ratio", p.surge.critical_ratio),
        ("positive.min_ratio", p.positive.min_ratio),
        ("viral.min_per_hour", p.viral.min_per_hour),
    ];
    for (name, value) in positive {
        if !(value.is_finite() && value > 0.0) {
            return bad(name, "must be a positive number");
        }
    }
    Ok(())
}
