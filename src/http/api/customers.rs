use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::domain::Identity;
use crate::http::auth::{Action, Principal};
use crate::http::params::ApiPath;
use crate::http::{ApiError, ApiState};
use crate::storage::{
    Customer, MentionFilter, MentionRow, PageRequest, Store, Ticket, TicketFilter,
};

/// How many of a customer's mentions and tickets the profile shows (newest first).
const PROFILE_ITEMS: i64 = 200;

#[derive(utoipa::ToSchema, Debug, Serialize)]
pub struct CustomerProfile {
    #[serde(flatten)]
    pub customer: Customer,
    pub identities: Vec<Identity>,
    pub mentions: Vec<MentionRow>,
    pub mentions_total: i64,
    pub tickets: Vec<Ticket>,
    pub tickets_total: i64,
}

/// A customer's profile: identities, mentions and tickets.
#[utoipa::path(get, path = "/api/customers/{id}", params(("id" = i64, Path, description = "customer id")),
    tag = "customers", responses((status = 200, body = CustomerProfile), (status = 404)))]
pub async fn get<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CustomerProfile>, ApiError> {
    principal.require(Action::Read)?;
    let scope = principal.scope().map(<[String]>::to_vec);
    let store = &state.store;
    let customer = store
        .customer(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no customer {id}")))?;
    let page = PageRequest {
        limit: PROFILE_ITEMS,
        offset: 0,
    };
    let mentions = store
        .list_mentions(
            &MentionFilter {
                customer_id: Some(id),
                scope: scope.clone(),
                ..Default::default()
            },
            &page,
        )
        .await?;
    let tickets = store
        .list_tickets(
            &TicketFilter {
                customer_id: Some(id),
                scope: scope.clone(),
                ..Default::default()
            },
            &page,
        )
        .await?;
    // A scoped user sees a person only through their brands' mentions and tickets.
    if scope.is_some() && mentions.total == 0 && tickets.total == 0 {
        return Err(ApiError::NotFound(format!("no customer {id}")));
    }
    Ok(Json(CustomerProfile {
        customer,
        identities: store.customer_identities(id).await?,
        mentions: mentions.items,
        mentions_total: mentions.total,
        tickets: tickets.items,
        tickets_total: tickets.total,
    }))
}
