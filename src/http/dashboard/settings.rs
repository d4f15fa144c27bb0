//! What the dashboard needs from the configuration, validated once at start-up.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::config::{Config, ConfigError, DashboardConfig};

/// A configured brand as the dashboard lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BrandInfo {
    pub name: String,
    pub display_name: String,
    /// Brands compared against it in the share of voice.
    pub competitors: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct DashboardSettings {
    pub config: DashboardConfig,
    pub auth: crate::config::AuthConfig,
    /// Brands in config order.
    pub brands: Vec<BrandInfo>,
    /// Words left out of top terms.
    pub stopwords: HashSet<String>,
    /// Live streams open now (shared by every clone).
    pub streams: crate::http::api::stream_gate::StreamGate,
    /// Login attempts for names without an account.
    pub unknown_names: super::throttle::UnknownNames,
}

impl DashboardSettings {
    /// Validates `[dashboard]` and `brands[].competitors` and reads the stop-word file.
    pub fn build(config: &Config) -> Result<DashboardSettings, ConfigError> {
        let file = &config.source_file;
        let d = &config.dashboard;
        let a = &config.auth;
        let positive = [
            ("auth.session_hours", a.session_hours),
            ("auth.max_failed_logins", a.max_failed_logins),
            ("auth.lockout_mins", a.lockout_mins),
            ("dashboard.stream_poll_ms", d.stream_poll_ms as i64),
            ("dashboard.stream_max_secs", d.stream_max_secs as i64),
            ("dashboard.streams_per_user", d.streams_per_user as i64),
            ("dashboard.streams_max", d.streams_max as i64),
        ];
        if let Some((key, _)) = positive.iter().find(|(_, v)| *v <= 0) {
            return Err(ConfigError::invalid(file, *key, "must be greater than 0"));
        }
        let mut seen = BTreeMap::new();
        for (i, b) in config.brands.iter().enumerate() {
            for (j, c) in b.competitors.iter().enumerate() {
                if config.brand(c).is_none() || c == &b.name {
                    return Err(ConfigError::invalid(
                        file,
                        format!("brands[{i}].competitors[{j}]"),
                        format!("'{c}' is not another brand in [[brands]]"),
                    ));
                }
            }
            seen.insert(b.name.clone(), i);
        }
        let brands = config
            .brands
            .iter()
            .map(|b| BrandInfo {
                name: b.name.clone(),
                display_name: b.label().to_owned(),
                competitors: b.competitors.clone(),
            })
            .collect();
        Ok(DashboardSettings {
            config: d.clone(),
            auth: a.clone(),
            brands,
            stopwords: read_stopwords(config)?,
            streams: Default::default(),
            unknown_names: Default::default(),
        })
    }

    pub fn brand(&self, name: &str) -> Option<&BrandInfo> {
        self.brands.iter().find(|b| b.name == name)
    }
}

/// One lowercase word per line; `#` starts a comment. A missing file means no stop words
/// unless it was set explicitly.
fn read_stopwords(config: &Config) -> Result<HashSet<String>, ConfigError> {
    let path = config.resolve(&config.dashboard.stopwords);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if config.dashboard.stopwords == DashboardConfig::default().stopwords {
                return Ok(HashSet::new());
            }
            return Err(ConfigError::invalid(
                &config.source_file,
                "dashboard.stopwords",
                format!("file not found: {}", path.display()),
            ));
        }
        Err(e) => {
            return Err(ConfigError::invalid(
                &config.source_file,
                "dashboard.stopwords",
                format!("cannot read {}: {e}", path.display()),
            ));
        }
    };
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect())
}
