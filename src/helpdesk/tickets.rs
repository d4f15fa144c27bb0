//! The ticket decisions of a page, run inside the ingest transaction, mention by mention in
//! page order: never for reposts, the brand's own accounts or a repeat of the same text by the
//! same author; a reply in a ticket's thread or a qualifying follow-up by a customer with an
//! active ticket joins that ticket; otherwise a qualifying mention opens a ticket with its
//! priority, team and SLA due times, and queues it for the brand's external helpdesks.
//!
//! The page's authors are looked up before its mentions are written ([`Tickets::authors`]), so
//! a mention by a known customer is stored already linked to the profile (no second write of
//! the row). What the decisions read is looked up once for the page (those profiles,
//! conversations' tickets, repeated texts, customers' active tickets), and what earlier mentions of the same
//! page decided is kept in memory on top of it, so each mention is decided exactly as if the
//! ones before it had been written first. The profiles and tickets the page creates get
//! provisional ids while it is decided (larger than any stored id, in creation order, so "the
//! newest ticket is the largest id" still holds); at the end they are written in a few
//! multi-row statements and every decision is rewritten with their real ids, before the links
//! to tickets and profiles are written.

use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap, HashSet};

use super::calendar::Calendar;
use super::priority::PriorityInput;
use super::rules::TicketRules;
use crate::domain::{Analysis, Brand, Identity, Mention};
use crate::storage::{KnownCustomer, StoreResult, StoreTx, ThreadProbe, TicketDraft};

mod manual;
pub use manual::ManualOutcome;

/// What a page's ticket decisions share: what was looked up for the page, what the page's
/// earlier mentions decided, and the writes left for the end of the page.
#[derive(Default)]
struct PageState {
    /// Authors' profiles (looked up once, extended by profiles created on the way).
    known: HashMap<Identity, KnownCustomer>,
    /// Mention id → the active ticket its conversation held before the page.
    threads: HashMap<i64, i64>,
    /// Ids of mentions whose author had already posted the same text.
    repeats: HashSet<i64>,
    /// Customer → newest active ticket (before the page, then as the page opens tickets).
    open: HashMap<i64, i64>,
    /// Tickets the page's mentions joined or opened, by `(source, external id)` and by
    /// `(source, thread id)` of those mentions: a later reply in the page finds them.
    by_post: HashMap<(String, String), i64>,
    by_thread: HashMap<(String, String), i64>,
    /// Mention → profile links to the profiles the page creates, written in one statement at
    /// the end (a known profile was linked when the mention was stored).
    links: Vec<(i64, i64)>,
    /// `(ticket, mention, at)` for mentions joining a ticket, written at the end.
    appends: Vec<(i64, i64, DateTime<Utc>)>,
    /// Profiles to create, `(name, identity)`: the k-th has the provisional id `PROVISIONAL + k`.
    new_customers: Vec<(Option<String>, Identity)>,
    /// Tickets to create: the k-th has the provisional id `PROVISIONAL + k`.
    new_tickets: Vec<TicketDraft>,
}

/// The page's mentions whose author posted the same text earlier in the page (page order).
/// The store's lookup ([`StoreTx::same_texts_seen`]) finds earlier pages' repeats by the
/// author's profile, and the page's new profiles are linked only after its decisions.
fn repeats_within(stored: &[(i64, &Mention, &Analysis)]) -> Vec<i64> {
    let mut seen: HashSet<(&str, &str, &str)> = HashSet::with_capacity(stored.len());
    stored
        .iter()
        .filter(|(_, m, _)| !seen.insert((&m.source, &m.author.handle, &m.text)))
        .map(|(id, _, _)| *id)
        .collect()
}

/// Provisional ids of the profiles and tickets a page creates start here: above any id a
/// store hands out, so they sort after every stored ticket and in creation order.
const PROVISIONAL: i64 = 1 << 60;

/// The real id of `id`: itself when stored, else its entry among the page's new records.
fn real(id: i64, created: &[i64]) -> i64 {
    match usize::try_from(id - PROVISIONAL) {
        Ok(k) => created[k],
        Err(_) => id,
    }
}

impl PageState {
    /// Queues a profile for `identity`; its provisional id.
    fn new_customer(&mut self, name: Option<&str>, identity: Identity) -> i64 {
        let id = PROVISIONAL + self.new_customers.len() as i64;
        self.new_customers
            .push((name.map(str::to_owned), identity.clone()));
        self.known
            .insert(identity, KnownCustomer { id, tier: None });
        id
    }

    /// Queues a ticket; its provisional id.
    fn new_ticket(&mut self, draft: TicketDraft) -> i64 {
        let id = PROVISIONAL + self.new_tickets.len() as i64;
        self.new_tickets.push(draft);
        id
    }

