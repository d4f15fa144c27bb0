//! `GET /api/audit`: who did what, newest first (admins only).

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use crate::http::auth::{Action, Principal};
use crate::http::params::{ApiQuery, Paging};
use crate::http::{ApiError, ApiState};
use crate::storage::{AuditEntry, Listing, Store};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// Only records about this kind of item (`incident`, `customer`, `ticket`, ...)...
    target_kind: Option<String>,
    /// ...with this id (needs `target_kind`).
    target_id: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    #[param(minimum = 0)]
    offset: Option<i64>,
}

/// The audit log, newest first (admins only).
#[utoipa::path(get, path = "/api/audit", params(AuditParams), tag = "admin",
    responses((status = 200, body = Listing<AuditEntry>), (status = 403)))]
pub async fn list<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<Json<Listing<AuditEntry>>, ApiError> {
    principal.require(Action::Administer)?;
    principal.require_all_brands()?;
    let target = match (&params.target_kind, &params.target_id) {
        (Some(kind), Some(id)) => Some((kind.as_str(), id.as_str())),
        (None, None) => None,
        _ => {
            return Err(ApiError::BadRequest(
                "target_kind and target_id go together".into(),
            ));
        }
    };
    let page = Paging {
        limit: params.limit,
        offset: params.offset,
    }
    .page()?;
    Ok(Json(state.store.audit_log(target, &page).await?))
}
