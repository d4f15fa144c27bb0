//! Brand scope: which mentions of a brand's feeds belong to the brand (`[[brands]] query`)
//! and which are noise (`[[brands]] exclude`). Out-of-scope mentions are not stored.

use super::lang;
use super::query::{Doc, Meta, ParseError, Query};
use crate::domain::Mention;

/// A brand's scope query and exclusions; the default admits everything.
#[derive(Debug, Clone, Default)]
pub struct BrandScope {
    query: Option<Query>,
    exclude: Vec<Query>,
}

impl BrandScope {
    /// Parses the queries; an error names the key (`query` or `exclude[i]`) and the problem.
    pub fn new(
        query: Option<&str>,
        exclude: &[String],
    ) -> Result<BrandScope, (String, ParseError)> {
        let query = query
            .map(Query::parse)
            .transpose()
            .map_err(|e| ("query".to_owned(), e))?;
        let exclude = exclude
            .iter()
            .enumerate()
            .map(|(i, q)| Query::parse(q).map_err(|e| (format!("exclude[{i}]"), e)))
            .collect::<Result<_, _>>()?;
        Ok(BrandScope { query, exclude })
    }

    /// Whether `mention` belongs to the brand and is not excluded noise.
    pub fn admits(&self, mention: &Mention) -> bool {
        self.admits_all() || self.admits_doc(&Self::doc(mention))
    }

    /// Whether the scope admits every mention (no query, no exclusion): no need to read it.
    pub fn admits_all(&self) -> bool {
        self.query.is_none() && self.exclude.is_empty()
    }

    /// The mention as scope queries read it; build it once to check several scopes.
    pub fn doc(mention: &Mention) -> Doc<'_> {
        let lang = lang::detect(&mention.text, mention.lang_hint.as_deref());
        Doc::new(&mention.text, lang, Meta::of(mention, lang))
    }

    /// [`Self::admits`] on a mention already read by [`Self::doc`].
    pub fn admits_doc(&self, doc: &Doc) -> bool {
        self.query.as_ref().is_none_or(|q| q.matches(doc))
            && !self.exclude.iter().any(|q| q.matches(doc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn mention(text: &str, author: &str) -> Mention {
        Mention::new("x", "1", Utc::now(), text, author)
    }

    #[test]
    fn scope_query_and_exclusions() {
        let exclude = vec![
            "author:rapiplato".to_owned(),
            "(empleo OR vacante OR hiring) NEAR/5 (repartidor* OR driver*)".to_owned(),
        ];
        let scope = BrandScope::new(Some("rapiplato OR @rapiplato"), &exclude).unwrap();
        assert!(scope.admits(&mention("@RapiPlato mi pedido no llegó", "ana")));
        assert!(scope.admits(&mention("pedí en #rapiplato", "ana")));
        assert!(!scope.admits(&mention("pedí en otra app", "ana")));
        assert!(!scope.admits(&mention("Comunicado de Rapiplato", "rapiplato")));
        assert!(!scope.admits(&mention("Rapiplato: vacante de repartidor en CDMX", "jobs")));
        assert!(BrandScope::default().admits(&mention("lo que sea", "ana")));
        let (key, e) = BrandScope::new(None, &["a (b".to_owned()]).unwrap_err();
        assert_eq!((key.as_str(), e.column), ("exclude[0]", 3));
    }
}
