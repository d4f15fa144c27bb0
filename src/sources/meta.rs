//! Meta push webhooks (`POST /hooks/meta`) for WhatsApp, Facebook and Instagram. The body is
//! verified with `X-Hub-Signature-256` (HMAC-SHA256 of the raw bytes under the app secret, in
//! constant time) before it is parsed. WhatsApp inbound messages become direct-channel
//! mentions (`source = "whatsapp"`): text messages, and media with a caption. Page/Instagram
//! `mention`/`feed` changes carry only ids (their text needs a Graph API call, not built yet)
//! and are skipped with a log line. `GET /hooks/meta` answers the `hub.challenge` handshake.

use chrono::DateTime;
use serde::Deserialize;

use super::{SourceError, bad_body};
use crate::domain::{Author, Mention};

/// Header carrying Meta's signature.
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    changes: Vec<Change>,
}

#[derive(Deserialize)]
struct Change {
    field: String,
    value: serde_json::Value,
}

#[derive(Deserialize)]
struct Messages {
    #[serde(default)]
    contacts: Vec<Contact>,
    #[serde(default)]
    messages: Vec<Message>,
}

#[derive(Deserialize)]
struct Contact {
    wa_id: String,
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    id: String,
    from: String,
    timestamp: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: Option<Text>,
    context: Option<Context>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct Text {
    body: String,
}

#[derive(Deserialize)]
struct Context {
    id: Option<String>,
}

/// Parses a webhook body into mentions (WhatsApp messages with text).
pub fn parse_body(body: &[u8]) -> Result<Vec<Mention>, SourceError> {
    let body: Body = serde_json::from_slice(body).map_err(bad_body)?;
    let mut out = Vec::new();
    for change in body.entry.into_iter().flat_map(|e| e.changes) {
        if change.field != "messages" {
            tracing::info!(field = %change.field, "meta webhook change without text skipped");
            continue;
        }
        let Ok(value) = serde_json::from_value::<Messages>(change.value) else {
            continue;
        };
        out.extend(
            value
                .messages
                .iter()
                .filter_map(|m| to_mention(m, &value.contacts)),
        );
    }
    Ok(out)
}

/// Text of a message: the body of a text message, or the caption of media.
fn message_text(m: &Message) -> Option<String> {
    if let Some(t) = &m.text {
        return Some(t.body.clone());
    }
    let media = m.rest.get(&m.kind)?;
    Some(media.get("caption")?.as_str()?.to_owned())
}

fn to_mention(m: &Message, contacts: &[Contact]) -> Option<Mention> {
    let text = message_text(m).filter(|t| !t.trim().is_empty())?;
    let created_at = DateTime::from_timestamp(m.timestamp.parse().ok()?, 0)?;
    let name = contacts
        .iter()
        .find(|c| c.wa_id == m.from)
        .and_then(|c| c.profile.as_ref()?.name.clone());
    Some(Mention {
        source: "whatsapp".into(),
        external_id: m.id.clone(),
        created_at,
        text: Mention::cap_text(&text),
        author: Author {
            handle: m.from.clone(),
            name,
            followers: None,
        },
        url: None,
        lang_hint: None,
        likes: 0,
        reposts: 0,
        replies: 0,
        reply_to: m.context.as_ref().and_then(|c| c.id.clone()),
        thread_id: None,
        is_repost: false,
    })
}
