//! Language detection for short, informal posts, at the speed of the sentiment engine.
//!
//! Trigram detectors such as `whatlang` are unreliable on a dozen words of chat Spanish
//! (`a q hora abren?` can come out as Portuguese) and cost far more than scoring the post,
//! so the words decide first, in one pass ([`scan`]) with one table lookup per word
//! ([`words`]):
//!
//! - **stopwords**: hits on small lists of the most frequent Spanish and English function
//!   words and chat forms (`que, de, el, xq, q, tb...`; `the, and, is, my, u, lol...`). Words
//!   common to both languages (`no`, `me`, `a`) count for neither.
//! - **lexicon**: hits on sentiment words that only one language's word list has
//!   (`pesimo`, `malisimo`; `awful`, `love`), see [`lexicon`]. Short complaints often have
//!   no function word but a sentiment word (`Pésimo servicio`, `awful service`). Each hit
//!   counts like a stopword hit.
//! - **third-language words**: function words of Portuguese, French, Italian, German,
//!   Catalan and Dutch that are no Spanish or English word (`não`, `você`, `est`, `und`),
//!   and words in another script than Latin. They do not vote; they only say that the
//!   stopwords alone may not be trusted.
//! - **whatlang** ([`fallback`]), asked only when the words do not decide; its answer counts
//!   only when it says `is_reliable()` or as a tie-breaker.
//!
//! In the rules below, "stopword hits" are stopword and lexicon hits together. The text
//! alone gives a verdict:
//!
//! 1. *unknown* when it has no word with a letter (empty, emoji, numbers, links, handles);
//! 2. *clear* `Other` when most words are in another script than Latin and none is a
//!    Spanish or English stopword;
//! 3. *clear* for a language with ≥ 2 stopword hits and at least twice the other's plus one,
//!    when no third-language word is present or that language has ≥ 4 hits (French and
//!    Portuguese share `la`, `en`, `que`, `de` with Spanish). Real-length posts almost always
//!    end here, without whatlang;
//! 4. *weak* for the language of the one stopword when that is all the words say (no other
//!    stopword, sentiment word, third-language word or other script): on so little text
//!    whatlang is rarely reliable, could at most say *clear* instead of *weak* or overrule a
//!    stopword, and it costs several times the whole analysis of the post;
//! 5. otherwise, with whatlang's answer: the same rule, except that a third language that
//!    whatlang names with confidence ≥ 0.5, or as many third-language words as hits, also
//!    needs ≥ 4 hits; then *clear* `Other` for an answer in another language that is
//!    reliable or backed by third-language words, when there are no more stopword hits than
//!    third-language words (sentiment words do not count here); *clear* for whatlang's
//!    reliable es/en answer, unless the stopwords lean the other way (then only *weak*);
//! 6. otherwise *weak* for the language with more stopword hits, or for whatlang's
//!    (unreliable) es/en answer on a tie;
//! 7. otherwise *unknown*.
//!
//! A network hint of `es`/`en` is trusted unless the text *clearly* says another language.
//! A hint of another language (`pt`, `fr`) gives `Other` unless the text *clearly* says es/en.
//! Without a hint (or with a non-language code such as `und`, `qme`, `zxx`) the verdict's
//! language is used, *clear* or *weak*, and *unknown* gives `Other`.
//!
//! Only the first [`scan::MAX_SCAN`] bytes of a text are read.

mod fallback;
mod lexicon;
mod scan;
mod table;
#[cfg(test)]
mod tests;
mod trigram;
mod words;

use crate::domain::Lang;
use scan::Hits;

/// What the text alone says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Clear(Lang),
    Weak(Lang),
    Unknown,
}

/// The language of `text`, given the network's `hint` (ISO 639-1, e.g. `es`, `en-GB`).
pub fn detect(text: &str, hint: Option<&str>) -> Lang {
    let verdict = verdict(text);
    match hint.and_then(hint_lang) {
        Some(lang @ (Lang::Es | Lang::En)) => match verdict {
            Verdict::Clear(other) if other != lang => other,
            _ => lang,
        },
        Some(_) => match verdict {
            Verdict::Clear(lang) => lang,
            _ => Lang::Other,
        },
        None => match verdict {
            Verdict::Clear(lang) | Verdict::Weak(lang) => lang,
            Verdict::Unknown => Lang::Other,
        },
    }
}

