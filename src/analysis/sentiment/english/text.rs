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
    /// Byte range of its lower-case form: in the text itself when it has no capitals
    /// (`in_text`), else in [`Words::lower`].
    pub(super) range: Range<usize>,
    pub(super) in_text: bool,
    /// `str.isupper()` of the original spelling.
    pub(super) upper: bool,
    /// The token as written ends with `.`, `!`, `?` or `…`: the last word of a sentence.
    pub(super) ends_sentence: bool,
    /// The token ends a clause: a sentence end, or `,` `;` `:`, a dash, a line break after
    /// it. The product route bounds negation and boosters by clauses (VADER does not).
    pub(super) ends_clause: bool,
}

/// The words of one text, with buffers reused from text to text.
#[derive(Default)]
pub(super) struct Words {
    pub(super) list: Vec<Word>,
    /// Lower-case copies of the words that have capitals.
    pub(super) lower: String,
    masks: Vec<Masks>,
}

impl Words {
    /// Splits `text` like `SentiText._words_and_emoticons`.
    pub(super) fn split(&mut self, text: &str) {
        self.list.clear();
        self.lower.clear();
        if text.is_ascii() {
            self.split_ascii(text);
            return;
        }
        for token in text.split(is_py_space).filter(|t| !t.is_empty()) {
            let word = strip_punc_if_word(token);
            let lower_start = self.lower.len();
            push_lower(word, &mut self.lower);
            let ends_sentence = token.ends_with(['.', '!', '?', '…']);
            let end = token.as_ptr() as usize - text.as_ptr() as usize + token.len();
            let line_break = text[end..].starts_with(['\n', '\r']);
            let ends_clause = ends_sentence
                || line_break
                || token.ends_with([',', ';', ':', '-', '–', '—'])
                || !token.chars().any(char::is_alphanumeric);
            self.list.push(Word {
                range: lower_start..self.lower.len(),
                in_text: false,
                upper: is_py_upper(word),
                ends_sentence,
                ends_clause,
            });
        }
    }

    /// The lower-case form of `word` of `text`.
    pub(super) fn lower<'a>(&'a self, text: &'a str, word: &Word) -> &'a str {
        if word.in_text {
            &text[word.range.clone()]
        } else {
            &self.lower[word.range.clone()]
        }
    }

    /// [`Words::split`] for ASCII text, without a branch per byte: the bytes are classified
    /// eight at a time into bit masks of 64 bytes, where the words are found with bit
    /// operations. A word across two blocks takes a slower, general path.
    fn split_ascii(&mut self, text: &str) {
        let b = text.as_bytes();
        let mut masks = std::mem::take(&mut self.masks);
        masks.clear();
        masks.extend(b.chunks(64).map(Masks::of));
        // Start of a word still open at the end of the previous block.
        let mut open: Option<usize> = None;
        let mut before = 0u64; // 1 when the byte before the block is not a space
        for (k, block) in masks.iter().enumerate() {
            let base = k * 64;
            let word_bytes = !block.space;
            let after = masks.get(k + 1).map_or(0, |n| !n.space & 1);
            let mut starts = word_bytes & !((word_bytes << 1) | before);
            let mut ends = word_bytes & !((word_bytes >> 1) | (after << 63));
            before = word_bytes >> 63;
            if let Some(start) = open {
                if ends == 0 {
                    continue;
                }
                let end = base + ends.trailing_zeros() as usize + 1;
                ends &= ends - 1;
                self.push_span(text, &masks, start..end);
                open = None;
            }
            while starts != 0 {
                let s = starts.trailing_zeros() as usize;
                starts &= starts - 1;
                if ends == 0 {
                    open = Some(base + s);
                    break;
                }
                let e = ends.trailing_zeros() as usize;
                ends &= ends - 1;
                self.push_in_block(text, block, base, s, e);
            }
        }
        self.masks = masks;
    }

    /// Adds the word of bytes `s..=e` of one block (`base` is where the block starts).
    #[inline]
    fn push_in_block(&mut self, text: &str, block: &Masks, base: usize, s: usize, e: usize) {
        let r = (!0u64 >> (63 - e)) & (!0u64 << s);
        let (upper, lower) = (block.upper & r != 0, block.lower & r != 0);
        // `strip(string.punctuation)`, kept whole when two characters or fewer remain.
        let kept = !block.punct & r;
        let (from, to) = if kept == 0 {
            (s, e)
        } else {
            let (from, to) = (
                kept.trailing_zeros() as usize,
                63 - kept.leading_zeros() as usize,
            );
            if to - from < 2 { (s, e) } else { (from, to) }
        };
        let ends = [
            ends_sentence(text.as_bytes()[base + e]),
            ends_clause(text.as_bytes(), base + e),
        ];
        self.push_ascii(
            text,
            base + from..base + to + 1,
            [upper, lower, ends[0], ends[1]],
        );
    }

