//! External helpdesks: Zendesk, Freshdesk, Zammad and a signed generic webhook. Each new
//! ticket of a brand with connectors is queued in the outbox (channel `helpdesk`) and delivered
//! by [`dispatch::HelpdeskDispatch`]: idempotent (our ticket id is the external id / tag, and a
//! retry searches the helpdesk before creating), rate limits honoured (429 + `Retry-After`).
//! [`sync`] polls the helpdesks for status changes so SLA clocks stop when agents answer there.

pub mod dispatch;
mod freshdesk;
mod http;
pub mod sync;
mod webhook;
mod zammad;
mod zendesk;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;

use crate::config::{ConnectorConfig, ConnectorKind};
use crate::domain::TicketStatus;
use crate::notify::channels::ChannelNotifier;
use crate::notify::{Delivery, NotifyError};
use crate::storage::OutboxRow;

/// What an external helpdesk receives about one of our tickets.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalTicket {
    pub ticket_id: i64,
    /// `vigia-<ticket id>`: the external id / tag that makes creation idempotent.
    pub external_id: String,
    pub brand: String,
    pub subject: String,
    pub description: String,
    pub priority: String,
    pub category: String,
    pub customer_id: i64,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    /// `(network, handle)` of the author of the first mention.
    pub handle: Option<(String, String)>,
}

/// The remote ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalRef {
    pub id: String,
    pub status: Option<String>,
}

/// A remote ticket's state mapped onto our workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteState {
    pub raw: String,
    pub status: TicketStatus,
    pub first_response_at: Option<DateTime<Utc>>,
}

#[derive(Debug, thiserror::Error)]
pub enum HelpdeskError {
    #[error("rate limited; retry after {0:?}")]
    RateLimited(Duration),
    /// The request may have reached the helpdesk (a timeout): search before creating again.
    #[error("no answer in time: {0}")]
    Timeout(String),
    #[error("temporary failure: {0}")]
    Temporary(String),
    #[error("permanent failure: {0}")]
    Permanent(String),
}

#[async_trait]
pub trait Helpdesk: Send + Sync {
    /// The remote ticket created earlier for `t`, if any (search by our external id).
    async fn find(&self, t: &ExternalTicket) -> Result<Option<ExternalRef>, HelpdeskError>;
    async fn open(&self, t: &ExternalTicket) -> Result<ExternalRef, HelpdeskError>;
    /// The remote ticket's state; `None` when this connector cannot report it (webhook).
    async fn state(&self, external_id: &str) -> Result<Option<RemoteState>, HelpdeskError>;
}

/// Builds a connector; `secret` is the value of its `secret_env`; rate-limit pauses are
/// measured on `clock`.
pub fn build(
    c: &ConnectorConfig,
    secret: &str,
    clock: Arc<dyn crate::clock::Clock>,
) -> Result<Arc<dyn Helpdesk>, String> {
    let timeout = Duration::from_secs(c.timeout_secs.max(1));
    let client = http::Client::new(&c.base_url, timeout, clock)?;
    Ok(match c.kind {
        ConnectorKind::Zendesk => {
            let email = c.email.as_deref().ok_or("zendesk needs `email`")?;
            Arc::new(zendesk::Zendesk::new(client, email, secret))
        }
        ConnectorKind::Freshdesk => Arc::new(freshdesk::Freshdesk::new(client, secret)),
        ConnectorKind::Zammad => {
            let group = c.group.as_deref().ok_or("zammad needs `group`")?;
            Arc::new(zammad::Zammad::new(client, group, secret))
        }
        ConnectorKind::Webhook => Arc::new(webhook::Webhook::new(client, secret)),
    })
}

/// The outbox's notifier for `helpdesk` rows: each row is one of our tickets to create in one
/// connector's helpdesk, delivered through the [`dispatch::HelpdeskDispatch`].
pub struct HelpdeskChannel<S: crate::storage::Store> {
    pub dispatch: dispatch::HelpdeskDispatch,
    pub store: S,
    pub clock: Arc<dyn crate::clock::Clock>,
}

#[async_trait]
impl<S: crate::storage::Store> ChannelNotifier for HelpdeskChannel<S> {
    async fn deliver(&self, row: &OutboxRow) -> Result<Delivery, NotifyError> {
        let now = self.clock.now();
        match self
            .dispatch
            .deliver(&self.store, &row.payload, row.attempts, now)
            .await
        {
            Ok(d) => Ok(Delivery {
                detail: format!("{d:?}"),
            }),
            Err(HelpdeskError::RateLimited(wait)) => Err(NotifyError::RateLimited {
                error: "helpdesk rate limit".into(),
                retry_after_secs: wait.as_secs().try_into().unwrap_or(i64::MAX),
            }),
            Err(e @ (HelpdeskError::Timeout(_) | HelpdeskError::Temporary(_))) => {
                Err(NotifyError::Temporary(e.to_string()))
            }
            Err(e @ HelpdeskError::Permanent(_)) => Err(NotifyError::Permanent(e.to_string())),
        }
    }
}
