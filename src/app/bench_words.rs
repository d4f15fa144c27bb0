//! Vocabulary of the benchmark's synthetic mentions: sentence parts per topic in Spanish and
//! English, written the way customers post (slang, abbreviations, emoji, hashtags), and the
//! fillers (dishes, places, times, people) they are combined with. Several hundred distinct
//! words, so term rollups, full-text filters and the sentiment engine see realistic variety.

/// One topic of conversation: what a post says, in each language. `{d}` is a dish, `{p}` a
/// place, `{t}` a time span, `{n}` a first name.
pub struct Topic {
    pub es: &'static [&'static str],
    pub en: &'static [&'static str],
}

pub const COMPLAINTS: &[Topic] = &[
    Topic {
        es: &[
            "mi pedido nunca llegó y ya van {t}",
            "el repartidor dejó el paquete en otro domicilio",
            "la {d} llegó fría y aplastada, qué decepción",
            "llegó incompleto otra vez, faltaba la {d}",
            "el envío a {p} no ha llegado, nadie me dice nada",
            "pedí {d} y me llegó otro pedido 🙄",
        ],
        en: &[
            "my order never arrived and it's been {t}",
            "the driver left my package at the wrong address",
            "the {d} showed up cold and squashed, so disappointing",
            "delivery to {p} still hasn't arrived, no updates at all",
            "ordered {d} and got somebody else's food lol",
        ],
    },
    Topic {
        es: &[
            "quiero mi dinero de vuelta, el reembolso no aparece",
            "me prometieron la devolución hace {t} y nada",
            "pedí cancelar mi pedido y me cobraron igual, exijo reembolso",
            "ya van {t} esperando el reembolso de la {d}",
        ],
        en: &[
            "still no refund after {t}, I want my money back",
            "they promised a refund {t} ago and nothing",
            "cancelled the order and got charged anyway, refund please",
        ],
    },
    Topic {
        es: &[
            "llevo horas esperando en el chat de soporte",
            "sigo esperando, {t} en espera y nadie contesta",
            "tiempo de espera ridículo, {t} para una {d}",
        ],
        en: &[
            "been on hold for {t}, nobody answers",
            "still waiting, {t} for a {d} is ridiculous",
            "support queue took forever again",
        ],
    },
    Topic {
        es: &[
            "la app se cayó otra vez, no carga nada",
            "no funciona la app desde hace {t}, servidores caídos?",
            "intento pagar y la página no abre, fuera de servicio",
        ],
        en: &[
            "the app is down again, won't load at all",
            "app crashed three times trying to pay for my {d}",
            "site not loading for {t} now, is it an outage?",
        ],
    },
    Topic {
        es: &[
            "el repartidor fue súper grosero conmigo",
            "la operadora me colgó, pésimo trato",
            "el encargado de {p} fue prepotente y maleducado",
        ],
        en: &[
            "the driver was really rude to me",
            "customer service agent hung up on me, so unprofessional",
            "manager at the {p} store yelled at me",
        ],
    },
    Topic {
        es: &[
            "me cobraron dos veces la {d}, revisen su sistema",
            "cargo duplicado en mi tarjeta, expliquen",
            "la factura no coincide con lo que pedí",
        ],
        en: &[
            "got charged twice for the {d}, fix your billing",
            "double charge on my card, explain please",
            "the invoice doesn't match what I ordered",
        ],
    },
];

pub const PRAISE: Topic = Topic {
    es: &[
        "la {d} llegó calientita y rapidísimo, gracias",
        "excelente servicio, el repartidor súper amable 👏",
        "me encantó la {d}, la mejor de {p}",
        "rapidísimo hoy, {t} y ya estaba en mi casa, genial",
        "10/10 la promo de {d}, volveré a pedir",
    ],
    en: &[
        "the {d} arrived hot and super fast, thanks",
        "great service, the driver was so friendly 👏",
        "loved the {d}, best in {p}",
        "amazing promo today, {d} for half price!",
    ],
};

pub const QUESTIONS: Topic = Topic {
    es: &[
        "¿alguien sabe si hacen envíos a {p}?",
        "¿cuál es la mejor {d} por la zona de {p}? acepto recomendaciones",
        "¿a qué hora cierran en {p}?",
        "vi la promo de {d}, ¿sigue vigente?",
    ],
    en: &[
        "does anyone know if they deliver to {p}?",
        "what's the best {d} near {p}? taking recommendations",
        "is the {d} promo still on?",
    ],
};

