//! The incident war room: `GET /api/incidents/{id}/mentions` (every mention of the incident,
//! paginated and filterable), `GET /api/incidents/{id}/room` (volume per hour around the
//! incident, top authors by reach, owner, the brand's event-time "now"), and
//! `POST /api/incidents/{id}/notes` / `/owner`. Notes and owner changes are events on the
//! incident's timeline (who, when, what) plus an audit record; the owner is the latest
//! `owner_set` event. Times are on the brand's event time line (see `event_clock`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, DurationRound, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::body::ApiJson;
use super::event_clock::brand_now;
use crate::domain::{Incident, SentimentLabel};
use crate::http::auth::{Action, Principal};
use crate::http::params::{ApiPath, ApiQuery, Paging};
use crate::http::{ApiError, ApiState};
use crate::storage::crisis::IncidentEvent;
use crate::storage::{
    AuthorReach, CrisisTx, Listing, MentionFilter, MentionRow, SentimentBucket, Store, StoreTx,
};

/// Most mentions of one incident the list pages through.
const MENTION_CAP: i64 = 20_000;
const TOP_AUTHORS: i64 = 10;
const NOTE_MAX: usize = 1000;
const OWNER_MAX: usize = 100;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IncidentMentionParams {
    /// `positive`, `neutral` or `negative`.
    #[param(pattern = r"^(positive|neutral|negative)$")]
    sentiment: Option<String>,
    /// Category code, e.g. `delivery`.
    category: Option<String>,
    /// Text contains this.
    #[param(max_length = 200)]
    q: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    #[param(minimum = 0)]
    offset: Option<i64>,
}

#[utoipa::path(get, path = "/api/incidents/{id}/mentions", operation_id = "incident_mentions",
    params(("id" = i64, Path, description = "incident id"), IncidentMentionParams), tag = "incidents",
    responses(
        (status = 200, description = "the incident's mentions, newest first", body = Listing<MentionRow>),
        (status = 400, description = "a parameter is not valid"),
        (status = 401, description = "not signed in"),
        (status = 403, description = "the role may not read"),
        (status = 404, description = "no such incident in the caller's brands")))]
pub async fn mentions<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<IncidentMentionParams>,
) -> Result<Json<Listing<MentionRow>>, ApiError> {
    principal.require(Action::Read)?;
    visible(&state, &principal, id).await?;
    let label = p
        .sentiment
        .as_deref()
        .map(|s| {
            SentimentLabel::parse(s).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "sentiment: '{s}' is not one of positive, neutral, negative"
                ))
            })
        })
        .transpose()?;
    // The limit (`maxLength` in the description) applies to `q` as sent, spaces included.
    if p.q.as_deref().is_some_and(|q| q.chars().count() > 200) {
        return Err(ApiError::BadRequest("q: at most 200 characters".into()));
    }
    let q = p.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let page = Paging {
        limit: p.limit,
        offset: p.offset,
    }
    .page()?;
    let ids = state.store.incident_mention_ids(id, MENTION_CAP).await?;
    let filter = MentionFilter {
        ids: Some(ids),
        label,
        category: p.category.filter(|c| !c.is_empty()),
        text: q.map(str::to_owned),
        ..Default::default()
    };
    Ok(Json(state.store.list_mentions(&filter, &page).await?))
}

/// What the war room shows besides the incident itself.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WarRoom {
    /// Now on the brand's event time line.
    pub now: DateTime<Utc>,
    /// The hours the volume covers: from 12 h before the first mention to 2 h after the end.
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The brand's mentions per hour, network and sentiment class in `[from, to)`.
    pub volume: Vec<SentimentBucket>,
    /// Authors of the incident's mentions, widest reach first.
    pub authors: Vec<AuthorReach>,
    /// Who runs the incident (latest `owner_set` event), if anyone.
    pub owner: Option<String>,
}

#[utoipa::path(get, path = "/api/incidents/{id}/room", operation_id = "incident_room",
    params(("id" = i64, Path, description = "incident id")), tag = "incidents",
    responses(
        (status = 200, description = "volume around the incident, top authors, owner", body = WarRoom),
        (status = 400, description = "the id is not a number"),
        (status = 401, description = "not signed in"),
        (status = 403, description = "the role may not read"),
        (status = 404, description = "no such incident in the caller's brands")))]
pub async fn room<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<WarRoom>, ApiError> {
    principal.require(Action::Read)?;
    let inc = visible(&state, &principal, id).await?;
    let now = brand_now(&state, &inc.brand).await?;
    let (from, to) = span(&inc, now);
    let volume = state
        .store
        .sentiment_buckets(std::slice::from_ref(&inc.brand), from, to)
        .await?;
    let timeline = state.store.incident_timeline(id).await?;
    Ok(Json(WarRoom {
        now,
        from,
        to,
        volume,
        authors: state.store.incident_authors(id, TOP_AUTHORS).await?,
        owner: owner_of(&timeline),
    }))
}

