//! A mention in Vigía's own JSON shape, as replay files (one per line) and the generic push
//! webhook (`{"mentions":[...]}`) carry it: `{"id","source"?,"created_at","text",
//! "author":{"handle","name"?,"followers"?},"url"?,"lang"?,"likes"?,"reposts"?,"replies"?,
//! "reply_to"?,"thread_id"?,"is_repost"?,"country"?}`. A replay line names its `source`; a
//! webhook's mentions are stored under the feed's.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::domain::{Author, Mention};

#[derive(Debug, Deserialize)]
pub struct Recorded {
    id: String,
    /// The network it was recorded from (`x`, `reddit`...).
    pub source: Option<String>,
    created_at: DateTime<Utc>,
    text: String,
    author: RecordedAuthor,
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

#[derive(Debug, Deserialize)]
struct RecordedAuthor {
    handle: String,
    name: Option<String>,
    followers: Option<i64>,
}

impl Recorded {
    /// The mention, stored under `source`; `None` when its id or author's handle is empty.
    /// The text is capped ([`Mention::cap_text`]), the handle loses its `@`.
    pub fn into_mention(self, source: String) -> Option<Mention> {
        let handle = self.author.handle.trim().trim_start_matches('@');
        if self.id.trim().is_empty() || handle.is_empty() {
            return None;
        }
        Some(Mention {
            source,
            external_id: self.id,
            created_at: self.created_at,
            text: Mention::cap_text(&self.text),
            author: Author {
                handle: handle.to_owned(),
                name: self.author.name,
                followers: self.author.followers,
            },
            url: self.url,
            lang_hint: self.lang,
            likes: self.likes,
            reposts: self.reposts,
            replies: self.replies,
            reply_to: self.reply_to,
            thread_id: self.thread_id,
            is_repost: self.is_repost,
            country: self.country.map(|c| c.trim().to_lowercase()),
        })
    }
}
