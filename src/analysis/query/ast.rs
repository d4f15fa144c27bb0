//! The parsed form of a query, with its terms already normalized like the text they match.

use crate::analysis::normalize::{self, fold};
use crate::domain::Lang;

/// One word of a term or phrase, normalized.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Pat {
    /// A whole normalized token.
    Word(String),
    /// A folded pattern with `*` (any run of characters) and `?` (one character).
    Glob(String),
}

impl Pat {
    pub fn matches(&self, token: &str) -> bool {
        match self {
            Pat::Word(w) => w == token,
            Pat::Glob(g) => glob(g, token),
        }
    }

    /// What [`Doc::joined`](super::Doc::joined) (tokens between single spaces) must contain
    /// where this pattern matches: ` word `, ` prefix` of `prefix*`, `suffix ` of `*suffix`,
    /// else the longest literal run. Empty when there is nothing to look for.
    pub fn literal(&self) -> String {
        match self {
            Pat::Word(w) => format!(" {w} "),
            Pat::Glob(g) => {
                let parts: Vec<&str> = g.split(['*', '?']).collect();
                let (first, last) = (parts[0], parts[parts.len() - 1]);
                if first.len() >= 2 {
                    format!(" {first}")
                } else if last.len() >= 2 {
                    format!("{last} ")
                } else {
                    parts
                        .into_iter()
                        .max_by_key(|s| s.len())
                        .unwrap_or("")
                        .to_owned()
                }
            }
        }
    }
}

/// Glob match: `*` any run of characters, `?` exactly one character. Works on bytes without
/// allocating; backtracking only restarts on character boundaries.
fn glob(pat: &str, text: &str) -> bool {
    let (p, t) = (pat.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'?') => {
                pi += 1;
                ti += char_len(t[ti]);
            }
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => {
                let Some((sp, st)) = star else {
                    return false;
                };
                let next = st + char_len(t[st]);
                (pi, ti) = (sp + 1, next);
                star = Some((sp, next));
            }
        }
    }
    p[pi.min(p.len())..].iter().all(|&c| c == b'*')
}

/// Length of the UTF-8 character that starts with byte `b`.
fn char_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// A leaf of the query: what it tests, and how the user wrote it (for `terms` in reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    pub test: Test,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// Consecutive tokens within one sentence (a single term is a phrase of one word).
    Phrase(Vec<Pat>),
    /// A `#hashtag`, folded.
    Hashtag(String),
    /// An `@handle` mentioned in the text, folded, without `@`.
    Handle(String),
    /// `{Exact Case}`: case-sensitive, on word boundaries of the raw text.
    Exact(String),
    /// `lang:es`, `source:reddit`, `author:ana`, `country:mx`; value folded.
    Field(String, String),
}

impl Test {
    /// Whether the test has a position in the token stream (usable with NEAR).
    pub fn positional(&self) -> bool {
        matches!(self, Test::Phrase(_))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Leaf(Leaf),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Near {
        left: Box<Node>,
        right: Box<Node>,
        distance: usize,
        ordered: bool,
    },
}

impl Node {
    /// Terms, phrases, OR groups of them and NEAR expressions have positions.
    pub fn positional(&self) -> bool {
        match self {
            Node::Leaf(l) => l.test.positional(),
            Node::Or(children) => children.iter().all(Node::positional),
            Node::Near { .. } => true,
            Node::And(_) | Node::Not(_) => false,
        }
    }
}

/// Compiles a bare word: a wildcard pattern, or the tokens it normalizes to (possibly none).
pub fn word_pats(word: &str) -> Result<Vec<Pat>, String> {
    let wildcard = word.contains(['*', '?']) && word.chars().any(char::is_alphanumeric);
    if wildcard {
        if !word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '*' | '?' | '\'' | '_'))
        {
            return Err(format!(
                "wildcards work inside a single word, not in '{word}'"
            ));
        }
        let folded = fold(word);
        let literal = folded.chars().filter(|c| !matches!(c, '*' | '?')).count();
        if literal < 2 {
            return Err(format!("wildcard '{word}' needs at least two letters"));
        }
        return Ok(vec![Pat::Glob(folded)]);
    }
    Ok(normalize::tokenize(word, Lang::Other)
        .into_iter()
        .map(|t| Pat::Word(t.text))
        .collect())
}
