//! The sub-traits of [`Store`] on [`AnyStore`]: each call goes to the chosen back end.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::{AnyStore, dispatch};
use crate::domain::*;
use crate::storage::crisis::*;
use crate::storage::*;

#[async_trait]
impl AuthStore for AnyStore {
    async fn count_users(&self) -> StoreResult<i64> {
        dispatch!(AnyStore, self, s => AuthStore::count_users(s))
    }
    async fn create_user(&self, user: &NewUser<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
        dispatch!(AnyStore, self, s => AuthStore::create_user(s, user, now))
    }
    async fn user_by_name(&self, username: &str) -> StoreResult<Option<LoginRow>> {
        dispatch!(AnyStore, self, s => AuthStore::user_by_name(s, username))
    }
    async fn user_by_id(&self, id: i64) -> StoreResult<Option<UserRow>> {
        dispatch!(AnyStore, self, s => AuthStore::user_by_id(s, id))
    }
    async fn list_users(&self) -> StoreResult<Vec<UserRow>> {
        dispatch!(AnyStore, self, s => AuthStore::list_users(s))
    }
    async fn set_password(&self, user_id: i64, password_hash: &str) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => AuthStore::set_password(s, user_id, password_hash))
    }
    async fn set_user_lang(&self, user_id: i64, lang: &str) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => AuthStore::set_user_lang(s, user_id, lang))
    }
    async fn set_user_disabled(&self, user_id: i64, at: Option<DateTime<Utc>>) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => AuthStore::set_user_disabled(s, user_id, at))
    }
    async fn login_attempt(
        &self,
        user_id: i64,
        max_failures: i64,
        lock_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        dispatch!(AnyStore, self, s => AuthStore::login_attempt(s, user_id, max_failures, lock_until, now))
    }
    async fn login_succeeded(&self, user_id: i64) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => AuthStore::login_succeeded(s, user_id))
    }
    async fn create_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        prefix: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        dispatch!(AnyStore, self, s => AuthStore::create_token(s, user_id, name, token_hash, prefix, now))
    }
    async fn use_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<UserRow>> {
        dispatch!(AnyStore, self, s => AuthStore::use_token(s, token_hash, now))
    }
    async fn token_active(&self, token_hash: &str) -> StoreResult<bool> {
        dispatch!(AnyStore, self, s => AuthStore::token_active(s, token_hash))
    }
    async fn list_tokens(&self, user_id: Option<i64>) -> StoreResult<Vec<TokenRow>> {
        dispatch!(AnyStore, self, s => AuthStore::list_tokens(s, user_id))
    }
    async fn revoke_token(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        dispatch!(AnyStore, self, s => AuthStore::revoke_token(s, id, now))
    }
    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => AuthStore::audit(s, entry))
    }
    async fn audit_log(
        &self,
        target: Option<(&str, &str)>,
        page: &PageRequest,
    ) -> StoreResult<Listing<AuditEntry>> {
        dispatch!(AnyStore, self, s => AuthStore::audit_log(s, target, page))
    }
}

