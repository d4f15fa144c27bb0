//! [`StoreTx`] on [`AnyTx`]: each call goes to the transaction of the chosen back end.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{AnyTx, dispatch};
use crate::domain::Recent;
use crate::domain::*;
use crate::storage::crisis::*;
use crate::storage::*;
use std::collections::HashMap;

#[async_trait]
impl CrisisTx for AnyTx {
    async fn crisis_epoch(&mut self, brand_id: i64) -> StoreResult<i64> {
        dispatch!(AnyTx, self, s => CrisisTx::crisis_epoch(s, brand_id))
    }
    async fn bump_crisis_epoch(&mut self, brand_id: i64) -> StoreResult<i64> {
        dispatch!(AnyTx, self, s => CrisisTx::bump_crisis_epoch(s, brand_id))
    }
    async fn recent_mentions(&mut self, brand_id: i64, minutes: i64) -> StoreResult<Vec<Recent>> {
        dispatch!(AnyTx, self, s => CrisisTx::recent_mentions(s, brand_id, minutes))
    }
    async fn active_incident_states(
        &mut self,
        brand_id: i64,
    ) -> StoreResult<Vec<ActiveIncidentRow>> {
        dispatch!(AnyTx, self, s => CrisisTx::active_incident_states(s, brand_id))
    }
    async fn incident_status(&mut self, incident_id: i64) -> StoreResult<Option<IncidentStatus>> {
        dispatch!(AnyTx, self, s => CrisisTx::incident_status(s, incident_id))
    }
    async fn incident_mentions_since(
        &mut self,
        incident_id: i64,
        since: DateTime<Utc>,
    ) -> StoreResult<i64> {
        dispatch!(AnyTx, self, s => CrisisTx::incident_mentions_since(s, incident_id, since))
    }
    async fn set_last_signal(
        &mut self,
        incident_id: i64,
        at: DateTime<Utc>,
        peak: i64,
    ) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => CrisisTx::set_last_signal(s, incident_id, at, peak))
    }
    async fn add_crisis_category(&mut self, incident_id: i64, category: &str) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => CrisisTx::add_crisis_category(s, incident_id, category))
    }
    async fn auto_close(&mut self, incident_id: i64, at: DateTime<Utc>) -> StoreResult<bool> {
        dispatch!(AnyTx, self, s => CrisisTx::auto_close(s, incident_id, at))
    }
    async fn last_notices(&mut self, brand_id: i64) -> StoreResult<Vec<(String, DateTime<Utc>)>> {
        dispatch!(AnyTx, self, s => CrisisTx::last_notices(s, brand_id))
    }
    async fn baseline_folded_until(&mut self, brand_id: i64) -> StoreResult<Option<DateTime<Utc>>> {
        dispatch!(AnyTx, self, s => CrisisTx::baseline_folded_until(s, brand_id))
    }
    async fn set_baseline_folded_until(
        &mut self,
        brand_id: i64,
        until: DateTime<Utc>,
    ) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => CrisisTx::set_baseline_folded_until(s, brand_id, until))
    }
    async fn hourly_counts(
        &mut self,
        brand_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<HourBucket>> {
        dispatch!(AnyTx, self, s => CrisisTx::hourly_counts(s, brand_id, from, to))
    }
    async fn load_baselines(
        &mut self,
        brand_id: i64,
        slots: &[String],
    ) -> StoreResult<Vec<BaselineRow>> {
        dispatch!(AnyTx, self, s => CrisisTx::load_baselines(s, brand_id, slots))
    }
    async fn save_baselines(&mut self, brand_id: i64, rows: &[BaselineRow]) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => CrisisTx::save_baselines(s, brand_id, rows))
    }
    async fn create_incident_with(
        &mut self,
        brand_id: i64,
        trigger: &Trigger,
        severity: Severity,
        opened_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        dispatch!(AnyTx, self, s => CrisisTx::create_incident_with(s, brand_id, trigger, severity, opened_at, now))
    }
    async fn set_incident_severity(
        &mut self,
        incident_id: i64,
        severity: Severity,
    ) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => CrisisTx::set_incident_severity(s, incident_id, severity))
    }
    async fn add_incident_event(
        &mut self,
        incident_id: i64,
        event: &IncidentEvent,
    ) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => CrisisTx::add_incident_event(s, incident_id, event))
    }
    async fn add_incident_terms(&mut self, incident_id: i64, terms: &[String]) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => CrisisTx::add_incident_terms(s, incident_id, terms))
    }
    async fn incident_for_update(&mut self, incident_id: i64) -> StoreResult<Option<Incident>> {
        dispatch!(AnyTx, self, s => CrisisTx::incident_for_update(s, incident_id))
    }
    async fn apply_incident_action(
        &mut self,
        incident_id: i64,
        action: IncidentAction,
        who: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => CrisisTx::apply_incident_action(s, incident_id, action, who, at))
    }
    async fn propose_resolution(&mut self, incident_id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => CrisisTx::propose_resolution(s, incident_id, at))
    }
    async fn set_escalation_level(&mut self, incident_id: i64, level: i64) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => CrisisTx::set_escalation_level(s, incident_id, level))
    }
    async fn enqueue_outbox_due(
        &mut self,
        key: &str,
        channel: &str,
        payload: &str,
        due: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => CrisisTx::enqueue_outbox_due(s, key, channel, payload, due, now))
    }
    async fn record_notice(
        &mut self,
        brand_id: i64,
        trigger: &Trigger,
        severity: Severity,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => CrisisTx::record_notice(s, brand_id, trigger, severity, at, now))
    }
}

