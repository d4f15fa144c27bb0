//! Text normalization shared by language detection, sentiment and category rules.
//!
//! [`tokenize`] turns a hostile, free-form post into a list of [`Token`]s:
//!
//! 1. HTML tags are dropped and the common entities decoded ([`strip_html`]); a lone `<` (as in
//!    `<3`) is text, not a tag. URLs and `@handles` are skipped; `#` is dropped from hashtags.
//! 2. Words are lower-cased and accent-folded ([`fold`]): combining marks are removed after
//!    canonical decomposition, so `á→a`, `ü→u` and also `ñ→n`. Folding `ñ` loses the
//!    `año`/`ano` distinction, which is acceptable for keyword matching and sentiment, and it
//!    makes `pequeño`/`pequeno` (people often type without the tilde) one word.
//! 3. Elongations are collapsed ([`collapse_elongation`]): a run of 3+ identical letters
//!    becomes one letter (`malísimooo→malisimo`, `sooo→so`), or two when that gives a word
//!    from a small list of doubled-letter words people stretch (`goood→good`, `tooo→too`,
//!    `leeer→leer`). Runs of two are never touched, so `ll`, `rr`, `cc`, `ee`, `oo` survive.
//!    Laughter of any length (`jajajaja`, `jsjsjs`, `hahaha`) becomes `jaja` or `haha`.
//! 4. Emoji (one token per pictograph, modifiers dropped) and ASCII emoticons (`:)`, `:(`,
//!    `:D`, `xD`, `:/`, `>:(`, `<3`, ...) become tokens in a canonical spelling; a run of `?`/`¿`
//!    becomes one `?` token (useful for the `question` category); other punctuation separates.
//! 5. Chat abbreviations are expanded ([`abbrev`]): `xq→porque`, `tb→tambien`, `u→you`...
//!    Abbreviations that are also ordinary words of the other language (`toy`, `pa`, `x`, `d`)
//!    are only expanded when the language is known to be Spanish.
//!
//! Nothing here panics, whatever the input: all slicing happens on character boundaries.

mod abbrev;
mod emoticon;
mod html;
#[cfg(test)]
mod tests;
mod tokens;

use crate::domain::Lang;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

pub use html::strip_html;
pub use tokens::{Span, Tokens};

/// One normalized unit of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Normalized text: folded word, canonical emoticon, the emoji itself, or `?`.
    pub text: String,
    /// The original word was written in capitals (at least two letters, all upper-case).
    pub caps: bool,
    pub kind: TokenKind,
    /// The token follows sentence punctuation (`.`, `!`, `?`, `;`, `…`, a line break):
    /// negation and phrases do not reach across it.
    pub clause_start: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Emoji,
    Emoticon,
    /// A run of `?` or `¿`.
    Question,
}

/// Tokens of `text` with chat abbreviations expanded for `lang` (see the module docs).
/// Allocates each token's text; the hot paths fill a reused [`Tokens`] instead.
pub fn tokenize(text: &str, lang: Lang) -> Vec<Token> {
    owned(text, Some(lang))
}

/// Tokens of `text` joined by single spaces, normalized as for an unknown language.
pub fn normalize(text: &str) -> String {
    let mut tokens = Tokens::new();
    tokens.fill(text, Some(Lang::Other));
    tokens.joined().trim().to_owned()
}

/// Tokens of `text` without abbreviation expansion (chat forms are kept as written).
pub fn words(text: &str) -> Vec<Token> {
    owned(text, None)
}

fn owned(text: &str, expand: Option<Lang>) -> Vec<Token> {
    let mut tokens = Tokens::new();
    tokens.fill(text, expand);
    tokens
        .iter()
        .map(|(text, span)| Token {
            text: text.to_owned(),
            caps: span.caps,
            kind: span.kind,
            clause_start: span.clause_start,
        })
        .collect()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Length in bytes of the word at the start of `s`; an apostrophe between letters stays inside.
fn word_len(s: &str) -> usize {
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) {
            continue;
        }
        let next_is_word = chars.peek().is_some_and(|&(_, n)| is_word_char(n));
        if !(matches!(c, '\'' | '’') && i > 0 && next_is_word) {
            return i;
        }
    }
    s.len()
}

/// A URL or an `@handle` at the start of `s`: the length to skip, up to the next whitespace.
fn link_or_handle_len(s: &str) -> Option<usize> {
    let starts = |p: &str| {
        s.as_bytes()
            .get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
    };
    let is_link = ["http://", "https://", "www."].into_iter().any(starts);
    let is_handle = s.starts_with('@') && s[1..].chars().next().is_some_and(is_word_char);
    if !(is_link || is_handle) {
        return None;
    }
    Some(s.find(char::is_whitespace).unwrap_or(s.len()))
}

