//! Translating a feed's terms ("any of these words or phrases") into each API's search syntax.

/// `a OR "b c"`: X, Reddit and YouTube `search.list` (`|` is also accepted there, `OR` is documented).
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

/// Checks a feed has at least one non-empty term.
pub fn require_terms(terms: &[String]) -> Result<(), String> {
    if terms.iter().any(|t| !t.trim().is_empty()) {
        Ok(())
    } else {
        Err("terms: at least one search term is required".into())
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
        assert_eq!(hashtag(&["#Rapi".to_owned()]).as_deref(), Some("Rapi"));
        assert_eq!(hashtag(&["a b".to_owned()]), None);
    }
}
