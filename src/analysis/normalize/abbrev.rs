//! Chat abbreviations and their expansions.

use crate::domain::Lang;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// When an abbreviation applies.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Spanish or unknown-language text.
    Es,
    /// Only text known to be Spanish: the abbreviation is also an English word or a symbol.
    EsOnly,
    /// English or unknown-language text.
    En,
}

impl Scope {
    fn applies(self, lang: Lang) -> bool {
        match self {
            Scope::Es => lang != Lang::En,
            Scope::EsOnly => lang == Lang::Es,
            Scope::En => lang != Lang::Es,
        }
    }
}

/// `(abbreviation, expansion, scope)`; abbreviations are already folded (lower-case, no accents).
const ABBREVIATIONS: &[(&str, &str, Scope)] = &[
    ("q", "que", Scope::Es),
    ("k", "que", Scope::Es),
    ("ke", "que", Scope::Es),
    ("xq", "porque", Scope::Es),
    ("xk", "porque", Scope::Es),
    ("pq", "porque", Scope::Es),
    ("porq", "porque", Scope::Es),
    ("tb", "tambien", Scope::Es),
    ("tmb", "tambien", Scope::Es),
    ("tmbn", "tambien", Scope::Es),
    ("xfa", "por favor", Scope::Es),
    ("porfa", "por favor", Scope::Es),
    ("plis", "por favor", Scope::Es),
    ("dnd", "donde", Scope::Es),
    ("nd", "nada", Scope::Es),
    ("bn", "bien", Scope::Es),
    ("mxo", "mucho", Scope::Es),
    ("mxa", "mucha", Scope::Es),
    ("tqm", "te quiero mucho", Scope::Es),
    ("kien", "quien", Scope::Es),
    ("aki", "aqui", Scope::Es),
    ("msj", "mensaje", Scope::Es),
    ("tmpc", "tampoco", Scope::Es),
    ("x", "por", Scope::EsOnly),
    ("d", "de", Scope::EsOnly),
    ("toy", "estoy", Scope::EsOnly),
    ("pa", "para", Scope::EsOnly),
    ("u", "you", Scope::En),
    ("ur", "your", Scope::En),
    ("pls", "please", Scope::En),
    ("plz", "please", Scope::En),
    ("thx", "thanks", Scope::En),
    ("thnx", "thanks", Scope::En),
    ("ty", "thank you", Scope::En),
    ("idk", "i don't know", Scope::En),
    ("smh", "shaking my head", Scope::En),
    ("tbh", "to be honest", Scope::En),
    // Not "not gonna lie": a literal `not` would negate the words that follow.
    ("ngl", "honestly", Scope::En),
    ("wtf", "what the fuck", Scope::En),
    ("cuz", "because", Scope::En),
    ("bc", "because", Scope::En),
    ("b4", "before", Scope::En),
];

/// No abbreviation is longer, so longer words skip the table.
const MAX_ABBREVIATION_BYTES: usize = 8;

/// The expansion of `word` (already folded) if it is a chat abbreviation in `lang`. The
/// expansion replaces the word and keeps its `caps` and `clause_start`.
pub(super) fn lookup(word: &str, lang: Lang) -> Option<&'static str> {
    if word.len() > MAX_ABBREVIATION_BYTES {
        return None;
    }
    // One hash lookup instead of a scan of the list for every word of every post.
    static BY_WORD: LazyLock<FxHashMap<&'static str, Vec<(&'static str, Scope)>>> =
        LazyLock::new(|| {
            let mut map: FxHashMap<&str, Vec<(&str, Scope)>> = FxHashMap::default();
            for &(abbr, expansion, scope) in ABBREVIATIONS {
                map.entry(abbr).or_default().push((expansion, scope));
            }
            map
        });
    BY_WORD
        .get(word)?
        .iter()
        .find(|(_, scope)| scope.applies(lang))
        .map(|(expansion, _)| *expansion)
}

#[cfg(test)]
mod limit {
    #[test]
    fn every_abbreviation_fits_the_length_limit() {
        assert!(
            super::ABBREVIATIONS
                .iter()
                .all(|(a, _, _)| a.len() <= super::MAX_ABBREVIATION_BYTES)
        );
    }
}
