//! VADER 3.3.2's word lists and tables, merged into one map so that each word is looked up
//! once per text.
//!
//! `vader_lexicon.txt` and `emoji_utf8_lexicon.txt` are copied unchanged from the PyPI
//! package `vaderSentiment==3.3.2` (MIT, © 2016 C.J. Hutto; see `LICENSE-VADER.txt`).
//! The tables below are transcribed from its `vaderSentiment.py`.

use super::{B_DECR, B_INCR};
use crate::analysis::sentiment::table::WordTable;
use rustc_hash::FxHashMap;

/// `NEGATE`.
const NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

/// Single-word keys of `BOOSTER_DICT` that raise intensity (`B_INCR`).
const BOOST_UP: &[&str] = &[
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerable",
    "considerably",
    "decidedly",
    "deeply",
    "effing",
    "enormous",
    "enormously",
    "entirely",
    "especially",
    "exceptional",
    "exceptionally",
    "extreme",
    "extremely",
    "fabulously",
    "flipping",
    "flippin",
    "frackin",
    "fracking",
    "fricking",
    "frickin",
    "frigging",
    "friggin",
    "fully",
    "fuckin",
    "fucking",
    "fuggin",
    "fugging",
    "greatly",
    "hella",
    "highly",
    "hugely",
    "incredible",
    "incredibly",
    "intensely",
    "major",
    "majorly",
    "more",
    "most",
    "particularly",
    "purely",
    "quite",
    "really",
    "remarkably",
    "so",
    "substantially",
    "thoroughly",
    "total",
    "totally",
    "tremendous",
    "tremendously",
    "uber",
    "unbelievably",
    "unusually",
    "utter",
    "utterly",
    "very",
];

/// Single-word keys of `BOOSTER_DICT` that lower intensity (`B_DECR`).
const BOOST_DOWN: &[&str] = &[
    "almost",
    "barely",
    "hardly",
    "kinda",
    "kindof",
    "kind-of",
    "less",
    "little",
    "marginal",
    "marginally",
    "occasional",
    "occasionally",
    "partly",
    "scarce",
    "scarcely",
    "slight",
    "slightly",
    "somewhat",
    "sorta",
    "sortof",
    "sort-of",
];

/// Two-word keys of `BOOSTER_DICT` (all `B_DECR`).
pub(super) const BOOST_PAIRS: &[[&str; 2]] = &[["just", "enough"], ["kind", "of"], ["sort", "of"]];

/// `SPECIAL_CASES` of two and three words (the one-word `badass` can never match there).
pub(super) const SPECIAL_PAIRS: &[([&str; 2], f64)] = &[
    (["the", "shit"], 3.0),
    (["the", "bomb"], 3.0),
    (["bad", "ass"], 1.5),
    (["bus", "stop"], 0.0),
    (["yeah", "right"], -2.0),
    (["beating", "heart"], 3.5),
];
pub(super) const SPECIAL_TRIPLES: &[([&str; 3], f64)] =
    &[(["kiss", "of", "death"], -1.5), (["to", "die", "for"], 3.0)];

/// What VADER knows about one lower-case word, in 16 bytes (the product's table holds some
/// 13,000 words and is read once per token, so its size shows in the speed).
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    /// Valence in `vader_lexicon.txt`; NaN when not listed.
    valence: f64,
    /// Sign of its `BOOSTER_DICT` value (`B_INCR` or `B_DECR`); 0 when not listed.
    booster: i8,
    /// [`NEGATOR`], [`SYMBOL`], [`SPANISH`], [`PHRASE`].
    flags: u8,
    /// Which of the words the rules ask about by name this is ([`named`] bits), so the
    /// rules test a bit instead of comparing strings.
    pub(super) named: u16,
}

/// Listed in `NEGATE`.
const NEGATOR: u8 = 1;
/// An emoji scored directly (product engine only): a standalone signal that negation,
/// boosters and capitals do not touch.
const SYMBOL: u8 = 2;
/// A Spanish word unknown to VADER (product engine only): evidence of code-switching.
const SPANISH: u8 = 4;
/// The first word of a phrase of another list (product engine only).
const PHRASE: u8 = 8;

impl Default for Entry {
    fn default() -> Self {
        Entry {
            valence: f64::NAN,
            booster: 0,
            flags: 0,
            named: 0,
        }
    }
}

impl Entry {
    pub(super) fn valence(&self) -> Option<f64> {
        (!self.valence.is_nan()).then_some(self.valence)
    }

    pub(super) fn set_valence(&mut self, valence: f64) {
        self.valence = valence;
    }

