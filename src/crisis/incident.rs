//! Incident lifecycle on ingest, on event time: one crisis = one incident.
//!
//! - A crisis signal opens an incident (with the burst that caused it attached) or joins the
//!   brand's active one whose crisis it continues, and restarts its quiet time. It continues
//!   only the same crisis ([`ActiveIncident::same_crisis`]: sharing its crisis categories or
//!   top terms, or a surge made of its mentions). A signal of another story amid a crisis in
//!   progress ([`ActiveIncident::hot`]) or a real crisis of the last hours
//!   ([`ActiveIncident::recent_crisis`]): a dangerous topic (a critical category) opens its
//!   own incident beside it, which alerts as on a calm day, and the crisis stays open; any
//!   other signal joins the crisis in progress without keeping it alive. Otherwise it is a new
//!   crisis, which closes the incidents it finds (`auto_closed`, naming the new one) and opens
//!   its own.
//! - So a brand may have several active incidents; a mention that belongs to more than one
//!   goes to the closest ([`ActiveIncident::closeness`]).
//! - An ordinary mention attaches only when it fits ([`ActiveIncident::fits`]): not positive,
//!   near the latest signal, sharing a crisis category or top terms. It never extends the
//!   incident's life.
//! - After `quiet_minutes` without a signal the incident stops taking mentions and closes
//!   itself as `auto_closed` at `last_signal_at + quiet_minutes` (timeline entry, notice to
//!   its recipients); the next crisis signal opens a new incident. A person's resolve is never
//!   overridden.
//! - The severity only rises, and each rise is notified.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::active::{ActiveIncident, SignalSeen};
use super::detectors::Signal;
use super::pending::PageWrites;
use super::state::BrandState;
use super::terms::terms;
use super::{CrisisPolicy, Outcome, Seen};
use crate::domain::{Brand, Severity, Trigger};
use crate::notify::alerts::{Alerter, IncidentNews};
use crate::storage::crisis::IncidentEvent;
use crate::storage::{MentionFilter, StoreResult, StoreTx};

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
        state: &mut BrandState,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        crises: &[Signal],
        now: DateTime<Utc>,
    ) -> StoreResult<Outcome> {
        let at = seen.mention.created_at;
        self.close_if_quiet(tx, state, policy, seen.brand, at, now)
            .await?;
        if let Some(opener) = crises.first() {
            let old = match self.join(tx, state, policy, seen, crises, now).await? {
                Joined::Yes(incident_id) => return Ok(Outcome::Attached { incident_id }),
                Joined::NoActive | Joined::Beside => Vec::new(),
                Joined::NewCrisis(old) => old,
            };
            let mut closed = Vec::new();
            for old in old {
                if tx.auto_close(old.id, at).await? {
                    closed.push(old);
                }
            }
            let id = self.open(tx, state, policy, seen, crises, now).await?;
            for old in closed {
                self.superseded(tx, old, id, seen.brand, at, now).await?;
            }
            return Ok(Outcome::Opened {
                incident_id: id,
                trigger: opener.trigger.clone(),
            });
        }
        let label = seen.analysis.label;
        if !state.active.iter().any(|a| a.may_take(policy, label, at)) {
            return Ok(Outcome::Ordinary);
        }
        let mine = terms(&seen.mention.text, &seen.brand.name);
        // The active incident it fits, the closest if several do (one a person resolved
        // meanwhile is forgotten, and the next one is tried).
        let id = loop {
            let fitting = state
                .active
                .iter()
                .filter(|a| a.fits(policy, label, &seen.analysis.categories, &mine, at))
                .max_by_key(|a| a.closeness(&mine));
            let Some(id) = fitting.map(|a| a.id) else {
                return Ok(Outcome::Ordinary);
            };
            if still_active(tx, state, id).await? {
                break id;
            }
        };
        let BrandState { page, active, .. } = state;
        let active = find(active, id);
        attach(page, active, seen, &mine);
        self.maybe_raise(tx, active, policy, seen, &[], now).await?;
        Ok(Outcome::Attached { incident_id: id })
    }

    /// Closes each active incident whose quiet time ended before `at`.
    async fn close_if_quiet<T: StoreTx>(
        &self,
        tx: &mut T,
        state: &mut BrandState,
        policy: &CrisisPolicy,
        brand: &Brand,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        if state.active.iter().all(|a| at < a.closes_at(policy)) {
            return Ok(());
        }
        let (quiet, live) = std::mem::take(&mut state.active)
            .into_iter()
            .partition(|a| at >= a.closes_at(policy));
        state.active = live;
        for active in quiet {
            self.close_quiet(tx, active, policy, brand, now).await?;
        }
        Ok(())
    }

    /// Closes an incident at the end of its quiet time (unless a person resolved it).
    async fn close_quiet<T: StoreTx>(
        &self,
        tx: &mut T,
        active: ActiveIncident,
        policy: &CrisisPolicy,
        brand: &Brand,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let closed_at = active.closes_at(policy);
        if !tx.auto_close(active.id, closed_at).await? {
            return Ok(()); // a person resolved it (or it was closed) meanwhile
        }
        let detail = json!({"quiet_minutes": policy.quiet_minutes,
            "last_signal_at": active.last_signal_at, "mentions": active.mention_count});
        event(tx, active.id, closed_at, "auto_closed", detail).await?;
        let news = IncidentNews {
            kind: "auto_closed",
            ..IncidentNews::opened(active.id, &active.trigger, active.severity, closed_at)
        };
        self.alerter
            .incident_news(tx, brand, &news, &[], now)
            .await?;
        tracing::info!(brand = %brand.name, incident = active.id, "incident auto-closed");
        Ok(())
    }

    /// The old incident was closed at `at` because a new crisis (`by`) started: its timeline
    /// and its recipients say so.
    async fn superseded<T: StoreTx>(
        &self,
        tx: &mut T,
        old: ActiveIncident,
        by: i64,
        brand: &Brand,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let detail = json!({"superseded_by": by, "last_signal_at": old.last_signal_at,
            "mentions": old.mention_count});
        event(tx, old.id, at, "auto_closed", detail).await?;
        let news = IncidentNews {
            kind: "auto_closed",
            superseded_by: Some(by),
            ..IncidentNews::opened(old.id, &old.trigger, old.severity, at)
        };
        self.alerter
            .incident_news(tx, brand, &news, &[], now)
            .await?;
        tracing::info!(brand = %brand.name, incident = old.id, by, "incident closed: a new crisis started");
        Ok(())
    }

    /// A crisis signal joins the active incident whose crisis it continues (in memory, or
    /// reopened by a person since). A signal of another story: a dangerous topic (a
    /// critical category) opens its own incident beside a crisis in progress or of the last
    /// hours, which stay open; any other signal joins a crisis in progress; otherwise it is a
    /// new crisis, which closes the incidents it finds.
    async fn join<T: StoreTx>(
        &self,
        tx: &mut T,
        state: &mut BrandState,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        crises: &[Signal],
        now: DateTime<Utc>,
    ) -> StoreResult<Joined> {
        let at = seen.mention.created_at;
        if state.active.is_empty() {
            state.active = tx
                .active_incident_states(seen.brand.id)
                .await?
                .into_iter()
                .map(ActiveIncident::from_row)
                .collect();
            self.close_if_quiet(tx, state, policy, seen.brand, at, now)
                .await?;
        }
        let ids: Vec<i64> = state.active.iter().map(|a| a.id).collect();
        for id in ids {
            still_active(tx, state, id).await?;
        }
        if state.active.is_empty() {
            return Ok(Joined::NoActive);
        }
        let mine = terms(&seen.mention.text, &seen.brand.name);
        let same = state
            .active
            .iter()
            .filter(|a| {
                let signal = SignalSeen {
                    trigger: &crises[0].trigger,
                    categories: &seen.analysis.categories,
                    terms: &mine,
                    window: state.recent.negatives_in_any(&a.categories, at),
                };
                a.same_crisis(policy, &signal, at)
            })
            .max_by_key(|a| a.closeness(&mine));
        let joined = match same.map(|a| a.id) {
            Some(id) => Some((id, true)),
            None => {
                // Another story. A dangerous topic beside a crisis of the last hours needs no
                // count; whether a crisis is in progress does.
                let dangerous = crises
                    .iter()
                    .any(|s| matches!(s.trigger, Trigger::CriticalCategory { .. }));
                if dangerous && state.active.iter().any(|a| a.recent_crisis(policy, at)) {
                    return Ok(Joined::Beside);
                }
                let hot = in_progress(tx, state, policy, at).await?;
                if dangerous && hot.is_some() {
                    return Ok(Joined::Beside);
                }
                hot.map(|id| (id, false))
            }
        };
        let Some((id, continues)) = joined else {
            return Ok(Joined::NewCrisis(std::mem::take(&mut state.active)));
        };
        let BrandState { page, active, .. } = state;
        let active = find(active, id);
        attach(page, active, seen, &mine);
        // Amid another crisis it joins it without becoming part of what keeps it alive.
        if continues {
            signalled(tx, page, active, policy, crises, at).await?;
        }
        self.maybe_raise(tx, active, policy, seen, crises, now)
            .await?;
        Ok(Joined::Yes(id))
    }

    async fn open<T: StoreTx>(
        &self,
        tx: &mut T,
        state: &mut BrandState,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        crises: &[Signal],
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let opener = &crises[0];
        let at = seen.mention.created_at;
        let brand = seen.brand;
        let id = tx
            .create_incident_with(brand.id, &opener.trigger, opener.severity, at, now)
            .await?;
        let mut active = ActiveIncident::new(id, opener.severity, opener.trigger.clone(), at);
        let burst = burst(state, seen, &opener.trigger);
        for &(mention_id, t) in &burst {
            state.page.attach(id, mention_id, t, &[]);
        }
        active.mention_count = burst.len() as i64;
        let mine = terms(&seen.mention.text, &brand.name);
        attach(&mut state.page, &mut active, seen, &mine);
        signalled(tx, &state.page, &mut active, policy, crises, at).await?;
        // Incidents still active here are of another story: this one opens beside them.
        let beside: Vec<i64> = state.active.iter().map(|a| a.id).collect();
        let mut detail = json!({"trigger": opener.trigger, "severity": opener.severity});
        if !beside.is_empty() {
            detail["beside"] = json!(beside);
        }
        event(tx, id, at, "opened", detail).await?;
        let samples = self.samples(tx, policy, seen, &burst).await?;
        let news = IncidentNews {
            beside,
            ..IncidentNews::opened(id, &opener.trigger, opener.severity, at)
        };
        self.alerter
            .incident_news(tx, brand, &news, &samples, now)
            .await?;
        state.active.push(active);
        tracing::info!(brand = %brand.name, incident = id, trigger = opener.trigger.kind(), "incident opened");
        Ok(id)
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
        active: &mut ActiveIncident,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        crises: &[Signal],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let grown = active.mention_count >= policy.critical_mentions;
        let (severity, trigger) = match crises.first() {
            Some(s) if s.severity > active.severity => (s.severity, s.trigger.clone()),
            _ if grown && active.severity < Severity::Critical => {
                (Severity::Critical, active.trigger.clone())
            }
            _ => return Ok(()),
        };
        let (id, from) = (active.id, active.severity);
        active.severity = severity;
        let at = seen.mention.created_at;
        tx.set_incident_severity(id, severity).await?;
        let detail = json!({"from": from, "to": severity, "trigger": trigger,
            "mentions": active.mention_count});
        event(tx, id, at, "severity_raised", detail).await?;
        let samples = self.samples(tx, policy, seen, &[]).await?;
        let news = IncidentNews::raised(id, &trigger, severity, at);
        self.alerter
            .incident_news(tx, seen.brand, &news, &samples, now)
            .await
    }

    /// Records an informational notice at most once per merge window and brand.
    pub(super) async fn notice<T: StoreTx>(
        &self,
        tx: &mut T,
        state: &mut BrandState,
        policy: &CrisisPolicy,
        seen: &Seen<'_>,
        signal: Signal,
        now: DateTime<Utc>,
    ) -> StoreResult<Outcome> {
        let at = seen.mention.created_at;
        let kind = signal.trigger.kind();
        if let Some(last) = state.notices.get(kind) {
            if at - *last <= chrono::Duration::minutes(policy.merge_window_minutes) {
                return Ok(Outcome::Ordinary);
            }
        }
        tx.record_notice(seen.brand.id, &signal.trigger, signal.severity, at, now)
            .await?;
        let last = state.notices.entry(kind.to_owned()).or_insert(at);
        *last = (*last).max(at);
        tracing::info!(brand = %seen.brand.name, notice = kind, "informational notice");
        Ok(Outcome::Notice {
            trigger: signal.trigger,
        })
    }
}

