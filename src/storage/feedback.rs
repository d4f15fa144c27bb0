//! Corrections of the analysis (sentiment, category) made by people, as the application
//! sees them.
//!
//! A correction belongs to one mention and so to its brand. Several corrections of the same
//! mention may exist (two people, or one who changed their mind): the latest sentiment and
//! the latest category given win ([`FeedbackStore::feedback_labels`]).
//!
//! How corrections are used:
//! - **measured**: `GET /api/feedback.tsv` writes them as a labeled TSV (`id lang variety
//!   label category text`, the columns of the project's labeled sets) that `vigia eval FILE`
//!   and `vigia rules eval FILE` read, so a team measures the analysis on its own posts;
//! - **applied**: a sentiment correction may name the word or phrase of the post that
//!   carries the feeling (`"phrase": "está enfermo"` for a skate shop). Those phrases become
//!   the brand's sentiment overrides at start-up ([`FeedbackStore::feedback_phrases`]): the
//!   latest correction of a phrase gives it +2.0 (positive), 0 (neutral) or −2.0 (negative)
//!   on VADER's scale for that brand only, after the brand's `sentiment_words` from the
//!   config, which win over them. Category corrections are not turned into rules by
//!   themselves: a category rule is a judgement about every future post, so the export is
//!   what a team reads before editing `keywords/`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;

/// What a correction needs to know about its mention.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackTarget {
    pub mention_id: i64,
    pub brand: String,
    pub brand_id: i64,
    pub text: String,
}

/// A correction to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFeedback {
    pub mention_id: i64,
    pub brand_id: i64,
    /// `positive`, `neutral` or `negative`.
    pub sentiment: Option<String>,
    pub category: Option<String>,
    /// The word or phrase of the post that carries the corrected sentiment.
    pub phrase: Option<String>,
    pub user_id: Option<i64>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A stored correction.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FeedbackRow {
    pub id: i64,
    pub mention_id: i64,
    pub brand: String,
    pub sentiment: Option<String>,
    pub category: Option<String>,
    pub phrase: Option<String>,
    pub actor: String,
    pub created_at: DateTime<Utc>,
}

/// One corrected mention with its latest corrections, for the labeled export.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackLabel {
    pub mention_id: i64,
    pub brand: String,
    /// The analysis' language code, when the mention was analyzed.
    pub lang: Option<String>,
    /// The latest sentiment correction (`None`: nobody corrected the sentiment).
    pub sentiment: Option<String>,
    /// The latest category correction (`None`: nobody corrected the category).
    pub category: Option<String>,
    pub text: String,
}

#[async_trait]
pub trait FeedbackStore: Send + Sync {
    /// The mention a correction is about; `None` if there is no such mention.
    async fn feedback_target(&self, mention_id: i64) -> StoreResult<Option<FeedbackTarget>>;
    /// Stores one correction.
    async fn add_feedback(&self, feedback: &NewFeedback) -> StoreResult<FeedbackRow>;
    /// Every corrected mention of the brands in `scope` (`None`: all brands), or of `brand`
    /// only, with its latest corrections, oldest mention first. Erased mentions are left out.
    async fn feedback_labels(
        &self,
        scope: Option<&[String]>,
        brand: Option<&str>,
    ) -> StoreResult<Vec<FeedbackLabel>>;
    /// `(brand, phrase, sentiment)` of the latest correction of each phrase of each brand.
    async fn feedback_phrases(&self) -> StoreResult<Vec<(String, String, String)>>;
}

/// The valence a sentiment correction gives its phrase (see the module docs).
pub fn phrase_valence(sentiment: &str) -> Option<f64> {
    match sentiment {
        "positive" => Some(2.0),
        "neutral" => Some(0.0),
        "negative" => Some(-2.0),
        _ => None,
    }
}
