//! Language detection for short, informal posts.
//!
//! Trigram detectors such as `whatlang` are unreliable on a dozen words of chat Spanish
//! (`a q hora abren?` can come out as Portuguese), so two kinds of evidence are combined:
//!
//! - **stopwords**: hits on small lists of the most frequent Spanish and English function
//!   words and chat forms (`que, de, el, xq, q, tb...`; `the, and, is, my, u, lol...`). Words
//!   common to both languages (`no`, `me`, `a`) count for neither.
//! - **lexicon**: hits on sentiment words that only one language's word list has
//!   (`pesimo`, `malisimo`; `awful`, `love`), see [`lexicon`]. Short complaints often have
//!   no function word but a sentiment word (`Pésimo servicio`, `awful service`). Each hit
//!   counts like a stopword hit.
//! - **whatlang**, whose answer counts only when it says `is_reliable()` or as a tie-breaker.
//!
//! The text alone gives a verdict:
//!
//! In the rules below, "stopword hits" are stopword and lexicon hits together.
//!
//! 1. *clear* for a language with ≥ 2 stopword hits and at least twice the other's plus one
//!    (≥ 4 hits if whatlang says a third language with confidence ≥ 0.5: French and
//!    Portuguese share `la`, `en`, `que`, `de` with Spanish);
//! 2. otherwise *clear* for whatlang's reliable es/en answer, unless the stopwords lean the
//!    other way (then only *weak*); *clear* `Other` for a reliable answer in another language
//!    when no stopword hit at all;
//! 3. otherwise *weak* for the language with more stopword hits, or for whatlang's
//!    (unreliable) es/en answer on a tie;
//! 4. otherwise *unknown*.
//!
//! A network hint of `es`/`en` is trusted unless the text *clearly* says another language.
//! A hint of another language (`pt`, `fr`) gives `Other` unless the text *clearly* says es/en.
//! Without a hint (or with a non-language code such as `und`, `qme`, `zxx`) the verdict's
//! language is used, *clear* or *weak*, and *unknown* gives `Other`.

mod lexicon;

use super::normalize::{TokenKind, Tokens};
use crate::domain::Lang;

const ES_STOPWORDS: &[&str] = &[
    "que", "de", "el", "la", "los", "las", "por", "para", "pero", "mi", "mis", "ya", "xq", "q",
    "tb", "tmb", "k", "ke", "pq", "porque", "es", "esta", "estoy", "esto", "con", "del", "al",
    "un", "una", "lo", "le", "les", "se", "su", "sus", "te", "muy", "mas", "nada", "nd", "hay",
    "como", "cuando", "donde", "dnd", "ni", "tambien", "y", "en", "hola", "gracias", "eso", "este",
    "todo", "fue", "pues", "aqui", "sin", "hoy", "si", "ese", "otra", "otro", "vez", "nos", "han",
    "hace", "tengo", "tiene", "pedido", "nunca", "ayer", "bien", "porfa", "xfa", "jaja", "jajaja",
    "alv", "neta", "wey", "che", "vale", "tio", "pa", "toy", "ahora",
];