/// What a crisis signal did with the brand's active incidents.
enum Joined {
    /// It continues this incident, or joins it amid its crisis.
    Yes(i64),
    NoActive,
    /// A dangerous topic beside a crisis in progress: its own incident, the others stay.
    Beside,
    /// A different crisis: the incidents it does not continue, to be closed.
    NewCrisis(Vec<ActiveIncident>),
}

/// The active incident `id` (known to be held).
fn find(active: &mut [ActiveIncident], id: i64) -> &mut ActiveIncident {
    active
        .iter_mut()
        .find(|a| a.id == id)
        .expect("an incident held in memory")
}

/// The newest active incident that is a crisis in progress at `at` ([`ActiveIncident::hot`]).
async fn in_progress<T: StoreTx>(
    tx: &mut T,
    state: &BrandState,
    policy: &CrisisPolicy,
    at: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    for a in state.active.iter().rev() {
        let recent = recent(tx, &state.page, a.id, at, policy.window_minutes).await?;
        if a.hot(policy, at, recent) {
            return Ok(Some(a.id));
        }
    }
    Ok(None)
}

/// Whether the incident `id` in memory is still open or acknowledged in the database (a
/// person may have resolved it); forgets it when not. One primary-key read per incident and
/// page, only before a write (see [`super::pending::PageWrites`] for why once per page is
/// enough).
async fn still_active<T: StoreTx>(
    tx: &mut T,
    state: &mut BrandState,
    id: i64,
) -> StoreResult<bool> {
    if state.page.confirmed(id) {
        return Ok(true);
    }
    let status = tx.incident_status(id).await?;
    if status.is_some_and(|s| s.is_active()) {
        state.page.confirm(id);
        return Ok(true);
    }
    state.active.retain(|a| a.id != id);
    Ok(false)
}

