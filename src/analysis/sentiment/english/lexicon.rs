//! VADER 3.3.2's word lists and tables, merged into one map so that each word is looked up
//! once per text.
//!
//! `vader_lexicon.txt` and `emoji_utf8_lexicon.txt` are copied unchanged from the PyPI
//! package `vaderSentiment==3.3.2` (MIT, © 2016 C.J. Hutto; see `LICENSE-VADER.txt`).
//! The tables below are transcribed from its `vaderSentiment.py`.

use super::{B_DECR, B_INCR};
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

/// What VADER knows about one lower-case word.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Entry {
    /// Valence in `vader_lexicon.txt`.
    pub(super) valence: Option<f64>,
    /// Value in `BOOSTER_DICT`.
    pub(super) booster: Option<f64>,
    /// Listed in `NEGATE`.
    pub(super) negator: bool,
    /// An emoji scored directly (product engine only): a standalone signal that negation,
    /// boosters and capitals do not touch.
    pub(super) symbol: bool,
}

/// All of VADER's word knowledge.
pub(super) struct Tables {
    pub(super) words: FxHashMap<Box<str>, Entry>,
    pub(super) emoji: FxHashMap<char, Box<str>>,
}

impl Tables {
    pub(super) fn load() -> Tables {
        let mut words: FxHashMap<Box<str>, Entry> = FxHashMap::default();
        for line in include_str!("vader_lexicon.txt").lines() {
            let mut fields = line.trim().split('\t');
            let (Some(word), Some(Ok(valence))) = (fields.next(), fields.next().map(str::parse))
            else {
                continue;
            };
            words.entry(word.into()).or_default().valence = Some(valence);
        }
        for (list, value) in [(BOOST_UP, B_INCR), (BOOST_DOWN, B_DECR)] {
            for &w in list {
                words.entry(w.into()).or_default().booster = Some(value);
            }
        }
        for &w in NEGATE {
            words.entry(w.into()).or_default().negator = true;
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
