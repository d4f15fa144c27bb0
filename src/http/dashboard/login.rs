//! `POST /dashboard/login` and `POST /dashboard/logout`. Wrong passwords count per account;
//! after `[auth] max_failed_logins` in a row the account is locked for `lockout_mins`
//! (even the right password is refused until then).

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::Duration;
use serde::Deserialize;
use serde_json::json;

use super::session::{self, SessionId};
use crate::http::auth::Principal;
use crate::http::auth::secrets::{hash_password, verify_password};
use crate::http::{ApiError, ApiState};
use crate::storage::Store;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pub username: String,
    pub password: String,
}

/// A hash to check against when the user does not exist, so both cases take as long.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    hash_password("no such user, no such password").unwrap_or_default()
});

/// Checks a password on the blocking pool: Argon2 takes tens of milliseconds of CPU, which
/// must not stall the async workers (and every other request with them).
async fn verify(hash: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let hash = hash.as_deref().unwrap_or(DUMMY_HASH.as_str());
        verify_password(&password, hash)
    })
    .await
    .unwrap_or(false)
}

fn refused() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"error": "unauthorized", "message": "wrong username or password"})),
    )
        .into_response()
}

fn locked(until: chrono::DateTime<chrono::Utc>) -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        Json(
            json!({"error": "locked", "message": "too many wrong passwords; try again later",
            "locked_until": until}),
        ),
    )
        .into_response()
}

/// Signs in to the dashboard: sets the session cookie and answers the CSRF token.
///
/// Every attempt is counted before its password is checked (atomically, in the database), so
/// parallel guesses cannot exceed `[auth] max_failed_logins`; names without an account are
/// counted too and answer the same 429.
#[utoipa::path(post, path = "/dashboard/login", tag = "dashboard", request_body = LoginBody,
    responses((status = 200, description = "signed in: `{username, role, lang, csrf}`", body = Object),
        (status = 401, body = crate::http::api::contract::ErrorBody, description = "wrong username or password"),
        (status = 429, body = crate::http::api::contract::ErrorBody, description = "too many wrong passwords; try later")))]
pub async fn login<S: Store>(
    State(state): State<ApiState<S>>,
    crate::http::api::ApiJson(body): crate::http::api::ApiJson<LoginBody>,
) -> Result<Response, ApiError> {
    let now = state.clock.now();
    let cfg = &state.dashboard.auth;
    let lock_until = now + Duration::minutes(cfg.lockout_mins);
    let name = body.username.trim();
    let row = state.store.user_by_name(name).await?;
    let Some(row) = row.filter(|r| !r.user.disabled) else {
        let names = &state.dashboard.unknown_names;
        if let Err(until) = names.attempt(name, cfg.max_failed_logins, lock_until, now) {
            return Ok(locked(until));
        }
        verify(None, body.password).await;
        return Ok(refused());
    };
    let attempt = state
        .store
        .login_attempt(row.user.id, cfg.max_failed_logins, lock_until, now)
        .await?;
    let Some(attempts) = attempt else {
        return Ok(locked(row.locked_until.unwrap_or(lock_until)));
    };
    if !verify(row.password_hash.clone(), body.password).await {
        tracing::warn!(user = %row.user.username, attempts, "dashboard login refused");
        return Ok(refused());
    }
    state.store.login_succeeded(row.user.id).await?;
    let Some(principal) = session::principal_of(row.user.clone()) else {
        return Ok(refused());
    };
    let id = session::random_token();
    let csrf = session::random_token();
    let expires = now + Duration::hours(cfg.session_hours);
    state
        .store
        .create_session(&session::hash_id(&id), row.user.id, &csrf, now, expires)
        .await?;
    state
        .store
        .audit(&principal.audit_entry("session.login", "user", row.user.id, json!({}), now))
        .await?;
    let cookie = session::set_cookie(Some(&id), cfg.session_hours * 3600, cfg.secure_cookies);
    let body = json!({"username": principal.username, "role": principal.role,
        "lang": row.user.lang, "csrf": csrf});
    Ok(with_cookie(Json(body).into_response(), &cookie))
}

/// Ends the dashboard session (needs the `X-CSRF-Token` header).
#[utoipa::path(post, path = "/dashboard/logout", tag = "dashboard",
    responses((status = 204, description = "signed out"),
        (status = 400, body = crate::http::api::contract::ErrorBody, description = "not a dashboard session")))]
pub async fn logout<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    session: Option<Extension<SessionId>>,
) -> Result<Response, ApiError> {
    let Some(Extension(SessionId(id))) = session else {
        return Err(ApiError::BadRequest("not a dashboard session".into()));
    };
    state.store.delete_session(&id).await?;
    let now = state.clock.now();
    state
        .store
        .audit(&principal.audit_entry("session.logout", "user", principal.user_id, json!({}), now))
        .await?;
    let cookie = session::set_cookie(None, 0, state.dashboard.auth.secure_cookies);
    Ok(with_cookie(StatusCode::NO_CONTENT.into_response(), &cookie))
}

fn with_cookie(mut res: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}
