//! Hacker News through Algolia: `GET /api/v1/search_by_date?query=…&tags=(story,comment)
//! &numericFilters=created_at_i>=<since>&hitsPerPage=…&page=…`, newest first, no auth.
//! Terms are ORed with `optionalWords`. Paging follows [`Sweep`], the token being the next
//! `page` number; the `created_at_i` watermark keeps every sweep under Algolia's ~1000-hit cap.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::http::Api;
use super::query::{self, Search};
use super::sweep::Sweep;
use super::text::html_to_text;
use super::{Deps, SourceError, bad_body, network_source};
use crate::config::HackerNewsFeedConfig;
use crate::domain::{Author, Cursor, Mention, Page};

pub struct HackerNewsSource {
    api: Api,
    words: Vec<String>,
    tags: String,
    hits_per_page: u32,
    backfill_hours: u32,
    deps: Deps,
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
    pub fn new(c: &HackerNewsFeedConfig, deps: Deps) -> Result<HackerNewsSource, String> {
        let words = Search::new(c.query.as_deref(), &c.terms)?.words();
        if words.is_empty() {
            return Err("terms: at least one search term is required".into());
        }
        if !(1..=1000).contains(&c.hits_per_page) {
            return Err("hits_per_page: must be between 1 and 1000".into());
        }
        Ok(HackerNewsSource {
            api: Api::new(&c.http, "https://hn.algolia.com")?.with_rate(166),
            words,
            tags: c.tags.clone(),
            hits_per_page: c.hits_per_page,
            backfill_hours: c.backfill_hours,
            deps,
        })
    }

    async fn fetch_page(&self, cursor: Option<&Cursor>) -> Result<Page, SourceError> {
        let now = self.deps.clock.now();
        let sweep = Sweep::load(cursor, now, self.backfill_hours)?;
        let words = query::spaced(&self.words);
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
        if self.words.len() > 1 {
            params.push(("optionalWords", words.as_str()));
        }
        let req = self.api.get("/api/v1/search_by_date").query(&params);
        let reply = self.api.send(req, now).await?;
        let body: Body = reply.json()?;
        let next = (body.page + 1 < body.nb_pages).then(|| (body.page + 1).to_string());
        let mentions = body.hits.into_iter().filter_map(to_mention).collect();
        Ok(sweep.page(mentions, next, reply.rate.suggested_wait()))
    }
}

network_source!(HackerNewsSource, "hackernews");

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
        country: None,
        external_id: h.object_id,
    })
}
