use axum::Json;

use crate::storage::Store;

/// The OpenAPI description of this API (generated from the route table).
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json", body = Object)))]
pub async fn get<S: Store>() -> Json<serde_json::Value> {
    Json(super::table::<S>().document())
}
