//! Sentiment scoring.
//!
//! [`Sentiment`] is the seam: a pure function from text and language to VADER-style scores.
//! [`LexiconSentiment`] is the first engine: VADER's rules (valence sum, negation, boosters,
//! capitals, exclamation marks, `but` contrast, `s / sqrt(s² + 15)` normalization) over small
//! embedded word lists for Spanish and English plus a shared emoji and emoticon list. The
//! lists are `word<TAB>valence` files on VADER's −4..+4 scale, next to this module.

pub mod cli;
mod engine;
pub mod english;
pub mod eval;
mod grammar;
mod lexicon;
mod pack;
#[cfg(test)]
mod tests;
mod vader;

pub use engine::{Overrides, SentimentEngine};
pub use english::VaderEnglish;
pub use lexicon::LexiconSentiment;

use crate::domain::{Lang, SentimentScore};

/// Scores the sentiment of one text. Implementations are pure: same input, same output.
pub trait Sentiment: Send + Sync {
    fn score(&self, text: &str, lang: Lang) -> SentimentScore;
}

/// One word's contribution to a score: the word (lower-case) and its final valence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TokenValence {
    pub token: String,
    pub valence: f64,
}

/// The `top` non-zero contributions, strongest first (ties keep text order).
fn top_tokens<'a>(pairs: impl Iterator<Item = (&'a str, f64)>, top: usize) -> Vec<TokenValence> {
    let mut out: Vec<TokenValence> = pairs
        .filter(|(_, v)| *v != 0.0)
        .map(|(t, v)| TokenValence {
            token: t.to_owned(),
            valence: (v * 1000.0).round() / 1000.0,
        })
        .collect();
    out.sort_by(|a, b| b.valence.abs().total_cmp(&a.valence.abs()));
    out.truncate(top);
    out
}
