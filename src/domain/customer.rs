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
}

#[derive(utoipa::ToSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TicketStatus {
    Open,
    Solved,
}

impl TicketStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Solved => "solved",
        }
    }

    pub fn parse(s: &str) -> Option<TicketStatus> {
        match s {
            "open" => Some(TicketStatus::Open),
            "solved" => Some(TicketStatus::Solved),
            _ => None,
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
}