const EN_STOPWORDS: &[&str] = &[
    "the", "and", "is", "my", "to", "it", "for", "this", "was", "u", "lol", "i", "you", "your",
    "ur", "of", "in", "on", "at", "with", "that", "have", "has", "be", "are", "not", "but", "just",
    "what", "why", "how", "when", "where", "so", "can't", "don't", "it's", "i'm", "im", "dont",
    "cant", "get", "got", "from", "they", "we", "our", "will", "would", "did", "do", "does",
    "been", "an", "or", "if", "about", "out", "up", "all", "still", "again", "never", "pls", "plz",
    "thanks", "please", "idk", "tbh", "omg", "its", "there", "any", "anyone", "order", "hours",
    "their", "now", "today", "haha", "smh", "ngl", "wtf", "who",
];

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
    let hits = hits(text);
    let (es, en) = (hits.es_stop + hits.es_lex, hits.en_stop + hits.en_lex);
    let info = whatlang::detect(text);
    let guess = info.as_ref().map(|i| (map_lang(i.lang()), i.is_reliable()));
    let third_language =
        info.is_some_and(|i| map_lang(i.lang()) == Lang::Other && i.confidence() >= 0.5);
    if let Some(lang) = clear_by_stopwords(es, en).filter(|_| !third_language || es.max(en) >= 4) {
        return Verdict::Clear(lang);
    }
    let leaning = match es.cmp(&en) {
        std::cmp::Ordering::Greater => Some(Lang::Es),
        std::cmp::Ordering::Less => Some(Lang::En),
        std::cmp::Ordering::Equal => None,
    };
    // Sentiment words alone do not outvote a reliable third language: many are shared
    // with it or look alike (German `war`, Portuguese `pessimo`).
    let no_stopwords = hits.es_stop + hits.en_stop == 0;
    match (guess, leaning) {
        (Some((Lang::Other, true)), _) if no_stopwords => Verdict::Clear(Lang::Other),
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

fn clear_by_stopwords(es: usize, en: usize) -> Option<Lang> {
    if es >= 2 && es > 2 * en {
        Some(Lang::Es)
    } else if en >= 2 && en > 2 * es {
        Some(Lang::En)
    } else {
        None
    }
}

/// Evidence for each language in the words of a text.
#[derive(Debug, Default, Clone, Copy)]
struct Hits {
    es_stop: usize,
    en_stop: usize,
    es_lex: usize,
    en_lex: usize,
}

/// Stopword and one-language sentiment-word hits over the words of `text`, chat forms as
/// written; a word counts once, as a stopword if it is one.
fn hits(text: &str) -> Hits {
    let mut tokens = Tokens::new();
    tokens.fill(text, None);
    let mut hits = Hits::default();
    for (word, _) in tokens.iter().filter(|(_, t)| t.kind == TokenKind::Word) {
        let (es_stop, en_stop) = (ES_STOPWORDS.contains(&word), EN_STOPWORDS.contains(&word));
        let (es_lex, en_lex) = lexicon::hit(word);
        hits.es_stop += usize::from(es_stop);
        hits.en_stop += usize::from(en_stop);
        hits.es_lex += usize::from(es_lex && !es_stop);
        hits.en_lex += usize::from(en_lex && !en_stop);
    }
    hits
}

fn map_lang(lang: whatlang::Lang) -> Lang {
    match lang {
        whatlang::Lang::Spa => Lang::Es,
        whatlang::Lang::Eng => Lang::En,
        _ => Lang::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPANISH: &[&str] = &[
        "a q hora abren el sábado?",
        "Otra vez sin internet 🙄 ya está de la ver...",
        "45 días esperando mi reembolso y nd. Ni un correo.",
        "xq no me contestan?? llevo 2 horas",
        "Qué chido, 20 min y todo calientito 🌮🔥",
        "El bot nomas dice no entendí tu pregunta alv",
        "me cobraron doble el mes pasado",
        "tb me pasó lo mismo con mi pedido",
        "Pésimo servicio, nunca más",
        "Che, el pedido llegó re frío, una vergüenza",
        "Tío, vaya chapuza de envío, llevo una semana esperando",
        "Hola, tienen opción sin gluten?",
        "La app no funciona desde ayer",
        "Gracias por la atención, todo bien",
        "buenísimo el servicio, lo recomiendo 100%",
        "Ya puse mi queja en PROFECO x no respetar la garantía",
        "el repartidor fue muy grosero conmigo",
    ];

    const ENGLISH: &[&str] = &[
        "my order never arrived and nobody answers",
        "u guys charged me twice lol",
        "What time do you open on Sunday?",
        "Best tacos in town, thanks for the fast delivery",
        "The app is down again smh",
        "idk why my account got locked",
        "This was the worst customer service ever",
        "Got food poisoning from the chicken wrap",
        "Still waiting for my refund, it's been 3 weeks",
        "ngl the new menu is fire 🔥",
        "Can't log in to my account since yesterday",
        "The driver was so rude to me",
        "Is there a gluten free option?",
        "Loved it! Will order again",
        "Your chatbot is useless, I want a human",
        "pls fix the app it keeps crashing",
        "Thank you for the quick response",
    ];

    #[test]
    fn short_spanish_posts_without_hint() {
        for text in SPANISH {
            assert_eq!(detect(text, None), Lang::Es, "{text}");
        }
    }

    #[test]
    fn short_english_posts_without_hint() {
        for text in ENGLISH {
            assert_eq!(detect(text, None), Lang::En, "{text}");
        }
    }

    /// Posts of one to four words with no function word: the sentiment lists decide.
    #[test]
    fn very_short_posts_by_their_sentiment_words() {
        for text in [
            "Pésimo servicio",
            "malísimo 😡",
            "Decepcionante",
            "Excelente atención!!",
            "buenísimo, gracias",
            "qué asco",
            "Rapidísimo 👌",
        ] {
            assert_eq!(detect(text, None), Lang::Es, "{text}");
        }
        for text in [
            "Awful service",
            "love it!!",
            "dreadful experience",
            "Terrific 👍",
            "Disappointed again",
            "super helpful staff, thanks",
            "worst app ever",
        ] {
            assert_eq!(detect(text, None), Lang::En, "{text}");
        }
    }

    /// A network hint is kept for a short post unless the words clearly say otherwise.
    #[test]
    fn short_posts_keep_a_matching_hint_and_drop_a_wrong_one() {
        assert_eq!(detect("Pésimo servicio", Some("es")), Lang::Es);
        assert_eq!(detect("pésimo, malísimo servicio", Some("en")), Lang::Es);
        assert_eq!(detect("awful, dreadful service", Some("es")), Lang::En);
    }

    #[test]
    fn a_wrong_hint_loses_to_clear_text() {
        assert_eq!(
            detect(
                "el pedido que hice ayer no llegó y nadie me contesta",
                Some("en")
            ),
            Lang::Es
        );
        assert_eq!(
            detect("my order was late and the food was cold", Some("es")),
            Lang::En
        );
        assert_eq!(detect("xq no me llega mi pedido", Some("pt")), Lang::Es);
    }

    #[test]
    fn a_hint_wins_when_the_text_is_ambiguous() {
        assert_eq!(detect("Excelente!!! 👏👏", Some("es")), Lang::Es);
        assert_eq!(detect("Excelente!!! 👏👏", Some("en")), Lang::En);
        assert_eq!(detect("ok", Some("en-GB")), Lang::En);
        assert_eq!(detect("😡😡😡", Some("es_MX")), Lang::Es);
        assert_eq!(detect("Netflix", Some("es")), Lang::Es);
    }

    #[test]
    fn other_languages_and_placeholders() {
        assert_eq!(detect("😡😡😡", None), Lang::Other);
        assert_eq!(detect("", Some("und")), Lang::Other);
        assert_eq!(
            detect(
                "Der Kundenservice war leider überhaupt nicht hilfreich, sehr enttäuschend",
                None
            ),
            Lang::Other
        );
        assert_eq!(
            detect(
                "Je suis très déçu, la livraison est arrivée en retard",
                Some("fr")
            ),
            Lang::Other
        );
        assert_eq!(
            detect("the delivery guy was so nice", Some("und")),
            Lang::En
        );
    }
}
