//! `[dashboard]`: the live stream and top terms (sessions and lockout are in `[auth]`).

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DashboardConfig {
    /// How often the live stream looks for new mentions and incident changes, in milliseconds.
    pub stream_poll_ms: u64,
    /// A live stream ends after this many seconds (browsers reconnect on their own), so no
    /// stream outlives its caller's rights for long.
    pub stream_max_secs: u64,
    /// Live streams one user may have open at once; more answer 429.
    pub streams_per_user: usize,
    /// Live streams open at once on this instance; more answer 429.
    pub streams_max: usize,
    /// Words left out of "top terms" (one per line, `#` comments), relative to the config file.
    pub stopwords: std::path::PathBuf,
}

impl Default for DashboardConfig {
    fn default() -> Self {
        DashboardConfig {
            stream_poll_ms: 1000,
            stream_max_secs: 3600,
            streams_per_user: 5,
            streams_max: 200,
            stopwords: "keywords/stopwords.txt".into(),
        }
    }
}
