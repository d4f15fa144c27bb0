use serde::{Deserialize, Serialize};
use std::fmt;

/// Languages the analyzer understands; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Es,
    En,
    Other,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
            Lang::Other => "other",
        }
    }

    /// Parses an ISO 639-1 code (`es`, `en`, `es-MX`...); anything else is `Other`.
    pub fn from_code(code: &str) -> Lang {
        let base = code
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match base.as_str() {
            "es" => Lang::Es,
            "en" => Lang::En,
            _ => Lang::Other,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// VADER-style scores: `pos + neu + neg == 1` and `compound` in `[-1, 1]`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct SentimentScore {
    pub compound: f64,
    pub pos: f64,
    pub neu: f64,
    pub neg: f64,
}

impl SentimentScore {
    /// VADER's usual cut-offs: ≥ 0.05 positive, ≤ −0.05 negative.
    pub fn label(&self) -> SentimentLabel {
        if self.compound >= 0.05 {
            SentimentLabel::Positive
        } else if self.compound <= -0.05 {
            SentimentLabel::Negative
        } else {
            SentimentLabel::Neutral
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SentimentLabel {
    Positive,
    Neutral,
    Negative,
}

impl SentimentLabel {
    pub fn as_str(self) -> &'static str {
        match self {
            SentimentLabel::Positive => "positive",
            SentimentLabel::Neutral => "neutral",
            SentimentLabel::Negative => "negative",
        }
    }

    pub fn parse(s: &str) -> Option<SentimentLabel> {
        match s {
            "positive" | "pos" => Some(SentimentLabel::Positive),
            "neutral" | "neu" => Some(SentimentLabel::Neutral),
            "negative" | "neg" => Some(SentimentLabel::Negative),
            _ => None,
        }
    }
}

/// What analysis concluded about one mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub lang: Lang,
    pub sentiment: SentimentScore,
    pub label: SentimentLabel,
    /// Category names from `keywords/` (e.g. `delivery`, `safety`), sorted, no duplicates.
    pub categories: Vec<String>,
    /// The words that moved the sentiment most, strongest first: why the post scored so.
    #[serde(default)]
    pub explanation: Vec<TokenValence>,
}

/// One word's contribution to a sentiment score: the word (normalized, lower-case) and its
/// final valence on VADER's scale, after negation, boosters and contrast.
#[derive(utoipa::ToSchema, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenValence {
    pub token: String,
    pub valence: f64,
}
