//! Keyword category rules (`keywords/*.toml`).
//!
//! ```toml
//! [categories.delivery]
//! es = ["no llego", "repartidor", "pedido", "tard*"]
//! en = ["delivery", "driver", "never arrived", "late"]
//! ```
//!
//! Terms are normalized like the text ([`normalize::tokenize`] for an unknown language: case,
//! accents, elongations and chat abbreviations do not matter) and match whole tokens; a term
//! of several words is a phrase of consecutive tokens in one sentence; a trailing `*` makes
//! the last word a prefix (`tard*` matches `tardó`, `tardaron`). `?` is a token of its own,
//! so `"?"` is a valid term. Terms of both languages apply to every text, because customers
//! code-switch.
//! The same category may appear in several files; its terms are merged. Category names are
//! lower-case ASCII letters, digits and `_`.

use super::normalize::{self, Token};
use crate::domain::Lang;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A rule file or directory that cannot be used; the message names the file and the problem.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{file}: {source}")]
    Toml {
        file: String,
        source: toml::de::Error,
    },
    #[error("{file}: category '{category}': {problem}")]
    Invalid {
        file: String,
        category: String,
        problem: String,
    },
    #[error("{dir}: no rule files (*.toml)")]
    NoFiles { dir: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    categories: BTreeMap<String, CategoryTerms>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryTerms {
    #[serde(default)]
    es: Vec<String>,
    #[serde(default)]
    en: Vec<String>,
}

/// One compiled term: normalized words, the last one a prefix if `prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    words: Vec<String>,
    prefix: bool,
}

impl Term {
    fn matches_at(&self, tokens: &[Token], at: usize) -> bool {
        let Some(window) = tokens.get(at..at + self.words.len()) else {
            return false;
        };
        if window[1..].iter().any(|t| t.clause_start) {
            return false;
        }
        let last = self.words.len() - 1;
        self.words
            .iter()
            .zip(window)
            .enumerate()
            .all(|(i, (word, token))| {
                if i == last && self.prefix {
                    token.text.starts_with(word.as_str())
                } else {
                    *word == token.text
                }
            })
    }
}

/// Category names and their compiled terms; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct CategoryRules {
    categories: BTreeMap<String, Vec<Term>>,
}

impl CategoryRules {
    /// Reads every `*.toml` file in `dir`, in file-name order, and merges their categories.
    pub fn load_dir(dir: &Path) -> Result<CategoryRules, RulesError> {
        let io_error = |path: &Path, source| RulesError::Io {
            path: path.display().to_string(),
            source,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io_error(dir, e))? {
            let path = entry.map_err(|e| io_error(dir, e))?.path();
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
        let mut rules = CategoryRules::default();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
            rules.merge(CategoryRules::from_toml_str(
                &path.display().to_string(),
                &text,
            )?);
        }
        Ok(rules)
    }

    /// Parses one rule file; `file_name` is only used in error messages.
    pub fn from_toml_str(file_name: &str, text: &str) -> Result<CategoryRules, RulesError> {
        let parsed: RulesFile = toml::from_str(text).map_err(|source| RulesError::Toml {
            file: file_name.to_owned(),
            source,
        })?;
        let mut categories = BTreeMap::new();
        for (name, terms) in parsed.categories {
            let invalid = |problem: String| RulesError::Invalid {
                file: file_name.to_owned(),
                category: name.clone(),
                problem,
            };
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
            {
                return Err(invalid(
                    "name must be lower-case letters, digits and '_'".to_owned(),
                ));
            }
            if terms.es.is_empty() && terms.en.is_empty() {
                return Err(invalid("no terms".to_owned()));
            }
            let compiled = terms
                .es
                .iter()
                .chain(&terms.en)
                .map(|t| compile(t).map_err(&invalid));
            categories.insert(name.clone(), compiled.collect::<Result<Vec<_>, _>>()?);
        }
        Ok(CategoryRules { categories })
    }

    /// Adds `other`'s categories; terms of a category defined in both are merged.
    fn merge(&mut self, other: CategoryRules) {
        for (name, terms) in other.categories {
            let mine = self.categories.entry(name).or_default();
            for term in terms {
                if !mine.contains(&term) {
                    mine.push(term);
                }
            }
        }
    }

    /// Names of the categories whose terms occur in `text`, sorted, without duplicates.
    pub fn categorize(&self, text: &str) -> Vec<String> {
        let tokens = normalize::tokenize(text, Lang::Other);
        let hit = |terms: &Vec<Term>| {
            (0..tokens.len()).any(|at| terms.iter().any(|t| t.matches_at(&tokens, at)))
        };
        self.categories
            .iter()
            .filter(|(_, terms)| hit(terms))
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// All category names, sorted.
    pub fn categories(&self) -> impl Iterator<Item = &str> {
        self.categories.keys().map(String::as_str)
    }
}

/// Normalizes one term; a `*` is only allowed at its very end.
fn compile(term: &str) -> Result<Term, String> {
    let trimmed = term.trim();
    let (body, prefix) = match trimmed.strip_suffix('*') {
        Some(body) => (body, true),
        None => (trimmed, false),
    };
    if body.contains('*') {
        return Err(format!("term '{term}': '*' is only allowed at the end"));
    }
    if prefix && body.ends_with(char::is_whitespace) {
        return Err(format!("term '{term}': '*' must follow a word"));
    }
    let words: Vec<String> = normalize::tokenize(body, Lang::Other)
        .into_iter()
        .map(|t| t.text)
        .collect();
    if words.is_empty() {
        return Err(if trimmed.is_empty() {
            "empty term".to_owned()
        } else {
            format!("term '{term}' normalizes to nothing")
        });
    }
    Ok(Term { words, prefix })
}

#[cfg(test)]
mod tests;
