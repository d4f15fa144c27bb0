//! [`SentimentEngine`]: routes each text to the language packs that can read it.
//!
//! - English goes to VADER ([`VaderEnglish`], 3.3.2's rules, applied within each sentence
//!   rather than across sentence ends) extended with our own
//!   customer-service words (`en.tsv`: `refund`, `cancelled`, `charged`...) that VADER does
//!   not list, our emoji valences (VADER reads emoji through their English names, so 😡
//!   "enraged face" scores nothing and 💔 "broken heart" scores positive), and the few
//!   re-weightings of `en_service.tsv` (`like`, `care`, `support` are not feelings here).
//! - An information question (`does the app support Apple Pay?`) with no negative word and
//!   no strong sentiment is neutral.
//! - Sarcasm turns praise into blame, in every language ([`sarcasm`]): irony emoji (`u guys
//!   good? 🙄`, `se cayó la app justo al pagar. Gracias eh 🙃`), `/s`, scare quotes (`el
//!   "mejor" servicio`), set phrases (`yeah right`, `gracias por nada`) and praise that goes
//!   straight on to a complaint event (`genial, otra vez sin luz`, `love waiting 2 hours`).
//!   Laughter adds no joy to a post that complains (`3 horas esperando jaja`).
//! - Spanish and unknown-language text goes to the Spanish-first pack engine
//!   ([`LexiconSentiment`]), which falls back to the English list word by word.
//! - Code-switching: an English-routed text with Spanish in it is scored by the pack engine,
//!   which reads each word in the first list that has it: ours and VADER's English lists,
//!   then the Spanish one, with the negators of both languages and Spanish negation rules
//!   (`love the app pero el soporte es pésimo`). Spanish "in it" means two words that read
//!   as Spanish (Spanish function words that are not English words, `que`, `pero`, `muy`,
//!   `nadie`..., or words spelled with `ñ`, accents, `¿`, `¡`), or one when VADER finds no
//!   English sentiment word at all (`the tacos were riquísimos`). One stray word (`José
//!   loved it`, a brand name) does not switch the route. Spanish sentiment words are not
//!   marked one by one: 6,000 more entries in VADER's table cost 5% of the English speed,
//!   and a Spanish clause without a single function word or accent is rare.
//! - An English text that has a phrase of our English list goes to the pack engine, which
//!   reads phrases VADER cannot read word by word (`doesn't work`, `don't like`, `thanks for
//!   nothing`), whether or not VADER finds sentiment words around it (`nice staff but my
//!   order never arrived`); so does a text in which VADER finds no sentiment word at all but
//!   a word that starts such a phrase.
//!
//! Per-brand overrides ([`Overrides`]) add or re-weight single words or phrases in every pack.

use super::english::{Reading, VaderEnglish};
use super::lexicon::LexiconSentiment;
use super::sarcasm;
use super::vader;
use super::{Sentiment, TokenValence};
use crate::domain::{Lang, SentimentScore};

/// Words a brand adds or re-weights: `(word or phrase, valence on VADER's −4..4 scale)`.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct Overrides {
    #[serde(default)]
    pub words: Vec<(String, f64)>,
}

/// The product's sentiment engine (see the module docs).
pub struct SentimentEngine {
    vader: VaderEnglish,
    packs: LexiconSentiment,
}

impl SentimentEngine {
    pub fn new() -> SentimentEngine {
        SentimentEngine::with_overrides(&Overrides::default())
    }

    /// The engine with `overrides` applied on top of every pack (e.g. a brand's name made
    /// neutral, or `sick` made positive for a skate shop).
    pub fn with_overrides(overrides: &Overrides) -> SentimentEngine {
        let packs = LexiconSentiment::with_extra(&overrides.words);
        let mut vader = VaderEnglish::new();
        vader.bound_to_sentences();
        vader.score_emoji_directly(packs.emoji_words());
        vader.add_words(service_words(), true);
        vader.add_words(
            packs.english_words().filter(|(w, _)| !w.contains(' ')),
            false,
        );
        vader.add_words(overrides.words.iter().map(|(w, v)| (w.as_str(), *v)), true);
        vader.mark_spanish(ES_FUNCTION_WORDS.iter().copied());
        vader.mark_phrases(packs.english_phrases());
        SentimentEngine { vader, packs }
    }

