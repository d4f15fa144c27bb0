//! Generic push webhook: `POST /hooks/generic/{feed}` with the raw JSON body signed as
//! `X-Vigia-Signature: sha256=<hex HMAC-SHA256(secret, body)>` (secret from the feed's
//! `secret_env`). The signature is checked in constant time on the raw bytes before anything is
//! parsed; a bad or missing one stores nothing. Body (documented in the README):
//! `{"mentions":[{"id","created_at","text","author":{"handle","name"?,"followers"?},
//! "url"?,"lang"?,"likes"?,"reposts"?,"replies"?,"reply_to"?,"thread_id"?,"is_repost"?}]}`.
//! The feed's scheduled fetch returns nothing: mentions only arrive by push.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{Source, SourceError, bad_body};
use crate::domain::{Author, Cursor, FeedQuery, Mention, Page};

/// Header carrying the signature.
pub const SIGNATURE_HEADER: &str = "x-vigia-signature";

/// The scheduled side of a push feed (`webhook` or `meta`): nothing to pull.
pub struct WebhookSource(pub &'static str);

#[async_trait]
impl Source for WebhookSource {
    fn kind(&self) -> &'static str {
        self.0
    }

    async fn fetch(&self, _q: &FeedQuery, _cursor: Option<&Cursor>) -> Result<Page, SourceError> {
        Ok(Page::default())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    mentions: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    id: String,
    created_at: DateTime<Utc>,
    text: String,
    author: ItemAuthor,
    url: Option<String>,
    lang: Option<String>,
    #[serde(default)]
    likes: i64,
    #[serde(default)]
    reposts: i64,
    #[serde(default)]
    replies: i64,
    reply_to: Option<String>,
    thread_id: Option<String>,
    #[serde(default)]
    is_repost: bool,
    country: Option<String>,
}

#[derive(Deserialize)]
struct ItemAuthor {
    handle: String,
    name: Option<String>,
    followers: Option<i64>,
}

/// Parses a (verified) body; `source` is the feed name the mentions are stored under.
pub fn parse_body(source: &str, body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    let body: Body = serde_json::from_slice(body).map_err(bad_body)?;
    let mut out = Vec::new();
    for i in body.mentions {
        let handle = i.author.handle.trim().trim_start_matches('@').to_owned();
        if i.id.trim().is_empty() || handle.is_empty() {
            return Err(bad_body("id and author.handle must not be empty"));
        }
        out.push(Mention {
            source: source.to_owned(),
            external_id: i.id,
            created_at: i.created_at,
            text: Mention::cap_text(&i.text),
            author: Author {
                handle,
                name: i.author.name,
                followers: i.author.followers,
            },
            url: i.url,
            lang_hint: i.lang,
            likes: i.likes,
            reposts: i.reposts,
            replies: i.replies,
            reply_to: i.reply_to,
            thread_id: i.thread_id,
            is_repost: i.is_repost,
            country: i.country.map(|c| c.trim().to_lowercase()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn thread_fields_are_read() {
        let body = br#"{"mentions":[{"id":"1","created_at":"2026-03-02T11:00:00Z","text":"t",
            "author":{"handle":"@a"},"reply_to":"0","thread_id":"root","is_repost":true}]}"#;
        let m = &super::parse_body("webhook:shop", body).unwrap()[0];
        assert_eq!(
            (m.reply_to.as_deref(), m.thread_id.as_deref()),
            (Some("0"), Some("root"))
        );
        assert!(m.is_repost && m.author.handle == "a");
    }
}
