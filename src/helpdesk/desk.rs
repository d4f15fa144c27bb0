//! The helpdesk as the running service sees it: ticket rules and calendar, SLA notices to team
//! leads, satisfaction surveys and the external helpdesk connectors. Built once at start-up.

use chrono::{DateTime, Utc};
use minijinja::context;
use std::sync::Arc;

use super::connectors::dispatch::HelpdeskDispatch;
use super::connectors::sync::{SyncReport, sync_once};
use super::notices::Notices;
use super::survey::SurveySigner;
use super::tickets::Tickets;
use crate::domain::{Ticket, TicketStatus};
use crate::notify::alerts::EMAIL_CHANNEL;
use crate::storage::{Store, StoreResult, StoreTx};

pub struct Desk {
    pub tickets: Arc<Tickets>,
    pub notices: Notices,
    pub survey: Option<SurveySigner>,
    /// Base of links in messages (`[http] public_url`).
    pub public_url: Option<String>,
    pub dispatch: HelpdeskDispatch,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("dispatch", &self.dispatch)
            .finish()
    }
}

/// One SLA clock of a ticket: first response or resolution.
struct Clock {
    name: &'static str,
    es: &'static str,
    en: &'static str,
    due: DateTime<Utc>,
    budget_mins: i64,
}

async fn enqueue<S: Store>(
    store: &S,
    key: &str,
    payload: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    tx.enqueue_outbox(key, EMAIL_CHANNEL, payload, now).await?;
    tx.commit().await
}

impl Desk {
    fn clocks(&self, t: &Ticket) -> Vec<Clock> {
        let Some(policy) = self.tickets.rules().sla.policies.get(&t.priority) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let (None, Some(due)) = (t.first_response_at, t.first_response_due) {
            out.push(Clock {
                name: "first_response",
                es: "primera respuesta",
                en: "first response",
                due,
                budget_mins: policy.first_response_mins,
            });
        }
        // A pending ticket waits on the customer: its resolution clock is paused.
        let paused = t.status == TicketStatus::Pending;
        if let (None, Some(due), false) = (t.solved_at, t.resolution_due, paused) {
            out.push(Clock {
                name: "resolution",
                es: "resolución",
                en: "resolution",
                due,
                budget_mins: policy.resolution_mins,
            });
        }
        out
    }

    /// `near`, `breach` or `ok` for one clock at `now`.
    fn stage(&self, t: &Ticket, c: &Clock, now: DateTime<Utc>) -> &'static str {
        if now >= c.due {
            return "breach";
        }
        let used = self
            .tickets
            .calendar()
            .business_minutes_between(t.opened_at, now);
        let pct = i64::from(self.tickets.rules().sla.near_breach_percent);
        if used * 100 >= c.budget_mins * pct {
            "near"
        } else {
            "ok"
        }
    }

    /// The SLA state of each running clock, for the API.
    pub fn sla_state(&self, t: &Ticket, now: DateTime<Utc>) -> serde_json::Value {
        let clocks: Vec<_> = self
            .clocks(t)
            .iter()
            .map(|c| serde_json::json!({
                "clock": c.name,
                "due": c.due,
                "state": self.stage(t, c, now),
                "business_minutes_left": self.tickets.calendar().business_minutes_between(now, c.due),
            }))
            .collect();
        serde_json::json!({
            "first_response_due": t.first_response_due,
            "first_response_at": t.first_response_at,
            "resolution_due": t.resolution_due,
            "solved_at": t.solved_at,
            "paused_since": t.pending_since,
            "running": clocks,
        })
    }

    /// Queues a notice to the team lead for every clock close to or past its due time (once
    /// per ticket, clock and stage: the outbox key dedupes). Returns how many were queued.
    pub async fn check_sla<S: Store>(&self, store: &S, now: DateTime<Utc>) -> StoreResult<usize> {
        let mut queued = 0;
        for t in store.active_tickets_with_sla(5000).await? {
            let Some(team) = t.team.as_deref().and_then(|n| self.tickets.rules().team(n)) else {
                continue;
            };
            for c in self.clocks(&t) {
                let stage = self.stage(&t, &c, now);
                if stage == "ok" {
                    continue;
                }
                let key = format!("sla:{}:{}:{stage}", t.id, c.name);
                let link = self
                    .public_url
                    .as_ref()
                    .map(|u| format!("{}/api/tickets/{}", u.trim_end_matches('/'), t.id));
                let ctx = context! {
                    brand => &t.brand, ticket_id => t.id, team => &team.name, stage,
                    clock_es => c.es, clock_en => c.en, priority => &t.priority,
                    category => &t.category, due => c.due.format("%Y-%m-%d %H:%M").to_string(),
                    status => t.status.as_str(), subject => &t.subject, link,
                };
                let msg = match self.notices.render(
                    "sla_notice",
                    &team.lang,
                    &key,
                    vec![team.lead.clone()],
                    ctx,
                ) {
                    Ok(m) => m,
                    Err(e) => {
                        tracing::error!(error = %e, "SLA notice does not render");
                        continue;
                    }
                };
                let payload = serde_json::to_string(&msg).unwrap_or_default();
                enqueue(store, &key, &payload, now).await?;
                queued += 1;
            }
        }
        Ok(queued)
    }

    /// Queues the satisfaction survey of a solved ticket when the customer agreed to surveys
    /// and has an e-mail address. Returns whether one was queued.
    pub async fn send_survey<S: Store>(
        &self,
        store: &S,
        t: &Ticket,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let (Some(signer), Some(base)) = (&self.survey, &self.public_url) else {
            return Ok(false);
        };
        let Some(c) = store.customer(t.customer_id).await? else {
            return Ok(false);
        };
        let Some(email) = c.email.clone().filter(|_| c.consent_survey) else {
            return Ok(false);
        };
        let token = signer.token(t.id);
        let base = base.trim_end_matches('/');
        let links: Vec<(u8, String)> = (1..=5)
            .map(|s| (s, format!("{base}/survey/{token}?score={s}")))
            .collect();
        let key = format!("survey:{}", t.id);
        let ctx = context! { brand => &t.brand, name => c.name.clone(), links };
        let lang = c.lang.as_deref().unwrap_or("es");
        let msg = match self.notices.render("survey", lang, &key, vec![email], ctx) {
            Ok(m) => m,
            Err(e) => {
                tracing::error!(error = %e, "survey does not render");
                return Ok(false);
            }
        };
        enqueue(
            store,
            &key,
            &serde_json::to_string(&msg).unwrap_or_default(),
            now,
        )
        .await?;
        Ok(true)
    }

    /// Polls the external helpdesks once; solved tickets get their survey.
    pub async fn sync<S: Store>(&self, store: &S, now: DateTime<Utc>) -> StoreResult<SyncReport> {
        let report = sync_once(self, store, now).await?;
        for id in &report.solved {
            if let Some(t) = store.ticket(*id).await? {
                self.send_survey(store, &t, now).await?;
            }
        }
        Ok(report)
    }

    /// Moves `t` to `to` (the caller checked the workflow). Leaving pending moves the
    /// resolution due time on by the business minutes the ticket waited.
    pub async fn set_status<S: Store>(
        &self,
        store: &S,
        t: &Ticket,
        to: TicketStatus,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let cal = self.tickets.calendar();
        let due = match (t.status, to, t.pending_since, t.resolution_due) {
            (TicketStatus::Pending, to, Some(since), Some(due)) if to != TicketStatus::Pending => {
                Some(cal.add_business_minutes(due, cal.business_minutes_between(since, now)))
            }
            _ => None,
        };
        store.set_ticket_status(t.id, to, due, now).await
    }
}
