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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pub username: String,
    pub password: String,
}

/// A hash to check against when the user does not exist, so both cases take as long.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    hash_password("no such user, no such password").unwrap_or_default()
});

fn verify(hash: &str, password: &str) -> bool {
    verify_password(password, hash)
}

fn refused() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"error": "unauthorized", "message": "wrong username or password"})),
    )
        .into_response()
}

pub async fn login<S: Store>(
    State(state): State<ApiState<S>>,
    Json(body): Json<LoginBody>,
) -> Result<Response, ApiError> {
    let now = state.clock.now();
    let cfg = &state.dashboard.auth;
    let row = state.store.user_by_name(body.username.trim()).await?;
    let Some(row) = row.filter(|r| !r.user.disabled) else {
        verify(&DUMMY_HASH, &body.password);
        return Ok(refused());
    };
    if let Some(until) = row.locked_until.filter(|u| *u > now) {
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            Json(
                json!({"error": "locked", "message": "too many wrong passwords; try again later",
                "locked_until": until}),
            ),
        )
            .into_response());
    }
    let ok = row
        .password_hash
        .as_deref()
        .is_some_and(|h| verify(h, &body.password));
    if !ok {
        let lock_until = now + Duration::minutes(cfg.lockout_mins);
        let failures = state
            .store
            .login_failed(row.user.id, cfg.max_failed_logins, lock_until)
            .await?;
        tracing::warn!(user = %row.user.username, failures, "dashboard login refused");
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
