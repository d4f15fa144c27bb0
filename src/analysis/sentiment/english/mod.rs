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
//! Speed (`cargo bench --bench sentiment`, about 1.25 million reference tweets per second
//! on one core): ASCII text is split into words from bit masks of its bytes, with no branch
//! per byte ([`text`]); a word is copied only when it has capitals to lower; each word is
//! looked up once in a table that merges the lexicon, the booster table, the negator list
//! and the words the rules name, keyed by integers rather than strings ([`super::table`]); the
//! rules test bits instead of comparing strings. Buffers live in a thread-local scratch,
//! so scoring allocates nothing once warm.
//!
//! The product engine extends a second instance: more words, emoji scored directly,
//! sentence-bounded rules, and marks that tell it when a post needs the pack engine
//! (Spanish in it, or a phrase of our English list).

mod lexicon;
mod rules;
mod text;

use super::TokenValence;
use super::vader::{self, B_DECR, B_INCR, C_INCR, N_SCALAR};
use crate::domain::SentimentScore;
use lexicon::Tables;
use rules::Tok;
use rustc_hash::FxHashMap;
use std::cell::RefCell;

/// VADER for English text.
pub struct VaderEnglish {
    tables: Tables,
    /// Apply the rules within each sentence (see [`VaderEnglish::bound_to_sentences`]).
    sentences: bool,
    /// Phrases of another list (see [`VaderEnglish::mark_phrases`]) and every prefix of
    /// two or more of their words, each mapped to whether it is a whole phrase; empty for
    /// VADER itself. A text is read word by word against it and stops at the first prefix
    /// that leads nowhere, so most phrase starts cost one lookup.
    phrases: FxHashMap<String, bool>,
}

