//! Push webhooks: `POST /hooks/generic/{feed}`. The handler hands the raw body and signature
//! header to a [`HookSink`] (the app), which verifies the signature before parsing and ingests
//! the mentions through the normal pipeline. A bad signature answers 401 and stores nothing.

use async_trait::async_trait;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};

use super::{ApiError, ApiState};
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
}

pub async fn generic<S: Store>(
    State(state): State<ApiState<S>>,
    Path(feed): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let Some(sink) = state.hooks.as_ref() else {
        return Err(ApiError::NotFound("no webhook feeds".into()));
    };
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    match sink.generic(&feed, signature, &body).await {
        Ok(stored) => Ok((
            StatusCode::ACCEPTED,
            Json(serde_json::json!({ "stored": stored })),
        )),
        Err(HookError::BadSignature) => Ok((
            StatusCode::UNAUTHORIZED,
            Json(serde_json::json!({ "error": "bad signature" })),
        )),
        Err(HookError::UnknownFeed(f)) => Err(ApiError::NotFound(format!("no webhook feed '{f}'"))),
        Err(HookError::BadBody(e)) => Ok((
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "error": e })),
        )),
        Err(HookError::Internal) => Ok((
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(serde_json::json!({ "error": "internal error" })),
        )),
    }
}
