//! Incident lifecycle on ingest: one crisis = one incident. A crisis signal opens an incident
//! (with the burst that caused it attached) or joins the brand's active one; later mentions
//! that fit the incident (same brand, within the merge window, sharing its top terms or one of
//! its categories) attach to it; the severity only rises, and each rise is notified.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::detectors::Signal;
use super::terms::terms;
use super::{CrisisPolicy, Outcome, Seen};
use crate::domain::{Incident, SentimentLabel, Severity, Trigger};
use crate::notify::alerts::{Alerter, IncidentNews};
use crate::storage::crisis::IncidentEvent;
use crate::storage::{MentionFilter, StoreResult, StoreTx};

const TOP_TERMS: i64 = 10;

pub struct Lifecycle {
    alerter: Alerter,
}

impl Lifecycle {
    pub fn new(alerter: Alerter) -> Lifecycle {
        Lifecycle { alerter }
    }

    pub fn alerter(&self) -> &Alerter {
        &self.alerter
    }

    pub(super) async fn on_signals<T: StoreTx>(
        &self,
        tx: &mut T,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        crises: &[Signal],
        now: DateTime<Utc>,
    ) -> StoreResult<Outcome> {
        let at = seen.mention.created_at;
        let merge = Duration::minutes(policy.merge_window_minutes);
        let active = tx
            .active_incident(seen.brand.id)
            .await?
            .filter(|i| at - i.last_mention_at <= merge);
        if let Some(incident) = active {
            if crises.is_empty() && !self.fits(tx, policy, seen, &incident).await? {
                return Ok(Outcome::Ordinary);
            }
            self.attach(tx, seen, incident.id, at).await?;
            self.maybe_raise(tx, policy, seen, &incident, crises, now)
                .await?;
            return Ok(Outcome::Attached {
                incident_id: incident.id,
            });
        }
        let Some(opener) = crises.first() else {
            return Ok(Outcome::Ordinary);
        };
        let id = self.open(tx, policy, seen, opener, now).await?;
        Ok(Outcome::Opened {
            incident_id: id,
            trigger: opener.trigger.clone(),
        })
    }

    /// A non-crisis mention fits when it is not positive and shares a top category or enough
    /// top terms with the incident.
    async fn fits<T: StoreTx>(
        &self,
        tx: &mut T,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        incident: &Incident,
    ) -> StoreResult<bool> {
        if seen.analysis.label == SentimentLabel::Positive {
            return Ok(false);
        }
        let categories = tx.incident_categories(incident.id).await?;
        if seen
            .analysis
            .categories
            .iter()
            .any(|c| categories.contains(c))
        {
            return Ok(true);
        }
        let top = tx.top_incident_terms(incident.id, TOP_TERMS).await?;
        let mine = terms(&seen.mention.text, &seen.brand.name);
        let shared = top.iter().filter(|(t, _)| mine.contains(t)).count();
        Ok(shared as i64 >= policy.attach_min_shared_terms)
    }

    async fn attach<T: StoreTx>(
        &self,
        tx: &mut T,
        seen: &Seen<'_>,
        incident_id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        tx.attach_to_incident(incident_id, seen.mention_id, at)
            .await?;
        tx.note_first_mention(incident_id, at).await?;
        let t = terms(&seen.mention.text, &seen.brand.name);
        tx.add_incident_terms(incident_id, &t).await
    }

    async fn open<T: StoreTx>(
        &self,
        tx: &mut T,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        opener: &Signal,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let at = seen.mention.created_at;
        let brand = seen.brand;
        let id = tx
            .create_incident_with(brand.id, &opener.trigger, opener.severity, at, now)
            .await?;
        let burst = self.burst(tx, policy, seen, &opener.trigger).await?;
        for &(mention_id, t) in &burst {
            tx.attach_to_incident(id, mention_id, t).await?;
            tx.note_first_mention(id, t).await?;
        }
        self.attach(tx, seen, id, at).await?;
        let detail = json!({"trigger": opener.trigger, "severity": opener.severity});
        event(tx, id, at, "opened", detail).await?;
        let samples = self.samples(tx, policy, seen, &burst).await?;
        let news = IncidentNews::opened(id, &opener.trigger, opener.severity, at);
        self.alerter
            .incident_news(tx, brand, &news, &samples, now)
            .await?;
        tracing::info!(brand = %brand.name, incident = id, trigger = opener.trigger.kind(), "incident opened");
        Ok(id)
    }

