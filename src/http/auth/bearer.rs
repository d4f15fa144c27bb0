//! The authentication middleware of `/api`: every request must carry a valid
//! `Authorization: Bearer <token>`; the token's user becomes the request's [`Principal`].

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::secrets::{looks_like_token, token_hash};
use super::{Credential, Principal, Role};
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
        Ok((principal, credential)) => {
            req.extensions_mut().insert(principal);
            req.extensions_mut().insert(credential);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

async fn bearer_principal<S: Store>(
    state: &ApiState<S>,
    header: Option<&str>,
) -> Result<(Principal, Credential), ApiError> {
    let token = header
        .and_then(bearer_token)
        .filter(|t| looks_like_token(t))
        .ok_or(ApiError::Unauthorized)?;
    let hash = token_hash(token);
    let user = state
        .store
        .use_token(&hash, state.clock.now())
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok((principal_of(user)?, Credential::Token(hash)))
}

/// The token of an `Authorization` header; the scheme name is case-insensitive (RFC 9110).
fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
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

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn the_scheme_is_case_insensitive() {
        for h in ["Bearer abc", "bearer abc", "BEARER  abc "] {
            assert_eq!(bearer_token(h), Some("abc"), "{h}");
        }
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearerabc"), None);
    }
}
