//! Periodic checks on active incidents (once a minute in `vigia serve`):
//! - escalation: an incident still `open` N × `escalate_after_minutes` after it opened is sent
//!   to the recipients of escalation level N (once per level);
//! - auto-resolution: an incident without a new mention for `auto_resolve_quiet_minutes` gets
//!   a resolution proposal on its timeline; a person resolves it.
//!
//! Both are measured from the incident's event times (opening, last mention), which for a live
//! feed are the moments they happened.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

use super::Detector;
use super::incident::event;
use crate::clock::Clock;
use crate::domain::{Brand, Incident, IncidentStatus};
use crate::notify::alerts::IncidentNews;
use crate::storage::{CrisisTx, Store, StoreResult, StoreTx};

/// What one check did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WatchReport {
    pub escalated: usize,
    pub proposed: usize,
}

pub struct IncidentWatch {
    detector: Arc<Detector>,
    brands: Vec<Brand>,
}

impl IncidentWatch {
    pub fn new(detector: Arc<Detector>, brands: Vec<Brand>) -> IncidentWatch {
        IncidentWatch { detector, brands }
    }

    pub async fn check<S: Store>(&self, store: &S, now: DateTime<Utc>) -> StoreResult<WatchReport> {
        let mut report = WatchReport::default();
        let active = store.active_incidents().await?;
        for &(level, ref incident) in &active {
            let Some(brand) = self.brands.iter().find(|b| b.name == incident.brand) else {
                continue;
            };
            let policy = self.detector.rules().policy(&brand.name);
            let mut tx = store.begin().await?;
            let quiet = Duration::minutes(policy.auto_resolve_quiet_minutes);
            if incident.resolve_proposed_at.is_none() && now - incident.last_mention_at >= quiet {
                tx.propose_resolution(incident.id, now).await?;
                let detail = json!({"quiet_minutes": policy.auto_resolve_quiet_minutes});
                event(&mut tx, incident.id, now, "resolution_proposed", detail).await?;
                report.proposed += 1;
            }
            let after = Duration::minutes(policy.escalate_after_minutes);
            if let Some(next) = self.next_level(incident, level, after, now) {
                // The brand's other active incidents: each is a story of its own.
                let mut beside: Vec<i64> = (active.iter())
                    .filter(|(_, o)| o.brand == incident.brand && o.id != incident.id)
                    .map(|(_, o)| o.id)
                    .collect();
                beside.sort_unstable();
                let news = IncidentNews {
                    beside,
                    ..IncidentNews::escalated(
                        incident.id,
                        &incident.trigger,
                        incident.severity,
                        now,
                        next,
                    )
                };
                let samples = store
                    .incident_samples(incident.id, policy.sample_mentions)
                    .await?;
                let alerter = self.detector.lifecycle.alerter();
                alerter
                    .incident_news(&mut tx, brand, &news, &samples, now)
                    .await?;
                tx.set_escalation_level(incident.id, i64::from(next))
                    .await?;
                event(
                    &mut tx,
                    incident.id,
                    now,
                    "escalated",
                    json!({"level": next}),
                )
                .await?;
                report.escalated += 1;
            }
            tx.commit().await?;
        }
        Ok(report)
    }

    /// The next escalation level due for an unacknowledged incident, if any.
    fn next_level(
        &self,
        i: &Incident,
        level: i64,
        after: Duration,
        now: DateTime<Utc>,
    ) -> Option<u32> {
        if i.status != IncidentStatus::Open {
            return None;
        }
        let next = u32::try_from(level + 1).ok()?;
        let max = self.detector.lifecycle.alerter().max_level();
        (next <= max && now >= i.opened_at + after * next as i32).then_some(next)
    }

    /// Checks once a minute until cancelled.
    pub async fn run<S: Store>(&self, store: S, clock: Arc<dyn Clock>, cancel: CancellationToken) {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tick.tick() => {}
            }
            if let Err(e) = self.check(&store, clock.now()).await {
                tracing::warn!(error = %e, "incident check failed");
            }
        }
    }
}