#[async_trait]
impl StoreTx for AnyTx {
    async fn insert_mentions(
        &mut self,
        ctx: &MentionCtx,
        items: &[(&Mention, &Analysis)],
        customers: &[Option<i64>],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Option<i64>>> {
        dispatch!(AnyTx, self, s => StoreTx::insert_mentions(s, ctx, items, customers, now))
    }
    async fn bump_rollups_page(&mut self, deltas: &[RollupDelta]) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => StoreTx::bump_rollups_page(s, deltas))
    }
    async fn find_customers(
        &mut self,
        identities: &[Identity],
    ) -> StoreResult<HashMap<Identity, KnownCustomer>> {
        dispatch!(AnyTx, self, s => StoreTx::find_customers(s, identities))
    }
    async fn link_mentions_customers(&mut self, links: &[(i64, i64)]) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => StoreTx::link_mentions_customers(s, links))
    }
    async fn find_mentions(
        &mut self,
        filter: &MentionFilter,
        limit: i64,
    ) -> StoreResult<Vec<MentionRow>> {
        dispatch!(AnyTx, self, s => StoreTx::find_mentions(s, filter, limit))
    }
    async fn attach_to_incidents(
        &mut self,
        links: &[(i64, i64, DateTime<Utc>)],
    ) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => StoreTx::attach_to_incidents(s, links))
    }
    async fn enqueue_outbox(
        &mut self,
        key: &str,
        channel: &str,
        payload: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => StoreTx::enqueue_outbox(s, key, channel, payload, now))
    }
    async fn find_customer(&mut self, identity: &Identity) -> StoreResult<Option<i64>> {
        dispatch!(AnyTx, self, s => StoreTx::find_customer(s, identity))
    }
    async fn create_customer(
        &mut self,
        name: Option<&str>,
        identity: &Identity,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        dispatch!(AnyTx, self, s => StoreTx::create_customer(s, name, identity, now))
    }
    async fn link_mention_customer(
        &mut self,
        mention_id: i64,
        customer_id: i64,
    ) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => StoreTx::link_mention_customer(s, mention_id, customer_id))
    }
    async fn open_ticket(&mut self, brand_id: i64, customer_id: i64) -> StoreResult<Option<i64>> {
        dispatch!(AnyTx, self, s => StoreTx::open_ticket(s, brand_id, customer_id))
    }
    async fn create_ticket(&mut self, draft: &TicketDraft) -> StoreResult<i64> {
        dispatch!(AnyTx, self, s => StoreTx::create_ticket(s, draft))
    }
    async fn create_customers(
        &mut self,
        new: &[(Option<&str>, &Identity)],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>> {
        dispatch!(AnyTx, self, s => StoreTx::create_customers(s, new, now))
    }
    async fn create_tickets(&mut self, drafts: &[TicketDraft]) -> StoreResult<Vec<i64>> {
        dispatch!(AnyTx, self, s => StoreTx::create_tickets(s, drafts))
    }
    async fn append_to_ticket(
        &mut self,
        ticket_id: i64,
        mention_id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => StoreTx::append_to_ticket(s, ticket_id, mention_id, at))
    }
    async fn tickets_in_threads(
        &mut self,
        brand_id: i64,
        probes: &[ThreadProbe<'_>],
    ) -> StoreResult<HashMap<i64, i64>> {
        dispatch!(AnyTx, self, s => StoreTx::tickets_in_threads(s, brand_id, probes))
    }
    async fn same_texts_seen(
        &mut self,
        brand_id: i64,
        mentions: &[(i64, i64, &Mention)],
    ) -> StoreResult<std::collections::HashSet<i64>> {
        dispatch!(AnyTx, self, s => StoreTx::same_texts_seen(s, brand_id, mentions))
    }
    async fn open_tickets(
        &mut self,
        brand_id: i64,
        customers: &[i64],
    ) -> StoreResult<HashMap<i64, i64>> {
        dispatch!(AnyTx, self, s => StoreTx::open_tickets(s, brand_id, customers))
    }
    async fn append_to_tickets(&mut self, links: &[(i64, i64, DateTime<Utc>)]) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => StoreTx::append_to_tickets(s, links))
    }
    async fn customer_tier(&mut self, customer_id: i64) -> StoreResult<Option<String>> {
        dispatch!(AnyTx, self, s => StoreTx::customer_tier(s, customer_id))
    }
    async fn save_cursor(
        &mut self,
        feed_id: i64,
        cursor: Option<&Cursor>,
        stored: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => StoreTx::save_cursor(s, feed_id, cursor, stored, now))
    }
    async fn commit(self) -> StoreResult<()> {
        dispatch!(AnyTx, self, s => StoreTx::commit(s))
    }
}
