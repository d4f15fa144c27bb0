//! [`LexiconSentiment`]: VADER's rules over the embedded Spanish, English and emoji lists.
//!
//! Differences from VADER, on purpose:
//! - negation flips a valence once however many negators precede it within three words,
//!   because Spanish uses negative concord (`no estuvo nada mal` is one negation, positive);
//!   it does not reach past another sentiment word (`sin problemas 👏`) nor into the next
//!   clause (commas, colons, dashes, emoji, line breaks and sentence marks end a clause:
//!   `no llegó, pésimo servicio` is negative), and never flips emoji or emoticons
//!   (`nunca llegó 😡` stays angry);
//! - the contrast rule (`pero`, `but`) reaches only the sentence of the contrast word, or
//!   the sentence before when the contrast word opens its sentence;
//! - phrases do not span sentence punctuation;
//! - multi-word entries (`nunca llegó`, `una pasada`, `not worth it`) are matched first,
//!   longest first, and score as one item;
//! - a word missing from the pack of the post's language is looked up in the other pack
//!   (customers code-switch); text of unknown language tries Spanish first, then English.
//!   Emoji and emoticons come from a shared pack.
//!
//! Speed: the text is tokenized into a reused [`Tokens`] buffer, items borrow their words
//! from it (a phrase is one slice of it, no joining), and the item and valence vectors are
//! reused too, all in a thread-local scratch: once warm, scoring allocates nothing.

use super::grammar::{self, Item};
use super::index::Index;
use super::pack::Pack;
use super::vader::{self, C_INCR, N_SCALAR};
use super::{Sentiment, TokenValence};
use crate::analysis::normalize::{TokenKind, Tokens};
use crate::domain::{Lang, SentimentScore};
use std::cell::RefCell;

/// Lexicon-and-rules sentiment engine; cheap to share behind an `Arc`.
pub struct LexiconSentiment {
    es: Pack,
    en: Pack,
    emoji: Pack,
    /// All three lists, every form a token can take, for one lookup per token.
    index: Index,
}

impl LexiconSentiment {
    /// Builds the engine from the word lists embedded at compile time.
    pub fn new() -> Self {
        Self::with_extra(&[])
    }

    /// The engine with `extra` words or phrases added to (or re-weighted in) every list.
    pub fn with_extra(extra: &[(String, f64)]) -> Self {
        let load = |name: &str, src: &str, lang: Lang| {
            let (pack, problems) = Pack::parse(src, lang);
            for problem in problems {
                tracing::warn!(list = name, %problem, "sentiment list entry skipped");
            }
            pack
        };
        let mut es = load(
            "es.tsv",
            concat!(include_str!("es.tsv"), include_str!("es_generated.tsv")),
            Lang::Es,
        );
        let mut en = load("en.tsv", include_str!("en.tsv"), Lang::En);
        let emoji = load("emoji.tsv", include_str!("emoji.tsv"), Lang::Other);
        let (vader, skipped) = Pack::vader();
        tracing::debug!(
            skipped,
            "VADER lexicon entries that do not fit our normalization"
        );
        for (word, valence) in extra {
            for pack in [&mut es, &mut en] {
                if let Err(problem) = pack.set(word, *valence) {
                    tracing::warn!(%word, %problem, "sentiment override skipped");
                }
            }
        }
        let index = Index::build(&emoji, &es, &en, &vader);
        LexiconSentiment {
            es,
            en,
            emoji,
            index,
        }
    }

    /// The entries of the emoji and emoticon list.
    pub(super) fn emoji_words(&self) -> impl Iterator<Item = (&str, f64)> {
        self.emoji.entries()
    }

    /// The phrases (multi-word entries) of the English list.
    pub(super) fn english_phrases(&self) -> impl Iterator<Item = &str> {
        self.en
            .entries()
            .map(|(k, _)| k)
            .filter(|k| k.contains(' '))
    }

    /// The entries of the English list.
    pub(super) fn english_words(&self) -> impl Iterator<Item = (&str, f64)> {
        self.en.entries()
    }

