//! [`WordFlags`]: one table from a folded word to what it says about the language, so the
//! scanner makes one lookup per word.
//!
//! Words of up to 16 bytes (all stopwords and nearly every sentiment word) are keyed by
//! their bytes packed into one `u128` (zero-padded; folded words hold no NUL byte, so the
//! packing is one-to-one), hashed and compared as an integer; those of up to 8 bytes (most
//! words of a post) in a map of `u64` keys, whose entries take half the memory, so more of
//! it stays in the processor's cache. Longer words go to a small string-keyed map.

use rustc_hash::FxHashMap;

/// A stopword of Spanish (a function word or chat form of the detector's list).
pub(super) const ES_STOP: u8 = 1;
/// A stopword of English.
pub(super) const EN_STOP: u8 = 1 << 1;
/// A sentiment word of the Spanish list only (see [`super::lexicon`]).
pub(super) const ES_LEX: u8 = 1 << 2;
/// A sentiment word of the English lists only.
pub(super) const EN_LEX: u8 = 1 << 3;
/// A frequent function word of a third language that shares words with Spanish or
/// English (Portuguese, French, Italian, German, Catalan, Dutch) and is neither a Spanish
/// nor an English word.
pub(super) const THIRD: u8 = 1 << 4;

/// Longest key packed into an integer.
pub(super) const SHORT: usize = 16;

/// Flags per folded word.
#[derive(Default)]
pub(super) struct WordFlags {
    /// Words of 1..=8 bytes, by the low half of their packed key.
    tiny: FxHashMap<u64, u8>,
    /// Words of 9..=16 bytes.
    short: FxHashMap<u128, u8>,
    long: FxHashMap<Box<[u8]>, u8>,
}

/// Packs a word of 1..=16 bytes into an integer (little-endian, zero-padded).
#[inline(always)]
pub(super) fn pack(word: &[u8]) -> u128 {
    let mut key = [0u8; SHORT];
    key[..word.len()].copy_from_slice(word);
    u128::from_le_bytes(key)
}

impl WordFlags {
    /// Adds `flags` to `word` (already folded).
    pub(super) fn add(&mut self, word: &str, flags: u8) {
        let b = word.as_bytes();
        let slot = if (1..=SHORT / 2).contains(&b.len()) {
            self.tiny.entry(pack(b) as u64).or_default()
        } else if (1..=SHORT).contains(&b.len()) {
            self.short.entry(pack(b)).or_default()
        } else {
            self.long.entry(b.into()).or_default()
        };
        *slot |= flags;
    }

    /// The flags of a folded word given by its packed key.
    #[inline(always)]
    pub(super) fn get_short(&self, key: u128) -> u8 {
        let found = if key >> 64 == 0 {
            self.tiny.get(&(key as u64))
        } else {
            self.short.get(&key)
        };
        found.copied().unwrap_or(0)
    }

    /// The flags of a folded word of any length.
    #[inline]
    pub(super) fn get(&self, word: &[u8]) -> u8 {
        if (1..=SHORT).contains(&word.len()) {
            self.get_short(pack(word))
        } else {
            self.long.get(word).copied().unwrap_or(0)
        }
    }

    /// Replaces every word's flags by `f(flags)`.
    pub(super) fn map(&mut self, f: impl Fn(u8) -> u8) {
        self.tiny.values_mut().for_each(|v| *v = f(*v));
        self.short.values_mut().for_each(|v| *v = f(*v));
        self.long.values_mut().for_each(|v| *v = f(*v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_every_length_keep_their_flags() {
        let mut t = WordFlags::default();
        t.add("que", ES_STOP);
        t.add("the", EN_STOP);
        t.add("desafortunadamente", ES_LEX);
        t.add("pesimamente", ES_LEX);
        t.add("que", THIRD);
        assert_eq!(t.get(b"que"), ES_STOP | THIRD);
        assert_eq!(t.get(b"the"), EN_STOP);
        assert_eq!(t.get(b"th"), 0);
        assert_eq!(t.get(b"desafortunadamente"), ES_LEX);
        assert_eq!(t.get(b"pesimamente"), ES_LEX);
        assert_eq!(t.get(b"pesimament"), 0);
        assert_eq!(t.get(b""), 0);
        t.map(|f| f & !THIRD);
        assert_eq!(t.get(b"que"), ES_STOP);
    }
}
