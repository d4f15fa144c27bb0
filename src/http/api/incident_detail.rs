//! One incident: `GET /api/incidents/{id}` (timeline, top terms, sample mentions, linked
//! tickets), `POST /api/incidents/{id}/ack`, `POST /api/incidents/{id}/resolve` and
//! `POST /api/incidents/{id}/reopen`.
//!
//! Transitions: open → acknowledged → resolved, or open → resolved; Vigía closes an open or
//! acknowledged incident itself after its quiet time (`auto_closed`); a person reopens a
//! resolved or auto-closed one (→ open, its quiet time restarts), beside any other active
//! incident of its brand (a brand may have several). Anything else (acknowledging a resolved
//! incident, resolving twice) answers 409. Each change records who and when on the incident,
//! an event on its timeline and an audit record.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::body::ApiJson;
use crate::domain::{Incident, IncidentStatus};
use crate::http::auth::{Action, Principal};
use crate::http::params::ApiPath;
use crate::http::{ApiError, ApiState};
use crate::storage::crisis::{IncidentAction, IncidentEvent, LinkedTicket};
use crate::storage::{CrisisTx, MentionRow, Store, StoreTx};

const TOP_TERMS: i64 = 10;
const SAMPLES: i64 = 10;
/// Linked tickets shown with an incident: those of its newest mentions.
const LINKED_TICKETS: usize = 50;

#[derive(Debug, Serialize)]
pub struct IncidentDetail {
    #[serde(flatten)]
    pub incident: Incident,
    pub timeline: Vec<IncidentEvent>,
    pub top_terms: Vec<TermCount>,
    pub sample_mentions: Vec<MentionRow>,
    /// The tickets of the incident's newest mentions, at most [`LINKED_TICKETS`].
    pub tickets: Vec<LinkedTicket>,
    /// More tickets share mentions with the incident than `tickets` lists.
    pub tickets_more: bool,
}

#[derive(Debug, Serialize)]
pub struct TermCount {
    pub term: String,
    pub count: i64,
}

/// Optional body of ack/resolve/reopen.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// A short note kept on the timeline (e.g. "statement published").
    note: Option<String>,
}

const NOTE_MAX_CHARS: usize = 1000;

#[utoipa::path(get, path = "/api/incidents/{id}", params(("id" = i64, Path)), tag = "incidents",
    responses((status = 200, description = "timeline, top terms, sample mentions, linked tickets", body = Object)))]
pub async fn get<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<IncidentDetail>, ApiError> {
    principal.require(Action::Read)?;
    let incident = visible(&state.store, &principal, id).await?;
    let store = &state.store;
    let top_terms = store
        .incident_terms(id, TOP_TERMS)
        .await?
        .into_iter()
        .map(|(term, count)| TermCount { term, count })
        .collect();
    let linked = store.incident_tickets(id, LINKED_TICKETS).await?;
    Ok(Json(IncidentDetail {
        incident,
        timeline: store.incident_timeline(id).await?,
        top_terms,
        sample_mentions: store.incident_samples(id, SAMPLES).await?,
        tickets: linked.tickets,
        tickets_more: linked.more,
    }))
}

#[utoipa::path(post, path = "/api/incidents/{id}/ack", params(("id" = i64, Path)), tag = "incidents", request_body = Option<ActionBody>,
    responses((status = 200, description = "the acknowledged incident", body = Object)))]
pub async fn ack<S: Store>(
    state: State<ApiState<S>>,
    principal: Principal,
    id: ApiPath<i64>,
    body: Option<ApiJson<ActionBody>>,
) -> Result<Json<Incident>, ApiError> {
    act(state, principal, id, body, IncidentAction::Acknowledge).await
}

#[utoipa::path(post, path = "/api/incidents/{id}/resolve", params(("id" = i64, Path)), tag = "incidents", request_body = Option<ActionBody>,
    responses((status = 200, description = "the resolved incident", body = Object)))]
pub async fn resolve<S: Store>(
    state: State<ApiState<S>>,
    principal: Principal,
    id: ApiPath<i64>,
    body: Option<ApiJson<ActionBody>>,
) -> Result<Json<Incident>, ApiError> {
    act(state, principal, id, body, IncidentAction::Resolve).await
}

/// Reopens a resolved or auto-closed incident: it is open again, takes the crisis signals
/// and fitting mentions of its story, and its quiet time restarts now.
#[utoipa::path(post, path = "/api/incidents/{id}/reopen", params(("id" = i64, Path, description = "incident id")), tag = "incidents",
    request_body = Option<ActionBody>,
    responses((status = 200, description = "the reopened incident", body = Object),
        (status = 409, description = "not resolved or auto-closed")))]
pub async fn reopen<S: Store>(
    state: State<ApiState<S>>,
    principal: Principal,
    id: ApiPath<i64>,
    body: Option<ApiJson<ActionBody>>,
) -> Result<Json<Incident>, ApiError> {
    act(state, principal, id, body, IncidentAction::Reopen).await
}

async fn act<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    body: Option<ApiJson<ActionBody>>,
    action: IncidentAction,
) -> Result<Json<Incident>, ApiError> {
    principal.require(Action::HandleIncident)?;
    let note = body.and_then(|ApiJson(b)| b.note).map(|n| cap(&n));
    let brand = visible(&state.store, &principal, id).await?.brand;
    // Event time of the brand (see `event_clock`), so the timeline never mixes replay and wall time.
    let now = super::event_clock::brand_now(&state, &brand).await?;
    let mut tx = state.store.begin().await?;
    let incident = tx
        .incident_for_update(id)
        .await?
        .filter(|i| principal.sees(&i.brand))
        .ok_or_else(|| ApiError::NotFound("no such incident".into()))?;
    let (kind, audit) = check(&incident, action)?;
    tx.apply_incident_action(id, action, &principal.username, now)
        .await?;
    let event = IncidentEvent {
        at: now,
        kind: kind.into(),
        actor: Some(principal.username.clone()),
        detail: json!({"from": incident.status, "note": note}),
    };
    tx.add_incident_event(id, &event).await?;
    tx.commit().await?;
    let detail = json!({"from": incident.status, "brand": incident.brand, "note": note});
    state
        .store
        .audit(&principal.audit_entry(audit, "incident", id, detail, now))
        .await?;
    let updated = state.store.incident(id).await?;
    updated
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("no such incident".into()))
}

/// The timeline kind and audit action of an allowed transition, or 409.
fn check(
    incident: &Incident,
    action: IncidentAction,
) -> Result<(&'static str, &'static str), ApiError> {
    use IncidentStatus::*;
    match (incident.status, action) {
        (Open, IncidentAction::Acknowledge) => Ok(("acknowledged", "incident.ack")),
        (Open | Acknowledged, IncidentAction::Resolve) => Ok(("resolved", "incident.resolve")),
        (Resolved | AutoClosed, IncidentAction::Reopen) => Ok(("reopened", "incident.reopen")),
        (status, _) => Err(ApiError::Conflict(format!(
            "incident {} is {}",
            incident.id,
            status.as_str()
        ))),
    }
}

async fn visible<S: Store>(
    store: &S,
    principal: &Principal,
    id: i64,
) -> Result<Incident, ApiError> {
    store
        .incident(id)
        .await?
        .filter(|i| principal.sees(&i.brand))
        .ok_or_else(|| ApiError::NotFound("no such incident".into()))
}

fn cap(note: &str) -> String {
    note.trim().chars().take(NOTE_MAX_CHARS).collect()
}
