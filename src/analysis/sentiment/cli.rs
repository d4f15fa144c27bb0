//! The sentiment commands of the CLI: `vigia eval FILE` (metrics against labeled posts), and
//! the language choice of `vigia score` (which lives in [`crate::analysis::batch`]).

use super::{SentimentEngine, eval};
use std::path::Path;

/// Which language pack `vigia score` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LangChoice {
    /// Detect per post, as the pipeline does.
    #[default]
    Auto,
    Es,
    En,
}

/// `vigia eval FILE`: the report as text.
pub fn eval_file(engine: &SentimentEngine, path: &Path) -> Result<String, String> {
    let tsv = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let report = eval::evaluate(&tsv, engine).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(report.render())
}

/// Entry point of `vigia eval FILE`.
pub fn eval(path: &Path) -> anyhow::Result<std::process::ExitCode> {
    let report = eval_file(&SentimentEngine::new(), path).map_err(anyhow::Error::msg)?;
    print!("{report}");
    Ok(std::process::ExitCode::SUCCESS)
}
