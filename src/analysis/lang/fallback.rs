//! The general detector, asked only when the words do not decide (see [`super`]).
//!
//! `whatlang` compares a text's trigrams with the profile of every language of its script:
//! 300 lookups per language, 36 languages for Latin script. Latin-script text is compared
//! only with the languages that matter here: Spanish and English, and the languages that
//! share words or spelling with them, or that customers of a Spanish- or English-speaking
//! brand write in (Portuguese, French, Italian, German, Catalan, Dutch, Indonesian, Tagalog,
//! Turkish, Polish, Romanian), and for text whose main script is Latin the same answer is
//! computed by [`super::trigram`], an inverted form of the crate's own scoring that does one
//! lookup per text trigram instead of 300 per language. Text in another script goes to the
//! full detector, which tells the script first and then compares only that script's
//! languages.

use std::sync::LazyLock;
use whatlang::{Detector, Info};

static LATIN: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(super::trigram::LANGS.to_vec()));
static ANY: LazyLock<Detector> = LazyLock::new(Detector::new);

/// whatlang's answer for `text`; `other_script` when some word is in a non-Latin script.
pub(super) fn detect(text: &str, other_script: bool) -> Option<Info> {
    if other_script {
        ANY.detect(text)
    } else {
        super::trigram::detect(text).or_else(|| LATIN.detect(text))
    }
}
