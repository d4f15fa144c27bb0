//! Lexicon evidence for language detection: the sentiment words of each language's lists.
//!
//! Short posts often carry no function word at all but a sentiment word or two (`Pésimo
//! servicio`, `malísimo`, `awful service`, `love it`): the sentiment lists then say the
//! language. The Spanish list (`es.tsv` and its generated inflections) and the English one
//! (VADER's lexicon and our `en.tsv`) are folded like post words; words of fewer than three
//! letters are left out, and [`super::words`] keeps as evidence only the words of one
//! language's lists that are no stopword of either language (VADER lists `sin`, `con`;
//! `terrible` and `fatal` are in both lists).

use crate::analysis::normalize::fold;

/// The folded single words of the Spanish sentiment lists.
pub(super) fn spanish() -> impl Iterator<Item = String> {
    keys(include_str!("../sentiment/es.tsv"))
        .chain(keys(include_str!("../sentiment/es_generated.tsv")))
}

/// The folded single words of the English sentiment lists.
pub(super) fn english() -> impl Iterator<Item = String> {
    keys(include_str!("../sentiment/english/vader_lexicon.txt"))
        .chain(keys(include_str!("../sentiment/en.tsv")))
}

/// The single-word keys of a `word<TAB>...` list, folded, of three letters or more.
fn keys(src: &'static str) -> impl Iterator<Item = String> {
    src.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
        .map(fold)
}
