//! [`Tokens`]: the tokens of one text in one reusable buffer (the allocation-free hot path).
//!
//! All token texts live in one string, each preceded by a space and the last followed by one
//! (` pedido nunca llego `), and tokens are byte spans into it. So the tokens `i..j` joined by
//! single spaces are one slice ([`Tokens::phrase`]), the whole buffer is what the rule
//! prefilter scans, and tokenizing a text again into the same `Tokens` reuses both buffers:
//! once warm, tokenizing allocates nothing.

use super::{TokenKind, abbrev, emoticon, html};
use crate::domain::Lang;
use std::ops::Range;

/// One token: where its text is in the buffer and what it is (see [`super::Token`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: u32,
    end: u32,
    pub caps: bool,
    pub kind: TokenKind,
    pub clause_start: bool,
    /// A clause boundary precedes the token: a sentence mark (as for `clause_start`), a
    /// comma, colon, dash, bracket, or an emoji or emoticon. Sentiment negation does not
    /// reach across it (`never arrived, terrible service`); query phrases may.
    pub break_before: bool,
}

impl Span {
    fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The tokens of a text (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    joined: String,
    spans: Vec<Span>,
    /// Text without HTML, when the input had markup or entities.
    clean: String,
    /// Scratch for collapsing elongations.
    tmp: String,
}

impl Tokens {
    pub fn new() -> Tokens {
        Tokens::default()
    }

    /// Replaces the contents with the tokens of `text`; `expand` is the language whose chat
    /// abbreviations are expanded, `None` to keep chat forms as written.
    pub fn fill(&mut self, text: &str, expand: Option<Lang>) {
        self.joined.clear();
        self.spans.clear();
        self.joined.push(' ');
        let mut clean = std::mem::take(&mut self.clean);
        let text = if text.contains(['<', '&']) {
            clean.clear();
            html::strip_html_into(text, &mut clean);
            clean.as_str()
        } else {
            text
        };
        self.scan(text, expand);
        self.clean = clean;
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The text of token `i` (panics if out of range, like slice indexing).
    pub fn text(&self, i: usize) -> &str {
        &self.joined[self.spans[i].range()]
    }

    /// The texts of tokens `range` joined by single spaces, without copying.
    pub fn phrase(&self, range: Range<usize>) -> &str {
        let (first, last) = (&self.spans[range.start], &self.spans[range.end - 1]);
        &self.joined[first.start as usize..last.end as usize]
    }

    /// ` token token ... `: every token between single spaces.
    pub fn joined(&self) -> &str {
        if self.spans.is_empty() {
            " "
        } else {
            &self.joined
        }
    }

    /// `(text, span)` of every token.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Span)> {
        self.spans.iter().map(|s| (&self.joined[s.range()], s))
    }

    fn scan(&mut self, text: &str, expand: Option<Lang>) {
        let mut rest = text;
        let mut prev: Option<char> = None;
        let (mut pending_break, mut pending_minor) = (false, false);
        while let Some(c) = rest.chars().next() {
            let before = self.spans.len();
            let used = self.scan_one(rest, c, prev, expand).max(c.len_utf8());
            if let Some(first) = self.spans.get_mut(before) {
                first.clause_start = std::mem::take(&mut pending_break);
                first.break_before = first.clause_start || std::mem::take(&mut pending_minor);
            }
            let single = used == c.len_utf8();
            let sentence_mark = matches!(c, '.' | '!' | '?' | ';' | '¡' | '¿' | '…' | '\n');
            pending_break |= sentence_mark && single;
            pending_minor |= single && is_clause_mark(c)
                || self.spans[before..]
                    .iter()
                    .any(|t| matches!(t.kind, TokenKind::Emoji | TokenKind::Emoticon));
            prev = rest[..used].chars().next_back();
            rest = &rest[used..];
        }
    }

    /// Consumes what starts at `rest` (whose first char is `c`); returns the bytes used.
    fn scan_one(&mut self, rest: &str, c: char, prev: Option<char>, expand: Option<Lang>) -> usize {
        let at_start = prev.is_none_or(|p| !p.is_alphanumeric());
        if c.is_whitespace() {
            return c.len_utf8();
        }
        if at_start && matches!(c, '@' | 'h' | 'H' | 'w' | 'W') {
            if let Some(n) = super::link_or_handle_len(rest) {
                return n;
            }
        }
        if let Some((canon, n)) = emoticon::match_at(rest, at_start) {
            self.push(canon, false, TokenKind::Emoticon);
            return n;
        }
        if super::is_word_char(c) {
            let n = super::word_len(rest);
            self.push_word(&rest[..n], expand);
            return n;
        }
        if c == '?' || c == '¿' {
            if self
                .spans
                .last()
                .is_none_or(|t| t.kind != TokenKind::Question)
            {
                self.push("?", false, TokenKind::Question);
            }
        } else if super::is_emoji(c) {
            let mut buf = [0u8; 4];
            self.push(c.encode_utf8(&mut buf), false, TokenKind::Emoji);
        }
        c.len_utf8()
    }

    fn push(&mut self, text: &str, caps: bool, kind: TokenKind) {
        let start = self.joined.len();
        self.joined.push_str(text);
        self.close(start, caps, kind);
    }

    /// Records the text from `start` to the end of the buffer as a token, then a space.
    fn close(&mut self, start: usize, caps: bool, kind: TokenKind) {
        self.spans.push(Span {
            start: start as u32,
            end: self.joined.len() as u32,
            caps,
            kind,
            clause_start: false,
            break_before: false,
        });
        self.joined.push(' ');
    }

    /// Folds, de-elongates and de-laughs the word `raw` in place at the end of the buffer,
    /// then expands it if it is a chat abbreviation.
    fn push_word(&mut self, raw: &str, expand: Option<Lang>) {
        let (count, upper) = raw
            .chars()
            .filter(|c| c.is_alphabetic())
            .fold((0, 0), |(n, u), c| {
                (n + 1, u + usize::from(c.is_uppercase()))
            });
        let caps = count >= 2 && upper == count;
        let start = self.joined.len();
        super::push_folded(raw, &mut self.joined);
        if super::is_stretched(&self.joined[start..]) {
            self.tmp.clear();
            super::collapse_into(&self.joined[start..], &mut self.tmp);
            self.joined.truncate(start);
            self.joined.push_str(&self.tmp);
        }
        if let Some(laugh) = super::laugh(&self.joined[start..]) {
            self.joined.truncate(start);
            self.joined.push_str(laugh);
        }
        if self.joined.len() == start {
            return;
        }
        let expansion = expand.and_then(|lang| abbrev::lookup(&self.joined[start..], lang));
        match expansion {
            None => self.close(start, caps, TokenKind::Word),
            Some(expansion) => {
                self.joined.truncate(start);
                for word in expansion.split(' ') {
                    let at = self.joined.len();
                    self.joined.push_str(word);
                    self.close(at, caps, TokenKind::Word);
                }
            }
        }
    }
}

/// Punctuation that ends a clause but not a sentence: comma, colon, dashes, brackets.
fn is_clause_mark(c: char) -> bool {
    matches!(c, ',' | ':' | '-' | '–' | '—' | '(' | ')' | '[' | ']' | '|')
}
