//! Sarcasm: praise that means blame, in Spanish and English (product engine only; the VADER
//! parity pack never sees it).
//!
//! Customers praise what went wrong: `excelente servicio 🙄`, `genial, otra vez sin luz`,
//! `el "mejor" servicio`, `love waiting 2 hours /s`, `great, just great`. A post that scores
//! positive is read as ironic when it carries one of these cues, and its praise then counts
//! as blame ([`SentimentEngine`](super::SentimentEngine) turns the score around):
//!
//! - an irony emoji (🙄 🙃 😒 🤡 🤦 😑) or a closing `/s`;
//! - scare quotes around one or two words of praise (`el "mejor" servicio`, `"fast" shipping`);
//! - a sentence that opens with praise (`genial`, `qué bien`, `excelente servicio`, `great`,
//!   `oh wonderful`, `love`, `me encanta`) and goes straight on to a complaint event: the same
//!   failure again (`otra vez`, `de nuevo`, `again`, `another`), a wait (`esperando`, `waiting`,
//!   `on hold`, `3 horas esperando`), or still no result (`todavía no`, `sigo esperando`,
//!   `still waiting`). The event must come within three words of the praise; when the praise
//!   is followed by a comma (an interjection: `Great, the app is down again`) anywhere in its
//!   sentence, and when the praise is a sentence of its own (`Excelente servicio. 3 horas.`),
//!   at the start of the next one;
//! - praise echoed after a comma (`great, just great`, `genial, simplemente genial`).
//!
//! Plain praise is never touched: thanks again (`gracias otra vez`, `thanks again`), coming
//! back (`will order again`, `volveré otra vez`), no wait (`sin espera`, `can't wait`, `worth
//! the wait`) and things that still work (`still works`) are not complaint events, and a post
//! without a cue keeps its score. Laughter in a post that also complains (`3 horas esperando
//! jaja`) is handled by the engine too: it adds no joy (see [`strip_laughter`]).

use crate::analysis::normalize::{Span, TokenKind, Tokens};
use crate::domain::Lang;
use aho_corasick::AhoCorasick;
use std::cell::RefCell;
use std::sync::LazyLock;

/// Emoji that mark what they accompany as ironic.
pub(super) const IRONY_MARKERS: [char; 6] = ['🙄', '🙃', '😒', '🤡', '🤦', '😑'];

/// Whether the post carries a cue of sarcasm (see the module docs). `praises` tells whether
/// a quoted fragment is praise on its own; `complains` whether the post has a negative
/// word anywhere (it lets capitalized scare quotes count: `el "Mejor" servicio`, which
/// could otherwise be a product's name).
pub(super) fn ironic(
    text: &str,
    lang: Lang,
    complains: bool,
    praises: impl Fn(&str) -> bool,
) -> bool {
    if !text.is_ascii() && text.contains(IRONY_MARKERS) {
        return true;
    }
    if closing_slash_s(text) || scare_quoted_praise(text, complains, &praises) {
        return true;
    }
    if !may_hold_cue(text) {
        return false;
    }
    let read = |tokens: &mut Tokens| {
        tokens.fill(text, Some(lang));
        set_phrase(tokens)
            || praise_then_complaint(tokens, &praises)
            || (complains && praise_tagged_eh(tokens))
    };
    TOKENS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut tokens) => read(&mut tokens),
        Err(_) => read(&mut Tokens::new()),
    })
}

/// Stems (case- and, where written so, accent-folded) without one of which no word-level cue
/// can fire: the complaint events, the set phrases' key words, `eh`. Matched anywhere in the
/// raw text, they may over-match (`mes` in `times` is not listed for that reason, `esper` in
/// `desperate` is): a hit only means the post is read word by word.
const ANCHORS: &[&str] = &[
    "again",
    "another",
    "nuevamente",
    "otra",
    "nuevo",
    "esper",
    "wait",
    "hold",
    "queue",
    "fila",
    "cola",
    "still",
    "todav",
    "aun",
    "aún",
    "sigo",
    "sigue",
    "seguimos",
    "horas",
    "hrs",
    "hs",
    "dias",
    "días",
    "semanas",
    "meses",
    "hours",
    "days",
    "weeks",
    "months",
    "nothing",
    "nada",
    "por nd",
    "x nd",
    "right",
    "jan",
    "joy",
    "claro",
    "como no",
    "cómo no",
    "faltaba",
    "eh",
];