/// How many mentions the incident took within `minutes` before `at`: those stored, and those
/// this page attached (written at its end).
async fn recent<T: StoreTx>(
    tx: &mut T,
    page: &PageWrites,
    incident_id: i64,
    at: DateTime<Utc>,
    minutes: i64,
) -> StoreResult<i64> {
    let since = at - chrono::Duration::minutes(minutes);
    let stored = tx.incident_mentions_since(incident_id, since).await?;
    Ok(stored + page.attached_since(incident_id, since))
}

/// Attaches the mention, counting its terms (written at the end of the page).
fn attach(page: &mut PageWrites, active: &mut ActiveIncident, seen: &Seen<'_>, terms: &[String]) {
    page.attach(active.id, seen.mention_id, seen.mention.created_at, terms);
    active.mention_count += 1;
    active.add_terms(terms);
}

/// A crisis signal at `at`: the quiet time restarts, the incident's peak (its mentions within
/// the detector's window, until they reach a surge's worth) is updated, and the categories it
/// names (never an everyday one) become the incident's crisis categories.
async fn signalled<T: StoreTx>(
    tx: &mut T,
    page: &PageWrites,
    active: &mut ActiveIncident,
    policy: &CrisisPolicy,
    crises: &[Signal],
    at: DateTime<Utc>,
) -> StoreResult<()> {
    // The peak is counted until it reaches a surge's worth: all `recent_crisis` asks of it.
    let now = if active.peak < policy.surge.min_count {
        recent(tx, page, active.id, at, policy.window_minutes).await?
    } else {
        active.peak
    };
    if at > active.last_signal_at || now > active.peak {
        active.last_signal_at = active.last_signal_at.max(at);
        active.peak = active.peak.max(now);
        tx.set_last_signal(active.id, at, active.peak).await?;
    }
    for category in crises.iter().filter_map(|s| signal_category(&s.trigger)) {
        if policy.everyday_categories.iter().any(|c| c == category) {
            continue;
        }
        if active.categories.insert(category.to_owned()) {
            tx.add_crisis_category(active.id, category).await?;
        }
    }
    Ok(())
}

fn signal_category(t: &Trigger) -> Option<&str> {
    match t {
        Trigger::CriticalCategory { category } => Some(category),
        Trigger::NegativeVolume { category, .. } => category.as_deref(),
        _ => None,
    }
}

/// The earlier mentions that make up the burst a surge detector counted.
fn burst(state: &BrandState, seen: &Seen<'_>, trigger: &Trigger) -> Vec<(i64, DateTime<Utc>)> {
    let category = match trigger {
        Trigger::NegativeVolume { category, .. } => category.as_deref(),
        Trigger::NegativeShare { .. } => None,
        _ => return Vec::new(),
    };
    let mut ids = state.recent.negative_ids(category, seen.mention.created_at);
    ids.retain(|(id, _)| *id != seen.mention_id);
    ids
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
