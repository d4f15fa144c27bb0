use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One way to recognise a person: a handle on a network, or an email address
/// (`network = "email"`). Values are stored normalized (lower case, no leading `@`).
#[derive(utoipa::ToSchema, Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identity {
    pub network: String,
    pub value: String,
}

impl Identity {
    pub fn new(network: &str, value: &str) -> Identity {
        Identity {
            network: network.trim().to_lowercase(),
            value: value.trim().trim_start_matches('@').to_lowercase(),
        }
    }
}

#[derive(utoipa::ToSchema, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: i64,
    /// The reference the customer has in an imported file or CRM, if any.
    pub external_ref: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lang: Option<String>,
    pub tier: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Free notes by the team.
    #[serde(default)]
    pub notes: Option<String>,
    /// The customer agreed to be contacted (e.g. replies by email).
    #[serde(default)]
    pub consent_contact: bool,
    /// The customer agreed to receive satisfaction surveys.
    #[serde(default)]
    pub consent_survey: bool,
    /// Set when this profile was merged into another one.
    #[serde(default)]
    pub merged_into: Option<i64>,
}

#[derive(utoipa::ToSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TicketStatus {
    New,
    Open,
    Pending,
    Solved,
    Closed,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 5] = [
        TicketStatus::New,
        TicketStatus::Open,
        TicketStatus::Pending,
        TicketStatus::Solved,
        TicketStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::New => "new",
            TicketStatus::Open => "open",
            TicketStatus::Pending => "pending",
            TicketStatus::Solved => "solved",
            TicketStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<TicketStatus> {
        TicketStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// New, open and pending tickets are still being worked: follow-ups join them.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            TicketStatus::New | TicketStatus::Open | TicketStatus::Pending
        )
    }

    /// The workflow new → open → pending → solved → closed: a ticket may move forward (also
    /// skipping steps), go back between open and pending, or be reopened from solved; a
    /// closed ticket is final.
    pub fn can_move_to(self, to: TicketStatus) -> bool {
        use TicketStatus::*;
        match (self, to) {
            (a, b) if a == b => false,
            (Closed, _) => false,
            (_, New) => false,
            (Solved, Open) => true,
            (Solved, Pending) => false,
            (Pending, Open) => true,
            (a, b) => (b as u8) > (a as u8),
        }
    }
}

#[derive(utoipa::ToSchema, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: i64,
    pub brand: String,
    pub customer_id: i64,
    /// The customer's name and import reference, for lists.
    pub customer_name: Option<String>,
    pub customer_ref: Option<String>,
    pub status: TicketStatus,
    pub category: String,
    pub subject: String,
    pub opened_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub mention_count: i64,
    /// `urgent`, `high`, `normal` or `low`.
    pub priority: String,
    /// Why the ticket has its priority: each factor's value and weight.
    pub priority_factors: serde_json::Value,
    /// Team the ticket was routed to by its category.
    pub team: Option<String>,
    pub assignee: Option<String>,
    pub first_response_due: Option<DateTime<Utc>>,
    pub resolution_due: Option<DateTime<Utc>>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub solved_at: Option<DateTime<Utc>>,
    /// Since when the ticket waits on the customer (its resolution clock is paused).
    pub pending_since: Option<DateTime<Utc>>,
}