    /// The newest active ticket of the mention's conversation: as stored before the page, or
    /// joined or opened by an earlier mention of the page (tickets' ids grow, so the newest
    /// is the largest).
    fn thread_ticket(&self, mention_id: i64, m: &Mention) -> Option<i64> {
        let post = |id: &Option<String>| {
            id.as_ref()
                .and_then(|id| self.by_post.get(&(m.source.clone(), id.clone())))
        };
        let thread = m
            .thread_id
            .as_ref()
            .and_then(|t| self.by_thread.get(&(m.source.clone(), t.clone())));
        [
            self.threads.get(&mention_id),
            post(&m.reply_to),
            post(&m.thread_id),
            thread,
        ]
        .into_iter()
        .flatten()
        .max()
        .copied()
    }

    /// Records that `m` is now in `ticket`, for the conversation lookups of later mentions.
    fn joined(&mut self, ticket: i64, m: &Mention) {
        let newest = |slot: &mut i64| *slot = (*slot).max(ticket);
        newest(
            self.by_post
                .entry((m.source.clone(), m.external_id.clone()))
                .or_insert(ticket),
        );
        if let Some(t) = &m.thread_id {
            newest(
                self.by_thread
                    .entry((m.source.clone(), t.clone()))
                    .or_insert(ticket),
            );
        }
    }
}

/// Outbox channel of external helpdesk deliveries.
pub const HELPDESK_CHANNEL: &str = "helpdesk";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketOutcome {
    None,
    Opened { ticket_id: i64, customer_id: i64 },
    Appended { ticket_id: i64, customer_id: i64 },
}

impl TicketOutcome {
    /// The same outcome with its ticket and customer ids rewritten.
    fn map_ids(self, ticket: impl Fn(i64) -> i64, customer: impl Fn(i64) -> i64) -> Self {
        match self {
            TicketOutcome::None => TicketOutcome::None,
            TicketOutcome::Opened {
                ticket_id,
                customer_id,
            } => TicketOutcome::Opened {
                ticket_id: ticket(ticket_id),
                customer_id: customer(customer_id),
            },
            TicketOutcome::Appended {
                ticket_id,
                customer_id,
            } => TicketOutcome::Appended {
                ticket_id: ticket(ticket_id),
                customer_id: customer(customer_id),
            },
        }
    }
}