    /// The `top` words that moved the score most, with their valences, strongest first.
    pub fn explain(&self, text: &str, lang: Lang, top: usize) -> Vec<TokenValence> {
        self.route(text, lang, top).1
    }

    /// Scores `text` on the route its language takes (see the module docs) and, when `top`
    /// is not 0, says why. The explanation follows the final score: an ironic post's praise
    /// is listed as blame, a neutral information question lists nothing.
    fn route(&self, text: &str, lang: Lang, top: usize) -> (SentimentScore, Vec<TokenValence>) {
        self.scored(text, lang, top, false)
    }

    /// [`route`](Self::route); `laughing` is set when `text` is a post with its laughter
    /// taken out, which is not taken out again.
    fn scored(
        &self,
        text: &str,
        lang: Lang,
        top: usize,
        laughing: bool,
    ) -> (SentimentScore, Vec<TokenValence>) {
        let english = (lang == Lang::En)
            .then(|| self.vader.read(text, top))
            .filter(|r| !code_switched(r) && !needs_phrases(r));
        let (s, mut why) = match english {
            Some(Reading { score: s, why, .. }) => (s, why),
            None => self.packs.score_explained(text, lang, top),
        };
        let weak = s.neg == 0.0 && s.compound < QUESTION_NEUTRAL_BELOW;
        if weak && is_information_question(text) {
            return (NEUTRAL, Vec::new());
        }
        // Sarcasm turns praise into blame; a post that already reads negative needs no cue.
        if s.pos == 0.0 || s.compound <= -SARCASM_ABOVE {
            return (s, why);
        }
        let praises = |fragment: &str| self.packs.score(fragment, lang).compound > 0.0;
        if sarcasm::ironic(text, lang, s.neg > 0.0, praises) {
            why.iter_mut().for_each(|t| t.valence = -t.valence.abs());
            return (as_blame(s), why);
        }
        if s.neg > 0.0
            && !laughing
            && let Some(sober) = sarcasm::strip_laughter(text, lang)
        {
            let (t, why) = self.scored(&sober, lang, top, true);
            if t.compound <= 0.0 {
                return (t, why);
            }
        }
        (s, why)
    }
}

/// Below this compound a post already reads negative (the label's threshold), and sarcasm
/// cues are not looked for.
const SARCASM_ABOVE: f64 = 0.05;

/// The score of a post whose praise is blame: the positive words count as negative ones.
/// The sums of positive and negative valence are recovered from the compound and the
/// pos/neg proportions (VADER's `pos` and `neg` are each sum's share), and the flipped sum
/// normalized again.
fn as_blame(s: SentimentScore) -> SentimentScore {
    let c = s.compound.clamp(-0.9999, 0.9999);
    let sum = c * (vader::ALPHA / (1.0 - c * c)).sqrt();
    let blame = if (s.pos - s.neg).abs() > 1e-3 && sum * (s.pos - s.neg) > 0.0 {
        sum.abs() * (s.pos + s.neg) / (s.pos - s.neg).abs()
    } else {
        sum.abs().max(1.0)
    };
    SentimentScore {
        compound: vader::normalize(-blame),
        pos: 0.0,
        neu: s.neu,
        neg: s.pos + s.neg,
    }
}

/// An English-routed text has Spanish in it (see the module docs).
fn code_switched(r: &Reading) -> bool {
    r.spanish_words >= 2 || (r.spanish_words == 1 && r.score.neu >= 1.0)
}

/// The text has a phrase of our English list, which VADER cannot read word by word, or
/// VADER found no sentiment word but a word that may start one.
fn needs_phrases(r: &Reading) -> bool {
    r.phrases > 0 || (r.score.neu >= 1.0 && r.phrase_starts > 0)
}

