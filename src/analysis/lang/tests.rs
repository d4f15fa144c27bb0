use super::*;

const SPANISH: &[&str] = &[
    "a q hora abren el sábado?",
    "Otra vez sin internet 🙄 ya está de la ver...",
    "45 días esperando mi reembolso y nd. Ni un correo.",
    "xq no me contestan?? llevo 2 horas",
    "Qué chido, 20 min y todo calientito 🌮🔥",
    "El bot nomas dice no entendí tu pregunta alv",
    "me cobraron doble el mes pasado",
    "tb me pasó lo mismo con mi pedido",
    "Pésimo servicio, nunca más",
    "Che, el pedido llegó re frío, una vergüenza",
    "Tío, vaya chapuza de envío, llevo una semana esperando",
    "Hola, tienen opción sin gluten?",
    "La app no funciona desde ayer",
    "Gracias por la atención, todo bien",
    "buenísimo el servicio, lo recomiendo 100%",
    "Ya puse mi queja en PROFECO x no respetar la garantía",
    "el repartidor fue muy grosero conmigo",
];

const ENGLISH: &[&str] = &[
    "my order never arrived and nobody answers",
    "u guys charged me twice lol",
    "What time do you open on Sunday?",
    "Best tacos in town, thanks for the fast delivery",
    "The app is down again smh",
    "idk why my account got locked",
    "This was the worst customer service ever",
    "Got food poisoning from the chicken wrap",
    "Still waiting for my refund, it's been 3 weeks",
    "ngl the new menu is fire 🔥",
    "Can't log in to my account since yesterday",
    "The driver was so rude to me",
    "Is there a gluten free option?",
    "Loved it! Will order again",
    "Your chatbot is useless, I want a human",
    "pls fix the app it keeps crashing",
    "Thank you for the quick response",
];

#[test]
fn short_spanish_posts_without_hint() {
    for text in SPANISH {
        assert_eq!(detect(text, None), Lang::Es, "{text}");
    }
}

#[test]
fn short_english_posts_without_hint() {
    for text in ENGLISH {
        assert_eq!(detect(text, None), Lang::En, "{text}");
    }
}

/// Posts of one to four words with no function word: the sentiment lists decide.
#[test]
fn very_short_posts_by_their_sentiment_words() {
    for text in [
        "Pésimo servicio",
        "malísimo 😡",
        "Decepcionante",
        "Excelente atención!!",
        "buenísimo, gracias",
        "qué asco",
        "Rapidísimo 👌",
    ] {
        assert_eq!(detect(text, None), Lang::Es, "{text}");
    }
    for text in [
        "Awful service",
        "love it!!",
        "dreadful experience",
        "Terrific 👍",
        "Disappointed again",
        "super helpful staff, thanks",
        "worst app ever",
    ] {
        assert_eq!(detect(text, None), Lang::En, "{text}");
    }
}

/// A network hint is kept for a short post unless the words clearly say otherwise.
#[test]
fn short_posts_keep_a_matching_hint_and_drop_a_wrong_one() {
    assert_eq!(detect("Pésimo servicio", Some("es")), Lang::Es);
    assert_eq!(detect("pésimo, malísimo servicio", Some("en")), Lang::Es);
    assert_eq!(detect("awful, dreadful service", Some("es")), Lang::En);
}

#[test]
fn a_wrong_hint_loses_to_clear_text() {
    assert_eq!(
        detect(
            "el pedido que hice ayer no llegó y nadie me contesta",
            Some("en")
        ),
        Lang::Es
    );
    assert_eq!(
        detect("my order was late and the food was cold", Some("es")),
        Lang::En
    );
    assert_eq!(detect("xq no me llega mi pedido", Some("pt")), Lang::Es);
}

#[test]
fn a_hint_wins_when_the_text_is_ambiguous() {
    assert_eq!(detect("Excelente!!! 👏👏", Some("es")), Lang::Es);
    assert_eq!(detect("Excelente!!! 👏👏", Some("en")), Lang::En);
    assert_eq!(detect("ok", Some("en-GB")), Lang::En);
    assert_eq!(detect("😡😡😡", Some("es_MX")), Lang::Es);
    assert_eq!(detect("Netflix", Some("es")), Lang::Es);
}

#[test]
fn other_languages_and_placeholders() {
    assert_eq!(detect("😡😡😡", None), Lang::Other);
    assert_eq!(detect("", Some("und")), Lang::Other);
    assert_eq!(
        detect(
            "Der Kundenservice war leider überhaupt nicht hilfreich, sehr enttäuschend",
            None
        ),
        Lang::Other
    );
    assert_eq!(
        detect(
            "Je suis très déçu, la livraison est arrivée en retard",
            Some("fr")
        ),
        Lang::Other
    );
    assert_eq!(
        detect("the delivery guy was so nice", Some("und")),
        Lang::En
    );
}