/// The profiles of a page's authors, from [`Tickets::authors`].
pub struct PageAuthors(HashMap<Identity, KnownCustomer>);

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

    /// The profiles of a page's authors, looked up before the page is stored, and per item the
    /// profile its row is stored with: its author's, except on the brand's own accounts.
    /// Hand both to [`Tickets::on_page`] once the mentions are stored.
    pub async fn authors<T: StoreTx>(
        &self,
        tx: &mut T,
        brand: &Brand,
        items: &[(&Mention, &Analysis)],
    ) -> StoreResult<(PageAuthors, Vec<Option<i64>>)> {
        let identities: Vec<Identity> = items
            .iter()
            .map(|(m, _)| Identity::new(&m.source, &m.author.handle))
            .collect();
        let mut wanted: Vec<Identity> = Vec::new();
        let mut seen: HashSet<&Identity> = HashSet::new();
        for identity in &identities {
            if seen.insert(identity) {
                wanted.push(identity.clone());
            }
        }
        let known = tx.find_customers(&wanted).await?;
        let links = items
            .iter()
            .zip(&identities)
            .map(|((m, _), identity)| {
                if self.rules.is_own_account(&brand.name, &m.author.handle) {
                    None
                } else {
                    known.get(identity).map(|c| c.id)
                }
            })
            .collect();
        Ok((PageAuthors(known), links))
    }

    /// Decides a page of freshly stored mentions, in page order: opens or extends tickets when
    /// the rules say so, creating a profile for an unknown author (and linking the mention to
    /// it; a known author's mentions were stored linked, see [`Tickets::authors`]). See the
    /// module docs for how the page's lookups and writes are batched.
    pub async fn on_page<T: StoreTx>(
        &self,
        tx: &mut T,
        brand: &Brand,
        authors: PageAuthors,
        stored: &[(i64, &Mention, &Analysis)],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<TicketOutcome>> {
        let mut page = PageState {
            known: authors.0,
            ..PageState::default()
        };
        // Who may get a ticket at all, and what each lookup needs (a superset of what the
        // decisions below ask: a lookup nobody reads costs nothing more in the same query).
        let candidates: Vec<(i64, &Mention, &Analysis)> = stored
            .iter()
            .copied()
            .filter(|(_, m, _)| {
                !m.is_repost && !self.rules.is_own_account(&brand.name, &m.author.handle)
            })
            .collect();
        let probes: Vec<ThreadProbe> = candidates
            .iter()
            .map(|(id, m, _)| ThreadProbe {
                mention_id: *id,
                source: &m.source,
                reply_to: m.reply_to.as_deref(),
                thread_id: m.thread_id.as_deref(),
            })
            .collect();
        page.threads = tx.tickets_in_threads(brand.id, &probes).await?;
        let mut texts: Vec<(i64, i64, &Mention)> = Vec::new();
        let mut customers: Vec<i64> = Vec::new();
        for (id, m, analysis) in &candidates {
            let known = page.known.get(&Identity::new(&m.source, &m.author.handle));
            let tier = known.and_then(|c| c.tier.as_deref());
            if self.rules.ticket_category(analysis, tier).is_some()
                && let Some(c) = known
            {
                texts.push((*id, c.id, *m));
                if !customers.contains(&c.id) {
                    customers.push(c.id);
                }
            }
        }
        page.repeats = tx.same_texts_seen(brand.id, &texts).await?;
        page.repeats.extend(repeats_within(stored));
        page.open = tx.open_tickets(brand.id, &customers).await?;
        let outcomes: Vec<TicketOutcome> = stored
            .iter()
            .map(|&(id, mention, analysis)| self.decide(&mut page, brand, id, mention, analysis))
            .collect();
        self.write_page(tx, &brand.name, page, outcomes, now).await
    }

    /// Creates the page's new profiles and tickets, rewrites every decision with their real
    /// ids, queues the new tickets for the brand's external helpdesks, then writes the links.
    async fn write_page<T: StoreTx>(
        &self,
        tx: &mut T,
        brand: &str,
        mut page: PageState,
        outcomes: Vec<TicketOutcome>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<TicketOutcome>> {
        let names: Vec<(Option<&str>, &Identity)> = page
            .new_customers
            .iter()
            .map(|(name, identity)| (name.as_deref(), identity))
            .collect();
        let customers = tx.create_customers(&names, now).await?;
        for draft in &mut page.new_tickets {
            draft.customer_id = real(draft.customer_id, &customers);
        }
        let tickets = tx.create_tickets(&page.new_tickets).await?;
        for &ticket_id in &tickets {
            self.queue_for_helpdesks(tx, brand, ticket_id, now).await?;
        }
        for (ticket, _, _) in &mut page.appends {
            *ticket = real(*ticket, &tickets);
        }
        for (_, customer) in &mut page.links {
            *customer = real(*customer, &customers);
        }
        tx.append_to_tickets(&page.appends).await?;
        tx.link_mentions_customers(&page.links).await?;
        Ok(outcomes
            .into_iter()
            .map(|o| o.map_ids(|t| real(t, &tickets), |c| real(c, &customers)))
            .collect())
    }

    /// One mention's decision, in memory (see the module docs).
    fn decide(
        &self,
        page: &mut PageState,
        brand: &Brand,
        mention_id: i64,
        mention: &Mention,
        analysis: &Analysis,
    ) -> TicketOutcome {
        if self
            .rules
            .is_own_account(&brand.name, &mention.author.handle)
        {
            return TicketOutcome::None;
        }
        let identity = Identity::new(&mention.source, &mention.author.handle);
        let known = page.known.get(&identity).cloned();
        if mention.is_repost {
            if let Some(c) = known.filter(|c| c.id >= PROVISIONAL) {
                page.links.push((mention_id, c.id));
            }
            return TicketOutcome::None;
        }
        let tier = known.as_ref().and_then(|c| c.tier.clone());
        let category = self.rules.ticket_category(analysis, tier.as_deref());
        let thread = page.thread_ticket(mention_id, mention);
        let customer_id = match (&known, &category, thread) {
            (Some(c), _, _) => c.id,
            (None, Some(_), _) | (None, None, Some(_)) => {
                page.new_customer(mention.author.name.as_deref(), identity)
            }
            (None, None, None) => return TicketOutcome::None,
        };
        if customer_id >= PROVISIONAL {
            page.links.push((mention_id, customer_id));
        }
        if let Some(ticket_id) = thread {
            page.appends
                .push((ticket_id, mention_id, mention.created_at));
            page.joined(ticket_id, mention);
            return TicketOutcome::Appended {
                ticket_id,
                customer_id,
            };
        }
        let Some(category) = category else {
            return TicketOutcome::None;
        };
        if page.repeats.contains(&mention_id) {
            return TicketOutcome::None;
        }
        if let Some(&ticket_id) = page.open.get(&customer_id) {
            page.appends
                .push((ticket_id, mention_id, mention.created_at));
            page.joined(ticket_id, mention);
            return TicketOutcome::Appended {
                ticket_id,
                customer_id,
            };
        }
        let opening = Opening {
            mention_id,
            text: &mention.text,
            followers: mention.author.followers,
            compound: analysis.sentiment.compound,
            opened_at: mention.created_at,
        };
        let draft = self.draft(brand.id, customer_id, &category, tier.as_deref(), &opening);
        let ticket_id = page.new_ticket(draft);
        page.open.insert(customer_id, ticket_id);
        page.joined(ticket_id, mention);
        TicketOutcome::Opened {
            ticket_id,
            customer_id,
        }
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
        self.queue_for_helpdesks(tx, brand, ticket_id, now).await?;
        Ok(ticket_id)
    }

    /// Queues a new ticket for each of the brand's external helpdesks.
    async fn queue_for_helpdesks<T: StoreTx>(
        &self,
        tx: &mut T,
        brand: &str,
        ticket_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        for connector in self.connectors.get(brand).into_iter().flatten() {
            let payload = serde_json::json!({"ticket_id": ticket_id, "connector": connector});
            let key = format!("helpdesk:{connector}:{ticket_id}");
            tx.enqueue_outbox(&key, HELPDESK_CHANNEL, &payload.to_string(), now)
                .await?;
        }
        Ok(())
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
