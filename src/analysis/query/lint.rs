//! Static checks for `vigia rules check`: queries that can never match, or match too much.

use super::ast::{Node, Pat, Test};

/// Human-readable problems of a parsed query (empty when it looks fine).
pub fn problems(root: &Node) -> Vec<String> {
    let mut out = Vec::new();
    if only_negative(root) {
        out.push("has no positive term: it matches every post without its terms".to_owned());
    }
    walk(root, &mut out);
    out
}

fn only_negative(node: &Node) -> bool {
    match node {
        Node::Not(_) => true,
        Node::And(children) => children.iter().all(only_negative),
        Node::Or(children) => children.iter().any(only_negative),
        _ => false,
    }
}

fn walk(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Leaf(leaf) => leaf_problems(&leaf.test, &leaf.label, out),
        Node::And(children) => {
            for child in children {
                if let Node::Not(inner) = child {
                    if children.contains(inner) {
                        out.push(
                            "can never match: it requires and excludes the same term".to_owned(),
                        );
                    }
                }
                walk(child, out);
            }
        }
        Node::Or(children) => children.iter().for_each(|c| walk(c, out)),
        Node::Not(inner) => walk(inner, out),
        Node::Near { left, right, .. } => {
            walk(left, out);
            walk(right, out);
        }
    }
}

fn leaf_problems(test: &Test, label: &str, out: &mut Vec<String>) {
    match test {
        Test::Phrase(pats) => {
            let inner_question = pats
                .iter()
                .skip(1)
                .any(|p| matches!(p, Pat::Word(w) if w == "?"));
            if inner_question {
                out.push(format!(
                    "{label} can never match: a phrase does not continue past a '?'"
                ));
            }
        }
        Test::Field(field, value)
            if field == "lang" && !matches!(value.as_str(), "es" | "en" | "other") =>
        {
            out.push(format!(
                "{label} can never match: lang: is one of es, en, other"
            ));
        }
        _ => {}
    }
}
