//! [`HelpdeskStore`] on either back end: delegates to `contacts`, `customers`, `merges` and
//! `ticket_work`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{This, contacts, customers, db_err, merges, ticket_work};
use crate::domain::{Identity, Incident, Ticket, TicketStatus};
use crate::storage::{
    CsatSummary, ExternalRow, HelpdeskStore, MergeRecord, NewCustomer, ReplyRow, SentimentPoint,
    StoreResult,
};

#[async_trait]
impl HelpdeskStore for This {
    async fn create_customer(&self, c: &NewCustomer, now: DateTime<Utc>) -> StoreResult<i64> {
        customers::create(self.writer(), c, now).await
    }
    async fn add_identity(&self, customer_id: i64, identity: &Identity) -> StoreResult<()> {
        customers::add_identity(self.writer(), customer_id, identity).await
    }
    async fn identity_owners(&self, ids: &[Identity]) -> StoreResult<Vec<(Identity, i64)>> {
        customers::identity_owners(self.pool(), ids).await
    }
    async fn customers_by_contact(
        &self,
        emails: &[String],
        phones: &[String],
    ) -> StoreResult<Vec<(String, i64)>> {
        contacts::by_contact(self.pool(), emails, phones).await
    }
    async fn merge_customers(
        &self,
        into_id: i64,
        other_id: i64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<MergeRecord> {
        merges::merge(self.writer(), into_id, other_id, actor, now).await
    }
    async fn unmerge(
        &self,
        merge_id: i64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<MergeRecord> {
        merges::unmerge(self.writer(), merge_id, actor, now).await
    }
    async fn merge_record(&self, merge_id: i64) -> StoreResult<Option<MergeRecord>> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        merges::fetch(&mut conn, merge_id).await
    }
    async fn customer_merges(&self, customer_id: i64) -> StoreResult<Vec<MergeRecord>> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        merges::of_customer(&mut conn, customer_id).await
    }
    async fn customer_incidents(&self, customer_id: i64) -> StoreResult<Vec<Incident>> {
        customers::incidents(self.pool(), customer_id).await
    }
    async fn customer_sentiment_trend(
        &self,
        id: i64,
        brands: Option<&[String]>,
    ) -> StoreResult<Vec<SentimentPoint>> {
        customers::sentiment_trend(self.pool(), id, brands).await
    }
    async fn ticket(&self, id: i64) -> StoreResult<Option<Ticket>> {
        ticket_work::ticket(self.pool(), id).await
    }
    async fn set_ticket_status(
        &self,
        id: i64,
        status: TicketStatus,
        resolution_due: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        ticket_work::set_status(self.writer(), id, status, resolution_due, now).await
    }
    async fn assign_ticket(
        &self,
        id: i64,
        assignee: Option<&str>,
        team: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        ticket_work::assign(self.writer(), id, assignee, team, now).await
    }
    async fn add_reply(
        &self,
        ticket_id: i64,
        author: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        ticket_work::add_reply(self.writer(), ticket_id, author, body, now).await
    }
    async fn mark_first_response(&self, ticket_id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        ticket_work::mark_first_response(self.writer(), ticket_id, at).await
    }
    async fn ticket_replies(&self, ticket_id: i64) -> StoreResult<Vec<ReplyRow>> {
        ticket_work::replies(self.pool(), ticket_id).await
    }
    async fn active_tickets_with_sla(&self, limit: i64) -> StoreResult<Vec<Ticket>> {
        ticket_work::active_with_sla(self.pool(), limit).await
    }
    async fn ticket_external(&self, ticket_id: i64) -> StoreResult<Vec<ExternalRow>> {
        ticket_work::externals(self.pool(), ticket_id).await
    }
    async fn set_ticket_external(&self, row: &ExternalRow) -> StoreResult<()> {
        ticket_work::set_external(self.writer(), row).await
    }
    async fn externals_to_sync(
        &self,
        connector: &str,
        limit: i64,
    ) -> StoreResult<Vec<ExternalRow>> {
        ticket_work::externals_to_sync(self.pool(), connector, limit).await
    }
    async fn record_csat(&self, ticket_id: i64, score: u8, now: DateTime<Utc>) -> StoreResult<()> {
        ticket_work::record_csat(self.writer(), ticket_id, score, now).await
    }
    async fn csat_by_brand(&self, brands: Option<&[String]>) -> StoreResult<Vec<CsatSummary>> {
        ticket_work::csat_by_brand(self.pool(), brands).await
    }
}
