//! What the dashboard needs from storage: login sessions, the rollup tables (mentions per
//! brand, hour, network and sentiment class; per category; per term) maintained at ingest, and
//! the few figures behind `/metrics`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;
use crate::domain::{Analysis, Mention};

/// Milliseconds in an hour and a day: the rollup buckets.
pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 86_400_000;
/// At most this many terms of one mention are counted.
const TERMS_PER_MENTION: usize = 24;

/// What one stored mention adds to the rollups.
#[derive(Debug, Clone, PartialEq)]
pub struct RollupDelta {
    pub brand_id: i64,
    pub hour: i64,
    pub day: i64,
    pub network: String,
    pub label: &'static str,
    pub categories: Vec<String>,
    pub terms: Vec<String>,
}

impl RollupDelta {
    pub fn of(brand_id: i64, mention: &Mention, analysis: &Analysis) -> RollupDelta {
        let at = mention.created_at.timestamp_millis();
        RollupDelta {
            brand_id,
            hour: at.div_euclid(HOUR_MS),
            day: at.div_euclid(DAY_MS),
            network: mention.source.clone(),
            label: analysis.label.as_str(),
            categories: analysis.categories.clone(),
            terms: terms(&mention.text),
        }
    }
}

/// The countable terms of a text: hashtags (with their `#`) and words of at least four letters,
/// lowercased, each once, in order of appearance. Links and @handles are skipped; stop words
/// are filtered when reading (see `keywords/stopwords.txt`).
pub fn terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in text.split_whitespace() {
        let raw = raw.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '#' && c != '@');
        if raw.starts_with('@') || raw.contains("://") || raw.starts_with("www.") {
            continue;
        }
        let hashtag = raw.starts_with('#');
        let word: String = raw
            .trim_start_matches('#')
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .flat_map(char::to_lowercase)
            .collect();
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if word.chars().count() > 40 || (!hashtag && letters < 4) || word.is_empty() {
            continue;
        }
        let term = if hashtag { format!("#{word}") } else { word };
        if !out.contains(&term) {
            out.push(term);
        }
        if out.len() == TERMS_PER_MENTION {
            break;
        }
    }
    out
}

/// A dashboard login as stored: the user it belongs to and its CSRF token.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub user_id: i64,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

/// Mentions of one brand in one hour on one network with one sentiment class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SentimentBucket {
    pub brand: String,
    /// Start of the hour.
    pub hour: DateTime<Utc>,
    pub network: String,
    /// `positive`, `neutral` or `negative`.
    pub label: String,
    pub count: i64,
}

/// A name (category or term) with how many mentions carried it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NamedCount {
    pub name: String,
    pub count: i64,
}

/// Queue figures for `/metrics`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpsFigures {
    /// Outbox rows waiting to be delivered, and the creation time of the oldest.
    pub outbox_pending: i64,
    pub outbox_oldest: Option<DateTime<Utc>>,
    /// Incidents not resolved, per brand.
    pub incidents_open: Vec<(String, i64)>,
}

#[async_trait]
pub trait DashboardStore: Send + Sync {
    async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        csrf: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The session with this id hash if it has not expired at `now`.
    async fn session(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<SessionRow>>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;

    /// Buckets of `brands` with `from <= hour < to`, oldest first.
    async fn sentiment_buckets(
        &self,
        brands: &[String],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<SentimentBucket>>;
    /// Categories of `brand`'s mentions in `[from, to)` (hour resolution), most frequent first.
    async fn top_categories(
        &self,
        brand: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<NamedCount>>;
    /// Terms of `brand`'s mentions in `[from, to)` (day resolution), most frequent first.
    async fn top_terms(
        &self,
        brand: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<NamedCount>>;
    /// End of the latest hour with a mention of `brand`, if any.
    async fn brand_last_activity(&self, brand: &str) -> StoreResult<Option<DateTime<Utc>>>;
    /// Mentions matching `filter` in the order they were stored (id ascending): the live
    /// stream's next batch after `filter.after_id`.
    async fn mentions_in_store_order(
        &self,
        filter: &super::MentionFilter,
        limit: i64,
    ) -> StoreResult<Vec<super::MentionRow>>;
    /// The newest mention id (0 when there are none): where a live stream starts.
    async fn last_mention_id(&self) -> StoreResult<i64>;
    async fn ops_figures(&self) -> StoreResult<OpsFigures>;
}

#[cfg(test)]
mod tests {
    use super::terms;

    #[test]
    fn terms_keep_hashtags_and_words_and_skip_links_and_handles() {
        let t = terms("¡Pedido FRÍO otra vez! #RapiFail @rapiplato https://x.co/a frío y tarde");
        assert_eq!(t, ["pedido", "frío", "otra", "#rapifail", "tarde"]);
        assert!(terms("").is_empty());
    }
}
