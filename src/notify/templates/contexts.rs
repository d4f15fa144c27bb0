//! What the templates see, one context per message (documented in
//! `alerts/templates/README.md`), and the sample contexts every template must render at load.

use chrono::{DateTime, Utc};
use minijinja::Value;
use serde::Serialize;

use super::{one_line, safe_url, truncate_chars};
use crate::domain::{Severity, Trigger};
use crate::notify::{AlertMention, FeedSilentAlert, IncidentAlert};
use crate::notify::{Digest, DigestIncident};

const MAX_MENTIONS: usize = 20;
const MENTION_TEXT_MAX_CHARS: usize = 1000;
const SHORT_FIELD_MAX_CHARS: usize = 100;
const ERROR_MAX_CHARS: usize = 500;
const TIME_FORMAT: &str = "%Y-%m-%d %H:%M UTC";

/// What the `incident_opened` templates see.
#[derive(Serialize)]
pub(super) struct AlertContext<'a> {
    brand: &'a str,
    incident_id: i64,
    trigger: &'a Trigger,
    severity: &'static str,
    news: &'a str,
    opened_at: String,
    link: Option<&'a str>,
    mentions: Vec<MentionContext<'a>>,
    superseded_by: Option<i64>,
    beside: &'a [i64],
}

#[derive(Serialize)]
struct MentionContext<'a> {
    source: String,
    author: String,
    text: String,
    url: Option<&'a str>,
    created_at: String,
    sentiment: f64,
    categories: &'a [String],
}

impl<'a> AlertContext<'a> {
    pub(super) fn new(alert: &'a IncidentAlert) -> Self {
        AlertContext {
            brand: &alert.brand,
            incident_id: alert.incident_id,
            trigger: &alert.trigger,
            severity: alert.severity.as_str(),
            news: &alert.news,
            opened_at: format_time(alert.opened_at),
            link: safe_url(alert.link.as_deref()),
            mentions: (alert.mentions.iter().take(MAX_MENTIONS))
                .map(MentionContext::new)
                .collect(),
            superseded_by: alert.superseded_by,
            beside: &alert.beside,
        }
    }
}

impl<'a> MentionContext<'a> {
    fn new(m: &'a AlertMention) -> Self {
        MentionContext {
            source: one_line(&m.source, SHORT_FIELD_MAX_CHARS),
            author: one_line(&m.author, SHORT_FIELD_MAX_CHARS),
            text: truncate_chars(m.text.trim(), MENTION_TEXT_MAX_CHARS),
            url: safe_url(m.url.as_deref()),
            created_at: format_time(m.created_at),
            sentiment: m.sentiment,
            categories: &m.categories,
        }
    }
}

fn format_time(t: DateTime<Utc>) -> String {
    t.format(TIME_FORMAT).to_string()
}

/// Alerts that exercise every branch of the incident templates: every trigger kind, opened
/// (alone or beside other incidents), escalated, raised and closed (after its quiet time, or
/// by a new crisis), with and without link and mentions.
fn sample_alerts() -> Vec<IncidentAlert> {
    let at = DateTime::<Utc>::UNIX_EPOCH;
    let mention = AlertMention {
        source: "sample".into(),
        author: "sample".into(),
        text: "sample".into(),
        url: Some("https://example.com/post".into()),
        created_at: at,
        sentiment: -0.5,
        categories: vec!["safety".into()],
    };
    let volume = IncidentAlert {
        brand: "Sample".into(),
        incident_id: 1,
        trigger: Trigger::NegativeVolume {
            count: 2,
            window_minutes: 60,
            expected: 0.5,
            p_value: 0.001,
            category: None,
        },
        severity: Severity::Warning,
        news: "opened".into(),
        opened_at: at,
        link: Some("https://example.com/incidents/1".into()),
        mentions: vec![
            mention.clone(),
            AlertMention {
                url: None,
                ..mention
            },
        ],
        superseded_by: None,
        beside: Vec::new(),
    };
    let triggers = [
        Trigger::NegativeVolume {
            count: 9,
            window_minutes: 60,
            expected: 1.5,
            p_value: 1e-5,
            category: Some("delivery".into()),
        },
        Trigger::CriticalCategory {
            category: "safety".into(),
        },
        Trigger::NegativeShare {
            negative: 20,
            total: 25,
            window_minutes: 60,
            share: 0.8,
            baseline_share: 0.3,
            p_value: 1e-6,
        },
        Trigger::ViralPost {
            mention_id: 1,
            author: "sample".into(),
            engagement: 5000,
            per_hour: 2500.0,
        },
    ];
    let closed = IncidentAlert {
        news: "auto_closed".into(),
        mentions: Vec::new(),
        ..volume.clone()
    };
    let superseded = IncidentAlert {
        superseded_by: Some(2),
        ..closed.clone()
    };
    let beside = IncidentAlert {
        incident_id: 3,
        trigger: Trigger::CriticalCategory {
            category: "safety".into(),
        },
        severity: Severity::Critical,
        beside: vec![1, 2],
        ..volume.clone()
    };
    let escalated = IncidentAlert {
        news: "escalated".into(),
        beside: vec![1],
        ..beside.clone()
    };
    let mut out = vec![volume.clone(), closed, superseded, beside, escalated];
    for trigger in triggers {
        out.push(IncidentAlert {
            trigger,
            severity: Severity::Critical,
            news: "raised".into(),
            link: None,
            mentions: Vec::new(),
            ..volume.clone()
        });
    }
    out
}

