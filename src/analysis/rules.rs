//! Category rules (`keywords/*.toml`): queries in the language of [`query`](super::query).
//!
//! ```toml
//! [categories.delivery]
//! weight = 3                                   # severity; the heaviest category is the primary one
//! es = ['"no llegó"', 'repartidor*', 'pedido NEAR/3 (frio OR tarde)']
//! en = ['"never arrived"', 'driver NOT "driver license"']
//! exclude = ['"alta demanda"']                 # a post matching one of these never gets it
//! ```
//!
//! Every entry is one query; a post gets a category when one of its `es`/`en` queries matches
//! (both lists apply to every post: customers code-switch) and none of its `exclude` queries
//! does. The same category may appear in several files: its queries are merged and the largest
//! weight wins (default 1). Category names are lower-case ASCII letters, digits and `_`.
//! All queries of all categories are compiled into one [`RuleSet`] (Aho-Corasick prefilter).
//! Errors point at the query: `keywords/x.toml:4:12: expected ')' to close '('`.

mod check;
pub mod eval;
mod file;
#[cfg(test)]
mod tests;

pub use check::check_path;

use super::query::{Doc, Query, RuleSet};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A rule file or directory that cannot be used; the message names the file and the problem.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// A problem at a position: `file:line:col: message`.
    #[error("{file}:{line}:{column}: {message}")]
    At {
        file: String,
        line: usize,
        column: usize,
        message: String,
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

/// Where a query was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One query of a category, before compilation into the rule set.
#[derive(Debug, Clone)]
struct Entry {
    category: String,
    exclude: bool,
    query: Query,
    at: Location,
}

/// Category names, weights and their compiled queries; cheap to clone.
#[derive(Debug, Clone)]
pub struct CategoryRules {
    weights: BTreeMap<String, u32>,
    entries: Vec<Entry>,
    set: RuleSet,
}

impl Default for CategoryRules {
    fn default() -> Self {
        CategoryRules::build(BTreeMap::new(), Vec::new())
    }
}

impl CategoryRules {
    fn build(weights: BTreeMap<String, u32>, entries: Vec<Entry>) -> CategoryRules {
        let set = RuleSet::new(entries.iter().map(|e| e.query.clone()).collect());
        CategoryRules {
            weights,
            entries,
            set,
        }
    }

    /// Reads every `*.toml` file in `dir`, in file-name order, and merges their categories.
    pub fn load_dir(dir: &Path) -> Result<CategoryRules, RulesError> {
        let mut parts = Vec::new();
        for path in file::rule_files(dir)? {
            let text = std::fs::read_to_string(&path).map_err(|source| RulesError::Io {
                path: path.display().to_string(),
                source,
            })?;
            parts.push(file::parse(&path.display().to_string(), &text)?);
        }
        Ok(merge(parts))
    }

    /// Parses one rule file; `file_name` is only used in error messages.
    pub fn from_toml_str(file_name: &str, text: &str) -> Result<CategoryRules, RulesError> {
        Ok(merge(vec![file::parse(file_name, text)?]))
    }

    /// Names of the categories whose rules match `text`, sorted, without duplicates.
    pub fn categorize(&self, text: &str) -> Vec<String> {
        self.categorize_doc(&Doc::text(text))
    }

    /// Like [`categorize`](Self::categorize), for a prepared post (with its metadata).
    pub fn categorize_doc(&self, doc: &Doc) -> Vec<String> {
        let (mut include, mut exclude) = (BTreeSet::new(), BTreeSet::new());
        for i in self.set.matching(doc) {
            let e = &self.entries[i];
            if e.exclude {
                exclude.insert(e.category.as_str());
            } else {
                include.insert(e.category.as_str());
            }
        }
        include
            .difference(&exclude)
            .map(|c| (*c).to_owned())
            .collect()
    }

    /// All category names, sorted.
    pub fn categories(&self) -> impl Iterator<Item = &str> {
        self.weights.keys().map(String::as_str)
    }

    /// The severity weight of a category (0 if unknown).
    pub fn weight(&self, category: &str) -> u32 {
        self.weights.get(category).copied().unwrap_or(0)
    }

    /// The heaviest of `categories` (ties: the first by name).
    pub fn primary<'a>(&self, categories: &'a [String]) -> Option<&'a str> {
        let mut best: Option<&'a str> = None;
        for c in categories {
            if best.is_none_or(|b| self.weight(c) > self.weight(b)) {
                best = Some(c);
            }
        }
        best
    }

    /// Every query (include and exclude) of every category, in load order.
    pub fn queries(&self) -> &[Query] {
        self.set.queries()
    }

    /// Number of queries (include and exclude) over all categories.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Merges parsed files: the union of the queries, the largest weight per category.
fn merge(parts: Vec<(BTreeMap<String, u32>, Vec<Entry>)>) -> CategoryRules {
    let mut weights = BTreeMap::new();
    let mut entries = Vec::new();
    for (w, e) in parts {
        for (name, weight) in w {
            let slot = weights.entry(name).or_insert(weight);
            *slot = (*slot).max(weight);
        }
        entries.extend(e);
    }
    CategoryRules::build(weights, entries)
}