    /// Runs the rules up to the items of `text` and their final valences and hands them to
    /// `f`, using the thread's scratch buffers (fresh ones if `f` scores re-entrantly).
    fn with_valences<R>(&self, text: &str, lang: Lang, f: impl FnOnce(&[Item], &[f64]) -> R) -> R {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.run(text, lang, &mut scratch, f),
            Err(_) => self.run(text, lang, &mut Scratch::default(), f),
        })
    }

    fn run<R>(
        &self,
        text: &str,
        lang: Lang,
        scratch: &mut Scratch,
        f: impl FnOnce(&[Item], &[f64]) -> R,
    ) -> R {
        let Scratch {
            tokens,
            items,
            sentiments,
        } = scratch;
        tokens.fill(text, Some(lang));
        let words = tokens.spans().iter().filter(|t| t.kind == TokenKind::Word);
        let (all, caps) = words.fold((0, 0), |(n, c), t| (n + 1, c + usize::from(t.caps)));
        let cap_diff = caps > 0 && caps < all;
        let mut items = recycle(std::mem::take(items));
        self.items(tokens, lang, &mut items);
        sentiments.clear();
        sentiments.extend((0..items.len()).map(|i| valence_at(&items, i, lang, cap_diff)));
        weigh_contrast(&items, sentiments);
        let out = f(&items, sentiments);
        scratch.items = recycle(items);
        out
    }

    /// Number of entries in the list used for `lang` (`Other`: the emoji list).
    pub fn entries(&self, lang: Lang) -> usize {
        match lang {
            Lang::Es => self.es.len(),
            Lang::En => self.en.len(),
            Lang::Other => self.emoji.len(),
        }
    }

    /// Groups tokens into items, matching the longest listed phrase at each position.
    /// Question tokens are skipped; they always end a sentence, so no phrase spans one.
    fn items<'t>(&self, tokens: &'t Tokens, lang: Lang, items: &mut Vec<Item<'t>>) {
        let longest = [&self.emoji, &self.es, &self.en]
            .iter()
            .map(|p| p.max_phrase())
            .max()
            .unwrap_or(1);
        let spans = tokens.spans();
        let mut i = 0;
        while i < spans.len() {
            if spans[i].kind == TokenKind::Question {
                i += 1;
                continue;
            }
            let word = tokens.text(i);
            let entry = self.index.get(word);
            let starts = entry.is_some_and(|e| e.starts_phrase);
            let longest = if starts { longest } else { 1 };
            let phrase = (2..=longest.min(spans.len() - i)).rev().find_map(|n| {
                if spans[i + 1..i + n]
                    .iter()
                    .any(|t| t.clause_start || t.kind == TokenKind::Question)
                {
                    return None;
                }
                let key = tokens.phrase(i..i + n);
                let valence = self.index.get(key).and_then(|e| e.valence(lang));
                valence.map(|v| (n, key, Some(v)))
            });
            let (n, word, valence) =
                phrase.unwrap_or_else(|| (1, word, entry.and_then(|e| e.valence(lang))));
            let caps = spans[i..i + n].iter().all(|t| t.caps);
            let symbol = n == 1 && matches!(spans[i].kind, TokenKind::Emoji | TokenKind::Emoticon);
            let roles = if n == 1 {
                entry.map_or(0, |e| e.roles)
            } else {
                0
            };
            items.push(Item {
                word,
                caps,
                valence,
                clause_start: spans[i].clause_start,
                break_before: spans[i].break_before,
                symbol,
                roles,
            });
            i += n;
        }
    }
}

/// Buffers reused from one text to the next on the same thread.
#[derive(Default)]
struct Scratch {
    tokens: Tokens,
    items: Vec<Item<'static>>,
    sentiments: Vec<f64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Reuses an item vector's allocation for another lifetime (an in-place collect of nothing).
fn recycle<'b>(mut v: Vec<Item<'_>>) -> Vec<Item<'b>> {
    v.clear();
    v.into_iter().map(|_| unreachable!()).collect()
}

impl Default for LexiconSentiment {
    fn default() -> Self {
        Self::new()
    }
}

