//! Turning events into queued messages: who hears about what, in which language.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::sync::Arc;

use super::templates::Templates;
use super::{AlertMention, IncidentAlert};
use crate::config::RecipientConfig;
use crate::domain::{Brand, Lang, Severity, Trigger};
use crate::storage::{MentionRow, StoreError, StoreResult, StoreTx};

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

    /// Recipients of a brand's alerts, grouped by the language they read.
    fn audience(&self, brand: &Brand) -> BTreeMap<&'static str, (Lang, Vec<String>)> {
        let mut groups: BTreeMap<&'static str, (Lang, Vec<String>)> = BTreeMap::new();
        for r in &self.recipients {
            if !r.brands.is_empty() && !r.brands.iter().any(|b| b == &brand.name) {
                continue;
            }
            let lang = r.lang.as_deref().map(Lang::from_code).unwrap_or(brand.lang);
            let lang = if lang == Lang::Other { Lang::En } else { lang };
            groups
                .entry(lang.code())
                .or_insert_with(|| (lang, Vec::new()))
                .1
                .push(r.email.clone());
        }
        groups
    }

    /// Renders news about an incident (opened, severity raised) for each language group of
    /// the brand's recipients and queues it in the outbox, inside the caller's transaction.
    pub async fn incident_news<T: StoreTx>(
        &self,
        tx: &mut T,
        brand: &Brand,
        news: &IncidentNews,
        samples: &[MentionRow],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let alert = IncidentAlert {
            brand: brand.display_name.clone(),
            incident_id: news.incident_id,
            trigger: news.trigger.clone(),
            severity: news.severity,
            news: news.kind.into(),
            opened_at: news.at,
            link: self.public_url.as_ref().map(|u| {
                format!("{}/api/incidents/{}", u.trim_end_matches('/'), news.incident_id)
            }),
            mentions: samples.iter().map(alert_mention).collect(),
        };
        for (code, (lang, to)) in self.audience(brand) {
            let key = news.key(code);
            let rendered = self
                .templates
                .render_incident_opened(lang, &key, &to, &alert)
                .map_err(|e| StoreError::Corrupt(format!("alert template: {e}")))?;
            let payload =
                serde_json::to_string(&rendered).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.enqueue_outbox(&key, EMAIL_CHANNEL, &payload, now)
                .await?;
        }
        Ok(())
    }
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
}

impl IncidentNews {
    pub fn opened(incident_id: i64, trigger: &Trigger, severity: Severity, at: DateTime<Utc>) -> Self {
        IncidentNews {
            incident_id,
            kind: "opened",
            trigger: trigger.clone(),
            severity,
            at,
        }
    }

    pub fn raised(incident_id: i64, trigger: &Trigger, severity: Severity, at: DateTime<Utc>) -> Self {
        IncidentNews {
            kind: "raised",
            ..IncidentNews::opened(incident_id, trigger, severity, at)
        }
    }

    /// The idempotency key of this news for one audience.
    pub fn key(&self, audience: &str) -> String {
        match self.kind {
            "opened" => format!("incident-{}-opened-{audience}", self.incident_id),
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
