//! RSS 2.0 and Atom feeds (including Google Alerts) through `feed-rs`. The feed URL is the
//! query (Google Alerts already searched for the brand), so every entry is a mention; there
//! is no paging and no cursor: each poll reads the last entries and ingest dedupes on the
//! entry id. Real-world quirks handled: whitespace before `<?xml`, HTML in titles and
//! summaries, Google's redirect links (`https://www.google.com/url?…&url=<real>`), empty
//! authors (the linked site's host stands in), missing dates (`updated`, then none = skipped).

use async_trait::async_trait;
use std::sync::Arc;

use super::http::Api;
use super::text::html_to_text;
use super::{Source, SourceError, bad_body};
use crate::clock::Clock;
use crate::config::{HttpSourceConfig, RssFeedConfig};
use crate::domain::{Author, Cursor, FeedQuery, Mention, Page};

pub struct RssSource {
    api: Api,
    clock: Arc<dyn Clock>,
}

impl RssSource {
    pub fn new(c: &RssFeedConfig, clock: Arc<dyn Clock>) -> Result<RssSource, String> {
        let http = HttpSourceConfig {
            base_url: Some(c.url.clone()),
            ..c.http.clone()
        };
        let api = Api::new(&http, "")
            .map_err(|e| e.replace("base_url", "url"))?
            .with_rate(10);
        Ok(RssSource { api, clock })
    }
}

#[async_trait]
impl Source for RssSource {
    fn kind(&self) -> &'static str {
        "rss"
    }

    fn pacing(&self) -> Option<(String, u32)> {
        self.api.pacing()
    }

    async fn fetch(&self, _q: &FeedQuery, _cursor: Option<&Cursor>) -> Result<Page, SourceError> {
        let reply = self.api.send(self.api.get(""), self.clock.now()).await?;
        Ok(Page {
            mentions: parse_body(&reply.body)?,
            next_cursor: None,
            more: false,
            wait: reply.rate.suggested_wait(),
        })
    }
}

/// Parses an RSS or Atom document.
pub fn parse_body(body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let feed = feed_rs::parser::parse(&body[start..]).map_err(bad_body)?;
    let site = feed.title.as_ref().map(|t| clean(&t.content));
    Ok(feed
        .entries
        .into_iter()
        .filter_map(|e| to_mention(e, site.as_deref()))
        .collect())
}

fn clean(html: &str) -> String {
    html_to_text(html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Google Alerts wraps links: `https://www.google.com/url?rct=j&sa=t&url=<real>&ct=ga&…`.
fn unwrap_link(href: &str) -> String {
    let Ok(url) = reqwest::Url::parse(href) else {
        return href.to_owned();
    };
    if url.host_str().is_some_and(|h| h.ends_with("google.com")) && url.path() == "/url" {
        if let Some((_, real)) = url.query_pairs().find(|(k, _)| k == "url" || k == "q") {
            return real.into_owned();
        }
    }
    href.to_owned()
}

fn host(url: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).ok()?;
    Some(parsed.host_str()?.trim_start_matches("www.").to_owned())
}

/// Title and summary (or content), each cleaned of HTML, one per line.
fn entry_text(
    title: Option<feed_rs::model::Text>,
    summary: Option<feed_rs::model::Text>,
    content: Option<feed_rs::model::Content>,
) -> String {
    let title = title.map(|t| clean(&t.content)).unwrap_or_default();
    let body = summary
        .map(|s| s.content)
        .or_else(|| content.and_then(|c| c.body))
        .map(|b| clean(&b))
        .unwrap_or_default();
    [title, body]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn to_mention(e: feed_rs::model::Entry, site: Option<&str>) -> Option<Mention> {
    let created_at = e.published.or(e.updated)?;
    let url = e.links.first().map(|l| unwrap_link(&l.href));
    let text = entry_text(e.title, e.summary, e.content);
    let named = e
        .authors
        .into_iter()
        .filter_map(|p| p.name.map(|n| n.trim().to_owned()))
        .find(|n| !n.is_empty());
    let handle = named
        .clone()
        .or_else(|| url.as_deref().and_then(host))
        .or_else(|| site.map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());
    Some(Mention {
        source: "rss".into(),
        external_id: e.id,
        created_at,
        text: Mention::cap_text(&text),
        author: Author {
            handle,
            name: named,
            followers: None,
        },
        url,
        lang_hint: None,
        likes: 0,
        reposts: 0,
        replies: 0,
        reply_to: None,
        thread_id: None,
        is_repost: false,
        country: None,
    })
}
