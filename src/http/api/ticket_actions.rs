//! Working a ticket: `POST /api/tickets/{id}/status`, `/assign` and `/reply`. Each writes an
//! audit record; solving a ticket sends the satisfaction survey when the customer agreed.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::json;

use super::body::ApiJson;
use super::event_clock::brand_now;
use super::tickets::{TicketDetail, detail, parse_status, scoped_ticket};
use crate::domain::TicketStatus;
use crate::http::auth::{Action, Principal};
use crate::http::params::ApiPath;
use crate::http::{ApiError, ApiState};
use crate::storage::Store;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    #[schema(pattern = "^(new|open|pending|solved|closed)$")]
    status: String,
}

#[utoipa::path(post, path = "/api/tickets/{id}/status", params(("id" = i64, Path)), tag = "tickets", request_body = StatusBody,
    responses((status = 200, description = "the updated ticket", body = Object)))]
pub async fn status<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StatusBody>,
) -> Result<Json<TicketDetail>, ApiError> {
    principal.require(Action::HandleTicket)?;
    let ticket = scoped_ticket(&state, &principal, id).await?;
    let to = parse_status(&body.status)?;
    if !ticket.status.can_move_to(to) {
        return Err(ApiError::Conflict(format!(
            "a {} ticket cannot become {}",
            ticket.status.as_str(),
            to.as_str()
        )));
    }
    let now = brand_now(&state, &ticket.brand).await?;
    state
        .desk
        .set_status(&state.store, &ticket, to, now)
        .await?;
    let detail_json = json!({"from": ticket.status.as_str(), "to": to.as_str()});
    state
        .store
        .audit(&principal.audit_entry("ticket.status", "ticket", id, detail_json, now))
        .await?;
    let ticket = scoped_ticket(&state, &principal, id).await?;
    if to == TicketStatus::Solved {
        state.desk.send_survey(&state.store, &ticket, now).await?;
    }
    Ok(Json(detail(&state, ticket).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// Agent username; `null` unassigns.
    assignee: Option<String>,
    /// Route to another team (one of `alerts/tickets.toml` `[[teams]]`).
    team: Option<String>,
}

#[utoipa::path(post, path = "/api/tickets/{id}/assign", params(("id" = i64, Path)), tag = "tickets", request_body = AssignBody,
    responses((status = 200, description = "the updated ticket", body = Object)))]
pub async fn assign<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AssignBody>,
) -> Result<Json<TicketDetail>, ApiError> {
    principal.require(Action::HandleTicket)?;
    let ticket = scoped_ticket(&state, &principal, id).await?;
    if let Some(team) = &body.team {
        if state.desk.tickets.rules().team(team).is_none() {
            return Err(ApiError::BadRequest(format!(
                "team: no team named '{team}'"
            )));
        }
    }
    let assignee = body
        .assignee
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    if assignee.is_some_and(|a| a.chars().count() > 100) {
        return Err(ApiError::BadRequest(
            "assignee: at most 100 characters".into(),
        ));
    }
    let now = brand_now(&state, &ticket.brand).await?;
    state
        .store
        .assign_ticket(id, assignee, body.team.as_deref(), now)
        .await?;
    let audit = json!({"assignee": assignee, "team": body.team});
    state
        .store
        .audit(&principal.audit_entry("ticket.assign", "ticket", id, audit, now))
        .await?;
    let ticket = scoped_ticket(&state, &principal, id).await?;
    Ok(Json(detail(&state, ticket).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    /// The reply (not only white space, U+0085 included).
    #[schema(pattern = r"[^\s\u0085]", max_length = 10000)]
    body: String,
}

const REPLY_MAX_CHARS: usize = 10_000;

#[utoipa::path(post, path = "/api/tickets/{id}/reply", params(("id" = i64, Path)), tag = "tickets", request_body = ReplyBody,
    responses((status = 200, description = "the updated ticket (first response recorded)", body = Object)))]
pub async fn reply<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> Result<Json<TicketDetail>, ApiError> {
    principal.require(Action::HandleTicket)?;
    let ticket = scoped_ticket(&state, &principal, id).await?;
    let text = body.body.trim();
    // The length limit applies to the body as sent (`maxLength`), spaces included.
    if text.is_empty() || body.body.chars().count() > REPLY_MAX_CHARS {
        return Err(ApiError::BadRequest(format!(
            "body: 1 to {REPLY_MAX_CHARS} characters"
        )));
    }
    if matches!(ticket.status, TicketStatus::Closed) {
        return Err(ApiError::Conflict("the ticket is closed".into()));
    }
    let now = brand_now(&state, &ticket.brand).await?;
    let reply_id = state
        .store
        .add_reply(id, &principal.username, text, now)
        .await?;
    let audit = json!({"reply_id": reply_id, "first_response": ticket.first_response_at.is_none()});
    state
        .store
        .audit(&principal.audit_entry("ticket.reply", "ticket", id, audit, now))
        .await?;
    let ticket = scoped_ticket(&state, &principal, id).await?;
    Ok(Json(detail(&state, ticket).await?))
}
