//! Hacker News through Algolia: `GET /api/v1/search_by_date?query=…&tags=(story,comment)
//! &numericFilters=created_at_i>=<since>&hitsPerPage=…&page=…`, newest first, no auth.
//! Terms are ORed with `optionalWords`. Paging follows [`Sweep`], the token being the next
//! `page` number; the `created_at_i` watermark keeps every sweep under Algolia's ~1000-hit cap.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::sync::Arc;

use super::http::Api;
use super::sweep::Sweep;
use super::text::html_to_text;
use super::{Source, SourceError, bad_body, query};
use crate::clock::Clock;
use crate::config::HackerNewsFeedConfig;
use crate::domain::{Author, Cursor, FeedQuery, Mention, Page};

pub struct HackerNewsSource {
    api: Api,
    tags: String,
    hits_per_page: u32,
    backfill_hours: u32,
    clock: Arc<dyn Clock>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    hits: Vec<Hit>,
    #[serde(default)]
    page: u32,
    #[serde(default)]
    nb_pages: u32,
}

#[derive(Deserialize)]
struct Hit {
    #[serde(rename = "objectID")]
    object_id: String,
    created_at: Option<DateTime<Utc>>,
    created_at_i: Option<i64>,
    author: Option<String>,
    title: Option<String>,
    story_text: Option<String>,
    comment_text: Option<String>,
    points: Option<i64>,
    num_comments: Option<i64>,
    story_id: Option<i64>,
    parent_id: Option<i64>,
}

impl HackerNewsSource {
    pub fn new(
        c: &HackerNewsFeedConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<HackerNewsSource, String> {
        query::require_terms(&c.terms)?;
        if !(1..=1000).contains(&c.hits_per_page) {
            return Err("hits_per_page: must be between 1 and 1000".into());
        }
        Ok(HackerNewsSource {
            api: Api::new(&c.http, "https://hn.algolia.com")?.with_rate(166),
            tags: c.tags.clone(),
            hits_per_page: c.hits_per_page,
            backfill_hours: c.backfill_hours,
            clock,
        })
    }
}

#[async_trait]
impl Source for HackerNewsSource {
    fn kind(&self) -> &'static str {
        "hackernews"
    }

    fn pacing(&self) -> Option<(String, u32)> {
        self.api.pacing()
    }

    async fn fetch(&self, q: &FeedQuery, cursor: Option<&Cursor>) -> Result<Page, SourceError> {
        let now = self.clock.now();
        let sweep = Sweep::load(cursor, now, self.backfill_hours)?;
        let words = query::spaced(&q.terms);
        let filter = format!("created_at_i>={}", sweep.since.timestamp());
        let hpp = self.hits_per_page.to_string();
        let page = sweep.token.clone().unwrap_or_else(|| "0".into());
        let mut params = vec![
            ("query", words.as_str()),
            ("tags", self.tags.as_str()),
            ("numericFilters", filter.as_str()),
            ("hitsPerPage", hpp.as_str()),
            ("page", page.as_str()),
        ];
        if q.terms.len() > 1 {
            params.push(("optionalWords", words.as_str()));
        }
        let req = self.api.get("/api/v1/search_by_date").query(&params);
        let reply = self.api.send(req, now).await?;
        let body: Body = reply.json()?;
        let next = (body.page + 1 < body.nb_pages).then(|| (body.page + 1).to_string());
        let mentions = body.hits.into_iter().filter_map(to_mention).collect();
        let (mentions, cursor, more) = sweep.advance(mentions, next);
        Ok(Page {
            mentions,
            next_cursor: Some(cursor),
            more,
            wait: reply.rate.suggested_wait(),
        })
    }
}

/// Parses a `search` / `search_by_date` body.
pub fn parse_body(body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    let body: Body = serde_json::from_slice(body).map_err(bad_body)?;
    Ok(body.hits.into_iter().filter_map(to_mention).collect())
}

fn to_mention(h: Hit) -> Option<Mention> {
    let created_at = h
        .created_at
        .or_else(|| DateTime::from_timestamp(h.created_at_i?, 0))?;
    let html = match (&h.comment_text, &h.title, &h.story_text) {
        (Some(c), _, _) => c.clone(),
        (None, Some(t), Some(s)) if !s.is_empty() => format!("{t}\n{s}"),
        (None, Some(t), _) => t.clone(),
        (None, None, s) => s.clone().unwrap_or_default(),
    };
    let text = html_to_text(&html);
    let is_comment = h.comment_text.is_some();
    Some(Mention {
        source: "hackernews".into(),
        url: Some(format!(
            "https://news.ycombinator.com/item?id={}",
            h.object_id
        )),
        created_at,
        text: Mention::cap_text(&text),
        author: Author {
            handle: h.author.unwrap_or_default(),
            name: None,
            followers: None,
        },
        lang_hint: None,
        likes: h.points.unwrap_or(0),
        reposts: 0,
        replies: h.num_comments.unwrap_or(0),
        reply_to: h.parent_id.filter(|_| is_comment).map(|p| p.to_string()),
        thread_id: h.story_id.map(|s| s.to_string()),
        is_repost: false,
        external_id: h.object_id,
    })
}
