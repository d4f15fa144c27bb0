//! JSON API routes. Every list answers `{"items": [...], "total": N}` and takes `limit`/`offset`.
//! Routes are registered in [`table`] order, one line each; the same table describes them in
//! `/api/openapi.json`.

mod audit;
mod body;
mod brands;
pub mod contract;
mod csat;
mod customer_edit;
mod customers;
mod event_clock;
mod export;
mod feedback;
mod feeds;
mod incident_detail;
mod incidents;
mod me;
mod mention_ticket;
mod mentions;
pub mod openapi;
mod overview;
mod privacy;
mod stream;
pub mod stream_gate;
pub mod table;
mod ticket_actions;
mod tickets;
mod war_room;

use axum::Router;

use super::ApiState;
use crate::storage::Store;
pub use body::ApiJson;
/// The labeled TSV of corrected mentions (`GET /api/feedback.tsv`, `vigia feedback export`).
pub use feedback::to_tsv as feedback_tsv;
pub use table::Table;

/// Every API route, with its OpenAPI description.
pub fn table<S: Store>() -> Table<S> {
    Table::default()
        .route::<mentions::__path_list, _, _>(mentions::list::<S>)
        .route::<incidents::__path_list, _, _>(incidents::list::<S>)
        .route::<tickets::__path_list, _, _>(tickets::list::<S>)
        .route::<customers::__path_get, _, _>(customers::get::<S>)
        .route::<feeds::__path_list, _, _>(feeds::list::<S>)
        .route::<brands::__path_list, _, _>(brands::list::<S>)
        .route::<overview::__path_get, _, _>(overview::get::<S>)
        .route::<stream::__path_get, _, _>(stream::get::<S>)
        .route::<me::__path_get, _, _>(me::get::<S>)
        .route::<me::__path_set_lang, _, _>(me::set_lang::<S>)
        .route::<incident_detail::__path_get, _, _>(incident_detail::get::<S>)
        .route::<incident_detail::__path_ack, _, _>(incident_detail::ack::<S>)
        .route::<incident_detail::__path_resolve, _, _>(incident_detail::resolve::<S>)
        .route::<incident_detail::__path_reopen, _, _>(incident_detail::reopen::<S>)
        .route::<tickets::__path_get, _, _>(tickets::get::<S>)
        .route::<ticket_actions::__path_status, _, _>(ticket_actions::status::<S>)
        .route::<ticket_actions::__path_assign, _, _>(ticket_actions::assign::<S>)
        .route::<ticket_actions::__path_reply, _, _>(ticket_actions::reply::<S>)
        .route::<customer_edit::__path_create, _, _>(customer_edit::create::<S>)
        .route::<customer_edit::__path_add_identity, _, _>(customer_edit::add_identity::<S>)
        .route::<customer_edit::__path_merge, _, _>(customer_edit::merge::<S>)
        .route::<customer_edit::__path_unmerge, _, _>(customer_edit::unmerge::<S>)
        .route::<csat::__path_by_brand, _, _>(csat::by_brand::<S>)
        .route::<export::__path_mentions, _, _>(export::mentions::<S>)
        .route::<privacy::__path_erase_customer, _, _>(privacy::erase_customer::<S>)
        .route::<audit::__path_list, _, _>(audit::list::<S>)
        .route::<feedback::__path_create, _, _>(feedback::create::<S>)
        .route::<feedback::__path_export_tsv, _, _>(feedback::export_tsv::<S>)
        .route::<mention_ticket::__path_open, _, _>(mention_ticket::open::<S>)
        .route::<war_room::__path_mentions, _, _>(war_room::mentions::<S>)
        .route::<war_room::__path_room, _, _>(war_room::room::<S>)
        .route::<war_room::__path_add_note, _, _>(war_room::add_note::<S>)
        .route::<war_room::__path_set_owner, _, _>(war_room::set_owner::<S>)
        .route::<openapi::__path_get, _, _>(openapi::get::<S>)
}

pub fn routes<S: Store>() -> Router<ApiState<S>> {
    table::<S>().into_router()
}
