//! Translating a query into a remote API's own search syntax, so feeds fetch less noise.
//!
//! A translation is always a *superset* of the query: what the remote syntax cannot say
//! (wildcards, NEAR, some fields) is dropped or loosened (`NEAR` becomes `AND`), never
//! tightened, and every fetched post is re-checked locally with the full query. `None` means
//! the remote search cannot narrow anything down.

use super::Query;
use super::ast::{Node, Pat, Test};

/// Search dialects of the networks that have one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remote {
    /// X API v2 recent search: space is AND, `OR`, `-` negation, `#tag`, `@user`, `from:`, `lang:`.
    X,
    /// Reddit search: `AND`, `OR`, `NOT`, quotes, `author:`.
    Reddit,
    /// Bluesky `searchPosts`: space is AND, `-` negation, `#tag`, `from:`, `lang:`; no OR.
    Bluesky,
}

impl Query {
    /// This query in `remote`'s search syntax (a superset; see the module docs).
    pub fn to_remote(&self, remote: Remote) -> Option<String> {
        translate(&self.root, remote)
    }

    /// Hashtags to follow on Mastodon (which only has hashtag timelines): the query must be
    /// single words or hashtags joined by OR.
    pub fn mastodon_hashtags(&self) -> Option<Vec<String>> {
        fn collect(node: &Node, out: &mut Vec<String>) -> bool {
            match node {
                Node::Leaf(l) => match &l.test {
                    Test::Hashtag(h) => out.push(h.clone()),
                    Test::Phrase(p) => match p.as_slice() {
                        [Pat::Word(w)] if w.chars().all(char::is_alphanumeric) => {
                            out.push(w.clone())
                        }
                        _ => return false,
                    },
                    _ => return false,
                },
                Node::Or(children) => return children.iter().all(|c| collect(c, out)),
                _ => return false,
            }
            true
        }
        let mut tags = Vec::new();
        collect(&self.root, &mut tags).then_some(tags)
    }
}

fn translate(node: &Node, remote: Remote) -> Option<String> {
    match node {
        Node::Leaf(leaf) => leaf_text(&leaf.test, remote),
        Node::And(children) => and(children.iter().filter_map(|c| translate(c, remote)), remote),
        Node::Or(children) => {
            if remote == Remote::Bluesky {
                return None;
            }
            let parts: Option<Vec<String>> =
                children.iter().map(|c| translate(c, remote)).collect();
            Some(format!("({})", parts?.join(" OR ")))
        }
        Node::Not(inner) => {
            let inner = translate(inner, remote)?;
            Some(match remote {
                Remote::Reddit => format!("NOT {inner}"),
                Remote::X | Remote::Bluesky if inner.contains(' ') && !inner.starts_with('"') => {
                    format!("-({inner})")
                }
                Remote::X | Remote::Bluesky => format!("-{inner}"),
            })
        }
        Node::Near { left, right, .. } => and(
            [left, right]
                .into_iter()
                .filter_map(|c| translate(c, remote)),
            remote,
        ),
    }
}

fn and(parts: impl Iterator<Item = String>, remote: Remote) -> Option<String> {
    let parts: Vec<String> = parts.collect();
    let sep = if remote == Remote::Reddit {
        " AND "
    } else {
        " "
    };
    (!parts.is_empty()).then(|| format!("({})", parts.join(sep)))
}

fn leaf_text(test: &Test, remote: Remote) -> Option<String> {
    match test {
        Test::Phrase(pats) => {
            let words: Option<Vec<&str>> = pats
                .iter()
                .map(|p| match p {
                    Pat::Word(w) => Some(w.as_str()),
                    Pat::Glob(_) => None,
                })
                .collect();
            let words = words?;
            Some(match words.as_slice() {
                [one] => (*one).to_owned(),
                many => format!("\"{}\"", many.join(" ")),
            })
        }
        Test::Exact(text) => Some(format!("\"{text}\"")),
        Test::Hashtag(tag) if remote == Remote::Reddit => Some(tag.clone()),
        Test::Hashtag(tag) => Some(format!("#{tag}")),
        Test::Handle(h) if remote == Remote::X => Some(format!("@{h}")),
        Test::Handle(_) => None,
        Test::Field(field, value) => match (field.as_str(), remote) {
            ("lang", Remote::X | Remote::Bluesky) => Some(format!("lang:{value}")),
            ("author", Remote::X | Remote::Bluesky) => Some(format!("from:{value}")),
            ("author", Remote::Reddit) => Some(format!("author:{value}")),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(query: &str, remote: Remote) -> Option<String> {
        Query::parse(query).unwrap().to_remote(remote)
    }

    #[test]
    fn translations_are_supersets_in_each_dialect() {
        let q = "(rapiplato OR @rapiplato) \"no llegó\" NOT #promo lang:es";
        assert_eq!(
            tr(q, Remote::X).as_deref(),
            Some("((rapiplato OR @rapiplato) \"no llego\" -#promo lang:es)")
        );
        assert_eq!(
            tr(q, Remote::Reddit).as_deref(),
            Some("(\"no llego\" AND NOT promo)")
        );
        assert_eq!(
            tr(q, Remote::Bluesky).as_deref(),
            Some("(\"no llego\" -#promo lang:es)")
        );
        assert_eq!(
            tr("pedido NEAR/3 frio", Remote::X).as_deref(),
            Some("(pedido frio)")
        );
        assert_eq!(tr("factur* OR cobro", Remote::X), None);
        assert_eq!(
            tr("pedido NOT factur*", Remote::X).as_deref(),
            Some("(pedido)")
        );
    }

    #[test]
    fn mastodon_follows_hashtags() {
        let tags = |q: &str| Query::parse(q).unwrap().mastodon_hashtags();
        assert_eq!(
            tags("#Rapiplato OR rapiplatomx"),
            Some(vec!["rapiplato".into(), "rapiplatomx".into()])
        );
        assert_eq!(tags("rapiplato pedido"), None);
    }
}
