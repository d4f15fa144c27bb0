//! Sentiment scoring.
//!
//! [`Sentiment`] is the seam: a pure function from text and language to VADER-style scores.
//! [`LexiconSentiment`] is the first engine: VADER's rules (valence sum, negation, boosters,
//! capitals, exclamation marks, `but` contrast, `s / sqrt(s² + 15)` normalization) over small
//! embedded word lists for Spanish and English plus a shared emoji and emoticon list. The
//! lists are `word<TAB>valence` files on VADER's −4..+4 scale, next to this module.

mod grammar;
mod lexicon;
mod pack;
#[cfg(test)]
mod tests;
mod vader;

pub use lexicon::LexiconSentiment;

use crate::domain::{Lang, SentimentScore};

/// Scores the sentiment of one text. Implementations are pure: same input, same output.
pub trait Sentiment: Send + Sync {
    fn score(&self, text: &str, lang: Lang) -> SentimentScore;
}
