//! Tickets: list with filters, and one ticket with its mentions, customer, replies, external
//! helpdesk references and SLA clock.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::event_clock::{brand_now, sla_at};
use crate::domain::{Identity, TicketStatus};
use crate::http::auth::{Action, Principal};
use crate::http::params::{ApiPath, ApiQuery, Paging};
use crate::http::{ApiError, ApiState};
use crate::storage::{
    Customer, ExternalRow, Listing, MentionFilter, MentionRow, PageRequest, ReplyRow, Store,
    Ticket, TicketFilter,
};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TicketParams {
    brand: Option<String>,
    /// `new`, `open`, `pending`, `solved` or `closed`.
    #[param(pattern = r"^(new|open|pending|solved|closed)$")]
    status: Option<String>,
    customer: Option<i64>,
    priority: Option<String>,
    team: Option<String>,
    assignee: Option<String>,
    category: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    #[param(minimum = 0)]
    offset: Option<i64>,
}

/// A ticket with the ids of the mentions it gathers and its SLA clock.
#[derive(Debug, Serialize)]
pub struct TicketItem {
    #[serde(flatten)]
    pub ticket: Ticket,
    pub mention_ids: Vec<i64>,
    pub sla: serde_json::Value,
}

pub(super) fn parse_status(s: &str) -> Result<TicketStatus, ApiError> {
    TicketStatus::parse(s).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "status: '{s}' is not one of new, open, pending, solved, closed"
        ))
    })
}

/// Tickets, most recently updated first.
#[utoipa::path(get, path = "/api/tickets", params(TicketParams), tag = "tickets",
    responses((status = 200, description = "`{items: [ticket with mention_ids and sla], total}`", body = Object)))]
pub async fn list<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiQuery(params): ApiQuery<TicketParams>,
) -> Result<Json<Listing<TicketItem>>, ApiError> {
    principal.require(Action::Read)?;
    let status = params.status.as_deref().map(parse_status).transpose()?;
    let filter = TicketFilter {
        brand: params.brand,
        scope: principal.scope().map(<[String]>::to_vec),
        status,
        customer_id: params.customer,
        priority: params.priority,
        team: params.team,
        assignee: params.assignee,
        category: params.category,
    };
    let page = Paging {
        limit: params.limit,
        offset: params.offset,
    }
    .page()?;
    let listing = state.store.list_tickets(&filter, &page).await?;
    let ids: Vec<i64> = listing.items.iter().map(|t| t.id).collect();
    let mut mentions = state.store.tickets_mention_ids(&ids).await?;
    let mut nows = std::collections::HashMap::new();
    let mut items = Vec::with_capacity(listing.items.len());
    for ticket in listing.items {
        let mention_ids = mentions.remove(&ticket.id).unwrap_or_default();
        let now = match nows.get(&ticket.brand) {
            Some(now) => *now,
            None => {
                let now = brand_now(&state, &ticket.brand).await?;
                *nows.entry(ticket.brand.clone()).or_insert(now)
            }
        };
        let sla = sla_at(&state, &ticket, now);
        items.push(TicketItem {
            ticket,
            mention_ids,
            sla,
        });
    }
    Ok(Json(Listing {
        items,
        total: listing.total,
    }))
}

#[derive(Debug, Serialize)]
pub struct TicketDetail {
    #[serde(flatten)]
    pub ticket: Ticket,
    pub sla: serde_json::Value,
    pub mentions: Vec<MentionRow>,
    pub customer: Option<Customer>,
    pub identities: Vec<Identity>,
    pub replies: Vec<ReplyRow>,
    pub external: Vec<ExternalRow>,
}

/// The ticket if it exists and its brand is in the principal's scope (else 404).
pub(super) async fn scoped_ticket<S: Store>(
    state: &ApiState<S>,
    principal: &Principal,
    id: i64,
) -> Result<Ticket, ApiError> {
    let ticket = state
        .store
        .ticket(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no ticket {id}")))?;
    principal.require_brand(&ticket.brand)?;
    Ok(ticket)
}

pub(super) async fn detail<S: Store>(
    state: &ApiState<S>,
    ticket: Ticket,
) -> Result<TicketDetail, ApiError> {
    let store = &state.store;
    let ids = store.ticket_mention_ids(ticket.id).await?;
    let mentions = store
        .list_mentions(
            &MentionFilter {
                ids: Some(ids),
                ..Default::default()
            },
            &PageRequest {
                limit: 500,
                offset: 0,
            },
        )
        .await?
        .items;
    Ok(TicketDetail {
        sla: sla_at(state, &ticket, brand_now(state, &ticket.brand).await?),
        mentions,
        customer: store.customer(ticket.customer_id).await?,
        identities: store.customer_identities(ticket.customer_id).await?,
        replies: store.ticket_replies(ticket.id).await?,
        external: store.ticket_external(ticket.id).await?,
        ticket,
    })
}

#[utoipa::path(get, path = "/api/tickets/{id}", params(("id" = i64, Path)), tag = "tickets",
    responses((status = 200, description = "the ticket with its mentions, customer and SLA clock", body = Object)))]
pub async fn get<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TicketDetail>, ApiError> {
    principal.require(Action::Read)?;
    let ticket = scoped_ticket(&state, &principal, id).await?;
    Ok(Json(detail(&state, ticket).await?))
}
