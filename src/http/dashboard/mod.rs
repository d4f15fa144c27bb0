//! The dashboard: a static single-page app (HTML, CSS and JavaScript embedded in the binary,
//! no build step) that reads the JSON API and the live stream, plus login and logout.
//! Mention text and every other stored string are put in the page with `textContent`, never
//! parsed as HTML; the Content-Security-Policy forbids inline scripts besides.

pub(crate) mod login;
pub mod session;
mod settings;
pub mod throttle;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

pub use session::{SessionCsrf, SessionId};
pub use settings::{BrandInfo, DashboardSettings};

use super::ApiState;
use crate::storage::Store;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// `/dashboard/...` routes (and `/` redirecting there).
pub fn routes<S: Store>() -> Router<ApiState<S>> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/dashboard/") }))
        .route("/dashboard", get(|| async { Redirect::to("/dashboard/") }))
        .route("/dashboard/", get(|| async { asset("index.html") }))
        .route("/dashboard/app.js", get(|| async { asset("app.js") }))
        .route("/dashboard/views.js", get(|| async { asset("views.js") }))
        .route("/dashboard/i18n.js", get(|| async { asset("i18n.js") }))
        .route("/dashboard/app.css", get(|| async { asset("app.css") }))
        .route("/dashboard/login", post(login::login::<S>))
        .route("/dashboard/logout", post(login::logout::<S>))
}

fn asset(name: &str) -> Response {
    let (body, kind): (&'static str, &str) = match name {
        "index.html" => (
            include_str!("assets/index.html"),
            "text/html; charset=utf-8",
        ),
        "app.js" => (
            include_str!("assets/app.js"),
            "text/javascript; charset=utf-8",
        ),
        "views.js" => (
            include_str!("assets/views.js"),
            "text/javascript; charset=utf-8",
        ),
        "i18n.js" => (
            include_str!("assets/i18n.js"),
            "text/javascript; charset=utf-8",
        ),
        _ => (include_str!("assets/app.css"), "text/css; charset=utf-8"),
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(kind).expect("static"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    res
}
