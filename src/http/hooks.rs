//! Push webhooks: `POST /hooks/generic/{feed}`, `POST /hooks/meta` and the `GET /hooks/meta`
//! verification handshake. The handler hands the raw body and signature
//! header to a [`HookSink`] (the app), which verifies the signature before parsing and ingests
//! the mentions through the normal pipeline. A bad signature answers 401 and stores nothing.

use async_trait::async_trait;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use std::collections::HashMap;

use super::{ApiError, ApiState};
use crate::sources::meta;
use crate::sources::webhook::SIGNATURE_HEADER;
use crate::storage::Store;

#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("no webhook feed named '{0}'")]
    UnknownFeed(String),
    #[error("bad signature")]
    BadSignature,
    #[error("bad body: {0}")]
    BadBody(String),
    #[error("internal error")]
    Internal,
}

/// Receives verified-or-rejected pushes; implemented by the application.
#[async_trait]
pub trait HookSink: Send + Sync {
    /// Verifies `signature` over `body` for `feed`, then ingests; returns mentions stored.
    async fn generic(
        &self,
        feed: &str,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<usize, HookError>;

    /// Verifies `X-Hub-Signature-256` over `body`, then ingests WhatsApp messages.
    async fn meta(&self, signature: Option<&str>, body: &[u8]) -> Result<usize, HookError>;

    /// Whether a `hub.mode=subscribe` request carries the configured verify token.
    fn meta_verify_token_ok(&self, token: &str) -> bool;
}

/// A signed push of mentions to a `generic` webhook feed.
#[utoipa::path(post, path = "/hooks/generic/{feed}", tag = "webhooks",
    params(("feed" = String, Path, description = "the webhook feed's name"),
        ("X-Vigia-Signature" = Option<String>, Header, description = "`sha256=<hex HMAC of the body>`")),
    request_body(content = Object, description = "the feed's JSON payload (see README)", content_type = "application/json"),
    responses((status = 202, body = HookAccepted),
        (status = 400, body = crate::http::api::contract::ErrorBody, description = "signed, but not a payload we read"),
        (status = 401, body = crate::http::api::contract::ErrorBody, description = "missing or bad signature, or no such feed")))]
pub async fn generic<S: Store>(
    State(state): State<ApiState<S>>,
    Path(feed): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let Some(sink) = state.hooks.as_ref() else {
        return Ok(answer(Err(HookError::UnknownFeed(feed))));
    };
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    Ok(answer(sink.generic(&feed, signature, &body).await))
}

/// `POST /hooks/meta`: WhatsApp Business messages, signed by Meta.
#[utoipa::path(post, path = "/hooks/meta", tag = "webhooks",
    params(("X-Hub-Signature-256" = Option<String>, Header, description = "`sha256=<hex HMAC of the body>`")),
    request_body(content = Object, description = "Meta's webhook payload", content_type = "application/json"),
    responses((status = 202, body = HookAccepted),
        (status = 400, body = crate::http::api::contract::ErrorBody, description = "signed, but not a payload we read"),
        (status = 401, body = crate::http::api::contract::ErrorBody, description = "missing or bad signature, or no Meta feed")))]
pub async fn meta_post<S: Store>(
    State(state): State<ApiState<S>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let Some(sink) = state.hooks.as_ref() else {
        return Ok(answer(Err(HookError::UnknownFeed("meta".into()))));
    };
    let signature = headers
        .get(meta::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    Ok(answer(sink.meta(signature, &body).await))
}

/// `GET /hooks/meta?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` echoes the
/// challenge when the token matches; 403 otherwise.
#[utoipa::path(get, path = "/hooks/meta", tag = "webhooks",
    params(("hub.mode" = Option<String>, Query), ("hub.verify_token" = Option<String>, Query),
        ("hub.challenge" = Option<String>, Query)),
    responses((status = 200, description = "the challenge, echoed", content_type = "text/plain", body = String),
        (status = 403, body = crate::http::api::contract::ErrorBody, description = "wrong verify token")))]
pub async fn meta_verify<S: Store>(
    State(state): State<ApiState<S>>,
    Query(q): Query<HashMap<String, String>>,
) -> (StatusCode, String) {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    let ok = get("hub.mode") == "subscribe"
        && state
            .hooks
            .as_ref()
            .is_some_and(|s| s.meta_verify_token_ok(get("hub.verify_token")));
    if ok {
        (StatusCode::OK, get("hub.challenge").to_owned())
    } else {
        (StatusCode::FORBIDDEN, "verification failed".to_owned())
    }
}

/// What a push stored.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct HookAccepted {
    /// Mentions stored (pushes of known mentions store nothing again).
    pub stored: usize,
}

fn answer(result: Result<usize, HookError>) -> (StatusCode, Json<serde_json::Value>) {
    let (status, body) = match result {
        Ok(stored) => (
            StatusCode::ACCEPTED,
            serde_json::json!({ "stored": stored }),
        ),
        // An unknown feed answers like a bad signature, so feed names cannot be enumerated.
        Err(HookError::BadSignature | HookError::UnknownFeed(_)) => (
            StatusCode::UNAUTHORIZED,
            err("unauthorized", "bad signature"),
        ),
        Err(HookError::BadBody(e)) => (StatusCode::BAD_REQUEST, err("bad_request", &e)),
        Err(HookError::Internal) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            err("internal", "internal error"),
        ),
    };
    (status, Json(body))
}

fn err(code: &str, message: &str) -> serde_json::Value {
    serde_json::json!({ "error": code, "message": message })
}
