//! `SentimentIntensityAnalyzer.sentiment_valence` and its helpers, rule for rule, quirks
//! included (see the comments marked *quirk*). Works on the pre-computed [`Tok`]s of one text.

use super::lexicon::{BOOST_PAIRS, Entry, SPECIAL_PAIRS, SPECIAL_TRIPLES, named};
use super::{C_INCR, N_SCALAR};

/// One word of the text with everything the rules ask about it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tok<'a> {
    pub(super) lower: &'a str,
    pub(super) entry: Entry,
    pub(super) upper: bool,
}

impl Tok<'_> {
    fn in_lexicon(&self) -> bool {
        self.entry.valence().is_some()
    }

    /// VADER's `negated([word])`: listed in `NEGATE` or containing `n't`.
    fn negated(&self) -> bool {
        self.entry.negator() || self.lower.as_bytes().windows(3).any(|w| w == b"n't")
    }

    fn is(&self, word: &str) -> bool {
        self.lower == word
    }

    /// One of the words of `bits` (see [`named`]).
    fn named(&self, bits: u16) -> bool {
        self.entry.named & bits != 0
    }
}

/// The valence of word `i` as `polarity_scores` appends it to `sentiments`.
pub(super) fn word_valence(t: &[Tok], i: usize, cap_diff: bool) -> f64 {
    if t[i].entry.booster().is_some()
        || (t[i].named(named::KIND) && t.get(i + 1).is_some_and(|n| n.named(named::OF)))
    {
        return 0.0;
    }
    let Some(lexicon) = t[i].entry.valence() else {
        return 0.0;
    };
    if t[i].entry.symbol() {
        return lexicon;
    }
    let mut valence = lexicon;
    if t[i].named(named::NO) && t.get(i + 1).is_some_and(Tok::in_lexicon) {
        valence = 0.0;
    }
    let no_at = |k: usize| i >= k && t[i - k].named(named::NO);
    if no_at(1) || no_at(2) || (no_at(3) && t[i - 1].named(named::OR_NOR)) {
        valence = lexicon * N_SCALAR;
    }
    if t[i].upper && cap_diff {
        // quirk: a zero valence (`no` before a lexicon word) counts as negative here.
        valence += if valence > 0.0 { C_INCR } else { -C_INCR };
    }
    for start in 0..3 {
        if i > start && !t[i - start - 1].in_lexicon() {
            let mut s = scalar_inc_dec(&t[i - start - 1], valence, cap_diff);
            if start == 1 && s != 0.0 {
                s *= 0.95;
            }
            if start == 2 && s != 0.0 {
                s *= 0.9;
            }
            valence += s;
            valence = negation_check(valence, t, start, i);
            if start == 2 {
                valence = special_idioms_check(valence, t, i);
            }
        }
    }
    least_check(valence, t, i)
}

/// `scalar_inc_dec`: the shift a booster or dampener gives a following sentiment word.
fn scalar_inc_dec(word: &Tok, valence: f64, cap_diff: bool) -> f64 {
    let Some(mut scalar) = word.entry.booster() else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar *= -1.0;
    }
    if word.upper && cap_diff {
        scalar += if valence > 0.0 { C_INCR } else { -C_INCR };
    }
    scalar
}

/// `_negation_check` for the word `start + 1` places before `i`.
fn negation_check(valence: f64, t: &[Tok], start: usize, i: usize) -> f64 {
    match start {
        0 if t[i - 1].negated() => valence * N_SCALAR,
        1 if t[i - 2].named(named::NEVER) && t[i - 1].named(named::SO_THIS) => valence * 1.25,
        1 if t[i - 2].named(named::WITHOUT) && t[i - 1].named(named::DOUBT) => valence,
        1 if t[i - 2].negated() => valence * N_SCALAR,
        // quirk: Python's `and`/`or` precedence makes any `so`/`this` just before the word
        // count as "never so", with or without the "never".
        2 if (t[i - 3].named(named::NEVER) && t[i - 2].named(named::SO_THIS))
            || t[i - 1].named(named::SO_THIS) =>
        {
            valence * 1.25
        }
        2 if t[i - 3].named(named::WITHOUT)
            && (t[i - 2].named(named::DOUBT) || t[i - 1].named(named::DOUBT)) =>
        {
            valence
        }
        2 if t[i - 3].negated() => valence * N_SCALAR,
        _ => valence,
    }
}

