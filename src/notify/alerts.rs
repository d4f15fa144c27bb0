//! Turning events into queued messages: who hears about what, in which language.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::sync::Arc;

use super::routing;
use super::templates::Templates;
use super::webhooks::ChannelMessage;
use super::{AlertMention, IncidentAlert, Rendered};
use crate::config::ChannelKind;
use crate::config::RecipientConfig;
use crate::domain::{Brand, Lang, Severity, Trigger};
use crate::storage::{MentionRow, StoreError, StoreResult, StoreTx};

/// Email recipients who get one shared message: same language and due time.
type EmailGroup = (&'static str, DateTime<Utc>);

/// Outbox channel name for email messages.
pub const EMAIL_CHANNEL: &str = "email";

pub struct Alerter {
    templates: Arc<Templates>,
    recipients: Vec<RecipientConfig>,
    public_url: Option<String>,
}

impl Alerter {
    pub fn new(
        templates: Arc<Templates>,
        recipients: Vec<RecipientConfig>,
        public_url: Option<String>,
    ) -> Alerter {
        Alerter {
            templates,
            recipients,
            public_url,
        }
    }

    /// The highest escalation level any recipient has.
    pub fn max_level(&self) -> u32 {
        self.recipients
            .iter()
            .map(|r| r.escalation_level)
            .max()
            .unwrap_or(0)
    }

    /// The language a recipient reads (the brand's by default; English for anything else).
    fn lang_of(r: &RecipientConfig, brand: &Brand) -> Lang {
        let lang = r.lang.as_deref().map(Lang::from_code).unwrap_or(brand.lang);
        if lang == Lang::Other { Lang::En } else { lang }
    }

    /// Renders news about an incident for every recipient routed to it at escalation `level`
    /// (by brand, severity, category), in each one's language and channel, and queues it in
    /// the outbox inside the caller's transaction. Email recipients who share a language and
    /// a due time share one message; quiet hours delay non-critical news.
    pub async fn incident_news<T: StoreTx>(
        &self,
        tx: &mut T,
        brand: &Brand,
        news: &IncidentNews,
        samples: &[MentionRow],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let alert = self.alert(brand, news, samples);
        let mut categories: Vec<String> =
            samples.iter().flat_map(|m| m.categories.clone()).collect();
        if let Some(c) = trigger_category(&news.trigger) {
            categories.push(c.to_owned());
        }
        let mut email: BTreeMap<EmailGroup, (Lang, Vec<String>)> = BTreeMap::new();
        for r in &self.recipients {
            if !routing::wants(r, &brand.name, news.severity, &categories, news.level) {
                continue;
            }
            let lang = Self::lang_of(r, brand);
            let due = routing::due_at(r, news.severity, now);
            if r.channel == ChannelKind::Email {
                let group = email
                    .entry((lang.code(), due))
                    .or_insert_with(|| (lang, Vec::new()));
                group.1.push(r.email.clone());
                continue;
            }
            let target = r.url_env.clone().unwrap_or_default();
            let key = news.key(&format!(
                "{}-{}-{}",
                r.channel.as_str(),
                target.to_lowercase(),
                lang.code()
            ));
            let rendered = self.render(lang, &key, &[], &alert)?;
            let msg = ChannelMessage {
                target,
                rendered,
                event: event_json(brand, news, &alert),
            };
            enqueue(tx, &key, r.channel.as_str(), &msg, due, now).await?;
        }
        for ((code, due), (lang, to)) in email {
            let audience = if due > now {
                format!("{code}-later")
            } else {
                code.to_owned()
            };
            let key = news.key(&audience);
            let rendered = self.render(lang, &key, &to, &alert)?;
            enqueue(tx, &key, EMAIL_CHANNEL, &rendered, due, now).await?;
        }
        Ok(())
    }

    fn alert(&self, brand: &Brand, news: &IncidentNews, samples: &[MentionRow]) -> IncidentAlert {
        IncidentAlert {
            brand: brand.display_name.clone(),
            incident_id: news.incident_id,
            trigger: news.trigger.clone(),
            severity: news.severity,
            news: news.kind.into(),
            opened_at: news.at,
            link: self.public_url.as_ref().map(|u| {
                format!(
                    "{}/api/incidents/{}",
                    u.trim_end_matches('/'),
                    news.incident_id
                )
            }),
            mentions: samples.iter().map(alert_mention).collect(),
            superseded_by: news.superseded_by,
            beside: news.beside.clone(),
        }
    }

    fn render(
        &self,
        lang: Lang,
        key: &str,
        to: &[String],
        alert: &IncidentAlert,
    ) -> StoreResult<Rendered> {
        self.templates
            .render_incident_opened(lang, key, to, alert)
            .map_err(|e| StoreError::Corrupt(format!("alert template: {e}")))
    }
}

async fn enqueue<T: StoreTx, P: serde::Serialize>(
    tx: &mut T,
    key: &str,
    channel: &str,
    payload: &P,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let payload = serde_json::to_string(payload).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.enqueue_outbox_due(key, channel, &payload, due, now)
        .await
}

fn trigger_category(t: &Trigger) -> Option<&str> {
    match t {
        Trigger::CriticalCategory { category } => Some(category),
        Trigger::NegativeVolume { category, .. } => category.as_deref(),
        _ => None,
    }
}

/// The structured event a generic webhook receives (mention texts as data, never markup).
fn event_json(brand: &Brand, news: &IncidentNews, alert: &IncidentAlert) -> serde_json::Value {
    serde_json::json!({
        "event": format!("incident.{}", news.kind),
        "incident": {
            "id": news.incident_id,
            "brand": brand.name,
            "severity": news.severity,
            "trigger": news.trigger,
            "at": news.at,
            "link": alert.link,
            "superseded_by": news.superseded_by,
            "beside": news.beside,
        },
        "mentions": alert.mentions,
    })
}

/// Something new about an incident that people hear about.
#[derive(Debug, Clone)]
pub struct IncidentNews {
    pub incident_id: i64,
    /// `opened` or `raised`.
    pub kind: &'static str,
    pub trigger: Trigger,
    pub severity: Severity,
    pub at: DateTime<Utc>,
    /// Escalation level it goes to (0: first responders).
    pub level: u32,
    /// For `auto_closed`: the incident of the new crisis that closed it.
    pub superseded_by: Option<i64>,
    /// For `opened`: the brand's other active incidents it opened beside (another story, so
    /// it did not join them); for `escalated`: the brand's other active incidents now.
    pub beside: Vec<i64>,
}

impl IncidentNews {
    pub fn opened(
        incident_id: i64,
        trigger: &Trigger,
        severity: Severity,
        at: DateTime<Utc>,
    ) -> Self {
        IncidentNews {
            incident_id,
            kind: "opened",
            trigger: trigger.clone(),
            severity,
            at,
            level: 0,
            superseded_by: None,
            beside: Vec::new(),
        }
    }

    pub fn raised(
        incident_id: i64,
        trigger: &Trigger,
        severity: Severity,
        at: DateTime<Utc>,
    ) -> Self {
        IncidentNews {
            kind: "raised",
            ..IncidentNews::opened(incident_id, trigger, severity, at)
        }
    }

    /// News for escalation `level`: the incident is still unacknowledged.
    pub fn escalated(
        incident_id: i64,
        trigger: &Trigger,
        severity: Severity,
        at: DateTime<Utc>,
        level: u32,
    ) -> Self {
        IncidentNews {
            kind: "escalated",
            level,
            ..IncidentNews::opened(incident_id, trigger, severity, at)
        }
    }

    /// The idempotency key of this news for one audience.
    pub fn key(&self, audience: &str) -> String {
        match self.kind {
            "escalated" => format!(
                "incident-{}-escalated-{}-{audience}",
                self.incident_id, self.level
            ),
            "opened" => format!("incident-{}-opened-{audience}", self.incident_id),
            // A reopened incident can close itself again: each closing is its own news,
            // stable across retries because `at` is the event time it closed at.
            "auto_closed" => format!(
                "incident-{}-auto_closed-{}-{audience}",
                self.incident_id,
                self.at.timestamp()
            ),
            kind => format!(
                "incident-{}-{kind}-{}-{audience}",
                self.incident_id,
                self.severity.as_str()
            ),
        }
    }
}

fn alert_mention(m: &MentionRow) -> AlertMention {
    AlertMention {
        source: m.source.clone(),
        author: m.author_handle.clone(),
        text: m.text.clone(),
        url: m.url.clone(),
        created_at: m.created_at,
        sentiment: m.sentiment,
        categories: m.categories.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn closing(at: DateTime<Utc>) -> IncidentNews {
        let trigger = Trigger::CriticalCategory {
            category: "safety".into(),
        };
        IncidentNews {
            kind: "auto_closed",
            ..IncidentNews::opened(7, &trigger, Severity::Critical, at)
        }
    }

    #[test]
    fn each_auto_close_of_a_reopened_incident_is_its_own_message() {
        let first = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
        let second = Utc.with_ymd_and_hms(2026, 3, 5, 8, 30, 0).unwrap();
        // Retrying one closing gives the same key (the outbox sends it once)...
        assert_eq!(closing(first).key("es"), closing(first).key("es"));
        // ...while closing again after a reopen is news of its own.
        assert_ne!(closing(first).key("es"), closing(second).key("es"));
        assert_ne!(closing(first).key("es"), closing(first).key("en"));
    }
}
