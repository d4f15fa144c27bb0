use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use crate::domain::TicketStatus;
use crate::http::auth::{Action, Principal};
use crate::http::params::{ApiQuery, Paging};
use crate::http::{ApiError, ApiState};
use crate::storage::{Listing, Store, Ticket, TicketFilter};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TicketParams {
    brand: Option<String>,
    /// `open` or `solved`.
    status: Option<String>,
    customer: Option<i64>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// A ticket with the ids of the mentions it gathers.
#[derive(utoipa::ToSchema, Debug, Serialize)]
pub struct TicketItem {
    #[serde(flatten)]
    pub ticket: Ticket,
    pub mention_ids: Vec<i64>,
}

/// Tickets, most recently updated first.
#[utoipa::path(get, path = "/api/tickets", params(TicketParams), tag = "tickets",
    responses((status = 200, body = Listing<TicketItem>)))]
pub async fn list<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiQuery(params): ApiQuery<TicketParams>,
) -> Result<Json<Listing<TicketItem>>, ApiError> {
    principal.require(Action::Read)?;
    let status = match &params.status {
        Some(s) => Some(TicketStatus::parse(s).ok_or_else(|| {
            ApiError::BadRequest(format!("status: '{s}' is not one of open, solved"))
        })?),
        None => None,
    };
    let filter = TicketFilter {
        brand: params.brand,
        scope: principal.scope().map(<[String]>::to_vec),
        status,
        customer_id: params.customer,
    };
    let page = Paging {
        limit: params.limit,
        offset: params.offset,
    }
    .page()?;
    let listing = state.store.list_tickets(&filter, &page).await?;
    let mut items = Vec::with_capacity(listing.items.len());
    for ticket in listing.items {
        let mention_ids = state.store.ticket_mention_ids(ticket.id).await?;
        items.push(TicketItem {
            ticket,
            mention_ids,
        });
    }
    Ok(Json(Listing {
        items,
        total: listing.total,
    }))
}
