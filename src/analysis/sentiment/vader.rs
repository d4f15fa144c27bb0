//! VADER's constants and arithmetic (Hutto & Gilbert, ICWSM 2014; `vaderSentiment` 3.3.2).

use crate::domain::SentimentScore;

/// Added to (or, for negative words, subtracted from) the valence by a booster word.
pub(super) const B_INCR: f64 = 0.293;
/// Dampener counterpart of [`B_INCR`].
pub(super) const B_DECR: f64 = -0.293;
/// Emphasis of a word written in capitals among words that are not.
pub(super) const C_INCR: f64 = 0.733;
/// Factor applied to a negated valence: flips and dampens.
pub(super) const N_SCALAR: f64 = -0.74;
/// Normalization constant: `compound = s / sqrt(s² + ALPHA)`.
pub(super) const ALPHA: f64 = 15.0;

/// Maps an unbounded valence sum into `[-1, 1]`.
pub(super) fn normalize(score: f64) -> f64 {
    (score / (score * score + ALPHA).sqrt()).clamp(-1.0, 1.0)
}

/// Emphasis from `!` (up to 4) and from repeated `?` (more than one).
pub(super) fn punctuation_emphasis(text: &str) -> f64 {
    // Bytes, not chars: `!` and `?` never occur inside a multi-byte UTF-8 sequence.
    let (bangs, questions) = text.bytes().fold((0usize, 0usize), |(b, q), c| {
        (b + usize::from(c == b'!'), q + usize::from(c == b'?'))
    });
    let exclamation = bangs.min(4) as f64 * 0.292;
    let question = match questions {
        0 | 1 => 0.0,
        2..=3 => questions as f64 * 0.18,
        _ => 0.96,
    };
    exclamation + question
}

/// Combines per-word valences into the final scores, as VADER's `score_valence` does.
/// No sentiment-bearing word at all is fully neutral (`neu == 1`).
pub(super) fn finish(sentiments: &[f64], punct: f64) -> SentimentScore {
    if sentiments.is_empty() {
        return SentimentScore {
            compound: 0.0,
            pos: 0.0,
            neu: 1.0,
            neg: 0.0,
        };
    }
    let mut sum: f64 = sentiments.iter().sum();
    if sum > 0.0 {
        sum += punct;
    } else if sum < 0.0 {
        sum -= punct;
    }
    let (mut pos, mut neg, neu) = sift(sentiments);
    if pos > neg.abs() {
        pos += punct;
    } else if pos < neg.abs() {
        neg -= punct;
    }
    let total = pos + neg.abs() + neu;
    SentimentScore {
        compound: normalize(sum),
        pos: (pos / total).abs(),
        neu: (neu / total).abs(),
        neg: (neg / total).abs(),
    }
}

/// (positive sum, negative sum, neutral count); each sentiment word adds one to its side so
/// that a word of valence 0.1 still outweighs a neutral one.
fn sift(sentiments: &[f64]) -> (f64, f64, f64) {
    sentiments
        .iter()
        .fold((0.0, 0.0, 0.0), |(pos, neg, neu), &s| {
            if s > 0.0 {
                (pos + s + 1.0, neg, neu)
            } else if s < 0.0 {
                (pos, neg + s - 1.0, neu)
            } else {
                (pos, neg, neu + 1.0)
            }
        })
}