/// Pictographs that make a token on their own. Modifiers (skin tones, variation selectors,
/// zero-width joiners, gender signs, keycaps, tags) are not tokens and are dropped.
fn is_emoji(c: char) -> bool {
    let u = c as u32;
    let modifier = matches!(
        u,
        0x1F3FB..=0x1F3FF | 0xFE0E | 0xFE0F | 0x200D | 0x20E3 | 0x2640 | 0x2642 | 0xE0020..=0xE007F
    );
    let pictograph = matches!(
        u,
        0x1F000..=0x1FAFF
            | 0x2190..=0x21FF
            | 0x2300..=0x23FF
            | 0x2460..=0x27BF
            | 0x2B00..=0x2BFF
            | 0x3030
            | 0x303D
            | 0x3297
            | 0x3299
            | 0xA9
            | 0xAE
            | 0x2122
    );
    pictograph && !modifier
}

/// Lower-cases and removes accents and other combining marks (`Ñandú` → `nandu`).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_folded(s, &mut out);
    out
}

/// Appends the folded form of `s` to `out` (see [`fold`]) without allocating: ASCII is
/// lower-cased byte by byte, other characters are lower-cased and canonically decomposed
/// one by one, dropping the combining marks.
fn push_folded(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if let Some(folded) = fold_latin(c) {
            out.push(char::from(folded));
            continue;
        }
        for lower in c.to_lowercase() {
            decompose_canonical(lower, |d| {
                if !is_combining_mark(d) {
                    out.push(if d == '’' { '\'' } else { d });
                }
            });
        }
    }
}

/// The folded form of the accented Latin letters of Spanish, Portuguese, French, Catalan:
/// what lower-casing, canonical decomposition and dropping the combining marks give, read
/// off a table.
pub(crate) fn fold_latin(c: char) -> Option<u8> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' => b'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => b'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => b'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => b'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => b'u',
        'ñ' | 'Ñ' => b'n',
        'ç' | 'Ç' => b'c',
        _ => return None,
    })
}

/// Doubled-letter words people stretch (`goood`, `tooo`); elongations of anything else
/// collapse to a single letter.
const KEEP_DOUBLE: &[&str] = &[
    "good", "too", "cool", "soon", "food", "mood", "look", "boo", "woo", "yoo", "zoo", "book",
    "see", "free", "feel", "need", "sweet", "sleep", "week", "wee", "fee", "agree", "keep", "all",
    "well", "hell", "still", "will", "kill", "full", "call", "fall", "till", "ill", "yess", "less",
    "mess", "miss", "kiss", "boss", "pass", "loss", "guess", "press", "class", "off", "stuff",
    "staff", "buzz", "jazz", "odd", "add", "egg", "inn", "err", "grr", "brr", "coffee", "sorry",
    "happy", "hurry", "really", "pretty", "better", "little", "apple", "leer", "creer", "perro",
    "carro", "burro", "pollo", "bello", "calle", "llorar", "arroz",
];

/// Collapses runs of 3+ identical letters (see the module docs). Digits are left alone.
pub fn collapse_elongation(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    if is_stretched(word) {
        collapse_into(word, &mut out);
    } else {
        out.push_str(word);
    }
    out
}

/// Writes the collapsed form of a stretched `word` to the empty buffer `out`.
fn collapse_into(word: &str, out: &mut String) {
    squeeze(word, 2, out);
    if !KEEP_DOUBLE.contains(&out.as_str()) {
        out.clear();
        squeeze(word, 1, out);
    }
}

/// Some letter repeats three or more times in a row (checked without allocating).
fn is_stretched(word: &str) -> bool {
    let (mut prev, mut run) = ('\0', 0);
    for c in word.chars() {
        run = if c == prev { run + 1 } else { 1 };
        prev = c;
        if run >= 3 && c.is_alphabetic() {
            return true;
        }
    }
    false
}

/// Appends `word` to `out` with every run of 3+ identical letters written as `keep` letters.
fn squeeze(word: &str, keep: usize, out: &mut String) {
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        let mut run = 1;
        while chars.next_if_eq(&c).is_some() {
            run += 1;
        }
        let n = if run >= 3 && c.is_alphabetic() {
            keep
        } else {
            run
        };
        out.extend(std::iter::repeat_n(c, n));
    }
}

/// Laughter in any length or spelling as one word: `jajaja`, `jejeje`, `jsjsjs` → `jaja`;
/// `hahaha`, `hehe` → `haha`.
fn laugh(word: &str) -> Option<&'static str> {
    let only = |set: &str| word.chars().all(|c| set.contains(c));
    let count = |x: char| word.chars().filter(|&c| c == x).count();
    if word.len() < 4 {
        None
    } else if only("jaeis") && count('j') >= 2 {
        Some("jaja")
    } else if only("hae") && count('h') >= 2 {
        Some("haha")
    } else {
        None
    }
}