pub const NEUTRAL: Topic = Topic {
    es: &[
        "pidiendo {d} para la cena de hoy",
        "nuevo local abierto en {p} según vi",
        "hoy toca {d} con los amigos del trabajo",
        "actualizaron la app, ahora sale el mapa del repartidor",
    ],
    en: &[
        "ordering {d} for dinner tonight",
        "saw they opened a new spot in {p}",
        "friday night means {d} with the crew",
        "they updated the app, now it shows the driver on a map",
    ],
};

/// What a crisis burst is about: every one a safety report, so the critical-category detector
/// fires as it would on a real food-safety scandal.
pub const CRISIS: Topic = Topic {
    es: &[
        "intoxicación después de comer la {d} de {p}, terminé en urgencias",
        "toda mi familia se enfermó con la {d}, estaba en mal estado",
        "vómito y diarrea toda la noche por la {d}, cuidado con {p}",
        "mi hermano en el hospital, la {d} tenía salmonela",
    ],
    en: &[
        "food poisoning after the {d} from the {p} store, ended up in the emergency room",
        "the whole family got sick from the {d}, it was spoiled",
        "sick all night after eating their {d}, avoid the {p} location",
    ],
};

pub const DISHES: &[&str] = &[
    "pizza",
    "hamburguesa",
    "sushi",
    "pollo frito",
    "ensalada",
    "pasta",
    "tacos al pastor",
    "quesadilla",
    "empanada",
    "milanesa",
    "poke",
    "ramen",
    "paella",
    "arepa",
    "burrito",
    "torta ahogada",
    "pad thai",
    "curry",
    "hot dog",
    "alitas",
    "pozole",
    "ceviche",
    "lasaña",
    "enchiladas",
    "bagel",
    "brownie",
    "helado",
    "smoothie",
    "café",
    "tamales",
];

pub const PLACES: &[&str] = &[
    "CDMX",
    "Guadalajara",
    "Monterrey",
    "Puebla",
    "Madrid",
    "Barcelona",
    "Sevilla",
    "Valencia",
    "Bogotá",
    "Medellín",
    "Lima",
    "Santiago",
    "Buenos Aires",
    "Córdoba",
    "Quito",
    "Miami",
    "Houston",
    "Los Angeles",
    "Chicago",
    "New York",
    "San Antonio",
    "Polanco",
    "Coyoacán",
    "Palermo",
    "Chapinero",
    "Miraflores",
];

pub const SPANS: &[&str] = &[
    "2 horas",
    "45 minutos",
    "una hora",
    "3 días",
    "una semana",
    "dos semanas",
    "20 min",
    "90 minutes",
    "two hours",
    "three days",
    "a week",
    "40 mins",
];

pub const OPENERS_ES: &[&str] = &[
    "",
    "",
    "",
    "Neta ",
    "Oigan ",
    "Qué onda ",
    "Otra vez ",
    "En serio ",
    "Buenas, ",
    "Ufff ",
    "Tío, ",
    "Che ",
    "xq ",
];
pub const OPENERS_EN: &[&str] = &[
    "",
    "",
    "",
    "Ugh ",
    "Honestly ",
    "Wow ",
    "Again?? ",
    "Hey ",
    "Seriously ",
    "lol ",
];
pub const CLOSERS_ES: &[&str] = &[
    "",
    "",
    "",
    " 😡",
    " 😤",
    " 🙄",
    " :(",
    " 👏👏",
    " 🔥",
    " jajaja",
    " #fail",
    " #nuncamas",
    " tb mi hermana",
    " x favor respondan",
    " q mal",
    " malísimooo",
    " 💯",
];
pub const CLOSERS_EN: &[&str] = &[
    "",
    "",
    "",
    " 😡",
    " 🙄",
    " :(",
    " smh",
    " #fail",
    " never again",
    " 👏",
    " 🔥",
    " lmao",
    " pls respond",
    " 💯",
];

pub const FIRST_NAMES: &[&str] = &[
    "ana", "luis", "maria", "jorge", "sofia", "diego", "valeria", "carlos", "lucia", "mateo",
    "camila", "pablo", "elena", "andres", "paula", "jack", "emily", "mike", "sarah", "chris",
    "jess", "kevin", "laura", "tom", "nina", "ximena", "rodrigo", "fer", "gabi", "santi",
];
