//! X API v2 recent search: `GET /2/tweets/search/recent` with app-only `Authorization: Bearer`
//! (from `token_env`), authors expanded through `includes.users`, public metrics. Paging: a
//! sweep starts without `next_token` and with `since_id=<newest stored>` (first run:
//! `start_time` = backfill window), follows `meta.next_token` back, and ends by moving
//! `since_id` to the sweep's `meta.newest_id`. Partial `errors[]` (e.g. a suspended mentioned
//! user) do not fail the page: they are logged and the data kept.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use super::http::Api;
use super::query::Search;
use super::{Deps, SourceError, bad_body, load_cursor, network_source};
use crate::analysis::query::Remote;
use crate::config::XFeedConfig;
use crate::domain::{Author, Cursor, Mention, Page};

const TWEET_FIELDS: &str =
    "created_at,lang,public_metrics,author_id,conversation_id,referenced_tweets,geo";
const USER_FIELDS: &str = "username,name,public_metrics";

pub struct XSource {
    api: Api,
    token_env: String,
    /// The search text: the feed query (or terms) in X syntax plus `extra_query`.
    text: String,
    max_results: u32,
    backfill_hours: u32,
    deps: Deps,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct XCursor {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    since_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
    /// Newest id of the sweep in progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    top: Option<String>,
}

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    data: Vec<Tweet>,
    #[serde(default)]
    includes: Includes,
    #[serde(default)]
    errors: Vec<serde_json::Value>,
    #[serde(default)]
    meta: Meta,
}

#[derive(Deserialize, Default)]
struct Includes {
    #[serde(default)]
    users: Vec<User>,
    #[serde(default)]
    places: Vec<Place>,
}

#[derive(Deserialize)]
struct Place {
    id: String,
    country_code: Option<String>,
}

#[derive(Deserialize)]
struct Geo {
    place_id: Option<String>,
}

#[derive(Deserialize, Default)]
struct Meta {
    newest_id: Option<String>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
struct Tweet {
    id: String,
    text: String,
    author_id: Option<String>,
    created_at: Option<DateTime<Utc>>,
    lang: Option<String>,
    conversation_id: Option<String>,
    #[serde(default)]
    public_metrics: HashMap<String, i64>,
    #[serde(default)]
    referenced_tweets: Vec<Reference>,
    geo: Option<Geo>,
}

#[derive(Deserialize)]
struct Reference {
    #[serde(rename = "type")]
    kind: String,
    id: String,
}

#[derive(Deserialize)]
struct User {
    id: String,
    username: String,
    name: Option<String>,
    #[serde(default)]
    public_metrics: HashMap<String, i64>,
}

impl XSource {
    pub fn new(c: &XFeedConfig, deps: Deps) -> Result<XSource, String> {
        let search = Search::new(c.query.as_deref(), &c.terms)?;
        let mut text = search.require(search.remote(Remote::X))?;
        if !c.extra_query.trim().is_empty() {
            text = format!("{text} {}", c.extra_query.trim());
        }
        if !(10..=100).contains(&c.max_results) {
            return Err("max_results: must be between 10 and 100".into());
        }
        Ok(XSource {
            api: Api::new(&c.http, "https://api.x.com")?.with_rate(30),
            token_env: c.token_env.clone(),
            text,
            max_results: c.max_results,
            backfill_hours: c.backfill_hours.min(167),
            deps,
        })
    }

    fn params(&self, c: &XCursor, now: DateTime<Utc>) -> Vec<(&'static str, String)> {
        let mut p = vec![
            ("query", self.text.clone()),
            ("max_results", self.max_results.to_string()),
            ("expansions", "author_id,geo.place_id".to_owned()),
            ("place.fields", "country_code".to_owned()),
            ("tweet.fields", TWEET_FIELDS.to_owned()),
            ("user.fields", USER_FIELDS.to_owned()),
        ];
        match &c.since_id {
            Some(id) => p.push(("since_id", id.clone())),
            None => {
                let start = now - Duration::hours(i64::from(self.backfill_hours));
                p.push((
                    "start_time",
                    start.to_rfc3339_opts(SecondsFormat::Secs, true),
                ));
            }
        }
        if let Some(t) = &c.next_token {
            p.push(("next_token", t.clone()));
        }
        p
    }

