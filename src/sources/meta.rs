//! Meta push webhooks (`POST /hooks/meta`) for WhatsApp, Facebook Pages and Instagram. The body
//! is verified with `X-Hub-Signature-256` (HMAC-SHA256 of the raw bytes under the app secret, in
//! constant time) before it is parsed. `GET /hooks/meta` answers the `hub.challenge` handshake.
//!
//! Changes that become mentions:
//! - WhatsApp `messages`: inbound text messages, and media with a caption, as direct-channel
//!   mentions (`source = "whatsapp"`); `reply_to` is the message quoted (`context.id`).
//! - Page `feed` (`item` = `post`/`status`/`photo`/`video`/`share`/`comment`, `verb` = `add` or
//!   `edited`, with a `message`): `source = "facebook"`; a comment replies to its `parent_id`
//!   (the post, or the comment it answers) and belongs to the thread of its `post_id`.
//! - Page `mention` when it carries a `message`.
//! - Instagram `comments` / `live_comments` (`id`, `text`, `from.username`, `media.id`,
//!   `parent_id`; the time is the entry's): `source = "instagram"`, thread = the media.
//!
//! Reactions, removals and hidden items are not mentions. Instagram `mentions` and page
//! `mention` changes without text carry only ids (their text needs a Graph API call with a page
//! token, not built): they are logged and skipped.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{SourceError, bad_body};
use crate::domain::Mention;

/// Header carrying Meta's signature.
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    /// When Meta sent the notification (epoch seconds).
    time: Option<i64>,
    #[serde(default)]
    changes: Vec<Change>,
}

#[derive(Deserialize)]
struct Change {
    field: String,
    value: serde_json::Value,
}

