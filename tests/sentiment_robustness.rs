//! Robustness of the sentiment engine on hostile text: a property test over generated
//! strings (a fixed-seed generator, so runs are reproducible) plus hand-picked extremes.
//! Properties: no panic; `compound` in [-1, 1]; `pos`, `neu`, `neg` in [0, 1] summing to ~1;
//! the same text scores the same twice.

use vigia::analysis::sentiment::{Sentiment, SentimentEngine, VaderEnglish};
use vigia::domain::{Lang, SentimentScore};

/// xorshift64*: small, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Pieces that stress tokenizers: words of both languages, emoji with skin tones and ZWJ,
/// combining marks, right-to-left text, zero-width and odd spaces, punctuation runs.
const PIECES: &[&str] = &[
    "good",
    "NOT",
    "but",
    "never so",
    "kind of",
    "least",
    "no",
    "muy",
    "pésimo",
    "nunca",
    "sin",
    "pero",
    "jajaja",
    "xq",
    "malísimooo",
    "😡",
    "👍🏽",
    "👨‍👩‍👧",
    "❤️",
    "🏳️‍🌈",
    ":)",
    ":-(",
    "<3",
    "e\u{301}\u{301}\u{301}",
    "\u{202e}evil\u{202c}",
    "مرحبا",
    "שלום",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{1c}",
    "\u{a0}",
    "\u{3000}",
    "!!!",
    "???",
    "¡¿",
    "'",
    "-",
    "\u{fffd}",
    "ǅ",
    "İ",
    "ß",
    "ΣΑΣ",
    "\t",
    "\n",
    " ",
    "  ",
];

fn arbitrary(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(40) {
        if rng.below(3) == 0 {
            // Any scalar value, including unassigned and private-use ones.
            let c = char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{fffd}');
            s.push(c);
        } else {
            s.push_str(PIECES[rng.below(PIECES.len() as u64) as usize]);
        }
        if rng.below(2) == 0 {
            s.push(' ');
        }
    }
    s
}

fn well_formed(s: &SentimentScore, text: &str) {
    let ctx = || format!("{s:?} for {:?}", text.chars().take(80).collect::<String>());
    assert!((-1.0..=1.0).contains(&s.compound), "{}", ctx());
    for v in [s.pos, s.neu, s.neg] {
        assert!((0.0..=1.0).contains(&v), "{}", ctx());
    }
    assert!((s.pos + s.neu + s.neg - 1.0).abs() < 0.01, "{}", ctx());
}

fn check(engine: &SentimentEngine, vader: &VaderEnglish, text: &str) {
    for lang in [Lang::Es, Lang::En, Lang::Other] {
        let s = engine.score(text, lang);
        well_formed(&s, text);
        assert_eq!(s, engine.score(text, lang), "not deterministic");
    }
    well_formed(&vader.polarity_scores(text), text);
}

#[test]
fn arbitrary_unicode_scores_in_range() {
    let (engine, vader) = (SentimentEngine::new(), VaderEnglish::new());
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for _ in 0..3_000 {
        check(&engine, &vader, &arbitrary(&mut rng));
    }
}

#[test]
fn extremes_score_in_range() {
    let (engine, vader) = (SentimentEngine::new(), VaderEnglish::new());
    let lone_surrogates = String::from_utf16_lossy(&[0xd800, 0x61, 0xdfff, 0xdc00, 0xd83d]);
    let big = "good but NOT bad, pésimo servicio 😡 jajaja ".repeat(25_000); // ~1 MB
    let combining = format!("a{}", "\u{301}".repeat(100_000));
    let zwj = "👨‍👩‍👧‍👦\u{200d}".repeat(20_000);
    let rtl = "\u{202e}مرحبا שלום good\u{202c} ".repeat(10_000);
    // ASCII takes the English pack's block-wise splitter: many blocks, one word across
    // all of them, nothing but punctuation.
    let ascii = "Good but NOT bad!!! The service was AWFUL. ".repeat(25_000);
    let one_word = "A".repeat(1_000_000);
    let punctuation = "!?.,:)".repeat(200_000);
    for text in [
        "",
        " ",
        "\u{0}",
        "!!!!!!!!",
        "????",
        lone_surrogates.as_str(),
    ] {
        check(&engine, &vader, text);
    }
    for text in [
        &big,
        &combining,
        &zwj,
        &rtl,
        &ascii,
        &one_word,
        &punctuation,
    ] {
        assert!(text.len() >= 100_000);
        check(&engine, &vader, text);
    }
}
