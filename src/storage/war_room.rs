//! Reads for the dashboard's incident war room, and the per-brand event clock that keeps SLA
//! clocks and actions on the same time line as the mentions (live, replay and backtest alike).

use async_trait::async_trait;
use chrono::Duration;
use serde::Serialize;
use std::collections::HashMap;

use super::StoreResult;

/// One author of an incident's mentions, with their reach.
#[derive(utoipa::ToSchema, Debug, Clone, Serialize)]
pub struct AuthorReach {
    pub source: String,
    pub handle: String,
    pub name: Option<String>,
    /// Followers the network reported on the author's latest mention (`null`: unknown).
    pub followers: Option<i64>,
    /// The author's mentions in the incident, and how many of them are negative.
    pub mentions: i64,
    pub negative: i64,
    /// The customer profile linked to the author, if any.
    pub customer_id: Option<i64>,
}

#[async_trait]
pub trait WarRoomStore {
    /// How far `brand`'s event time runs behind the wall clock: the smallest
    /// `ingested_at - created_at` among its 50 newest mentions by event time (never negative;
    /// zero without mentions). Live feeds give about zero; a replay of a recorded week gives the
    /// distance to that week, so "now" on the brand's time line is `wall now - lag`.
    async fn event_lag(&self, brand: &str) -> StoreResult<Duration>;
    /// Ids of the mentions attached to an incident, newest first (at most `cap`).
    async fn incident_mention_ids(&self, incident_id: i64, cap: i64) -> StoreResult<Vec<i64>>;
    /// The authors of an incident's mentions, widest reach first.
    async fn incident_authors(&self, incident_id: i64, limit: i64)
    -> StoreResult<Vec<AuthorReach>>;
    /// The id of each incident's latest history event (owner, note, acknowledge, ...), for the
    /// incidents of `ids` that have one: it changes whenever the war room does.
    async fn incident_history_marks(&self, ids: &[i64]) -> StoreResult<HashMap<i64, i64>>;
}
