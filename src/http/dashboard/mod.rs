//! The dashboard: a static single-page app (HTML, CSS and JavaScript embedded in the binary,
//! no build step) that reads the JSON API and the live stream, plus login and logout.
//! Mention text and every other stored string are put in the page with `textContent`, never
//! parsed as HTML; the Content-Security-Policy forbids inline scripts besides.
//! One live connection per browser: a SharedWorker (`live-worker.js`) holds the event stream
//! and shares it with every open tab (see `live.js`).

mod assets;
pub(crate) mod login;
pub mod session;
mod settings;
pub mod throttle;

use axum::Router;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Redirect;
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;

pub use session::{SessionCsrf, SessionId};
pub use settings::{BrandInfo, DashboardSettings};

use super::ApiState;
use crate::storage::Store;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; worker-src 'self'; form-action 'self'; frame-ancestors 'none'; \
    base-uri 'none'";

/// `/dashboard/...` routes (and `/` redirecting there), compressed with br or gzip.
pub fn routes<S: Store>() -> Router<ApiState<S>> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/dashboard/") }))
        .route(
            "/favicon.ico",
            get(|| async { Redirect::permanent("/dashboard/favicon.svg") }),
        )
        .route("/dashboard", get(|| async { Redirect::to("/dashboard/") }))
        .route(
            "/dashboard/",
            get(|h: HeaderMap| async move { assets::serve("index.html", &h) }),
        )
        .route(
            "/dashboard/{file}",
            get(|Path(f): Path<String>, h: HeaderMap| async move { assets::serve(&f, &h) }),
        )
        .route("/dashboard/login", post(login::login::<S>))
        .route("/dashboard/logout", post(login::logout::<S>))
        .layer(CompressionLayer::new())
}
