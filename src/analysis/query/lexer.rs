//! Splits a query into lexemes, each with the 1-based column (in characters) where it starts.

use super::ParseError;

/// Field operators a query may use (`lang:es`).
pub const FIELDS: [&str; 4] = ["lang", "source", "author", "country"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lex {
    Open,
    Close,
    And,
    Or,
    Not,
    /// `NEAR/n` (`ordered` for `NEAR/nf`).
    Near {
        distance: usize,
        ordered: bool,
    },
    Phrase(String),
    Exact(String),
    Field(String, String),
    Hashtag(String),
    Handle(String),
    Word(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lexeme {
    pub lex: Lex,
    pub column: usize,
}

fn is_break(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | '{' | '}')
}

/// All lexemes of `query`, or the first lexical error.
pub fn lex(query: &str) -> Result<Vec<Lexeme>, ParseError> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        let (lex, next) = match c {
            _ if c.is_whitespace() => {
                i += 1;
                continue;
            }
            _ if emoticon_len(&chars[i..]) > 0 => {
                let end = i + emoticon_len(&chars[i..]);
                (Lex::Word(chars[i..end].iter().collect()), end)
            }
            '(' => (Lex::Open, i + 1),
            ')' => (Lex::Close, i + 1),
            '}' => return Err(ParseError::new(column, "unexpected '}' without '{'")),
            '"' => delimited(&chars, i, '"', "phrase", Lex::Phrase)?,
            '{' => delimited(&chars, i, '}', "exact-case term", Lex::Exact)?,
            _ => {
                let end = (i..chars.len())
                    .find(|&j| is_break(chars[j]))
                    .unwrap_or(chars.len());
                let word: String = chars[i..end].iter().collect();
                (classify(&word, column)?, end)
            }
        };
        out.push(Lexeme { lex, column });
        i = next;
    }
    Ok(out)
}

/// Emoticons with parentheses in them (`:(`, `:-)`, `):`); 0 if none starts here. One must
/// be followed by a space, `)` or the end, so `(:a` stays a parenthesis.
fn emoticon_len(chars: &[char]) -> usize {
    const PAREN_EMOTICONS: [&str; 10] = [
        ">:(", ":-(", ":-)", ":'(", ";-)", ":(", ":)", ";)", "):", "(:",
    ];
    for e in PAREN_EMOTICONS {
        let n = e.chars().count();
        let head = chars.iter().take(n).copied().eq(e.chars());
        let next = chars.get(n);
        if head && next.is_none_or(|c| c.is_whitespace() || *c == ')') {
            return n;
        }
    }
    0
}

/// A `"phrase"` or `{Exact Case}` starting at `start`; returns it and the index after it.
fn delimited(
    chars: &[char],
    start: usize,
    close: char,
    what: &str,
    make: fn(String) -> Lex,
) -> Result<(Lex, usize), ParseError> {
    let Some(end) = (start + 1..chars.len()).find(|&j| chars[j] == close) else {
        return Err(ParseError::new(
            start + 1,
            format!("expected '{close}' to close '{}'", chars[start]),
        ));
    };
    let body: String = chars[start + 1..end].iter().collect();
    if body.trim().is_empty() {
        return Err(ParseError::new(start + 1, format!("empty {what}")));
    }
    Ok((make(body), end + 1))
}

fn classify(word: &str, column: usize) -> Result<Lex, ParseError> {
    match word {
        "AND" => return Ok(Lex::And),
        "OR" => return Ok(Lex::Or),
        "NOT" => return Ok(Lex::Not),
        _ => {}
    }
    if word == "NEAR" || word.starts_with("NEAR/") {
        return near(word, column);
    }
    if let Some((name, value)) = word.split_once(':') {
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()) {
            return field(name, value, column);
        }
    }
    let tagged =
        |rest: &str| !rest.is_empty() && rest.chars().all(|c| c.is_alphanumeric() || c == '_');
    if let Some(tag) = word.strip_prefix('#').filter(|t| tagged(t)) {
        return Ok(Lex::Hashtag(tag.to_owned()));
    }
    if let Some(handle) = word.strip_prefix('@') {
        if !handle.is_empty() {
            return Ok(Lex::Handle(handle.to_owned()));
        }
    }
    Ok(Lex::Word(word.to_owned()))
}

fn near(word: &str, column: usize) -> Result<Lex, ParseError> {
    let spec = word.strip_prefix("NEAR/").unwrap_or("");
    let (digits, ordered) = match spec.strip_suffix('f') {
        Some(d) => (d, true),
        None => (spec, false),
    };
    match digits.parse::<usize>() {
        Ok(distance) if distance <= 100 && !digits.starts_with('+') => {
            Ok(Lex::Near { distance, ordered })
        }
        _ => Err(ParseError::new(
            column,
            "NEAR needs a distance from 0 to 100, e.g. NEAR/3 or NEAR/3f (ordered)",
        )),
    }
}

fn field(name: &str, value: &str, column: usize) -> Result<Lex, ParseError> {
    if !FIELDS.contains(&name) {
        return Err(ParseError::new(
            column,
            format!("unknown field '{name}:', expected lang:, source:, author: or country:"),
        ));
    }
    if value.is_empty() {
        return Err(ParseError::new(
            column,
            format!("'{name}:' needs a value, e.g. {name}:es"),
        ));
    }
    Ok(Lex::Field(name.to_owned(), value.to_owned()))
}
