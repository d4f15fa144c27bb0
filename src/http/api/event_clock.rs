//! "Now" on a brand's event time line. Mentions keep the time they were posted; a replay of a
//! recorded week stores them months after that. SLA clocks, ticket work and incident actions use
//! the brand's event time so that due times, replies and acknowledgements compare with the
//! mentions they belong to: wall clock minus the brand's event lag (about zero for live feeds).

use chrono::{DateTime, Utc};

use crate::http::{ApiError, ApiState};
use crate::storage::Store;

/// The current time on `brand`'s event time line.
pub(super) async fn brand_now<S: Store>(
    state: &ApiState<S>,
    brand: &str,
) -> Result<DateTime<Utc>, ApiError> {
    let lag = state.store.event_lag(brand).await?;
    Ok(state.clock.now() - lag)
}

/// The ticket's SLA clock as the helpdesk computes it at `now`, with that `now` included so a
/// client counts down against the same time line instead of its own wall clock.
pub(super) fn sla_at<S: Store>(
    state: &ApiState<S>,
    ticket: &crate::storage::Ticket,
    now: DateTime<Utc>,
) -> serde_json::Value {
    let mut sla = state.desk.sla_state(ticket, now);
    if let Some(obj) = sla.as_object_mut() {
        obj.insert("now".into(), serde_json::json!(now));
    }
    sla
}
