//! `alerts/tickets.toml`: which mentions open tickets, their priority, SLA policies, the
//! business calendar and the teams tickets are routed to. Loaded and validated once at start.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

use super::calendar::{Calendar, CalendarConfig};
use super::priority::PriorityConfig;
use crate::config::{ConfigError, read_toml};
use crate::domain::{Analysis, SentimentLabel};

/// The priority levels, most urgent first; every one needs an SLA policy.
pub const LEVELS: [&str; 4] = ["urgent", "high", "normal", "low"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketRules {
    /// Sentiment a mention must have to open a complaint ticket (`negative`).
    pub open_on_label: String,
    /// Categories that count as complaints, in order of precedence: a ticket's category is the
    /// first of these the mention has.
    pub complaint_categories: Vec<String>,
    /// Longest ticket subject, in characters.
    pub subject_max_chars: usize,
    /// A mention with this category (a question) opens a ticket whatever its sentiment.
    #[serde(default)]
    pub question_category: Option<String>,
    /// Any mention by a customer of one of these tiers opens a ticket.
    #[serde(default)]
    pub open_for_tiers: Vec<String>,
    /// The brand's own accounts (handles, any network), per brand: they never open tickets.
    #[serde(default)]
    pub own_accounts: BTreeMap<String, Vec<String>>,
    pub priority: PriorityConfig,
    pub sla: SlaConfig,
    pub calendar: CalendarConfig,
    /// Teams tickets are routed to by category.
    #[serde(default)]
    pub teams: Vec<TeamConfig>,
    /// Team for categories no team lists.
    #[serde(default)]
    pub default_team: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaConfig {
    /// The team lead is warned when this share of an SLA's business time has passed.
    pub near_breach_percent: u32,
    /// One policy per priority level.
    pub policies: BTreeMap<String, SlaPolicy>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicy {
    /// Business minutes until the first response is due.
    pub first_response_mins: i64,
    /// Business minutes until the ticket must be solved.
    pub resolution_mins: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamConfig {
    pub name: String,
    /// E-mail of the team lead, who hears about tickets close to or past their SLA.
    pub lead: String,
    /// Language of the lead's notices (`es` or `en`).
    #[serde(default = "default_lang")]
    pub lang: String,
    pub categories: Vec<String>,
}

fn default_lang() -> String {
    "es".into()
}

impl TicketRules {
    pub fn load(path: &Path) -> Result<TicketRules, ConfigError> {
        let rules: TicketRules = read_toml(path)?;
        let bad = |key: &str, problem: &str| Err(ConfigError::invalid(path, key, problem));
        if SentimentLabel::parse(&rules.open_on_label).is_none() {
            return bad("open_on_label", "expected positive, neutral or negative");
        }
        if rules.subject_max_chars < 10 {
            return bad("subject_max_chars", "must be at least 10");
        }
        if let Err((key, problem)) = rules.priority.validate() {
            return bad(&key, &problem);
        }
        if let Err((key, problem)) = rules.calendar.build() {
            return bad(&key, &problem);
        }
        if !(1..100).contains(&rules.sla.near_breach_percent) {
            return bad("sla.near_breach_percent", "must be between 1 and 99");
        }
        for level in LEVELS {
            match rules.sla.policies.get(level) {
                None => return bad(&format!("sla.policies.{level}"), "missing"),
                Some(p)
                    if p.first_response_mins <= 0 || p.resolution_mins < p.first_response_mins =>
                {
                    return bad(
                        &format!("sla.policies.{level}"),
                        "needs 0 < first_response_mins ≤ resolution_mins",
                    );
                }
                Some(_) => {}
            }
        }
        for (i, t) in rules.teams.iter().enumerate() {
            if !t.lead.contains('@') {
                return bad(&format!("teams[{i}].lead"), "must be an e-mail address");
            }
            if !matches!(t.lang.as_str(), "es" | "en") {
                return bad(&format!("teams[{i}].lang"), "must be \"es\" or \"en\"");
            }
        }
        Ok(rules)
    }

    /// The business calendar (validated by [`TicketRules::load`]).
    pub fn calendar(&self) -> Calendar {
        self.calendar.build().unwrap_or_else(|_| unreachable_cal())
    }

    /// Every category these rules name (checked against `keywords/` at start-up).
    pub fn categories(&self) -> impl Iterator<Item = &str> {
        self.complaint_categories
            .iter()
            .chain(self.question_category.iter())
            .chain(self.teams.iter().flat_map(|t| t.categories.iter()))
            .map(String::as_str)
    }

    /// The category a ticket for this analysis would have, if it qualifies for one: a
    /// complaint, then a question, then (for a listed tier) the mention's first category.
    pub fn ticket_category(&self, analysis: &Analysis, tier: Option<&str>) -> Option<String> {
        let complaint = (Some(analysis.label) == SentimentLabel::parse(&self.open_on_label))
            .then(|| {
                self.complaint_categories
                    .iter()
                    .find(|c| analysis.categories.contains(c))
            })
            .flatten();
        if let Some(c) = complaint {
            return Some(c.clone());
        }
        if let Some(q) = self
            .question_category
            .as_ref()
            .filter(|q| analysis.categories.contains(q))
        {
            return Some(q.clone());
        }
        if tier.is_some_and(|t| self.open_for_tiers.iter().any(|x| x == t)) {
            return Some(
                analysis
                    .categories
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "general".into()),
            );
        }
        None
    }

    /// Whether `handle` is one of the brand's own accounts.
    pub fn is_own_account(&self, brand: &str, handle: &str) -> bool {
        let handle = handle.trim_start_matches('@');
        self.own_accounts.get(brand).is_some_and(|hs| {
            hs.iter()
                .any(|h| h.trim_start_matches('@').eq_ignore_ascii_case(handle))
        })
    }

    /// The team for a category.
    pub fn team_for(&self, category: &str) -> Option<&str> {
        self.teams
            .iter()
            .find(|t| t.categories.iter().any(|c| c == category))
            .map(|t| t.name.as_str())
            .or(self.default_team.as_deref())
    }

    pub fn team(&self, name: &str) -> Option<&TeamConfig> {
        self.teams.iter().find(|t| t.name == name)
    }
}

/// A calendar that cannot be built after validation passed; used only to satisfy types.
fn unreachable_cal() -> Calendar {
    CalendarConfig {
        utc_offset: "+00:00".into(),
        days: vec!["mon".into()],
        open: "00:00".into(),
        close: "23:59".into(),
        holidays: vec![],
    }
    .build()
    .expect("the fallback calendar is valid")
}
