//! Delivers `helpdesk` outbox rows: builds the external ticket from storage, and creates it in
//! the connector's helpdesk exactly once. A row that was tried before (the previous attempt may
//! have reached the helpdesk and timed out, or the process died) searches the helpdesk first.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::{ExternalTicket, Helpdesk, HelpdeskError};
use crate::storage::{ExternalRow, MentionFilter, PageRequest, Store, StoreError};

#[derive(Debug, Deserialize)]
struct Payload {
    ticket_id: i64,
    connector: String,
}

/// The connectors by name.
#[derive(Clone, Default)]
pub struct HelpdeskDispatch {
    connectors: BTreeMap<String, Arc<dyn Helpdesk>>,
}

impl std::fmt::Debug for HelpdeskDispatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.connectors.keys()).finish()
    }
}

/// How a delivery ended, for the outbox worker.
#[derive(Debug)]
pub enum Delivered {
    Created(String),
    Found(String),
    AlreadyKnown(String),
}

impl From<StoreError> for HelpdeskError {
    fn from(e: StoreError) -> Self {
        HelpdeskError::Temporary(format!("storage: {e}"))
    }
}

impl HelpdeskDispatch {
    pub fn new() -> HelpdeskDispatch {
        HelpdeskDispatch::default()
    }

    pub fn add(&mut self, name: &str, connector: Arc<dyn Helpdesk>) {
        self.connectors.insert(name.to_owned(), connector);
    }

    pub fn connector(&self, name: &str) -> Option<&Arc<dyn Helpdesk>> {
        self.connectors.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.connectors.keys().map(String::as_str)
    }

    /// Delivers one outbox row; `attempts` counts this attempt (1 = first).
    pub async fn deliver<S: Store>(
        &self,
        store: &S,
        payload: &str,
        attempts: i64,
        now: DateTime<Utc>,
    ) -> Result<Delivered, HelpdeskError> {
        let p: Payload = serde_json::from_str(payload)
            .map_err(|e| HelpdeskError::Permanent(format!("unreadable payload: {e}")))?;
        let connector = self
            .connectors
            .get(&p.connector)
            .ok_or_else(|| HelpdeskError::Permanent(format!("no connector '{}'", p.connector)))?;
        let known = store.ticket_external(p.ticket_id).await?;
        if let Some(row) = known.iter().find(|r| r.connector == p.connector) {
            return Ok(Delivered::AlreadyKnown(row.external_id.clone()));
        }
        let ticket = external_ticket(store, p.ticket_id).await?;
        let found = if attempts > 1 {
            connector.find(&ticket).await?
        } else {
            None
        };
        let (outcome, remote) = match found {
            Some(r) => (Delivered::Found(r.id.clone()), r),
            None => {
                let r = connector.open(&ticket).await?;
                (Delivered::Created(r.id.clone()), r)
            }
        };
        store
            .set_ticket_external(&ExternalRow {
                ticket_id: p.ticket_id,
                connector: p.connector,
                external_id: remote.id,
                remote_status: remote.status,
                synced_at: now,
            })
            .await?;
        Ok(outcome)
    }
}

/// Everything the helpdesk gets about a ticket, read fresh at delivery time.
pub async fn external_ticket<S: Store>(
    store: &S,
    ticket_id: i64,
) -> Result<ExternalTicket, HelpdeskError> {
    let t = store
        .ticket(ticket_id)
        .await?
        .ok_or_else(|| HelpdeskError::Permanent(format!("no ticket {ticket_id}")))?;
    let customer = store.customer(t.customer_id).await?;
    let mentions = store
        .list_mentions(
            &MentionFilter {
                ids: Some(store.ticket_mention_ids(ticket_id).await?),
                ..Default::default()
            },
            &PageRequest {
                limit: 20,
                offset: 0,
            },
        )
        .await?
        .items;
    let first = mentions.iter().min_by_key(|m| m.id);
    let mut description = String::new();
    for m in mentions.iter().rev() {
        let url = m.url.as_deref().unwrap_or("");
        description.push_str(&format!(
            "@{} ({}, {}): {}\n{}\n\n",
            m.author_handle, m.source, m.created_at, m.text, url
        ));
    }
    Ok(ExternalTicket {
        ticket_id,
        external_id: format!("vigia-{ticket_id}"),
        brand: t.brand,
        subject: t.subject,
        description: description.trim_end().to_owned(),
        priority: t.priority,
        category: t.category,
        customer_id: t.customer_id,
        customer_name: customer.as_ref().and_then(|c| c.name.clone()),
        customer_email: customer.as_ref().and_then(|c| c.email.clone()),
        handle: first.map(|m| (m.source.clone(), m.author_handle.clone())),
    })
}
