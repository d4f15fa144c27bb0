//! The HTTP surface (axum): JSON API, health check. Handlers only read storage.

pub mod api;
pub mod auth;
pub mod dashboard;
mod error;
pub mod hooks;
mod json_errors;
pub mod metrics;
mod params;
mod survey;

pub use error::ApiError;

use axum::Router;
use axum::routing::{get, post};
use std::sync::Arc;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::storage::Store;

#[derive(Clone)]
pub struct ApiState<S: Store> {
    pub store: S,
    /// Where push webhooks go; `None` when no webhook feed is configured.
    pub hooks: Option<Arc<dyn hooks::HookSink>>,
    /// The application's clock (for "in the last hour" figures).
    pub clock: Arc<dyn crate::clock::Clock>,
    /// Dashboard settings: brands, competitors, sessions, stop words.
    pub dashboard: Arc<dashboard::DashboardSettings>,
    /// Fires when the server shuts down: ends live streams so shutdown does not wait on them.
    pub shutdown: tokio_util::sync::CancellationToken,
    /// Ticket rules, SLA calendar and survey links.
    pub desk: Arc<crate::helpdesk::Desk>,
}

pub fn router<S: Store>(state: ApiState<S>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::get::<S>))
        .nest(
            "/api",
            api::routes::<S>().route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                auth::bearer::authenticate::<S>,
            )),
        )
        .merge(dashboard::routes::<S>())
        .route("/survey/{token}", get(survey::answer::<S>))
        .route("/hooks/generic/{feed}", post(hooks::generic::<S>))
        .route(
            "/hooks/meta",
            get(hooks::meta_verify::<S>).post(hooks::meta_post::<S>),
        )
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            dashboard::session::layer::<S>,
        ))
        .layer(axum::middleware::from_fn(metrics::track))
        .with_state(state)
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(axum::middleware::from_fn(json_errors::layer))
        .layer(TraceLayer::new_for_http())
}

/// Liveness: answers while the process serves requests.
#[utoipa::path(get, path = "/healthz", tag = "meta",
    responses((status = 200, description = "`{\"status\": \"ok\"}`", body = Object)))]
async fn healthz() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"status": "ok"}))
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such route".into())
}
