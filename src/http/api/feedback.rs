//! The feedback loop: `POST /api/mentions/{id}/feedback` stores a person's correction of a
//! mention's sentiment and/or category (brand scope and the `Correct` permission apply; every
//! correction is audited); `GET /api/feedback.tsv` exports the corrected mentions as a
//! labeled TSV that `vigia eval FILE` and `vigia rules eval FILE` read. How corrections become
//! per-brand overrides is described in [`crate::storage::feedback`].

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::body::ApiJson;
use crate::http::auth::{Action, Principal};
use crate::http::params::{ApiPath, ApiQuery};
use crate::http::{ApiError, ApiState};
use crate::storage::{FeedbackLabel, FeedbackRow, NewFeedback, Store};

/// Longest phrase a correction may name, in characters.
const MAX_PHRASE_CHARS: usize = 60;

/// A correction: at least one of `sentiment` and `category`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackBody {
    /// The sentiment the author meant: `positive`, `neutral` or `negative`.
    #[schema(example = "negative")]
    pub sentiment: Option<String>,
    /// The post's category code (`delivery`, `safety`, ... or `other`): lower-case ASCII
    /// letters, digits and `_`.
    #[schema(example = "delivery")]
    pub category: Option<String>,
    /// Optional, with `sentiment`: the word or phrase of the post that carries the feeling
    /// (at most 4 words, 60 characters). It becomes a sentiment override of the brand.
    #[schema(example = "está enfermo")]
    pub phrase: Option<String>,
}

#[utoipa::path(post, path = "/api/mentions/{id}/feedback", tag = "mentions",
    operation_id = "mention_feedback",
    params(("id" = i64, Path, description = "mention id")),
    request_body = FeedbackBody,
    responses(
        (status = 201, description = "the stored correction", body = FeedbackRow),
        (status = 400, description = "no correction given, an unknown sentiment, a malformed category or phrase"),
        (status = 401, description = "authentication required"),
        (status = 403, description = "the role may not correct analyses"),
        (status = 404, description = "no such mention in the caller's brands")))]
pub async fn create<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FeedbackBody>,
) -> Result<(StatusCode, Json<FeedbackRow>), ApiError> {
    principal.require(Action::Correct)?;
    let checked = check(body)?;
    let target = state
        .store
        .feedback_target(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("no such item".into()))?;
    principal.require_brand(&target.brand)?;
    if let Some(phrase) = &checked.phrase {
        let in_post = crate::analysis::normalize::normalize(&target.text);
        let wanted = crate::analysis::normalize::normalize(phrase);
        if !format!(" {in_post} ").contains(&format!(" {wanted} ")) {
            return Err(ApiError::BadRequest(
                "phrase: not a word or phrase of this post".into(),
            ));
        }
    }
    let now = state.clock.now();
    let row = state
        .store
        .add_feedback(&NewFeedback {
            mention_id: id,
            brand_id: target.brand_id,
            sentiment: checked.sentiment.clone(),
            category: checked.category.clone(),
            phrase: checked.phrase.clone(),
            user_id: Some(principal.user_id),
            actor: principal.username.clone(),
            at: now,
        })
        .await?;
    let detail = json!({"sentiment": checked.sentiment, "category": checked.category,
        "phrase": checked.phrase, "feedback_id": row.id});
    state
        .store
        .audit(&principal.audit_entry("mention.feedback", "mention", id, detail, now))
        .await?;
    Ok((StatusCode::CREATED, Json(row)))
}

/// A category code: 1 to 40 lower-case ASCII letters, digits or `_`.
pub(super) fn valid_code(c: &str) -> bool {
    (1..=40).contains(&c.len())
        && c.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A validated correction.
struct Checked {
    sentiment: Option<String>,
    category: Option<String>,
    phrase: Option<String>,
}

fn check(body: FeedbackBody) -> Result<Checked, ApiError> {
    let bad = |m: &str| Err(ApiError::BadRequest(m.to_owned()));
    let sentiment = body.sentiment.map(|s| s.trim().to_ascii_lowercase());
    if sentiment
        .as_deref()
        .is_some_and(|s| !matches!(s, "positive" | "neutral" | "negative"))
    {
        return bad("sentiment: must be one of positive, neutral, negative");
    }
    let category = body.category.map(|c| c.trim().to_owned());
    if category.as_deref().is_some_and(|c| !valid_code(c)) {
        return bad("category: 1 to 40 lower-case ASCII letters, digits or _");
    }
    if sentiment.is_none() && category.is_none() {
        return bad("give a sentiment, a category or both");
    }
    let phrase = body.phrase.map(|p| p.trim().to_owned());
    if let Some(p) = &phrase {
        let words = p.split_whitespace().count();
        if sentiment.is_none() || words == 0 || words > 4 || p.chars().count() > MAX_PHRASE_CHARS {
            return bad("phrase: 1 to 4 words (60 characters) of the post, with a sentiment");
        }
    }
    Ok(Checked {
        sentiment,
        category,
        phrase,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// Only this brand's corrections (it must be in the caller's brands).
    brand: Option<String>,
}

#[utoipa::path(get, path = "/api/feedback.tsv", tag = "mentions",
    operation_id = "feedback_tsv",
    params(ExportParams),
    responses(
        (status = 200, description = "corrected mentions as a labeled TSV: columns id, lang, variety, label (pos/neu/neg, empty when only the category was corrected), category (empty when only the sentiment was corrected), text", content_type = "text/tab-separated-values", body = String),
        (status = 400, description = "a malformed query parameter"),
        (status = 401, description = "authentication required"),
        (status = 403, description = "the role may not export"),
        (status = 404, description = "the brand is not one of the caller's")))]
pub async fn export_tsv<S: Store>(
    principal: Principal,
    State(state): State<ApiState<S>>,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    principal.require(Action::Export)?;
    if let Some(brand) = &params.brand {
        principal.require_brand(brand)?;
    }
    let rows = state
        .store
        .feedback_labels(principal.scope(), params.brand.as_deref())
        .await?;
    let now = state.clock.now();
    let detail = json!({"brand": params.brand, "rows": rows.len()});
    state
        .store
        .audit(&principal.audit_entry("feedback.export", "feedback", "tsv", detail, now))
        .await?;
    let headers = [
        (CONTENT_TYPE, "text/tab-separated-values; charset=utf-8"),
        (CONTENT_DISPOSITION, "attachment; filename=\"feedback.tsv\""),
    ];
    Ok((headers, to_tsv(&rows)).into_response())
}

/// The labeled TSV of `rows` (see [`export_tsv`]); tabs and line breaks in text become spaces.
pub fn to_tsv(rows: &[FeedbackLabel]) -> String {
    let mut out = String::from("id\tlang\tvariety\tlabel\tcategory\ttext\n");
    for r in rows {
        let label = match r.sentiment.as_deref() {
            Some("positive") => "pos",
            Some("neutral") => "neu",
            Some("negative") => "neg",
            _ => "",
        };
        let text: String = r
            .text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let line = format!(
            "{}\t{}\t\t{label}\t{}\t{}\n",
            r.mention_id,
            r.lang.as_deref().unwrap_or(""),
            r.category.as_deref().unwrap_or(""),
            text.trim()
        );
        out.push_str(&line);
    }
    out
}
