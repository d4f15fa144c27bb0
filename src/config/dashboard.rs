//! `[dashboard]`: login sessions, lockout and the live stream.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DashboardConfig {
    /// Mark the session cookie `Secure` (set it when the dashboard is served over HTTPS).
    pub secure_cookie: bool,
    /// How long a login lasts, in hours.
    pub session_hours: i64,
    /// Wrong passwords in a row that lock an account...
    pub max_failed_logins: i64,
    /// ...for this many minutes.
    pub lockout_minutes: i64,
    /// How often the live stream looks for new mentions and incident changes, in milliseconds.
    pub stream_poll_ms: u64,
    /// Words left out of "top terms" (one per line, `#` comments), relative to the config file.
    pub stopwords: std::path::PathBuf,
}

impl Default for DashboardConfig {
    fn default() -> Self {
        DashboardConfig {
            secure_cookie: false,
            session_hours: 12,
            max_failed_logins: 5,
            lockout_minutes: 15,
            stream_poll_ms: 1000,
            stopwords: "keywords/stopwords.txt".into(),
        }
    }
}
