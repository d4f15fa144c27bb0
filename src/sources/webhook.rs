//! Generic push webhook: `POST /hooks/generic/{feed}` with the raw JSON body signed as
//! `X-Vigia-Signature: sha256=<hex HMAC-SHA256(secret, body)>` (secret from the feed's
//! `secret_env`). The signature is checked in constant time on the raw bytes before anything is
//! parsed; a bad or missing one stores nothing. Body (documented in the README):
//! `{"mentions":[{"id","created_at","text","author":{"handle","name"?,"followers"?},
//! "url"?,"lang"?,"likes"?,"reposts"?,"replies"?,"reply_to"?}]}`. The feed's scheduled fetch
//! returns nothing: mentions only arrive by push.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

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

/// Checks `sha256=<hex>` against the HMAC-SHA256 of `body` under `secret`, in constant time.
pub fn verify_signature(secret: &[u8], body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_sig) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else {
        return false;
    };
    let Ok(sig) = hex::decode(hex_sig) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
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
            thread_id: None,
            is_repost: false,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_checked_on_the_raw_bytes() {
        let body = br#"{"a":1}"#;
        let mut mac = Hmac::<Sha256>::new_from_slice(b"s3cret").unwrap();
        mac.update(body);
        let good = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        assert!(verify_signature(b"s3cret", body, Some(&good)));
        assert!(!verify_signature(b"other", body, Some(&good)));
        assert!(!verify_signature(b"s3cret", br#"{"a":2}"#, Some(&good)));
        assert!(!verify_signature(b"s3cret", body, None));
        assert!(!verify_signature(b"s3cret", body, Some("sha256=zz")));
    }
}
