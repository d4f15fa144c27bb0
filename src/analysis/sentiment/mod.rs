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
///
/// The strongest are kept in a small buffer as the pairs go by (an insertion after every
/// equal one, which is what a stable sort and a truncation give), so only the words that
/// are listed are copied.
fn top_tokens<'a>(pairs: impl Iterator<Item = (&'a str, f64)>, top: usize) -> Vec<TokenValence> {
    if top == 0 {
        return Vec::new();
    }
    let mut stack = [("", 0.0); 8];
    let mut heap = Vec::new();
    let best: &mut [(&str, f64)] = if top <= stack.len() {
        &mut stack[..top]
    } else {
        heap.resize(top, ("", 0.0));
        &mut heap
    };
    let mut len = 0;
    for (token, v) in pairs.filter(|(_, v)| *v != 0.0) {
        let valence = (v * 1000.0).round() / 1000.0;
        let strength = valence.abs();
        let at = best[..len]
            .iter()
            .position(|(_, w)| w.abs().total_cmp(&strength).is_lt())
            .unwrap_or(len);
        if at == top {
            continue;
        }
        len = (len + 1).min(top);
        best[at..len].rotate_right(1);
        best[at] = (token, valence);
    }
    best[..len]
        .iter()
        .map(|&(token, valence)| TokenValence {
            token: token.to_owned(),
            valence,
        })
        .collect()
}