#[async_trait]
impl CrisisStore for AnyStore {
    async fn incident(&self, id: i64) -> StoreResult<Option<Incident>> {
        dispatch!(AnyStore, self, s => CrisisStore::incident(s, id))
    }
    async fn incident_timeline(&self, id: i64) -> StoreResult<Vec<IncidentEvent>> {
        dispatch!(AnyStore, self, s => CrisisStore::incident_timeline(s, id))
    }
    async fn incident_terms(&self, id: i64, limit: i64) -> StoreResult<Vec<(String, i64)>> {
        dispatch!(AnyStore, self, s => CrisisStore::incident_terms(s, id, limit))
    }
    async fn incident_samples(&self, id: i64, limit: i64) -> StoreResult<Vec<MentionRow>> {
        dispatch!(AnyStore, self, s => CrisisStore::incident_samples(s, id, limit))
    }
    async fn incident_tickets(&self, id: i64, limit: usize) -> StoreResult<LinkedTickets> {
        dispatch!(AnyStore, self, s => CrisisStore::incident_tickets(s, id, limit))
    }
    async fn active_incidents(&self) -> StoreResult<Vec<(i64, Incident)>> {
        dispatch!(AnyStore, self, s => CrisisStore::active_incidents(s))
    }
    async fn negative_categories(
        &self,
        brand: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(String, i64)>> {
        dispatch!(AnyStore, self, s => CrisisStore::negative_categories(s, brand, from, to))
    }
    async fn notices(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(String, Trigger, DateTime<Utc>)>> {
        dispatch!(AnyStore, self, s => CrisisStore::notices(s, from, to))
    }
}

#[async_trait]
impl DashboardStore for AnyStore {
    async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        csrf: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => DashboardStore::create_session(s, id_hash, user_id, csrf, now, expires_at))
    }
    async fn session(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<SessionRow>> {
        dispatch!(AnyStore, self, s => DashboardStore::session(s, id_hash, now))
    }
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => DashboardStore::delete_session(s, id_hash))
    }
    async fn sentiment_buckets(
        &self,
        brands: &[String],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<SentimentBucket>> {
        dispatch!(AnyStore, self, s => DashboardStore::sentiment_buckets(s, brands, from, to))
    }
    async fn top_categories(
        &self,
        brand: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<NamedCount>> {
        dispatch!(AnyStore, self, s => DashboardStore::top_categories(s, brand, from, to, limit))
    }
    async fn top_terms(
        &self,
        brand: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<NamedCount>> {
        dispatch!(AnyStore, self, s => DashboardStore::top_terms(s, brand, from, to, limit))
    }
    async fn brand_last_activity(&self, brand: &str) -> StoreResult<Option<DateTime<Utc>>> {
        dispatch!(AnyStore, self, s => DashboardStore::brand_last_activity(s, brand))
    }
    async fn mentions_in_store_order(
        &self,
        filter: &crate::storage::MentionFilter,
        limit: i64,
    ) -> StoreResult<Vec<crate::storage::MentionRow>> {
        dispatch!(AnyStore, self, s => DashboardStore::mentions_in_store_order(s, filter, limit))
    }
    async fn last_mention_id(&self) -> StoreResult<i64> {
        dispatch!(AnyStore, self, s => DashboardStore::last_mention_id(s))
    }
    async fn ops_figures(&self) -> StoreResult<OpsFigures> {
        dispatch!(AnyStore, self, s => DashboardStore::ops_figures(s))
    }
}

#[async_trait]
impl HelpdeskStore for AnyStore {
    async fn create_customer(&self, c: &NewCustomer, now: DateTime<Utc>) -> StoreResult<i64> {
        dispatch!(AnyStore, self, s => HelpdeskStore::create_customer(s, c, now))
    }
    async fn add_identity(&self, customer_id: i64, identity: &Identity) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => HelpdeskStore::add_identity(s, customer_id, identity))
    }
    async fn identity_owners(&self, identities: &[Identity]) -> StoreResult<Vec<(Identity, i64)>> {
        dispatch!(AnyStore, self, s => HelpdeskStore::identity_owners(s, identities))
    }
    async fn customers_by_contact(
        &self,
        emails: &[String],
        phones: &[String],
    ) -> StoreResult<Vec<(String, i64)>> {
        dispatch!(AnyStore, self, s => HelpdeskStore::customers_by_contact(s, emails, phones))
    }
    async fn merge_customers(
        &self,
        into_id: i64,
        other_id: i64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<MergeRecord> {
        dispatch!(AnyStore, self, s => HelpdeskStore::merge_customers(s, into_id, other_id, actor, now))
    }
    async fn unmerge(
        &self,
        merge_id: i64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<MergeRecord> {
        dispatch!(AnyStore, self, s => HelpdeskStore::unmerge(s, merge_id, actor, now))
    }
    async fn merge_record(&self, merge_id: i64) -> StoreResult<Option<MergeRecord>> {
        dispatch!(AnyStore, self, s => HelpdeskStore::merge_record(s, merge_id))
    }
    async fn customer_merges(&self, customer_id: i64) -> StoreResult<Vec<MergeRecord>> {
        dispatch!(AnyStore, self, s => HelpdeskStore::customer_merges(s, customer_id))
    }
    async fn customer_incidents(&self, customer_id: i64) -> StoreResult<Vec<Incident>> {
        dispatch!(AnyStore, self, s => HelpdeskStore::customer_incidents(s, customer_id))
    }
    async fn customer_sentiment_trend(
        &self,
        customer_id: i64,
        brands: Option<&[String]>,
    ) -> StoreResult<Vec<SentimentPoint>> {
        dispatch!(AnyStore, self, s => HelpdeskStore::customer_sentiment_trend(s, customer_id, brands))
    }
    async fn ticket(&self, id: i64) -> StoreResult<Option<Ticket>> {
        dispatch!(AnyStore, self, s => HelpdeskStore::ticket(s, id))
    }
    async fn set_ticket_status(
        &self,
        id: i64,
        status: TicketStatus,
        resolution_due: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => HelpdeskStore::set_ticket_status(s, id, status, resolution_due, now))
    }
    async fn assign_ticket(
        &self,
        id: i64,
        assignee: Option<&str>,
        team: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => HelpdeskStore::assign_ticket(s, id, assignee, team, now))
    }
    async fn add_reply(
        &self,
        ticket_id: i64,
        author: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        dispatch!(AnyStore, self, s => HelpdeskStore::add_reply(s, ticket_id, author, body, now))
    }
    async fn mark_first_response(&self, ticket_id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => HelpdeskStore::mark_first_response(s, ticket_id, at))
    }
    async fn ticket_replies(&self, ticket_id: i64) -> StoreResult<Vec<ReplyRow>> {
        dispatch!(AnyStore, self, s => HelpdeskStore::ticket_replies(s, ticket_id))
    }
    async fn active_tickets_with_sla(&self, limit: i64) -> StoreResult<Vec<Ticket>> {
        dispatch!(AnyStore, self, s => HelpdeskStore::active_tickets_with_sla(s, limit))
    }
    async fn ticket_external(&self, ticket_id: i64) -> StoreResult<Vec<ExternalRow>> {
        dispatch!(AnyStore, self, s => HelpdeskStore::ticket_external(s, ticket_id))
    }
    async fn set_ticket_external(&self, row: &ExternalRow) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => HelpdeskStore::set_ticket_external(s, row))
    }
    async fn externals_to_sync(
        &self,
        connector: &str,
        limit: i64,
    ) -> StoreResult<Vec<ExternalRow>> {
        dispatch!(AnyStore, self, s => HelpdeskStore::externals_to_sync(s, connector, limit))
    }
    async fn record_csat(&self, ticket_id: i64, score: u8, now: DateTime<Utc>) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => HelpdeskStore::record_csat(s, ticket_id, score, now))
    }
    async fn csat_by_brand(&self, brands: Option<&[String]>) -> StoreResult<Vec<CsatSummary>> {
        dispatch!(AnyStore, self, s => HelpdeskStore::csat_by_brand(s, brands))
    }
}

