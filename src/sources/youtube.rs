//! YouTube Data API v3 with an API key (`key=` from `key_env`): comments through
//! `commentThreads` (`allThreadsRelatedToChannelId` or `videoId`, `searchTerms`, `order=time`,
//! `pageToken`), or new videos through `search.list` (`q`, `type=video`, `order=date`,
//! `publishedAfter`). Quota is counted in memory per Pacific day (commentThreads 1 unit,
//! search 100): a call that would exceed the feed's `daily_quota` is not sent, and a
//! `quotaExceeded` answer becomes [`SourceError::RateLimited`] until the quota resets.
//! Paging follows [`Sweep`] with `nextPageToken`.

use async_trait::async_trait;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, SecondsFormat, Utc};
use serde::Deserialize;
use std::sync::{Arc, Mutex};

use super::http::{Api, secret};
use super::sweep::Sweep;
use super::{Source, SourceError, bad_body, query};
use crate::clock::Clock;
use crate::config::{YoutubeFeedConfig, YoutubeMode};
use crate::domain::{Author, Cursor, FeedQuery, Mention, Page};

const COMMENT_THREADS_COST: u32 = 1;
const SEARCH_COST: u32 = 100;

pub struct YoutubeSource {
    api: Api,
    mode: YoutubeMode,
    filter: (&'static str, String),
    key_env: String,
    max_results: u32,
    daily_quota: u32,
    backfill_hours: u32,
    used: Mutex<(NaiveDate, u32)>,
    clock: Arc<dyn Clock>,
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

/// YouTube quotas reset at midnight Pacific time (fixed UTC-8 here; off by an hour in summer).
fn quota_day(now: DateTime<Utc>) -> NaiveDate {
    let pacific = FixedOffset::west_opt(8 * 3600).expect("valid offset");
    now.with_timezone(&pacific).date_naive()
}

impl YoutubeSource {
    pub fn new(c: &YoutubeFeedConfig, clock: Arc<dyn Clock>) -> Result<YoutubeSource, String> {
        let filter = match (c.mode, &c.channel_id, &c.video_id) {
            (YoutubeMode::Videos, _, _) => {
                query::require_terms(&c.terms)?;
                ("", String::new())
            }
            (YoutubeMode::Comments, Some(ch), None) => ("allThreadsRelatedToChannelId", ch.clone()),
            (YoutubeMode::Comments, None, Some(v)) => ("videoId", v.clone()),
            _ => return Err("comments mode needs exactly one of channel_id or video_id".into()),
        };
        let max = if c.mode == YoutubeMode::Videos {
            50
        } else {
            100
        };
        if !(1..=max).contains(&c.max_results) {
            return Err(format!("max_results: must be between 1 and {max}"));
        }
        Ok(YoutubeSource {
            api: Api::new(&c.http, "https://www.googleapis.com")?.with_rate(60),
            mode: c.mode,
            filter,
            key_env: c.key_env.clone(),
            max_results: c.max_results,
            daily_quota: c.daily_quota,
            backfill_hours: c.backfill_hours,
            used: Mutex::new((quota_day(clock.now()), 0)),
            clock,
        })
    }

    /// Reserves `cost` units for today, or says how long until the quota resets.
    fn spend(&self, cost: u32, now: DateTime<Utc>) -> Result<(), SourceError> {
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        let today = quota_day(now);
        if used.0 != today {
            *used = (today, 0);
        }
        if used.1 + cost > self.daily_quota {
            return Err(SourceError::RateLimited {
                detail: format!("daily quota of {} units spent", self.daily_quota),
                wait: Some(until_reset(now)),
            });
        }
        used.1 += cost;
        Ok(())
    }

    /// Quota units spent in the current Pacific day.
    pub fn quota_used(&self) -> u32 {
        self.used.lock().unwrap_or_else(|p| p.into_inner()).1
    }

    fn params(
        &self,
        q: &FeedQuery,
        sweep: &Sweep,
        key: String,
    ) -> (&'static str, Vec<(&'static str, String)>, u32) {
        let mut p = vec![("maxResults", self.max_results.to_string()), ("key", key)];
        if let Some(t) = &sweep.token {
            p.push(("pageToken", t.clone()));
        }
        match self.mode {
            YoutubeMode::Comments => {
                p.extend([("part", "snippet".into()), ("order", "time".into())]);
                p.extend([
                    ("textFormat", "plainText".into()),
                    (self.filter.0, self.filter.1.clone()),
                ]);
                p.push(("searchTerms", query::spaced(&q.terms)));
                ("/youtube/v3/commentThreads", p, COMMENT_THREADS_COST)
            }
            YoutubeMode::Videos => {
                let after = sweep.since.to_rfc3339_opts(SecondsFormat::Secs, true);
                p.extend([("part", "snippet".into()), ("type", "video".into())]);
                p.extend([("order", "date".into()), ("publishedAfter", after)]);
                p.push(("q", query::or_keyword(&q.terms)));
                ("/youtube/v3/search", p, SEARCH_COST)
            }
        }
    }
}

fn until_reset(now: DateTime<Utc>) -> std::time::Duration {
    let pacific = FixedOffset::west_opt(8 * 3600).expect("valid offset");
    let local = now.with_timezone(&pacific);
    let midnight = (local.date_naive() + Duration::days(1)).and_hms_opt(0, 0, 0);
    let next = midnight.and_then(|m| m.and_local_timezone(pacific).single());
    next.map_or(std::time::Duration::from_secs(3600), |n| {
        (n.with_timezone(&Utc) - now).to_std().unwrap_or_default()
    })
}

#[async_trait]
impl Source for YoutubeSource {
    fn kind(&self) -> &'static str {
        "youtube"
    }

