//! JSON API routes. Every list answers `{"items": [...], "total": N}` and takes `limit`/`offset`.

mod audit;
mod body;
mod csat;
mod customer_edit;
mod customers;
mod export;
mod feeds;
mod incident_detail;
mod incidents;
mod mentions;
mod privacy;
mod ticket_actions;
mod tickets;

use axum::Router;
use axum::routing::{get, post};

use super::ApiState;
use crate::storage::Store;

pub fn routes<S: Store>() -> Router<ApiState<S>> {
    Router::new()
        .route("/mentions", get(mentions::list::<S>))
        .route("/incidents", get(incidents::list::<S>))
        .route("/incidents/{id}", get(incident_detail::get::<S>))
        .route("/incidents/{id}/ack", post(incident_detail::ack::<S>))
        .route(
            "/incidents/{id}/resolve",
            post(incident_detail::resolve::<S>),
        )
        .route("/tickets", get(tickets::list::<S>))
        .route("/tickets/{id}", get(tickets::get::<S>))
        .route("/tickets/{id}/status", post(ticket_actions::status::<S>))
        .route("/tickets/{id}/assign", post(ticket_actions::assign::<S>))
        .route("/tickets/{id}/reply", post(ticket_actions::reply::<S>))
        .route("/customers", post(customer_edit::create::<S>))
        .route("/customers/{id}", get(customers::get::<S>))
        .route(
            "/customers/{id}/identities",
            post(customer_edit::add_identity::<S>),
        )
        .route("/customers/{id}/merge", post(customer_edit::merge::<S>))
        .route(
            "/customers/merges/{id}/undo",
            post(customer_edit::unmerge::<S>),
        )
        .route("/csat", get(csat::by_brand::<S>))
        .route("/feeds", get(feeds::list::<S>))
        .route("/audit", get(audit::list::<S>))
        .route("/export/mentions", get(export::mentions::<S>))
        .route("/customers/{id}/erase", post(privacy::erase_customer::<S>))
}
