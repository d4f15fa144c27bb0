//! Bluesky session handling (`createSession` / `refreshSession`) and the follower-count cache
//! fed by `app.bsky.actor.getProfiles`. Secrets are read from the feed's secrets provider when
//! needed and never logged.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::Secrets;
use super::SourceError;
use super::http::Api;
use super::secrets::require;
use crate::domain::Mention;

/// How long a cached follower count is trusted.
const PROFILE_TTL_HOURS: i64 = 24;
/// `getProfiles` takes at most 25 actors per call.
const PROFILES_PER_CALL: usize = 25;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionBody {
    access_jwt: String,
    refresh_jwt: String,
}

pub struct Session {
    secrets: Arc<dyn Secrets>,
    identifier_env: String,
    password_env: String,
    tokens: Option<SessionBody>,
}

impl Session {
    pub fn new(secrets: Arc<dyn Secrets>, identifier_env: &str, password_env: &str) -> Session {
        Session {
            secrets,
            identifier_env: identifier_env.to_owned(),
            password_env: password_env.to_owned(),
            tokens: None,
        }
    }

    pub fn current(&self) -> Option<String> {
        self.tokens.as_ref().map(|t| t.access_jwt.clone())
    }

    /// The access token, creating a session first if there is none.
    pub async fn access(&mut self, api: &Api, now: DateTime<Utc>) -> Result<String, SourceError> {
        if self.tokens.is_none() {
            self.create(api, now).await?;
        }
        Ok(self.current().unwrap_or_default())
    }

    /// After `ExpiredToken`: refresh the session, or create a new one if the refresh is refused.
    pub async fn renew(&mut self, api: &Api, now: DateTime<Utc>) -> Result<String, SourceError> {
        let refresh = self.tokens.take().map(|t| t.refresh_jwt);
        if let Some(refresh) = refresh {
            let req = api
                .post("/xrpc/com.atproto.server.refreshSession")
                .bearer_auth(refresh);
            match api.send(req, now).await {
                Ok(reply) => self.tokens = Some(reply.json()?),
                Err(SourceError::Auth(_)) => self.create(api, now).await?,
                Err(e) => return Err(e),
            }
        } else {
            self.create(api, now).await?;
        }
        Ok(self.current().unwrap_or_default())
    }

    async fn create(&mut self, api: &Api, now: DateTime<Utc>) -> Result<(), SourceError> {
        let body = serde_json::json!({
            "identifier": require(self.secrets.as_ref(), &self.identifier_env)?,
            "password": require(self.secrets.as_ref(), &self.password_env)?,
        });
        let req = api
            .post("/xrpc/com.atproto.server.createSession")
            .json(&body);
        let reply = api.send(req, now).await?;
        self.tokens = Some(reply.json()?);
        Ok(())
    }
}

#[derive(Deserialize)]
struct ProfilesBody {
    profiles: Vec<Profile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    handle: String,
    followers_count: Option<i64>,
}

/// Follower counts by handle, refreshed after a day.
#[derive(Default)]
pub struct Profiles(Mutex<HashMap<String, Cached>>);

/// A follower count (if the profile has one) and when it was fetched.
type Cached = (Option<i64>, DateTime<Utc>);

impl Profiles {
    /// Sets `followers` on each mention, calling `getProfiles` for handles not cached. A
    /// failure leaves the counts unknown: it never fails the page.
    pub async fn fill(&self, api: &Api, jwt: &str, mentions: &mut [Mention], now: DateTime<Utc>) {
        let missing = self.missing(mentions, now);
        for chunk in missing.chunks(PROFILES_PER_CALL) {
            let actors: Vec<(&str, &str)> = chunk.iter().map(|h| ("actors", h.as_str())).collect();
            let req = api
                .get("/xrpc/app.bsky.actor.getProfiles")
                .query(&actors)
                .bearer_auth(jwt);
            match api
                .send(req, now)
                .await
                .and_then(|r| r.json::<ProfilesBody>())
            {
                Ok(body) => self.store(body, now),
                Err(e) => {
                    tracing::warn!(error = %e, "bluesky getProfiles failed; follower counts unknown");
                    break;
                }
            }
        }
        let cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        for m in mentions {
            m.author.followers = cache.get(&m.author.handle).and_then(|(f, _)| *f);
        }
    }

    fn missing(&self, mentions: &[Mention], now: DateTime<Utc>) -> Vec<String> {
        let cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = |h: &String| {
            cache
                .get(h)
                .is_some_and(|(_, at)| now - *at < Duration::hours(PROFILE_TTL_HOURS))
        };
        let mut out: Vec<String> = mentions
            .iter()
            .map(|m| m.author.handle.clone())
            .filter(|h| !fresh(h))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn store(&self, body: ProfilesBody, now: DateTime<Utc>) {
        let mut cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        for p in body.profiles {
            cache.insert(p.handle, (p.followers_count, now));
        }
    }
}
