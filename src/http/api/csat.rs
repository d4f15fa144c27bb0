//! `GET /api/csat`: satisfaction answers per brand (in the caller's scope).

use axum::Json;
use axum::extract::State;

use crate::http::auth::{Action, Principal};
use crate::http::{ApiError, ApiState};
use crate::storage::{CsatSummary, Listing, Store};

#[utoipa::path(get, path = "/api/csat", tag = "tickets",
    responses((status = 200, description = "satisfaction survey scores per brand", body = Listing<CsatSummary>)))]
pub async fn by_brand<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
) -> Result<Json<Listing<CsatSummary>>, ApiError> {
    principal.require(Action::Read)?;
    let items: Vec<CsatSummary> = state.store.csat_by_brand(principal.scope()).await?;
    Ok(Json(Listing {
        total: items.len() as i64,
        items,
    }))
}
