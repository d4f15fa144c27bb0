//! The sentiment commands of the CLI: `vigia score` (one post per line on stdin, one JSON
//! object per line on stdout) and `vigia eval FILE` (metrics against labeled posts).

use super::{Sentiment, SentimentEngine, eval};
use crate::analysis::lang;
use crate::domain::{Lang, SentimentScore};
use std::io::{BufRead, Write};
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

/// How many contributing words `--explain` lists.
const EXPLAIN_TOP: usize = 5;

/// `vigia score`: scores each line of `input` and writes one JSON object per line.
pub fn score_lines(
    engine: &SentimentEngine,
    input: impl BufRead,
    mut out: impl Write,
    choice: LangChoice,
    explain: bool,
) -> std::io::Result<()> {
    for line in input.split(b'\n') {
        let line = line?;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches('\r');
        let lang = match choice {
            LangChoice::Auto => lang::detect(text, None),
            LangChoice::Es => Lang::Es,
            LangChoice::En => Lang::En,
        };
        let s = engine.score(text, lang);
        let mut json = score_json(lang, &s);
        if explain {
            json["tokens"] = serde_json::json!(engine.explain(text, lang, EXPLAIN_TOP));
        }
        writeln!(out, "{json}")?;
    }
    out.flush()
}

fn score_json(lang: Lang, s: &SentimentScore) -> serde_json::Value {
    serde_json::json!({
        "lang": lang.code(),
        "compound": s.compound,
        "pos": s.pos,
        "neu": s.neu,
        "neg": s.neg,
        "label": &s.label().as_str()[..3],
    })
}

/// `vigia eval FILE`: the report as text.
pub fn eval_file(engine: &SentimentEngine, path: &Path) -> Result<String, String> {
    let tsv = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let report = eval::evaluate(&tsv, engine).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(report.render())
}

/// Entry point of `vigia score`.
pub fn score(choice: LangChoice, explain: bool) -> anyhow::Result<std::process::ExitCode> {
    let engine = SentimentEngine::new();
    let stdout = std::io::stdout().lock();
    score_lines(
        &engine,
        std::io::stdin().lock(),
        std::io::BufWriter::new(stdout),
        choice,
        explain,
    )?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// Entry point of `vigia eval FILE`.
pub fn eval(path: &Path) -> anyhow::Result<std::process::ExitCode> {
    let report = eval_file(&SentimentEngine::new(), path).map_err(anyhow::Error::msg)?;
    print!("{report}");
    Ok(std::process::ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_json_object_per_line() {
        let engine = SentimentEngine::new();
        let input = "I love it\nservicio pésimo, nunca llegó\n\n".as_bytes();
        let mut out = Vec::new();
        score_lines(&engine, input, &mut out, LangChoice::Auto, true).unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            (&lines[0]["lang"], &lines[0]["label"]),
            (&"en".into(), &"pos".into())
        );
        assert_eq!(
            (&lines[1]["lang"], &lines[1]["label"]),
            (&"es".into(), &"neg".into())
        );
        assert_eq!(lines[0]["tokens"][0]["token"], "love");
        assert_eq!(lines[2]["label"], "neu");
    }
}
