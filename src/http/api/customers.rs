//! Customer 360: `GET /api/customers/{id}` — the profile, identities (with their kind), every
//! mention on every network, tickets with their SLA state, incidents the customer appeared in,
//! the sentiment trend, merge suggestions and past merges. A user limited to some brands only
//! sees those brands' mentions, tickets and incidents.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::helpdesk::identity::kind_of;
use crate::helpdesk::suggestions::{MergeSuggestion, suggest};
use crate::http::auth::{Action, Principal};
use crate::http::params::ApiPath;
use crate::http::{ApiError, ApiState};
use crate::storage::{
    Customer, Incident, MentionFilter, MentionRow, MergeRecord, PageRequest, SentimentPoint, Store,
    TicketFilter,
};

/// How many of a customer's mentions and tickets the profile shows (newest first).
const PROFILE_ITEMS: i64 = 200;

#[derive(Debug, Serialize)]
pub struct IdentityView {
    pub kind: &'static str,
    pub network: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct CustomerProfile {
    #[serde(flatten)]
    pub customer: Customer,
    pub identities: Vec<IdentityView>,
    pub mentions: Vec<MentionRow>,
    pub mentions_total: i64,
    pub tickets: Vec<super::tickets::TicketItem>,
    pub tickets_total: i64,
    pub incidents: Vec<Incident>,
    pub sentiment_trend: Vec<SentimentPoint>,
    pub merge_suggestions: Vec<MergeSuggestion>,
    pub merges: Vec<MergeRecord>,
}

pub(super) async fn existing<S: Store>(state: &ApiState<S>, id: i64) -> Result<Customer, ApiError> {
    state
        .store
        .customer(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no customer {id}")))
}

/// The customer if it exists and the principal may see it (else 404): a user limited to some
/// brands sees a person only through those brands' mentions or tickets.
pub(super) async fn scoped_customer<S: Store>(
    state: &ApiState<S>,
    principal: &Principal,
    id: i64,
) -> Result<Customer, ApiError> {
    let customer = existing(state, id).await?;
    let Some(scope) = principal.scope().map(<[String]>::to_vec) else {
        return Ok(customer);
    };
    let one = PageRequest {
        limit: 1,
        offset: 0,
    };
    let mentions = MentionFilter {
        customer_id: Some(id),
        scope: Some(scope.clone()),
        ..Default::default()
    };
    if state.store.list_mentions(&mentions, &one).await?.total > 0 {
        return Ok(customer);
    }
    let tickets = TicketFilter {
        customer_id: Some(id),
        scope: Some(scope),
        ..Default::default()
    };
    if state.store.list_tickets(&tickets, &one).await?.total > 0 {
        return Ok(customer);
    }
    Err(ApiError::NotFound(format!("no customer {id}")))
}

/// A customer's profile: identities, mentions and tickets.
#[utoipa::path(get, path = "/api/customers/{id}", params(("id" = i64, Path, description = "customer id")),
    tag = "customers", responses((status = 200, description = "profile, identities, mentions, tickets with SLA, incidents, sentiment trend, merge suggestions", body = Object), (status = 404)))]
pub async fn get<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CustomerProfile>, ApiError> {
    principal.require(Action::Read)?;
    let scope = principal.scope().map(<[String]>::to_vec);
    let store = &state.store;
    let customer = existing(&state, id).await?;
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
    let now = state.clock.now();
    let ids: Vec<i64> = tickets.items.iter().map(|t| t.id).collect();
    let mut linked = store.tickets_mention_ids(&ids).await?;
    let mut ticket_items = Vec::with_capacity(tickets.items.len());
    for ticket in tickets.items {
        ticket_items.push(super::tickets::TicketItem {
            mention_ids: linked.remove(&ticket.id).unwrap_or_default(),
            sla: state.desk.sla_state(&ticket, now),
            ticket,
        });
    }
    let mut incidents = store.customer_incidents(id).await?;
    incidents.retain(|i| principal.sees(&i.brand));
    let identities = store
        .customer_identities(id)
        .await?
        .into_iter()
        .map(|i| IdentityView {
            kind: kind_of(&i),
            network: i.network,
            value: i.value,
        })
        .collect();
    Ok(Json(CustomerProfile {
        merge_suggestions: suggest(store, id, &mentions.items).await?,
        merges: store.customer_merges(id).await?,
        sentiment_trend: store.customer_sentiment_trend(id, scope.as_deref()).await?,
        customer,
        identities,
        mentions_total: mentions.total,
        mentions: mentions.items,
        tickets: ticket_items,
        tickets_total: tickets.total,
        incidents,
    }))
}