/// A hint counts only if it looks like a language code (`und`, `qme`, `zxx` do not).
fn hint_lang(hint: &str) -> Option<Lang> {
    let base = hint.split(['-', '_']).next().unwrap_or("");
    (base.len() == 2 && base.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| Lang::from_code(base))
}

fn verdict(text: &str) -> Verdict {
    let hits = scan::hits(text);
    if hits.words == 0 {
        return Verdict::Unknown;
    }
    if hits.alien * 2 > hits.words && hits.es_stop + hits.en_stop == 0 {
        return Verdict::Clear(Lang::Other);
    }
    let (es, en) = (hits.es(), hits.en());
    let alone = hits.third == 0 && hits.alien == 0;
    match clear_by_stopwords(es, en) {
        Some(lang) if alone || es.max(en) >= 4 => Verdict::Clear(lang),
        None if alone && hits.es_lex + hits.en_lex == 0 && hits.es_stop + hits.en_stop == 1 => {
            Verdict::Weak(if hits.es_stop == 1 {
                Lang::Es
            } else {
                Lang::En
            })
        }
        _ => with_whatlang(text, &hits),
    }
}

/// Rules 5 to 7 of the module docs.
fn with_whatlang(text: &str, hits: &Hits) -> Verdict {
    let (es, en) = (hits.es(), hits.en());
    let info = fallback::detect(scan::head(text, scan::MAX_SCAN), hits.alien > 0);
    let guess = info.as_ref().map(|i| (map_lang(i.lang()), i.is_reliable()));
    let third_language = hits.third >= es.max(en)
        || info.is_some_and(|i| map_lang(i.lang()) == Lang::Other && i.confidence() >= 0.5);
    if let Some(lang) = clear_by_stopwords(es, en).filter(|_| !third_language || es.max(en) >= 4) {
        return Verdict::Clear(lang);
    }
    let leaning = match es.cmp(&en) {
        std::cmp::Ordering::Greater => Some(Lang::Es),
        std::cmp::Ordering::Less => Some(Lang::En),
        std::cmp::Ordering::Equal => None,
    };
    // Sentiment words alone do not outvote a reliable third language: many are shared
    // with it or look alike (German `war`, Portuguese `pessimo`). Nor do fewer stopwords
    // than it has function words (`lo` in Italian `non lo consiglio`).
    let outvoted = hits.es_stop + hits.en_stop <= hits.third;
    match (guess, leaning) {
        (Some((Lang::Other, reliable)), _) if outvoted && (reliable || hits.third > 0) => {
            Verdict::Clear(Lang::Other)
        }
        (Some((lang @ (Lang::Es | Lang::En), true)), None) => Verdict::Clear(lang),
        (Some((lang @ (Lang::Es | Lang::En), true)), Some(lean)) if lean == lang => {
            Verdict::Clear(lang)
        }
        (Some((lang @ (Lang::Es | Lang::En), true)), Some(_)) => Verdict::Weak(lang),
        (_, Some(lean)) => Verdict::Weak(lean),
        (Some((lang @ (Lang::Es | Lang::En), false)), None) => Verdict::Weak(lang),
        _ => Verdict::Unknown,
    }
}

fn clear_by_stopwords(es: u32, en: u32) -> Option<Lang> {
    if es >= 2 && es > 2 * en {
        Some(Lang::Es)
    } else if en >= 2 && en > 2 * es {
        Some(Lang::En)
    } else {
        None
    }
}

fn map_lang(lang: whatlang::Lang) -> Lang {
    match lang {
        whatlang::Lang::Spa => Lang::Es,
        whatlang::Lang::Eng => Lang::En,
        _ => Lang::Other,
    }
}
