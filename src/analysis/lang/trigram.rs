//! whatlang's answer for Latin-script text over the detector's 13 languages, computed with
//! one table lookup per trigram of the text instead of 300 per language.
//!
//! `whatlang` (MIT, © Sergey Potapov, see `LICENSE-whatlang.txt`) scores a text against
//! each language's profile of its 300 most frequent trigrams by walking the profile and
//! looking every profile trigram up in the text's trigrams: 3,900 hash lookups for 13
//! languages, about 20 µs a call on this machine (estimated from its share of the
//! profile), whatever the text's length. That was a quarter of the product
//! route's time, spent on one post in sixteen. Here the profiles (`latin_profiles.txt`,
//! extracted from the crate by `tools/whatlang_profiles/extract.py`) are inverted once into
//! one map from a trigram to its rank in each language, and the text's trigrams are looked up
//! in it. The arithmetic, the orderings (including ties) and the confidence are whatlang's
//! `Combined` method step for step, so the answer is bit-for-bit the crate's; the test
//! `answers_equal_whatlangs` checks that on thousands of posts. Text whose main script is
//! not Latin goes to the crate itself.

use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::sync::LazyLock;
use whatlang::{Info, Lang, Script};

/// The languages, in the order of whatlang's Latin script list (which is also the order of
/// its Latin trigram profiles).
pub(super) const LANGS: [Lang; 13] = [
    Lang::Spa,
    Lang::Eng,
    Lang::Por,
    Lang::Ind,
    Lang::Fra,
    Lang::Deu,
    Lang::Ita,
    Lang::Tur,
    Lang::Pol,
    Lang::Ron,
    Lang::Nld,
    Lang::Tgl,
    Lang::Cat,
];

/// Each language's alphabet, as whatlang lists it (same order as [`LANGS`]).
const ALPHABETS: [&str; 13] = [
    "abcdefghijklmnopqrstuvwxyz¡¿áéíñóúü",
    "abcdefghijklmnopqrstuvwxyz",
    "abcdefghijklmnopqrstuvwxyzàáâãçéêíóôõú",
    "abcdefghijklmnopqrstuvwxyz",
    "abcdefghijklmnopqrstuvwxyzàâçèéêëîïôùûüÿœ",
    "abcdefghijklmnopqrstuvwxyzßäöü",
    "abcdefghijklmnopqrstuvwxyzàèéìòù",
    "abcdefghijklmnopqrstuvwxyzçöüğış̇",
    "abcdefghijklmnopqrstuvwxyzóąćęłńśźż",
    "abcdefghijklmnopqrstuvwxyzâîăşţ",
    "abcdefghijklmnopqrstuvwxyzàèéëïĳ",
    "abcdefghijklmnopqrstuvwxyzáéíñóú",
    "abcdefghijklmnopqrstuvwxyz·àçèéíïòóúü",
];

/// whatlang's constants: a profile holds 300 trigrams; a text keeps its 600 most frequent.
const MAX_TRIGRAM_DISTANCE: i64 = 300;
const MAX_TOTAL_DISTANCE: i64 = MAX_TRIGRAM_DISTANCE * MAX_TRIGRAM_DISTANCE;
const TEXT_TRIGRAMS_SIZE: usize = 600;

/// Three characters packed into one integer, 21 bits each (every `char` fits), first
/// character highest: integers order as the tuples `(char, char, char)` do, so sorting them
/// gives whatlang's order, and they hash and compare as one word.
type Trigram = u64;

fn trigram(a: char, b: char, c: char) -> Trigram {
    (u64::from(a) << 42) | (u64::from(b) << 21) | u64::from(c)
}

/// A trigram's rank in each language's profile; `u16::MAX` where it is not in it.
struct Profiles {
    ranks: FxHashMap<Trigram, [u16; 13]>,
}

static PROFILES: LazyLock<Profiles> = LazyLock::new(|| Profiles::parse(PROFILE_DATA));

const PROFILE_DATA: &str = include_str!("latin_profiles.txt");

impl Profiles {
    fn parse(data: &str) -> Profiles {
        let mut ranks: FxHashMap<Trigram, [u16; 13]> = FxHashMap::default();
        for (l, line) in data.lines().enumerate() {
            let (_, grams) = line.split_once('\t').unwrap_or(("", ""));
            let chars: Vec<char> = grams.chars().collect();
            for (rank, g) in chars.chunks_exact(3).enumerate() {
                let slot = ranks
                    .entry(trigram(g[0], g[1], g[2]))
                    .or_insert([u16::MAX; 13]);
                slot[l] = rank as u16;
            }
        }
        Profiles { ranks }
    }
}

