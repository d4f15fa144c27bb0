//! What a feed asks its API for. A feed has `terms` ("any of these words or phrases") and may
//! have a Boolean `query` (docs/query-language.md). The query, parsed once at start-up, is sent
//! in the API's own search syntax where the API has one (X, Reddit, Bluesky, Mastodon hashtags;
//! a superset of the query, see `analysis::query::remote`); where it has none, or the query
//! cannot be expressed there, the feed's terms are sent instead. Ingest always re-checks every
//! fetched post against the full query (the brand scope plus the feed query), so the remote
//! search only narrows what is downloaded.

use crate::analysis::query::{Query, Remote};

/// A feed's search, ready to be written in any API's syntax.
#[derive(Debug, Clone, Default)]
pub struct Search {
    query: Option<Query>,
    terms: Vec<String>,
}

impl Search {
    /// Parses the feed's `query`; the error is for the `query` key.
    pub fn new(query: Option<&str>, terms: &[String]) -> Result<Search, String> {
        let query = query
            .filter(|q| !q.trim().is_empty())
            .map(|q| Query::parse(q).map_err(|e| format!("query: {e}")))
            .transpose()?;
        let terms = terms
            .iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        Ok(Search { query, terms })
    }

    /// A search built from terms only.
    pub fn terms(terms: &[String]) -> Search {
        Search::new(None, terms).unwrap_or_default()
    }

    /// The query as written, if the feed has one.
    pub fn query_source(&self) -> Option<&str> {
        self.query.as_ref().map(Query::source)
    }

    /// The search text in `dialect`: the translated query, else the terms ORed (X, Reddit) or
    /// space-separated (Bluesky has no OR: one term per feed there).
    pub fn remote(&self, dialect: Remote) -> Option<String> {
        if let Some(text) = self.query.as_ref().and_then(|q| q.to_remote(dialect)) {
            return Some(text);
        }
        if self.terms.is_empty() {
            return None;
        }
        Some(match dialect {
            Remote::X => format!("({})", or_keyword(&self.terms)),
            Remote::Reddit => or_keyword(&self.terms),
            Remote::Bluesky => spaced(&self.terms),
        })
    }

    /// Words for APIs without Boolean syntax (Hacker News `optionalWords`, YouTube
    /// `searchTerms`, Mastodon status search): one of them occurs in every post the query can
    /// match, else the terms.
    pub fn words(&self) -> Vec<String> {
        // Literals come padded for whole-word matching: trim them.
        let mut words: Vec<String> = (self.query.as_ref().and_then(Query::literals))
            .unwrap_or_default()
            .iter()
            .map(|w| w.trim().to_owned())
            .filter(|w| !w.is_empty())
            .collect();
        words.dedup();
        if words.is_empty() {
            return self.terms.clone();
        }
        words
    }

    /// Hashtags to follow on Mastodon: the query's (when it is tags ORed), else the first term.
    pub fn hashtags(&self) -> Option<Vec<String>> {
        if let Some(tags) = self.query.as_ref().and_then(Query::mastodon_hashtags) {
            return (!tags.is_empty()).then_some(tags);
        }
        hashtag(&self.terms).map(|t| vec![t])
    }

    /// Errors unless the API gets something to search for.
    pub fn require(&self, what: Option<String>) -> Result<String, String> {
        what.ok_or_else(|| {
            "terms: at least one search term is required (or a query the API can express)".into()
        })
    }
}

/// `a OR "b c"`: X, Reddit.
pub fn or_keyword(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| quote(t))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// Terms separated by spaces, phrases quoted. For APIs without an OR operator (Bluesky,
/// Mastodon) this means "all of": feeds there should use one term each.
pub fn spaced(terms: &[String]) -> String {
    terms.iter().map(|t| quote(t)).collect::<Vec<_>>().join(" ")
}

/// `a|"b c"`: YouTube `search.list` (its documented OR operator).
pub fn piped(terms: &[String]) -> String {
    terms.iter().map(|t| quote(t)).collect::<Vec<_>>().join("|")
}

/// The first term as a hashtag name: `#Rapiplato` → `Rapiplato`.
pub fn hashtag(terms: &[String]) -> Option<String> {
    let t = terms.first()?.trim().trim_start_matches('#');
    (!t.is_empty() && !t.contains(char::is_whitespace)).then(|| t.to_owned())
}

fn quote(term: &str) -> String {
    let t = term.trim().replace('"', "");
    if t.contains(char::is_whitespace) {
        format!("\"{t}\"")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations() {
        let t = vec!["rapiplato".to_owned(), "rapi plato".to_owned()];
        assert_eq!(or_keyword(&t), "rapiplato OR \"rapi plato\"");
        assert_eq!(spaced(&t), "rapiplato \"rapi plato\"");
        assert_eq!(piped(&t), "rapiplato|\"rapi plato\"");
        assert_eq!(hashtag(&["#Rapi".to_owned()]).as_deref(), Some("Rapi"));
        assert_eq!(hashtag(&["a b".to_owned()]), None);
    }

    #[test]
    fn the_query_wins_where_the_api_can_say_it() {
        let terms = vec!["rapiplato".to_owned()];
        let s = Search::new(Some("rapiplato (frio OR tarde) NOT promo"), &terms).unwrap();
        assert_eq!(
            s.remote(Remote::X).as_deref(),
            Some("(rapiplato (frio OR tarde) -promo)")
        );
        assert_eq!(
            s.remote(Remote::Bluesky).as_deref(),
            Some("(rapiplato -promo)")
        );
        assert_eq!(s.words(), vec!["rapiplato"]);
        let wild = Search::new(Some("factur* OR cobro"), &terms).unwrap();
        assert_eq!(wild.remote(Remote::X).as_deref(), Some("(rapiplato)"));
        let tags = Search::new(Some("#Rapiplato OR rapiplatomx"), &[]).unwrap();
        assert_eq!(
            tags.hashtags(),
            Some(vec!["rapiplato".into(), "rapiplatomx".into()])
        );
        assert!(
            Search::new(Some("(a OR"), &[])
                .unwrap_err()
                .starts_with("query:")
        );
        assert_eq!(Search::terms(&[]).remote(Remote::Reddit), None);
    }
}
