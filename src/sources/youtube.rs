//! YouTube Data API v3 with an API key (`key=` from the `key_env` secret): comments through
//! `commentThreads` (`part=snippet,replies`, `allThreadsRelatedToChannelId` or `videoId`,
//! `searchTerms`, `order=time`, `pageToken`), or new videos through `search.list` (`q` with
//! `|` for OR, `type=video`, `order=date`, `publishedAfter`). Quota units (commentThreads 1,
//! search 100) are reserved in the [`QuotaBook`](super::quota::QuotaBook) before each call,
//! per feed and Pacific-time day, persisted in the database: a call that would pass the feed's
//! `daily_quota` is not sent, and a `quotaExceeded` answer becomes
//! [`SourceError::RateLimited`] until the quota resets at Pacific midnight. Paging follows
//! [`Sweep`] with `nextPageToken`. A thread's top-level comment and the replies the API
//! includes are mentions; `thread_id` is the comment thread, `reply_to` a reply's parent.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;

use super::http::Api;
use super::query::{self, Search};
use super::quota::until_pacific_midnight;
use super::sweep::Sweep;
use super::{Deps, SourceError, bad_body, network_source};
use crate::config::{YoutubeFeedConfig, YoutubeMode};
use crate::domain::{Author, Cursor, Mention, Page};

const COMMENT_THREADS_COST: u32 = 1;
const SEARCH_COST: u32 = 100;

