//! Every error under `/api`, `/hooks`, `/healthz` and the sign-in endpoints is the documented JSON `{"error", "message"}`, also
//! the ones no handler wrote: axum's extractor rejections, 405 for a wrong method, 413 from the
//! body limit, 503 from the timeout layer. This middleware rewrites any non-JSON error answer
//! there; handlers' own [`ApiError`](super::ApiError)s pass through untouched.

use axum::Json;
use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The most of a plain-text error body kept as the message.
const MESSAGE_MAX: usize = 2048;

pub async fn layer(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let ours = path.starts_with("/api/")
        || path == "/api"
        || path.starts_with("/hooks/")
        || matches!(path, "/healthz" | "/dashboard/login" | "/dashboard/logout");
    let res = next.run(req).await;
    if !ours || !(res.status().is_client_error() || res.status().is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = match to_bytes(body, MESSAGE_MAX).await {
        Ok(b) => String::from_utf8_lossy(&b).trim().to_owned(),
        Err(_) => String::new(),
    };
    let mut out = as_json(parts.status, text);
    // Keep what the client needs to retry or re-send (e.g. `Allow`, `Retry-After`).
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = parts.headers.get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

/// The JSON error for `status`, with `text` (or the status's reason) as the message. 5xx
/// messages never echo a body.
fn as_json(status: StatusCode, text: String) -> Response {
    let code = code_of(status);
    let reason = status.canonical_reason().unwrap_or("error").to_lowercase();
    let message = if text.is_empty() || status.is_server_error() {
        reason
    } else {
        text
    };
    let body = Json(serde_json::json!({"error": code, "message": message}));
    (status, body).into_response()
}

/// The stable `error` code of a status.
pub fn code_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        429 => "too_many_requests",
        503 => "unavailable",
        s if s >= 500 => "internal",
        _ => "bad_request",
    }
}
