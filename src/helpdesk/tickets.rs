//! The ticket decisions of a page, run inside the ingest transaction, mention by mention: never for reposts, the
//! brand's own accounts or a repeat of the same text by the same author; a reply in a ticket's
//! thread or a qualifying follow-up by a customer with an active ticket joins that ticket;
//! otherwise a qualifying mention opens a ticket with its priority, team and SLA due times, and
//! queues it for the brand's external helpdesks.

use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

use super::calendar::Calendar;
use super::priority::PriorityInput;
use super::rules::TicketRules;
use crate::domain::{Analysis, Brand, Identity, Mention};
use crate::storage::{KnownCustomer, StoreResult, StoreTx, TicketDraft};

mod manual;
pub use manual::ManualOutcome;

/// What a page's ticket decisions share: the authors' profiles (looked up once, extended by
/// profiles created on the way) and the mention→profile links to write at the end.
struct PageState {
    known: HashMap<Identity, KnownCustomer>,
    links: Vec<(i64, i64)>,
}

/// Outbox channel of external helpdesk deliveries.
pub const HELPDESK_CHANNEL: &str = "helpdesk";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketOutcome {
    None,
    Opened { ticket_id: i64, customer_id: i64 },
    Appended { ticket_id: i64, customer_id: i64 },
}

pub struct Tickets {
    rules: TicketRules,
    calendar: Calendar,
    /// Connector names per brand: each new ticket is queued for each of them.
    connectors: BTreeMap<String, Vec<String>>,
}

impl Tickets {
    pub fn new(rules: TicketRules) -> Tickets {
        let calendar = rules.calendar();
        Tickets {
            rules,
            calendar,
            connectors: BTreeMap::new(),
        }
    }

    /// Queues every new ticket of `brand` for the external helpdesk `connector`.
    pub fn with_connector(mut self, brand: &str, connector: &str) -> Tickets {
        self.connectors
            .entry(brand.to_owned())
            .or_default()
            .push(connector.to_owned());
        self
    }

