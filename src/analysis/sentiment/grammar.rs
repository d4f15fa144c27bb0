//! Function words that modify sentiment: negators, boosters and dampeners, contrast.
//!
//! Negators and contrast words of both languages apply to every text (customers code-switch:
//! `el bot me ayudó, not bad`). Boosters and dampeners are per language, because some mean
//! something else in the other language (`re`, `tan`, `so`); unknown-language text
//! (`Lang::Other`) uses both tables.

use super::vader::{B_DECR, B_INCR, C_INCR};
use crate::domain::Lang;

/// One scoring unit: a word, an emoji, or a matched phrase.
pub(super) struct Item<'a> {
    pub(super) word: &'a str,
    pub(super) caps: bool,
    pub(super) valence: Option<f64>,
    /// First item of a sentence (see `Token::clause_start`).
    pub(super) clause_start: bool,
    /// First item of a clause (see [`crate::analysis::normalize::Span::break_before`]): negation stops here.
    pub(super) break_before: bool,
    /// An emoji or emoticon: a standalone signal that negation does not flip.
    pub(super) symbol: bool,
    /// Function-word roles of a single word (see [`role_words`]); 0 for phrases.
    pub(super) roles: u8,
}

const ES_NEGATORS: &[&str] = &[
    "no", "nunca", "jamas", "ni", "tampoco", "nada", "sin", "nadie", "ningun", "ninguno", "ninguna",
];
const EN_NEGATORS: &[&str] = &[
    "not", "never", "no", "without", "nor", "neither", "none", "nothing", "nobody", "nowhere",
    "cannot", "dont", "cant", "wont", "isnt", "arent", "wasnt", "werent", "doesnt", "didnt",
    "hasnt", "havent", "hadnt", "couldnt", "shouldnt", "wouldnt", "aint", "nope",
];

const ES_BOOSTERS: &[&str] = &[
    "muy",
    "super",
    "re",
    "tan",
    "demasiado",
    "bastante",
    "bien",
    "mega",
    "ultra",
    "requete",
    "sumamente",
    "extremadamente",
    "totalmente",
    "completamente",
    "realmente",
    "hiper",
    "increiblemente",
    "terriblemente",
    "absolutamente",
    "tremendamente",
    "verdaderamente",
];
const EN_BOOSTERS: &[&str] = &[
    "very",
    "so",
    "really",
    "super",
    "extremely",
    "absolutely",
    "totally",
    "completely",
    "incredibly",
    "too",
    "most",
    "such",
    "utterly",
    "highly",
    "hugely",
    "seriously",
    "freaking",
    "fucking",
    "damn",
    "hella",
    "insanely",
    "truly",
    "especially",
    "exceptionally",
    "deeply",
    "entirely",
    "remarkably",
    "particularly",
    "way",
];
const ES_DAMPENERS: &[&str] = &[
    "algo",
    "medio",
    "casi",
    "ligeramente",
    "apenas",
    "relativamente",
];
const EN_DAMPENERS: &[&str] = &[
    "kinda",
    "sorta",
    "slightly",
    "somewhat",
    "barely",
    "hardly",
    "marginally",
    "almost",
    "partly",
    "scarcely",
    "fairly",
];

const ES_CONTRAST: &[&str] = &["pero"];
const EN_CONTRAST: &[&str] = &["but", "however"];

/// Roles of a function word, as bits: which tables list it. Worked out once per word when
/// the lists are indexed ([`role_words`]), so the rules test bits, not tables.
pub(super) const NEGATOR: u8 = 1;
const ES_BOOSTER: u8 = 2;
const EN_BOOSTER: u8 = 4;
const ES_DAMPENER: u8 = 8;
const EN_DAMPENER: u8 = 16;
const CONTRAST: u8 = 32;

