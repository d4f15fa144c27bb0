use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use crate::domain::SentimentLabel;
use crate::http::auth::{Action, Principal};
use crate::http::params::{ApiQuery, Paging, parse_time};
use crate::http::{ApiError, ApiState};
use crate::storage::{Listing, MentionFilter, MentionRow, Store};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MentionParams {
    brand: Option<String>,
    /// `positive`, `neutral` or `negative`.
    #[param(pattern = r"^(positive|neutral|negative)$")]
    sentiment: Option<String>,
    category: Option<String>,
    lang: Option<String>,
    /// RFC 3339: only mentions created at or after this time.
    #[param(format = DateTime)]
    since: Option<String>,
    /// Text contains this (case-insensitive for ASCII).
    #[param(max_length = 200)]
    q: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    #[param(minimum = 0)]
    offset: Option<i64>,
}

impl MentionParams {
    fn filter(&self) -> Result<MentionFilter, ApiError> {
        let label = match &self.sentiment {
            Some(s) => Some(SentimentLabel::parse(s).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "sentiment: '{s}' is not one of positive, neutral, negative"
                ))
            })?),
            None => None,
        };
        let since = self
            .since
            .as_deref()
            .map(|s| parse_time("since", s))
            .transpose()?;
        // The limit (`maxLength` in the description) applies to `q` as sent, spaces included.
        if self.q.as_deref().is_some_and(|q| q.chars().count() > 200) {
            return Err(ApiError::BadRequest("q: at most 200 characters".into()));
        }
        let q = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
        Ok(MentionFilter {
            brand: self.brand.clone(),
            label,
            category: self.category.clone(),
            lang: self.lang.clone(),
            since,
            text: q.map(str::to_owned),
            ..Default::default()
        })
    }
}

/// Mentions, newest first.
#[utoipa::path(get, path = "/api/mentions", params(MentionParams), tag = "mentions",
    responses((status = 200, body = Listing<MentionRow>)))]
pub async fn list<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiQuery(params): ApiQuery<MentionParams>,
) -> Result<Json<Listing<MentionRow>>, ApiError> {
    principal.require(Action::Read)?;
    let mut filter = params.filter()?;
    filter.scope = principal.scope().map(<[String]>::to_vec);
    let page = Paging {
        limit: params.limit,
        offset: params.offset,
    }
    .page()?;
    Ok(Json(state.store.list_mentions(&filter, &page).await?))
}