/// Parses a webhook body into mentions; see the module docs for what counts.
pub fn parse_body(body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    let body: Body = serde_json::from_slice(body).map_err(bad_body)?;
    let mut out = Vec::new();
    for entry in body.entry {
        let sent = entry.time.and_then(|t| DateTime::from_timestamp(t, 0));
        for change in entry.changes {
            let found = match change.field.as_str() {
                "messages" => super::meta_whatsapp::messages(change.value),
                "feed" | "mention" => page_item(&change.value).into_iter().collect(),
                "comments" | "live_comments" => {
                    ig_comment(&change.value, sent).into_iter().collect()
                }
                _ => Vec::new(),
            };
            if found.is_empty() {
                tracing::info!(field = %change.field, "meta webhook change without text skipped");
            }
            out.extend(found);
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
struct PageItem {
    item: Option<String>,
    verb: Option<String>,
    post_id: Option<String>,
    comment_id: Option<String>,
    parent_id: Option<String>,
    message: Option<String>,
    created_time: Option<serde_json::Value>,
    from: Option<PageUser>,
    sender_id: Option<String>,
    sender_name: Option<String>,
    post: Option<PagePost>,
}

#[derive(Deserialize)]
struct PageUser {
    id: String,
    name: Option<String>,
}

#[derive(Deserialize)]
struct PagePost {
    permalink_url: Option<String>,
}

const PAGE_ITEMS: &[&str] = &["post", "status", "photo", "video", "share", "comment"];

/// A page post or comment (`feed`), or a page `mention` that carries its text.
fn page_item(value: &serde_json::Value) -> Option<Mention> {
    let v: PageItem = serde_json::from_value(value.clone()).ok()?;
    let item = v.item.as_deref().unwrap_or("post");
    let verb = v.verb.as_deref().unwrap_or("add");
    if !PAGE_ITEMS.contains(&item) || !matches!(verb, "add" | "edited") {
        return None;
    }
    let text = v.message.filter(|m| !m.trim().is_empty())?;
    let is_comment = item == "comment";
    let id = if is_comment {
        v.comment_id.clone()
    } else {
        v.post_id.clone()
    }?;
    let (handle, name) = match (v.from, v.sender_id) {
        (Some(from), _) => (from.id, from.name),
        (None, Some(sender)) => (sender, v.sender_name),
        (None, None) => return None,
    };
    let url = v.post.and_then(|p| p.permalink_url).or_else(|| {
        Some(format!(
            "https://www.facebook.com/{}",
            v.post_id.as_deref()?
        ))
    });
    let at = created_time(v.created_time.as_ref())?;
    let mut m = Mention::new("facebook", &id, at, &Mention::cap_text(&text), &handle);
    m.author.name = name;
    m.url = url;
    m.reply_to = v.parent_id.filter(|_| is_comment);
    m.thread_id = v.post_id;
    m.is_repost = item == "share";
    Some(m)
}

/// `created_time` is epoch seconds in page webhooks (an ISO string in some older payloads).
fn created_time(v: Option<&serde_json::Value>) -> Option<DateTime<Utc>> {
    match v? {
        serde_json::Value::Number(n) => DateTime::from_timestamp(n.as_i64()?, 0),
        serde_json::Value::String(s) => s.parse::<DateTime<Utc>>().ok().or_else(|| {
            DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z")
                .ok()?
                .to_utc()
                .into()
        }),
        _ => None,
    }
}

#[derive(Deserialize)]
struct IgComment {
    id: String,
    text: Option<String>,
    from: Option<IgUser>,
    media: Option<IgMedia>,
    parent_id: Option<String>,
}

#[derive(Deserialize)]
struct IgUser {
    id: Option<String>,
    username: Option<String>,
}

#[derive(Deserialize)]
struct IgMedia {
    id: String,
}

/// An Instagram comment on the account's media; `sent` is the entry's time.
fn ig_comment(value: &serde_json::Value, sent: Option<DateTime<Utc>>) -> Option<Mention> {
    let c: IgComment = serde_json::from_value(value.clone()).ok()?;
    let text = c.text.filter(|t| !t.trim().is_empty())?;
    let from = c.from?;
    let handle = from.username.or(from.id)?;
    let mut m = Mention::new(
        "instagram",
        &c.id,
        sent?,
        &Mention::cap_text(&text),
        &handle,
    );
    m.thread_id = c.media.map(|md| md.id);
    m.reply_to = c.parent_id.or_else(|| m.thread_id.clone());
    Some(m)
}

#[cfg(test)]
mod tests {
    use super::parse_body;

    #[test]
    fn comments_carry_their_parent_and_thread() {
        let body = serde_json::json!({"object": "page", "entry": [{"id": "1", "time": 1772449200,
            "changes": [{"field": "feed", "value": {"from": {"id": "3511", "name": "Marta"},
                "message": "a mí también", "post_id": "1_9001", "comment_id": "9001_78",
                "created_time": 1772449150, "item": "comment", "parent_id": "9001_77",
                "verb": "edited"}},
                {"field": "feed", "value": {"from": {"id": "3"}, "post_id": "1_9002",
                "item": "share", "verb": "add", "created_time": 1772449150,
                "message": "mirad esto"}},
                {"field": "feed", "value": {"item": "comment", "verb": "remove",
                "comment_id": "9001_79", "post_id": "1_9001", "created_time": 1772449150}}]},
            {"id": "17841400000000000", "time": 1772449300, "changes": [{"field": "comments",
                "value": {"from": {"id": "2323", "username": "luz_mtz"}, "media": {"id": "180"},
                "id": "178", "parent_id": "177", "text": "¿y mi reembolso?"}}]}]});
        let got = parse_body(body.to_string().as_bytes()).unwrap();
        assert_eq!(got.len(), 3);
        let c = &got[0];
        assert_eq!(
            (c.source.as_str(), c.external_id.as_str()),
            ("facebook", "9001_78")
        );
        assert_eq!(
            (c.author.handle.as_str(), c.author.name.as_deref()),
            ("3511", Some("Marta"))
        );
        assert_eq!(c.reply_to.as_deref(), Some("9001_77"));
        assert_eq!(c.thread_id.as_deref(), Some("1_9001"));
        assert_eq!(c.created_at.timestamp(), 1772449150);
        assert!(got[1].is_repost && got[1].reply_to.is_none());
        let ig = &got[2];
        assert_eq!(
            (ig.source.as_str(), ig.author.handle.as_str()),
            ("instagram", "luz_mtz")
        );
        assert_eq!(
            (ig.reply_to.as_deref(), ig.thread_id.as_deref()),
            (Some("177"), Some("180"))
        );
        assert_eq!(ig.created_at.timestamp(), 1772449300);
    }
}
