//! Property tests: the query parser never panics, whatever the input, and neither does
//! matching a parsed query; errors always point inside the query (or just past its end).

use proptest::prelude::*;
use vigia::analysis::query::{Doc, Query, RuleSet};

/// Fragments that exercise every corner of the grammar, glued in random order.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("\"".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just(" AND ".to_owned()),
        Just(" OR ".to_owned()),
        Just(" NOT ".to_owned()),
        Just(" NEAR/2 ".to_owned()),
        Just(" NEAR/3f ".to_owned()),
        Just(" NEAR ".to_owned()),
        Just("NEAR/x".to_owned()),
        Just("lang:es".to_owned()),
        Just("foo:".to_owned()),
        Just("#tag".to_owned()),
        Just("@ana".to_owned()),
        Just("fact*".to_owned()),
        Just("te?a".to_owned()),
        Just("*".to_owned()),
        Just("?".to_owned()),
        Just("🤮".to_owned()),
        Just("pedido".to_owned()),
        "[a-zñáé ]{0,6}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_never_panics(parts in prop::collection::vec(fragment(), 0..12), text in any::<String>()) {
        let query = parts.concat();
        match Query::parse(&query) {
            Ok(q) => {
                let doc = Doc::text(&text);
                let _ = q.matches(&doc);
                let _ = q.hits(&doc);
                let _ = q.problems();
                let set = RuleSet::new(vec![q.clone()]);
                prop_assert_eq!(set.matching(&doc).len() == 1, q.matches(&doc));
            }
            Err(e) => {
                prop_assert!(e.column >= 1 && e.column <= query.chars().count() + 1, "{}", e);
            }
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(query in any::<String>()) {
        let _ = Query::parse(&query);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = "(".repeat(100_000) + "a" + &")".repeat(100_000);
    assert!(Query::parse(&deep).is_err());
    let nots = "NOT ".repeat(100_000) + "a";
    assert!(Query::parse(&nots).is_err());
}