impl Sentiment for LexiconSentiment {
    fn score(&self, text: &str, lang: Lang) -> SentimentScore {
        self.with_valences(text, lang, |_, sentiments| {
            vader::finish(sentiments, vader::punctuation_emphasis(text))
        })
    }

    fn score_explained(
        &self,
        text: &str,
        lang: Lang,
        top: usize,
    ) -> (SentimentScore, Vec<TokenValence>) {
        self.with_valences(text, lang, |items, sentiments| {
            let score = vader::finish(sentiments, vader::punctuation_emphasis(text));
            let pairs = items.iter().map(|it| it.word);
            let why = super::top_tokens(pairs.zip(sentiments.iter().copied()), top);
            (score, why)
        })
    }
}

/// Valence of item `i` in context: capitals, boosters and negation in the three items before.
fn valence_at(items: &[Item], i: usize, lang: Lang, cap_diff: bool) -> f64 {
    let Some(base) = items[i].valence.filter(|v| *v != 0.0) else {
        return 0.0;
    };
    if grammar::acts_as_modifier(items, i, lang) || grammar::is_kind_of(items, i) {
        return 0.0;
    }
    let mut valence = base;
    if items[i].caps && cap_diff {
        valence += C_INCR.copysign(base);
    }
    for (k, damp) in [(1, 1.0), (2, 0.95), (3, 0.9)] {
        if k <= i {
            valence += damp * grammar::booster_scalar(items, i - k, valence, lang, cap_diff);
        }
    }
    if !items[i].symbol && is_negated(items, i, lang) {
        valence *= N_SCALAR;
    }
    valence
}

/// A negator within the three items before `i`, in the same sentence, looking back no
/// further than the previous sentiment word (which the negator belongs to). A phrase that
/// carries its own negation (`sin dar información`, `no me deja`) is never negated again:
/// `sin despegar y sin dar información` is one complaint, not a double negative.
fn is_negated(items: &[Item], i: usize, lang: Lang) -> bool {
    if let Some((first, _)) = items[i].word.split_once(' ')
        && grammar::is_negator_word(first)
    {
        return false;
    }
    for k in 1..=3.min(i) {
        let j = i - k;
        if items[j + 1].break_before {
            return false;
        }
        if grammar::is_negator(items, j) && !is_concord(items, j, lang) {
            return true;
        }
        if items[j].valence.is_some_and(|v| v != 0.0) && !grammar::acts_as_modifier(items, j, lang)
        {
            return false;
        }
    }
    false
}

/// Negator `j` only echoes a negation already made, as Spanish negative concord does: it
/// follows the sentiment word it belongs to (`no me ayudó nadie`) or another negator of the
/// same clause (`no funciona nada`). It then starts no new scope, so the next sentiment
/// word (`nadie, pésimo`) is not flipped back.
fn is_concord(items: &[Item], j: usize, lang: Lang) -> bool {
    let after_sentiment = j > 0
        && items[j - 1].valence.is_some_and(|v| v != 0.0)
        && !grammar::acts_as_modifier(items, j - 1, lang);
    let after_negator = (j.saturating_sub(3)..j).any(|k| {
        grammar::is_negator(items, k) && !items[k + 1..=j].iter().any(|it| it.break_before)
    });
    after_sentiment || after_negator
}

/// VADER's `but` rule within the sentence of the first contrast word: before it × 0.5,
/// after it × 1.5. A contrast word that opens its sentence (`Muy amable. Pero llegó frío`)
/// weighs the sentence before against its own.
fn weigh_contrast(items: &[Item], sentiments: &mut [f64]) {
    let Some(at) = items.iter().position(|it| grammar::is_contrast(it)) else {
        return;
    };
    let start_of = |i: usize| (0..=i).rev().find(|&k| items[k].clause_start).unwrap_or(0);
    let mut lo = start_of(at);
    if lo == at && lo > 0 {
        lo = start_of(lo - 1);
    }
    let hi = (at + 1..items.len())
        .find(|&k| items[k].clause_start)
        .unwrap_or(items.len());
    for s in &mut sentiments[lo..at] {
        *s *= 0.5;
    }
    for s in &mut sentiments[at + 1..hi] {
        *s *= 1.5;
    }
}
