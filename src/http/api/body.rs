//! `ApiJson<T>`: a JSON request body whose problems are JSON 400s naming the field.

use axum::extract::{FromRequest, Json, Request};

use crate::http::ApiError;

pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Json::<T>::from_request(req, state)
            .await
            .map(|Json(v)| ApiJson(v))
            .map_err(rejected)
    }
}

/// A body axum could not read: too large is a 413, anything else (no JSON content type,
/// not JSON, wrong fields) a 400 naming the problem.
fn rejected(e: axum::extract::rejection::JsonRejection) -> ApiError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge(e.body_text())
    } else {
        ApiError::BadRequest(e.body_text())
    }
}

/// An optional JSON body: absent (no `Content-Type: application/json`) or `null` is `None`; a
/// body that is there but bad is still a JSON 400.
impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::OptionalFromRequest<S>
    for ApiJson<T>
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, ApiError> {
        // `null` is no body too.
        <Json<Option<T>> as axum::extract::OptionalFromRequest<S>>::from_request(req, state)
            .await
            .map(|v| v.and_then(|Json(v)| v.map(ApiJson)))
            .map_err(rejected)
    }
}
