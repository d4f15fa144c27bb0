//! Mastodon: the hashtag timeline (`GET /api/v1/timelines/tag/:tag`, further tags of the feed
//! query as `any[]`) or status search (`GET /api/v2/search?type=statuses`, needs a token with
//! `read:search`).
//!
//! Paging: the first run walks back from the newest status with `max_id` (the `rel="next"`
//! direction of the `Link` header) until `backfill_hours` ago; after that we poll forwards with
//! `min_id=<newest id stored>`, which returns the statuses just after it (the `rel="prev"`
//! direction); a full page means more are ready. HTML content is converted to text; a boost is
//! a repost whose text is the boosted status and whose reply/thread ids are the boosted
//! status's. Auth: `Authorization: Bearer` from the `token_env` secret (optional for hashtag
//! timelines).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::http::Api;
use super::query::{self, Search};
use super::text::html_to_text;
use super::{Deps, SourceError, bad_body, load_cursor, network_source};
use crate::config::{MastodonFeedConfig, MastodonMode};
use crate::domain::{Author, Cursor, Mention, Page};

pub struct MastodonSource {
    api: Api,
    mode: MastodonMode,
    hashtags: Vec<String>,
    words: String,
    token_env: String,
    limit: u32,
    backfill_hours: u32,
    deps: Deps,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct MastodonCursor {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_id: Option<String>,
    /// The first-run backfill in progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    back: Option<Backfill>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Backfill {
    /// Oldest id fetched so far: the next page is `max_id=<this>`.
    max_id: String,
    /// Statuses older than this are not wanted.
    since: DateTime<Utc>,
    /// Newest id of the backfill: forward polling starts after it.
    top: String,
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
    pub fn new(c: &MastodonFeedConfig, deps: Deps) -> Result<MastodonSource, String> {
        let api = Api::new(&c.http, "https://mastodon.social")?.with_rate(60);
        let search = Search::new(c.query.as_deref(), &c.terms)?;
        let hashtags = match &c.hashtag {
            Some(tag) => vec![tag.trim_start_matches('#').to_owned()],
            None => search.hashtags().unwrap_or_default(),
        };
        let words = query::spaced(&search.words());
        match c.mode {
            MastodonMode::Hashtag if hashtags.is_empty() => {
                return Err(
                    "hashtag: set it, write the query as hashtags joined by OR, or make the \
                     first term a single word"
                        .into(),
                );
            }
            MastodonMode::Search if words.is_empty() => {
                return Err("terms: at least one search term is required".into());
            }
            _ => {}
        }
        if !(1..=40).contains(&c.limit) {
            return Err("limit: must be between 1 and 40".into());
        }
        Ok(MastodonSource {
            api,
            mode: c.mode,
            hashtags,
            words,
            token_env: c.token_env.clone(),
            limit: c.limit,
            backfill_hours: c.backfill_hours,
            deps,
        })
    }

    fn request(
        &self,
        paging: (&str, Option<&str>),
    ) -> Result<reqwest::RequestBuilder, SourceError> {
        let limit = self.limit.to_string();
        let mut params: Vec<(&str, &str)> = vec![("limit", &limit)];
        if let (name, Some(id)) = paging {
            params.push((name, id));
        }
        let req = match self.mode {
            MastodonMode::Hashtag => {
                params.extend(self.hashtags.iter().skip(1).map(|t| ("any[]", t.as_str())));
                let tag = self.hashtags.first().map_or("", String::as_str);
                self.api.get(&format!("/api/v1/timelines/tag/{tag}"))
            }
            MastodonMode::Search => {
                params.extend([("q", self.words.as_str()), ("type", "statuses")]);
                self.api.get("/api/v2/search")
            }
        };
        let req = req.query(&params);
        match (self.mode, self.deps.secrets.get(&self.token_env)) {
            (_, Some(token)) => Ok(req.bearer_auth(token)),
            (MastodonMode::Search, None) => Err(super::secrets::missing(&self.token_env)),
            (MastodonMode::Hashtag, None) => Ok(req),
        }
    }

    async fn fetch_page(&self, cursor: Option<&Cursor>) -> Result<Page, SourceError> {
        let state: MastodonCursor = load_cursor(cursor)?;
        let now = self.deps.clock.now();
        let paging = match (&state.back, &state.min_id) {
            (Some(b), _) => ("max_id", Some(b.max_id.as_str())),
            (None, Some(id)) => ("min_id", Some(id.as_str())),
            (None, None) => ("max_id", None),
        };
        let reply = self.api.send(self.request(paging)?, now).await?;
        let statuses = statuses(&reply.body)?;
        let full = statuses.len() >= self.limit as usize;
        let state_was_forward = state.back.is_none() && state.min_id.is_some();
        let (mentions, next) = match (state.back, state.min_id) {
            (Some(back), _) => backfill_step(statuses, back, full),
            (None, Some(min_id)) => forward_step(statuses, min_id),
            (None, None) => {
                let since = now - Duration::hours(i64::from(self.backfill_hours));
                first_step(statuses, since, full)
            }
        };
        let more = next.back.is_some() || (full && state_was_forward);
        Ok(Page {
            mentions,
            next_cursor: serde_json::to_string(&next).ok().map(Cursor),
            more,
            wait: reply.rate.suggested_wait(),
        })
    }
}

network_source!(MastodonSource, "mastodon");

/// First run: the newest page; keep walking back while it is full and newer than `since`.
fn first_step(
    statuses: Vec<Status>,
    since: DateTime<Utc>,
    full: bool,
) -> (Vec<Mention>, MastodonCursor) {
    let top = newest(&statuses);
    let Some(top) = top else {
        return (Vec::new(), MastodonCursor::default());
    };
    let back = Backfill {
        max_id: String::new(),
        since,
        top,
    };
    backfill_step(statuses, back, full)
}

/// One backfill page: keeps statuses since the window start; goes on while the page was full
/// and did not reach the window start, else switches to forward polling after `top`.
fn backfill_step(
    statuses: Vec<Status>,
    mut back: Backfill,
    full: bool,
) -> (Vec<Mention>, MastodonCursor) {
    let reached = statuses.iter().any(|s| s.created_at < back.since);
    let oldest = oldest(&statuses);
    let mentions = statuses
        .into_iter()
        .filter(|s| s.created_at >= back.since)
        .map(to_mention)
        .collect();
    let next = match oldest.filter(|_| full && !reached) {
        Some(id) => {
            back.max_id = id;
            MastodonCursor {
                min_id: None,
                back: Some(back),
            }
        }
        None => MastodonCursor {
            min_id: Some(back.top),
            back: None,
        },
    };
    (mentions, next)
}

/// Forward polling: everything after `min_id`; the cursor moves to the newest.
fn forward_step(statuses: Vec<Status>, min_id: String) -> (Vec<Mention>, MastodonCursor) {
    let min_id = newest(&statuses).unwrap_or(min_id);
    let mentions = statuses.into_iter().map(to_mention).collect();
    let next = MastodonCursor {
        min_id: Some(min_id),
        back: None,
    };
    (mentions, next)
}

/// The statuses' ids, oldest first.
fn sorted_ids(statuses: &[Status]) -> Vec<String> {
    let mut ids: Vec<String> = statuses.iter().map(|s| s.id.clone()).collect();
    ids.sort_by(|a, b| cmp_id(a, b));
    ids
}

fn newest(statuses: &[Status]) -> Option<String> {
    sorted_ids(statuses).pop()
}

fn oldest(statuses: &[Status]) -> Option<String> {
    sorted_ids(statuses).into_iter().next()
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
        reply_to: shown.in_reply_to_id.clone(),
        thread_id: None,
        is_repost,
        country: None,
    }
}
