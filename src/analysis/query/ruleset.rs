//! Many queries compiled behind one Aho-Corasick automaton.
//!
//! Each query contributes the literals one of which must occur in a post for it to match
//! ([`Query::literals`]). One pass of the automaton over the post's normalized text finds the
//! candidate queries; only those are verified against the full Boolean structure. Queries
//! without such literals (`NOT x`, `lang:es`) are always verified.

use super::{Doc, Query};
use aho_corasick::AhoCorasick;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct RuleSet {
    queries: Vec<Query>,
    /// `None` only if the automaton could not be built; then every query is verified.
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, the queries it makes candidates.
    pattern_queries: Vec<Vec<u32>>,
    always: Vec<u32>,
}

impl RuleSet {
    pub fn new(queries: Vec<Query>) -> RuleSet {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_queries: Vec<Vec<u32>> = Vec::new();
        let mut always = Vec::new();
        for (q, query) in queries.iter().enumerate() {
            let Some(literals) = query.literals() else {
                always.push(q as u32);
                continue;
            };
            for literal in literals {
                let p = *index.entry(literal.clone()).or_insert_with(|| {
                    patterns.push(literal);
                    pattern_queries.push(Vec::new());
                    patterns.len() - 1
                });
                if pattern_queries[p].last() != Some(&(q as u32)) {
                    pattern_queries[p].push(q as u32);
                }
            }
        }
        let automaton = AhoCorasick::new(&patterns).ok();
        RuleSet {
            queries,
            automaton,
            pattern_queries,
            always,
        }
    }

    pub fn queries(&self) -> &[Query] {
        &self.queries
    }

    pub fn len(&self) -> usize {
        self.queries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }

    /// Indices of the queries that match `doc`, ascending.
    pub fn matching(&self, doc: &Doc) -> Vec<usize> {
        let Some(automaton) = &self.automaton else {
            let all = 0..self.queries.len();
            return all.filter(|&q| self.queries[q].matches(doc)).collect();
        };
        let mut candidates: Vec<u32> = self.always.clone();
        for m in automaton.find_overlapping_iter(doc.joined()) {
            candidates.extend_from_slice(&self.pattern_queries[m.pattern().as_usize()]);
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .map(|q| q as usize)
            .filter(|&q| self.queries[q].matches(doc))
            .collect()
    }
}
