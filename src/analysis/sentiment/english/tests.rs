use super::*;
use std::sync::OnceLock;

fn vader() -> &'static VaderEnglish {
    static V: OnceLock<VaderEnglish> = OnceLock::new();
    V.get_or_init(VaderEnglish::new)
}

fn scores(text: &str) -> (f64, f64, f64, f64) {
    let s = vader().polarity_scores(text);
    (s.neg, s.neu, s.pos, s.compound)
}

/// Values printed by `vaderSentiment==3.3.2` for the examples in its own `__main__`.
#[test]
fn matches_the_reference_examples() {
    let cases = [
        (
            "VADER is smart, handsome, and funny.",
            (0.0, 0.254, 0.746, 0.8316),
        ),
        (
            "VADER is smart, handsome, and funny!",
            (0.0, 0.248, 0.752, 0.8439),
        ),
        (
            "VADER is very smart, handsome, and funny.",
            (0.0, 0.299, 0.701, 0.8545),
        ),
        (
            "VADER is VERY SMART, handsome, and FUNNY.",
            (0.0, 0.246, 0.754, 0.9227),
        ),
        (
            "VADER is VERY SMART, handsome, and FUNNY!!!",
            (0.0, 0.233, 0.767, 0.9342),
        ),
        ("The book was good.", (0.0, 0.508, 0.492, 0.4404)),
        (
            "At least it isn't a horrible book.",
            (0.0, 0.678, 0.322, 0.431),
        ),
        ("Today SUX!", (0.779, 0.221, 0.0, -0.5461)),
        (
            "Today only kinda sux! But I'll get by, lol",
            (0.127, 0.556, 0.317, 0.5249),
        ),
        ("Make sure you :) or :D today!", (0.0, 0.294, 0.706, 0.8633)),
        (
            "Catch utf-8 emoji such as 💘 and 💋 and 😁",
            (0.0, 0.583, 0.417, 0.875),
        ),
        ("Not bad at all", (0.0, 0.513, 0.487, 0.431)),
    ];
    for (text, want) in cases {
        assert_eq!(scores(text), want, "{text}");
    }
}

#[test]
fn empty_text_is_neutral() {
    let s = vader().polarity_scores("  ");
    assert_eq!((s.neu, s.compound), (1.0, 0.0));
}

#[test]
fn rounds_like_python() {
    assert_eq!(py_round(0.125, 2), 0.12);
    assert_eq!(py_round(0.375, 2), 0.38);
    assert_eq!(py_round(-0.0625, 3), -0.062);
    assert_eq!(py_round(0.4404, 4), 0.4404);
    assert_eq!(py_round(0.12345678, 3), 0.123);
}

#[test]
fn explains_the_strongest_words() {
    let top = vader().explain("The food was great but the service was horrible", 2);
    assert_eq!(top[0].token, "horrible");
    assert!(top[0].valence < 0.0 && top[1].valence > 0.0);
}

#[test]
fn counts_marked_phrases_by_their_words() {
    let mut v = VaderEnglish::new();
    v.mark_phrases(["doesnt work at all", "not worth it", "dont like"].into_iter());
    let phrases = |text: &str| v.read(text, 0).phrases;
    // Whole phrases, in either spelling of the apostrophe word.
    assert_eq!(phrases("the app doesn't work at all"), 1);
    assert_eq!(phrases("the app doesnt work at all"), 1);
    assert_eq!(phrases("not worth it and I don't like it"), 2);
    // A prefix of a phrase is no phrase; nor are its words out of order.
    assert_eq!(phrases("the app doesn't work"), 0);
    assert_eq!(phrases("not worth the money"), 0);
    assert_eq!(phrases("like it, don't"), 0);
    // Only the first word is a start: the phrase must begin there.
    assert_eq!(phrases("worth it"), 0);
    assert_eq!(phrases("not not worth it"), 1);
}
