//! Notifications: messages are rendered from templates in `alerts/templates/` when an event
//! happens, queued in the transactional outbox in the same database transaction as the event,
//! and delivered later by the outbox worker through the notifier registered for the row's
//! channel ([`channels::Channels`]: email, Slack, Teams, webhook, and the helpdesk's).

pub mod alerts;
pub mod channels;
pub mod digest;
pub mod email;
pub mod outbox;
pub mod routing;
pub mod templates;
pub mod webhooks;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Severity, Trigger};

/// A message ready to deliver: rendered text plus where it goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rendered {
    /// Stable key of this message: delivery attempts of the same outbox row share it, so a
    /// receiver (or the file transport) can recognise a repeat.
    pub key: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

/// What a successful delivery reports (e.g. the file written or the SMTP server's answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub detail: String,
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// Worth retrying later: the server is down, a timeout, a 4xx SMTP reply.
    #[error("temporary delivery failure: {0}")]
    Temporary(String),
    /// The receiver said to wait (429/503 with `Retry-After`): retry after that many seconds.
    #[error("rate limited ({retry_after_secs}s): {error}")]
    RateLimited {
        error: String,
        retry_after_secs: i64,
    },
    /// Retrying cannot help: bad address, message rejected permanently.
    #[error("permanent delivery failure: {0}")]
    Permanent(String),
    /// A template is missing or does not render.
    #[error("template error: {0}")]
    Template(String),
    /// The notifier's configuration is wrong (bad sender address, missing secret...).
    #[error("configuration error: {0}")]
    Config(String),
}

#[async_trait]
pub trait Notifier: Send + Sync {
    async fn send(&self, msg: &Rendered) -> Result<Delivery, NotifyError>;
}

/// Everything an "incident opened" alert shows. Mention texts are hostile input: HTML
/// templates autoescape them.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentAlert {
    /// The brand's display name.
    pub brand: String,
    pub incident_id: i64,
    pub trigger: Trigger,
    /// Severity now (after a raise, the new one).
    pub severity: Severity,
    /// `opened` or `raised`.
    pub news: String,
    /// When it opened or (for a raise) when it was raised; event time.
    pub opened_at: DateTime<Utc>,
    /// Link to the incident in Vigía's API or dashboard, when a public URL is configured.
    pub link: Option<String>,
    /// A few mentions that explain the incident, newest last.
    pub mentions: Vec<AlertMention>,
    /// For an `auto_closed` incident: the incident of the new crisis that closed it (none when
    /// it closed after its quiet time).
    pub superseded_by: Option<i64>,
    /// For a newly opened incident: the brand's other active incidents, of another story, that
    /// it opened beside; for an escalation, the brand's other active incidents now (empty when
    /// it is the brand's only one).
    pub beside: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlertMention {
    pub source: String,
    pub author: String,
    pub text: String,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sentiment: f64,
    pub categories: Vec<String>,
}

/// Everything a "feed is silent" notice for admins shows.
#[derive(Debug, Clone, Serialize)]
pub struct FeedSilentAlert {
    pub feed: String,
    pub brand: String,
    pub kind: String,
    /// Since when the feed has stored nothing new.
    pub since: DateTime<Utc>,
    pub limit_minutes: u32,
    pub state: String,
    pub consecutive_failures: i64,
    pub last_error: Option<String>,
}

/// Everything a digest shows for one brand.
#[derive(Debug, Clone, Serialize)]
pub struct Digest {
    pub brand: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub mentions: i64,
    pub previous_mentions: i64,
    /// Percent, rounded.
    pub negative_pct: i64,
    pub previous_negative_pct: i64,
    pub top_complaints: Vec<(String, i64)>,
    pub notices: Vec<Trigger>,
    pub open_incidents: Vec<DigestIncident>,
    pub open_tickets: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DigestIncident {
    pub id: i64,
    pub status: String,
    pub severity: String,
    pub kind: String,
    pub opened_at: DateTime<Utc>,
    pub mentions: i64,
}