    fn pacing(&self) -> Option<(String, u32)> {
        self.api.pacing()
    }

    async fn fetch(&self, q: &FeedQuery, cursor: Option<&Cursor>) -> Result<Page, SourceError> {
        let now = self.clock.now();
        let sweep = Sweep::load(cursor, now, self.backfill_hours)?;
        let (path, params, cost) = self.params(q, &sweep, secret(&self.key_env)?);
        self.spend(cost, now)?;
        let result = self.api.send(self.api.get(path).query(&params), now).await;
        let body: Body = match result {
            Err(SourceError::RateLimited { detail, .. }) => {
                return Err(SourceError::RateLimited {
                    detail,
                    wait: Some(until_reset(now)),
                });
            }
            other => other?.json()?,
        };
        let (mentions, cursor, more) = sweep.advance(to_mentions(body.items), body.next_page_token);
        Ok(Page {
            mentions,
            next_cursor: Some(cursor),
            more,
            wait: None,
        })
    }
}

/// Parses a `commentThreadListResponse` or a `searchListResponse`.
pub fn parse_body(body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    let body: Body = serde_json::from_slice(body).map_err(bad_body)?;
    Ok(to_mentions(body.items))
}

fn to_mentions(items: Vec<serde_json::Value>) -> Vec<Mention> {
    items
        .iter()
        .filter_map(|item| match item.get("kind")?.as_str()? {
            "youtube#commentThread" => comment(item),
            "youtube#searchResult" => video(item),
            _ => None,
        })
        .collect()
}

fn comment(item: &serde_json::Value) -> Option<Mention> {
    let top = item.pointer("/snippet/topLevelComment")?;
    let id = top.get("id")?.as_str()?.to_owned();
    let c: Comment = serde_json::from_value(top.get("snippet")?.clone()).ok()?;
    let replies = item
        .pointer("/snippet/totalReplyCount")
        .and_then(|v| v.as_i64());
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
        replies: replies.unwrap_or(0),
        reply_to: None,
        thread_id: video,
        is_repost: false,
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
        external_id: id,
    })
}
