//! Status sync back: polls each connector for the tickets it holds and applies remote changes
//! (an agent answering or solving there stops our SLA clocks).

use chrono::{DateTime, Utc};

use crate::helpdesk::Desk;
use crate::storage::{ExternalRow, Store, StoreResult};

/// Tickets synced per connector and pass.
const BATCH: i64 = 200;

/// What one sync pass changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub checked: usize,
    pub status_changed: usize,
    pub errors: usize,
    /// Tickets that became solved.
    pub solved: Vec<i64>,
}

pub async fn sync_once<S: Store>(
    desk: &Desk,
    store: &S,
    now: DateTime<Utc>,
) -> StoreResult<SyncReport> {
    let dispatch = &desk.dispatch;
    let mut report = SyncReport::default();
    for name in dispatch.names() {
        let Some(connector) = dispatch.connector(name) else {
            continue;
        };
        for row in store.externals_to_sync(name, BATCH).await? {
            report.checked += 1;
            let state = match connector.state(&row.external_id).await {
                Ok(Some(s)) => s,
                Ok(None) => continue,
                Err(e) => {
                    tracing::warn!(connector = name, ticket = row.ticket_id, error = %e, "status sync failed");
                    report.errors += 1;
                    continue;
                }
            };
            if let Some(at) = state.first_response_at {
                store.mark_first_response(row.ticket_id, at).await?;
            }
            let Some(ticket) = store.ticket(row.ticket_id).await? else {
                continue;
            };
            if ticket.status != state.status && ticket.status.can_move_to(state.status) {
                desk.set_status(store, &ticket, state.status, now).await?;
                // An agent moving the ticket on in the helpdesk has answered it.
                if state.status != crate::domain::TicketStatus::New {
                    store.mark_first_response(row.ticket_id, now).await?;
                }
                report.status_changed += 1;
                if state.status == crate::domain::TicketStatus::Solved {
                    report.solved.push(row.ticket_id);
                }
            }
            store
                .set_ticket_external(&ExternalRow {
                    remote_status: Some(state.raw),
                    synced_at: now,
                    ..row
                })
                .await?;
        }
    }
    Ok(report)
}
