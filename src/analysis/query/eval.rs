//! Evaluates a parsed query against a [`Doc`].

use super::ast::{Leaf, Node, Pat, Test};
use super::doc::Doc;

/// A match of a positional expression: tokens `start..end`.
type Span = (usize, usize);

pub fn matches(node: &Node, doc: &Doc) -> bool {
    match node {
        Node::Leaf(leaf) => leaf_matches(leaf, doc),
        Node::And(children) => children.iter().all(|c| matches(c, doc)),
        Node::Or(children) => children.iter().any(|c| matches(c, doc)),
        Node::Not(inner) => !matches(inner, doc),
        Node::Near { .. } => !spans(node, doc).is_empty(),
    }
}

fn leaf_matches(leaf: &Leaf, doc: &Doc) -> bool {
    match &leaf.test {
        Test::Phrase(pats) => (0..doc.tokens.len()).any(|at| phrase_at(pats, doc, at)),
        Test::Hashtag(tag) => doc.hashtags().iter().any(|h| h == tag),
        Test::Handle(handle) => doc.handles().iter().any(|h| {
            h.strip_prefix(handle.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('@'))
        }),
        Test::Exact(exact) => exact_in(doc.raw(), exact),
        Test::Field(field, value) => doc.meta.get(field) == Some(value.as_str()),
    }
}

fn phrase_at(pats: &[Pat], doc: &Doc, at: usize) -> bool {
    let Some(window) = doc.tokens.spans().get(at..at + pats.len()) else {
        return false;
    };
    !window[1..].iter().any(|t| t.clause_start)
        && pats
            .iter()
            .enumerate()
            .all(|(k, p)| p.matches(doc.tokens.text(at + k)))
}

/// `exact` occurs in `raw` with no letter or digit right before or after it.
fn exact_in(raw: &str, exact: &str) -> bool {
    raw.match_indices(exact).any(|(i, m)| {
        let before = raw[..i].chars().next_back();
        let after = raw[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Where a positional expression matches (empty for non-positional ones).
fn spans(node: &Node, doc: &Doc) -> Vec<Span> {
    match node {
        Node::Leaf(Leaf {
            test: Test::Phrase(pats),
            ..
        }) => (0..doc.tokens.len())
            .filter(|&at| phrase_at(pats, doc, at))
            .map(|at| (at, at + pats.len()))
            .collect(),
        Node::Or(children) => children.iter().flat_map(|c| spans(c, doc)).collect(),
        Node::Near {
            left,
            right,
            distance,
            ordered,
        } => near_spans(&spans(left, doc), &spans(right, doc), *distance, *ordered),
        _ => Vec::new(),
    }
}

/// Pairs of spans with at most `distance` words between them (`left` first if `ordered`).
fn near_spans(left: &[Span], right: &[Span], distance: usize, ordered: bool) -> Vec<Span> {
    let mut out = Vec::new();
    for &(ls, le) in left {
        for &(rs, re) in right {
            let forward = le <= rs && rs - le <= distance;
            let backward = !ordered && re <= ls && ls - re <= distance;
            if forward || backward {
                out.push((ls.min(rs), le.max(re)));
            }
        }
    }
    out
}

/// Labels of the positive terms (not under NOT) that occur in `doc`, in query order.
pub fn hits(node: &Node, doc: &Doc, out: &mut Vec<String>) {
    match node {
        Node::Leaf(leaf) => {
            if leaf_matches(leaf, doc) && !out.contains(&leaf.label) {
                out.push(leaf.label.clone());
            }
        }
        Node::And(children) | Node::Or(children) => {
            children.iter().for_each(|c| hits(c, doc, out));
        }
        Node::Not(_) => {}
        Node::Near { left, right, .. } => {
            hits(left, doc, out);
            hits(right, doc, out);
        }
    }
}
