//! Mastodon: the hashtag timeline (`GET /api/v1/timelines/tag/:tag`) or status search
//! (`GET /api/v2/search?type=statuses`, needs a token with `read:search`).
//!
//! Paging: we poll forwards with `min_id=<newest id stored>`, which returns the statuses just
//! after it (the `rel="prev"` direction of the `Link` header); a full page means more are
//! ready. The first run takes the newest page only. HTML content is converted to text; a boost
//! is a repost whose text is the boosted status. Auth: `Authorization: Bearer` from the
//! `token_env` variable (optional for hashtag timelines).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::http::Api;
use super::text::html_to_text;
use super::{Source, SourceError, bad_body, query};
use crate::clock::Clock;
use crate::config::{MastodonFeedConfig, MastodonMode};
use crate::domain::{Author, Cursor, FeedQuery, Mention, Page};

pub struct MastodonSource {
    api: Api,
    mode: MastodonMode,
    hashtag: Option<String>,
    token_env: String,
    limit: u32,
    clock: Arc<dyn Clock>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct MastodonCursor {
    min_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Status {
    id: String,
    created_at: DateTime<Utc>,
    #[serde(default)]
    content: String,
    #[serde(default)]
    spoiler_text: String,
    url: Option<String>,
    uri: Option<String>,
    language: Option<String>,
    #[serde(default)]
    favourites_count: i64,
    #[serde(default)]
    reblogs_count: i64,
    #[serde(default)]
    replies_count: i64,
    in_reply_to_id: Option<String>,
    reblog: Option<Box<Status>>,
    account: Account,
}

#[derive(Debug, Deserialize)]
struct Account {
    acct: String,
    display_name: Option<String>,
    followers_count: Option<i64>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Body {
    Timeline(Vec<Status>),
    Search { statuses: Vec<Status> },
}

impl MastodonSource {
    pub fn new(c: &MastodonFeedConfig, clock: Arc<dyn Clock>) -> Result<MastodonSource, String> {
        let api = Api::new(&c.http, "https://mastodon.social")?.with_rate(60);
        let hashtag = c.hashtag.clone().or_else(|| query::hashtag(&c.terms));
        match c.mode {
            MastodonMode::Hashtag if hashtag.is_none() => {
                return Err("hashtag: set it, or make the first term a single word".into());
            }
            MastodonMode::Search => query::require_terms(&c.terms)?,
            MastodonMode::Hashtag => {}
        }
        if !(1..=40).contains(&c.limit) {
            return Err("limit: must be between 1 and 40".into());
        }
        Ok(MastodonSource {
            api,
            mode: c.mode,
            hashtag,
            token_env: c.token_env.clone(),
            limit: c.limit,
            clock,
        })
    }

    fn request(
        &self,
        q: &FeedQuery,
        min_id: Option<&str>,
    ) -> Result<reqwest::RequestBuilder, SourceError> {
        let limit = self.limit.to_string();
        let mut params: Vec<(&str, &str)> = vec![("limit", &limit)];
        if let Some(id) = min_id {
            params.push(("min_id", id));
        }
        let terms = query::spaced(&q.terms);
        let req = match self.mode {
            MastodonMode::Hashtag => {
                let tag = self.hashtag.as_deref().unwrap_or_default();
                self.api.get(&format!("/api/v1/timelines/tag/{tag}"))
            }
            MastodonMode::Search => {
                params.extend([("q", terms.as_str()), ("type", "statuses")]);
                self.api.get("/api/v2/search")
            }
        };
        let req = req.query(&params);
        match (self.mode, std::env::var(&self.token_env)) {
            (_, Ok(token)) if !token.trim().is_empty() => Ok(req.bearer_auth(token.trim())),
            (MastodonMode::Search, _) => Err(SourceError::Auth(format!(
                "environment variable {} is not set",
                self.token_env
            ))),
            _ => Ok(req),
        }
    }
}

#[async_trait]
impl Source for MastodonSource {
    fn kind(&self) -> &'static str {
        "mastodon"
    }

    fn pacing(&self) -> Option<(String, u32)> {
        self.api.pacing()
    }

    async fn fetch(&self, q: &FeedQuery, cursor: Option<&Cursor>) -> Result<Page, SourceError> {
        let state: MastodonCursor = match cursor {
            Some(c) => serde_json::from_str(&c.0)
                .map_err(|e| SourceError::BadCursor(format!("{}: {e}", c.0)))?,
            None => MastodonCursor::default(),
        };
        let req = self.request(q, state.min_id.as_deref())?;
        let reply = self.api.send(req, self.clock.now()).await?;
        let statuses = statuses(&reply.body)?;
        let full = statuses.len() >= self.limit as usize;
        let newest = statuses
            .iter()
            .map(|s| s.id.as_str())
            .max_by(|a, b| cmp_id(a, b));
        let min_id = newest.map(str::to_owned).or(state.min_id);
        let mentions = statuses.into_iter().map(to_mention).collect();
        let next = MastodonCursor { min_id };
        Ok(Page {
            mentions,
            next_cursor: serde_json::to_string(&next).ok().map(Cursor),
            more: full && self.mode == MastodonMode::Hashtag,
            wait: reply.rate.suggested_wait(),
        })
    }
}

/// Mastodon ids are decimal strings of varying length: compare numerically.
fn cmp_id(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn statuses(body: &[u8]) -> Result<Vec<Status>, SourceError> {
    match serde_json::from_slice::<Body>(body).map_err(bad_body)? {
        Body::Timeline(s) | Body::Search { statuses: s } => Ok(s),
    }
}

/// Parses a timeline (`[Status]`) or search (`{"statuses":[…]}`) body.
pub fn parse_body(body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    Ok(statuses(body)?.into_iter().map(to_mention).collect())
}

fn to_mention(s: Status) -> Mention {
    let is_repost = s.reblog.is_some();
    let shown = s.reblog.as_deref().unwrap_or(&s);
    let mut text = html_to_text(&shown.content);
    if !shown.spoiler_text.is_empty() {
        text = format!("{}\n{}", shown.spoiler_text, text);
    }
    Mention {
        source: "mastodon".into(),
        external_id: s.id.clone(),
        created_at: s.created_at,
        text: Mention::cap_text(text.trim()),
        author: Author {
            handle: s.account.acct.trim_start_matches('@').to_owned(),
            name: s.account.display_name.clone().filter(|n| !n.is_empty()),
            followers: s.account.followers_count,
        },
        url: s.url.clone().or_else(|| s.uri.clone()),
        lang_hint: shown.language.clone(),
        likes: s.favourites_count,
        reposts: s.reblogs_count,
        replies: s.replies_count,
        reply_to: s.in_reply_to_id.clone(),
        thread_id: None,
        is_repost,
    }
}
