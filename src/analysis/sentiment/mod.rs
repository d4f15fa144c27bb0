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
mod index;
mod lexicon;
mod pack;
mod sarcasm;
mod table;
#[cfg(test)]
mod tests;
mod vader;

pub use engine::{Overrides, SentimentEngine};
pub use english::VaderEnglish;
pub use lexicon::LexiconSentiment;

pub use crate::domain::TokenValence;
use crate::domain::{Lang, SentimentScore};

/// Scores the sentiment of one text. Implementations are pure: same input, same output.
pub trait Sentiment: Send + Sync {
    fn score(&self, text: &str, lang: Lang) -> SentimentScore;

    /// The score and the `top` words that moved it most, strongest first, in one pass.
    /// Engines that cannot say why give no words.
    fn score_explained(
        &self,
        text: &str,
        lang: Lang,
        top: usize,
    ) -> (SentimentScore, Vec<TokenValence>) {
        let _ = top;
        (self.score(text, lang), Vec::new())
    }
}

/// The `top` non-zero contributions, strongest first (ties keep text order).
fn top_tokens<'a>(pairs: impl Iterator<Item = (&'a str, f64)>, top: usize) -> Vec<TokenValence> {
    if top == 0 {
        return Vec::new();
    }
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
