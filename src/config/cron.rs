//! Cron expressions as `vigia.toml` writes them (feed schedules, digests, the purge): one
//! parser for every layer that reads one, so they all accept and refuse the same text.

use cron::Schedule;
use std::str::FromStr;

use super::ConfigError;

/// Parses a cron expression (seconds field first: `sec min hour day month weekday [year]`).
pub fn parse_schedule(expr: &str) -> Result<Schedule, String> {
    Schedule::from_str(expr).map_err(|e| format!("invalid cron expression '{expr}': {e}"))
}

/// [`parse_schedule`] for the `schedule` key of config entry `key` in `file`.
pub fn validate_schedule(
    file: &std::path::Path,
    key: &str,
    expr: &str,
) -> Result<Schedule, ConfigError> {
    parse_schedule(expr).map_err(|p| ConfigError::invalid(file, format!("{key}.schedule"), p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_field_first_and_errors_name_the_expression() {
        assert!(parse_schedule("0 */5 * * * *").is_ok());
        let e = parse_schedule("every five minutes").unwrap_err();
        assert!(e.contains("'every five minutes'"), "{e}");
    }
}