/// The anchors, then praise as written (with the accented spellings of [`PRAISE`]'s folded
/// words), in one automaton: one pass over the raw text finds an anchor or praise written
/// twice (`great, just great`, which may be an echo).
static CUES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let accented = ["fantástico", "increíble", "buenísimo", "rápido"];
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(ANCHORS.iter().chain(PRAISE).chain(&accented))
        .expect("cue patterns")
});
const _: () = assert!(
    PRAISE.len() + 4 <= 64,
    "praise patterns fit one u64 of seen bits"
);

/// Whether a word-level cue is possible at all: one raw-text scan spares the tokenizing of
/// the many positive posts that have none. Matches may overlap (`thank` in `thanks`): more
/// hits only mean more posts read word by word, which decides.
fn may_hold_cue(text: &str) -> bool {
    let mut seen = 0u64;
    CUES.find_overlapping_iter(text).any(|m| {
        let Some(praise) = m.pattern().as_usize().checked_sub(ANCHORS.len()) else {
            return true;
        };
        let bit = 1u64 << praise;
        let again = seen & bit != 0;
        seen |= bit;
        again
    })
}

thread_local! {
    /// The tokens of the last post read, reused so that reading allocates nothing once warm.
    static TOKENS: RefCell<Tokens> = RefCell::new(Tokens::new());
}

/// Set phrases of sarcasm, as normalized words; `si claro` only where a sentence opens.
const SET_PHRASES: &[&[&str]] = &[
    &["thanks", "for", "nothing"],
    &["lot", "for", "nothing"],
    &["gracias", "por", "nada"],
    &["yeah", "right"],
    &["sure", "jan"],
    &["oh", "joy"],
    &["si", "como", "no"],
    &["lo", "que", "faltaba"],
    &["lo", "que", "me", "faltaba"],
];

fn set_phrase(tokens: &Tokens) -> bool {
    let spans = tokens.spans();
    (0..tokens.len()).any(|i| {
        let at = |n: usize, w: &str| i + n < tokens.len() && tokens.text(i + n) == w;
        let opens = spans[i].clause_start || i == 0;
        (opens && at(0, "si") && at(1, "claro"))
            || SET_PHRASES
                .iter()
                .any(|p| p.iter().enumerate().all(|(n, w)| at(n, w)))
    })
}

/// A sentence that ends in praise and `eh` (`muy amables, eh`, `gracias eh`): in a post that
/// also complains, a reproach.
fn praise_tagged_eh(tokens: &Tokens) -> bool {
    let spans = tokens.spans();
    (1..tokens.len()).any(|k| {
        let ends = k + 1 == spans.len() || spans[k + 1].clause_start;
        let praise = tokens.text(k - 1);
        ends && tokens.text(k) == "eh" && (is(praise, PRAISE) || is(praise, KIND))
    })
}

/// Kindness, as praised in a reproach (`muy amables, eh`).
const KIND: &[&str] = &["amable", "amables", "atentos", "atento", "kind"];

/// `/s` standing alone after the text, with nothing but punctuation, emoji or spaces after it.
fn closing_slash_s(text: &str) -> bool {
    text.match_indices("/s").any(|(i, _)| {
        let alone = text[..i].chars().last().is_none_or(char::is_whitespace);
        alone && !text[i + 2..].chars().any(char::is_alphanumeric)
    })
}

/// Opening and closing quote marks.
const QUOTES: [(char, char); 5] = [('"', '"'), ('“', '”'), ('«', '»'), ('‘', '’'), ('\'', '\'')];

