use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who wrote a mention, as the network shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// Handle on the network, stored without a leading `@` (e.g. `luz_mtz`, `ana@mastodon.social`).
    pub handle: String,
    /// Display name, if the network gives one.
    pub name: Option<String>,
    /// Follower count, if known.
    pub followers: Option<i64>,
}

/// One normalized post about a brand, as produced by a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Network the post comes from (`x`, `mastodon`, `reddit`, ...). Together with
    /// `external_id` it identifies the post: replays and re-polls dedupe on the pair.
    pub source: String,
    pub external_id: String,
    pub created_at: DateTime<Utc>,
    pub text: String,
    pub author: Author,
    pub url: Option<String>,
    /// Language the network declared, if any (ISO 639-1). Analysis decides the stored language.
    pub lang_hint: Option<String>,
    pub likes: i64,
    pub reposts: i64,
    pub replies: i64,
    /// Id (on the same network) of the post this one answers, if it is a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// Id of the conversation/thread root, if the network gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<String>,
    /// A repost/boost/retweet of someone else's post.
    #[serde(default)]
    pub is_repost: bool,
    /// ISO 3166-1 alpha-2 country (lowercase) where the network places the post, if it does
    /// (X places); what `country:` in queries compares against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Mention {
    /// A post with only the required parts: no url, language hint, counts or thread.
    pub fn new(
        source: &str,
        external_id: &str,
        created_at: DateTime<Utc>,
        text: &str,
        handle: &str,
    ) -> Mention {
        Mention {
            source: source.to_owned(),
            external_id: external_id.to_owned(),
            created_at,
            text: text.to_owned(),
            author: Author {
                handle: handle.to_owned(),
                name: None,
                followers: None,
            },
            url: None,
            lang_hint: None,
            likes: 0,
            reposts: 0,
            replies: 0,
            reply_to: None,
            thread_id: None,
            is_repost: false,
            country: None,
        }
    }

    /// Largest text we keep; longer posts are cut on a character boundary.
    pub const MAX_TEXT_BYTES: usize = 16 * 1024;

    /// Cuts `text` to at most [`Self::MAX_TEXT_BYTES`] without splitting a character.
    pub fn cap_text(text: &str) -> String {
        if text.len() <= Self::MAX_TEXT_BYTES {
            return text.to_owned();
        }
        let mut end = Self::MAX_TEXT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text[..end].to_owned()
    }
}

/// A source's position in its stream, opaque to everything but the source itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cursor(pub String);

/// What a feed asks its source for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedQuery {
    pub feed: String,
    pub brand: String,
    pub terms: Vec<String>,
}

/// One page of results: the mentions, the cursor to store with them, and whether more is
/// already available (the scheduler may ask again at once).
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub mentions: Vec<Mention>,
    pub next_cursor: Option<Cursor>,
    pub more: bool,
    /// The API reported its rate-limit window exhausted: do not call it again for this long.
    pub wait: Option<std::time::Duration>,
}
