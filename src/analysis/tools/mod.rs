//! Library side of the rule tools of the command line: `vigia rules check|eval`,
//! `vigia match --query` and `vigia bench rules`. Each writes to the given output and returns
//! whether it succeeded, so `main` stays a thin dispatcher.

pub mod bench;

use super::lang;
use super::query::{Doc, Meta, Query};
use super::rules::{CategoryRules, check_path, eval::evaluate};
use std::io::{BufRead, Write};
use std::path::Path;

/// `vigia rules check PATH`: prints errors and warnings as `file:line:col: message`;
/// fails on errors only.
pub fn rules_check(path: &Path, out: &mut dyn Write) -> std::io::Result<bool> {
    let report = check_path(path);
    for line in report.errors.iter().chain(&report.warnings) {
        writeln!(out, "{line}")?;
    }
    writeln!(
        out,
        "{}: {} files, {} queries, {} errors, {} warnings",
        path.display(),
        report.files,
        report.queries,
        report.errors.len(),
        report.warnings.len()
    )?;
    Ok(report.errors.is_empty())
}

/// `vigia match --query QUERY`: one JSON object per input line,
/// `{"line": N, "matched": bool, "terms": [...]}` (terms as written in the query).
pub fn match_lines(
    query: &str,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let query = Query::parse(query).map_err(|e| anyhow::anyhow!("query: {e}"))?;
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        let lang = lang::detect(&line, None);
        let meta = Meta {
            lang: Some(lang.code().to_owned()),
            ..Meta::default()
        };
        let doc = Doc::new(&line, lang, meta);
        let matched = query.matches(&doc);
        let terms = if matched {
            query.hits(&doc)
        } else {
            Vec::new()
        };
        let json = serde_json::json!({"line": n + 1, "matched": matched, "terms": terms});
        writeln!(out, "{json}")?;
    }
    Ok(())
}

/// Whether the header (first line) of the TSV `file` names `column`.
pub fn has_column(file: &Path, column: &str) -> anyhow::Result<bool> {
    let text =
        std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let header = text.lines().next().unwrap_or("");
    Ok(header.split('\t').any(|h| h.trim() == column))
}

/// `vigia rules eval FILE`: per-category precision and recall of the rules in `keywords`.
/// Set `VIGIA_EVAL_ERRORS` to also print each misclassified row (gold, primary, all, text).
pub fn rules_eval(keywords: &Path, file: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let rules = CategoryRules::load_dir(keywords)?;
    let text =
        std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let eval = evaluate(&rules, &text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    writeln!(out, "{eval}")?;
    if std::env::var_os("VIGIA_EVAL_ERRORS").is_some() {
        for (gold, primary, all, text) in &eval.errors {
            writeln!(out, "{gold}\t{primary}\t{}\t{text}", all.join(","))?;
        }
    }
    Ok(())
}
