//! Multi-week scenario generators for crisis tests: weeks of realistic background traffic for
//! one brand in Spanish and English (daily rhythm, quieter weekends, everyday complaints,
//! praise, questions) and separated crises of different kinds, written in the replay JSONL
//! format. Deterministic: a seed gives the same file.

#![allow(dead_code)]

use chrono::{DateTime, Duration, Timelike, Utc};
use serde_json::json;

/// SplitMix64: small, fast, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn f(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }

    /// Poisson by inversion (small means only).
    pub fn poisson(&mut self, lambda: f64) -> usize {
        let l = (-lambda).exp();
        let (mut k, mut p) = (0, 1.0);
        loop {
            p *= self.f();
            if p <= l {
                return k;
            }
            k += 1;
        }
    }
}

/// One post in the replay format.
#[derive(Debug, Clone)]
pub struct Post {
    pub id: String,
    pub at: DateTime<Utc>,
    pub text: String,
    pub lang: &'static str,
    pub likes: i64,
    pub reposts: i64,
}

impl Post {
    pub fn json(&self, n: usize) -> String {
        let source = ["x", "mastodon", "bluesky", "reddit"][n % 4];
        json!({
            "id": self.id, "source": source,
            "created_at": self.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "text": self.text,
            "author": {"handle": format!("user{}", n % 5000), "name": format!("User {}", n % 5000),
                "followers": 10 + (n * 37) % 3000},
            "lang": self.lang, "likes": self.likes, "reposts": self.reposts, "replies": 0,
        })
        .to_string()
    }
}

/// Weekday 0 = Monday. Expected posts in an hour of a brand with `per_day` posts a day.
fn hourly_rate(per_day: f64, t: DateTime<Utc>) -> f64 {
    const SHAPE: [f64; 24] = [
        0.6, 0.4, 0.3, 0.2, 0.2, 0.3, 0.6, 1.0, 1.4, 1.6, 1.6, 1.6, 1.8, 1.7, 1.5, 1.5, 1.6, 1.8,
        2.0, 2.2, 2.2, 1.9, 1.4, 1.0,
    ];
    let sum: f64 = SHAPE.iter().sum();
    let weekend = matches!(t.format("%u").to_string().as_str(), "6" | "7");
    let factor = if weekend { 0.75 } else { 1.0 };
    per_day * SHAPE[t.hour() as usize] / sum * factor
}

const NEG_ES: &[&str] = &[
    "mi pedido de {b} no llegó y nadie me dice nada",
    "el repartidor de {b} dejó el paquete en otra dirección otra vez",
    "{b} llegó frío el envío, qué decepción",
    "llevo media hora esperando en la fila de {b}",
    "sigo esperando que me atiendan en {b}, qué lento todo",
    "{b} me cobraron doble en la factura de este mes",
    "otro cargo raro en mi suscripción de {b}",
    "{b} sigo esperando mi reembolso desde hace semanas",
    "no me dejan cambiar la contraseña de mi cuenta en {b}",
];
const NEG_EN: &[&str] = &[
    "my {b} order arrived cold again",
    "{b} driver left my package at the wrong address",
    "on hold with {b} for 40 minutes, still waiting",
    "{b} charged me twice this month, what is this billing",
    "still no refund from {b} after three weeks",
    "can't log into my {b} account, password reset never comes",
];
const POS_ES: &[&str] = &[
    "excelente servicio de {b}, muchas gracias",
    "me encanta {b}, todo llegó perfecto",
    "{b} el mejor, súper recomendado",
    "gracias {b} por la atención tan rápida",
];
const POS_EN: &[&str] = &[
    "great experience with {b}, thanks!",
    "love {b}, everything was perfect",
    "{b} support was amazing today",
];
const NEU_ES: &[&str] = &[
    "alguien sabe a qué hora abre {b} el domingo?",
    "{b} tiene promociones esta semana?",
    "hoy pedí en {b} para la cena",
    "viendo el catálogo nuevo de {b}",
];
const NEU_EN: &[&str] = &[
    "does anyone know if {b} ships to Canada?",
    "ordering from {b} tonight",
    "what time does {b} open on sundays?",
];

fn background_text(rng: &mut Rng, brand: &str) -> (String, &'static str) {
    let es = rng.f() < 0.65;
    let r = rng.f();
    let set = match (es, r) {
        (true, r) if r < 0.35 => NEG_ES,
        (true, r) if r < 0.7 => POS_ES,
        (true, _) => NEU_ES,
        (false, r) if r < 0.35 => NEG_EN,
        (false, r) if r < 0.7 => POS_EN,
        (false, _) => NEU_EN,
    };
    let text = rng.pick(set).replace("{b}", &format!("@{brand}"));
    (text, if es { "es" } else { "en" })
}

/// `weeks` of ordinary traffic from `start` (a Monday 00:00 UTC), about 100 posts a day.
pub fn background(rng: &mut Rng, brand: &str, start: DateTime<Utc>, weeks: i64) -> Vec<Post> {
    traffic(rng, brand, start, weeks * 7 * 24, 100.0)
}

/// `hours` of ordinary traffic from `start`, about `per_day` posts a day.
pub fn traffic(
    rng: &mut Rng,
    brand: &str,
    start: DateTime<Utc>,
    hours: i64,
    per_day: f64,
) -> Vec<Post> {
    let mut out = Vec::new();
    for h in 0..hours {
        let hour = start + Duration::hours(h);
        for _ in 0..rng.poisson(hourly_rate(per_day, hour)) {
            let (text, lang) = background_text(rng, brand);
            let at = hour + Duration::seconds(rng.below(3600) as i64);
            out.push(post(rng, "bg", at, text, lang));
        }
    }
    out
}

