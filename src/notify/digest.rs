//! Digests: on each recipient's own cron (`digest`, e.g. daily at 08:00 or weekly on
//! Mondays), a summary of the last `digest_days` per brand — volume and its trend against the
//! period before, negative share and its trend, top complaints by category, informational
//! notices (positive surges), open incidents and open tickets — rendered from the `digest`
//! templates in the recipient's language and queued in the outbox (key per recipient, brand
//! and cron time, so a repeat check never sends twice). Info never pages anyone: it waits here.

use super::{Digest, DigestIncident};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use std::sync::{Arc, Mutex};

use super::alerts::EMAIL_CHANNEL;
use super::templates::Templates;
use super::webhooks::ChannelMessage;
use crate::config::ChannelKind;
use crate::config::RecipientConfig;
use crate::domain::{Brand, IncidentStatus, Lang, SentimentLabel, TicketStatus};
use crate::storage::{
    CrisisTx, IncidentFilter, MentionFilter, PageRequest, Store, StoreError, StoreResult, StoreTx,
    TicketFilter,
};

pub struct Digests {
    templates: Arc<Templates>,
    recipients: Vec<(usize, RecipientConfig, cron::Schedule)>,
    brands: Vec<Brand>,
    /// Cron times up to here have been handled.
    checked: Mutex<DateTime<Utc>>,
}

impl Digests {
    pub fn new(
        templates: Arc<Templates>,
        recipients: &[RecipientConfig],
        brands: Vec<Brand>,
        start: DateTime<Utc>,
    ) -> Digests {
        let recipients = recipients
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let s = crate::config::cron::parse_schedule(r.digest.as_deref()?).ok()?;
                Some((i, r.clone(), s))
            })
            .collect();
        Digests {
            templates,
            recipients,
            brands,
            checked: Mutex::new(start),
        }
    }

    /// Queues the digests whose cron time fell in (last check, now]; returns how many.
    pub async fn check<S: Store>(&self, store: &S, now: DateTime<Utc>) -> StoreResult<usize> {
        let since = {
            let mut c = self.checked.lock().unwrap_or_else(|p| p.into_inner());
            std::mem::replace(&mut *c, now)
        };
        let mut queued = 0;
        for (i, r, schedule) in &self.recipients {
            // Only the latest due time: after a long pause one digest, not a backlog.
            let Some(at) = schedule.after(&since).take_while(|t| *t <= now).last() else {
                continue;
            };
            for brand in self
                .brands
                .iter()
                .filter(|b| r.brands.is_empty() || r.brands.contains(&b.name))
            {
                let digest = build(store, brand, at - Duration::days(r.digest_days), at).await?;
                let key = format!("digest-{i}-{}-{}", brand.name, at.timestamp());
                self.queue(store, r, brand, &digest, &key, now).await?;
                queued += 1;
            }
        }
        Ok(queued)
    }

    async fn queue<S: Store>(
        &self,
        store: &S,
        r: &RecipientConfig,
        brand: &Brand,
        d: &Digest,
        key: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let lang = r.lang.as_deref().map(Lang::from_code).unwrap_or(brand.lang);
        let to = if r.channel == ChannelKind::Email {
            vec![r.email.clone()]
        } else {
            Vec::new()
        };
        let rendered = self
            .templates
            .render_digest(lang, key, &to, d)
            .map_err(|e| StoreError::Corrupt(format!("digest template: {e}")))?;
        let payload = if r.channel == ChannelKind::Email {
            serde_json::to_string(&rendered)
        } else {
            let event = serde_json::json!({"event": "digest", "digest": d});
            let target = r.url_env.clone().unwrap_or_default();
            serde_json::to_string(&ChannelMessage {
                target,
                rendered,
                event,
            })
        }
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let channel = if r.channel == ChannelKind::Email {
            EMAIL_CHANNEL
        } else {
            r.channel.as_str()
        };
        let mut tx = store.begin().await?;
        tx.enqueue_outbox_due(key, channel, &payload, now, now)
            .await?;
        tx.commit().await
    }

    /// Checks once a minute until cancelled.
    pub async fn run<S: Store>(
        &self,
        store: S,
        clock: Arc<dyn crate::clock::Clock>,
        cancel: tokio_util::sync::CancellationToken,
    ) {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tick.tick() => {}
            }
            if let Err(e) = self.check(&store, clock.now()).await {
                tracing::warn!(error = %e, "digest check failed");
            }
        }
    }
}

/// The digest of `brand` for `(from, to]`, compared with the period just before.
pub async fn build<S: Store>(
    store: &S,
    brand: &Brand,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Digest> {
    let prev_from = from - (to - from);
    let (mentions, negative) = volume(store, &brand.name, from, to).await?;
    let (previous_mentions, previous_negative) =
        volume(store, &brand.name, prev_from, from).await?;
    let pct = |n: i64, d: i64| if d > 0 { (100 * n + d / 2) / d } else { 0 };
    let mut open_incidents = Vec::new();
    for status in [IncidentStatus::Open, IncidentStatus::Acknowledged] {
        let filter = IncidentFilter {
            brand: Some(brand.name.clone()),
            status: Some(status),
            ..Default::default()
        };
        let page = PageRequest {
            limit: 20,
            offset: 0,
        };
        for i in store.list_incidents(&filter, &page).await?.items {
            open_incidents.push(DigestIncident {
                id: i.id,
                status: i.status.as_str().into(),
                severity: i.severity.as_str().into(),
                kind: i.trigger.kind().into(),
                opened_at: i.opened_at,
                mentions: i.mention_count,
            });
        }
    }
    let tickets = TicketFilter {
        brand: Some(brand.name.clone()),
        status: Some(TicketStatus::Open),
        ..Default::default()
    };
    let open_tickets = store
        .list_tickets(
            &tickets,
            &PageRequest {
                limit: 1,
                offset: 0,
            },
        )
        .await?
        .total;
    let notices = store
        .notices(from, to)
        .await?
        .into_iter()
        .filter(|(b, _, _)| *b == brand.name)
        .map(|(_, t, _)| t)
        .collect();
    Ok(Digest {
        brand: brand.display_name.clone(),
        from,
        to,
        mentions,
        previous_mentions,
        negative_pct: pct(negative, mentions),
        previous_negative_pct: pct(previous_negative, previous_mentions),
        top_complaints: store.negative_categories(&brand.name, from, to).await?,
        notices,
        open_incidents,
        open_tickets,
    })
}

async fn volume<S: Store>(
    store: &S,
    brand: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<(i64, i64)> {
    let page = PageRequest {
        limit: 1,
        offset: 0,
    };
    let mut filter = MentionFilter {
        brand: Some(brand.to_owned()),
        since: Some(from + Duration::milliseconds(1)),
        until: Some(to),
        ..Default::default()
    };
    let all = store.list_mentions(&filter, &page).await?.total;
    filter.label = Some(SentimentLabel::Negative);
    let negative = store.list_mentions(&filter, &page).await?.total;
    Ok((all, negative))
}

/// RFC 3339 for templates.
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}
