use axum::Json;
use axum::extract::State;
use serde::Serialize;
use std::collections::HashMap;

use crate::http::auth::{Action, Principal};
use crate::http::{ApiError, ApiState};
use crate::storage::{FeedRow, Listing, Store};

/// One feed's health: the stored row plus mentions ingested in the last hour.
#[derive(utoipa::ToSchema, Debug, Serialize)]
pub struct FeedHealth {
    #[serde(flatten)]
    pub feed: FeedRow,
    pub mentions_last_hour: i64,
}

/// Feed health: state, next run, last poll, last success, last error, consecutive failures,
/// last new mention and mentions in the last hour.
#[utoipa::path(get, path = "/api/feeds", tag = "feeds",
    responses((status = 200, body = Listing<FeedHealth>)))]
pub async fn list<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
) -> Result<Json<Listing<FeedHealth>>, ApiError> {
    principal.require(Action::Read)?;
    let since = state.clock.now() - chrono::Duration::hours(1);
    let counts: HashMap<i64, i64> = state
        .store
        .feed_mentions_since(since)
        .await?
        .into_iter()
        .collect();
    let items: Vec<FeedHealth> = state
        .store
        .list_feeds()
        .await?
        .into_iter()
        .filter(|feed| principal.sees(&feed.brand))
        .map(|feed| FeedHealth {
            mentions_last_hour: counts.get(&feed.id).copied().unwrap_or(0),
            feed,
        })
        .collect();
    let total = items.len() as i64;
    Ok(Json(Listing { items, total }))
}
