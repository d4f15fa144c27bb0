//! The outbox's channels: a map from channel name (`email`, `slack`, `teams`, `webhook`,
//! `helpdesk`, …) to the [`ChannelNotifier`] that delivers its rows, built once at start by the
//! application. The outbox knows no channel by name; a layer above this one (the helpdesk, for
//! `helpdesk` rows) plugs its own notifier in without `notify` importing it.

use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::webhooks::{ChannelMessage, WebhookSender};
use super::{Delivery, Notifier, NotifyError, Rendered};
use crate::config::ChannelKind;
use crate::storage::OutboxRow;

/// Delivers one outbox row of its channel (the row's payload is that channel's JSON).
#[async_trait]
pub trait ChannelNotifier: Send + Sync {
    async fn deliver(&self, row: &OutboxRow) -> Result<Delivery, NotifyError>;
}

/// Channel name → notifier.
#[derive(Clone, Default)]
pub struct Channels {
    by_name: BTreeMap<String, Arc<dyn ChannelNotifier>>,
}

impl std::fmt::Debug for Channels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.by_name.keys()).finish()
    }
}

impl Channels {
    pub fn new() -> Channels {
        Channels::default()
    }

    /// The standard channels: `email` through `email`, and the three chat/webhook channels
    /// through `webhooks`.
    pub fn standard(email: Arc<dyn Notifier>, webhooks: Arc<WebhookSender>) -> Channels {
        let mut channels = Channels::new();
        channels.register(ChannelKind::Email.as_str(), Arc::new(EmailChannel(email)));
        for kind in [ChannelKind::Slack, ChannelKind::Teams, ChannelKind::Webhook] {
            let sender = webhooks.clone();
            channels.register(kind.as_str(), Arc::new(WebhookChannel { sender, kind }));
        }
        channels
    }

    /// Rows of `channel` go to `notifier` from now on (replacing any earlier one).
    pub fn register(&mut self, channel: &str, notifier: Arc<dyn ChannelNotifier>) {
        self.by_name.insert(channel.to_owned(), notifier);
    }

    /// Delivers `row` through its channel's notifier; a channel nobody registered is a
    /// permanent failure (retrying cannot make a notifier appear).
    pub async fn deliver(&self, row: &OutboxRow) -> Result<Delivery, NotifyError> {
        match self.by_name.get(&row.channel) {
            Some(notifier) => notifier.deliver(row).await,
            None => Err(NotifyError::Permanent(format!(
                "unknown channel '{}' (no notifier registered for it)",
                row.channel
            ))),
        }
    }
}

/// A payload that does not parse fails for good: a retry would read the same bytes.
fn unreadable(e: serde_json::Error) -> NotifyError {
    NotifyError::Permanent(format!("unreadable payload: {e}"))
}

/// `email` rows: a [`Rendered`] message for a [`Notifier`] (SMTP or the file outbox).
struct EmailChannel(Arc<dyn Notifier>);

#[async_trait]
impl ChannelNotifier for EmailChannel {
    async fn deliver(&self, row: &OutboxRow) -> Result<Delivery, NotifyError> {
        let msg: Rendered = serde_json::from_str(&row.payload).map_err(unreadable)?;
        self.0.send(&msg).await
    }
}

/// `slack`, `teams` and `webhook` rows: a [`ChannelMessage`] posted to the recipient's URL.
struct WebhookChannel {
    sender: Arc<WebhookSender>,
    kind: ChannelKind,
}

#[async_trait]
impl ChannelNotifier for WebhookChannel {
    async fn deliver(&self, row: &OutboxRow) -> Result<Delivery, NotifyError> {
        let msg: ChannelMessage = serde_json::from_str(&row.payload).map_err(unreadable)?;
        self.sender.send(self.kind, &msg).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct Recorder(Mutex<Vec<String>>);

    #[async_trait]
    impl ChannelNotifier for Recorder {
        async fn deliver(&self, row: &OutboxRow) -> Result<Delivery, NotifyError> {
            self.0.lock().unwrap().push(row.payload.clone());
            Ok(Delivery {
                detail: "recorded".into(),
            })
        }
    }

    fn row(channel: &str) -> OutboxRow {
        OutboxRow {
            id: 1,
            key: "k".into(),
            channel: channel.into(),
            payload: "{}".into(),
            attempts: 1,
            token: 1,
        }
    }

    #[tokio::test]
    async fn rows_go_to_their_channel_and_unknown_channels_fail_for_good() {
        let recorder = Arc::new(Recorder(Mutex::new(Vec::new())));
        let mut channels = Channels::new();
        channels.register("pager", recorder.clone());
        let d = channels.deliver(&row("pager")).await.unwrap();
        assert_eq!(d.detail, "recorded");
        assert_eq!(recorder.0.lock().unwrap().len(), 1);
        match channels.deliver(&row("fax")).await {
            Err(NotifyError::Permanent(e)) => assert!(e.contains("'fax'"), "{e}"),
            other => panic!("expected a permanent failure, got {other:?}"),
        }
    }
}
