//! Chat and webhook channels: Slack incoming webhooks (Block Kit), Microsoft Teams incoming
//! webhooks (MessageCard), and a generic JSON webhook signed with HMAC-SHA256
//! (`X-Vigia-Signature: sha256=<hex>` over the exact body, as `crate::signature` writes it).
//!
//! Messages reach here through the outbox as a [`ChannelMessage`]: the rendered templates
//! (subject and plain text, Spanish or English) plus the structured event for the generic
//! webhook. The target is named by the environment variable holding its URL; URLs and secrets
//! are read once at start-up and never stored in the outbox or logged. Every request carries
//! `X-Vigia-Idempotency-Key` (the outbox key), so a receiver can drop a repeat after a retry.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Delivery, NotifyError, Rendered};
use crate::config::ChannelKind;
use crate::config::RecipientConfig;
use crate::secrets::Secrets;

/// Slack rejects section texts longer than 3000 characters.
const SLACK_TEXT_MAX: usize = 2900;
const TIMEOUT_SECS: u64 = 10;

/// What the outbox holds for a chat or webhook message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelMessage {
    /// Environment variable naming the target (its URL).
    pub target: String,
    pub rendered: Rendered,
    /// Structured event for the generic webhook (`event`, `incident`, `mentions`...).
    pub event: Value,
}

struct Target {
    url: String,
    secret: Option<String>,
}

pub struct WebhookSender {
    client: reqwest::Client,
    targets: BTreeMap<String, Target>,
}

impl WebhookSender {
    /// Reads the URL (and signing secret) of every chat/webhook recipient from `secrets`.
    /// An error names the recipient's index and key.
    pub fn from_recipients(
        recipients: &[RecipientConfig],
        secrets: &dyn Secrets,
    ) -> Result<WebhookSender, (usize, &'static str, String)> {
        let mut targets = BTreeMap::new();
        for (i, r) in recipients.iter().enumerate() {
            if r.channel == ChannelKind::Email {
                continue;
            }
            let Some(var) = &r.url_env else { continue };
            let url = secrets.get(var).ok_or_else(|| {
                (
                    i,
                    "url_env",
                    format!("environment variable {var} is not set"),
                )
            })?;
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err((i, "url_env", format!("{var} is not an http(s) URL")));
            }
            let secret = r
                .secret_env
                .as_ref()
                .map(|s| {
                    secrets.get(s).ok_or_else(|| {
                        (
                            i,
                            "secret_env",
                            format!("environment variable {s} is not set"),
                        )
                    })
                })
                .transpose()?;
            targets.insert(var.clone(), Target { url, secret });
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(TIMEOUT_SECS))
            .build()
            .map_err(|e| (0, "url_env", format!("HTTP client: {e}")))?;
        Ok(WebhookSender { client, targets })
    }

    pub async fn send(
        &self,
        channel: ChannelKind,
        msg: &ChannelMessage,
    ) -> Result<Delivery, NotifyError> {
        let target = self.targets.get(&msg.target).ok_or_else(|| {
            NotifyError::Permanent(format!("no webhook target named {}", msg.target))
        })?;
        let body = match channel {
            ChannelKind::Slack => slack_body(&msg.rendered),
            ChannelKind::Teams => teams_body(&msg.rendered),
            ChannelKind::Webhook => webhook_body(msg),
            ChannelKind::Email => {
                return Err(NotifyError::Permanent("email is not a webhook".into()));
            }
        };
        let bytes = serde_json::to_vec(&body).map_err(|e| NotifyError::Permanent(e.to_string()))?;
        let mut req = self
            .client
            .post(&target.url)
            .header("content-type", "application/json")
            .header("x-vigia-idempotency-key", &msg.rendered.key);
        if channel == ChannelKind::Webhook {
            let secret = target.secret.as_deref().ok_or_else(|| {
                NotifyError::Config(format!("no secret for webhook {}", msg.target))
            })?;
            req = req.header(
                "x-vigia-signature",
                crate::signature::sign(secret.as_bytes(), &bytes),
            );
        }
        let res = req.body(bytes).send().await.map_err(|e| {
            // Connection refused, timeout: the receiver may be back later.
            NotifyError::Temporary(format!("{}: {}", msg.target, e.without_url()))
        })?;
        let status = res.status();
        match status.as_u16() {
            200..=299 => Ok(Delivery {
                detail: format!("{} {}", channel.as_str(), status),
            }),
            408 | 429 | 500..=599 => Err(NotifyError::Temporary(format!(
                "{}: HTTP {status}",
                msg.target
            ))),
            _ => Err(NotifyError::Permanent(format!(
                "{}: HTTP {status}",
                msg.target
            ))),
        }
    }
}

/// Slack mrkdwn: `&`, `<` and `>` must be escaped, the rest is literal.
pub fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Teams MessageCard text is Markdown with HTML: escape both.
pub fn teams_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '*' | '_' | '[' | ']' | '`' | '#' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("  \n"),
            c => out.push(c),
        }
    }
    out
}

fn slack_body(m: &Rendered) -> Value {
    let text = super::templates::truncate_chars(&m.text, SLACK_TEXT_MAX);
    json!({
        "text": m.subject,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": super::templates::truncate_chars(&m.subject, 150), "emoji": true}},
            {"type": "section", "text": {"type": "mrkdwn", "text": slack_escape(&text)}}
        ]
    })
}

fn teams_body(m: &Rendered) -> Value {
    json!({
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": m.subject,
        "themeColor": "B91C1C",
        "title": teams_escape(&m.subject),
        "text": teams_escape(&m.text)
    })
}

fn webhook_body(msg: &ChannelMessage) -> Value {
    let mut body = msg.event.clone();
    if let Value::Object(map) = &mut body {
        map.insert("key".into(), json!(msg.rendered.key));
        map.insert("subject".into(), json!(msg.rendered.subject));
        map.insert("text".into(), json!(msg.rendered.text));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_escaped_for_each_channel() {
        assert_eq!(
            slack_escape("<!channel> & <https://evil|x>"),
            "&lt;!channel&gt; &amp; &lt;https://evil|x&gt;"
        );
        assert_eq!(
            teams_escape("<script>[x](javascript:1)"),
            "&lt;script&gt;\\[x\\]\\(javascript:1\\)"
        );
    }
}
