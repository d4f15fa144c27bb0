//! Bluesky: `app.bsky.feed.searchPosts` (`sort=latest`, `since`, `cursor`) on the PDS, with a
//! session from `com.atproto.server.createSession` (handle + app password from the
//! environment). When the API answers `ExpiredToken`, the session is renewed with
//! `refreshSession` (or a new `createSession`) and the same page is asked for once more: that is
//! authentication, not a retry of a failure. Follower counts come from `getProfiles`, cached.
//! Paging follows [`Sweep`]: newest page first, `cursor` back to the last stored instant.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::bluesky_auth::{Profiles, Session};
use super::http::{Api, Reply};
use super::query::Search;
use super::sweep::Sweep;
use super::{Deps, SourceError, bad_body, network_source};
use crate::analysis::query::Remote;
use crate::config::BlueskyFeedConfig;
use crate::domain::{Author, Cursor, Mention, Page};

pub struct BlueskySource {
    api: Api,
    session: Mutex<Session>,
    profiles: Profiles,
    text: String,
    lang: Option<String>,
    limit: u32,
    backfill_hours: u32,
    deps: Deps,
}

#[derive(Deserialize)]
struct SearchBody {
    posts: Vec<PostView>,
    cursor: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PostView {
    uri: String,
    author: ProfileView,
    record: Record,
    indexed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    like_count: i64,
    #[serde(default)]
    repost_count: i64,
    #[serde(default)]
    reply_count: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProfileView {
    handle: String,
    display_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    #[serde(default)]
    text: String,
    created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    langs: Vec<String>,
    reply: Option<ReplyRef>,
}

#[derive(Deserialize)]
struct ReplyRef {
    root: StrongRef,
    parent: StrongRef,
}

#[derive(Deserialize)]
struct StrongRef {
    uri: String,
}

impl BlueskySource {
    pub fn new(c: &BlueskyFeedConfig, deps: Deps) -> Result<BlueskySource, String> {
        let search = Search::new(c.query.as_deref(), &c.terms)?;
        let text = search.require(search.remote(Remote::Bluesky))?;
        if !(1..=100).contains(&c.limit) {
            return Err("limit: must be between 1 and 100".into());
        }
        let api = Api::new(&c.http, "https://bsky.social")?.with_rate(600);
        Ok(BlueskySource {
            session: Mutex::new(Session::new(
                deps.secrets.clone(),
                &c.identifier_env,
                &c.password_env,
            )),
            profiles: Profiles::default(),
            api,
            text,
            lang: c.lang.clone(),
            limit: c.limit,
            backfill_hours: c.backfill_hours,
            deps,
        })
    }

    async fn search(&self, sweep: &Sweep) -> Result<Reply, SourceError> {
        let since = sweep.since.to_rfc3339_opts(SecondsFormat::Millis, true);
        let limit = self.limit.to_string();
        let mut params = vec![
            ("q", self.text.as_str()),
            ("sort", "latest"),
            ("since", since.as_str()),
            ("limit", limit.as_str()),
        ];
        if let Some(lang) = &self.lang {
            params.push(("lang", lang));
        }
        if let Some(token) = &sweep.token {
            params.push(("cursor", token));
        }
        let mut session = self.session.lock().await;
        let now = self.deps.clock.now();
        let req = |jwt: &str| {
            self.api
                .get("/xrpc/app.bsky.feed.searchPosts")
                .query(&params)
                .bearer_auth(jwt)
        };
        let jwt = session.access(&self.api, now).await?;
        match self.api.send(req(&jwt), now).await {
            Err(SourceError::Auth(e)) if e.contains("ExpiredToken") => {
                let jwt = session.renew(&self.api, now).await?;
                self.api.send(req(&jwt), now).await
            }
            other => other,
        }
    }

    async fn fetch_page(&self, cursor: Option<&Cursor>) -> Result<Page, SourceError> {
        let sweep = Sweep::load(cursor, self.deps.clock.now(), self.backfill_hours)?;
        let reply = self.search(&sweep).await?;
        let body: SearchBody = reply.json()?;
        let mut mentions: Vec<Mention> = body.posts.into_iter().filter_map(to_mention).collect();
        let jwt = self.session.lock().await.current();
        if let Some(jwt) = jwt {
            self.profiles
                .fill(&self.api, &jwt, &mut mentions, self.deps.clock.now())
                .await;
        }
        Ok(sweep.page(mentions, body.cursor, reply.rate.suggested_wait()))
    }
}

network_source!(BlueskySource, "bluesky");

/// Parses a `searchPosts` body.
pub fn parse_body(body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    let body: SearchBody = serde_json::from_slice(body).map_err(bad_body)?;
    Ok(body.posts.into_iter().filter_map(to_mention).collect())
}

/// `at://did/app.bsky.feed.post/rkey` → `https://bsky.app/profile/handle/post/rkey`.
fn permalink(uri: &str, handle: &str) -> Option<String> {
    let rkey = uri.rsplit_once("/app.bsky.feed.post/")?.1;
    Some(format!("https://bsky.app/profile/{handle}/post/{rkey}"))
}

fn to_mention(p: PostView) -> Option<Mention> {
    let created_at = p.record.created_at.or(p.indexed_at)?;
    let reply = p.record.reply;
    Some(Mention {
        source: "bluesky".into(),
        url: permalink(&p.uri, &p.author.handle),
        created_at,
        text: Mention::cap_text(&p.record.text),
        author: Author {
            handle: p.author.handle.trim_start_matches('@').to_owned(),
            name: p.author.display_name.filter(|n| !n.is_empty()),
            followers: None,
        },
        lang_hint: p.record.langs.into_iter().next(),
        likes: p.like_count,
        reposts: p.repost_count,
        replies: p.reply_count,
        reply_to: reply.as_ref().map(|r| r.parent.uri.clone()),
        thread_id: reply.map(|r| r.root.uri),
        is_repost: false,
        country: None,
        external_id: p.uri,
    })
}
