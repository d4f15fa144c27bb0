//! Reddit: `GET /search?q=…&sort=new&t=all&limit=…&raw_json=1&after=<fullname>` on
//! `oauth.reddit.com` (or `/r/<sub>/search?restrict_sr=1`), with an app-only OAuth token from
//! `POST /api/v1/access_token` (`grant_type=client_credentials`, HTTP Basic with the client id
//! and secret from the environment) and Vigía's User-Agent. A token is reused until it expires;
//! a 401 drops it, and the page is asked once more with a fresh token (authentication, not a
//! retry). Listings mix posts (`t3`) and comments (`t1`). Paging follows [`Sweep`] with the
//! `after` fullname as token.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::http::{Api, Reply};
use super::query::Search;
use super::sweep::Sweep;
use super::{Deps, SourceError, bad_body, network_source};
use crate::analysis::query::Remote;
use crate::config::RedditFeedConfig;
use crate::domain::{Author, Cursor, Mention, Page};

pub struct RedditSource {
    api: Api,
    auth: Api,
    subreddit: Option<String>,
    text: String,
    client_id_env: String,
    client_secret_env: String,
    limit: u32,
    backfill_hours: u32,
    token: Mutex<Option<(String, DateTime<Utc>)>>,
    deps: Deps,
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    #[serde(default = "default_expiry")]
    expires_in: i64,
}

fn default_expiry() -> i64 {
    3600
}

#[derive(Deserialize)]
struct Listing {
    data: ListingData,
}

#[derive(Deserialize)]
struct ListingData {
    children: Vec<Thing>,
    after: Option<String>,
}

#[derive(Deserialize)]
struct Thing {
    kind: String,
    data: ThingData,
}

#[derive(Deserialize)]
struct ThingData {
    name: String,
    author: Option<String>,
    created_utc: f64,
    title: Option<String>,
    selftext: Option<String>,
    body: Option<String>,
    permalink: Option<String>,
    #[serde(default)]
    score: i64,
    num_comments: Option<i64>,
    parent_id: Option<String>,
    link_id: Option<String>,
    crosspost_parent: Option<String>,
}

impl RedditSource {
    pub fn new(c: &RedditFeedConfig, deps: Deps) -> Result<RedditSource, String> {
        let search = Search::new(c.query.as_deref(), &c.terms)?;
        let text = search.require(search.remote(Remote::Reddit))?;
        if !(1..=100).contains(&c.limit) {
            return Err("limit: must be between 1 and 100".into());
        }
        Ok(RedditSource {
            api: Api::new(&c.http, "https://oauth.reddit.com")?.with_rate(100),
            auth: Api::new(&c.auth_http, "https://www.reddit.com")?,
            subreddit: c.subreddit.clone(),
            text,
            client_id_env: c.client_id_env.clone(),
            client_secret_env: c.client_secret_env.clone(),
            limit: c.limit,
            backfill_hours: c.backfill_hours,
            token: Mutex::new(None),
            deps,
        })
    }

    async fn access_token(&self, now: DateTime<Utc>) -> Result<String, SourceError> {
        let mut token = self.token.lock().await;
        if let Some((t, _)) = token.as_ref().filter(|(_, until)| *until > now) {
            return Ok(t.clone());
        }
        let id = self.deps.secret(&self.client_id_env)?;
        let key = self.deps.secret(&self.client_secret_env)?;
        let req = self
            .auth
            .post("/api/v1/access_token")
            .basic_auth(id, Some(key))
            .form(&[("grant_type", "client_credentials")]);
        let body: TokenBody = self.auth.send(req, now).await?.json()?;
        let until = now + Duration::seconds(body.expires_in - 60);
        *token = Some((body.access_token.clone(), until));
        Ok(body.access_token)
    }

    async fn search(&self, sweep: &Sweep) -> Result<Reply, SourceError> {
        let now = self.deps.clock.now();
        let limit = self.limit.to_string();
        let mut params = vec![
            ("q", self.text.as_str()),
            ("sort", "new"),
            ("t", "all"),
            ("limit", limit.as_str()),
            ("raw_json", "1"),
        ];
        let path = match &self.subreddit {
            Some(sub) => {
                params.push(("restrict_sr", "1"));
                format!("/r/{sub}/search")
            }
            None => "/search".to_owned(),
        };
        if let Some(after) = &sweep.token {
            params.push(("after", after));
        }
        let req = |t: &str| self.api.get(&path).query(&params).bearer_auth(t);
        let token = self.access_token(now).await?;
        match self.api.send(req(&token), now).await {
            Err(SourceError::Auth(_)) => {
                *self.token.lock().await = None;
                let token = self.access_token(now).await?;
                self.api.send(req(&token), now).await
            }
            other => other,
        }
    }

    async fn fetch_page(&self, cursor: Option<&Cursor>) -> Result<Page, SourceError> {
        let sweep = Sweep::load(cursor, self.deps.clock.now(), self.backfill_hours)?;
        let reply = self.search(&sweep).await?;
        let listing: Listing = reply.json()?;
        let after = listing.data.after.clone();
        let mentions = to_mentions(listing);
        Ok(sweep.page(mentions, after, reply.rate.suggested_wait()))
    }
}

network_source!(RedditSource, "reddit");

/// Parses a Listing body (search results or any mixed t1/t3 listing).
pub fn parse_body(body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    let listing: Listing = serde_json::from_slice(body).map_err(bad_body)?;
    Ok(to_mentions(listing))
}

fn to_mentions(listing: Listing) -> Vec<Mention> {
    listing
        .data
        .children
        .into_iter()
        .filter(|t| t.kind == "t1" || t.kind == "t3")
        .filter_map(|t| to_mention(t.data))
        .collect()
}

fn to_mention(d: ThingData) -> Option<Mention> {
    let created_at = DateTime::from_timestamp(d.created_utc as i64, 0)?;
    let text = match (&d.title, &d.selftext, &d.body) {
        (_, _, Some(body)) => body.clone(),
        (Some(t), Some(s), None) if !s.is_empty() => format!("{t}\n{s}"),
        (t, _, None) => t.clone().unwrap_or_default(),
    };
    Some(Mention {
        source: "reddit".into(),
        created_at,
        text: Mention::cap_text(text.trim()),
        author: Author {
            handle: d.author.unwrap_or_else(|| "[deleted]".into()),
            name: None,
            followers: None,
        },
        url: d.permalink.map(|p| format!("https://www.reddit.com{p}")),
        lang_hint: None,
        likes: d.score,
        reposts: 0,
        replies: d.num_comments.filter(|_| d.body.is_none()).unwrap_or(0),
        reply_to: d.parent_id,
        thread_id: d.link_id,
        is_repost: d.crosspost_parent.is_some(),
        country: None,
        external_id: d.name,
    })
}
