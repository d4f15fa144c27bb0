//! `POST /api/mentions/{id}/ticket`: a person opens a ticket for a mention the ticket rules
//! let pass (the "open ticket" action on a mention card). Brand scope and the `HandleTicket`
//! permission apply; the action is audited. A mention already in an active ticket, or whose
//! conversation or author has one, goes to that ticket instead of opening a second one.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;

use super::body::ApiJson;
use super::event_clock::brand_now;
use super::feedback::valid_code;
use super::tickets::{TicketDetail, detail, scoped_ticket};
use crate::helpdesk::ManualOutcome;
use crate::http::auth::{Action, Principal};
use crate::http::params::ApiPath;
use crate::http::{ApiError, ApiState};
use crate::storage::{MentionFilter, Store, StoreTx};

/// Category of a ticket opened for a mention without categories.
const FALLBACK_CATEGORY: &str = "other";

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenTicketBody {
    /// The ticket's category code; by default the mention's first category, else `other`.
    #[schema(pattern = "^[a-z0-9_]{1,40}$", example = "delivery")]
    pub category: Option<String>,
}

#[utoipa::path(post, path = "/api/mentions/{id}/ticket", tag = "mentions",
    operation_id = "mention_open_ticket",
    params(("id" = i64, Path, description = "mention id")),
    request_body = OpenTicketBody,
    responses(
        (status = 201, description = "a new ticket opened for the mention", body = Object),
        (status = 200, description = "the active ticket the mention was already in or joined (its conversation's or its author's)", body = Object),
        (status = 400, description = "a malformed category"),
        (status = 401, description = "authentication required"),
        (status = 403, description = "the role may not handle tickets"),
        (status = 404, description = "no such mention in the caller's brands")))]
pub async fn open<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OpenTicketBody>,
) -> Result<(StatusCode, Json<TicketDetail>), ApiError> {
    principal.require(Action::HandleTicket)?;
    let category = body.category.map(|c| c.trim().to_owned());
    if category.as_deref().is_some_and(|c| !valid_code(c)) {
        return Err(ApiError::BadRequest(
            "category: 1 to 40 lower-case ASCII letters, digits or _".into(),
        ));
    }
    let target = state
        .store
        .feedback_target(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("no such item".into()))?;
    principal.require_brand(&target.brand)?;
    let now = brand_now(&state, &target.brand).await?;
    let mut tx = state.store.begin().await?;
    let filter = MentionFilter {
        ids: Some(vec![id]),
        ..MentionFilter::default()
    };
    let mention = tx
        .find_mentions(&filter, 1)
        .await?
        .pop()
        .ok_or_else(|| ApiError::NotFound("no such item".into()))?;
    let category = category
        .or_else(|| mention.categories.first().cloned())
        .unwrap_or_else(|| FALLBACK_CATEGORY.to_owned());
    let outcome = state
        .desk
        .tickets
        .open_for_mention(
            &mut tx,
            (target.brand_id, &target.brand),
            &mention,
            &category,
            now,
        )
        .await?;
    tx.commit().await?;
    let ticket_id = outcome.ticket_id();
    let audit = json!({"mention_id": id, "outcome": outcome.as_str(), "category": category});
    state
        .store
        .audit(&principal.audit_entry("ticket.open_for_mention", "ticket", ticket_id, audit, now))
        .await?;
    let ticket = scoped_ticket(&state, &principal, ticket_id).await?;
    let status = match outcome {
        ManualOutcome::Opened(_) => StatusCode::CREATED,
        ManualOutcome::Appended(_) | ManualOutcome::Already(_) => StatusCode::OK,
    };
    Ok((status, Json(detail(&state, ticket).await?)))
}
