//! Generic push webhook: `POST /hooks/generic/{feed}` with the raw JSON body signed as
//! `X-Vigia-Signature: sha256=<hex HMAC-SHA256(secret, body)>` (secret from the feed's
//! `secret_env`). The signature is checked in constant time on the raw bytes before anything is
//! parsed; a bad or missing one stores nothing. Body (documented in the README):
//! `{"mentions":[...]}`, each mention in the shape of [`super::recorded`] (its `source`, if
//! any, is not used: the mentions are stored under the feed's name).
//! The feed's scheduled fetch returns nothing: mentions only arrive by push.

use async_trait::async_trait;
use serde::Deserialize;

use super::recorded::Recorded;
use super::{Source, SourceError, bad_body};
use crate::domain::{Cursor, FeedQuery, Mention, Page};

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
    mentions: Vec<Recorded>,
}

/// Parses a (verified) body; `source` is the feed name the mentions are stored under.
pub fn parse_body(source: &str, body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    let body: Body = serde_json::from_slice(body).map_err(bad_body)?;
    body.mentions
        .into_iter()
        .map(|m| {
            m.into_mention(source.to_owned())
                .ok_or_else(|| bad_body("id and author.handle must not be empty"))
        })
        .collect()
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
