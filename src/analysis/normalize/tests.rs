use super::*;

fn texts(text: &str, lang: Lang) -> Vec<String> {
    tokenize(text, lang).into_iter().map(|t| t.text).collect()
}

#[test]
fn folds_case_and_accents() {
    assert_eq!(
        normalize("Pésimo SERVICIO, Ñandú güero"),
        "pesimo servicio nandu guero"
    );
    assert_eq!(fold("ÁÉÍÓÚ àèìòù ç"), "aeiou aeiou c");
    // Decomposed input (e + combining acute) folds the same as precomposed.
    assert_eq!(normalize("cafe\u{301}"), "cafe");
}

#[test]
fn collapses_elongations_but_keeps_real_doubles() {
    assert_eq!(normalize("malísimooo"), "malisimo");
    assert_eq!(normalize("sooo"), "so");
    assert_eq!(normalize("graciaaas"), "gracias");
    assert_eq!(normalize("goood tooo cooool"), "good too cool");
    assert_eq!(
        normalize("good too llegó perro acción"),
        "good too llego perro accion"
    );
    assert_eq!(normalize("siiiii buenooo NOOOO"), "si bueno no");
    assert_eq!(normalize("leeeer 1000 pesos"), "leer 1000 pesos");
}

#[test]
fn laughter_has_one_spelling() {
    assert_eq!(
        normalize("jajajaja jsjsjs JEJE hahaha hehe"),
        "jaja jaja jaja haha haha"
    );
    assert_eq!(normalize("jaj ja ha"), "jaj ja ha");
}

#[test]
fn expands_spanish_chat_forms() {
    assert_eq!(
        texts("xq no me llega, q onda", Lang::Es),
        ["porque", "no", "me", "llega", "que", "onda"]
    );
    assert_eq!(
        texts("tb tmb xfa porfa dnd nd bn mxo", Lang::Es).join(" "),
        "tambien tambien por favor por favor donde nada bien mucho"
    );
    assert_eq!(
        texts("toy esperando x mi pedido d ayer pa hoy", Lang::Es).join(" "),
        "estoy esperando por mi pedido de ayer para hoy"
    );
    assert_eq!(texts("pq k porq", Lang::Es).join(" "), "porque que porque");
}

#[test]
fn expands_english_chat_forms() {
    assert_eq!(
        texts("u said ur driver pls plz", Lang::En).join(" "),
        "you said your driver please please"
    );
    assert_eq!(
        texts("idk tbh", Lang::En).join(" "),
        "i don't know to be honest"
    );
    assert_eq!(
        texts("smh wtf", Lang::En).join(" "),
        "shaking my head what the fuck"
    );
    assert_eq!(texts("ngl", Lang::En).join(" "), "honestly");
}

#[test]
fn ambiguous_abbreviations_depend_on_language() {
    assert_eq!(texts("the toy broke", Lang::En).join(" "), "the toy broke");
    assert_eq!(
        texts("the toy broke", Lang::Other).join(" "),
        "the toy broke"
    );
    assert_eq!(texts("toy harto", Lang::Es).join(" "), "estoy harto");
    // Spanish abbreviations do not fire in English text, nor English ones in Spanish text.
    assert_eq!(texts("tb u", Lang::En).join(" "), "tb you");
    assert_eq!(texts("tb u", Lang::Es).join(" "), "tambien u");
}

#[test]
fn keeps_emoji_and_emoticons_as_tokens() {
    let tokens = tokenize(
        "Amo a @CafeLuna <3 :D xD :( :-) >:( :/ 😡😡 👍🏽 ❤️",
        Lang::Other,
    );
    let got: Vec<(&str, TokenKind)> = tokens.iter().map(|t| (t.text.as_str(), t.kind)).collect();
    use TokenKind::*;
    let want = [
        ("amo", Word),
        ("a", Word),
        ("<3", Emoticon),
        (":D", Emoticon),
        ("xD", Emoticon),
        (":(", Emoticon),
        (":)", Emoticon),
        (">:(", Emoticon),
        (":/", Emoticon),
        ("😡", Emoji),
        ("😡", Emoji),
        ("👍", Emoji),
        ("❤", Emoji),
    ];
    assert_eq!(got, want);
}

#[test]
fn emoticons_need_boundaries() {
    assert_eq!(normalize("fixD"), "fixd");
    assert_eq!(normalize("a las 10:30"), "a las 10 30");
    assert_eq!(normalize("bien:)"), "bien :)");
    assert_eq!(normalize(":Descuento"), "descuento");
}

#[test]
fn questions_become_one_token() {
    assert_eq!(normalize("¿a qué hora abren???"), "? a que hora abren ?");
}

#[test]
fn skips_links_and_handles_keeps_hashtag_words() {
    assert_eq!(
        normalize("@PagaYa mira https://x.co/a?b=1 y www.foo.com #PagaYaFail"),
        "mira y pagayafail"
    );
    assert_eq!(normalize("tod@s felices"), "tod s felices");
}