/// Every word of the tables above with its role bit (a word may come more than once).
pub(super) fn role_words() -> impl Iterator<Item = (&'static str, u8)> {
    let tables: [(&[&str], u8); 8] = [
        (ES_NEGATORS, NEGATOR),
        (EN_NEGATORS, NEGATOR),
        (ES_BOOSTERS, ES_BOOSTER),
        (EN_BOOSTERS, EN_BOOSTER),
        (ES_DAMPENERS, ES_DAMPENER),
        (EN_DAMPENERS, EN_DAMPENER),
        (ES_CONTRAST, CONTRAST),
        (EN_CONTRAST, CONTRAST),
    ];
    tables
        .into_iter()
        .flat_map(|(words, role)| words.iter().map(move |w| (*w, role)))
}

/// Whether item `j` is in the Spanish or English table, as `lang` selects.
fn listed(item: &Item, lang: Lang, es: u8, en: u8) -> bool {
    (lang != Lang::En && item.roles & es != 0) || (lang != Lang::Es && item.roles & en != 0)
}

/// Item `j` negates what follows (`no`, `nunca`, `sin`, `not`, `don't`, Spanish `poco` but
/// not `un poco`).
pub(super) fn is_negator(items: &[Item], j: usize) -> bool {
    let word = items[j].word;
    let poco = word == "poco" && !follows(items, j, &["un"]);
    items[j].roles & NEGATOR != 0 || word.ends_with("n't") || poco
}

/// `word` is a negator of either language (for phrases, whose items carry no roles).
pub(super) fn is_negator_word(word: &str) -> bool {
    ES_NEGATORS.contains(&word) || EN_NEGATORS.contains(&word) || word.ends_with("n't")
}

/// The item is a contrast word (`pero`, `but`).
pub(super) fn is_contrast(item: &Item) -> bool {
    item.roles & CONTRAST != 0
}

/// Item `j - 1` is one of `prev`.
fn follows(items: &[Item], j: usize, prev: &[&str]) -> bool {
    j > 0 && prev.contains(&items[j - 1].word)
}

/// `kind`/`sort` in `kind of`/`sort of`: part of a dampener, not a sentiment word.
pub(super) fn is_kind_of(items: &[Item], i: usize) -> bool {
    matches!(items[i].word, "kind" | "sort") && items.get(i + 1).is_some_and(|n| n.word == "of")
}

/// VADER's `B_INCR`/`B_DECR` if item `j` modifies intensity. A booster that is also a
/// sentiment word (`bien`, `super`) boosts only when a sentiment word follows it directly.
fn intensity(items: &[Item], j: usize, lang: Lang) -> Option<f64> {
    let word = items[j].word;
    if matches!(word, "poco" | "bit" | "little") && follows(items, j, &["un", "a"]) {
        return Some(B_DECR);
    }
    if word == "of" && follows(items, j, &["kind", "sort"]) {
        return Some(B_DECR);
    }
    let scalar = if listed(&items[j], lang, ES_BOOSTER, EN_BOOSTER) {
        B_INCR
    } else if listed(&items[j], lang, ES_DAMPENER, EN_DAMPENER) {
        B_DECR
    } else {
        return None;
    };
    let next_scores = items.get(j + 1).is_some_and(|n| n.valence.is_some());
    (items[j].valence.is_none() || next_scores).then_some(scalar)
}

/// Item `j` is being used as a booster or dampener (and so carries no valence of its own).
pub(super) fn acts_as_modifier(items: &[Item], j: usize, lang: Lang) -> bool {
    items[j].valence.is_some() && intensity(items, j, lang).is_some()
}

/// How much item `j` shifts the valence of a later sentiment word, VADER's `scalar_inc_dec`.
pub(super) fn booster_scalar(
    items: &[Item],
    j: usize,
    valence: f64,
    lang: Lang,
    cap_diff: bool,
) -> f64 {
    let Some(mut scalar) = intensity(items, j, lang) else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar = -scalar;
    }
    if items[j].caps && cap_diff {
        scalar += if valence > 0.0 { C_INCR } else { -C_INCR };
    }
    scalar
}