/// One or two words of praise in quotes, opened after a space or at the start and closed
/// before a space, punctuation or the end (`el "mejor" servicio`, `'rápido', claro`).
fn scare_quoted_praise(text: &str, complains: bool, praises: &impl Fn(&str) -> bool) -> bool {
    // Only the bytes that can start an opening quote are looked at: `"`, `'` and the lead
    // bytes of `“`, `‘` (0xE2) and `«` (0xC2), all of them character boundaries.
    let bytes = text.as_bytes();
    let starts = bytes.iter().enumerate();
    let candidates = starts.filter(|&(_, &b)| matches!(b, b'"' | b'\'' | 0xE2 | 0xC2));
    for (i, _) in candidates {
        let Some(c) = text[i..].chars().next() else {
            continue;
        };
        let Some(&(_, close)) = QUOTES.iter().find(|(open, _)| *open == c) else {
            continue;
        };
        let opens = text[..i]
            .chars()
            .next_back()
            .is_none_or(|p| p.is_whitespace() || p == '(');
        let after = &text[i + c.len_utf8()..];
        if let Some(end) = after.find(close).filter(|_| opens) {
            let inner = &after[..end];
            let closed = after[end + close.len_utf8()..]
                .chars()
                .next()
                .is_none_or(|n| !n.is_alphanumeric());
            let words = inner.split_whitespace().count();
            let lower = inner.chars().next().is_some_and(char::is_lowercase);
            if closed
                && (1..=2).contains(&words)
                && inner.len() <= 40
                && !inner.contains('?')
                && (lower || complains)
                && praises(inner)
            {
                return true;
            }
        }
    }
    false
}

/// Praise that a sentence opens with (accents folded); `bien` as in `qué bien`, `muy bien`.
const PRAISE: &[&str] = &[
    "genial",
    "excelente",
    "perfecto",
    "perfecta",
    "fantastico",
    "maravilloso",
    "maravilla",
    "increible",
    "espectacular",
    "buenisimo",
    "bravo",
    "felicidades",
    "felicitaciones",
    "gracias",
    "bien",
    "lindo",
    "bonito",
    "rapidez",
    "eficiencia",
    "rapido",
    "encanta",
    "encantan",
    "amo",
    "great",
    "wonderful",
    "perfect",
    "fantastic",
    "awesome",
    "brilliant",
    "lovely",
    "nice",
    "amazing",
    "excellent",
    "terrific",
    "superb",
    "thanks",
    "thank",
    "fast",
    "quick",
    "love",
    "loving",
    "yay",
];

/// Thanks: `thanks again` is thanks, not a repeated failure.
const THANKS: &[&str] = &["gracias", "thanks", "thank"];

/// Words that may come before the praise at the start of a sentence (`oh`, `qué`, `I`,
/// `me`), or between it and the comma (`servicio`, `service`, `job`).
const LEAD_INS: &[&str] = &[
    "oh",
    "ah",
    "ay",
    "wow",
    "guau",
    "que",
    "q",
    "muy",
    "pues",
    "y",
    "just",
    "so",
    "really",
    "simply",
    "how",
    "what",
    "a",
    "i",
    "me",
    "les",
    "te",
    "lo",
    "la",
    "el",
    "una",
    "un",
    "super",
    "re",
    "realmente",
    "simplemente",
    "muchas",
    "mil",
    "such",
];

/// What the praise may be about, between it and the comma (`excelente servicio,`).
const PRAISED: &[&str] = &[
    "servicio",
    "atencion",
    "trabajo",
    "eh",
    "service",
    "job",
    "work",
    "you",
    "lot",
    "much",
    "guys",
    "chicos",
    "muchachos",
];

/// The same thing happening again.
const AGAIN: &[&str] = &["again", "another", "nuevamente"];
const AGAIN_PAIRS: &[(&str, &str)] = &[("otra", "vez"), ("de", "nuevo"), ("once", "again")];