/// What the `feed_silent` templates see.
#[derive(Serialize)]
pub(super) struct SilenceContext<'a> {
    feed: &'a str,
    brand: &'a str,
    kind: &'a str,
    since: String,
    limit_minutes: u32,
    state: &'a str,
    consecutive_failures: i64,
    last_error: Option<String>,
}

impl<'a> SilenceContext<'a> {
    pub(super) fn new(a: &'a FeedSilentAlert) -> Self {
        SilenceContext {
            feed: &a.feed,
            brand: &a.brand,
            kind: &a.kind,
            since: format_time(a.since),
            limit_minutes: a.limit_minutes,
            state: &a.state,
            consecutive_failures: a.consecutive_failures,
            last_error: a
                .last_error
                .as_deref()
                .map(|e| one_line(e, ERROR_MAX_CHARS)),
        }
    }
}

/// What the `digest` templates see: the digest with times formatted.
#[derive(Serialize)]
pub(super) struct DigestContext<'a> {
    #[serde(flatten)]
    digest: &'a Digest,
    period_from: String,
    period_to: String,
    incidents: Vec<(i64, &'a str, &'a str, &'a str, String, i64)>,
}

impl<'a> DigestContext<'a> {
    pub(super) fn new(d: &'a Digest) -> Self {
        DigestContext {
            digest: d,
            period_from: format_time(d.from),
            period_to: format_time(d.to),
            incidents: d
                .open_incidents
                .iter()
                .map(|i| {
                    (
                        i.id,
                        i.status.as_str(),
                        i.severity.as_str(),
                        i.kind.as_str(),
                        format_time(i.opened_at),
                        i.mentions,
                    )
                })
                .collect(),
        }
    }
}

fn sample_digests() -> Vec<Digest> {
    let at = DateTime::<Utc>::UNIX_EPOCH;
    let full = Digest {
        brand: "Sample".into(),
        from: at,
        to: at,
        mentions: 10,
        previous_mentions: 5,
        negative_pct: 30,
        previous_negative_pct: 40,
        top_complaints: vec![("delivery".into(), 3)],
        notices: vec![Trigger::PositiveSurge {
            count: 30,
            window_minutes: 60,
            expected: 3.0,
            p_value: 1e-9,
        }],
        open_incidents: vec![DigestIncident {
            id: 1,
            status: "open".into(),
            severity: "warning".into(),
            kind: "negative_volume".into(),
            opened_at: at,
            mentions: 12,
        }],
        open_tickets: 2,
    };
    let empty = Digest {
        top_complaints: Vec::new(),
        notices: Vec::new(),
        open_incidents: Vec::new(),
        mentions: 0,
        previous_mentions: 0,
        ..full.clone()
    };
    vec![full, empty]
}