    async fn fetch_page(&self, cursor: Option<&Cursor>) -> Result<Page, SourceError> {
        let state: XCursor = load_cursor(cursor)?;
        let now = self.deps.clock.now();
        let token = self.deps.secret(&self.token_env)?;
        let req = self.api.get("/2/tweets/search/recent");
        let req = req.query(&self.params(&state, now)).bearer_auth(token);
        let reply = self.api.send(req, now).await?;
        let body: Body = reply.json()?;
        let top = max_id(state.top.clone(), body.meta.newest_id.clone());
        let next = match body.meta.next_token.clone() {
            Some(t) => XCursor {
                since_id: state.since_id,
                next_token: Some(t),
                top,
            },
            None => XCursor {
                since_id: max_id(state.since_id, top),
                next_token: None,
                top: None,
            },
        };
        Ok(Page {
            mentions: to_mentions(body),
            more: next.next_token.is_some(),
            wait: reply.rate.suggested_wait(),
            next_cursor: serde_json::to_string(&next).ok().map(Cursor),
        })
    }
}

network_source!(XSource, "x");

/// Tweet ids are decimal strings: the longer, or else the greater, is newer.
fn max_id(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if (b.len(), &b) > (a.len(), &a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Parses one search response (a twarc JSONL line may carry an extra `__twarc` key).
pub fn parse_body(body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    let body: Body = serde_json::from_slice(body).map_err(bad_body)?;
    Ok(to_mentions(body))
}

fn to_mentions(body: Body) -> Vec<Mention> {
    if !body.errors.is_empty() {
        tracing::warn!(
            errors = body.errors.len(),
            "x search returned partial errors"
        );
    }
    let users: HashMap<&str, &User> = body
        .includes
        .users
        .iter()
        .map(|u| (u.id.as_str(), u))
        .collect();
    let countries: HashMap<&str, String> = body
        .includes
        .places
        .iter()
        .filter_map(|p| Some((p.id.as_str(), p.country_code.as_ref()?.to_lowercase())))
        .collect();
    body.data
        .iter()
        .filter_map(|t| {
            let mut m = to_mention(t, &users)?;
            let place = t.geo.as_ref().and_then(|g| g.place_id.as_deref());
            m.country = place.and_then(|p| countries.get(p).cloned());
            Some(m)
        })
        .collect()
}

/// Tweet ids are snowflakes: milliseconds since the Twitter epoch in the high bits.
fn snowflake_time(id: &str) -> Option<DateTime<Utc>> {
    let ms = (id.parse::<u64>().ok()? >> 22) as i64 + 1_288_834_974_657;
    DateTime::from_timestamp_millis(ms)
}

/// A tweet without an author (requested without `expansions=author_id`) is skipped.
fn to_mention(t: &Tweet, users: &HashMap<&str, &User>) -> Option<Mention> {
    let author_id = t.author_id.clone()?;
    let user = users.get(author_id.as_str());
    let handle = user.map_or(author_id, |u| u.username.clone());
    let metric = |k: &str| t.public_metrics.get(k).copied().unwrap_or(0);
    let reference = |k: &str| {
        t.referenced_tweets
            .iter()
            .find(|r| r.kind == k)
            .map(|r| r.id.clone())
    };
    Some(Mention {
        source: "x".into(),
        external_id: t.id.clone(),
        created_at: t.created_at.or_else(|| snowflake_time(&t.id))?,
        text: Mention::cap_text(&t.text),
        url: Some(format!("https://x.com/{handle}/status/{}", t.id)),
        author: Author {
            name: user.and_then(|u| u.name.clone()),
            followers: user.and_then(|u| u.public_metrics.get("followers_count").copied()),
            handle,
        },
        lang_hint: t.lang.clone().filter(|l| l != "und" && l != "zxx"),
        likes: metric("like_count"),
        reposts: metric("retweet_count") + metric("quote_count"),
        replies: metric("reply_count"),
        reply_to: reference("replied_to"),
        thread_id: t.conversation_id.clone(),
        is_repost: reference("retweeted").is_some(),
        country: None,
    })
}
