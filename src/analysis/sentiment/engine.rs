//! [`SentimentEngine`]: routes each text to the language packs that can read it.
//!
//! - English goes to VADER ([`VaderEnglish`], exact 3.3.2 behaviour) extended with our own
//!   customer-service words (`en.tsv`: `refund`, `cancelled`, `charged`...) that VADER does
//!   not list. Words VADER does list keep VADER's valence, so plain English scores as VADER.
//! - Spanish and unknown-language text goes to the Spanish-first pack engine
//!   ([`LexiconSentiment`]), which falls back to the English list word by word.
//! - Code-switching: an English-routed text in which VADER finds no sentiment word at all
//!   (`the tacos were riquísimos`) is scored by the pack engine, which reads both languages.
//!
//! Per-brand overrides ([`Overrides`]) add or re-weight single words or phrases in every pack.

use super::english::VaderEnglish;
use super::lexicon::LexiconSentiment;
use super::{Sentiment, TokenValence};
use crate::domain::{Lang, SentimentScore};

/// Words a brand adds or re-weights: `(word or phrase, valence on VADER's −4..4 scale)`.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct Overrides {
    #[serde(default)]
    pub words: Vec<(String, f64)>,
}

/// The product's sentiment engine (see the module docs).
pub struct SentimentEngine {
    vader: VaderEnglish,
    packs: LexiconSentiment,
}

impl SentimentEngine {
    pub fn new() -> SentimentEngine {
        SentimentEngine::with_overrides(&Overrides::default())
    }

    /// The engine with `overrides` applied on top of every pack (e.g. a brand's name made
    /// neutral, or `sick` made positive for a skate shop).
    pub fn with_overrides(overrides: &Overrides) -> SentimentEngine {
        let packs = LexiconSentiment::with_extra(&overrides.words);
        let mut vader = VaderEnglish::new();
        vader.add_words(
            packs.english_words().filter(|(w, _)| !w.contains(' ')),
            false,
        );
        vader.add_words(overrides.words.iter().map(|(w, v)| (w.as_str(), *v)), true);
        SentimentEngine { vader, packs }
    }

    fn vader_reads(&self, text: &str) -> Option<SentimentScore> {
        let s = self.vader.polarity_scores(text);
        (s.neu < 1.0).then_some(s)
    }

    /// The `top` words that moved the score most, with their valences, strongest first.
    pub fn explain(&self, text: &str, lang: Lang, top: usize) -> Vec<TokenValence> {
        if lang == Lang::En && self.vader_reads(text).is_some() {
            return self.vader.explain(text, top);
        }
        self.packs.explain(text, lang, top)
    }
}

impl Default for SentimentEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl Sentiment for SentimentEngine {
    fn score(&self, text: &str, lang: Lang) -> SentimentScore {
        if lang == Lang::En {
            if let Some(s) = self.vader_reads(text) {
                return s;
            }
        }
        self.packs.score(text, lang)
    }
}