fn pair_is(t: &[Tok], a: usize, pair: &[&str; 2]) -> bool {
    t[a].is(pair[0]) && t[a + 1].is(pair[1])
}

fn triple_is(t: &[Tok], a: usize, triple: &[&str; 3]) -> bool {
    t[a].is(triple[0]) && t[a + 1].is(triple[1]) && t[a + 2].is(triple[2])
}

fn special_pair(t: &[Tok], a: usize) -> Option<f64> {
    SPECIAL_PAIRS
        .iter()
        .find(|(p, _)| pair_is(t, a, p))
        .map(|&(_, v)| v)
}

fn special_triple(t: &[Tok], a: usize) -> Option<f64> {
    SPECIAL_TRIPLES
        .iter()
        .find(|(p, _)| triple_is(t, a, p))
        .map(|&(_, v)| v)
}

/// `_special_idioms_check` (only reached with `i >= 3`).
fn special_idioms_check(mut valence: f64, t: &[Tok], i: usize) -> f64 {
    // Every n-gram it looks at lies within `i - 3 ..= i + 2`; most have no idiom word.
    if !t[i - 3..(i + 3).min(t.len())]
        .iter()
        .any(|w| w.named(named::IDIOM))
    {
        return valence;
    }
    // The order of VADER's `sequences`: onezero, twoonezero, twoone, threetwoone, threetwo.
    let found = special_pair(t, i - 1)
        .or_else(|| special_triple(t, i - 2))
        .or_else(|| special_pair(t, i - 2))
        .or_else(|| special_triple(t, i - 3))
        .or_else(|| special_pair(t, i - 3));
    if let Some(v) = found {
        valence = v;
    }
    if t.len() - 1 > i {
        if let Some(v) = special_pair(t, i) {
            valence = v;
        }
    }
    if t.len() - 1 > i + 1 {
        if let Some(v) = special_triple(t, i) {
            valence = v;
        }
    }
    // n-grams threetwoone (never a two-word booster), threetwo, twoone.
    for a in [i - 3, i - 2] {
        if BOOST_PAIRS.iter().any(|p| pair_is(t, a, p)) {
            valence += super::B_DECR;
        }
    }
    valence
}

/// `_least_check`: "least" flips what follows, except in "at least" and "very least".
fn least_check(valence: f64, t: &[Tok], i: usize) -> f64 {
    if i == 0 || t[i - 1].in_lexicon() || !t[i - 1].named(named::LEAST) {
        return valence;
    }
    if i > 1 && t[i - 2].named(named::AT_VERY) {
        valence
    } else {
        valence * N_SCALAR
    }
}

/// `_but_check`, quirk included: each value is written back at the *first* index holding an
/// equal value (`sentiments.index`), so equal valences before and after "but" interfere.
/// Texts of more than [`BUT_EXACT_LIMIT`] words use plain positions instead,
/// keeping the work linear on huge inputs.
pub(super) fn but_check(t: &[Tok], sentiments: &mut [f64]) {
    let Some(bi) = t.iter().position(|w| w.named(named::BUT)) else {
        return;
    };
    let exact = sentiments.len() <= BUT_EXACT_LIMIT;
    for k in 0..sentiments.len() {
        let v = sentiments[k];
        if v == 0.0 {
            continue; // zeros stay zero whichever index they are written to
        }
        let si = if exact {
            sentiments[..k].iter().position(|s| *s == v).unwrap_or(k)
        } else {
            k
        };
        if si < bi {
            sentiments[si] = v * 0.5;
        } else if si > bi {
            sentiments[si] = v * 1.5;
        }
    }
}

/// [`but_check`] bounded to the sentence of the first `but`, where `ends(i)` says that word
/// `i` ends a sentence. A `but` that opens its sentence contrasts it with the one before.
pub(super) fn but_check_in_sentence(t: &[Tok], ends: impl Fn(usize) -> bool, s: &mut [f64]) {
    let Some(bi) = t.iter().position(|w| w.named(named::BUT)) else {
        return;
    };
    let start_of = |i: usize| (0..i).rev().find(|&k| ends(k)).map_or(0, |k| k + 1);
    let mut lo = start_of(bi);
    if lo == bi && lo > 0 {
        lo = start_of(lo - 1);
    }
    let hi = (bi..t.len()).find(|&k| ends(k)).map_or(t.len(), |k| k + 1);
    but_check(&t[lo..hi], &mut s[lo..hi]);
}

/// See [`but_check`].
const BUT_EXACT_LIMIT: usize = 4_096;
