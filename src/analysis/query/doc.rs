//! A post prepared once for matching any number of queries.

use crate::analysis::normalize::{self, Token, fold};
use crate::domain::Lang;

/// What field operators (`lang:`, `source:`, `author:`, `country:`) compare against;
/// unknown values never match.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub lang: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub country: Option<String>,
}

impl Meta {
    pub fn get(&self, field: &str) -> Option<&str> {
        match field {
            "lang" => self.lang.as_deref(),
            "source" => self.source.as_deref(),
            "author" => self.author.as_deref(),
            "country" => self.country.as_deref(),
            _ => None,
        }
    }
}

/// The text of a post, tokenized and normalized, with its hashtags, handles and metadata.
#[derive(Debug, Clone)]
pub struct Doc {
    pub tokens: Vec<Token>,
    /// Tokens joined by spaces (what the prefilter scans).
    pub joined: String,
    pub raw: String,
    pub hashtags: Vec<String>,
    pub handles: Vec<String>,
    pub meta: Meta,
}

impl Doc {
    /// Prepares `text`; `lang` enables the Spanish-only chat abbreviations when it is `Es`.
    pub fn new(text: &str, lang: Lang, meta: Meta) -> Doc {
        let tokens = normalize::tokenize(text, lang);
        let mut joined = String::with_capacity(text.len() + 1);
        for t in &tokens {
            joined.push(' ');
            joined.push_str(&t.text);
        }
        let raw = normalize::strip_html(text);
        let (hashtags, handles) = tags(&raw);
        let meta = Meta {
            lang: meta.lang.map(|v| fold(&v)),
            source: meta.source.map(|v| fold(&v)),
            author: meta.author.map(|v| fold(v.trim_start_matches('@'))),
            country: meta.country.map(|v| fold(&v)),
        };
        Doc {
            tokens,
            joined,
            raw,
            hashtags,
            handles,
            meta,
        }
    }

    /// A bare text with no metadata, as for an unknown language.
    pub fn text(text: &str) -> Doc {
        Doc::new(text, Lang::Other, Meta::default())
    }
}

/// Folded `#hashtags` and `@handles` (a handle keeps `.`, `-` and `@server` parts).
fn tags(raw: &str) -> (Vec<String>, Vec<String>) {
    let (mut hashtags, mut handles) = (Vec::new(), Vec::new());
    let mut prev = ' ';
    for (i, c) in raw.char_indices() {
        if (c == '#' || c == '@') && !prev.is_alphanumeric() {
            let rest = &raw[i + 1..];
            let end = rest
                .find(|ch: char| !(ch.is_alphanumeric() || matches!(ch, '_' | '.' | '-' | '@')))
                .unwrap_or(rest.len());
            let name = rest[..end].trim_end_matches(['.', '-']);
            if !name.is_empty() {
                let name = fold(name);
                if c == '#' {
                    hashtags.push(name);
                } else {
                    handles.push(name);
                }
            }
        }
        prev = c;
    }
    (hashtags, handles)
}
