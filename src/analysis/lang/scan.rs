//! One pass over the words of a post, each folded into a stack buffer and looked up once in
//! the detector's table ([`super::words`]).
//!
//! Words are cut as [`crate::analysis::normalize`] cuts them (letters, digits and combining
//! marks, an apostrophe between letters stays inside; URLs and `@handles` are skipped) and
//! folded the same way (lower-cased, accents removed, `’` read as `'`, elongations collapsed,
//! laughter written `jaja` or `haha`), but nothing is copied to the heap: the common accented
//! letters fold by a table, others through Unicode decomposition, and only a stretched word
//! (`malísimooo`) allocates. HTML is not stripped: a tag name is just one more word that is
//! on no list. Only the first [`MAX_SCAN`] bytes are read.

use super::table::{EN_LEX, EN_STOP, ES_LEX, ES_STOP, SHORT, THIRD, WordFlags};
use crate::analysis::normalize::{collapse_elongation, fold_latin};
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Bytes of a post that are read: more text does not change what its language is.
pub(super) const MAX_SCAN: usize = 4096;

/// Longest word looked up; longer words are on no list.
const MAX_WORD: usize = 32;

/// What the words of a text say about its language.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hits {
    pub es_stop: u32,
    pub en_stop: u32,
    pub es_lex: u32,
    pub en_lex: u32,
    /// Function words of a third language ([`THIRD`]).
    pub third: u32,
    /// Words with a letter of another script than Latin (Greek, Cyrillic, Arabic, CJK...).
    pub alien: u32,
    /// Words with at least one letter.
    pub words: u32,
}

impl Hits {
    /// Spanish evidence: stopwords and Spanish-only sentiment words.
    pub fn es(&self) -> u32 {
        self.es_stop + self.es_lex
    }

    /// English evidence: stopwords and English-only sentiment words.
    pub fn en(&self) -> u32 {
        self.en_stop + self.en_lex
    }

    fn count(&mut self, flags: u8) {
        let bit = |b: u8| u32::from(flags & b != 0);
        self.es_stop += bit(ES_STOP);
        self.en_stop += bit(EN_STOP);
        self.es_lex += bit(ES_LEX);
        self.en_lex += bit(EN_LEX);
        self.third += bit(THIRD);
    }
}

