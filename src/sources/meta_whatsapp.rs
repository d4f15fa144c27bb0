//! WhatsApp Cloud API `messages` changes (inside Meta webhooks): inbound text messages, and
//! media with a caption, become direct-channel mentions (`source = "whatsapp"`).

use chrono::DateTime;
use serde::Deserialize;

use crate::domain::Mention;

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

/// The mentions in one `messages` change value (statuses and other events yield none).
pub(super) fn messages(value: serde_json::Value) -> Vec<Mention> {
    let Ok(value) = serde_json::from_value::<Messages>(value) else {
        return Vec::new();
    };
    value
        .messages
        .iter()
        .filter_map(|m| to_mention(m, &value.contacts))
        .collect()
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
    let mut mention = Mention::new(
        "whatsapp",
        &m.id,
        created_at,
        &Mention::cap_text(&text),
        &m.from,
    );
    mention.author.name = contacts
        .iter()
        .find(|c| c.wa_id == m.from)
        .and_then(|c| c.profile.as_ref()?.name.clone());
    mention.reply_to = m.context.as_ref().and_then(|c| c.id.clone());
    Some(mention)
}
