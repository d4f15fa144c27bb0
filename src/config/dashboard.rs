//! `[dashboard]`: the live stream and top terms (sessions and lockout are in `[auth]`).

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DashboardConfig {
    /// How often the live stream looks for new mentions and incident changes, in milliseconds.
    pub stream_poll_ms: u64,
    /// Words left out of "top terms" (one per line, `#` comments), relative to the config file.
    pub stopwords: std::path::PathBuf,
}

impl Default for DashboardConfig {
    fn default() -> Self {
        DashboardConfig {
            stream_poll_ms: 1000,
            stopwords: "keywords/stopwords.txt".into(),
        }
    }
}