/// The hits over the words of `text` (its first [`MAX_SCAN`] bytes).
pub(super) fn hits(text: &str) -> Hits {
    let text = head(text, MAX_SCAN);
    let (table, b) = (super::words::words(), text.as_bytes());
    let (mut hits, mut word, mut i) = (Hits::default(), Word::default(), 0);
    while i < b.len() {
        let c = b[i];
        if c < 0x80 && !c.is_ascii_alphanumeric() {
            i = if c == b'@' && starts_word(&text[i + 1..]) {
                skip_to_space(text, i)
            } else {
                i + 1
            };
            continue;
        }
        if matches!(c | 0x20, b'h' | b'w') && is_link(&b[i..]) {
            i = skip_to_space(text, i);
            continue;
        }
        i = word.read(text, i);
        if word.letters {
            hits.words += 1;
            hits.alien += u32::from(word.alien);
            hits.count(word.flags(table));
        }
    }
    hits
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub(super) fn head(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn is_link(b: &[u8]) -> bool {
    let starts = |p: &[u8]| b.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    starts(b"http://") || starts(b"https://") || starts(b"www.")
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

fn starts_word(s: &str) -> bool {
    s.chars().next().is_some_and(is_word_char)
}

/// The index of the first whitespace after `i`, or the end.
fn skip_to_space(text: &str, i: usize) -> usize {
    text[i..]
        .find(char::is_whitespace)
        .map_or(text.len(), |n| i + n)
}

/// One folded word in a stack buffer.
#[derive(Default)]
struct Word {
    buf: [u8; MAX_WORD],
    len: usize,
    /// Longer than [`MAX_WORD`] bytes once folded.
    long: bool,
    letters: bool,
    alien: bool,
    /// Some letter repeats three times in a row.
    stretched: bool,
}

impl Word {
    /// Reads the word (or the single non-word character) at `i`; returns where it ends.
    fn read(&mut self, text: &str, mut i: usize) -> usize {
        (
            self.len,
            self.long,
            self.letters,
            self.alien,
            self.stretched,
        ) = (0, false, false, false, false);
        // Zero the bytes a short word is keyed by, so that its key is read off the buffer
        // as it stands ([`Word::flags`]).
        self.buf[..SHORT].fill(0);
        let b = text.as_bytes();
        while i < b.len() {
            let c = b[i];
            if c < 0x80 {
                if c.is_ascii_alphanumeric() {
                    self.letters |= c.is_ascii_alphabetic();
                    self.push(c.to_ascii_lowercase());
                } else if !(c == b'\'' && self.len > 0 && starts_word(&text[i + 1..])) {
                    return i;
                } else {
                    self.push(b'\'');
                }
                i += 1;
                continue;
            }
            let ch = text[i..].chars().next().unwrap_or(' ');
            // The accented letters of Spanish and its neighbours: Latin letters, folded by
            // a table, without Unicode's property lookups.
            if let Some(folded) = fold_latin(ch) {
                self.letters = true;
                self.push(folded);
                i += ch.len_utf8();
                continue;
            }
            let apostrophe = ch == '’' && self.len > 0 && starts_word(&text[i + 3..]);
            if !(apostrophe || is_word_char(ch)) {
                return if self.len == 0 && !self.letters {
                    i + ch.len_utf8()
                } else {
                    i
                };
            }
            self.push_char(if apostrophe { '\'' } else { ch });
            i += ch.len_utf8();
        }
        i
    }

    fn push(&mut self, byte: u8) {
        if self.len == MAX_WORD {
            self.long = true;
            return;
        }
        let n = self.len;
        self.stretched |= n >= 2 && self.buf[n - 1] == byte && self.buf[n - 2] == byte;
        self.buf[n] = byte;
        self.len += 1;
    }

    /// Folds a non-ASCII character into the buffer.
    fn push_char(&mut self, c: char) {
        self.letters |= c.is_alphabetic();
        self.alien |= c.is_alphabetic() && is_alien(c);
        if let Some(b) = fold_latin(c) {
            return self.push(b);
        }
        for lower in c.to_lowercase() {
            decompose_canonical(lower, |d| {
                if !is_combining_mark(d) {
                    let mut tmp = [0u8; 4];
                    d.encode_utf8(&mut tmp).bytes().for_each(|b| self.push(b));
                }
            });
        }
    }

    /// The table's flags for this word.
    fn flags(&self, table: &WordFlags) -> u8 {
        if self.long || self.len == 0 {
            return 0;
        }
        let w = &self.buf[..self.len];
        if self.stretched {
            let Ok(s) = std::str::from_utf8(w) else {
                return 0;
            };
            let collapsed = collapse_elongation(s);
            return table.get(laugh(collapsed.as_bytes()).unwrap_or(collapsed.as_bytes()));
        }
        if let Some(l) = laugh(w) {
            return table.get(l);
        }
        if w.len() <= SHORT {
            // The word zero-padded, as `super::table::pack` packs it: the buffer was zeroed.
            let head: [u8; SHORT] = self.buf[..SHORT].try_into().unwrap_or([0; SHORT]);
            table.get_short(u128::from_le_bytes(head))
        } else {
            table.get(w)
        }
    }
}

/// Laughter in any length or spelling: `jajaja`, `jejeje`, `jsjsjs` → `jaja`; `hahaha` → `haha`.
fn laugh(w: &[u8]) -> Option<&'static [u8]> {
    if w.len() < 4 || !matches!(w[0], b'j' | b'h') {
        return None;
    }
    let only = |set: &[u8]| w.iter().all(|c| set.contains(c));
    let count = |x: u8| w.iter().filter(|&&c| c == x).count();
    if only(b"jaeis") && count(b'j') >= 2 {
        Some(b"jaja")
    } else if only(b"hae") && count(b'h') >= 2 {
        Some(b"haha")
    } else {
        None
    }
}

/// A letter of another script than Latin.
fn is_alien(c: char) -> bool {
    let u = c as u32;
    u >= 0x370 && !(0x1E00..=0x1EFF).contains(&u)
}
