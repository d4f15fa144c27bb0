//! The Boolean query language (see `docs/query-language.md`).
//!
//! A query is parsed once into a tree whose terms are normalized exactly like post text
//! ([`normalize::tokenize`](super::normalize::tokenize)), so case, accents, elongations and chat
//! abbreviations do not matter. A post is prepared once as a [`Doc`] and can then be tested
//! against any number of queries; [`RuleSet`] compiles many queries behind one Aho-Corasick
//! prefilter. Parsing never panics: every problem is a [`ParseError`] with a column.

mod ast;
mod doc;
mod eval;
mod lexer;
mod lint;
mod parser;
mod remote;
mod ruleset;
#[cfg(test)]
mod tests;

pub use doc::{Doc, Meta};
pub use remote::Remote;
pub use ruleset::RuleSet;

use ast::{Node, Pat, Test};

/// What is wrong with a query, and where (1-based column, in characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at column {column}")]
pub struct ParseError {
    pub column: usize,
    pub message: String,
}

impl ParseError {
    fn new(column: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            column,
            message: message.into(),
        }
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    source: String,
    root: Node,
}

impl Query {
    pub fn parse(source: &str) -> Result<Query, ParseError> {
        Ok(Query {
            source: source.to_owned(),
            root: parser::parse(source)?,
        })
    }

    /// The query as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn matches(&self, doc: &Doc) -> bool {
        eval::matches(&self.root, doc)
    }

    /// The positive terms of the query that occur in `doc`, as written in the query.
    pub fn hits(&self, doc: &Doc) -> Vec<String> {
        let mut out = Vec::new();
        eval::hits(&self.root, doc, &mut out);
        out
    }

    /// Normalized literals one of which occurs in a [`Doc::joined`] text whenever the query
    /// matches; `None` when no such set exists (e.g. `NOT x`, `lang:es`).
    pub fn literals(&self) -> Option<Vec<String>> {
        literals(&self.root)
    }

    /// Reasons the query can never match, or matches almost everything (for `rules check`).
    pub fn problems(&self) -> Vec<String> {
        lint::problems(&self.root)
    }

    /// Whether two queries mean the same after normalization (`Pedido` and `pedido`).
    pub fn same_as(&self, other: &Query) -> bool {
        unlabeled(&self.root) == unlabeled(&other.root)
    }

    /// The same query as a regular expression, when it only uses terms, phrases, wildcards
    /// and OR (for benchmarks against `regex::RegexSet`).
    pub fn to_regex(&self) -> Option<String> {
        to_regex(&self.root)
    }
}

/// `node` without the labels (how terms were written), for comparing meanings.
fn unlabeled(node: &Node) -> Node {
    let all = |c: &[Node]| c.iter().map(unlabeled).collect();
    match node {
        Node::Leaf(leaf) => Node::Leaf(ast::Leaf {
            test: leaf.test.clone(),
            label: String::new(),
        }),
        Node::And(c) => Node::And(all(c)),
        Node::Or(c) => Node::Or(all(c)),
        Node::Not(inner) => Node::Not(Box::new(unlabeled(inner))),
        Node::Near {
            left,
            right,
            distance,
            ordered,
        } => Node::Near {
            left: Box::new(unlabeled(left)),
            right: Box::new(unlabeled(right)),
            distance: *distance,
            ordered: *ordered,
        },
    }
}

fn literals(node: &Node) -> Option<Vec<String>> {
    match node {
        Node::Leaf(leaf) => match &leaf.test {
            Test::Phrase(pats) => {
                let best = pats.iter().map(Pat::literal).max_by_key(String::len)?;
                (!best.trim().is_empty()).then(|| vec![best])
            }
            _ => None,
        },
        Node::And(children) => children.iter().filter_map(literals).min_by_key(|l| l.len()),
        Node::Or(children) => {
            let mut all = Vec::new();
            for child in children {
                all.extend(literals(child)?);
            }
            Some(all)
        }
        Node::Not(_) => None,
        Node::Near { left, right, .. } => literals(left).or_else(|| literals(right)),
    }
}

fn to_regex(node: &Node) -> Option<String> {
    match node {
        Node::Leaf(leaf) => match &leaf.test {
            Test::Phrase(pats) => {
                let words: Vec<String> = pats.iter().map(pat_regex).collect();
                Some(format!(r"\b{}\b", words.join(r"\W+")))
            }
            _ => None,
        },
        Node::Or(children) => {
            let parts: Option<Vec<String>> = children.iter().map(to_regex).collect();
            Some(format!("(?:{})", parts?.join("|")))
        }
        _ => None,
    }
}

fn pat_regex(pat: &Pat) -> String {
    match pat {
        Pat::Word(w) => regex::escape(w),
        Pat::Glob(g) => g
            .chars()
            .map(|c| match c {
                '*' => r"\w*".to_owned(),
                '?' => r"\w".to_owned(),
                c => regex::escape(&c.to_string()),
            })
            .collect(),
    }
}
