//! Editing customers: create a profile, add an identity, merge two profiles and undo a merge.
//! Merging never happens on its own: only these calls do it, and each writes an audit record.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;

use super::body::ApiJson;
use super::customers::scoped_customer;
use crate::domain::Identity;
use crate::domain::normalize_phone;
use crate::helpdesk::identity::IdentityInput;
use crate::http::auth::{Action, Principal};
use crate::http::params::ApiPath;
use crate::http::{ApiError, ApiState};
use crate::storage::{MergeRecord, NewCustomer, Store, StoreError};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerBody {
    #[schema(max_length = 200)]
    external_ref: Option<String>,
    #[schema(max_length = 200)]
    name: Option<String>,
    /// An e-mail address (blank: none).
    #[schema(pattern = r"^\s*$|@", max_length = 320)]
    email: Option<String>,
    phone: Option<String>,
    lang: Option<String>,
    /// e.g. `vip` or `standard`.
    tier: Option<String>,
    notes: Option<String>,
    #[serde(default)]
    consent_contact: bool,
    #[serde(default)]
    consent_survey: bool,
    #[serde(default)]
    identities: Vec<IdentityInput>,
}

/// The value trimmed (blank: none), refused when the value *as sent* is longer than `max`
/// characters: the limit the OpenAPI description states (`maxLength`) applies to what the
/// client sends, so surrounding spaces count.
fn clean(v: Option<String>, key: &str, max: usize) -> Result<Option<String>, ApiError> {
    if v.as_ref().is_some_and(|s| s.chars().count() > max) {
        return Err(ApiError::BadRequest(format!(
            "{key}: at most {max} characters"
        )));
    }
    Ok(v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()))
}

fn to_new(b: CustomerBody) -> Result<NewCustomer, ApiError> {
    let email = clean(b.email, "email", 320)?.map(|e| e.to_lowercase());
    if email.as_ref().is_some_and(|e| !e.contains('@')) {
        return Err(ApiError::BadRequest("email: not an e-mail address".into()));
    }
    let phone = match clean(b.phone, "phone", 40)? {
        Some(p) => Some(normalize_phone(&p).ok_or_else(|| {
            ApiError::BadRequest("phone: not a phone number (9–15 digits)".into())
        })?),
        None => None,
    };
    let mut identities: Vec<Identity> = b
        .identities
        .iter()
        .map(|i| {
            i.to_identity()
                .map_err(|e| ApiError::BadRequest(format!("identities: {e}")))
        })
        .collect::<Result<_, _>>()?;
    identities.extend(email.iter().map(|e| Identity::new("email", e)));
    identities.extend(phone.iter().map(|p| Identity::new("phone", p)));
    identities.dedup();
    Ok(NewCustomer {
        external_ref: clean(b.external_ref, "external_ref", 200)?,
        name: clean(b.name, "name", 200)?,
        email,
        phone,
        lang: clean(b.lang, "lang", 10)?,
        tier: clean(b.tier, "tier", 40)?,
        notes: clean(b.notes, "notes", 5000)?,
        consent_contact: b.consent_contact,
        consent_survey: b.consent_survey,
        identities,
    })
}

fn conflict(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound(m) => ApiError::NotFound(m),
        other => ApiError::from(other),
    }
}

/// The id of a new item.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct NewId {
    pub id: i64,
}

#[utoipa::path(post, path = "/api/customers", tag = "customers", request_body = CustomerBody,
    responses((status = 201, description = "the new customer's id", body = NewId)))]
pub async fn create<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiJson(body): ApiJson<CustomerBody>,
) -> Result<(StatusCode, Json<NewId>), ApiError> {
    principal.require(Action::EditCustomer)?;
    let new = to_new(body)?;
    let now = state.clock.now();
    let id = state.store.create_customer(&new, now).await?;
    let detail = json!({"identities": new.identities.len()});
    state
        .store
        .audit(&principal.audit_entry("customer.create", "customer", id, detail, now))
        .await?;
    Ok((StatusCode::CREATED, Json(NewId { id })))
}

#[utoipa::path(post, path = "/api/customers/{id}/identities", params(("id" = i64, Path)), tag = "customers",
    request_body = IdentityInput,
    responses((status = 201, description = "the identity added", body = Identity)))]
pub async fn add_identity<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<IdentityInput>,
) -> Result<(StatusCode, Json<Identity>), ApiError> {
    principal.require(Action::EditCustomer)?;
    scoped_customer(&state, &principal, id).await?;
    let identity = body.to_identity().map_err(ApiError::BadRequest)?;
    state.store.add_identity(id, &identity).await?;
    let now = state.clock.now();
    let detail = json!({"network": identity.network, "value": identity.value});
    state
        .store
        .audit(&principal.audit_entry("customer.identity_add", "customer", id, detail, now))
        .await?;
    Ok((StatusCode::CREATED, Json(identity)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    other_id: i64,
}

#[utoipa::path(post, path = "/api/customers/{id}/merge", params(("id" = i64, Path)), tag = "customers",
    request_body = MergeBody,
    responses((status = 200, description = "the merge record (`other_id` folded into `id`)", body = MergeRecord)))]
pub async fn merge<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MergeBody>,
) -> Result<Json<MergeRecord>, ApiError> {
    principal.require(Action::MergeCustomer)?;
    scoped_customer(&state, &principal, id).await?;
    scoped_customer(&state, &principal, body.other_id).await?;
    let now = state.clock.now();
    let record = state
        .store
        .merge_customers(id, body.other_id, &principal.username, now)
        .await
        .map_err(conflict)?;
    let detail = serde_json::to_value(&record).unwrap_or_default();
    state
        .store
        .audit(&principal.audit_entry("customer.merge", "customer", id, detail, now))
        .await?;
    Ok(Json(for_scope(&principal, record)))
}

#[utoipa::path(post, path = "/api/customers/merges/{id}/undo", params(("id" = i64, Path)), tag = "customers",
    responses((status = 200, description = "the merge undone", body = MergeRecord)))]
pub async fn unmerge<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiPath(merge_id): ApiPath<i64>,
) -> Result<Json<MergeRecord>, ApiError> {
    principal.require(Action::MergeCustomer)?;
    let known = state
        .store
        .merge_record(merge_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no merge {merge_id}")))?;
    scoped_customer(&state, &principal, known.into_id).await?;
    let now = state.clock.now();
    let record = state
        .store
        .unmerge(merge_id, &principal.username, now)
        .await
        .map_err(conflict)?;
    let detail = json!({"merge_id": merge_id, "other_id": record.other_id});
    state
        .store
        .audit(&principal.audit_entry("customer.unmerge", "customer", record.into_id, detail, now))
        .await?;
    Ok(Json(for_scope(&principal, record)))
}

/// What a merge record shows its caller: a user limited to some brands does not get the ids
/// of the identities, mentions and tickets that moved (some may be other brands'); the
/// profile (`GET /api/customers/{id}`) shows what is theirs.
fn for_scope(principal: &Principal, mut record: MergeRecord) -> MergeRecord {
    if principal.scope().is_some() {
        record.identity_ids.clear();
        record.mention_ids.clear();
        record.ticket_ids.clear();
    }
    record
}
