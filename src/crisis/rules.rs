//! Crisis thresholds from `alerts/crisis.toml`: defaults plus per-brand overrides.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

use crate::config::{ConfigError, read_toml};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisPolicy {
    /// Negative mentions within `window_minutes` that open an incident.
    pub negative_threshold: i64,
    pub window_minutes: i64,
    /// Categories where a single mention opens an incident.
    pub critical_categories: Vec<String>,
    /// A crisis mention joins the active incident if that incident saw a crisis mention within
    /// this many minutes; otherwise it opens a new incident.
    pub merge_window_minutes: i64,
    /// How many mentions the alert quotes.
    pub sample_mentions: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyOverride {
    negative_threshold: Option<i64>,
    window_minutes: Option<i64>,
    critical_categories: Option<Vec<String>>,
    merge_window_minutes: Option<i64>,
    sample_mentions: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrisisFile {
    defaults: CrisisPolicy,
    #[serde(default)]
    brands: BTreeMap<String, PolicyOverride>,
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
        validate(path, "defaults", &file.defaults)?;
        let mut brands = BTreeMap::new();
        for (name, o) in file.brands {
            let key = format!("brands.{name}");
            if !known_brands.contains(&name.as_str()) {
                return Err(ConfigError::invalid(
                    path,
                    key,
                    "no brand of that name in the config",
                ));
            }
            let d = &file.defaults;
            let policy = CrisisPolicy {
                negative_threshold: o.negative_threshold.unwrap_or(d.negative_threshold),
                window_minutes: o.window_minutes.unwrap_or(d.window_minutes),
                critical_categories: o
                    .critical_categories
                    .unwrap_or_else(|| d.critical_categories.clone()),
                merge_window_minutes: o.merge_window_minutes.unwrap_or(d.merge_window_minutes),
                sample_mentions: o.sample_mentions.unwrap_or(d.sample_mentions),
            };
            validate(path, &key, &policy)?;
            brands.insert(name, policy);
        }
        Ok(CrisisRules {
            defaults: file.defaults,
            brands,
        })
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

fn validate(path: &Path, key: &str, p: &CrisisPolicy) -> Result<(), ConfigError> {
    let positive = [
        ("negative_threshold", p.negative_threshold),
        ("window_minutes", p.window_minutes),
        ("merge_window_minutes", p.merge_window_minutes),
        ("sample_mentions", p.sample_mentions),
    ];
    for (name, value) in positive {
        if value < 1 {
            return Err(ConfigError::invalid(
                path,
                format!("{key}.{name}"),
                "must be at least 1",
            ));
        }
    }
    Ok(())
}