/// whatlang's `Detector::with_allowlist(LANGS).detect(text)`, for text whose main script is
/// Latin; `None` for any other text (ask the crate).
pub(super) fn detect(text: &str) -> Option<Info> {
    if whatlang::detect_script(text) != Some(Script::Latin) {
        return None;
    }
    let lower = text.to_lowercase();
    let (alphabet, count) = alphabet_scores(&lower);
    let (trigrams, unique) = trigram_scores(&lower);
    if count == 0 || unique == 0 {
        return None;
    }
    // The combined score, as whatlang's `combined::raw_detect`: languages in the alphabet
    // scores' order, each weighted by the text's length.
    let alphabet_weight = (-(count as f64 / 300.0) + 2.0 / 3.0).clamp(1.0 / 3.0, 2.0 / 3.0);
    let trigram_weight = 1.0 - alphabet_weight;
    let mut scores: Vec<(Lang, f64)> = alphabet
        .iter()
        .map(|&(lang, a)| {
            let t = trigrams
                .iter()
                .find(|(l, _)| *l == lang)
                .map_or(0.0, |x| x.1);
            (lang, a * alphabet_weight + t * trigram_weight)
        })
        .collect();
    scores.sort_unstable_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Less));
    let (lang1, score1) = scores[0];
    let confidence = match scores.get(1) {
        Some(&(_, score2)) => confidence(score1, score2, unique),
        None => 1.0,
    };
    Some(Info::new(Script::Latin, lang1, confidence))
}

/// whatlang's `calculate_confidence`.
fn confidence(highest: f64, second: f64, count: usize) -> f64 {
    if highest == 0.0 {
        return 0.0;
    }
    if second == 0.0 {
        return highest;
    }
    let confident_rate = (3.0 / count as f64) + 0.015;
    let rate = (highest - second) / second;
    if rate > confident_rate {
        1.0
    } else {
        rate / confident_rate
    }
}

/// whatlang's alphabet scores: each non-stop character in a language's alphabet earns it 2,
/// and the total is reduced by the number of non-stop characters; normalized by that number.
/// Returns the scores sorted as whatlang sorts them, and the number of non-stop characters.
fn alphabet_scores(lower: &str) -> (Vec<(Lang, f64)>, usize) {
    let mut in_alphabet = [0usize; 13];
    let mut total = 0usize;
    for ch in lower.chars().filter(|&c| !is_stop_char(c)) {
        total += 1;
        if ch.is_ascii_lowercase() {
            in_alphabet.iter_mut().for_each(|n| *n += 1);
        } else {
            for (n, alphabet) in in_alphabet.iter_mut().zip(ALPHABETS) {
                *n += usize::from(alphabet.contains(ch));
            }
        }
    }
    let mut raw: Vec<(Lang, usize)> = LANGS
        .iter()
        .zip(in_alphabet)
        .map(|(&l, n)| (l, (2 * n).saturating_sub(total)))
        .collect();
    raw.sort_unstable_by_key(|(_, score)| Reverse(*score));
    let scores = raw
        .into_iter()
        .map(|(l, s)| (l, s as f64 / total as f64))
        .collect();
    (scores, total)
}

/// whatlang's trigram scores: the text's trigrams ranked by frequency (600 at most), each
/// language's distance to them, sorted as whatlang sorts them; and the number of distinct
/// trigrams.
fn trigram_scores(lower: &str) -> (Vec<(Lang, f64)>, usize) {
    let mut all: Vec<Trigram> = Vec::with_capacity(lower.len() + 1);
    let mut chars = lower.chars().map(trigram_char).chain(Some(' '));
    let (mut c1, mut c2) = (' ', chars.next().unwrap_or(' '));
    for c3 in chars {
        if !(c2 == ' ' && (c1 == ' ' || c3 == ' ')) {
            all.push(trigram(c1, c2, c3));
        }
        c1 = c2;
        c2 = c3;
    }
    all.sort_unstable();
    let mut counted: Vec<(u32, Trigram)> = Vec::with_capacity(all.len());
    for t in all {
        match counted.last_mut() {
            Some((n, last)) if *last == t => *n += 1,
            _ => counted.push((1, t)),
        }
    }
    counted.sort_unstable_by(|a, b| b.cmp(a));
    counted.truncate(TEXT_TRIGRAMS_SIZE);
    let unique = counted.len();
    // Distance per language: 300 for every profile trigram the text lacks, the difference of
    // ranks for the others; i.e. the maximum minus what each shared trigram saves.
    let mut saved = [0i64; 13];
    let profiles = &*PROFILES;
    for (position, (_, t)) in counted.iter().enumerate() {
        if let Some(ranks) = profiles.ranks.get(t) {
            for (s, &rank) in saved.iter_mut().zip(ranks) {
                if rank != u16::MAX {
                    *s += MAX_TRIGRAM_DISTANCE - (position as i64 - i64::from(rank)).abs();
                }
            }
        }
    }
    let count = unique as i64;
    let mut distances: Vec<(Lang, u32)> = LANGS
        .iter()
        .zip(saved)
        .map(|(&l, s)| {
            let mut d = MAX_TOTAL_DISTANCE - s;
            if MAX_TRIGRAM_DISTANCE > count {
                d -= (MAX_TRIGRAM_DISTANCE - count) * MAX_TRIGRAM_DISTANCE;
            }
            (l, d.clamp(0, MAX_TOTAL_DISTANCE) as u32)
        })
        .collect();
    distances.sort_unstable_by_key(|(_, d)| *d);
    let max = unique as u32 * MAX_TRIGRAM_DISTANCE as u32;
    let scores = distances
        .into_iter()
        .map(|(l, d)| (l, f64::from(max.saturating_sub(d)) / f64::from(max)))
        .collect();
    (scores, unique)
}

