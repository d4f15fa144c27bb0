//! Who am I, and my interface language (remembered per user).

use axum::extract::State;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use crate::http::auth::Principal;
use crate::http::dashboard::SessionCsrf;
use crate::http::{ApiError, ApiState};
use crate::storage::Store;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub username: String,
    pub role: String,
    /// Brands in scope; absent: every brand.
    pub brands: Option<Vec<String>>,
    /// `es` or `en`.
    pub lang: String,
    /// With a dashboard session: the token to send as `X-CSRF-Token` on every POST.
    pub csrf: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LangBody {
    /// `es` or `en`.
    #[schema(pattern = "^(es|en)$")]
    pub lang: String,
}

#[utoipa::path(get, path = "/api/me", tag = "dashboard", responses((status = 200, body = Me)))]
pub async fn get<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    csrf: Option<Extension<SessionCsrf>>,
) -> Result<Json<Me>, ApiError> {
    let user = state
        .store
        .user_by_id(principal.user_id)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Json(Me {
        username: principal.username,
        role: principal.role.as_str().to_owned(),
        brands: principal.brands,
        lang: user.lang,
        csrf: csrf.map(|Extension(c)| c.0),
    }))
}

/// Sets the caller's interface language.
#[utoipa::path(post, path = "/api/me/lang", tag = "dashboard", request_body = LangBody,
    responses((status = 204), (status = 400, description = "not es or en")))]
pub async fn set_lang<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    super::body::ApiJson(body): super::body::ApiJson<LangBody>,
) -> Result<axum::http::StatusCode, ApiError> {
    if !matches!(body.lang.as_str(), "es" | "en") {
        return Err(ApiError::BadRequest(
            "lang: must be \"es\" or \"en\"".into(),
        ));
    }
    state
        .store
        .set_user_lang(principal.user_id, &body.lang)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