    /// Adds the word at byte `span` of the text, anywhere in it.
    fn push_span(&mut self, text: &str, m: &[Masks], span: Range<usize>) {
        let ends_sentence = ends_sentence(text.as_bytes()[span.end - 1]);
        let ends_clause = ends_clause(text.as_bytes(), span.end - 1);
        let from = next(m, span.start, |k| !k.punct, span.end);
        let word = if from >= span.end {
            span
        } else {
            let to = prev(m, span.end - 1, |k| !k.punct) + 1;
            if to - from <= 2 { span } else { from..to }
        };
        let (upper, lower) = (any(m, &word, |k| k.upper), any(m, &word, |k| k.lower));
        self.push_ascii(text, word, [upper, lower, ends_sentence, ends_clause]);
    }

    #[inline]
    /// Adds `word`, which has capitals, lower-case letters, and ends a sentence as `flags`
    /// say.
    fn push_ascii(&mut self, text: &str, word: Range<usize>, flags: [bool; 4]) {
        let [upper, lower, ends_sentence, ends_clause] = flags;
        let range = if upper {
            let lower_start = self.lower.len();
            self.lower.push_str(&text[word]);
            self.lower[lower_start..].make_ascii_lowercase();
            lower_start..self.lower.len()
        } else {
            word
        };
        self.list.push(Word {
            range,
            in_text: !upper,
            upper: upper && !lower,
            ends_sentence,
            ends_clause,
        });
    }
}

fn ends_sentence(last: u8) -> bool {
    matches!(last, b'.' | b'!' | b'?')
}

/// The ASCII token whose last byte is `text[last]` ends a clause (see [`Word::ends_clause`]).
fn ends_clause(text: &[u8], last: usize) -> bool {
    matches!(text[last], b'.' | b'!' | b'?' | b',' | b';' | b':' | b'-')
        || matches!(text.get(last + 1), Some(b'\n' | b'\r'))
}

/// Which bytes of (up to) 64 bytes of ASCII text are Python whitespace, ASCII punctuation,
/// capitals and lower-case letters; bytes past the end of the text count as spaces.
#[derive(Clone, Copy, Default)]
struct Masks {
    space: u64,
    punct: u64,
    upper: u64,
    lower: u64,
}