#[test]
fn strips_html_safely() {
    assert_eq!(
        normalize("<script>alert('x')</script> <b>muy</b> malo"),
        "alert x muy malo"
    );
    assert_eq!(
        normalize("Tom &amp; Jerry &lt;3 &#233;xito &#x1F600;"),
        "tom jerry <3 exito 😀"
    );
    assert_eq!(strip_html("a < b and c > d"), "a < b and c > d");
    assert_eq!(strip_html("<!-- hidden -->text<br/>more"), " text more");
    assert_eq!(
        strip_html("&#xD800; &#99999999; &bogus; &"),
        "\u{FFFD} \u{FFFD} &bogus; &"
    );
    assert_eq!(
        strip_html("<unclosed tag and more"),
        "<unclosed tag and more"
    );
}

#[test]
fn caps_flag_marks_shouted_words() {
    let tokens = tokenize("YO QUIERO mi DINERO I a", Lang::Es);
    let caps: Vec<bool> = tokens.iter().map(|t| t.caps).collect();
    assert_eq!(caps, [true, true, false, true, false, false]);
}

#[test]
fn apostrophes_stay_inside_words() {
    assert_eq!(
        normalize("It’s not bad, don't worry 'quoted'"),
        "it's not bad don't worry quoted"
    );
}

#[test]
fn odd_inputs_do_not_panic() {
    for text in [
        "",
        " ",
        "!!!???",
        "...",
        "<",
        "&",
        "<>",
        "&#;",
        "&#x;",
        "@",
        "#",
        "http://",
        ":",
        "\u{0}\u{FFFF}",
    ] {
        let _ = tokenize(text, Lang::Other);
    }
    assert!(normalize("!!! ... ,,, ;;").is_empty());
    let big = "a".repeat(100_000) + &"<b".repeat(30_000) + &"&".repeat(10_000);
    assert!(!normalize(&big).is_empty());
}

/// Pieces the generator below glues together: every kind of input the tokenizer handles.
const PIECES: &str = "a Ñ é \u{301} 😡 👍🏽 ❤️ \u{200D} \u{FE0F} < > & ; # @ : ) ( D x ' ’ ? ¿ ! \n \t \
    http:// &#x 1F6 &amp <b> </ ooo jaja ß İ ﬁ \u{0} \u{10FFFF} 中文 ا -_- ^";

/// A tiny deterministic generator (xorshift) of strings mixing every kind of input.
#[test]
fn thousands_of_generated_strings_do_not_panic() {
    let pieces: Vec<&str> = PIECES.split(' ').chain([" ", ""]).collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as usize
    };
    for _ in 0..5_000 {
        let len = next() % 40;
        let text: String = (0..len).map(|_| pieces[next() % pieces.len()]).collect();
        for lang in [Lang::Es, Lang::En, Lang::Other] {
            for token in tokenize(&text, lang) {
                assert!(!token.text.is_empty(), "empty token from {text:?}");
            }
        }
    }
}

#[test]
fn marks_sentence_starts() {
    let tokens = tokenize("No llegó. Pésimo!! y tb caro\nfin, ok? sí…nada", Lang::Es);
    let starts: Vec<&str> = tokens
        .iter()
        .filter(|t| t.clause_start)
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(starts, ["pesimo", "y", "fin", "si", "nada"]);
}

#[test]
fn marks_clause_breaks() {
    let mut tokens = Tokens::new();
    tokens.fill(
        "nunca llegó, pésimo - fatal 😡 malo: feo\nmal (caro) ok",
        Some(Lang::Es),
    );
    let breaks: Vec<&str> = tokens
        .iter()
        .filter(|(_, span)| span.break_before)
        .map(|(text, _)| text)
        .collect();
    assert_eq!(
        breaks,
        ["pesimo", "fatal", "malo", "feo", "mal", "caro", "ok"]
    );
    let plain = tokenize("no llego nunca el pedido", Lang::Es);
    assert!(plain.iter().all(|t| !t.clause_start));
}

/// The table of accented letters folds each as lower-casing, canonical decomposition and
/// dropping the combining marks do.
#[test]
fn the_fold_table_is_the_decomposition() {
    use unicode_normalization::char::{decompose_canonical, is_combining_mark};
    let mut tabled = 0;
    for c in ('\u{80}'..='\u{24F}').chain('\u{1E00}'..='\u{1EFF}') {
        let Some(folded) = super::fold_latin(c) else {
            continue;
        };
        let mut slow = String::new();
        for lower in c.to_lowercase() {
            decompose_canonical(lower, |d| {
                if !is_combining_mark(d) {
                    slow.push(d);
                }
            });
        }
        assert_eq!(slow, char::from(folded).to_string(), "{c}");
        tabled += 1;
    }
    assert_eq!(tabled, 48);
}