#[async_trait]
impl PrivacyStore for AnyStore {
    async fn erase_customer(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ErasureReport>> {
        dispatch!(AnyStore, self, s => PrivacyStore::erase_customer(s, id, now))
    }
    async fn purge_mentions(&self, cutoff: DateTime<Utc>, batch: i64) -> StoreResult<u64> {
        dispatch!(AnyStore, self, s => PrivacyStore::purge_mentions(s, cutoff, batch))
    }
    async fn install_id(&self) -> StoreResult<String> {
        dispatch!(AnyStore, self, s => PrivacyStore::install_id(s))
    }
    async fn purge_outbox(&self, cutoff: DateTime<Utc>) -> StoreResult<u64> {
        dispatch!(AnyStore, self, s => PrivacyStore::purge_outbox(s, cutoff))
    }
}

#[async_trait]
impl FeedbackStore for AnyStore {
    async fn feedback_target(&self, mention_id: i64) -> StoreResult<Option<FeedbackTarget>> {
        dispatch!(AnyStore, self, s => FeedbackStore::feedback_target(s, mention_id))
    }
    async fn add_feedback(&self, feedback: &NewFeedback) -> StoreResult<FeedbackRow> {
        dispatch!(AnyStore, self, s => FeedbackStore::add_feedback(s, feedback))
    }
    async fn feedback_labels(
        &self,
        scope: Option<&[String]>,
        brand: Option<&str>,
    ) -> StoreResult<Vec<FeedbackLabel>> {
        dispatch!(AnyStore, self, s => FeedbackStore::feedback_labels(s, scope, brand))
    }
    async fn feedback_phrases(&self) -> StoreResult<Vec<(String, String, String)>> {
        dispatch!(AnyStore, self, s => FeedbackStore::feedback_phrases(s))
    }
}

#[async_trait]
impl WarRoomStore for AnyStore {
    async fn event_lag(&self, brand: &str) -> StoreResult<chrono::Duration> {
        dispatch!(AnyStore, self, s => WarRoomStore::event_lag(s, brand))
    }
    async fn incident_mention_ids(&self, incident_id: i64, cap: i64) -> StoreResult<Vec<i64>> {
        dispatch!(AnyStore, self, s => WarRoomStore::incident_mention_ids(s, incident_id, cap))
    }
    async fn incident_authors(
        &self,
        incident_id: i64,
        limit: i64,
    ) -> StoreResult<Vec<AuthorReach>> {
        dispatch!(AnyStore, self, s => WarRoomStore::incident_authors(s, incident_id, limit))
    }
    async fn incident_history_marks(
        &self,
        ids: &[i64],
    ) -> StoreResult<std::collections::HashMap<i64, i64>> {
        dispatch!(AnyStore, self, s => WarRoomStore::incident_history_marks(s, ids))
    }
}

#[async_trait]
impl QuotaStore for AnyStore {
    async fn spend_quota(
        &self,
        key: &str,
        day: NaiveDate,
        cost: i64,
        limit: i64,
    ) -> StoreResult<bool> {
        dispatch!(AnyStore, self, s => QuotaStore::spend_quota(s, key, day, cost, limit))
    }
    async fn quota_used(&self, key: &str, day: NaiveDate) -> StoreResult<i64> {
        dispatch!(AnyStore, self, s => QuotaStore::quota_used(s, key, day))
    }
}

#[async_trait]
impl LeaseStore for AnyStore {
    async fn lease_feed(
        &self,
        feed_id: i64,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        dispatch!(AnyStore, self, s => LeaseStore::lease_feed(s, feed_id, owner, now, until))
    }
    async fn release_feed(&self, feed_id: i64, owner: &str) -> StoreResult<()> {
        dispatch!(AnyStore, self, s => LeaseStore::release_feed(s, feed_id, owner))
    }
    async fn release_leases(&self, owner: &str) -> StoreResult<u64> {
        dispatch!(AnyStore, self, s => LeaseStore::release_leases(s, owner))
    }
    async fn claim_outbox(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_secs: i64,
        limit: i64,
    ) -> StoreResult<Vec<OutboxRow>> {
        dispatch!(AnyStore, self, s => LeaseStore::claim_outbox(s, owner, now, lease_secs, limit))
    }
    async fn outbox_delivered(&self, id: i64, token: i64, at: DateTime<Utc>) -> StoreResult<bool> {
        dispatch!(AnyStore, self, s => LeaseStore::outbox_delivered(s, id, token, at))
    }
    async fn outbox_retry(
        &self,
        id: i64,
        token: i64,
        error: &str,
        next_at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        dispatch!(AnyStore, self, s => LeaseStore::outbox_retry(s, id, token, error, next_at))
    }
    async fn outbox_failed(&self, id: i64, token: i64, error: &str) -> StoreResult<bool> {
        dispatch!(AnyStore, self, s => LeaseStore::outbox_failed(s, id, token, error))
    }
}