    pub(super) fn booster(&self) -> Option<f64> {
        match self.booster {
            0 => None,
            1 => Some(B_INCR),
            _ => Some(B_DECR),
        }
    }

    fn set_booster(&mut self, value: f64) {
        self.booster = if value > 0.0 { 1 } else { -1 };
    }

    pub(super) fn negator(&self) -> bool {
        self.flags & NEGATOR != 0
    }

    pub(super) fn symbol(&self) -> bool {
        self.flags & SYMBOL != 0
    }

    pub(super) fn set_symbol(&mut self) {
        self.flags |= SYMBOL;
    }

    pub(super) fn spanish(&self) -> bool {
        self.flags & SPANISH != 0
    }

    pub(super) fn set_spanish(&mut self, spanish: bool) {
        self.flags = (self.flags & !SPANISH) | if spanish { SPANISH } else { 0 };
    }

    pub(super) fn phrase(&self) -> bool {
        self.flags & PHRASE != 0
    }

    pub(super) fn set_phrase(&mut self) {
        self.flags |= PHRASE;
    }
}

/// The words VADER's rules ask about by name, as bits of [`Entry::named`].
pub(super) mod named {
    pub const NO: u16 = 1;
    pub const KIND: u16 = 1 << 1;
    pub const OF: u16 = 1 << 2;
    pub const NEVER: u16 = 1 << 3;
    /// `so` or `this`.
    pub const SO_THIS: u16 = 1 << 4;
    pub const WITHOUT: u16 = 1 << 5;
    pub const DOUBT: u16 = 1 << 6;
    pub const LEAST: u16 = 1 << 7;
    /// `at` or `very`.
    pub const AT_VERY: u16 = 1 << 8;
    /// `or` or `nor`.
    pub const OR_NOR: u16 = 1 << 9;
    pub const BUT: u16 = 1 << 10;
    /// Part of a special idiom or a two-word booster.
    pub const IDIOM: u16 = 1 << 11;
}

/// The bits of [`named`] for the words that carry them.
fn named_words() -> impl Iterator<Item = (&'static str, u16)> {
    let by_name = [
        ("no", named::NO),
        ("kind", named::KIND),
        ("of", named::OF),
        ("never", named::NEVER),
        ("so", named::SO_THIS),
        ("this", named::SO_THIS),
        ("without", named::WITHOUT),
        ("doubt", named::DOUBT),
        ("least", named::LEAST),
        ("at", named::AT_VERY),
        ("very", named::AT_VERY),
        ("or", named::OR_NOR),
        ("nor", named::OR_NOR),
        ("but", named::BUT),
    ];
    let idioms = BOOST_PAIRS
        .iter()
        .flat_map(|p| p.iter())
        .chain(SPECIAL_PAIRS.iter().flat_map(|(p, _)| p.iter()))
        .chain(SPECIAL_TRIPLES.iter().flat_map(|(p, _)| p.iter()))
        .map(|w| (*w, named::IDIOM));
    by_name.into_iter().chain(idioms)
}

/// All of VADER's word knowledge.
pub(super) struct Tables {
    pub(super) words: WordTable<Entry>,
    pub(super) emoji: FxHashMap<char, Box<str>>,
}

impl Tables {
    pub(super) fn load() -> Tables {
        let lexicon = include_str!("vader_lexicon.txt");
        let mut words: WordTable<Entry> = WordTable::with_capacity(lexicon.lines().count() + 256);
        for line in lexicon.lines() {
            let mut fields = line.trim().split('\t');
            let (Some(word), Some(Ok(valence))) = (fields.next(), fields.next().map(str::parse))
            else {
                continue;
            };
            words.entry(word).set_valence(valence);
        }
        for (list, value) in [(BOOST_UP, B_INCR), (BOOST_DOWN, B_DECR)] {
            for &w in list {
                words.entry(w).set_booster(value);
            }
        }
        for &w in NEGATE {
            words.entry(w).flags |= NEGATOR;
        }
        for (w, bit) in named_words() {
            words.entry(w).named |= bit;
        }
        Tables {
            words,
            emoji: emoji_descriptions(),
        }
    }
}

/// Emoji of one code point and their descriptions; longer sequences in the file can never
/// match VADER's character-by-character scan, so they are left out.
fn emoji_descriptions() -> FxHashMap<char, Box<str>> {
    let mut emoji = FxHashMap::default();
    for line in include_str!("emoji_utf8_lexicon.txt").lines() {
        let Some((key, description)) = line.trim().split_once('\t') else {
            continue;
        };
        let mut chars = key.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            let description = description.split('\t').next().unwrap_or("");
            emoji.insert(c, description.into());
        }
    }
    emoji
}
