//! Crisis state as the application sees it: learned baselines, incident lifecycle, timeline,
//! top terms and notices. [`CrisisTx`] holds what must happen inside the ingest (or an API
//! action's) transaction; [`CrisisStore`] the reads for the API.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{MentionRow, StoreResult};
use crate::domain::Recent;
use crate::domain::{Counts, SlotBaseline};
use crate::domain::{Incident, IncidentStatus, Severity, Trigger};

/// One learned baseline slot of a brand; `category` is empty for all mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineRow {
    pub category: String,
    pub slot: String,
    pub baseline: SlotBaseline,
}

/// A `crisis_baselines` row as both back ends select it: category, slot, total, negative,
/// positive, reach_neg, observations.
pub type BaselineRecord = (String, String, f64, f64, f64, f64, i64);

impl From<BaselineRecord> for BaselineRow {
    fn from(r: BaselineRecord) -> BaselineRow {
        let (category, slot, total, negative, positive, reach_neg, observations) = r;
        BaselineRow {
            category,
            slot,
            baseline: SlotBaseline {
                mean: Counts {
                    total,
                    negative,
                    positive,
                    reach_neg,
                },
                observations,
            },
        }
    }
}

/// Counts of one hour of one brand; `category` is empty for all mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct HourBucket {
    pub hour: DateTime<Utc>,
    pub category: String,
    pub counts: Counts,
}

/// One entry of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentEvent {
    pub at: DateTime<Utc>,
    /// `opened`, `severity_raised`, `acknowledged`, `resolved`, `resolution_proposed`,
    /// `escalated`, `auto_closed`, `reopened`.
    pub kind: String,
    pub actor: Option<String>,
    pub detail: serde_json::Value,
}

/// A helpdesk ticket that shares mentions with an incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkedTicket {
    pub id: i64,
    pub status: String,
    pub category: String,
    pub subject: String,
    pub shared_mentions: i64,
}

/// A page of an incident's linked tickets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkedTickets {
    pub tickets: Vec<LinkedTicket>,
    /// Other tickets share mentions with the incident too.
    pub more: bool,
}

/// A state change a person asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentAction {
    Acknowledge,
    Resolve,
    /// Back to `open` from `resolved` or `auto_closed`; its quiet time restarts then.
    Reopen,
}

/// What the crisis detector keeps in memory about one of a brand's active incidents, as
/// stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveIncidentRow {
    pub incident: Incident,
    pub last_signal_at: DateTime<Utc>,
    /// The most of its mentions seen within one detector window at its signals (counted until
    /// it reaches a surge's worth).
    pub peak: i64,
    pub crisis_categories: Vec<String>,
    /// Every term of the incident with its count.
    pub terms: Vec<(String, i64)>,
}

