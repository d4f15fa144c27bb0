//! The brand overview: volume and sentiment per hour and network, negative share, share of
//! voice against competitors, top terms, hashtags and categories — all read from the rollup
//! tables maintained at ingest, never from a scan of the mentions.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::http::auth::{Action, Principal};
use crate::http::params::{ApiQuery, parse_time};
use crate::http::{ApiError, ApiState};
use crate::storage::{NamedCount, SentimentBucket, Store};

const TOP: i64 = 15;
/// Longest custom window (`since` to `until`): the timeline stays hourly.
const MAX_CUSTOM_DAYS: i64 = 31;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OverviewParams {
    /// Brand name.
    brand: String,
    /// `24h` (default), `7d` or `30d` before `until`; ignored when `since` is given.
    #[param(pattern = r"^(24h|7d|30d)$")]
    range: Option<String>,
    /// RFC 3339 start of a custom window, before `until` and at most 31 days before it; the
    /// answer's `range` is then `custom`.
    since: Option<String>,
    /// RFC 3339 end of the window (default: now), or `event`: now on the brand's event time
    /// line (the end of a replayed week when the brand's feed is a replay; now for live feeds).
    until: Option<String>,
}

#[derive(Debug, Serialize, Default, utoipa::ToSchema)]
pub struct Totals {
    pub positive: i64,
    pub neutral: i64,
    pub negative: i64,
    pub total: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VoiceShare {
    pub brand: String,
    pub display_name: String,
    pub count: i64,
    /// Fraction of the compared brands' mentions, 0..1.
    pub share: f64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub brand: String,
    pub display_name: String,
    pub range: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// End of the latest hour with a mention of the brand (to offer a window with data).
    pub last_activity: Option<DateTime<Utc>>,
    /// Hourly counts per network and sentiment class, oldest first.
    pub timeline: Vec<SentimentBucket>,
    pub totals: Totals,
    /// Negative mentions / all mentions in the window (0 when there are none).
    pub negative_share: f64,
    /// Mentions per network, most first.
    pub networks: Vec<NamedCount>,
    /// The brand and its competitors in the viewer's scope.
    pub share_of_voice: Vec<VoiceShare>,
    pub top_terms: Vec<NamedCount>,
    pub top_hashtags: Vec<NamedCount>,
    pub categories: Vec<NamedCount>,
}

#[utoipa::path(get, path = "/api/overview", params(OverviewParams), tag = "dashboard",
    responses((status = 200, body = Overview), (status = 404, description = "brand not found or not in scope")))]
pub async fn get<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiQuery(p): ApiQuery<OverviewParams>,
) -> Result<Json<Overview>, ApiError> {
    principal.require(Action::Read)?;
    principal.require_brand(&p.brand)?;
    let info = state
        .dashboard
        .brand(&p.brand)
        .ok_or_else(|| ApiError::NotFound(format!("no brand '{}'", p.brand)))?;
    let (range, span) = match p.range.as_deref().unwrap_or("24h") {
        "24h" => ("24h", Duration::hours(24)),
        "7d" => ("7d", Duration::days(7)),
        "30d" => ("30d", Duration::days(30)),
        other => {
            return Err(ApiError::BadRequest(format!(
                "range: '{other}' is not one of 24h, 7d, 30d"
            )));
        }
    };
    let to = match p.until.as_deref() {
        Some("event") => super::event_clock::brand_now(&state, &info.name).await?,
        Some(u) => parse_time("until", u)?,
        None => state.clock.now(),
    };
    let (range, from) = match p.since.as_deref() {
        None => (range, to - span),
        Some(s) => ("custom", custom_start(parse_time("since", s)?, to)?),
    };
    let mut compared = vec![info.name.clone()];
    compared.extend(
        info.competitors
            .iter()
            .filter(|c| principal.sees(c))
            .cloned(),
    );
    let store = &state.store;
    let buckets = store.sentiment_buckets(&compared, from, to).await?;
    let (timeline, others): (Vec<_>, Vec<_>) =
        buckets.into_iter().partition(|b| b.brand == info.name);
    let totals = totals(&timeline);
    let terms = store.top_terms(&info.name, from, to, TOP * 4).await?;
    let (top_hashtags, top_terms) = split_terms(terms, &state.dashboard.stopwords);
    Ok(Json(Overview {
        brand: info.name.clone(),
        display_name: info.display_name.clone(),
        range: range.to_owned(),
        from,
        to,
        last_activity: store.brand_last_activity(&info.name).await?,
        negative_share: share(totals.negative, totals.total),
        networks: per_network(&timeline),
        share_of_voice: voice(&state.dashboard, &compared, totals.total, &others),
        categories: store.top_categories(&info.name, from, to, TOP).await?,
        top_terms,
        top_hashtags,
        totals,
        timeline,
    }))
}

/// The start of a custom window ending at `to`, checked.
fn custom_start(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<DateTime<Utc>, ApiError> {
    if from >= to {
        return Err(ApiError::BadRequest(format!(
            "since: must be before the window's end ({})",
            to.to_rfc3339()
        )));
    }
    if to - from > Duration::days(MAX_CUSTOM_DAYS) {
        return Err(ApiError::BadRequest(format!(
            "since: at most {MAX_CUSTOM_DAYS} days before the window's end"
        )));
    }
    Ok(from)
}

fn share(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn totals(buckets: &[SentimentBucket]) -> Totals {
    let mut t = Totals::default();
    for b in buckets {
        match b.label.as_str() {
            "positive" => t.positive += b.count,
            "negative" => t.negative += b.count,
            _ => t.neutral += b.count,
        }
        t.total += b.count;
    }
    t
}

fn per_network(buckets: &[SentimentBucket]) -> Vec<NamedCount> {
    let mut by: BTreeMap<&str, i64> = BTreeMap::new();
    for b in buckets {
        *by.entry(&b.network).or_default() += b.count;
    }
    let mut out: Vec<NamedCount> = by
        .into_iter()
        .map(|(name, count)| NamedCount {
            name: name.to_owned(),
            count,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    out
}

fn voice(
    settings: &crate::http::dashboard::DashboardSettings,
    compared: &[String],
    own: i64,
    others: &[SentimentBucket],
) -> Vec<VoiceShare> {
    let counts: Vec<(String, i64)> = compared
        .iter()
        .enumerate()
        .map(|(i, brand)| {
            let n = if i == 0 {
                own
            } else {
                others
                    .iter()
                    .filter(|b| &b.brand == brand)
                    .map(|b| b.count)
                    .sum()
            };
            (brand.clone(), n)
        })
        .collect();
    let all: i64 = counts.iter().map(|(_, n)| n).sum();
    counts
        .into_iter()
        .map(|(brand, count)| VoiceShare {
            display_name: settings
                .brand(&brand)
                .map_or_else(|| brand.clone(), |b| b.display_name.clone()),
            share: share(count, all),
            brand,
            count,
        })
        .collect()
}

/// Splits rolled-up terms into hashtags and words, dropping stop words; at most [`TOP`] each.
fn split_terms(
    terms: Vec<NamedCount>,
    stopwords: &std::collections::HashSet<String>,
) -> (Vec<NamedCount>, Vec<NamedCount>) {
    let (mut tags, mut words): (Vec<_>, Vec<_>) =
        terms.into_iter().partition(|t| t.name.starts_with('#'));
    words.retain(|w| !stopwords.contains(&w.name));
    tags.truncate(TOP as usize);
    words.truncate(TOP as usize);
    (tags, words)
}
