use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use crate::domain::IncidentStatus;
use crate::http::auth::{Action, Principal};
use crate::http::params::{ApiQuery, Paging};
use crate::http::{ApiError, ApiState};
use crate::storage::{Incident, IncidentFilter, Listing, Store};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IncidentParams {
    brand: Option<String>,
    /// `open`, `acknowledged`, `resolved` or `auto_closed`.
    #[param(pattern = r"^(open|acknowledged|resolved|auto_closed)$")]
    status: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    #[param(minimum = 0)]
    offset: Option<i64>,
}

/// Incidents, newest first.
#[utoipa::path(get, path = "/api/incidents", params(IncidentParams), tag = "incidents",
    responses((status = 200, description = "`{items: [incident], total}`", body = Object)))]
pub async fn list<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiQuery(params): ApiQuery<IncidentParams>,
) -> Result<Json<Listing<Incident>>, ApiError> {
    principal.require(Action::Read)?;
    let status = match &params.status {
        Some(s) => Some(IncidentStatus::parse(s).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "status: '{s}' is not one of open, acknowledged, resolved, auto_closed"
            ))
        })?),
        None => None,
    };
    let filter = IncidentFilter {
        brand: params.brand,
        scope: principal.scope().map(<[String]>::to_vec),
        status,
    };
    let page = Paging {
        limit: params.limit,
        offset: params.offset,
    }
    .page()?;
    Ok(Json(state.store.list_incidents(&filter, &page).await?))
}
