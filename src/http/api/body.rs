//! `ApiJson<T>`: a JSON request body whose problems are JSON 400s naming the field. Every body
//! of the API is a JSON object: an array is refused even where serde would read a struct from
//! it (`[null, null]` is not `{}`).

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Json, Request};

use crate::http::ApiError;

pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let (req, first) = buffered(req, state).await?;
        let value = Json::<T>::from_request(req, state)
            .await
            .map(|Json(v)| v)
            .map_err(rejected)?;
        if first != Some(b'{') {
            return Err(not_an_object());
        }
        Ok(ApiJson(value))
    }
}

/// The request with its body read (so its first byte can be looked at), and that first
/// non-blank byte. Too large a body is a 413.
async fn buffered<S: Send + Sync>(
    req: Request,
    state: &S,
) -> Result<(Request, Option<u8>), ApiError> {
    // The body limit travels in the extensions: the second read keeps the same one.
    let (headers, extensions) = (req.headers().clone(), req.extensions().clone());
    let bytes = Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(e.body_text())
        } else {
            ApiError::BadRequest(e.body_text())
        }
    })?;
    let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace());
    let mut again = Request::new(Body::from(bytes));
    *again.headers_mut() = headers;
    *again.extensions_mut() = extensions;
    Ok((again, first))
}

fn not_an_object() -> ApiError {
    ApiError::BadRequest("the body must be a JSON object".into())
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
/// body that is there but bad (an array included) is still a JSON 400.
impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::OptionalFromRequest<S>
    for ApiJson<T>
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, ApiError> {
        let (req, first) = buffered(req, state).await?;
        // `null` is no body too.
        let value =
            <Json<Option<T>> as axum::extract::OptionalFromRequest<S>>::from_request(req, state)
                .await
                .map(|v| v.and_then(|Json(v)| v))
                .map_err(rejected)?;
        match (value, first) {
            (Some(_), Some(b)) if b != b'{' => Err(not_an_object()),
            (value, _) => Ok(value.map(ApiJson)),
        }
    }
}
