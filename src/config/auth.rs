//! `[auth]`: accounts, sessions and the first-start admin token.

use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// Where the first start of a new database writes the admin API token (mode 0600);
    /// relative to the config file.
    pub admin_token_file: PathBuf,
    /// Failed logins in a row that lock an account.
    pub max_failed_logins: i64,
    /// How long a locked account stays locked.
    pub lockout_mins: i64,
    /// Lifetime of a dashboard session.
    pub session_hours: i64,
    /// Mark the session cookie `Secure` (set when served over HTTPS, e.g. behind a proxy).
    pub secure_cookies: bool,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            admin_token_file: PathBuf::from("var/admin-token"),
            max_failed_logins: 5,
            lockout_mins: 15,
            session_hours: 12,
            secure_cookies: false,
        }
    }
}
