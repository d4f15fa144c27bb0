//! Reading one rule file: TOML with positions, each query parsed and located.

use super::{Entry, Location, RulesError};
use crate::analysis::query::Query;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    categories: BTreeMap<String, CategoryQueries>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryQueries {
    weight: Option<u32>,
    #[serde(default)]
    es: Vec<Spanned<String>>,
    #[serde(default)]
    en: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

/// The `*.toml` files of `dir`, sorted by name.
pub fn rule_files(dir: &Path) -> Result<Vec<PathBuf>, RulesError> {
    let io_error = |source| RulesError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        if path.extension().is_some_and(|ext| ext == "toml") && path.is_file() {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(RulesError::NoFiles {
            dir: dir.display().to_string(),
        });
    }
    files.sort();
    Ok(files)
}

/// Line and column (1-based, in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Weights and entries of one file.
pub fn parse(file: &str, text: &str) -> Result<(BTreeMap<String, u32>, Vec<Entry>), RulesError> {
    let parsed: RulesFile = toml::from_str(text).map_err(|e| {
        let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
        RulesError::At {
            file: file.to_owned(),
            line,
            column,
            message: e.message().to_owned(),
        }
    })?;
    let mut weights = BTreeMap::new();
    let mut entries = Vec::new();
    for (name, cat) in parsed.categories {
        let invalid = |problem: &str| RulesError::Invalid {
            file: file.to_owned(),
            category: name.clone(),
            problem: problem.to_owned(),
        };
        if name.is_empty()
            || !name
                .chars()
                .all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        {
            return Err(invalid("name must be lower-case letters, digits and '_'"));
        }
        if cat.es.is_empty() && cat.en.is_empty() {
            return Err(invalid("no queries (es = [...] or en = [...])"));
        }
        weights.insert(name.clone(), cat.weight.unwrap_or(1));
        let lists = [(&cat.es, false), (&cat.en, false), (&cat.exclude, true)];
        for (list, exclude) in lists {
            for source in list {
                entries.push(entry(file, text, &name, source, exclude)?);
            }
        }
    }
    Ok((weights, entries))
}

fn entry(
    file: &str,
    text: &str,
    category: &str,
    source: &Spanned<String>,
    exclude: bool,
) -> Result<Entry, RulesError> {
    // The span starts at the opening quote; query columns count from the first character.
    let (line, column) = line_col(text, source.span().start);
    let located = |c: usize| Location {
        file: file.to_owned(),
        line,
        column: column + c,
    };
    let query = Query::parse(source.get_ref()).map_err(|e| {
        let at = located(e.column);
        RulesError::At {
            file: at.file,
            line: at.line,
            column: at.column,
            message: format!("category '{category}': {}", e.message),
        }
    })?;
    Ok(Entry {
        category: category.to_owned(),
        exclude,
        query,
        at: located(1),
    })
}
