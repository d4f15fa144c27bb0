use super::*;
use crate::domain::SentimentLabel::{self, Negative, Neutral, Positive};
use std::sync::OnceLock;

fn engine() -> &'static LexiconSentiment {
    static ENGINE: OnceLock<LexiconSentiment> = OnceLock::new();
    ENGINE.get_or_init(LexiconSentiment::new)
}

fn label(text: &str, lang: Lang) -> SentimentLabel {
    engine().score(text, lang).label()
}

fn compound(text: &str, lang: Lang) -> f64 {
    engine().score(text, lang).compound
}

fn check(cases: &[(&str, SentimentLabel)], lang: Lang) {
    check_with(engine(), cases, lang);
}

fn check_with(engine: &dyn Sentiment, cases: &[(&str, SentimentLabel)], lang: Lang) {
    let wrong: Vec<String> = cases
        .iter()
        .map(|(text, want)| (text, want, engine.score(text, lang)))
        .filter(|(_, want, score)| score.label() != **want)
        .map(|(text, want, score)| {
            format!("{text:?}: want {want:?}, compound {:.3}", score.compound)
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn product() -> &'static SentimentEngine {
    static ENGINE: OnceLock<SentimentEngine> = OnceLock::new();
    ENGINE.get_or_init(SentimentEngine::new)
}

#[test]
fn word_lists_parse_cleanly() {
    for (name, src, lang) in [
        ("es.tsv", include_str!("es.tsv"), Lang::Es),
        ("en.tsv", include_str!("en.tsv"), Lang::En),
        ("emoji.tsv", include_str!("emoji.tsv"), Lang::Other),
    ] {
        let (pack, problems) = pack::Pack::parse(src, lang);
        assert!(problems.is_empty(), "{name}: {problems:?}");
        assert!(pack.len() >= 100, "{name}: only {} entries", pack.len());
    }
    assert!(engine().entries(Lang::Es) >= 300 && engine().entries(Lang::En) >= 300);
}

/// Clear Spanish posts, slang and chat forms included.
const SPANISH: &[(&str, SentimentLabel)] = &[
    ("Excelente servicio, llegó rapidísimo", Positive),
    ("Qué chido, llegó rapidísimo y bien calientito 🔥", Positive),
    ("La pizza estaba buenísima, gracias!", Positive),
    ("El repartidor fue muy amable", Positive),
    ("Me encantó, lo recomiendo", Positive),
    ("Todo de lujo, 10/10", Positive),
    ("Qué rico todo, una pasada", Positive),
    ("Bacán la atención, me resolvieron al toque", Positive),
    ("Está re bueno el nuevo menú", Positive),
    ("Gracias por solucionarlo tan rápido", Positive),
    ("La mochila bien padre y muy resistente :D", Positive),
    ("Amo a @PanSol <3 el mejor pan del barrio", Positive),
    (
        "Me devolvieron mi dinero en 3 días sin problemas 👏",
        Positive,
    ),
    ("No estuvo nada mal", Positive),
    ("La verdad no está mal", Positive),
    ("Pésimo servicio", Negative),
    ("Malísimooo el servicio", Negative),
    ("El pedido llegó frío y tarde", Negative),
    ("Nunca llegó mi pedido", Negative),
    ("Horrible, una estafa", Negative),
    ("No está bueno", Negative),
    ("No me gustó para nada", Negative),
    ("La comida no estaba rica", Negative),
    ("Me cobraron doble, qué abuso", Negative),
    ("El cajero fue muy grosero", Negative),
    ("Tardó dos horas, una vergüenza", Negative),
    ("Audífonos bien chafa 👎", Negative),
    ("Qué fome la atención", Negative),
    ("Me intoxiqué, estuve vomitando toda la noche", Negative),
    ("Está bueno pero tardaron muchísimo", Negative),
    ("Tardó un poco pero estaba riquísimo", Positive),
    ("No funciona la app otra vez 😡", Negative),
    ("Hola, ¿cuál es el horario del domingo?", Neutral),
    ("Buenas tardes, ¿hacen envíos a Monterrey?", Neutral),
];

#[test]
fn spanish_direction() {
    check(SPANISH, Lang::Es);
}

/// Clear English posts.
const ENGLISH: &[(&str, SentimentLabel)] = &[
    ("Great service, super fast delivery", Positive),
    ("Best tacos in town", Positive),
    ("The driver was really friendly", Positive),
    ("Loved it, will order again", Positive),
    ("Thank you for the quick response!", Positive),
    ("Not bad at all", Positive),
    ("Food was delicious and hot", Positive),
    ("Amazing customer support, problem solved", Positive),
    ("I'm impressed, top notch quality", Positive),
    ("Highly recommend this place :)", Positive),
    ("Refund came through in two days, thanks", Positive),
    ("The app works great now", Positive),
    ("Crew were ace ✈️❤️", Positive),
    ("Never had a problem with them", Positive),
    ("It was kind of slow but the food was amazing", Positive),
    ("Worst customer service ever", Negative),
    ("My order never arrived", Negative),
    ("The food was cold and soggy", Negative),
    ("Not good", Negative),
    ("This is not what I ordered, terrible", Negative),
    ("They charged me twice, total scam", Negative),
    ("The cashier was so rude", Negative),
    ("Got food poisoning from the chicken", Negative),
    ("The app keeps crashing smh", Negative),
    ("I don't like the new menu", Negative),
    ("Still waiting for my refund :(", Negative),
    ("Pizza was good but the delivery was awful", Negative),
    ("The product is broken and support is useless", Negative),
    ("wtf is wrong with your app", Negative),
    ("Never again. Waste of money", Negative),
    ("Your chatbot doesn't work", Negative),
    ("What time do you open on Sunday?", Neutral),
    ("Is there a gluten free option?", Neutral),
];

/// English goes through the product engine's English route (VADER and our additions).
#[test]
fn english_direction() {
    check_with(product(), ENGLISH, Lang::En);
}

/// English posts with Spanish in them, as bilingual customers write: each language's words
/// and rules count, whichever language the post is routed as.
const CODE_SWITCHED: &[(&str, SentimentLabel)] = &[
    ("love the app pero el soporte es pésimo", Negative),
    ("great store, muy recomendable", Positive),
    ("the delivery was fine but la comida llegó fría", Negative),
    ("worst customer service ever, nunca más", Negative),
    ("no me ayudó nadie, this app is useless", Negative),
    ("not bad at all, la verdad muy bien", Positive),
    ("the tacos were riquísimos", Positive),
    ("todo bien con mi pedido, thanks a lot", Positive),
    ("app se cae cada rato, so frustrating", Negative),
    ("thanks for nothing, gracias por nada", Negative),
    (
        "el envío tardó muchísimo y nadie responde, terrible",
        Negative,
    ),
    (
        "ordered a pizza para la cena, what time do you close?",
        Neutral,
    ),
];

#[test]
fn code_switched_posts_read_both_languages() {
    check_with(product(), CODE_SWITCHED, Lang::En);
    check_with(product(), CODE_SWITCHED, Lang::Es);
}

/// One Spanish-looking word in an English post (a name, a loanword) leaves it to VADER.
#[test]
fn a_stray_spanish_word_does_not_switch_the_route() {
    let vader = VaderEnglish::new();
    for text in [
        "José loved it",
        "I love la casa de papel",
        "best café in town",
    ] {
        assert_eq!(
            product().score(text, Lang::En).compound,
            vader.polarity_scores(text).compound,
            "{text}"
        );
    }
}

/// Posts made only of emoji or emoticons.
const SYMBOLS: &[(&str, SentimentLabel)] = &[
    ("😍😍😍", Positive),
    ("👍", Positive),
    (":)", Positive),
    ("<3 <3", Positive),
    ("😡😡", Negative),
    ("🤮", Negative),
    (":(", Negative),
    ("👎👎👎", Negative),
    ("🤔", Neutral),
    ("🌮", Neutral),
];

#[test]
fn emoji_and_emoticon_only_posts() {
    check(SYMBOLS, Lang::Other);
}

#[test]
fn negation_flips_and_dampens() {
    let es = Lang::Es;
    assert!(compound("bueno", es) > 0.0 && compound("no bueno", es) < 0.0);
    assert!(compound("no bueno", es).abs() < compound("bueno", es).abs());
    // Negative concord: several negators still negate once.
    assert!(compound("no estuvo nada mal", es) > 0.0);
    assert!(compound("not bad", Lang::En) > 0.0);
    assert!(compound("isn't good", Lang::En) < 0.0);
    assert!(compound("sin problemas", es) > 0.0);
    // Negation stays in its sentence and never flips emoji.
    assert!(compound("Tres semanas sin devolverme. Ladrones!!", es) < 0.0);
    assert!(compound("nunca llegó 😡", es) < compound("nunca llegó", es));
    // A negator more than three words back has no effect.
    assert!(compound("no lo pedí yo, pero bueno", es) > 0.0);
}

#[test]
fn boosters_dampeners_caps_and_exclamations_intensify() {
    let (es, en) = (Lang::Es, Lang::En);
    assert!(compound("muy bueno", es) > compound("bueno", es));
    assert!(compound("súper malo", es) < compound("malo", es));
    assert!(compound("re rico", es) > compound("rico", es));
    assert!(compound("un poco malo", es) > compound("malo", es));
    assert!(compound("very good", en) > compound("good", en));
    assert!(compound("kind of bad", en) > compound("bad", en));
    assert!(compound("a bit slow", en) > compound("slow", en));
    assert!(compound("the food was GREAT", en) > compound("the food was great", en));
    assert!(compound("great!!!", en) > compound("great", en));
    assert!(compound("pésimo!!", es) < compound("pésimo", es));
}

#[test]
fn contrast_weighs_the_second_clause() {
    assert!(compound("bueno pero caro", Lang::Es) < compound("bueno y caro", Lang::Es));
    assert!(compound("slow but delicious", Lang::En) > 0.0);
}

#[test]
fn code_switching_uses_the_other_pack() {
    assert_eq!(label("el delivery fue awful", Lang::Es), Negative);
    assert_eq!(label("the tacos were riquísimos", Lang::En), Positive);
    assert_eq!(label("pésimo service", Lang::Other), Negative);
}

#[test]
fn scores_are_well_formed_and_deterministic() {
    for text in [
        "",
        "?!",
        "muy muy muy",
        "no no no",
        "bueno malo bueno 😡 :)",
        "NO!!!!!!!!",
    ] {
        for lang in [Lang::Es, Lang::En, Lang::Other] {
            let s = engine().score(text, lang);
            assert!((-1.0..=1.0).contains(&s.compound), "{text}: {s:?}");
            assert!((s.pos + s.neu + s.neg - 1.0).abs() < 1e-9, "{text}: {s:?}");
            assert_eq!(s, LexiconSentiment::new().score(text, lang));
        }
    }
    let big = "MUY malo!!! pero 😍 ".repeat(6_000);
    assert!((-1.0..=1.0).contains(&engine().score(&big, Lang::Other).compound));
    let empty = engine().score("", Lang::Es);
    assert_eq!((empty.compound, empty.neu), (0.0, 1.0));
}

#[test]
fn vader_arithmetic() {
    // "good" alone: 1.9 / sqrt(1.9² + 15).
    let s = engine().score("good", Lang::En);
    assert!((s.compound - 1.9 / (1.9f64 * 1.9 + 15.0).sqrt()).abs() < 1e-9);
    assert_eq!((s.pos, s.neu, s.neg), (1.0, 0.0, 0.0));
    // One sentiment word among three neutral ones: pos = (1.9 + 1) / (1.9 + 1 + 3).
    let s = engine().score("the food was good", Lang::En);
    assert!((s.pos - 2.9 / 5.9).abs() < 1e-9, "{s:?}");
}

#[test]
fn spanish_negative_concord_and_set_phrases() {
    check(
        &[
            ("no me ayudó nadie, pésimo", Negative),
            ("nunca nadie me ayudó", Negative),
            ("no funciona nada, malísimo", Negative),
            ("no estuvo nada mal", Positive),
            ("GRACIAS POR NADA", Negative),
            ("Gracias por nada, otra vez tarde", Negative),
            ("vaya tela con el servicio", Negative),
            ("me cago en la app", Negative),
            ("todo de maravilla, llegó al toque", Positive),
        ],
        Lang::Es,
    );
}

#[test]
fn spanish_pack_is_large_and_clean() {
    let src = concat!(include_str!("es.tsv"), include_str!("es_generated.tsv"));
    let (pack, problems) = pack::Pack::parse(src, Lang::Es);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(pack.len() >= 5_000, "only {} entries", pack.len());
}

#[test]
fn a_phrase_that_carries_its_own_negation_is_not_negated_again() {
    // `sin dar información` after `sin salir` is a second complaint, not a double negative.
    check_with(
        product(),
        &[
            (
                "el vuelo sigue sin salir y sin dar información a nadie",
                Negative,
            ),
            ("me cobraron sin autorización y sin aviso previo", Negative),
        ],
        Lang::Es,
    );
    check_with(
        product(),
        &[("nobody called and never asked me", Negative)],
        Lang::En,
    );
}

#[test]
fn words_of_other_meanings_do_not_score() {
    // `mate` is a drink and a friend before it is a form of `matar`; a bare digit is not
    // the emoticon `<3` or `=3`.
    for (text, lang) in [
        ("compartiendo un mate con los amigos", Lang::Es),
        ("cheers mate, see you at 3", Lang::En),
        ("waited 3 hrs for 3 pizzas", Lang::En),
        ("llevamos 3 horas y 3 cafés", Lang::Es),
    ] {
        let s = product().score(text, lang);
        assert!(s.compound >= 0.0, "{text}: {}", s.compound);
    }
}

/// Sarcasm (see `sarcasm.rs`): praise with an irony cue reads as the complaint it is.
const SARCASTIC_ES: &[(&str, SentimentLabel)] = &[
    ("Excelente servicio 🙄", Negative),
    ("Qué rápido llegó todo 🙃", Negative),
    ("Buenísima la atención 🤡", Negative),
    ("Genial, otra vez sin luz", Negative),
    ("Qué bien, otra vez se cayó la app", Negative),
    ("Perfecto, de nuevo me cobraron", Negative),
    ("Excelente servicio, 3 horas esperando", Negative),
    ("Wow qué rapidez... 3 horas", Negative),
    ("Excelente atención. Dos horas en la fila.", Negative),
    ("Me encanta esperar una hora al teléfono", Negative),
    ("Gracias, sigo esperando mi reembolso", Negative),
    ("el \"mejor\" servicio de la ciudad", Negative),
    ("Súper 'rápido' el envío, llegó en un mes", Negative),
    ("Genial, simplemente genial", Negative),
    ("Muy amables, eh. Nadie me responde", Negative),
    ("me encantó el servicio /s", Negative),
    ("3 horas esperando el pedido jaja", Negative),
];

/// The same praise without a cue, and plain questions: not sarcasm.
const SINCERE_ES: &[(&str, SentimentLabel)] = &[
    ("Muy rico todo, gracias 😊", Positive),
    ("Excelente servicio, llegó rapidísimo", Positive),
    ("Gracias otra vez por la ayuda", Positive),
    ("Excelente, volveré otra vez", Positive),
    ("Genial, sin espera y todo calientito", Positive),
    (
        "Excelente atención, me atendieron de nuevo muy rápido",
        Positive,
    ),
    ("Me encantó el \"Combo Familiar\", muy rico", Positive),
    ("jajaja qué rico estuvo todo", Positive),
    ("¿Tienen envío a domicilio?", Neutral),
    ("¿Hasta qué hora abren hoy?", Neutral),
];

const SARCASTIC_EN: &[(&str, SentimentLabel)] = &[
    ("Great service 🙄", Negative),
    ("Oh wonderful, another delay", Negative),
    ("Great, the app is down again", Negative),
    ("Love waiting 2 hours for a pizza", Negative),
    ("Thanks, still waiting for my refund", Negative),
    ("great, just great", Negative),
    ("Yeah right, \"fast\" shipping", Negative),
    ("such \"amazing\" support", Negative),
    ("best customer service ever /s", Negative),
    ("Perfect. Two hours on hold.", Negative),
    ("yeah right, sure it will arrive tomorrow", Negative),
    ("thanks for nothing, great support", Negative),
];

const SINCERE_EN: &[(&str, SentimentLabel)] = &[
    ("Great service, thanks a lot 😊", Positive),
    ("Thanks again for the quick help!", Positive),
    ("Loved it, will order again", Positive),
    ("Great food, worth the wait", Positive),
    ("Can't wait to try the new menu, looks great", Positive),
    ("Amazing, still works perfectly after two years", Positive),
    (
        "Ordered the \"Family Feast\" and it was delicious",
        Positive,
    ),
    ("Does the app support Apple Pay?", Neutral),
    ("What time do you open on Sunday?", Neutral),
];

#[test]
fn sarcasm_reads_as_blame_in_spanish() {
    check_with(product(), SARCASTIC_ES, Lang::Es);
}

#[test]
fn sincere_spanish_praise_and_questions_stay() {
    check_with(product(), SINCERE_ES, Lang::Es);
}

#[test]
fn sarcasm_reads_as_blame_in_english() {
    check_with(product(), SARCASTIC_EN, Lang::En);
}

#[test]
fn sincere_english_praise_and_questions_stay() {
    check_with(product(), SINCERE_EN, Lang::En);
}

/// Sarcasm is the product engine's reading: the exact VADER pack scores praise as praise.
#[test]
fn the_vader_pack_keeps_its_reading_of_sarcasm() {
    let vader = VaderEnglish::new();
    for text in [
        "Great service 🙄",
        "Oh wonderful, another delay",
        "great, just great",
    ] {
        assert!(vader.polarity_scores(text).compound > 0.0, "{text}");
    }
}

/// Our English phrases count even when VADER finds ordinary sentiment words in the text.
#[test]
fn english_phrases_apply_next_to_vader_words() {
    for (text, want) in [
        ("thanks for nothing, great job", Negative),
        ("nice staff but my order never arrived", Negative),
        ("the food was good but it was a waste of money", Negative),
        ("good app but it keeps crashing", Negative),
        ("great pizza, highly recommend", Positive),
    ] {
        assert_eq!(product().score(text, Lang::En).label(), want, "{text}");
    }
}

/// The running selection of [`top_tokens`] lists what a stable sort by strength and a
/// truncation list: ties (also ties made by rounding to 3 decimals) in text order, for
/// every `top` below and above the stack buffer's size.
#[test]
fn top_tokens_as_a_stable_sort_lists_them() {
    let words: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
    let values = [
        0.0, 0.5, -0.5, 1.2, -2.0004, 2.0, 0.0004, -0.0001, 3.1, -3.1, 0.25,
    ];
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for round in 0..2_000 {
        let n = round % 40;
        let pairs: Vec<(&str, f64)> = (0..n)
            .map(|i| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (
                    words[i].as_str(),
                    values[(seed % values.len() as u64) as usize],
                )
            })
            .collect();
        for top in [0, 1, 3, 5, 8, 9, 30] {
            let mut sorted: Vec<TokenValence> = pairs
                .iter()
                .filter(|(_, v)| *v != 0.0)
                .map(|(t, v)| TokenValence {
                    token: (*t).to_owned(),
                    valence: (v * 1000.0).round() / 1000.0,
                })
                .collect();
            sorted.sort_by(|a, b| b.valence.abs().total_cmp(&a.valence.abs()));
            sorted.truncate(top);
            assert_eq!(
                top_tokens(pairs.iter().copied(), top),
                sorted,
                "{pairs:?} {top}"
            );
        }
    }
}