    /// The earlier mentions that make up the burst a surge detector counted.
    async fn burst<T: StoreTx>(
        &self,
        tx: &mut T,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        trigger: &Trigger,
    ) -> StoreResult<Vec<(i64, DateTime<Utc>)>> {
        let to = seen.mention.created_at;
        let from = to - Duration::minutes(policy.window_minutes);
        let category = match trigger {
            Trigger::NegativeVolume { category, .. } => category.as_deref(),
            Trigger::NegativeShare { .. } => None,
            _ => return Ok(Vec::new()),
        };
        let mut ids = tx.negative_ids(seen.brand.id, category, from, to).await?;
        ids.retain(|(id, _)| *id != seen.mention_id);
        Ok(ids)
    }

    /// Mentions quoted in the alert, oldest first, ending with the one that fired.
    async fn samples<T: StoreTx>(
        &self,
        tx: &mut T,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        burst: &[(i64, DateTime<Utc>)],
    ) -> StoreResult<Vec<crate::storage::MentionRow>> {
        let keep = (policy.sample_mentions.max(1) - 1) as usize;
        let mut ids: Vec<i64> = burst.iter().rev().take(keep).map(|(id, _)| *id).collect();
        ids.push(seen.mention_id);
        let filter = MentionFilter {
            ids: Some(ids.clone()),
            ..Default::default()
        };
        let mut rows = tx.find_mentions(&filter, ids.len() as i64).await?;
        rows.sort_by_key(|r| (r.id == seen.mention_id, r.created_at, r.id));
        Ok(rows)
    }

    /// Raises the severity when a stronger signal arrives or the incident grows past
    /// `critical_mentions`; each raise is a timeline event and a new notification.
    async fn maybe_raise<T: StoreTx>(
        &self,
        tx: &mut T,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        incident: &Incident,
        crises: &[Signal],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let grown = incident.mention_count + 1 >= policy.critical_mentions;
        let (severity, trigger) = match crises.first() {
            Some(s) if s.severity > incident.severity => (s.severity, s.trigger.clone()),
            _ if grown && incident.severity < Severity::Critical => {
                (Severity::Critical, incident.trigger.clone())
            }
            _ => return Ok(()),
        };
        let at = seen.mention.created_at;
        tx.set_incident_severity(incident.id, severity).await?;
        let detail = json!({"from": incident.severity, "to": severity, "trigger": trigger,
            "mentions": incident.mention_count + 1});
        event(tx, incident.id, at, "severity_raised", detail).await?;
        let samples = self.samples(tx, policy, seen, &[]).await?;
        let news = IncidentNews::raised(incident.id, &trigger, severity, at);
        self.alerter
            .incident_news(tx, seen.brand, &news, &samples, now)
            .await
    }

    /// Records an informational notice at most once per merge window and brand.
    pub(super) async fn notice<T: StoreTx>(
        &self,
        tx: &mut T,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        signal: Signal,
        now: DateTime<Utc>,
    ) -> StoreResult<Outcome> {
        let at = seen.mention.created_at;
        let kind = signal.trigger.kind();
        if let Some(last) = tx.last_notice_at(seen.brand.id, kind).await? {
            if at - last <= Duration::minutes(policy.merge_window_minutes) {
                return Ok(Outcome::Ordinary);
            }
        }
        tx.record_notice(seen.brand.id, &signal.trigger, signal.severity, at, now)
            .await?;
        tracing::info!(brand = %seen.brand.name, notice = kind, "informational notice");
        Ok(Outcome::Notice {
            trigger: signal.trigger,
        })
    }
}

pub(crate) async fn event<T: StoreTx>(
    tx: &mut T,
    incident_id: i64,
    at: DateTime<Utc>,
    kind: &str,
    detail: serde_json::Value,
) -> StoreResult<()> {
    let e = IncidentEvent {
        at,
        kind: kind.into(),
        actor: None,
        detail,
    };
    tx.add_incident_event(incident_id, &e).await
}
