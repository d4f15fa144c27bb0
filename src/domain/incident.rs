use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IncidentStatus {
    Open,
    Acknowledged,
    Resolved,
    /// Closed by Vigía after its quiet time without a crisis signal; a person may reopen it.
    #[serde(rename = "auto_closed")]
    AutoClosed,
}

impl IncidentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Open => "open",
            IncidentStatus::Acknowledged => "acknowledged",
            IncidentStatus::Resolved => "resolved",
            IncidentStatus::AutoClosed => "auto_closed",
        }
    }

    /// Open or acknowledged: it still takes mentions.
    pub fn is_active(self) -> bool {
        matches!(self, IncidentStatus::Open | IncidentStatus::Acknowledged)
    }

    pub fn parse(s: &str) -> Option<IncidentStatus> {
        match s {
            "open" => Some(IncidentStatus::Open),
            "acknowledged" => Some(IncidentStatus::Acknowledged),
            "resolved" => Some(IncidentStatus::Resolved),
            "auto_closed" => Some(IncidentStatus::AutoClosed),
            _ => None,
        }
    }
}

/// How loud an incident (or notice) is. Ordered: `Info < Warning < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

/// Why an incident opened (or a notice was raised), in numbers a person can check. Every
/// variant is explained in one sentence by the `explain` macro of the alert templates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trigger {
    /// `count` negative mentions within `window_minutes` against `expected` from the learned
    /// baseline; `p_value` is the Poisson probability of at least that many by chance.
    NegativeVolume {
        count: i64,
        window_minutes: i64,
        #[serde(default)]
        expected: f64,
        #[serde(default)]
        p_value: f64,
        /// Set when the surge is within one category (e.g. `delivery`).
        #[serde(default)]
        category: Option<String>,
    },
    /// The share of negative mentions jumped: `negative` of `total` in the window, against a
    /// usual share of `baseline_share`.
    NegativeShare {
        negative: i64,
        total: i64,
        window_minutes: i64,
        share: f64,
        baseline_share: f64,
        p_value: f64,
    },
    /// A mention fell in a critical category (safety, legal...).
    CriticalCategory { category: String },
    /// One negative post spreads fast: `engagement` interactions at `per_hour` per hour.
    ViralPost {
        mention_id: i64,
        author: String,
        engagement: i64,
        per_hour: f64,
    },
    /// Positive mentions surged (a promotion going viral): information, never a crisis.
    PositiveSurge {
        count: i64,
        window_minutes: i64,
        expected: f64,
        p_value: f64,
    },
}

impl Trigger {
    pub fn kind(&self) -> &'static str {
        match self {
            Trigger::NegativeVolume { .. } => "negative_volume",
            Trigger::NegativeShare { .. } => "negative_share",
            Trigger::CriticalCategory { .. } => "critical_category",
            Trigger::ViralPost { .. } => "viral_post",
            Trigger::PositiveSurge { .. } => "positive_surge",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Highest severity reached so far.
    #[serde(default = "default_severity")]
    pub severity: Severity,
    /// Event time of the earliest mention attached to it (the start of the burst).
    #[serde(default)]
    pub first_mention_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub acknowledged_by: Option<String>,
    #[serde(default)]
    pub acknowledged_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub resolved_by: Option<String>,
    #[serde(default)]
    pub resolved_at: Option<DateTime<Utc>>,
    /// Set when the incident has been quiet for the configured time: Vigía proposes to
    /// resolve it, a person decides.
    #[serde(default)]
    pub resolve_proposed_at: Option<DateTime<Utc>>,
}

fn default_severity() -> Severity {
    Severity::Warning
}
