//! `[privacy]`: how long personal data is kept.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacyConfig {
    /// Mentions older than this many days (by their own time) are deleted with their analyses
    /// and links; 0 keeps them forever. Incident and ticket counts stay.
    pub mention_retention_days: u32,
    /// Delivered or failed outgoing messages (which quote mentions) are deleted after this
    /// many days; 0 keeps them.
    pub outbox_retention_days: u32,
    /// When the retention pass runs (cron with a seconds field).
    pub purge_schedule: String,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig {
            mention_retention_days: 0,
            outbox_retention_days: 30,
            purge_schedule: "0 30 3 * * *".into(),
        }
    }
}
