//! [`WordTable`]: a map from a word (or phrase) to what a list knows about it, built for the
//! one lookup per token that scoring does, in the English pack and in the pack engine.
//!
//! A string-keyed map hashes the word byte by byte and confirms a hit with a `memcmp` call.
//! Here a word of up to 16 bytes (almost every word) is packed into two integers with at
//! most four loads, then hashed and compared as integers; longer words go to a string map.
//! The table itself stays hashbrown's (through `FxHashMap`): an open-addressing table of
//! our own was slower, because hashbrown settles most misses, the common case, from its
//! compact control bytes.

use rustc_hash::FxHashMap;

/// A word table; `V` is what it stores per word.
pub(super) struct WordTable<V> {
    /// Words of 1..=[`SHORT`] bytes, by their packed form.
    short: FxHashMap<Packed, V>,
    /// Longer words (and the empty one).
    long: FxHashMap<Box<str>, V>,
}

/// Words up to this many bytes are packed.
const SHORT: usize = 16;

/// A short word as two integers and its length (see [`pack`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Packed(u64, u64, u32);

/// Packs a word of 1..=16 bytes. This is one-to-one: the loads overlap but between them
/// cover every byte, and the length tells how they overlap.
#[inline(always)]
fn pack(b: &[u8]) -> Packed {
    let n = b.len();
    let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
    let u32_at = |i: usize| u64::from(u32::from_le_bytes(b[i..i + 4].try_into().unwrap_or([0; 4])));
    let (k0, k1) = if n >= 8 {
        (u64_at(0), u64_at(n - 8))
    } else if n >= 4 {
        (u32_at(0) | (u32_at(n - 4) << 32), 0)
    } else {
        let byte = |i: usize| u64::from(b[i]);
        (byte(0) | (byte(n / 2) << 8) | (byte(n - 1) << 16), 0)
    };
    Packed(k0, k1, n as u32)
}

impl<V: Copy + Default> WordTable<V> {
    /// A table with room for `words` short words, so that filling it does not grow it
    /// step by step (each step rehashes every word so far).
    pub(super) fn with_capacity(words: usize) -> WordTable<V> {
        WordTable {
            short: FxHashMap::with_capacity_and_hasher(words, Default::default()),
            long: FxHashMap::default(),
        }
    }

    /// Gives back the room a generous [`WordTable::with_capacity`] did not use: a smaller
    /// table keeps more of itself in the processor's cache.
    pub(super) fn shrink_to_fit(&mut self) {
        self.short.shrink_to_fit();
        self.long.shrink_to_fit();
    }

    /// What the table holds for `word`.
    #[inline(always)]
    pub(super) fn get(&self, word: &str) -> Option<V> {
        let b = word.as_bytes();
        if (1..=SHORT).contains(&b.len()) {
            self.short.get(&pack(b)).copied()
        } else {
            self.long.get(word).copied()
        }
    }

    /// The value of `word`, added as `V::default()` if missing.
    pub(super) fn entry(&mut self, word: &str) -> &mut V {
        let b = word.as_bytes();
        if (1..=SHORT).contains(&b.len()) {
            self.short.entry(pack(b)).or_default()
        } else {
            self.long.entry(word.into()).or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word of every length keeps its own value, including words that differ only in
    /// the bytes the packing loads twice, or in trailing NUL bytes.
    #[test]
    fn words_of_every_length_stay_apart() {
        let mut table: WordTable<u32> = WordTable::with_capacity(0);
        let mut words: Vec<String> = Vec::new();
        for n in 0..=24 {
            for fill in ['a', 'b'] {
                let base: String = (0..n)
                    .map(|i| if i % 3 == 0 { fill } else { 'x' })
                    .collect();
                words.push(base.clone());
                words.push(format!("{base}\0"));
                words.push(format!("{base}é"));
            }
        }
        words.sort();
        words.dedup();
        for (i, w) in words.iter().enumerate() {
            *table.entry(w) = i as u32 + 1;
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(table.get(w), Some(i as u32 + 1), "{w:?}");
        }
        assert_eq!(table.get("not there"), None);
        assert_eq!(table.get("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), None);
        *table.entry("a") += 100;
        assert_eq!(
            table.get("a"),
            Some(words.iter().position(|w| w == "a").unwrap() as u32 + 101)
        );
    }
}