/// whatlang's stop characters: ASCII punctuation, digits, symbols and controls.
fn is_stop_char(ch: char) -> bool {
    matches!(ch, '\u{0000}'..='\u{0040}' | '\u{005B}'..='\u{0060}' | '\u{007B}'..='\u{007E}')
}

fn trigram_char(ch: char) -> char {
    if is_stop_char(ch) { ' ' } else { ch }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whatlang(text: &str) -> Option<Info> {
        whatlang::Detector::with_allowlist(LANGS.to_vec()).detect(text)
    }

    fn same(text: &str) {
        let (ours, theirs) = (detect(text), whatlang(text));
        // Only text whose main script is not Latin is left to the crate.
        let latin = whatlang::detect_script(text) == Some(Script::Latin);
        assert_eq!(ours.is_some(), latin && theirs.is_some(), "{text:?}");
        if let Some(ours) = ours {
            let theirs = theirs.unwrap_or_else(|| panic!("{text:?}: whatlang has no answer"));
            assert_eq!(ours.lang(), theirs.lang(), "{text:?}");
            assert_eq!(
                ours.confidence().to_bits(),
                theirs.confidence().to_bits(),
                "{text:?}"
            );
            assert_eq!(ours.is_reliable(), theirs.is_reliable(), "{text:?}");
        }
    }

    #[test]
    fn the_profiles_are_whatlangs_thirteen() {
        let langs: Vec<&str> = PROFILE_DATA
            .lines()
            .map(|l| l.split('\t').next().unwrap_or(""))
            .collect();
        let codes: Vec<String> = LANGS.iter().map(|l| l.code().to_string()).collect();
        assert_eq!(langs, codes);
        for line in PROFILE_DATA.lines() {
            assert_eq!(line.split('\t').nth(1).unwrap().chars().count(), 900);
        }
    }

    #[test]
    fn answers_equal_whatlangs() {
        let posts = [
            "Lieferung war pünktlich",
            "hacen delivery a Chorrillos?",
            "kisa zamanda mirrorlari cikar gibi geliyor :)",
            "Siya na! :D",
            "Jeg ser ikke fjernsyn :)",
            "Pizza time.",
            "Adorable.",
            "a",
            "¿¡",
            "zzz zzz zzz",
            "Il servizio è stato pessimo, non lo consiglio",
            "Je suis très déçu, la livraison est arrivée en retard",
            "O atendimento foi péssimo, não recomendo a ninguém",
            "Dzień dobry, zamówienie nie dotarło",
            "Comanda a ajuns târziu, şi mâncarea era rece",
            "De bezorging was te laat en het eten koud",
            "Bon dia, la comanda no ha arribat encara",
            "Pesanan saya belum sampai juga",
            "Heat 'dome' covers 1 million square miles - Weather",
            "PÉSIMO SERVICIO 😡😡 nunca más",
        ];
        for p in posts {
            same(p);
        }
        // Every post of our own labeled set, and with VIGIA_SHARED_DATA every text of the
        // VADER reference (tweets, reviews, editorials) and of the development set.
        for line in include_str!("../../../tests/data/own-set.tsv").lines() {
            same(line.rsplit('\t').next().unwrap_or(""));
        }
        match std::env::var_os("VIGIA_SHARED_DATA") {
            None => eprintln!("notice: VIGIA_SHARED_DATA is not set; reference texts skipped"),
            Some(dir) => {
                let dir = std::path::Path::new(&dir);
                for file in [
                    "vader-reference/vader-3.3.2-reference.tsv",
                    "mentions-dev/mentions-dev.tsv",
                ] {
                    let tsv = std::fs::read_to_string(dir.join(file))
                        .unwrap_or_else(|e| panic!("{file}: {e}"));
                    assert!(tsv.lines().count() > 200, "{file} is nearly empty");
                    for line in tsv.lines().skip(1) {
                        same(line.rsplit('\t').next().unwrap_or(""));
                    }
                }
            }
        }
        let long = "el pedido no llegó y nadie contesta, the order never came ".repeat(40);
        same(&long);
        // Word salads of every length from a mixed vocabulary: ties and near-ties included.
        let words = [
            "de", "the", "não", "und", "que", "és", "ça", "ß", "ğ", "ł", "ij", "ng", "sa", "yang",
            "pedido", "order", "zzz", "x", "ñ", "über", "çok", "się", "şi", "è",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for n in 1..400 {
            let text: Vec<&str> = (0..(n % 23 + 1))
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    words[(seed % words.len() as u64) as usize]
                })
                .collect();
            same(&text.join(" "));
        }
    }

    #[test]
    fn non_latin_text_is_left_to_whatlang() {
        assert!(detect("Доставка опоздала на два часа").is_none());
        assert!(detect("😡😡😡").is_none());
        assert!(detect("").is_none());
    }
}