#[async_trait]
pub trait CrisisTx: Send {
    /// How many ingest pages and people's incident actions have changed the brand's crisis
    /// state, on every instance: an instance whose memory is older reloads it. On PostgreSQL
    /// it takes the brand's lock first, so the count is the latest committed.
    async fn crisis_epoch(&mut self, brand_id: i64) -> StoreResult<i64>;
    /// Counts one more such page; the new count.
    async fn bump_crisis_epoch(&mut self, brand_id: i64) -> StoreResult<i64>;
    /// The brand's mentions with event time in `(newest - minutes, newest]`, where `newest`
    /// is its latest mention: the in-memory window rebuilt after a restart.
    async fn recent_mentions(&mut self, brand_id: i64, minutes: i64) -> StoreResult<Vec<Recent>>;
    /// Every open or acknowledged incident of the brand with its crisis state, oldest first.
    async fn active_incident_states(
        &mut self,
        brand_id: i64,
    ) -> StoreResult<Vec<ActiveIncidentRow>>;
    async fn incident_status(&mut self, incident_id: i64) -> StoreResult<Option<IncidentStatus>>;
    /// How many mentions with event time after `since` the incident holds (as committed or
    /// written earlier in this transaction).
    async fn incident_mentions_since(
        &mut self,
        incident_id: i64,
        since: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Moves the incident's latest signal to `at` and its peak to `peak`, never back.
    async fn set_last_signal(
        &mut self,
        incident_id: i64,
        at: DateTime<Utc>,
        peak: i64,
    ) -> StoreResult<()>;
    async fn add_crisis_category(&mut self, incident_id: i64, category: &str) -> StoreResult<()>;
    /// Closes an open or acknowledged incident as `auto_closed` at event time `at`; false
    /// when it was no longer active (a person resolved it, or it was closed already).
    async fn auto_close(&mut self, incident_id: i64, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Event time of the brand's latest notice of each kind.
    async fn last_notices(&mut self, brand_id: i64) -> StoreResult<Vec<(String, DateTime<Utc>)>>;
    /// End (exclusive) of the hourly buckets already learned; `None` before the first.
    async fn baseline_folded_until(&mut self, brand_id: i64) -> StoreResult<Option<DateTime<Utc>>>;
    async fn set_baseline_folded_until(
        &mut self,
        brand_id: i64,
        until: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Per-hour counts of a brand's mentions by event time in `[from, to)`, overall (empty
    /// category) and per category; hours without mentions are absent.
    async fn hourly_counts(
        &mut self,
        brand_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<HourBucket>>;
    /// The brand's learned rows for these slot keys (every category).
    async fn load_baselines(
        &mut self,
        brand_id: i64,
        slots: &[String],
    ) -> StoreResult<Vec<BaselineRow>>;
    /// Inserts or replaces these learned rows of the brand, in one statement per few hundred
    /// rows (an hour's fold writes every category's slots at once).
    async fn save_baselines(&mut self, brand_id: i64, rows: &[BaselineRow]) -> StoreResult<()>;
    async fn create_incident_with(
        &mut self,
        brand_id: i64,
        trigger: &Trigger,
        severity: Severity,
        opened_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    async fn set_incident_severity(
        &mut self,
        incident_id: i64,
        severity: Severity,
    ) -> StoreResult<()>;
    async fn add_incident_event(
        &mut self,
        incident_id: i64,
        event: &IncidentEvent,
    ) -> StoreResult<()>;
    /// Counts each of `terms` once more for the incident (one statement for all of them).
    async fn add_incident_terms(&mut self, incident_id: i64, terms: &[String]) -> StoreResult<()>;
    /// The incident, read to change it: on PostgreSQL its brand's lock is taken first (the
    /// order ingest takes them in), so a person's action and an ingest page of the brand
    /// never wait on each other crosswise.
    async fn incident_for_update(&mut self, incident_id: i64) -> StoreResult<Option<Incident>>;
    /// Applies a person's action; the caller has checked the transition is allowed. It
    /// counts in the brand's crisis epoch, so every instance reloads the brand's crisis state
    /// (a reopened incident takes mentions again, a resolved one is forgotten) at its next
    /// page.
    async fn apply_incident_action(
        &mut self,
        incident_id: i64,
        action: IncidentAction,
        who: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn propose_resolution(&mut self, incident_id: i64, at: DateTime<Utc>) -> StoreResult<()>;
    async fn set_escalation_level(&mut self, incident_id: i64, level: i64) -> StoreResult<()>;
    /// Queues a side effect due at `due` (e.g. after quiet hours); a repeated key is ignored.
    async fn enqueue_outbox_due(
        &mut self,
        key: &str,
        channel: &str,
        payload: &str,
        due: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Records an informational notice (a positive surge).
    async fn record_notice(
        &mut self,
        brand_id: i64,
        trigger: &Trigger,
        severity: Severity,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
}

#[async_trait]
pub trait CrisisStore: Send + Sync {
    async fn incident(&self, id: i64) -> StoreResult<Option<Incident>>;
    async fn incident_timeline(&self, id: i64) -> StoreResult<Vec<IncidentEvent>>;
    async fn incident_terms(&self, id: i64, limit: i64) -> StoreResult<Vec<(String, i64)>>;
    /// Mentions attached to the incident: the most engaging first.
    async fn incident_samples(&self, id: i64, limit: i64) -> StoreResult<Vec<MentionRow>>;
    /// Up to `limit` tickets sharing mentions with the incident, those of its newest
    /// mentions first; `more` when there are others.
    async fn incident_tickets(&self, id: i64, limit: usize) -> StoreResult<LinkedTickets>;
    /// Open or acknowledged incidents (any brand), oldest first: for proposals and escalation.
    async fn active_incidents(&self) -> StoreResult<Vec<(i64, Incident)>>;
    /// Negative mentions of a brand per category in `(from, to]`, most frequent first.
    async fn negative_categories(
        &self,
        brand: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(String, i64)>>;
    /// Notices (e.g. positive surges) of every brand in `[from, to)`: `(brand, trigger, at)`.
    async fn notices(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(String, Trigger, DateTime<Utc>)>>;
}