/// Coming back or buying again: `will order again`, `volveré otra vez`.
const COMING_BACK: &[&str] = &[
    "order",
    "ordering",
    "buy",
    "buying",
    "come",
    "coming",
    "visit",
    "back",
    "use",
    "recommend",
    "book",
    "shop",
    "return",
    "pedir",
    "pedire",
    "pediria",
    "pido",
    "comprar",
    "comprare",
    "compraria",
    "compro",
    "volver",
    "volvere",
    "volveria",
    "vuelvo",
    "repetir",
    "repetiria",
    "repito",
    "recomendar",
    "usar",
    "usare",
    "elegiria",
    "visitar",
    "gracias",
    "thanks",
    "thank",
];

/// Waiting.
const WAIT: &[&str] = &[
    "esperando",
    "esperar",
    "espera",
    "esperamos",
    "esperado",
    "waiting",
    "wait",
    "waited",
    "hold",
    "queue",
    "fila",
    "cola",
];

/// Still (followed by a wait or a negator: `sigo esperando`, `still no`, `todavía no`).
const STILL: &[&str] = &[
    "still", "todavia", "aun", "sigo", "sigue", "siguen", "seguimos",
];

/// Long waits: `3 horas`, `two hours` (counted when the sentence also waits, or when the
/// duration opens the sentence after a sentence of praise: `Qué rapidez... 3 horas`).
const LONG_UNITS: &[&str] = &[
    "horas", "hrs", "hs", "dias", "semanas", "meses", "hours", "days", "weeks", "months",
];

/// Words that undo a following wait: `sin espera`, `no wait`, `can't wait`, `worth the wait`.
const NO_WAIT: &[&str] = &[
    "sin", "no", "without", "zero", "cant", "can't", "cannot", "the", "la", "never", "nunca",
];

fn is(word: &str, list: &[&str]) -> bool {
    list.contains(&word)
}

/// A sentence that opens with praise and goes on to a complaint event (see the module docs).
fn praise_then_complaint(tokens: &Tokens, praises: &impl Fn(&str) -> bool) -> bool {
    let spans = tokens.spans();
    let word = |i: usize| tokens.text(i);
    let sentence_end = |i: usize| {
        (i + 1..spans.len())
            .find(|&k| spans[k].clause_start)
            .unwrap_or(spans.len())
    };
    let mut start = 0;
    while start < spans.len() {
        let end = sentence_end(start);
        if let Some(at) = opening_praise(tokens, start, end) {
            let thanks = is(word(at), THANKS);
            // The praise and what it is about, up to the comma.
            let mut after = at + 1;
            while after < end
                && !spans[after].break_before
                && (is(word(after), PRAISED) || is(word(after), PRAISE))
            {
                after += 1;
            }
            let interjection = after == end || spans[after].break_before;
            // What follows the praise must not be praise itself (`excelente atención, me
            // atendieron de nuevo muy rápido`).
            let sincere = || after < end && praises(tokens.phrase(after..end));
            let near = (after..end.min(at + 4)).any(|k| event_at(tokens, k, end, thanks));
            let far = interjection && (after..end).any(|k| event_at(tokens, k, end, thanks));
            if (near || far) && !sincere() {
                return true;
            }
            if after == end && end < spans.len() {
                let next_end = sentence_end(end);
                let opens = end..next_end.min(end + 3);
                let event = opens.clone().any(|k| event_at(tokens, k, next_end, thanks))
                    || opens.into_iter().any(|k| long_wait_at(tokens, k, next_end));
                if event && !praises(tokens.phrase(end..next_end)) {
                    return true;
                }
            }
            if echoed(tokens, at, after, end) {
                return true;
            }
        }
        start = end;
    }
    false
}

/// The praise word that opens the sentence `start..end`, after lead-ins (`oh`, `qué`).
fn opening_praise(tokens: &Tokens, start: usize, end: usize) -> Option<usize> {
    let spans = tokens.spans();
    (start..end.min(start + 4))
        .take_while(|&k| spans[k].kind == TokenKind::Word)
        .find(|&k| {
            let w = tokens.text(k);
            is(w, PRAISE) && (start..k).all(|j| is(tokens.text(j), LEAD_INS))
        })
}

