//! Erasure and retention, as the application sees them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;

/// What erasing one person removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ErasureReport {
    pub customer_id: i64,
    /// Mentions whose text, author and links were erased (linked to the customer, or written
    /// from one of their identities).
    pub mentions: u64,
    pub identities: u64,
    /// Tickets whose subject (a quote of the post) was erased.
    pub tickets: u64,
    /// The customer had been erased before: nothing was done (and nothing is audited).
    pub already_erased: bool,
}

impl ErasureReport {
    /// The answer for a customer erased earlier.
    pub fn already(customer_id: i64) -> ErasureReport {
        ErasureReport {
            customer_id,
            already_erased: true,
            ..ErasureReport::default()
        }
    }
}

/// What one retention pass deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    pub mentions: u64,
    pub outbox: u64,
}

#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// Erases a customer's personal data in one transaction and keeps salted-hash tombstones
    /// of what identified them (imports skip them); `None` when there is no such customer.
    /// Erasing an erased customer changes nothing (`already_erased`).
    async fn erase_customer(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ErasureReport>>;
    /// Deletes up to `batch` mentions created before `cutoff` (with their analyses, categories
    /// and incident/ticket links); returns how many.
    async fn purge_mentions(&self, cutoff: DateTime<Utc>, batch: i64) -> StoreResult<u64>;
    /// This installation's random id (made once, by migration 0017).
    async fn install_id(&self) -> StoreResult<String>;
    /// Deletes delivered or failed outbox messages created before `cutoff`.
    async fn purge_outbox(&self, cutoff: DateTime<Utc>) -> StoreResult<u64>;
}
