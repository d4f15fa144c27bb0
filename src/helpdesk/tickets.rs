//! Ticket rules (`alerts/tickets.toml`) and the per-mention decision, run inside the ingest
//! transaction.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::path::Path;

use crate::config::{ConfigError, read_toml};
use crate::domain::{Analysis, Brand, Identity, Mention, SentimentLabel};
use crate::storage::{StoreResult, StoreTx, TicketDraft};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketRules {
    /// Sentiment a mention must have to open a ticket (`negative`).
    pub open_on_label: String,
    /// Categories that count as complaints, in order of precedence: a ticket's category is the
    /// first of these the mention has.
    pub complaint_categories: Vec<String>,
    /// Longest ticket subject, in characters.
    pub subject_max_chars: usize,
}

impl TicketRules {
    pub fn load(path: &Path) -> Result<TicketRules, ConfigError> {
        let rules: TicketRules = read_toml(path)?;
        if SentimentLabel::parse(&rules.open_on_label).is_none() {
            return Err(ConfigError::invalid(
                path,
                "open_on_label",
                "expected positive, neutral or negative",
            ));
        }
        if rules.subject_max_chars < 10 {
            return Err(ConfigError::invalid(
                path,
                "subject_max_chars",
                "must be at least 10",
            ));
        }
        Ok(rules)
    }

    /// The category a ticket for this analysis would have, if it qualifies for one.
    fn ticket_category(&self, analysis: &Analysis) -> Option<&str> {
        if Some(analysis.label) != SentimentLabel::parse(&self.open_on_label) {
            return None;
        }
        self.complaint_categories
            .iter()
            .find(|c| analysis.categories.contains(c))
            .map(String::as_str)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketOutcome {
    None,
    Opened { ticket_id: i64, customer_id: i64 },
    Appended { ticket_id: i64, customer_id: i64 },
}

pub struct Tickets {
    rules: TicketRules,
}

impl Tickets {
    pub fn new(rules: TicketRules) -> Tickets {
        Tickets { rules }
    }

    /// Links the mention to its author's profile when one exists, and opens or extends a
    /// ticket when the mention is a complaint (creating a profile for an unknown author).
    pub async fn on_mention<T: StoreTx>(
        &self,
        tx: &mut T,
        brand: &Brand,
        mention_id: i64,
        mention: &Mention,
        analysis: &Analysis,
        now: DateTime<Utc>,
    ) -> StoreResult<TicketOutcome> {
        let identity = Identity::new(&mention.source, &mention.author.handle);
        let known = tx.find_customer(&identity).await?;
        let category = self.rules.ticket_category(analysis);
        let customer_id = match (known, category) {
            (Some(id), _) => id,
            (None, Some(_)) => {
                tx.create_customer(mention.author.name.as_deref(), &identity, now)
                    .await?
            }
            (None, None) => return Ok(TicketOutcome::None),
        };
        tx.link_mention_customer(mention_id, customer_id).await?;
        let Some(category) = category else {
            return Ok(TicketOutcome::None);
        };
        if let Some(ticket_id) = tx.open_ticket(brand.id, customer_id).await? {
            tx.append_to_ticket(ticket_id, mention_id, mention.created_at)
                .await?;
            return Ok(TicketOutcome::Appended {
                ticket_id,
                customer_id,
            });
        }
        let draft = TicketDraft {
            brand_id: brand.id,
            customer_id,
            category: category.to_owned(),
            subject: subject(&mention.text, self.rules.subject_max_chars),
            mention_id,
            opened_at: mention.created_at,
        };
        let ticket_id = tx.create_ticket(&draft).await?;
        Ok(TicketOutcome::Opened {
            ticket_id,
            customer_id,
        })
    }
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
