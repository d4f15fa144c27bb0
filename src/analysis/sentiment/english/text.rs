//! Python string semantics that VADER's results depend on, without allocating per token:
//! `str.split()` whitespace, `str.strip(string.punctuation)`, `str.isupper()`, `str.lower()`,
//! and the emoji-to-description substitution of `polarity_scores`.

use rustc_hash::FxHashMap;
use std::ops::Range;

/// Python's `str.isspace`: Unicode White_Space plus the ASCII information separators.
pub(super) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Title-case letters (category Lt), which make `str.isupper()` false.
fn is_titlecase(c: char) -> bool {
    matches!(c,
        '\u{1c5}' | '\u{1c8}' | '\u{1cb}' | '\u{1f2}' | '\u{1f88}'..='\u{1f8f}'
        | '\u{1f98}'..='\u{1f9f}' | '\u{1fa8}'..='\u{1faf}' | '\u{1fbc}' | '\u{1fcc}' | '\u{1ffc}')
}

/// Python's `str.isupper()`: at least one cased character and no lower- or title-case one.
pub(super) fn is_py_upper(word: &str) -> bool {
    if word.is_ascii() {
        let b = word.as_bytes();
        return b.iter().any(u8::is_ascii_uppercase) && !b.iter().any(u8::is_ascii_lowercase);
    }
    let mut cased = false;
    for c in word.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// Python's `token.strip(string.punctuation)`, kept whole when two characters or fewer
/// would remain (VADER's way of keeping emoticons such as `:)`).
fn strip_punc_if_word(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation());
    if stripped.chars().nth(2).is_none() {
        token
    } else {
        stripped
    }
}

/// Appends the lower-case form of `word` (Python's `str.lower()`, full case mapping) to `out`.
fn push_lower(word: &str, out: &mut String) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Replaces every character that VADER's emoji list knows by its description, exactly as
/// `polarity_scores` does (a space before it unless one precedes, none after it).
pub(super) fn substitute_emoji(text: &str, emoji: &FxHashMap<char, Box<str>>, out: &mut String) {
    let mut prev_space = true;
    for c in text.chars() {
        if let Some(description) = emoji.get(&c) {
            if !prev_space {
                out.push(' ');
            }
            out.push_str(description);
            prev_space = false;
        } else {
            out.push(c);
            prev_space = c == ' ';
        }
    }
}

/// One of VADER's `words_and_emoticons`, by its lower-case form.
#[derive(Debug, Clone)]
pub(super) struct Word {
    /// Byte range of its lower-case form in the lower-case buffer.
    pub(super) lower: Range<usize>,
    /// `str.isupper()` of the original spelling.
    pub(super) upper: bool,
}

/// Splits `text` like `SentiText._words_and_emoticons`, writing lower-case forms to `lower`.
pub(super) fn split_words(text: &str, lower: &mut String, words: &mut Vec<Word>) {
    if text.is_ascii() {
        return split_ascii(text, lower, words);
    }
    for token in text.split(is_py_space).filter(|t| !t.is_empty()) {
        let word = strip_punc_if_word(token);
        let lower_start = lower.len();
        push_lower(word, lower);
        words.push(Word {
            lower: lower_start..lower.len(),
            upper: is_py_upper(word),
        });
    }
}

/// [`split_words`] for ASCII text, byte by byte (same results, checked by the parity test).
fn split_ascii(text: &str, lower: &mut String, words: &mut Vec<Word>) {
    let bytes = text.as_bytes();
    let space = |b: u8| b.is_ascii_whitespace() || matches!(b, 0x0b | 0x1c..=0x1f);
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && space(bytes[i]) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !space(bytes[i]) {
            i += 1;
        }
        if start == i {
            break;
        }
        let word = strip_punc_if_word(&text[start..i]);
        let lower_start = lower.len();
        lower.push_str(word);
        lower[lower_start..].make_ascii_lowercase();
        let b = word.as_bytes();
        let (mut up, mut low) = (false, false);
        for c in b {
            up |= c.is_ascii_uppercase();
            low |= c.is_ascii_lowercase();
        }
        words.push(Word {
            lower: lower_start..lower.len(),
            upper: up && !low,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_string_semantics() {
        assert!(is_py_upper("GREAT!") && is_py_upper("A1") && !is_py_upper("123"));
        assert!(!is_py_upper("GReAT") && is_py_upper("ÑANDÚ") && !is_py_upper("ǅX"));
        assert_eq!(strip_punc_if_word(":)"), ":)");
        assert_eq!(strip_punc_if_word("'great!'"), "great");
        assert_eq!(strip_punc_if_word("(ok)"), "(ok)");
        assert!(is_py_space('\u{1f}') && is_py_space('\u{a0}') && !is_py_space('\u{200b}'));
    }

    #[test]
    fn splits_and_lowers() {
        let (mut lower, mut words) = (String::new(), Vec::new());
        split_words("  Hello, WORLD :) \u{1c}x", &mut lower, &mut words);
        let got: Vec<&str> = words.iter().map(|w| &lower[w.lower.clone()]).collect();
        assert_eq!(got, ["hello", "world", ":)", "x"]);
        assert!(words[1].upper && !words[0].upper);
    }
}
