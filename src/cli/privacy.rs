//! `vigia privacy ...`: erasure and retention from the command line.

use anyhow::{Result, bail};
use clap::Subcommand;

use vigia::app::App;
use vigia::clock::Clock;
use vigia::storage::{AuditEntry, AuthStore, PrivacyStore};

#[derive(Subcommand)]
pub enum PrivacyCommand {
    /// Erase one customer's personal data (texts, handles, identities, contact data);
    /// statistics stay. Recorded in the audit log.
    Erase {
        #[arg(long)]
        customer: i64,
    },
    /// Apply the [privacy] retention limits now.
    Purge,
}

pub async fn run(app: &App, command: PrivacyCommand, clock: &dyn Clock) -> Result<()> {
    match command {
        PrivacyCommand::Erase { customer } => {
            let now = clock.now();
            let Some(report) = app.store().erase_customer(customer, now).await? else {
                bail!("no customer {customer}");
            };
            if report.already_erased {
                println!("{}", serde_json::to_string(&report)?);
                return Ok(());
            }
            let actor = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
            app.store()
                .audit(&AuditEntry {
                    at: now,
                    user_id: None,
                    actor: format!("cli:{actor}"),
                    action: "customer.erase".into(),
                    target_kind: "customer".into(),
                    target_id: customer.to_string(),
                    detail: serde_json::to_value(&report)?,
                })
                .await?;
            println!("{}", serde_json::to_string(&report)?);
        }
        PrivacyCommand::Purge => {
            let report = app.purge().await?;
            println!("{}", serde_json::to_string(&report)?);
        }
    }
    Ok(())
}
