//! Plain data types shared by every stage of the pipeline. No I/O lives here.

mod analysis;
mod baseline;
mod brand;
mod customer;
mod incident;
mod mention;
mod phone;

pub use analysis::{Analysis, Lang, SentimentLabel, SentimentScore, TokenValence};
pub use baseline::{Counts, Recent, SlotBaseline};
pub use brand::Brand;
pub use customer::{Customer, Identity, Ticket, TicketStatus};
pub use incident::{Incident, IncidentStatus, Severity, Trigger};
pub use mention::{Author, Cursor, FeedQuery, Mention, Page};
pub use phone::normalize_phone;
