//! Who hears about what: each `[[recipients]]` entry has a channel (email, Slack, Teams or a
//! signed JSON webhook), a language, and filters by brand, severity and category; an
//! escalation level (0 hears at once, level N only if the incident is still unacknowledged
//! after N × `escalate_after_minutes`); and quiet hours during which non-critical news waits.

use chrono::{DateTime, Duration, Timelike, Utc};

use crate::config::{ChannelKind, RecipientConfig};
use crate::domain::Severity;

/// Checks a recipient's routing keys; the error names the key.
pub fn validate(r: &RecipientConfig) -> Result<(), (&'static str, String)> {
    let route = r;
    match route.channel {
        ChannelKind::Email if r.email.trim().is_empty() => {
            return Err(("email", "an email recipient needs an address".into()));
        }
        ChannelKind::Email => {}
        _ => {
            // The URL itself is a secret (it carries the channel's token): it is read and
            // checked with the other secrets when the sender is built.
            if route.url_env.is_none() {
                return Err((
                    "url_env",
                    "Slack, Teams and webhook recipients need url_env".into(),
                ));
            }
        }
    }
    if route.channel == ChannelKind::Webhook && route.secret_env.is_none() {
        return Err((
            "secret_env",
            "a webhook recipient needs secret_env".to_owned(),
        ));
    }
    if let Some(d) = &route.digest {
        crate::config::cron::parse_schedule(d).map_err(|e| ("digest", e))?;
    }
    if !(1..=31).contains(&route.digest_days) {
        return Err(("digest_days", "must be between 1 and 31".into()));
    }
    if let Some(q) = &route.quiet_hours {
        parse_quiet(q).ok_or((
            "quiet_hours",
            format!("'{q}' is not HH-HH (UTC hours 0-23)"),
        ))?;
    }
    Ok(())
}

fn parse_quiet(q: &str) -> Option<(u32, u32)> {
    let (a, b) = q.split_once('-')?;
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a < 24 && b < 24 && a != b).then_some((a, b))
}

/// Whether this recipient hears about news of `severity` touching `categories` at `level`.
pub fn wants(
    r: &RecipientConfig,
    brand: &str,
    severity: Severity,
    categories: &[String],
    level: u32,
) -> bool {
    let route = r;
    (r.brands.is_empty() || r.brands.iter().any(|b| b == brand))
        && severity >= route.min_severity.unwrap_or(Severity::Warning)
        && (route.categories.is_empty() || categories.iter().any(|c| route.categories.contains(c)))
        && route.escalation_level == level
}

/// When news for this recipient may go out: `now`, or the end of its quiet hours for
/// non-critical news.
pub fn due_at(r: &RecipientConfig, severity: Severity, now: DateTime<Utc>) -> DateTime<Utc> {
    let Some((start, end)) = r.quiet_hours.as_deref().and_then(parse_quiet) else {
        return now;
    };
    if severity == Severity::Critical {
        return now;
    }
    let h = now.hour();
    let quiet = if start < end {
        h >= start && h < end
    } else {
        h >= start || h < end
    };
    if !quiet {
        return now;
    }
    let today_end = now
        .with_hour(end)
        .and_then(|t| t.with_minute(0))
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now);
    if today_end > now {
        today_end
    } else {
        today_end + Duration::days(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipient(quiet: Option<&str>) -> RecipientConfig {
        RecipientConfig {
            email: "a@example.com".into(),
            lang: None,
            brands: vec!["acme".into()],
            channel: ChannelKind::Email,
            url_env: None,
            secret_env: None,
            min_severity: None,
            categories: vec!["delivery".into()],
            escalation_level: 0,
            quiet_hours: quiet.map(str::to_owned),
            digest: None,
            digest_days: 1,
        }
    }

    #[test]
    fn quiet_hours_delay_only_non_critical_news() {
        let r = recipient(Some("22-07"));
        let night: DateTime<Utc> = "2026-03-06T23:30:00Z".parse().unwrap();
        let morning: DateTime<Utc> = "2026-03-07T07:00:00Z".parse().unwrap();
        assert_eq!(due_at(&r, Severity::Warning, night), morning);
        assert_eq!(due_at(&r, Severity::Critical, night), night);
        let noon: DateTime<Utc> = "2026-03-07T12:00:00Z".parse().unwrap();
        assert_eq!(due_at(&r, Severity::Warning, noon), noon);
        let early: DateTime<Utc> = "2026-03-07T03:00:00Z".parse().unwrap();
        assert_eq!(due_at(&r, Severity::Info, early), morning);
    }

    #[test]
    fn filters_by_brand_severity_category_and_level() {
        let r = recipient(None);
        let cats = vec!["delivery".to_owned()];
        assert!(wants(&r, "acme", Severity::Warning, &cats, 0));
        assert!(!wants(&r, "other", Severity::Warning, &cats, 0));
        assert!(!wants(&r, "acme", Severity::Info, &cats, 0));
        assert!(!wants(
            &r,
            "acme",
            Severity::Warning,
            &["billing".into()],
            0
        ));
        assert!(!wants(&r, "acme", Severity::Warning, &cats, 1));
    }
}
