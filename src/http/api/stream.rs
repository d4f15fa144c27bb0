//! The live stream (server-sent events): `mention` events for each newly stored mention that
//! matches the filter, and `incident` events whenever an incident in scope appears or changes
//! (status, size) — whoever changed it, on whichever instance. The stream polls the database
//! every `[dashboard] stream_poll_ms`, so it also works with several instances on one database.

use axum::Extension;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;
use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::mpsc;

use super::stream_gate::StreamPermit;
use crate::domain::SentimentLabel;
use crate::http::auth::{Action, Credential, Principal};
use crate::http::params::ApiQuery;
use crate::http::{ApiError, ApiState};
use crate::storage::{Incident, IncidentFilter, MentionFilter, PageRequest, Store};

/// At most this many mentions per event batch.
const BATCH: i64 = 500;
/// The longest `q`, in characters.
const Q_MAX_CHARS: usize = 200;

/// One event of the stream, as an `EventSource` client parses it: the schema of each event,
/// which is how OpenAPI 3.1 tools read the schema of `text/event-stream` (3.2 calls it
/// `itemSchema`). `json_event` builds every event from one.
#[derive(utoipa::ToSchema)]
pub struct StreamEvent {
    /// `mention` or `incident`.
    #[schema(pattern = r"^(mention|incident)$")]
    pub event: String,
    /// The mention (as in /api/mentions) or the incident (as in /api/incidents), as JSON text.
    pub data: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StreamParams {
    brand: Option<String>,
    /// `positive`, `neutral` or `negative`.
    #[param(pattern = r"^(positive|neutral|negative)$")]
    sentiment: Option<String>,
    category: Option<String>,
    /// Text contains this.
    #[param(max_length = 200)]
    q: Option<String>,
}

#[utoipa::path(get, path = "/api/stream", params(StreamParams), tag = "dashboard",
    responses((status = 200, content_type = "text/event-stream", body = StreamEvent,
        description = "events `mention` (a mention, as in /api/mentions) and `incident` (as in /api/incidents); ends after `[dashboard] stream_max_secs` or when the token or session stops being valid"),
        (status = 429, body = super::contract::ErrorBody, description = "too many streams open (per user or in all)")))]
pub async fn get<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    credential: Option<Extension<Credential>>,
    ApiQuery(p): ApiQuery<StreamParams>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    principal.require(Action::Read)?;
    if let Some(b) = &p.brand {
        principal.require_brand(b)?;
    }
    if p.q
        .as_ref()
        .is_some_and(|q| q.chars().count() > Q_MAX_CHARS)
    {
        return Err(ApiError::BadRequest(format!(
            "q: at most {Q_MAX_CHARS} characters"
        )));
    }
    let label = match &p.sentiment {
        Some(s) => Some(
            SentimentLabel::parse(s)
                .ok_or_else(|| ApiError::BadRequest(format!("sentiment: '{s}' is not valid")))?,
        ),
        None => None,
    };
    let filter = MentionFilter {
        brand: p.brand.clone(),
        label,
        category: p.category.clone(),
        text: p
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_owned),
        after_id: Some(state.store.last_mention_id().await?),
        scope: principal.scope().map(<[String]>::to_vec),
        ..Default::default()
    };
    // Where the stream starts: what exists now is not news.
    let seen = incident_states(&state, &filter).await?;
    let cfg = &state.dashboard.config;
    let permit = state
        .dashboard
        .streams
        .enter(principal.user_id, cfg.streams_per_user, cfg.streams_max)
        .ok_or(ApiError::TooManyRequests(
            "too many live streams open; close one and retry".into(),
        ))?;
    let (tx, rx) = mpsc::channel::<Event>(64);
    let watch = Watch {
        credential: credential.map(|Extension(c)| c),
        _permit: permit,
    };
    tokio::spawn(pump(state, principal, filter, seen, tx, watch));
    let stream =
        futures_util::stream::unfold(
            rx,
            |mut rx| async move { rx.recv().await.map(|e| (Ok(e), rx)) },
        );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// What keeps a stream going: its credential, re-checked at every poll, and its place.