#[derive(Default)]
struct Scratch {
    text: String,
    words: text::Words,
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
            sentences: false,
            phrases: FxHashMap::default(),
        }
    }

    /// Adds single words to the lexicon (lower-cased); existing entries are replaced only
    /// when `replace` is set. Used for our domain words and per-brand overrides.
    pub fn add_words<'a>(&mut self, words: impl Iterator<Item = (&'a str, f64)>, replace: bool) {
        for (word, valence) in words {
            let entry = self.tables.words.entry(&word.to_lowercase());
            let function_word = entry.booster().is_some() || entry.negator();
            if replace || (entry.valence().is_none() && !function_word) {
                entry.set_valence(valence);
            }
        }
    }

    /// Scores the given emoji directly instead of through VADER's description of them: each
    /// becomes a word of its own, with the given valence.
    pub fn score_emoji_directly<'a>(&mut self, emoji: impl Iterator<Item = (&'a str, f64)>) {
        for (key, valence) in emoji {
            let mut chars = key.chars();
            // An emoticon whose folded key is a plain character (`<3` folds to `3`) is not
            // an emoji: a digit or letter of the text must not score as one (`3 hrs`).
            if let (Some(c), None) = (chars.next(), chars.next())
                && !c.is_ascii_alphanumeric()
            {
                self.tables.emoji.insert(c, format!(" {c} ").into());
                let entry = self.tables.words.entry(key);
                entry.set_valence(valence);
                entry.set_symbol();
            }
        }
    }

    /// Applies the word rules (negation, boosters, idioms) within each clause instead of
    /// across the whole text, unlike VADER: in `Never again. Waste of money` or `my order
    /// never arrived, terrible service` the `never` belongs to the first clause and does not
    /// flip `waste` or `terrible`. Clauses end at `.` `!` `?` `,` `;` `:`, dashes, line
    /// breaks and emoji. The `but` rule reaches the sentence of the first `but` (and the
    /// sentence before, when `but` opens its sentence). For the product engine; the
    /// capitals rule still sees the whole text.
    pub fn bound_to_sentences(&mut self) {
        self.sentences = true;
    }

    /// Marks words as Spanish, for [`VaderEnglish::read`]: words that VADER knows in English
    /// (in its lexicon, boosters, negators or rules) are left alone.
    pub fn mark_spanish<'a>(&mut self, words: impl Iterator<Item = &'a str>) {
        for word in words {
            let entry = self.tables.words.entry(&word.to_lowercase());
            let english = entry.valence().is_some()
                || entry.booster().is_some()
                || entry.negator()
                || entry.symbol()
                || entry.named != 0;
            entry.set_spanish(!english);
        }
    }

    /// Marks the first words of phrases that another list has, for [`VaderEnglish::read`];
    /// a word written without its apostrophe (`dont`) is marked in both spellings.
    pub fn mark_phrase_starts<'a>(&mut self, words: impl Iterator<Item = &'a str>) {
        for word in words {
            let word = word.to_lowercase();
            self.tables.words.entry(&word).set_phrase();
            if let Some(stem) = word.strip_suffix("nt") {
                self.tables.words.entry(&format!("{stem}n't")).set_phrase();
            }
        }
    }

    /// Marks the phrases of another list, for [`VaderEnglish::read`], which then counts the
    /// phrases a text has ([`Reading::phrases`]); their first words are marked as
    /// [`mark_phrase_starts`](Self::mark_phrase_starts) marks them. A word written without
    /// its apostrophe (`dont`, `hasnt`) matches both spellings.
    pub fn mark_phrases<'a>(&mut self, phrases: impl Iterator<Item = &'a str>) {
        for phrase in phrases {
            let phrase = phrase.to_lowercase();
            let words: Vec<&str> = phrase.split(' ').collect();
            if words.len() < 2 {
                continue;
            }
            self.mark_phrase_starts(words[..1].iter().copied());
            let apostrophe: Vec<String> = words
                .iter()
                .map(|w| match w.strip_suffix("nt") {
                    Some(stem) if !stem.is_empty() => format!("{stem}n't"),
                    _ => (*w).to_owned(),
                })
                .collect();
            self.add_phrase(&apostrophe);
            self.add_phrase(&words);
        }
    }

    /// Adds a phrase and its prefixes of two or more words to [`VaderEnglish::phrases`].
    fn add_phrase<S: AsRef<str>>(&mut self, words: &[S]) {
        let mut key = String::new();
        for (n, word) in words.iter().enumerate() {
            if n > 0 {
                key.push(' ');
            }
            key.push_str(word.as_ref());
            if n > 0 {
                let whole = self.phrases.entry(key.clone()).or_default();
                *whole |= n + 1 == words.len();
            }
        }
    }

    /// How many of the marked phrases ([`VaderEnglish::mark_phrases`]) the words hold; a
    /// phrase is counted at its first word, the longest one there.
    fn count_phrases(&self, toks: &[Tok]) -> usize {
        if self.phrases.is_empty() {
            return 0;
        }
        let mut key = String::new();
        let mut count = 0;
        for (i, tok) in toks.iter().enumerate() {
            if !tok.entry.phrase() {
                continue;
            }
            key.clear();
            key.push_str(tok.lower);
            for next in &toks[i + 1..] {
                key.push(' ');
                key.push_str(next.lower);
                match self.phrases.get(key.as_str()) {
                    Some(true) => {
                        count += 1;
                        break;
                    }
                    Some(false) => {}
                    None => break,
                }
            }
        }
        count
    }

    /// VADER's `polarity_scores`, rounded as it rounds (3 decimals, compound 4).
    pub fn polarity_scores(&self, text: &str) -> SentimentScore {
        self.with_valences(text, |p| rounded(p.sentiments, p.scanned))
    }

    /// [`polarity_scores`](Self::polarity_scores) and [`explain`](Self::explain) in one pass.
    pub fn scores_explained(&self, text: &str, top: usize) -> (SentimentScore, Vec<TokenValence>) {
        let reading = self.read(text, top);
        (reading.score, reading.why)
    }

    /// The scores, the `top` words that moved them, and how many words read as Spanish.
    pub fn read(&self, text: &str, top: usize) -> Reading {
        self.with_valences(text, |p| Reading {
            score: rounded(p.sentiments, p.scanned),
            why: p.explain(top),
            spanish_words: p.spanish,
            phrase_starts: p.toks.iter().filter(|t| t.entry.phrase()).count(),
            phrases: self.count_phrases(p.toks),
        })
    }

    /// The words that moved the score most, strongest first, with their final valences.
    pub fn explain(&self, text: &str, top: usize) -> Vec<TokenValence> {
        self.with_valences(text, |p| p.explain(top))
    }

    /// Runs VADER up to the per-word valences and hands them to `f`.
    fn with_valences<R>(&self, text: &str, f: impl FnOnce(&Pass) -> R) -> R {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.run(text, &mut scratch, f),
            Err(_) => self.run(text, &mut Scratch::default(), f),
        })
    }

    fn run<R>(&self, text: &str, s: &mut Scratch, f: impl FnOnce(&Pass) -> R) -> R {
        let Scratch {
            text: buf,
            words,
            toks,
            sentiments,
        } = s;
        let ascii = text.is_ascii();
        let scanned: &str = if ascii {
            text
        } else {
            buf.clear();
            text::substitute_emoji(text, &self.tables.emoji, buf);
            buf
        };
        words.split(scanned);
        let uppers = words.list.iter().filter(|w| w.upper).count();
        let cap_diff = uppers > 0 && uppers < words.list.len();
        let mut spanish = 0;
        let mut t = recycle(std::mem::take(toks));
        t.extend(words.list.iter().map(|w| {
            let lower = words.lower(scanned, w);
            let entry = self.tables.words.get(lower).unwrap_or_default();
            let spelled_spanish = !ascii && !entry.spanish() && lower.contains(SPANISH_LETTERS);
            spanish += usize::from(entry.spanish() || spelled_spanish);
            Tok {
                lower,
                entry,
                upper: w.upper,
            }
        }));
        sentiments.clear();
        if self.sentences {
            let mut start = 0;
            for (end, w) in words.list.iter().enumerate() {
                if w.ends_clause || end + 1 == words.list.len() {
                    let sentence = &t[start..=end];
                    let valences =
                        (0..sentence.len()).map(|i| rules::word_valence(sentence, i, cap_diff));
                    sentiments.extend(valences);
                    start = end + 1;
                }
            }
        } else {
            sentiments.extend((0..t.len()).map(|i| rules::word_valence(&t, i, cap_diff)));
        }
        if self.sentences {
            let ends = |i: usize| words.list[i].ends_sentence;
            rules::but_check_in_sentence(&t, ends, sentiments);
        } else {
            rules::but_check(&t, sentiments);
        }
        let out = f(&Pass {
            toks: &t,
            sentiments,
            scanned,
            spanish,
        });
        *toks = unrecycle(t);
        out
    }
}