/// Hostile or odd input: no panic, and no language from text that has no words.
#[test]
fn odd_input() {
    for text in [
        "",
        "   \n\t",
        "😡😡😡🙄",
        "https://t.co/AbCdEf123 www.example.com/pedido?id=1",
        "@TacoVeloz @CajaNorte_MX",
        "1234 5678 $$$ !!! ???",
        "\u{200d}\u{fe0f}\u{301}\u{301}",
        "'''’’’",
    ] {
        assert_eq!(detect(text, None), Lang::Other, "{text:?}");
    }
    assert_eq!(detect("https://t.co/x 😡", Some("es")), Lang::Es);
    let huge = "el pedido no llegó y nadie contesta ".repeat(50_000);
    assert_eq!(detect(&huge, None), Lang::Es);
    let long_word = "a".repeat(100_000);
    assert_eq!(detect(&long_word, Some("en")), Lang::En);
    // Cut inside a multi-byte character at the scan limit: still fine.
    let accents = "ñ".repeat(10_000);
    let _ = detect(&accents, None);
}

#[test]
fn links_handles_and_elongations() {
    assert_eq!(
        detect(
            "@the_and_is malísimooo el servicioooo https://the.and.is/x",
            None
        ),
        Lang::Es
    );
    assert_eq!(detect("jajajajaja q buenooo", None), Lang::Es);
    assert_eq!(detect("hahahaha sooo good, it’s the best", None), Lang::En);
    assert_eq!(detect("PÉSIMO SERVICIO, NUNCA MÁS", None), Lang::Es);
}

#[test]
fn mixed_posts_go_to_the_language_with_more_evidence() {
    assert_eq!(
        detect(
            "love the app pero el soporte es pésimo y nadie me contesta",
            None
        ),
        Lang::Es
    );
    assert_eq!(
        detect("the delivery was late again, the food cold, gracias", None),
        Lang::En
    );
}

#[test]
fn third_languages_and_other_scripts() {
    for text in [
        "O atendimento foi péssimo, não recomendo a ninguém",
        "Você sabe que o pedido não chegou ainda?",
        "La livraison est arrivée en retard, je suis très déçu",
        "Il servizio è stato pessimo, non lo consiglio",
        "Die Lieferung ist leider nicht angekommen",
        "Доставка опоздала на два часа, ужасный сервис",
        "配達が遅れました",
        "التوصيل تأخر كثيرا",
    ] {
        assert_eq!(detect(text, None), Lang::Other, "{text}");
    }
    assert_eq!(
        detect("Доставка опоздала на два часа", Some("es")),
        Lang::Other
    );
}

/// Stopwords decide real-length posts without asking whatlang.
#[test]
fn real_length_posts_are_decided_by_their_words() {
    for text in [
        "@TacoVeloz mi pedido nunca llegó y el repartidor ni contesta, ya van dos horas",
        "I ordered at 7 and it's now 9:30, still no food and nobody answers the phone",
    ] {
        let h = scan::hits(text);
        assert!(h.third == 0 && h.alien == 0, "{text}: {h:?}");
        assert!(
            clear_by_stopwords(h.es(), h.en()).is_some(),
            "{text}: {h:?}"
        );
    }
}

/// One stopword and nothing else to go on: a weak verdict for its language, reached without
/// whatlang (which a reliable answer could only have turned into a clear one, or set against
/// the stopword); a network hint of the other language still wins.
#[test]
fn one_stopword_alone_is_a_weak_verdict_without_whatlang() {
    for (text, lang) in [
        ("Parking near the stadium", Lang::En),
        ("Banana bread on sale", Lang::En),
        ("Vendido hoy", Lang::Es),
    ] {
        let h = scan::hits(text);
        assert_eq!(
            (h.es_stop + h.en_stop, h.es_lex + h.en_lex, h.third, h.alien),
            (1, 0, 0, 0),
            "{text}: {h:?}"
        );
        assert_eq!(verdict(text), Verdict::Weak(lang), "{text}");
        assert_eq!(detect(text, None), lang, "{text}");
        let (other, code) = if lang == Lang::Es {
            (Lang::En, "en")
        } else {
            (Lang::Es, "es")
        };
        assert_eq!(detect(text, Some(code)), other, "{text}");
    }
    // A single sentiment word is no stopword (German `war`): whatlang still decides.
    let text = "Lieferung war pünktlich";
    let h = scan::hits(text);
    assert_eq!((h.es(), h.en(), h.es_stop + h.en_stop), (0, 1, 0), "{h:?}");
    assert_eq!(verdict(text), Verdict::Clear(Lang::Other));
}
