//! Turning events into queued messages: who hears about what, in which language.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::sync::Arc;

use super::templates::Templates;
use super::{AlertMention, IncidentAlert};
use crate::config::RecipientConfig;
use crate::domain::{Brand, Lang, Trigger};
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

    /// Renders the "incident opened" alert for each language group of the brand's recipients
    /// and queues it in the outbox, inside the caller's transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn incident_opened<T: StoreTx>(
        &self,
        tx: &mut T,
        brand: &Brand,
        incident_id: i64,
        trigger: &Trigger,
        opened_at: DateTime<Utc>,
        samples: &[MentionRow],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let alert = IncidentAlert {
            brand: brand.display_name.clone(),
            incident_id,
            trigger: trigger.clone(),
            opened_at,
            link: self.public_url.as_ref().map(|u| {
                format!(
                    "{}/api/incidents?brand={}",
                    u.trim_end_matches('/'),
                    brand.name
                )
            }),
            mentions: samples.iter().map(alert_mention).collect(),
        };
        for (code, (lang, to)) in self.audience(brand) {
            let key = format!("incident-{incident_id}-opened-{code}");
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