/// Letters and marks that English words do not use and Spanish ones often do.
const SPANISH_LETTERS: [char; 8] = ['ñ', 'á', 'é', 'í', 'ó', 'ú', '¿', '¡'];

/// What [`VaderEnglish::read`] finds in one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub score: SentimentScore,
    /// The words that moved the score most, strongest first.
    pub why: Vec<TokenValence>,
    /// Words marked Spanish ([`VaderEnglish::mark_spanish`]) or spelled with Spanish
    /// letters (`ñ`, accents, `¿`, `¡`).
    pub spanish_words: usize,
    /// Words marked as starting another list's phrase
    /// ([`VaderEnglish::mark_phrase_starts`]).
    pub phrase_starts: usize,
    /// Phrases of another list that the text holds ([`VaderEnglish::mark_phrases`]).
    pub phrases: usize,
}

/// One text run up to its word valences.
struct Pass<'a> {
    toks: &'a [Tok<'a>],
    sentiments: &'a [f64],
    /// The text as VADER scans it (emoji replaced by their descriptions).
    scanned: &'a str,
    /// See [`Reading::spanish_words`].
    spanish: usize,
}

impl Pass<'_> {
    fn explain(&self, top: usize) -> Vec<TokenValence> {
        let pairs = self.toks.iter().map(|t| t.lower);
        super::top_tokens(pairs.zip(self.sentiments.iter().copied()), top)
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
