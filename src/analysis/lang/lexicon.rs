//! Lexicon evidence for language detection: hits on sentiment words that only one
//! language's word list has.
//!
//! Short posts often carry no function word at all but a sentiment word or two (`Pésimo
//! servicio`, `malísimo`, `awful service`, `love it`): the sentiment lists then say the
//! language. The Spanish list (`es.tsv` and its generated inflections) and the English one
//! (VADER's lexicon and our `en.tsv`) are folded like post words; words of fewer than three
//! letters, words in both lists (`terrible`, `fatal`) and the stopwords of either language
//! (VADER lists `sin`, `con`) count for neither.

use super::{EN_STOPWORDS, ES_STOPWORDS};
use crate::analysis::normalize::fold;
use rustc_hash::FxHashSet;
use std::sync::LazyLock;

struct Lexicons {
    es_only: FxHashSet<String>,
    en_only: FxHashSet<String>,
}

static LEXICONS: LazyLock<Lexicons> = LazyLock::new(|| {
    let es: FxHashSet<String> = keys(include_str!("../sentiment/es.tsv"))
        .chain(keys(include_str!("../sentiment/es_generated.tsv")))
        .collect();
    let en: FxHashSet<String> = keys(include_str!("../sentiment/english/vader_lexicon.txt"))
        .chain(keys(include_str!("../sentiment/en.tsv")))
        .collect();
    let stop =
        |w: &String| ES_STOPWORDS.contains(&w.as_str()) || EN_STOPWORDS.contains(&w.as_str());
    Lexicons {
        es_only: es
            .iter()
            .filter(|w| !en.contains(*w) && !stop(w))
            .cloned()
            .collect(),
        en_only: en
            .iter()
            .filter(|w| !es.contains(*w) && !stop(w))
            .cloned()
            .collect(),
    }
});

/// The single-word keys of a `word<TAB>...` list, folded, of three letters or more.
fn keys(src: &str) -> impl Iterator<Item = String> + '_ {
    src.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
        .map(fold)
}

/// Whether the folded `word` is a sentiment word of Spanish only, of English only.
pub(super) fn hit(word: &str) -> (bool, bool) {
    let lex = &*LEXICONS;
    (lex.es_only.contains(word), lex.en_only.contains(word))
}

#[cfg(test)]
mod tests {
    use super::hit;

    #[test]
    fn words_of_one_list_only() {
        assert_eq!(hit("pesimo"), (true, false));
        assert_eq!(hit("malisimo"), (true, false));
        assert_eq!(hit("awful"), (false, true));
        // In both lists, or a stopword: no evidence.
        assert_eq!(hit("terrible"), (false, false));
        assert_eq!(hit("sin"), (false, false));
    }
}