impl Masks {
    fn of(chunk: &[u8]) -> Masks {
        let mut m = Masks {
            space: if chunk.len() < 64 {
                !0u64 << chunk.len()
            } else {
                0
            },
            ..Masks::default()
        };
        for (i, eight) in chunk.chunks(8).enumerate() {
            let x = match <[u8; 8]>::try_from(eight) {
                Ok(full) => u64::from_le_bytes(full),
                Err(_) => eight
                    .iter()
                    .rev()
                    .fold(0u64, |acc, &byte| (acc << 8) | u64::from(byte)),
            };
            let valid = if eight.len() == 8 {
                0xff
            } else {
                (1u64 << eight.len()) - 1
            };
            let shift = i * 8;
            let bits = |v: u64| (high_bits(v) & valid) << shift;
            m.space |= bits(in_range(x, 9, 13) | in_range(x, 0x1c, b' '));
            // Letters are found case-blind (bit 5 set makes capitals lower-case), and
            // punctuation is what is printable, neither a letter nor a digit.
            let letter = in_range(x | (ONES * 0x20), b'a', b'z');
            let capital = letter & !((x & (ONES * 0x20)) << 2);
            let printable = in_range(x, b'!', b'~');
            m.punct |= bits(printable & !letter & !in_range(x, b'0', b'9'));
            m.upper |= bits(capital);
            m.lower |= bits(letter & !capital);
        }
        m
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// For eight ASCII bytes, the high bit of each byte set when `lo <= byte <= hi`.
/// Every byte and bound is below 128, so no sum carries into the next byte.
#[inline]
fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = x + ONES * u64::from(0x80 - lo);
    let above_hi = x + ONES * u64::from(0x7f - hi);
    at_least_lo & !above_hi & HIGH
}

/// The high bit of each of eight bytes, gathered into the low eight bits (byte 0 → bit 0).
#[inline]
fn high_bits(v: u64) -> u64 {
    ((v >> 7) & ONES).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The first position at or after `from` (and before `limit`) whose bit `sel` selects, or
/// `limit`.
#[inline]
fn next(m: &[Masks], from: usize, sel: impl Fn(&Masks) -> u64, limit: usize) -> usize {
    let mut k = from / 64;
    let mut bits = m.get(k).map_or(0, &sel) & (!0u64 << (from % 64));
    while bits == 0 {
        k += 1;
        if k * 64 >= limit || k >= m.len() {
            return limit;
        }
        bits = sel(&m[k]);
    }
    (k * 64 + bits.trailing_zeros() as usize).min(limit)
}

/// The last position at or before `upto` whose bit `sel` selects (callers know there is one).
#[inline]
fn prev(m: &[Masks], upto: usize, sel: impl Fn(&Masks) -> u64) -> usize {
    let mut k = upto / 64;
    let mut bits = sel(&m[k]) & (!0u64 >> (63 - upto % 64));
    while bits == 0 && k > 0 {
        k -= 1;
        bits = sel(&m[k]);
    }
    k * 64 + 63 - bits.leading_zeros().min(63) as usize
}

/// Whether `sel` selects any position of `range`.
#[inline]
fn any(m: &[Masks], range: &Range<usize>, sel: impl Fn(&Masks) -> u64) -> bool {
    next(m, range.start, sel, range.end) < range.end
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

    /// What Python does: `str.split()`, strip, lower, `isupper()`, one token at a time.
    fn reference(text: &str) -> Vec<(String, bool)> {
        text.split(is_py_space)
            .filter(|t| !t.is_empty())
            .map(|token| {
                let word = strip_punc_if_word(token);
                let mut lower = String::new();
                push_lower(word, &mut lower);
                (lower, is_py_upper(word))
            })
            .collect()
    }

    fn split(text: &str) -> Vec<(String, bool)> {
        let mut words = Words::default();
        words.split(text);
        let list = words.list.iter();
        list.map(|w| (words.lower(text, w).to_owned(), w.upper))
            .collect()
    }

    /// The mask splitter answers as the one-token-at-a-time reference on ASCII text: fixed
    /// cases, then pseudo-random texts of every ASCII byte and of lengths around the
    /// 8- and 64-byte blocks it works in.
    #[test]
    fn ascii_split_matches_the_reference() {
        let mut texts: Vec<String> = [
            "  Hello, WORLD :) \u{1c}x",
            "!!! ?? a. ab, abc; 'great!' (ok) --- x-ray GOOD!!! :-( <3 ...",
            "\tUPPER lower MiXeD 123 A1 $$$ @user #tag http://t.co/x\u{b}\u{1f}end",
            "",
            "   ",
            "a",
        ]
        .map(String::from)
        .to_vec();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let alphabet = b" \t\n\x0b\x0c\x1c!'.,:;()-?@#aAbBzZ0 \x00\x7f";
        for len in (0..200).chain([255, 256, 257, 511, 512, 513]) {
            for _ in 0..4 {
                let text: String = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        let pick = (state >> 33) as usize;
                        if pick % 4 == 0 {
                            char::from((pick >> 8) as u8 & 0x7f)
                        } else {
                            char::from(alphabet[pick % alphabet.len()])
                        }
                    })
                    .collect();
                texts.push(text);
            }
        }
        for text in &texts {
            assert!(text.is_ascii());
            assert_eq!(split(text), reference(text), "{text:?}");
        }
    }

    #[test]
    fn splits_and_lowers() {
        let got = split("  Hello, WORLD :) \u{1c}x");
        let words: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["hello", "world", ":)", "x"]);
        assert!(got[1].1 && !got[0].1);
        let mut words = Words::default();
        words.split("Fine. Not ok! really? x.y …");
        let ends: Vec<bool> = words.list.iter().map(|w| w.ends_sentence).collect();
        assert_eq!(ends, [true, false, true, true, false, true]);
        words.split("Bien. Nada más… ok");
        let ends: Vec<bool> = words.list.iter().map(|w| w.ends_sentence).collect();
        assert_eq!(ends, [true, false, true, false]);
        let got = split("Ñandú FELIZ 😀");
        assert_eq!(got, reference("Ñandú FELIZ 😀"));
    }

    #[test]
    fn gathers_high_bits() {
        for v in [0u64, !0, 0x80, 0x8000_0000_0000_0000, 0x0080_0080_0000_8000] {
            let expected = (0..8).fold(0, |acc, i| acc | (((v >> (i * 8 + 7)) & 1) << i));
            assert_eq!(high_bits(v & HIGH), expected, "{v:#x}");
        }
    }
}
