//! `vigia feedback export`: the corrections people made through the API
//! (`POST /api/mentions/{id}/feedback`) as a labeled TSV, the same file
//! `GET /api/feedback.tsv` serves, so a team measures the analysis on its own posts with
//! `vigia eval FILE` and `vigia rules eval FILE`.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use std::path::PathBuf;

use vigia::app::App;
use vigia::clock::Clock;
use vigia::storage::{AuditEntry, AuthStore, FeedbackStore};

#[derive(Subcommand)]
pub enum FeedbackCommand {
    /// Write the corrected mentions as a labeled TSV (columns id, lang, variety, label,
    /// category, text; the latest correction of each label wins, an uncorrected label is left
    /// empty) that `vigia eval` and `vigia rules eval` read. Recorded in the audit log.
    Export {
        /// Only this brand's corrections.
        #[arg(long)]
        brand: Option<String>,
        /// Output file [default: standard output].
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

pub async fn run(app: &App, command: FeedbackCommand, clock: &dyn Clock) -> Result<()> {
    match command {
        FeedbackCommand::Export { brand, output } => {
            if let Some(b) = &brand
                && !app.config.brands.iter().any(|x| &x.name == b)
            {
                bail!("no brand '{b}' in the config / la marca '{b}' no está en la configuración");
            }
            let rows = app.store().feedback_labels(None, brand.as_deref()).await?;
            let tsv = vigia::http::api::feedback_tsv(&rows);
            match &output {
                Some(path) => std::fs::write(path, &tsv)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => print!("{tsv}"),
            }
            let actor = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
            app.store()
                .audit(&AuditEntry {
                    at: clock.now(),
                    user_id: None,
                    actor: format!("cli:{actor}"),
                    action: "feedback.export".into(),
                    target_kind: "feedback".into(),
                    target_id: "tsv".into(),
                    detail: serde_json::json!({"brand": brand, "rows": rows.len()}),
                })
                .await?;
            eprintln!("{} corrected mentions exported", rows.len());
        }
    }
    Ok(())
}
