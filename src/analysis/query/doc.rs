//! A post prepared once for matching any number of queries.

use crate::analysis::normalize::{self, Tokens, fold};
use crate::domain::{Lang, Mention};
use std::cell::OnceCell;

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
    /// The metadata of `mention`, whose language was detected as `lang`.
    ///
    /// `country` is the mention's own (X places; replay and webhook `country`); a mention
    /// without one never matches a `country:` term (as for any unknown value).
    pub fn of(mention: &Mention, lang: Lang) -> Meta {
        Meta {
            lang: Some(lang.code().to_owned()),
            source: Some(mention.source.clone()),
            author: Some(mention.author.handle.clone()),
            country: mention.country.clone(),
        }
    }

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

/// The text of a post, tokenized and normalized, with its metadata. The raw text (for
/// `{Exact Case}`), hashtags and handles are only worked out when a query asks for them.
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    pub tokens: Tokens,
    pub meta: Meta,
    text: &'a str,
    raw: OnceCell<String>,
    tags: OnceCell<(Vec<String>, Vec<String>)>,
}

impl<'a> Doc<'a> {
    /// Prepares `text`; `lang` enables the Spanish-only chat abbreviations when it is `Es`.
    pub fn new(text: &'a str, lang: Lang, meta: Meta) -> Doc<'a> {
        let mut tokens = Tokens::new();
        tokens.fill(text, Some(lang));
        let meta = Meta {
            lang: meta.lang.map(|v| fold(&v)),
            source: meta.source.map(|v| fold(&v)),
            author: meta.author.map(|v| fold(v.trim_start_matches('@'))),
            country: meta.country.map(|v| fold(&v)),
        };
        Doc {
            tokens,
            meta,
            text,
            raw: OnceCell::new(),
            tags: OnceCell::new(),
        }
    }

    /// A bare text with no metadata, as for an unknown language.
    pub fn text(text: &'a str) -> Doc<'a> {
        Doc::new(text, Lang::Other, Meta::default())
    }

    /// ` token token ... `: every token between single spaces (what the prefilter scans).
    pub fn joined(&self) -> &str {
        self.tokens.joined()
    }

    /// The text without HTML, as written (case and accents kept).
    pub fn raw(&self) -> &str {
        self.raw.get_or_init(|| normalize::strip_html(self.text))
    }

    /// Folded `#hashtags` of the text, without `#`.
    pub fn hashtags(&self) -> &[String] {
        &self.tags.get_or_init(|| tags(self.raw())).0
    }

    /// Folded `@handles` mentioned in the text, without `@`.
    pub fn handles(&self) -> &[String] {
        &self.tags.get_or_init(|| tags(self.raw())).1
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
