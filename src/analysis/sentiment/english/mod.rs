//! The English pack: an exact port of VADER (`vaderSentiment==3.3.2`, Hutto & Gilbert,
//! ICWSM 2014; MIT, see `LICENSE-VADER.txt`).
//!
//! Same tokenization, same word lists, same rules and the same rounding as the Python
//! reference, so scores agree to 1e-4 on its published test sets (checked by the parity test
//! against `$VIGIA_SHARED_DATA/vader-reference`). Two deliberate differences, both outside
//! what the reference data exercises: a text without any word scores fully neutral
//! (`neu = 1`, where VADER gives all zeros), and the `but` rule falls back to plain
//! positions on texts of more than 4,096 words (see [`rules::but_check`]).
//!
//! Speed: each word is lower-cased once into a reused buffer and looked up once in a single
//! map that merges the lexicon, the booster table and the negator list; buffers live in a
//! thread-local scratch, so scoring allocates nothing once warm.

mod lexicon;
mod rules;
mod text;

use super::TokenValence;
use super::vader::{self, B_DECR, B_INCR, C_INCR, N_SCALAR};
use crate::domain::SentimentScore;
use lexicon::Tables;
use rules::Tok;
use std::cell::RefCell;

/// VADER for English text.
pub struct VaderEnglish {
    tables: Tables,
}

#[derive(Default)]
struct Scratch {
    text: String,
    lower: String,
    words: Vec<text::Word>,
    toks: Vec<Tok<'static>>,
    sentiments: Vec<f64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Reuses a vector's allocation for a shorter-lived element type (in-place collect).
fn recycle<'a>(mut v: Vec<Tok<'static>>) -> Vec<Tok<'a>> {
    v.clear();
    v.into_iter().map(|_| unreachable!()).collect()
}

fn unrecycle(mut v: Vec<Tok<'_>>) -> Vec<Tok<'static>> {
    v.clear();
    v.into_iter().map(|_| unreachable!()).collect()
}

impl VaderEnglish {
    pub fn new() -> VaderEnglish {
        VaderEnglish {
            tables: Tables::load(),
        }
    }

    /// Adds single words to the lexicon (lower-cased); existing entries are replaced only
    /// when `replace` is set. Used for our domain words and per-brand overrides.
    pub fn add_words<'a>(&mut self, words: impl Iterator<Item = (&'a str, f64)>, replace: bool) {
        for (word, valence) in words {
            let entry = self
                .tables
                .words
                .entry(word.to_lowercase().into())
                .or_default();
            let function_word = entry.booster.is_some() || entry.negator;
            if replace || (entry.valence.is_none() && !function_word) {
                entry.valence = Some(valence);
            }
        }
    }

    /// Scores the given emoji directly instead of through VADER's description of them: each
    /// becomes a word of its own, with the given valence.
    pub fn score_emoji_directly<'a>(&mut self, emoji: impl Iterator<Item = (&'a str, f64)>) {
        for (key, valence) in emoji {
            let mut chars = key.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                self.tables.emoji.insert(c, format!(" {c} ").into());
                let entry = self.tables.words.entry(key.into()).or_default();
                (entry.valence, entry.symbol) = (Some(valence), true);
            }
        }
    }

    /// VADER's `polarity_scores`, rounded as it rounds (3 decimals, compound 4).
    pub fn polarity_scores(&self, text: &str) -> SentimentScore {
        self.with_valences(text, |_, sentiments, scanned| rounded(sentiments, scanned))
    }

    /// [`polarity_scores`](Self::polarity_scores) and [`explain`](Self::explain) in one pass.
    pub fn scores_explained(&self, text: &str, top: usize) -> (SentimentScore, Vec<TokenValence>) {
        self.with_valences(text, |toks, sentiments, scanned| {
            let pairs = toks.iter().map(|t| t.lower);
            let why = super::top_tokens(pairs.zip(sentiments.iter().copied()), top);
            (rounded(sentiments, scanned), why)
        })
    }

    /// The words that moved the score most, strongest first, with their final valences.
    pub fn explain(&self, text: &str, top: usize) -> Vec<TokenValence> {
        self.with_valences(text, |toks, sentiments, _| {
            super::top_tokens(
                toks.iter().map(|t| t.lower).zip(sentiments.iter().copied()),
                top,
            )
        })
    }

    /// Runs VADER up to the per-word valences and hands them to `f` with the words and the
    /// scanned text (emoji replaced by their descriptions).
    fn with_valences<R>(&self, text: &str, f: impl FnOnce(&[Tok], &[f64], &str) -> R) -> R {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.run(text, &mut scratch, f),
            Err(_) => self.run(text, &mut Scratch::default(), f),
        })
    }

    fn run<R>(&self, text: &str, s: &mut Scratch, f: impl FnOnce(&[Tok], &[f64], &str) -> R) -> R {
        let Scratch {
            text: buf,
            lower,
            words,
            toks,
            sentiments,
        } = s;
        let scanned: &str = if text.is_ascii() {
            text
        } else {
            buf.clear();
            text::substitute_emoji(text, &self.tables.emoji, buf);
            buf
        };
        lower.clear();
        words.clear();
        text::split_words(scanned, lower, words);
        let uppers = words.iter().filter(|w| w.upper).count();
        let cap_diff = uppers > 0 && uppers < words.len();
        let mut t = recycle(std::mem::take(toks));
        t.extend(words.iter().map(|w| {
            let lower = &lower[w.lower.clone()];
            let entry = self.tables.words.get(lower).copied().unwrap_or_default();
            Tok {
                lower,
                entry,
                upper: w.upper,
            }
        }));
        sentiments.clear();
        sentiments.extend((0..t.len()).map(|i| rules::word_valence(&t, i, cap_diff)));
        rules::but_check(&t, sentiments);
        let out = f(&t, sentiments, scanned);
        *toks = unrecycle(t);
        out
    }
}

impl Default for VaderEnglish {
    fn default() -> Self {
        Self::new()
    }
}

/// VADER's final scores from the word valences, rounded as `polarity_scores` rounds them.
fn rounded(sentiments: &[f64], scanned: &str) -> SentimentScore {
    let s = vader::finish(sentiments, vader::punctuation_emphasis(scanned));
    SentimentScore {
        compound: py_round(s.compound, 4),
        pos: py_round(s.pos, 3),
        neu: py_round(s.neu, 3),
        neg: py_round(s.neg, 3),
    }
}

/// Python's `round(x, digits)`: to the nearest, ties to even on the exact binary value.
pub(super) fn py_round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    let y = x * scale;
    if ((y - y.trunc()).abs() - 0.5).abs() > 1e-6 {
        return y.round() / scale;
    }
    // Near a tie: let the exact decimal expansion decide, as CPython does.
    let s = format!("{:.*}", digits as usize, x);
    s.parse().unwrap_or(y.round() / scale)
}

#[cfg(test)]
mod tests;
