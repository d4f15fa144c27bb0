//! Dashboard sessions: a random id in an `HttpOnly; SameSite=Strict` cookie (`Secure` when
//! `[auth] secure_cookies`), stored only as its SHA-256. Every request that changes
//! something with a session (any method but GET/HEAD/OPTIONS) must send the session's CSRF
//! token in `X-CSRF-Token`, or it is refused with 403.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::http::auth::Principal;
use crate::http::{ApiError, ApiState};
use crate::storage::{Store, StoreResult, UserRow};

pub const COOKIE: &str = "vigia_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The CSRF token of the session a request came with (in the request's extensions).
#[derive(Debug, Clone)]
pub struct SessionCsrf(pub String);

/// The session id hash of the request (for logout).
#[derive(Debug, Clone)]
pub struct SessionId(pub String);

/// 32 random bytes, hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    hex::encode(bytes)
}

pub fn hash_id(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

/// The session cookie's value, if the request carries one.
pub fn cookie_value(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v)
}

/// `Set-Cookie` for a new session (or, with `None`, one that deletes it).
pub fn set_cookie(value: Option<&str>, max_age_secs: i64, secure: bool) -> String {
    let (value, age) = value.map_or(("", 0), |v| (v, max_age_secs));
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={age}{secure}")
}

/// The principal an active account stands for; `None` for a disabled one or an unknown role.
pub fn principal_of(user: UserRow) -> Option<Principal> {
    if user.disabled {
        return None;
    }
    crate::http::auth::bearer::principal_of(user).ok()
}

/// Middleware: a request with a valid session cookie (and no `Authorization` header) gets the
/// session's [`Principal`]; a state-changing one must also carry the CSRF token.
pub async fn layer<S: Store>(
    State(state): State<ApiState<S>>,
    mut req: Request,
    next: Next,
) -> Response {
    if req.headers().contains_key(header::AUTHORIZATION) {
        return next.run(req).await;
    }
    let Some(id) = cookie_value(req.headers()).map(hash_id) else {
        return next.run(req).await;
    };
    let session = match resolve(&state, &id).await {
        Ok(Some(s)) => s,
        Ok(None) => return next.run(req).await,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let (principal, csrf) = session;
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let sent = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
            return ApiError::Forbidden("missing or wrong CSRF token (X-CSRF-Token)".into())
                .into_response();
        }
    }
    req.extensions_mut().insert(principal);
    req.extensions_mut().insert(SessionCsrf(csrf));
    req.extensions_mut()
        .insert(crate::http::auth::Credential::Session(id.clone()));
    req.extensions_mut().insert(SessionId(id));
    next.run(req).await
}

async fn resolve<S: Store>(
    state: &ApiState<S>,
    id_hash: &str,
) -> StoreResult<Option<(Principal, String)>> {
    let Some(session) = state.store.session(id_hash, state.clock.now()).await? else {
        return Ok(None);
    };
    let user = state.store.user_by_id(session.user_id).await?;
    Ok(user.and_then(principal_of).map(|p| (p, session.csrf)))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_is_found_among_others_and_set_with_the_right_flags() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; vigia_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(cookie_value(&h), Some("abc"));
        let c = set_cookie(Some("abc"), 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("Secure"));
        assert!(!set_cookie(Some("abc"), 60, false).contains("Secure"));
        assert!(set_cookie(None, 60, false).contains("Max-Age=0"));
        assert!(constant_time_eq(b"xy", b"xy") && !constant_time_eq(b"xy", b"xz"));
    }
}
