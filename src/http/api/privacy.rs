//! `POST /api/customers/{id}/erase`: the right to erasure (admins only; audited).

use axum::Json;
use axum::extract::State;

use crate::http::auth::{Action, Principal};
use crate::http::params::ApiPath;
use crate::http::{ApiError, ApiState};
use crate::storage::{ErasureReport, Store};

#[utoipa::path(post, path = "/api/customers/{id}/erase", params(("id" = i64, Path)), tag = "privacy",
    responses((status = 200, description = "what was erased", body = ErasureReport)))]
pub async fn erase_customer<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ErasureReport>, ApiError> {
    principal.require(Action::Erase)?;
    principal.require_all_brands()?;
    let now = state.clock.now();
    let report = state
        .store
        .erase_customer(id, now)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no customer {id}")))?;
    if report.already_erased {
        return Ok(Json(report));
    }
    let detail = serde_json::to_value(&report).unwrap_or_default();
    let entry = principal.audit_entry("customer.erase", "customer", id, detail, now);
    state.store.audit(&entry).await?;
    Ok(Json(report))
}
