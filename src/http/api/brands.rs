use axum::Json;
use axum::extract::State;

use crate::http::auth::{Action, Principal};
use crate::http::dashboard::BrandInfo;
use crate::http::{ApiError, ApiState};
use crate::storage::{Listing, Store};

/// The configured brands the caller may see, with their competitors.
#[utoipa::path(get, path = "/api/brands", tag = "dashboard",
    responses((status = 200, body = Listing<BrandInfo>)))]
pub async fn list<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
) -> Result<Json<Listing<BrandInfo>>, ApiError> {
    principal.require(Action::Read)?;
    let items: Vec<BrandInfo> = state
        .dashboard
        .brands
        .iter()
        .filter(|b| principal.sees(&b.name))
        .cloned()
        .collect();
    let total = items.len() as i64;
    Ok(Json(Listing { items, total }))
}