/// A complaint event starts at token `k` of a sentence that ends at `end`.
fn event_at(tokens: &Tokens, k: usize, end: usize, thanks: bool) -> bool {
    let spans = tokens.spans();
    let word = |i: usize| tokens.text(i);
    let next = |i: usize| (i + 1 < end).then(|| word(i + 1));
    let before = |n: usize| k.checked_sub(n).map(word);
    if spans[k].kind != TokenKind::Word {
        return false;
    }
    let w = word(k);
    let again = is(w, AGAIN)
        || AGAIN_PAIRS
            .iter()
            .any(|(a, b)| w == *a && next(k) == Some(b));
    if again {
        let coming_back = (1..=2).any(|n| before(n).is_some_and(|b| is(b, COMING_BACK)));
        return !thanks && !coming_back;
    }
    if is(w, WAIT) {
        return !(1..=3).any(|n| before(n).is_some_and(|b| is(b, NO_WAIT)));
    }
    if is(w, STILL) {
        return next(k).is_some_and(|n| is(n, WAIT) || is(n, &["no", "not", "nothing", "nada"]));
    }
    false
}

/// `N horas`, `two hours`... at token `k`.
fn long_wait_at(tokens: &Tokens, k: usize, end: usize) -> bool {
    let count = tokens.text(k);
    let number = count.parse::<u32>().is_ok_and(|n| n >= 2)
        || is(
            count,
            &[
                "dos", "tres", "cuatro", "cinco", "seis", "two", "three", "four", "five", "six",
            ],
        );
    number && k + 1 < end && is(tokens.text(k + 1), LONG_UNITS)
}

/// The praise echoed after the comma: `great, just great`, `genial, simplemente genial`.
fn echoed(tokens: &Tokens, at: usize, after: usize, end: usize) -> bool {
    let spans: &[Span] = tokens.spans();
    if after >= end || !spans[after].break_before {
        return false;
    }
    let mut k = after;
    while k < end
        && is(
            tokens.text(k),
            &["just", "simply", "really", "simplemente", "muy", "que"],
        )
    {
        k += 1;
    }
    k < end && tokens.text(k) == tokens.text(at)
}

/// Laughter tokens: `jaja`, `haha`, `lol`, 😂, 🤣 (after normalization).
const LAUGHTER: &[&str] = &[
    "jaja", "jeje", "haha", "hehe", "lol", "lmao", "xd", "😂", "🤣",
];

/// Whether a written word may be laughter once normalized (`JAJAJA`, `jaaja`, `hahah`, `lol!`,
/// `xD`, 😂): a cheap look before the post is tokenized word by word.
fn may_laugh(word: &str) -> bool {
    if word.contains(['😂', '🤣']) {
        return true;
    }
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    let starts = |p: &str| {
        word.get(..p.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(p))
    };
    ["jaj", "jej", "jaa", "hah", "heh", "haa"]
        .iter()
        .any(|p| starts(p))
        || ["lol", "lmao", "xd"]
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w))
}

/// The text without its laughter, when it has any: laughter in a post that complains is
/// not joy (`3 horas esperando jaja`, `se cayó otra vez lol`).
pub(super) fn strip_laughter(text: &str, lang: Lang) -> Option<String> {
    if !text.split_whitespace().any(may_laugh) {
        return None;
    }
    let mut tokens = Tokens::new();
    let mut laughs = false;
    let kept: Vec<&str> = text
        .split_whitespace()
        .filter(|w| {
            tokens.fill(w, Some(lang));
            let laugh = (0..tokens.len()).any(|i| is(tokens.text(i), LAUGHTER));
            laughs |= laugh;
            !laugh
        })
        .collect();
    laughs.then(|| kept.join(" "))
}