/// Sample contexts of `message` that exercise every branch of its templates.
pub(super) fn samples(message: &str) -> Vec<Value> {
    match message {
        "digest" => sample_digests()
            .iter()
            .map(|d| Value::from_serialize(DigestContext::new(d)))
            .collect(),
        "incident_opened" => sample_alerts()
            .iter()
            .map(|a| Value::from_serialize(AlertContext::new(a)))
            .collect(),
        "feed_silent" => {
            let quiet = FeedSilentAlert {
                feed: "sample".into(),
                brand: "sample".into(),
                kind: "rss".into(),
                since: DateTime::<Utc>::UNIX_EPOCH,
                limit_minutes: 60,
                state: "ok".into(),
                consecutive_failures: 0,
                last_error: None,
            };
            let failing = FeedSilentAlert {
                last_error: Some("sample".into()),
                consecutive_failures: 3,
                ..quiet.clone()
            };
            [quiet, failing]
                .iter()
                .map(|a| Value::from_serialize(SilenceContext::new(a)))
                .collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Templates;
    use super::sample_alerts;
    use crate::domain::Lang;

    /// The templates that ship in `alerts/templates`.
    fn shipped() -> Templates {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("alerts/templates");
        Templates::load(&dir).unwrap()
    }

    /// An incident closed by a new crisis says so, naming the new incident, in both
    /// languages; one closed after its quiet time says that instead.
    #[test]
    fn a_closing_names_the_new_crisis_that_caused_it() {
        let templates = shipped();
        let alerts = sample_alerts();
        let (quiet, superseded) = (&alerts[1], &alerts[2]);
        assert_eq!(superseded.superseded_by, Some(2));
        let to = ["crisis@example.com".to_owned()];
        let render = |lang, alert| {
            templates
                .render_incident_opened(lang, "k", &to, alert)
                .unwrap()
        };
        let es = render(Lang::Es, superseded);
        assert!(
            es.subject
                .contains("una nueva crisis abrió el incidente #2"),
            "{}",
            es.subject
        );
        assert!(
            es.text.contains("ha abierto el incidente #2"),
            "{}",
            es.text
        );
        assert!(es.html.unwrap().contains("ha abierto el incidente #2"));
        let en = render(Lang::En, superseded);
        assert!(
            en.subject.contains("a new crisis opened incident #2"),
            "{}",
            en.subject
        );
        assert!(en.text.contains("opened incident #2"), "{}", en.text);
        let calm = render(Lang::En, quiet);
        assert!(
            calm.subject.contains("no more crisis signals"),
            "{}",
            calm.subject
        );
        assert!(!calm.text.contains("incident #2"), "{}", calm.text);
        // The brand is named once, with what had fired.
        assert!(
            calm.subject.ends_with(
                "closed automatically at Sample (2 negative mentions in 60 min): no more crisis signals"
            ),
            "{}",
            calm.subject
        );
        let calm = render(Lang::Es, quiet);
        assert!(calm.text.contains("tiempo de calma"), "{}", calm.text);
    }

    /// An incident opened beside the brand's other active incidents names them, in the
    /// subject and the body, in both languages, and so does its escalation; one opened alone
    /// does not.
    #[test]
    fn an_incident_opened_beside_others_names_them() {
        let templates = shipped();
        let alerts = sample_alerts();
        let (alone, beside, escalated) = (&alerts[0], &alerts[3], &alerts[4]);
        assert_eq!(beside.beside, [1, 2]);
        let render = |lang, alert| {
            templates
                .render_incident_opened(lang, "k", &["crisis@example.com".to_owned()], alert)
                .unwrap()
        };
        let one = crate::notify::IncidentAlert {
            beside: vec![1],
            ..beside.clone()
        };
        // (alert, language, end of the subject, sentence of the body)
        let cases = [
            (
                beside,
                Lang::Es,
                "(junto a los incidentes activos #1, #2)",
                "otros incidentes activos: #1, #2.",
            ),
            (
                beside,
                Lang::En,
                "(beside active incidents #1, #2)",
                "other active incidents: #1, #2.",
            ),
            (
                &one,
                Lang::Es,
                "(junto al incidente activo #1)",
                "otro incidente activo: #1.",
            ),
            (
                &one,
                Lang::En,
                "(beside active incident #1)",
                "another active incident: #1.",
            ),
            (
                escalated,
                Lang::Es,
                "(junto al incidente activo #1)",
                "también tiene otro incidente activo: #1; cada uno es un tema aparte.",
            ),
            (
                escalated,
                Lang::En,
                "(beside active incident #1)",
                "also has another active incident: #1; each is a topic of its own.",
            ),
        ];
        for (alert, lang, subject, body) in cases {
            let r = render(lang, alert);
            assert!(r.subject.ends_with(subject), "{}", r.subject);
            assert!(r.text.contains(body), "{}", r.text);
            assert!(r.html.as_deref().is_some_and(|h| h.contains(body)));
        }
        for lang in [Lang::Es, Lang::En] {
            let plain = render(lang, alone);
            let said = |s: &str| s.contains("junto a") || s.contains("beside");
            assert!(!said(&plain.subject), "{}", plain.subject);
            assert!(!said(&plain.text), "{}", plain.text);
        }
    }

    /// A raise and an escalation are not announced as openings: the heading and the time
    /// line say which they are, in both languages.
    #[test]
    fn a_raise_and_an_escalation_say_what_they_are() {
        let templates = shipped();
        let alerts = sample_alerts();
        let (escalated, raised) = (&alerts[4], &alerts[5]);
        assert_eq!(
            (escalated.news.as_str(), raised.news.as_str()),
            ("escalated", "raised")
        );
        let at = "1970-01-01 00:00 UTC";
        // (alert, language, heading, time line)
        let cases = [
            (
                raised,
                Lang::En,
                "Crisis raised to critical at Sample".to_owned(),
                format!("Raised: {at}"),
            ),
            (
                raised,
                Lang::Es,
                "Crisis elevada en Sample".to_owned(),
                format!("Elevado: {at}"),
            ),
            (
                escalated,
                Lang::En,
                "Unacknowledged crisis at Sample".to_owned(),
                format!("Escalated: {at}"),
            ),
            (
                escalated,
                Lang::Es,
                "Crisis sin reconocer en Sample".to_owned(),
                format!("Escalado: {at}"),
            ),
        ];
        for (alert, lang, heading, time) in cases {
            let r = templates
                .render_incident_opened(lang, "k", &["crisis@example.com".to_owned()], alert)
                .unwrap();
            assert!(r.text.contains(&time), "{}", r.text);
            assert!(
                !r.text.contains("Opened:") && !r.text.contains("Abierto:"),
                "{}",
                r.text
            );
            let html = r.html.unwrap();
            assert!(
                html.contains(&format!(
                    "<h1 style=\"margin:0 0 12px;font-size:20px;color:#b91c1c;\">{heading}</h1>"
                )),
                "{html}"
            );
        }
    }
}
