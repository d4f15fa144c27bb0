use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(utoipa::ToSchema, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IncidentStatus {
    Open,
    Acknowledged,
    Resolved,
}

impl IncidentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Open => "open",
            IncidentStatus::Acknowledged => "acknowledged",
            IncidentStatus::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<IncidentStatus> {
        match s {
            "open" => Some(IncidentStatus::Open),
            "acknowledged" => Some(IncidentStatus::Acknowledged),
            "resolved" => Some(IncidentStatus::Resolved),
            _ => None,
        }
    }
}

/// Why an incident opened, in words a person can check.
#[derive(utoipa::ToSchema, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trigger {
    /// `count` negative mentions within `window_minutes` reached the brand's threshold.
    NegativeVolume { count: i64, window_minutes: i64 },
    /// A mention fell in a critical category (safety, legal...).
    CriticalCategory { category: String },
}

impl Trigger {
    pub fn kind(&self) -> &'static str {
        match self {
            Trigger::NegativeVolume { .. } => "negative_volume",
            Trigger::CriticalCategory { .. } => "critical_category",
        }
    }
}

#[derive(utoipa::ToSchema, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: i64,
    pub brand: String,
    pub status: IncidentStatus,
    pub trigger: Trigger,
    /// Event time of the mention that opened it.
    pub opened_at: DateTime<Utc>,
    /// Event time of the latest mention attached to it.
    pub last_mention_at: DateTime<Utc>,
    pub mention_count: i64,
}
