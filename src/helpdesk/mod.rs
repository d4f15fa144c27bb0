//! Customers and tickets: linking a mention's author to a customer profile, turning complaints
//! into tickets with priority, team and SLA, merge suggestions, SLA notices, external helpdesk
//! connectors and satisfaction surveys.

pub mod calendar;
pub mod connectors;
pub mod desk;
pub mod identity;
pub mod import;
pub mod notices;
pub mod priority;
pub mod rules;
pub mod suggestions;
pub mod survey;
mod tickets;

pub use desk::Desk;
pub use rules::TicketRules;
pub use tickets::{HELPDESK_CHANNEL, ManualOutcome, PageAuthors, TicketOutcome, Tickets};