/// Frequent Spanish words of customer posts (function words, chat forms, `pedido`,
/// `servicio`) that are not also English words or names: `de`, `la`, `con`, `me`, `hay`,
/// `toy` are left out, which is why this is not the language detector's stopword list
/// (`lang::ES_STOPWORDS`), whose job is only to tell Spanish from English posts.
const ES_FUNCTION_WORDS: &[&str] = &[
    "que", "el", "los", "las", "por", "para", "pero", "mis", "xq", "tb", "tmb", "pq", "porque",
    "esta", "estoy", "esto", "del", "una", "muy", "nada", "nadie", "nunca", "jamas", "cuando",
    "donde", "dnd", "tambien", "hola", "gracias", "eso", "todo", "fue", "pues", "aqui", "hoy",
    "otra", "otro", "tengo", "tiene", "pedido", "ayer", "porfa", "xfa", "jaja", "jajaja", "ahora",
    "siempre", "muchas", "mucho", "nuestro", "ustedes", "servicio", "tampoco",
];

/// `en_service.tsv`: word<TAB>valence lines.
fn service_words() -> impl Iterator<Item = (&'static str, f64)> {
    include_str!("en_service.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(w, v)| Some((w.trim(), v.trim().parse().ok()?)))
}

/// Words that open an information question, in English and in Spanish (accents folded,
/// as the question opens after `¿`).
const QUESTION_WORDS: &[&str] = &[
    "does", "do", "did", "is", "are", "was", "can", "could", "will", "would", "should", "how",
    "what", "when", "where", "which", "who", "any", "anyone", "has", "have", "que", "cual",
    "cuales", "cuando", "donde", "adonde", "como", "cuanto", "cuanta", "cuantos", "cuantas",
    "quien", "quienes", "hasta", "desde", "a", "en", "hay", "tienen", "tiene", "hacen", "puedo",
    "pueden", "podria", "podrian", "se", "sabe", "saben", "sabeis", "alguien", "aceptan", "abren",
    "cierran", "venden", "llega", "llegan", "incluye", "es", "son", "existe", "q",
];

/// Greetings and openers that may come before the question itself.
const OPENERS: &[&str] = &[
    "hola",
    "buenas",
    "buenos",
    "buen",
    "dias",
    "tardes",
    "noches",
    "oigan",
    "oye",
    "che",
    "disculpen",
    "disculpa",
    "perdon",
    "consulta",
    "pregunta",
    "hey",
    "hi",
    "hello",
    "quick",
    "question",
];

/// A post that asks something (`?` or `¿`) and opens with a question word, mentions and
/// greetings aside (`Hola @marca, ¿hasta qué hora abren?`, `does the app support Pay?`).
fn is_information_question(text: &str) -> bool {
    if !text.contains(['?', '¿']) {
        return false;
    }
    let first = text
        .split_whitespace()
        .filter(|w| !w.starts_with(['@', '#']))
        .map(|w| {
            crate::analysis::normalize::normalize(w.trim_matches(|c: char| !c.is_alphanumeric()))
        })
        .find(|w| !w.is_empty() && !OPENERS.contains(&w.as_str()));
    first.is_some_and(|w| QUESTION_WORDS.contains(&w.as_str()))
}

/// Below this strength a question's sentiment is taken as politeness or noise.
const QUESTION_NEUTRAL_BELOW: f64 = 0.5;

const NEUTRAL: SentimentScore = SentimentScore {
    compound: 0.0,
    pos: 0.0,
    neu: 1.0,
    neg: 0.0,
};

impl Default for SentimentEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl Sentiment for SentimentEngine {
    fn score(&self, text: &str, lang: Lang) -> SentimentScore {
        self.route(text, lang, 0).0
    }

    fn score_explained(
        &self,
        text: &str,
        lang: Lang,
        top: usize,
    ) -> (SentimentScore, Vec<TokenValence>) {
        self.route(text, lang, top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brand_overrides_reweight_words_in_both_languages() {
        let plain = SentimentEngine::new();
        let skate = SentimentEngine::with_overrides(&Overrides {
            words: vec![("sick".into(), 2.5), ("enfermo".into(), 2.0)],
        });
        assert!(plain.score("that deck is sick", Lang::En).compound < 0.0);
        assert!(skate.score("that deck is sick", Lang::En).compound > 0.0);
        assert!(skate.score("la tabla está enfermo", Lang::Es).compound > 0.0);
        let neutral_name = SentimentEngine::with_overrides(&Overrides {
            words: vec![("Fatal".into(), 0.0)],
        });
        assert_eq!(
            neutral_name
                .score("new Fatal store opens today", Lang::En)
                .compound,
            0.0
        );
    }

    #[test]
    fn clauses_bound_negation_in_both_languages() {
        let e = SentimentEngine::new();
        for (text, lang) in [
            (
                "my order never arrived, terrible service, I want a refund now!",
                Lang::En,
            ),
            ("my order never arrived - terrible service", Lang::En),
            ("it never showed up; awful experience", Lang::En),
            ("never got it 😡 worst shop ever", Lang::En),
            ("they never called back\nhorrible support", Lang::En),
            (
                "mi pedido nunca llegó, pésimo servicio, quiero mi reembolso ya!",
                Lang::Es,
            ),
            ("no llegó nada; horrible la atención", Lang::Es),
            ("no me contestan — qué mala atención", Lang::Es),
            ("nunca llegó 😡 malísimo todo", Lang::Es),
            ("no me devolvieron nada\nuna vergüenza", Lang::Es),
        ] {
            let s = e.score(text, lang);
            assert!(s.compound < -0.05, "{text}: {}", s.compound);
        }
        // Within a clause negation still flips.
        assert!(e.score("the food was not good", Lang::En).compound < 0.0);
        assert!(e.score("la comida no estaba buena", Lang::Es).compound < 0.0);
        assert!(e.score("no estuvo nada mal", Lang::Es).compound > 0.0);
    }

    #[test]
    fn contrast_stays_in_its_sentence() {
        let e = SentimentEngine::new();
        let en = "The driver was lovely, but the food was cold and awful.";
        let es = "El repartidor fue muy amable, pero la comida llegó fría y horrible.";
        assert!(e.score(en, Lang::En).compound < 0.0);
        assert!(e.score(es, Lang::Es).compound < 0.0);
        // A contrast word that opens a sentence weighs it against the one before.
        let es2 = "La comida estaba rica. Pero el mesero fue un grosero horrible.";
        assert!(e.score(es2, Lang::Es).compound < 0.0);
    }

    #[test]
    fn routes_and_explains() {
        let e = SentimentEngine::new();
        assert!(e.score("the tacos were riquísimos", Lang::En).compound > 0.0);
        assert!(e.score("never agreed to this fee 😡", Lang::En).compound < 0.0);
        assert_eq!(
            e.score("does the app support Apple Pay?", Lang::En),
            NEUTRAL
        );
        for question in [
            "Hola @TiendaSol, ¿hasta qué hora atienden el domingo?",
            "¿Tienen envío gratis a Rosario?",
            "buenas, alguien sabe si aceptan tarjeta de crédito?",
        ] {
            assert_eq!(e.score(question, Lang::Es), NEUTRAL, "{question}");
        }
        assert!(
            e.score("¿Por qué me cobraron doble? Pésimo", Lang::Es)
                .compound
                < 0.0
        );
        assert!(
            e.score("se cayó la app al pagar. Gracias eh 🙃", Lang::Es)
                .compound
                < 0.0
        );
        let why = e.explain(
            "el repartidor fue muy amable pero la comida llegó fría",
            Lang::Es,
            3,
        );
        assert!(!why.is_empty() && why.iter().any(|t| t.valence < 0.0));
    }
}
