//! Customers and tickets: linking a mention's author to a customer profile, and turning
//! complaints into tickets (one open ticket per customer and brand; follow-ups join it).

pub mod import;
mod tickets;

pub use tickets::{TicketOutcome, TicketRules, Tickets};
