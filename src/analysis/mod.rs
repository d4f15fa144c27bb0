//! The analysis stage: what a mention says and how it feels.
//!
//! For each mention, [`Analyzer::analyze`] decides the language ([`lang::detect`], combining
//! whatlang with stopword counts and the network's hint), scores the sentiment with a
//! [`Sentiment`] engine, and tags complaint categories with [`CategoryRules`] loaded from
//! `keywords/*.toml`. Everything is pure and synchronous; nothing here does I/O except
//! [`CategoryRules::load_dir`], which runs once at start-up.
//!
//! All three parts share [`normalize`], which understands the "2.0 consumer": emoji and
//! emoticons, elongations (`malísimooo`), chat forms (`xq`, `tb`, `q`), stray HTML.
//!
//! This is the first implementation; the sentiment engine and the keyword matcher sit behind
//! small seams ([`Sentiment`], [`CategoryRules::categorize`]) so they can be replaced.

pub mod batch;
pub mod lang;
pub mod normalize;
pub mod query;
pub mod rules;
pub mod scope;
pub mod sentiment;
pub mod tools;

pub use rules::{CategoryRules, RulesError};
pub use scope::BrandScope;
pub use sentiment::{LexiconSentiment, Sentiment, SentimentEngine};

use crate::domain::{Analysis, Mention};
use query::{Doc, Meta};
use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock};

/// How many contributing words an analysis keeps as its explanation.
const EXPLAIN_TOP: usize = 5;

/// Runs language detection, sentiment and category rules over mentions. Clones share the
/// rules, which [`Analyzer::set_rules`] replaces while the service runs (SIGHUP).
#[derive(Clone)]
pub struct Analyzer {
    sentiment: Arc<dyn Sentiment>,
    /// Engines with a brand's own word weights (config `brands[].sentiment_words`).
    brand_sentiment: BTreeMap<String, Arc<dyn Sentiment>>,
    rules: Arc<RwLock<Arc<CategoryRules>>>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

impl Analyzer {
    pub fn new(sentiment: Arc<dyn Sentiment>, rules: CategoryRules) -> Analyzer {
        Analyzer {
            sentiment,
            brand_sentiment: BTreeMap::new(),
            rules: Arc::new(RwLock::new(Arc::new(rules))),
        }
    }

    /// Uses `sentiment` instead of the default engine for `brand`'s mentions.
    pub fn with_brand_sentiment(mut self, brand: &str, sentiment: Arc<dyn Sentiment>) -> Analyzer {
        self.brand_sentiment.insert(brand.to_owned(), sentiment);
        self
    }

    /// Analyzes one mention. Text beyond [`Mention::MAX_TEXT_BYTES`] is ignored.
    pub fn analyze(&self, mention: &Mention) -> Analysis {
        self.analyze_with(mention, self.sentiment.as_ref())
    }

    /// Analyzes one mention of `brand` (its sentiment overrides apply, if any).
    pub fn analyze_for_brand(&self, mention: &Mention, brand: &str) -> Analysis {
        let engine = self.brand_sentiment.get(brand).unwrap_or(&self.sentiment);
        self.analyze_with(mention, engine.as_ref())
    }

    fn analyze_with(&self, mention: &Mention, engine: &dyn Sentiment) -> Analysis {
        let text = cap(&mention.text, Mention::MAX_TEXT_BYTES);
        let lang = lang::detect(text, mention.lang_hint.as_deref());
        let (sentiment, explanation) = engine.score_explained(text, lang, EXPLAIN_TOP);
        let meta = Meta::of(mention, lang);
        let doc = Doc::new(text, lang, meta);
        Analysis {
            lang,
            sentiment,
            label: sentiment.label(),
            categories: self.rules().categorize_doc(&doc),
            explanation,
        }
    }

    /// The category rules in use.
    pub fn rules(&self) -> Arc<CategoryRules> {
        self.rules
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the category rules; mentions analyzed from now on use the new ones.
    pub fn set_rules(&self, rules: CategoryRules) {
        *self.rules.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(rules);
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn cap(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Lang, SentimentLabel};
    use chrono::{TimeZone, Utc};

    fn mention(text: &str, hint: Option<&str>) -> Mention {
        let at = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        let mut m = Mention::new("replay", "1", at, text, "ana");
        m.lang_hint = hint.map(str::to_owned);
        m
    }

    fn analyzer() -> Analyzer {
        const RULES: &str = r#"
            [categories.delivery]
            es = ['"nunca llego"', "repartidor"]
            en = ['"never arrived"']
            [categories.safety]
            es = ["intoxicacion", "vomit*"]
            en = ['"food poisoning"']
        "#;
        let rules = CategoryRules::from_toml_str("test.toml", RULES).unwrap();
        Analyzer::new(Arc::new(LexiconSentiment::new()), rules)
    }

    #[test]
    fn analyzes_a_spanish_complaint() {
        let a = analyzer().analyze(&mention(
            "@TacoVeloz mi pedido nunca llegó y el repartidor ni contesta 😡",
            None,
        ));
        assert_eq!(a.lang, Lang::Es);
        assert_eq!(a.label, SentimentLabel::Negative);
        assert_eq!(a.categories, vec!["delivery".to_owned()]);
    }

    #[test]
    fn analyzes_an_english_safety_report_with_hint() {
        let a = analyzer().analyze(&mention(
            "Got food poisoning from their burger, was vomiting all night",
            Some("en"),
        ));
        assert_eq!(a.lang, Lang::En);
        assert_eq!(a.label, SentimentLabel::Negative);
        assert_eq!(a.categories, vec!["safety".to_owned()]);
    }

    #[test]
    fn huge_and_empty_texts_are_fine() {
        let big = "el pedido llegó frío y tarde, qué mal servicio ".repeat(3_000);
        let a = analyzer().analyze(&mention(&big, Some("es")));
        assert_eq!(a.lang, Lang::Es);
        let a = analyzer().analyze(&mention("", None));
        assert_eq!(
            (a.lang, a.label, a.categories.len()),
            (Lang::Other, SentimentLabel::Neutral, 0)
        );
    }

    #[test]
    fn brand_engines_apply_to_their_brand_only() {
        use crate::analysis::sentiment::Overrides;
        let skate = SentimentEngine::with_overrides(&Overrides {
            words: vec![("sick".into(), 2.5)],
        });
        let a = analyzer().with_brand_sentiment("skateshop", Arc::new(skate));
        let m = mention("that new deck is sick", Some("en"));
        assert_eq!(
            a.analyze_for_brand(&m, "skateshop").label,
            SentimentLabel::Positive
        );
        assert_eq!(
            a.analyze_for_brand(&m, "other").label,
            SentimentLabel::Negative
        );
        assert_eq!(a.analyze(&m).label, SentimentLabel::Negative);
    }

    #[test]
    fn cap_respects_char_boundaries() {
        assert_eq!(cap("añb", 2), "a");
        assert_eq!(cap("añb", 3), "añ");
        assert_eq!(cap("abc", 10), "abc");
    }
}
