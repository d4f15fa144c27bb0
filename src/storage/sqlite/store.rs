//! [`Store`] for SQLite: configuration mirror, outbox leasing, customer import, and the API reads.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{SqliteStore, SqliteTx, db_err, links, ms, reads};
use crate::domain::{Cursor, Identity};
use crate::storage::{
    Customer, CustomerImport, FeedRow, ImportOutcome, Incident, IncidentFilter, Listing,
    MentionFilter, MentionRow, NewCustomer, PageRequest, Store, StoreResult, Ticket, TicketFilter,
};

#[async_trait]
impl Store for SqliteStore {
    type Tx = SqliteTx;

    async fn migrate(&self) -> StoreResult<()> {
        self.run_migrations().await
    }

    async fn begin(&self) -> StoreResult<SqliteTx> {
        // BEGIN IMMEDIATE takes the write lock up front, so two writers never deadlock on an
        // upgrade from a read lock.
        let tx = self
            .writer()
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db_err)?;
        Ok(SqliteTx { tx })
    }

    async fn upsert_brand(&self, name: &str, display_name: &str, lang: &str) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO brands (name, display_name, lang) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name, lang = excluded.lang
             RETURNING id",
        )
        .bind(name)
        .bind(display_name)
        .bind(lang)
        .fetch_one(self.writer())
        .await
        .map_err(db_err)
    }

    async fn upsert_feed(&self, name: &str, brand_id: i64, kind: &str) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO feeds (name, brand_id, kind) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET brand_id = excluded.brand_id, kind = excluded.kind
             RETURNING id",
        )
        .bind(name)
        .bind(brand_id)
        .bind(kind)
        .fetch_one(self.writer())
        .await
        .map_err(db_err)
    }

    async fn feed_cursor(&self, feed_id: i64) -> StoreResult<Option<Cursor>> {
        let cursor: Option<Option<String>> =
            sqlx::query_scalar("SELECT cursor FROM feeds WHERE id = ?")
                .bind(feed_id)
                .fetch_optional(self.pool())
                .await
                .map_err(db_err)?;
        Ok(cursor.flatten().map(Cursor))
    }

    async fn reset_feed_cursor(&self, feed_id: i64) -> StoreResult<()> {
        sqlx::query("UPDATE feeds SET cursor = NULL WHERE id = ?")
            .bind(feed_id)
            .execute(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn record_feed_failure(
        &self,
        feed_id: i64,
        error: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE feeds SET last_polled_at = ?, last_error = ?, last_error_at = ?,
                consecutive_failures = consecutive_failures + 1 WHERE id = ?",
        )
        .bind(ms(at))
        .bind(error)
        .bind(ms(at))
        .bind(feed_id)
        .execute(self.writer())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn feed_mentions_since(&self, since: DateTime<Utc>) -> StoreResult<Vec<(i64, i64)>> {
        sqlx::query_as(
            "SELECT feed_id, COUNT(*) FROM mentions WHERE ingested_at >= ? GROUP BY feed_id",
        )
        .bind(ms(since))
        .fetch_all(self.pool())
        .await
        .map_err(db_err)
    }

    async fn set_feed_state(
        &self,
        feed_id: i64,
        state: &str,
        next_run_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE feeds SET state = ?, next_run_at = ? WHERE id = ?")
            .bind(state)
            .bind(next_run_at.map(ms))
            .bind(feed_id)
            .execute(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn list_feeds(&self) -> StoreResult<Vec<FeedRow>> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        reads::feeds(&mut conn).await
    }

    async fn import_customer(
        &self,
        c: &CustomerImport,
        now: DateTime<Utc>,
    ) -> StoreResult<ImportOutcome> {
        let mut tx = self
            .writer()
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db_err)?;
        let email_identity = c.email.as_deref().map(|e| Identity::new("email", e));
        let phone_identity = c
            .phone
            .as_deref()
            .and_then(crate::domain::normalize_phone)
            .map(|p| Identity::new("phone", &p));
        let mut identities = c.identities.clone();
        identities.extend(email_identity.into_iter().chain(phone_identity));
        if super::tombstones::is_erased(&mut tx, Some(&c.external_ref), &identities).await? {
            return Ok(ImportOutcome::Erased);
        }
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM customers WHERE external_ref = ?")
                .bind(&c.external_ref)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        let (id, outcome) = match existing {
            Some(id) => {
                sqlx::query(
                    "UPDATE customers SET name = ?, email = ?, phone = ?, lang = ?, tier = ?,
                    notes = ?, consent_contact = ?, consent_survey = ? WHERE id = ?",
                )
                .bind(&c.name)
                .bind(&c.email)
                .bind(&c.phone)
                .bind(&c.lang)
                .bind(&c.tier)
                .bind(&c.notes)
                .bind(c.consent_contact)
                .bind(c.consent_survey)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
                (id, ImportOutcome::Updated)
            }
            None => {
                let row = NewCustomer {
                    external_ref: Some(c.external_ref.clone()),
                    name: c.name.clone(),
                    email: c.email.clone(),
                    phone: c.phone.clone(),
                    lang: c.lang.clone(),
                    tier: c.tier.clone(),
                    notes: c.notes.clone(),
                    consent_contact: c.consent_contact,
                    consent_survey: c.consent_survey,
                    identities: Vec::new(),
                };
                let id = super::customers::insert_row(&mut tx, &row, now).await?;
                (id, ImportOutcome::Created)
            }
        };
        for identity in &identities {
            // An identity belongs to one person: importing it again moves it to this profile.
            sqlx::query(
                "INSERT INTO customer_identities (customer_id, network, value) VALUES (?, ?, ?)
                 ON CONFLICT (network, value) DO UPDATE SET customer_id = excluded.customer_id",
            )
            .bind(id)
            .bind(&identity.network)
            .bind(&identity.value)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(outcome)
    }

    async fn list_mentions(
        &self,
        filter: &MentionFilter,
        page: &PageRequest,
    ) -> StoreResult<Listing<MentionRow>> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        let items = reads::mentions_by_filter(&mut conn, filter, page.limit, page.offset).await?;
        let total = reads::count_mentions(&mut conn, filter).await?;
        Ok(Listing { items, total })
    }

    async fn list_incidents(
        &self,
        filter: &IncidentFilter,
        page: &PageRequest,
    ) -> StoreResult<Listing<Incident>> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        reads::incidents(&mut conn, filter, page.limit, page.offset).await
    }

    async fn list_tickets(
        &self,
        filter: &TicketFilter,
        page: &PageRequest,
    ) -> StoreResult<Listing<Ticket>> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        reads::tickets(&mut conn, filter, page.limit, page.offset).await
    }

    async fn ticket_mention_ids(&self, ticket_id: i64) -> StoreResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT mention_id FROM ticket_mentions WHERE ticket_id = ? ORDER BY mention_id",
        )
        .bind(ticket_id)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)
    }

    async fn tickets_mention_ids(
        &self,
        tickets: &[i64],
    ) -> StoreResult<std::collections::HashMap<i64, Vec<i64>>> {
        links::mentions_of_tickets(self.pool(), tickets).await
    }

    async fn customer(&self, id: i64) -> StoreResult<Option<Customer>> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        reads::customer(&mut conn, id).await
    }

    async fn customer_identities(&self, id: i64) -> StoreResult<Vec<Identity>> {
        let mut conn = self.pool().acquire().await.map_err(db_err)?;
        reads::identities(&mut conn, id).await
    }
}
