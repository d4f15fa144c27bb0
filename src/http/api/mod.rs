//! JSON API routes. Every list answers `{"items": [...], "total": N}` and takes `limit`/`offset`.
//! Routes are registered in [`table`] order, one line each; the same table describes them in
//! `/api/openapi.json`.

mod audit;
mod brands;
mod customers;
mod feeds;
mod incidents;
mod me;
mod mentions;
pub mod openapi;
mod overview;
mod stream;
pub mod table;
mod tickets;

use axum::Router;

use super::ApiState;
use crate::storage::Store;
pub use table::Table;

/// Every API route, with its OpenAPI description.
pub fn table<S: Store>() -> Table<S> {
    Table::default()
        .add::<mentions::__path_list, _, _>(mentions::list::<S>)
        .add::<incidents::__path_list, _, _>(incidents::list::<S>)
        .add::<tickets::__path_list, _, _>(tickets::list::<S>)
        .add::<customers::__path_get, _, _>(customers::get::<S>)
        .add::<feeds::__path_list, _, _>(feeds::list::<S>)
        .add::<brands::__path_list, _, _>(brands::list::<S>)
        .add::<overview::__path_get, _, _>(overview::get::<S>)
        .add::<stream::__path_get, _, _>(stream::get::<S>)
        .add::<me::__path_get, _, _>(me::get::<S>)
        .add::<me::__path_set_lang, _, _>(me::set_lang::<S>)
        .add::<audit::__path_list, _, _>(audit::list::<S>)
        .add::<openapi::__path_get, _, _>(openapi::get::<S>)
}

pub fn routes<S: Store>() -> Router<ApiState<S>> {
    table::<S>().into_router()
}
