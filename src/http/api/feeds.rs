use axum::Json;
use axum::extract::State;

use crate::http::{ApiError, ApiState};
use crate::storage::{FeedRow, Listing, Store};

/// Feed health: last poll, last success, last error, consecutive failures.
pub async fn list<S: Store>(
    State(state): State<ApiState<S>>,
) -> Result<Json<Listing<FeedRow>>, ApiError> {
    let items = state.store.list_feeds().await?;
    let total = items.len() as i64;
    Ok(Json(Listing { items, total }))
}
