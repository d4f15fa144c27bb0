//! The authentication middleware of `/api`: every request must carry a valid
//! `Authorization: Bearer <token>`; the token's user becomes the request's [`Principal`].

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::secrets::{looks_like_token, token_hash};
use super::{Principal, Role};
use crate::http::{ApiError, ApiState};
use crate::storage::{Store, StoreError, UserRow};

/// Rejects unauthenticated requests with 401 before any handler runs, so a route added
/// later is protected by default; handlers then check role and brand scope.
pub async fn authenticate<S: Store>(
    State(state): State<ApiState<S>>,
    mut req: Request,
    next: Next,
) -> Response {
    // A dashboard session (checked, with its CSRF token, by the outer session layer).
    if req.extensions().get::<Principal>().is_some() {
        return next.run(req).await;
    }
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    match bearer_principal(&state, header.as_deref()).await {
        Ok(principal) => {
            req.extensions_mut().insert(principal);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

async fn bearer_principal<S: Store>(
    state: &ApiState<S>,
    header: Option<&str>,
) -> Result<Principal, ApiError> {
    let token = header
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| looks_like_token(t))
        .ok_or(ApiError::Unauthorized)?;
    let user = state
        .store
        .use_token(&token_hash(token), state.clock.now())
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(principal_of(user)?)
}

/// The principal of a stored account.
pub fn principal_of(user: UserRow) -> Result<Principal, StoreError> {
    let role = Role::parse(&user.role).ok_or_else(|| {
        StoreError::Corrupt(format!(
            "user {} has unknown role '{}'",
            user.username, user.role
        ))
    })?;
    Ok(Principal {
        user_id: user.id,
        username: user.username,
        role,
        brands: user.brands,
    })
}