fn post(rng: &mut Rng, kind: &str, at: DateTime<Utc>, text: String, lang: &'static str) -> Post {
    Post {
        id: format!("{kind}-{}", rng.next()),
        at,
        text,
        lang,
        likes: rng.below(20) as i64,
        reposts: rng.below(3) as i64,
    }
}

/// One crisis: its kind, when its first post appears, and its posts.
#[derive(Debug, Clone)]
pub struct Crisis {
    pub kind: &'static str,
    pub start: DateTime<Utc>,
    pub posts: Vec<Post>,
}

/// A crisis of `kind` whose first post is at `start`: a burst whose hourly counts follow
/// `profile` (by hour since the start), texts from the kind's own vocabulary.
pub fn crisis(rng: &mut Rng, brand: &str, kind: &'static str, start: DateTime<Utc>) -> Crisis {
    let (es, en, profile): (&[&str], &[&str], &[usize]) = match kind {
        "staff_video" => (STAFF_ES, STAFF_EN, &[30, 45, 35, 25, 18, 12, 8, 6, 4, 3]),
        "class_action" => (
            LEGAL_ES,
            LEGAL_EN,
            // A news story over two days: a night lull, a second wave the next morning.
            &[
                6, 9, 7, 5, 4, 3, 3, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 3, 2, 1,
            ],
        ),
        "app_outage" => (OUTAGE_ES, OUTAGE_EN, &[60, 80, 50, 20, 6]),
        "food_safety" => (
            SAFETY_ES,
            SAFETY_EN,
            &[4, 8, 12, 10, 8, 6, 4, 3, 2, 2, 1, 1],
        ),
        other => panic!("no crisis kind {other}"),
    };
    let mut posts = Vec::new();
    for (h, &n) in profile.iter().enumerate() {
        for i in 0..n {
            let offset = if h == 0 && i == 0 {
                0
            } else {
                rng.below(3600) as i64
            };
            let at = start + Duration::hours(h as i64) + Duration::seconds(offset);
            let spanish = rng.f() < 0.6;
            let text = rng
                .pick(if spanish { es } else { en })
                .replace("{b}", &format!("@{brand}"));
            posts.push(post(rng, kind, at, text, if spanish { "es" } else { "en" }));
        }
    }
    posts.sort_by_key(|p| p.at);
    Crisis { kind, start, posts }
}

const STAFF_ES: &[&str] = &[
    "indignante el video del empleado de {b} gritándole a una señora mayor",
    "vieron el video? el gerente de {b} humillando a un cliente, qué asco",
    "no vuelvo a comprar en {b} después de ver cómo trata el personal a la gente",
    "el video del cajero de {b} es vergonzoso, exijo una disculpa",
    "qué horror el maltrato del empleado de {b} en ese video",
];
const STAFF_EN: &[&str] = &[
    "that video of the {b} employee yelling at an old lady is disgusting",
    "boycott {b}, their staff treated that woman horribly in the video",
    "the {b} manager in that viral video should be fired, so rude",
    "watched the {b} staff video, never shopping there again",
];
const LEGAL_ES: &[&str] = &[
    "presentan una demanda colectiva contra {b} por cobros indebidos",
    "abogados preparan demanda contra {b}, súmate si te cobraron de más",
    "la demanda contra {b} ya tiene miles de afectados",
    "{b} enfrenta una demanda colectiva, a ver qué dicen",
];
const LEGAL_EN: &[&str] = &[
    "class action lawsuit filed against {b} over hidden fees",
    "lawyers say the {b} class action could cover millions of customers",
    "joining the class action against {b}, they overcharged me for years",
];
const OUTAGE_ES: &[&str] = &[
    "la app de {b} está caída, no puedo hacer nada",
    "{b} no funciona la app desde hace rato, error 500",
    "se cayó {b}? no carga nada",
    "otra vez caída la app de {b}, qué desastre",
];
const OUTAGE_EN: &[&str] = &[
    "{b} app is down again?? nothing loads",
    "is {b} down for anyone else? app keeps crashing",
    "{b} outage, can't even open the app",
];
const SAFETY_ES: &[&str] = &[
    "me intoxiqué con el pollo de {b}, terminé en urgencias",
    "toda mi familia enferma después de comer lo de {b}, intoxicación",
    "vómito y diarrea desde anoche tras pedir en {b}",
    "otra intoxicación por la comida de {b}, esto es grave",
];
const SAFETY_EN: &[&str] = &[
    "got food poisoning from {b} chicken, spent the night in the emergency room",
    "my whole family got sick after eating {b} food",
    "food poisoning again from {b}, this is dangerous",
];

/// A scenario file: background plus crises, sorted by time, as JSONL.
pub fn write(path: &std::path::Path, background: &[Post], crises: &[Crisis]) {
    let mut all: Vec<&Post> = background
        .iter()
        .chain(crises.iter().flat_map(|c| &c.posts))
        .collect();
    all.sort_by_key(|p| p.at);
    let lines: Vec<String> = all.iter().enumerate().map(|(n, p)| p.json(n)).collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// Monday 2026-01-05 00:00 UTC.
pub fn monday() -> DateTime<Utc> {
    "2026-01-05T00:00:00Z".parse().unwrap()
}
