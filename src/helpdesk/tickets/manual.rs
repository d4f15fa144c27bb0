//! A person opens a ticket for a stored mention (the "open ticket" action on a mention): the
//! profile, conversation and open-ticket rules of ingest apply, but the post need not qualify
//! under the ticket rules, and the SLA clocks start when the person acts.

use chrono::{DateTime, Utc};

use super::{Opening, Tickets};
use crate::domain::Identity;
use crate::storage::{MentionRow, StoreResult, StoreTx, ThreadProbe};

/// What opening a ticket for a mention did, and the ticket it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManualOutcome {
    /// The mention already was in this active ticket: nothing changed.
    Already(i64),
    /// The mention joined the active ticket of its conversation or of its author.
    Appended(i64),
    /// A new ticket.
    Opened(i64),
}

impl ManualOutcome {
    pub fn ticket_id(self) -> i64 {
        match self {
            ManualOutcome::Already(id)
            | ManualOutcome::Appended(id)
            | ManualOutcome::Opened(id) => id,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ManualOutcome::Already(_) => "already",
            ManualOutcome::Appended(_) => "appended",
            ManualOutcome::Opened(_) => "opened",
        }
    }
}

impl Tickets {
    /// Puts the mention `m` of brand `brand_id` (named `brand`) in a ticket of `category`:
    /// the active ticket already holding it, else the active ticket of its conversation or of
    /// its author's profile (created if the author has none), else a new ticket queued for the
    /// brand's external helpdesks. Runs inside the caller's transaction.
    pub async fn open_for_mention<T: StoreTx>(
        &self,
        tx: &mut T,
        (brand_id, brand): (i64, &str),
        m: &MentionRow,
        category: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<ManualOutcome> {
        // Its own external id as the "answered post": the active ticket holding this mention.
        let holding = conversation_ticket(tx, brand_id, m, Some(&m.external_id), None).await?;
        if let Some(id) = holding {
            return Ok(ManualOutcome::Already(id));
        }
        let identity = Identity::new(&m.source, &m.author_handle);
        let known = tx
            .find_customers(std::slice::from_ref(&identity))
            .await?
            .remove(&identity);
        let (customer_id, tier) = match known {
            Some(c) => (c.id, c.tier),
            None => {
                let id = tx
                    .create_customer(m.author_name.as_deref(), &identity, now)
                    .await?;
                (id, None)
            }
        };
        tx.link_mentions_customers(&[(m.id, customer_id)]).await?;
        let (reply_to, thread_id) = (m.reply_to.as_deref(), m.thread_id.as_deref());
        let active = match conversation_ticket(tx, brand_id, m, reply_to, thread_id).await? {
            Some(id) => Some(id),
            None => tx.open_ticket(brand_id, customer_id).await?,
        };
        if let Some(id) = active {
            tx.append_to_ticket(id, m.id, m.created_at).await?;
            return Ok(ManualOutcome::Appended(id));
        }
        let opening = Opening {
            mention_id: m.id,
            text: &m.text,
            followers: m.author_followers,
            compound: m.sentiment,
            opened_at: now,
        };
        let draft = self.draft(brand_id, customer_id, category, tier.as_deref(), &opening);
        let id = self.open(tx, brand, &draft, now).await?;
        Ok(ManualOutcome::Opened(id))
    }
}

/// The brand's active ticket holding the post `reply_to` or a post of `thread_id` on the
/// mention's network: the page lookup of ingest, for this one mention.
async fn conversation_ticket<T: StoreTx>(
    tx: &mut T,
    brand_id: i64,
    m: &MentionRow,
    reply_to: Option<&str>,
    thread_id: Option<&str>,
) -> StoreResult<Option<i64>> {
    let probe = ThreadProbe {
        mention_id: m.id,
        source: &m.source,
        reply_to,
        thread_id,
    };
    Ok(tx
        .tickets_in_threads(brand_id, &[probe])
        .await?
        .remove(&m.id))
}