struct Watch {
    credential: Option<Credential>,
    _permit: StreamPermit,
}

/// Polls until the client goes away, the stream's time is up or its credential lapses.
async fn pump<S: Store>(
    state: ApiState<S>,
    principal: Principal,
    mut filter: MentionFilter,
    mut seen: Seen,
    tx: mpsc::Sender<Event>,
    watch: Watch,
) {
    let every = Duration::from_millis(state.dashboard.config.stream_poll_ms);
    let end =
        tokio::time::Instant::now() + Duration::from_secs(state.dashboard.config.stream_max_secs);
    loop {
        if let Some(c) = &watch.credential {
            if !c.still_valid(&state.store, state.clock.now()).await {
                return;
            }
        }
        let events = match tick(&state, &principal, &mut filter, &mut seen).await {
            Ok(events) => events,
            Err(e) => {
                tracing::warn!(error = %e, "live stream poll failed");
                Vec::new()
            }
        };
        for event in events {
            if tx.send(event).await.is_err() {
                return;
            }
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = tokio::time::sleep_until(end) => return,
            () = tx.closed() => return,
            () = state.shutdown.cancelled() => return,
        }
    }
}

async fn tick<S: Store>(
    state: &ApiState<S>,
    principal: &Principal,
    filter: &mut MentionFilter,
    seen: &mut Seen,
) -> Result<Vec<Event>, crate::storage::StoreError> {
    let mentions = state.store.mentions_in_store_order(filter, BATCH).await?;
    let mut events = Vec::new();
    if let Some(last) = mentions.last() {
        filter.after_id = Some(last.id);
    }
    for m in mentions.iter().filter(|m| principal.sees(&m.brand)) {
        events.push(json_event("mention", m));
    }
    let incidents = recent_incidents(state, filter).await?;
    let now = states(state, &incidents).await?;
    let changed = |i: &&Incident| seen.get(&i.id) != now.get(&i.id);
    for i in incidents
        .iter()
        .filter(changed)
        .filter(|i| principal.sees(&i.brand))
    {
        events.push(json_event("incident", i));
    }
    *seen = now;
    Ok(events)
}

/// What the stream compares to notice an incident change: status, mention count and the
/// latest history event (so owner changes and notes reach other browsers too).
type Seen = HashMap<i64, (String, i64, i64)>;

async fn states<S: Store>(
    state: &ApiState<S>,
    incidents: &[Incident],
) -> Result<Seen, crate::storage::StoreError> {
    let ids: Vec<i64> = incidents.iter().map(|i| i.id).collect();
    let marks = state.store.incident_history_marks(&ids).await?;
    Ok(incidents
        .iter()
        .map(|i| {
            let mark = marks.get(&i.id).copied().unwrap_or(0);
            (i.id, (i.status.as_str().to_owned(), i.mention_count, mark))
        })
        .collect())
}

async fn recent_incidents<S: Store>(
    state: &ApiState<S>,
    filter: &MentionFilter,
) -> Result<Vec<Incident>, crate::storage::StoreError> {
    let f = IncidentFilter {
        brand: filter.brand.clone(),
        status: None,
        scope: filter.scope.clone(),
    };
    let page = PageRequest {
        limit: 50,
        offset: 0,
    };
    Ok(state.store.list_incidents(&f, &page).await?.items)
}

async fn incident_states<S: Store>(
    state: &ApiState<S>,
    filter: &MentionFilter,
) -> Result<Seen, crate::storage::StoreError> {
    let incidents = recent_incidents(state, filter).await?;
    states(state, &incidents).await
}

fn json_event(name: &str, value: &impl serde::Serialize) -> Event {
    let event = StreamEvent {
        event: name.to_owned(),
        data: serde_json::to_string(value).unwrap_or_else(|_| "null".into()),
    };
    Event::default().event(event.event).data(event.data)
}