    pub fn rules(&self) -> &TicketRules {
        &self.rules
    }

    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Decides a page of freshly stored mentions, in page order: links each to its author's
    /// profile when one exists, and opens or extends tickets when the rules say so (creating a
    /// profile for an unknown author). Authors are looked up in one query for the page, and
    /// the mention→profile links are written in one statement at the end.
    pub async fn on_page<T: StoreTx>(
        &self,
        tx: &mut T,
        brand: &Brand,
        stored: &[(i64, &Mention, &Analysis)],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<TicketOutcome>> {
        let mut wanted: Vec<Identity> = Vec::new();
        for (_, m, _) in stored {
            let identity = Identity::new(&m.source, &m.author.handle);
            if !wanted.contains(&identity) {
                wanted.push(identity);
            }
        }
        let mut page = PageState {
            known: tx.find_customers(&wanted).await?,
            links: Vec::new(),
        };
        let mut outcomes = Vec::with_capacity(stored.len());
        for &(id, mention, analysis) in stored {
            let outcome = self
                .decide(tx, &mut page, brand, id, mention, analysis, now)
                .await?;
            outcomes.push(outcome);
        }
        tx.link_mentions_customers(&page.links).await?;
        Ok(outcomes)
    }

    #[allow(clippy::too_many_arguments)]
    async fn decide<T: StoreTx>(
        &self,
        tx: &mut T,
        page: &mut PageState,
        brand: &Brand,
        mention_id: i64,
        mention: &Mention,
        analysis: &Analysis,
        now: DateTime<Utc>,
    ) -> StoreResult<TicketOutcome> {
        if self
            .rules
            .is_own_account(&brand.name, &mention.author.handle)
        {
            return Ok(TicketOutcome::None);
        }
        let identity = Identity::new(&mention.source, &mention.author.handle);
        let known = page.known.get(&identity).cloned();
        if mention.is_repost {
            if let Some(c) = known {
                page.links.push((mention_id, c.id));
            }
            return Ok(TicketOutcome::None);
        }
        let tier = known.as_ref().and_then(|c| c.tier.clone());
        let category = self.rules.ticket_category(analysis, tier.as_deref());
        let thread = tx
            .ticket_in_thread(
                brand.id,
                &mention.source,
                mention.reply_to.as_deref(),
                mention.thread_id.as_deref(),
            )
            .await?;
        let customer_id = match (&known, &category, thread) {
            (Some(c), _, _) => c.id,
            (None, Some(_), _) | (None, None, Some(_)) => {
                let id = tx
                    .create_customer(mention.author.name.as_deref(), &identity, now)
                    .await?;
                page.known
                    .insert(identity, KnownCustomer { id, tier: None });
                id
            }
            (None, None, None) => return Ok(TicketOutcome::None),
        };
        page.links.push((mention_id, customer_id));
        if let Some(ticket_id) = thread {
            tx.append_to_ticket(ticket_id, mention_id, mention.created_at)
                .await?;
            return Ok(TicketOutcome::Appended {
                ticket_id,
                customer_id,
            });
        }
        let Some(category) = category else {
            return Ok(TicketOutcome::None);
        };
        if tx.same_text_seen(brand.id, mention, mention_id).await? {
            return Ok(TicketOutcome::None);
        }
        if let Some(ticket_id) = tx.open_ticket(brand.id, customer_id).await? {
            tx.append_to_ticket(ticket_id, mention_id, mention.created_at)
                .await?;
            return Ok(TicketOutcome::Appended {
                ticket_id,
                customer_id,
            });
        }
        let opening = Opening {
            mention_id,
            text: &mention.text,
            followers: mention.author.followers,
            compound: analysis.sentiment.compound,
            opened_at: mention.created_at,
        };
        let draft = self.draft(brand.id, customer_id, &category, tier.as_deref(), &opening);
        self.open(tx, &brand.name, &draft, now)
            .await
            .map(|ticket_id| TicketOutcome::Opened {
                ticket_id,
                customer_id,
            })
    }

    /// Creates the ticket and queues it for the brand's external helpdesks.
    async fn open<T: StoreTx>(
        &self,
        tx: &mut T,
        brand: &str,
        draft: &TicketDraft,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let ticket_id = tx.create_ticket(draft).await?;
        for connector in self.connectors.get(brand).into_iter().flatten() {
            let payload = serde_json::json!({"ticket_id": ticket_id, "connector": connector});
            let key = format!("helpdesk:{connector}:{ticket_id}");
            tx.enqueue_outbox(&key, HELPDESK_CHANNEL, &payload.to_string(), now)
                .await?;
        }
        Ok(ticket_id)
    }

    fn draft(
        &self,
        brand_id: i64,
        customer_id: i64,
        category: &str,
        tier: Option<&str>,
        first: &Opening<'_>,
    ) -> TicketDraft {
        let priority = self.rules.priority.compute(&PriorityInput {
            compound: first.compound,
            category,
            tier,
            followers: first.followers,
        });
        let opened = first.opened_at;
        let policy = self.rules.sla.policies.get(priority.level);
        TicketDraft {
            brand_id,
            customer_id,
            category: category.to_owned(),
            subject: subject(first.text, self.rules.subject_max_chars),
            mention_id: first.mention_id,
            opened_at: opened,
            priority: priority.level.to_owned(),
            priority_factors:
                serde_json::json!({"score": priority.score, "factors": priority.factors})
                    .to_string(),
            team: self.rules.team_for(category).map(str::to_owned),
            first_response_due: policy.map(|p| {
                self.calendar
                    .add_business_minutes(opened, p.first_response_mins)
            }),
            resolution_due: policy.map(|p| {
                self.calendar
                    .add_business_minutes(opened, p.resolution_mins)
            }),
        }
    }
}

/// What a new ticket takes from the mention that opens it.
struct Opening<'a> {
    mention_id: i64,
    text: &'a str,
    followers: Option<i64>,
    compound: f64,
    /// When its SLA clocks start.
    opened_at: DateTime<Utc>,
}

/// The first line of the text, whitespace folded, cut at `max` characters with an ellipsis.
fn subject(text: &str, max: usize) -> String {
    let folded: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= max {
        return folded;
    }
    let mut cut: String = folded.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    #[test]
    fn subject_is_folded_and_cut_on_characters() {
        assert_eq!(super::subject("  hola\n  mundo ", 20), "hola mundo");
        let s = super::subject("ñññññññññññññññ", 10);
        assert_eq!(s.chars().count(), 10);
        assert!(s.ends_with('…'));
    }
}