pub struct YoutubeSource {
    api: Api,
    mode: YoutubeMode,
    filter: (&'static str, String),
    /// `searchTerms` (comments) or `q` (videos).
    text: String,
    key_env: String,
    /// The quota budget's name: one per feed.
    quota_key: String,
    max_results: u32,
    daily_quota: u32,
    backfill_hours: u32,
    deps: Deps,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    #[serde(default)]
    items: Vec<serde_json::Value>,
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Comment {
    author_display_name: Option<String>,
    author_channel_id: Option<ChannelRef>,
    text_original: Option<String>,
    text_display: Option<String>,
    published_at: DateTime<Utc>,
    #[serde(default)]
    like_count: i64,
    video_id: Option<String>,
    parent_id: Option<String>,
}

#[derive(Deserialize)]
struct ChannelRef {
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VideoSnippet {
    published_at: DateTime<Utc>,
    channel_id: String,
    channel_title: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
}

impl YoutubeSource {
    pub fn new(c: &YoutubeFeedConfig, deps: Deps) -> Result<YoutubeSource, String> {
        let words = Search::new(c.query.as_deref(), &c.terms)?.words();
        let filter = match (c.mode, &c.channel_id, &c.video_id) {
            (YoutubeMode::Videos, _, _) if words.is_empty() => {
                return Err("terms: at least one search term is required".into());
            }
            (YoutubeMode::Videos, _, _) => ("", String::new()),
            (YoutubeMode::Comments, Some(ch), None) => ("allThreadsRelatedToChannelId", ch.clone()),
            (YoutubeMode::Comments, None, Some(v)) => ("videoId", v.clone()),
            _ => return Err("comments mode needs exactly one of channel_id or video_id".into()),
        };
        let (max, text) = match c.mode {
            YoutubeMode::Videos => (50, query::piped(&words)),
            YoutubeMode::Comments => (100, query::spaced(&words)),
        };
        if !(1..=max).contains(&c.max_results) {
            return Err(format!("max_results: must be between 1 and {max}"));
        }
        Ok(YoutubeSource {
            api: Api::new(&c.http, "https://www.googleapis.com")?.with_rate(60),
            mode: c.mode,
            filter,
            text,
            key_env: c.key_env.clone(),
            quota_key: format!("youtube:{}", c.name),
            max_results: c.max_results,
            daily_quota: c.daily_quota,
            backfill_hours: c.backfill_hours,
            deps,
        })
    }

    fn params(
        &self,
        sweep: &Sweep,
        key: String,
    ) -> (&'static str, Vec<(&'static str, String)>, u32) {
        let mut p = vec![("maxResults", self.max_results.to_string()), ("key", key)];
        if let Some(t) = &sweep.token {
            p.push(("pageToken", t.clone()));
        }
        match self.mode {
            YoutubeMode::Comments => {
                p.extend([("part", "snippet,replies".into()), ("order", "time".into())]);
                p.extend([
                    ("textFormat", "plainText".into()),
                    (self.filter.0, self.filter.1.clone()),
                ]);
                if !self.text.is_empty() {
                    p.push(("searchTerms", self.text.clone()));
                }
                ("/youtube/v3/commentThreads", p, COMMENT_THREADS_COST)
            }
            YoutubeMode::Videos => {
                let after = sweep.since.to_rfc3339_opts(SecondsFormat::Secs, true);
                p.extend([("part", "snippet".into()), ("type", "video".into())]);
                p.extend([("order", "date".into()), ("publishedAfter", after)]);
                p.push(("q", self.text.clone()));
                ("/youtube/v3/search", p, SEARCH_COST)
            }
        }
    }

    async fn fetch_page(&self, cursor: Option<&Cursor>) -> Result<Page, SourceError> {
        let now = self.deps.clock.now();
        let sweep = Sweep::load(cursor, now, self.backfill_hours)?;
        let (path, params, cost) = self.params(&sweep, self.deps.secret(&self.key_env)?);
        let book = &self.deps.quota;
        book.spend(&self.quota_key, now, cost, self.daily_quota)
            .await?;
        let result = self.api.send(self.api.get(path).query(&params), now).await;
        let body: Body = match result {
            Err(SourceError::RateLimited { detail, .. }) => {
                return Err(SourceError::RateLimited {
                    detail,
                    wait: Some(until_pacific_midnight(now)),
                });
            }
            other => other?.json()?,
        };
        Ok(sweep.page(to_mentions(body.items), body.next_page_token, None))
    }
}

network_source!(YoutubeSource, "youtube");

/// Parses a `commentThreadListResponse` or a `searchListResponse`.
pub fn parse_body(body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    let body: Body = serde_json::from_slice(body).map_err(bad_body)?;
    Ok(to_mentions(body.items))
}

fn to_mentions(items: Vec<serde_json::Value>) -> Vec<Mention> {
    let mut out = Vec::new();
    for item in &items {
        match item.get("kind").and_then(|k| k.as_str()) {
            Some("youtube#commentThread") => out.extend(thread(item)),
            Some("youtube#searchResult") => out.extend(video(item)),
            _ => {}
        }
    }
    out
}

/// A thread's top-level comment, then the replies the response includes.
fn thread(item: &serde_json::Value) -> Vec<Mention> {
    let thread_id = item.get("id").and_then(|v| v.as_str()).map(str::to_owned);
    let replies_count = item
        .pointer("/snippet/totalReplyCount")
        .and_then(|v| v.as_i64());
    let top = item.pointer("/snippet/topLevelComment");
    let replies = item
        .pointer("/replies/comments")
        .and_then(|v| v.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut out: Vec<Mention> = top.into_iter().chain(replies).filter_map(comment).collect();
    for m in &mut out {
        m.thread_id = thread_id.clone();
    }
    if let Some(first) = out.first_mut().filter(|_| top.is_some()) {
        first.replies = replies_count.unwrap_or(0);
    }
    out
}

/// One `youtube#comment` resource.
fn comment(resource: &serde_json::Value) -> Option<Mention> {
    let id = resource.get("id")?.as_str()?.to_owned();
    let c: Comment = serde_json::from_value(resource.get("snippet")?.clone()).ok()?;
    let video = c.video_id.clone();
    Some(Mention {
        source: "youtube".into(),
        url: video
            .as_ref()
            .map(|v| format!("https://www.youtube.com/watch?v={v}&lc={id}")),
        created_at: c.published_at,
        text: Mention::cap_text(
            c.text_original
                .or(c.text_display)
                .unwrap_or_default()
                .trim(),
        ),
        author: Author {
            handle: c.author_channel_id.map(|r| r.value).unwrap_or_default(),
            name: c.author_display_name,
            followers: None,
        },
        lang_hint: None,
        likes: c.like_count,
        reposts: 0,
        replies: 0,
        reply_to: c.parent_id.or(video),
        thread_id: None,
        is_repost: false,
        country: None,
        external_id: id,
    })
}

fn video(item: &serde_json::Value) -> Option<Mention> {
    let id = item.pointer("/id/videoId")?.as_str()?.to_owned();
    let s: VideoSnippet = serde_json::from_value(item.get("snippet")?.clone()).ok()?;
    let text = format!("{}\n{}", s.title, s.description);
    Some(Mention {
        source: "youtube".into(),
        url: Some(format!("https://www.youtube.com/watch?v={id}")),
        created_at: s.published_at,
        text: Mention::cap_text(text.trim()),
        author: Author {
            handle: s.channel_id,
            name: s.channel_title,
            followers: None,
        },
        lang_hint: None,
        likes: 0,
        reposts: 0,
        replies: 0,
        reply_to: None,
        thread_id: None,
        is_repost: false,
        country: None,
        external_id: id,
    })
}
