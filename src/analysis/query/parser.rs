//! Recursive-descent parser: `OR` binds loosest, then `AND` (explicit or implicit), then
//! `NEAR/n`, then `NOT`; parentheses group.

use super::ParseError;
use super::ast::{Leaf, Node, Pat, Test, word_pats};
use super::lexer::{Lex, Lexeme, lex};
use crate::analysis::normalize::fold;

/// Nesting deeper than this is refused (keeps the recursion bounded on hostile input).
const MAX_DEPTH: usize = 64;

pub fn parse(query: &str) -> Result<Node, ParseError> {
    let lexemes = lex(query)?;
    let end = query.chars().count() + 1;
    if lexemes.is_empty() {
        return Err(ParseError::new(1, "empty query"));
    }
    let mut p = Parser {
        lexemes,
        pos: 0,
        end,
        depth: 0,
    };
    let node = p.or()?;
    if let Some(l) = p.peek() {
        let what = if l.lex == Lex::Close {
            "unexpected ')' without '('".to_owned()
        } else {
            "unexpected input".to_owned()
        };
        return Err(ParseError::new(l.column, what));
    }
    Ok(node)
}

struct Parser {
    lexemes: Vec<Lexeme>,
    pos: usize,
    end: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.pos)
    }

    fn next(&mut self) -> Option<Lexeme> {
        let l = self.lexemes.get(self.pos).cloned();
        self.pos += 1;
        l
    }

    fn column(&self) -> usize {
        self.peek().map_or(self.end, |l| l.column)
    }

    fn or(&mut self) -> Result<Node, ParseError> {
        let mut children = vec![self.and()?];
        while self.peek().is_some_and(|l| l.lex == Lex::Or) {
            self.pos += 1;
            children.push(self.and()?);
        }
        Ok(flatten(children, Node::Or))
    }

    fn and(&mut self) -> Result<Node, ParseError> {
        let mut children = vec![self.near()?];
        loop {
            match self.peek().map(|l| &l.lex) {
                Some(Lex::And) => self.pos += 1,
                None | Some(Lex::Or | Lex::Close) => break,
                Some(_) => {}
            }
            children.push(self.near()?);
        }
        Ok(flatten(children, Node::And))
    }

    fn near(&mut self) -> Result<Node, ParseError> {
        let mut left = self.unary()?;
        while let Some(Lex::Near { distance, ordered }) = self.peek().map(|l| l.lex.clone()) {
            let column = self.column();
            self.pos += 1;
            let right = self.unary()?;
            if !left.positional() || !right.positional() {
                return Err(ParseError::new(
                    column,
                    "NEAR works on terms, phrases and OR groups of them",
                ));
            }
            left = Node::Near {
                left: Box::new(left),
                right: Box::new(right),
                distance,
                ordered,
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Node, ParseError> {
        if self.peek().is_some_and(|l| l.lex == Lex::Not) {
            let column = self.column();
            self.pos += 1;
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(ParseError::new(column, "too many NOTs in a row"));
            }
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Node::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Node, ParseError> {
        let column = self.column();
        let Some(lexeme) = self.next() else {
            return Err(ParseError::new(
                column,
                "expected a term at the end of the query",
            ));
        };
        match lexeme.lex {
            Lex::Open => self.group(column),
            Lex::Close => Err(ParseError::new(column, "unexpected ')' without '('")),
            Lex::And | Lex::Or | Lex::Near { .. } => Err(ParseError::new(
                column,
                "expected a term before this operator",
            )),
            Lex::Not => Err(ParseError::new(column, "expected a term after NOT")),
            other => leaf(other, column),
        }
    }

    fn group(&mut self, open: usize) -> Result<Node, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::new(open, "parentheses nested too deeply"));
        }
        if self.peek().is_some_and(|l| l.lex == Lex::Close) {
            return Err(ParseError::new(open, "empty parentheses"));
        }
        let node = self.or()?;
        self.depth -= 1;
        match self.next() {
            Some(Lexeme {
                lex: Lex::Close, ..
            }) => Ok(node),
            _ => Err(ParseError::new(open, "expected ')' to close '('")),
        }
    }
}

fn flatten(mut children: Vec<Node>, make: fn(Vec<Node>) -> Node) -> Node {
    if children.len() == 1 {
        children.remove(0)
    } else {
        make(children)
    }
}

fn leaf(lex: Lex, column: usize) -> Result<Node, ParseError> {
    let err = |m: String| ParseError::new(column, m);
    let (test, label) = match lex {
        Lex::Word(w) => (Test::Phrase(word_pats(&w).map_err(err)?), w),
        Lex::Phrase(p) => (
            Test::Phrase(phrase_pats(&p).map_err(err)?),
            format!("\"{p}\""),
        ),
        Lex::Exact(e) => (Test::Exact(e.trim().to_owned()), format!("{{{e}}}")),
        Lex::Hashtag(h) => (Test::Hashtag(fold(&h)), format!("#{h}")),
        Lex::Handle(h) => (Test::Handle(fold(&h)), format!("@{h}")),
        Lex::Field(f, v) => {
            let label = format!("{f}:{v}");
            (Test::Field(f, fold(v.trim_start_matches('@'))), label)
        }
        _ => return Err(err("expected a term".to_owned())),
    };
    if matches!(&test, Test::Phrase(p) if p.is_empty()) {
        return Err(err(format!(
            "'{label}' has no letters, digits or emoji to match"
        )));
    }
    Ok(Node::Leaf(Leaf { test, label }))
}

fn phrase_pats(phrase: &str) -> Result<Vec<Pat>, String> {
    let mut pats = Vec::new();
    for word in phrase.split_whitespace() {
        pats.extend(word_pats(word)?);
    }
    Ok(pats)
}
