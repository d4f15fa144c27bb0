use super::*;

fn q(query: &str) -> Query {
    Query::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"))
}

fn hit(query: &str, text: &str) -> bool {
    q(query).matches(&Doc::text(text))
}

fn err(query: &str) -> String {
    Query::parse(query).unwrap_err().to_string()
}

#[test]
fn terms_ignore_case_and_accents_on_word_boundaries() {
    assert!(hit("atencion", "Pésima ATENCIÓN al cliente"));
    assert!(hit("atención", "la atencion fue mala"));
    assert!(!hit("pedido", "los pedidos"));
    assert!(!hit("ocu", "me ocupé del tema"));
    assert!(hit("malisimo", "malísimooo todo"));
}

#[test]
fn chat_abbreviations_are_understood() {
    assert!(hit("porque", "xq no llega mi pedido"));
    assert!(hit("xq", "porque no llega"));
}

#[test]
fn phrases_are_consecutive_within_a_sentence() {
    assert!(hit("\"no llegó\"", "mi pedido no llego nunca"));
    assert!(!hit("\"no llegó\"", "no. Llegó tarde"));
    assert!(!hit("\"llego tarde\"", "tarde llegó"));
}

#[test]
fn boolean_operators_and_precedence() {
    assert!(hit("pedido frio", "el pedido llegó frío"));
    assert!(!hit("pedido AND frio", "el pedido llegó caliente"));
    assert!(hit("frio OR tarde", "llegó tarde"));
    assert!(hit("pedido NOT frio", "mi pedido"));
    assert!(!hit("pedido NOT frio", "mi pedido frío"));
    // AND binds tighter than OR: (a b) OR c.
    assert!(hit("pedido frio OR tarde", "tarde"));
    assert!(!hit("pedido (frio OR tarde)", "tarde"));
    assert!(hit("NOT (a OR b)", "nada"));
}

#[test]
fn near_counts_words_between_and_may_be_ordered() {
    assert!(hit("pedido NEAR/2 llego", "el pedido nunca llegó"));
    assert!(hit("pedido NEAR/2 llego", "llegó mi pedido"));
    assert!(!hit("pedido NEAR/1 llego", "pedido que nunca llegó"));
    assert!(hit("pedido NEAR/2f llego", "pedido nunca llego"));
    assert!(!hit("pedido NEAR/2f llego", "llego mi pedido"));
    assert!(hit(
        "(cobro OR cargo) NEAR/3 doble",
        "me hicieron un doble cargo"
    ));
    assert!(hit(
        "\"food poisoning\" NEAR/5 burger",
        "burger gave me food poisoning"
    ));
}

#[test]
fn wildcards() {
    assert!(hit("factur*", "la facturación está mal"));
    assert!(hit("factur*", "FACTURA"));
    assert!(!hit("factur*", "manufactura"));
    assert!(hit("te?a", "la tela"));
    assert!(!hit("te?a", "la tea"));
    assert!(hit("\"degree burn*\"", "second degree burns"));
    assert!(hit("*ción", "la facturación"));
    assert!(hit("p?ña", "la peña"));
    assert!(hit("a*b*c", "axxbyyc"));
    assert!(!hit("a*b*c", "axxbyy"));
}

#[test]
fn hashtags_handles_and_emoji() {
    assert!(hit("#intoxicacion", "ojo #Intoxicación en el local"));
    assert!(!hit("#intoxicacion", "intoxicación en el local"));
    assert!(hit("@rapiplato", "hola @RapiPlato ayuda"));
    assert!(!hit("@rapiplato", "rapiplato ayuda"));
    assert!(hit("@ana", "cc @ana@mastodon.social"));
    assert!(hit("🤮", "qué asco 🤮🤮"));
    assert!(!hit("🤮", "qué asco"));
}

#[test]
fn exact_case() {
    assert!(hit("{OCU}", "lo denuncio a la OCU"));
    assert!(!hit("{OCU}", "me ocu de eso"));
    assert!(!hit("{Apple}", "an apple a day"));
    assert!(!hit("{OCU}", "OCUPADO"));
}

#[test]
fn fields_compare_metadata() {
    let meta = Meta {
        lang: Some("es".into()),
        source: Some("Reddit".into()),
        author: Some("@Ana".into()),
        country: None,
    };
    let doc = Doc::new("hola", crate::domain::Lang::Es, meta);
    for yes in ["lang:es", "source:reddit", "author:ana", "author:@ana hola"] {
        assert!(q(yes).matches(&doc), "{yes}");
    }
    for no in ["lang:en", "country:mx", "source:x"] {
        assert!(!q(no).matches(&doc), "{no}");
    }
}

#[test]
fn errors_say_what_and_where() {
    assert_eq!(
        err("pedido AND (frio OR tarde"),
        "expected ')' to close '(' at column 12"
    );
    assert!(err("pedido NEAR frio").starts_with("NEAR needs a distance"));
    assert_eq!(err("a )"), "unexpected ')' without '(' at column 3");
    assert_eq!(
        err("a AND"),
        "expected a term at the end of the query at column 6"
    );
    assert_eq!(err("\"abc"), "expected '\"' to close '\"' at column 1");
    assert_eq!(err(""), "empty query at column 1");
    assert!(err("foo:bar").starts_with("unknown field 'foo:'"));
    assert!(err("a NEAR/2 lang:es").starts_with("NEAR works on terms"));
    assert!(err("*").contains("has no letters"));
}

#[test]
fn hits_name_the_positive_terms_found() {
    let query = q("(pedido OR orden) NOT frio \"no llego\"");
    let hits = query.hits(&Doc::text("mi pedido no llegó"));
    assert_eq!(hits, vec!["pedido".to_owned(), "\"no llego\"".to_owned()]);
}

#[test]
fn ruleset_prefilter_agrees_with_full_evaluation() {
    let sources = [
        "pedido",
        "factur*",
        "NOT frio",
        "lang:es",
        "a NEAR/2 b",
        "\"no llego\" OR tarde",
        "#promo",
        "{OCU}",
        "te?a",
    ];
    let queries: Vec<Query> = sources.iter().map(|s| q(s)).collect();
    let set = RuleSet::new(queries.clone());
    for text in [
        "mi pedido no llegó",
        "factura frío #promo",
        "OCU tela",
        "b x a",
        "",
    ] {
        let doc = Doc::new(text, crate::domain::Lang::Es, Meta::default());
        let expect: Vec<usize> = (0..queries.len())
            .filter(|&i| queries[i].matches(&doc))
            .collect();
        assert_eq!(set.matching(&doc), expect, "{text}");
    }
}

/// Every ```query block of docs/query-language.md: first line the query, `+` lines must
/// match, `-` lines must not.
#[test]
fn documented_examples_hold() {
    let doc = include_str!("../../../docs/query-language.md");
    let mut blocks = 0;
    for block in doc.split("```query\n").skip(1) {
        let body = block.split("```").next().unwrap_or("");
        let mut lines = body.lines();
        let source = lines.next().unwrap_or("");
        let query = q(source);
        for line in lines {
            let (want, text) = match line.split_at_checked(2) {
                Some(("+ ", text)) => (true, text),
                Some(("- ", text)) => (false, text),
                _ => continue,
            };
            let lang = crate::analysis::lang::detect(text, None);
            let meta = Meta {
                lang: Some(lang.code().to_owned()),
                ..Meta::default()
            };
            let got = query.matches(&Doc::new(text, lang, meta));
            assert_eq!(got, want, "query {source:?} on {text:?}");
        }
        blocks += 1;
    }
    assert!(blocks >= 15, "only {blocks} examples found");
}