/// Hours shown around an incident: 12 h before its first mention to 2 h after its end (or
/// now), at most 7 days, whole hours.
fn span(inc: &Incident, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = inc
        .first_mention_at
        .unwrap_or(inc.opened_at)
        .min(inc.opened_at);
    let end = inc.resolved_at.unwrap_or(now).max(inc.last_mention_at);
    let hour = |t: DateTime<Utc>| t.duration_trunc(Duration::hours(1)).unwrap_or(t);
    let to = hour(end) + Duration::hours(3);
    let from = (hour(start) - Duration::hours(12)).max(to - Duration::days(7));
    (from, to)
}

fn owner_of(timeline: &[IncidentEvent]) -> Option<String> {
    let last = timeline.iter().rev().find(|e| e.kind == "owner_set")?;
    last.detail["owner"].as_str().map(str::to_owned)
}

/// One event of an incident's timeline: when (event time), what, who, and its details.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// `note` or `owner_set` here; the timeline also holds `opened`, `acknowledged`, ...
    pub kind: String,
    pub actor: Option<String>,
    pub detail: serde_json::Value,
}

impl From<IncidentEvent> for TimelineEntry {
    fn from(e: IncidentEvent) -> Self {
        TimelineEntry {
            at: e.at,
            kind: e.kind,
            actor: e.actor,
            detail: e.detail,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// 1 to 1000 characters, not only white space (U+0085 included).
    #[schema(min_length = 1, max_length = 1000, pattern = r"[^\s\u0085]")]
    text: String,
}

#[utoipa::path(post, path = "/api/incidents/{id}/notes", operation_id = "incident_add_note",
    params(("id" = i64, Path, description = "incident id")), request_body = NoteBody, tag = "incidents",
    responses(
        (status = 201, description = "the note, as a timeline event", body = TimelineEntry),
        (status = 400, description = "the text is empty or too long"),
        (status = 401, description = "not signed in"),
        (status = 403, description = "the role may not handle incidents"),
        (status = 404, description = "no such incident in the caller's brands")))]
pub async fn add_note<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NoteBody>,
) -> Result<(StatusCode, Json<TimelineEntry>), ApiError> {
    principal.require(Action::HandleIncident)?;
    let inc = visible(&state, &principal, id).await?;
    let text = body.text.trim();
    // The length limit applies to the text as sent (`maxLength`), spaces included.
    if text.is_empty() || body.text.chars().count() > NOTE_MAX {
        return Err(ApiError::BadRequest(format!(
            "text: 1 to {NOTE_MAX} characters"
        )));
    }
    let event = record(&state, &principal, &inc, "note", json!({"note": text})).await?;
    Ok((StatusCode::CREATED, Json(event.into())))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnerBody {
    /// Username of the person who runs the incident; `null` or empty clears it.
    owner: Option<String>,
}

#[utoipa::path(post, path = "/api/incidents/{id}/owner", operation_id = "incident_set_owner",
    params(("id" = i64, Path, description = "incident id")), request_body = OwnerBody, tag = "incidents",
    responses(
        (status = 200, description = "the change, as a timeline event", body = TimelineEntry),
        (status = 400, description = "the owner is too long"),
        (status = 401, description = "not signed in"),
        (status = 403, description = "the role may not handle incidents"),
        (status = 404, description = "no such incident in the caller's brands")))]
pub async fn set_owner<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OwnerBody>,
) -> Result<Json<TimelineEntry>, ApiError> {
    principal.require(Action::HandleIncident)?;
    let inc = visible(&state, &principal, id).await?;
    let owner = body
        .owner
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty());
    if owner.is_some_and(|o| o.chars().count() > OWNER_MAX) {
        return Err(ApiError::BadRequest(format!(
            "owner: at most {OWNER_MAX} characters"
        )));
    }
    let event = record(
        &state,
        &principal,
        &inc,
        "owner_set",
        json!({"owner": owner}),
    )
    .await?;
    Ok(Json(event.into()))
}

/// Adds a timeline event by the caller at the brand's event time, and an audit record.
async fn record<S: Store>(
    state: &ApiState<S>,
    principal: &Principal,
    inc: &Incident,
    kind: &str,
    detail: serde_json::Value,
) -> Result<IncidentEvent, ApiError> {
    let now = brand_now(state, &inc.brand).await?;
    let event = IncidentEvent {
        at: now,
        kind: kind.into(),
        actor: Some(principal.username.clone()),
        detail: detail.clone(),
    };
    let mut tx = state.store.begin().await?;
    tx.add_incident_event(inc.id, &event).await?;
    tx.commit().await?;
    let action = format!("incident.{kind}");
    state
        .store
        .audit(&principal.audit_entry(&action, "incident", inc.id, detail, now))
        .await?;
    Ok(event)
}

async fn visible<S: Store>(
    state: &ApiState<S>,
    principal: &Principal,
    id: i64,
) -> Result<Incident, ApiError> {
    state
        .store
        .incident(id)
        .await?
        .filter(|i| principal.sees(&i.brand))
        .ok_or_else(|| ApiError::NotFound(format!("no incident {id}")))
}
