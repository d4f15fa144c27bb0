//! Months of traffic, not one week: generated multi-week scenarios (background in Spanish and
//! English, several separated crises of different kinds, nobody acknowledging or resolving
//! anything) through `vigia backtest --json`. Each crisis must give exactly one incident,
//! detected as fast as when it happens alone; everyday complaints must not keep an incident
//! alive, so every incident closes itself and the next crisis alerts again.

mod common;
mod scenario;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

use scenario::{Crisis, Rng};

const BRAND: &str = "mercadito";

fn backtest(input: &Path) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_vigia"))
        .current_dir(common::repo())
        .args(["backtest", "--brand", BRAND, "--json", "--input"])
        .arg(input)
        .output()
        .expect("run vigia backtest");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    report["incidents"].as_array().unwrap().clone()
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

/// Ten weeks with four crises of different kinds, weeks apart.
fn ten_weeks(rng: &mut Rng) -> (Vec<scenario::Post>, Vec<Crisis>) {
    let m = scenario::monday();
    let background = scenario::background(rng, BRAND, m, 10);
    let at = |week: i64, day: i64, hour: i64, minute: i64| {
        m + Duration::days(week * 7 + day) + Duration::hours(hour) + Duration::minutes(minute)
    };
    let crises = vec![
        scenario::crisis(rng, BRAND, "staff_video", at(1, 1, 10, 17)),
        scenario::crisis(rng, BRAND, "class_action", at(4, 2, 9, 5)),
        scenario::crisis(rng, BRAND, "app_outage", at(6, 4, 18, 40)),
        scenario::crisis(rng, BRAND, "food_safety", at(8, 5, 13, 22)),
    ];
    (background, crises)
}

/// The incident of one crisis: detected after its first post, within `max_latency`, and
/// gathering mostly that crisis's posts (not weeks of background).
fn check_incident(i: &Value, c: &Crisis, max_latency: Duration) {
    let detected = time(&i["detected_at"]);
    assert!(
        detected >= c.start && detected <= c.start + max_latency,
        "{} starts {}, incident {i}",
        c.kind,
        c.start
    );
    let mentions = i["mentions"].as_i64().unwrap();
    let size = c.posts.len() as i64;
    assert!(
        mentions >= size / 3 && mentions <= size + size / 2,
        "{}: {size} posts, incident {i}",
        c.kind
    );
    assert_eq!(
        i["status"], "auto_closed",
        "nobody acts; it closes itself: {i}"
    );
}

#[test]
fn ten_weeks_four_crises_four_incidents_each_on_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(13);
    let (background, crises) = ten_weeks(&mut rng);
    let all = dir.path().join("ten-weeks.jsonl");
    scenario::write(&all, &background, &crises);
    let incidents = backtest(&all);
    assert_eq!(incidents.len(), crises.len(), "{incidents:#?}");
    for (i, c) in incidents.iter().zip(&crises) {
        // Critical categories fire on the first post; surges within half an hour.
        let max = match c.kind {
            "class_action" | "food_safety" => Duration::minutes(1),
            _ => Duration::minutes(30),
        };
        check_incident(i, c, max);
    }
    // Each crisis is detected exactly when it is detected alone: an earlier (forgotten)
    // incident changes nothing.
    for (n, c) in crises.iter().enumerate().skip(1) {
        let alone = dir.path().join(format!("alone-{n}.jsonl"));
        scenario::write(&alone, &background, std::slice::from_ref(c));
        let single = backtest(&alone);
        assert_eq!(single.len(), 1, "{}: {single:#?}", c.kind);
        assert_eq!(
            single[0]["detected_at"], incidents[n]["detected_at"],
            "{}",
            c.kind
        );
        assert_eq!(single[0]["kind"], incidents[n]["kind"], "{}", c.kind);
    }
}

#[test]
fn background_alone_opens_nothing_in_ten_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(7);
    let background = scenario::background(&mut rng, BRAND, scenario::monday(), 10);
    let path = dir.path().join("calm.jsonl");
    scenario::write(&path, &background, &[]);
    assert_eq!(backtest(&path), Vec::<Value>::new());
}

/// A big brand (3,000 posts a day, a third of them complaints) monitored from its first
/// post: its ordinary first hours, far above the baseline's prior of a few posts an hour, are
/// what the baseline learns, not a surge; two days of them open nothing.
#[test]
fn a_big_brands_first_days_are_learned_not_alarmed() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(5);
    let busy = scenario::traffic(&mut rng, BRAND, scenario::monday(), 48, 3000.0);
    assert!(busy.len() > 4000, "{}", busy.len());
    let path = dir.path().join("busy.jsonl");
    scenario::write(&path, &busy, &[]);
    assert_eq!(backtest(&path), Vec::<Value>::new());
}

/// The demo week repeated: one incident per week's crisis, not one that swallows them all.
#[test]
fn the_demo_week_repeated_gives_one_incident_per_week() {
    let dir = tempfile::tempdir().unwrap();
    let demo = std::fs::read_to_string(common::demo_mentions()).unwrap();
    let weeks = 3;
    let mut lines = Vec::new();
    for w in 0..weeks {
        for l in demo.lines() {
            let mut v: Value = serde_json::from_str(l).unwrap();
            let t = time(&v["created_at"]) + Duration::days(7 * w);
            v["created_at"] = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true).into();
            v["id"] = format!("{}-w{w}", v["id"].as_str().unwrap()).into();
            lines.push(v.to_string());
        }
    }
    let path = dir.path().join("demo-weeks.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vigia"))
        .current_dir(common::repo())
        .args(["backtest", "--brand", "rapiplato", "--json", "--input"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let incidents = report["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), weeks as usize, "{report:#}");
    let first: DateTime<Utc> = "2026-03-06T19:40:00Z".parse().unwrap();
    for (w, i) in incidents.iter().enumerate() {
        let start = first + Duration::days(7 * w as i64);
        assert_eq!(time(&i["first_mention_at"]), start, "{i}");
        assert!(i["latency_s"].as_i64().unwrap() <= 15 * 60, "{i}");
        assert_eq!(i["kind"], "critical_category");
        let mentions = i["mentions"].as_i64().unwrap();
        assert!((100..400).contains(&mentions), "week {w}: {i}");
    }
}

/// Writes the ten-week scenario to `$VIGIA_SCENARIO_OUT` (for timing `vigia backtest` on it):
/// `VIGIA_SCENARIO_OUT=/tmp/ten-weeks.jsonl cargo test --test crisis_scenarios -- --ignored`.
#[test]
#[ignore]
fn write_the_ten_week_scenario() {
    let Ok(out) = std::env::var("VIGIA_SCENARIO_OUT") else {
        eprintln!("VIGIA_SCENARIO_OUT is not set: nothing written");
        return;
    };
    let mut rng = Rng::new(13);
    let (background, crises) = ten_weeks(&mut rng);
    scenario::write(Path::new(&out), &background, &crises);
}

/// Lone mentions in a critical category, as a big brand gets them every day or so: a complaint
/// to the regulator, a threat to sue, a stomach ache, a cut. Each is `(category, text)`.
const LONE: &[(&str, &str)] = &[
    (
        "legal",
        "voy a poner una queja en profeco contra @mercadito",
    ),
    (
        "safety",
        "@mercadito me cayó mal la comida, me dio dolor de estómago",
    ),
    (
        "legal",
        "i'm reporting @mercadito to the BBB, they refuse to refund me",
    ),
    (
        "safety",
        "mi hijo se cortó con el empaque de @mercadito, tengan cuidado",
    ),
    (
        "legal",
        "mi abogado va a demandar a @mercadito si no me devuelven el dinero",
    ),
    (
        "safety",
        "found a piece of glass in my @mercadito salad, this is dangerous",
    ),
];

/// One lone critical mention every 20 to 40 hours over `weeks`, except within
/// `same_crisis_minutes` (12 h) before a crisis of the same category: one that close is
/// rightly taken as that crisis's first report.
fn trickle(rng: &mut Rng, weeks: i64, crises: &[Crisis]) -> Vec<scenario::Post> {
    let category_of = |kind: &str| match kind {
        "class_action" => "legal",
        "food_safety" => "safety",
        _ => "",
    };
    let end = scenario::monday() + Duration::weeks(weeks);
    let mut t = scenario::monday() + Duration::hours(30);
    let mut out = Vec::new();
    while t < end {
        let (category, text) = LONE[out.len() % LONE.len()];
        let close = crises.iter().any(|c| {
            category_of(c.kind) == category && t <= c.start && c.start - t <= Duration::hours(13)
        });
        if !close {
            out.push(scenario::Post {
                id: format!("lone-{}", out.len()),
                at: t,
                text: text.to_owned(),
                lang: if text.contains("@mercadito salad") || text.starts_with("i'm") {
                    "en"
                } else {
                    "es"
                },
                likes: 1,
                reposts: 0,
            });
        }
        t += Duration::hours(20 + rng.below(21) as i64);
    }
    out
}

fn closed_at(i: &Value) -> Option<DateTime<Utc>> {
    i["closed_at"].as_str().map(|t| t.parse().unwrap())
}

/// A lone critical mention a day neither keeps one incident open for weeks nor swallows the
/// next crisis: each lone mention alerts on its own, a crisis of another story closes the
/// incident it finds (`closed_by_new_crisis`) and opens its own, on time.
#[test]
fn a_daily_trickle_of_lone_critical_mentions_swallows_no_crisis() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(13);
    let (background, crises) = ten_weeks(&mut rng);
    let lone = trickle(&mut rng, 10, &crises);
    assert!(lone.len() > 40, "{}", lone.len());

    // The trickle alone: one small incident per lone mention, none longer than the quiet time.
    let calm = dir.path().join("trickle.jsonl");
    let with_lone: Vec<scenario::Post> = background.iter().chain(&lone).cloned().collect();
    scenario::write(&calm, &with_lone, &[]);
    let incidents = backtest(&calm);
    assert_eq!(incidents.len(), lone.len(), "{incidents:#?}");
    for i in &incidents {
        assert_eq!(i["kind"], "critical_category", "{i}");
        assert!(i["mentions"].as_i64().unwrap() <= 3, "{i}");
        if let Some(end) = closed_at(i) {
            assert!(end - time(&i["detected_at"]) <= Duration::hours(36), "{i}");
        }
    }
    assert!(
        incidents.iter().any(|i| i["closed_by_new_crisis"] == true),
        "lone mentions less than 36 h apart close each other's incidents: {incidents:#?}"
    );

    // With the four crises: each has its own incident, detected as fast as alone.
    let all = dir.path().join("trickle-and-crises.jsonl");
    scenario::write(&all, &with_lone, &crises);
    let incidents = backtest(&all);
    for c in &crises {
        let max = match c.kind {
            "class_action" | "food_safety" => Duration::minutes(1),
            _ => Duration::minutes(30),
        };
        let found: Vec<&Value> = incidents
            .iter()
            .filter(|i| {
                let d = time(&i["detected_at"]);
                d >= c.start && d <= c.start + max
            })
            .collect();
        assert_eq!(found.len(), 1, "{}: {incidents:#?}", c.kind);
        let mentions = found[0]["mentions"].as_i64().unwrap();
        let size = c.posts.len() as i64;
        assert!(
            mentions >= size / 3 && mentions <= size + size / 2,
            "{}: {size} posts, {}",
            c.kind,
            found[0]
        );
    }
    // Nothing lives for weeks: the longest incident is a crisis plus its quiet time.
    for i in &incidents {
        let end = closed_at(i).unwrap_or_else(|| scenario::monday() + Duration::weeks(10));
        assert!(end - time(&i["detected_at"]) <= Duration::days(4), "{i}");
    }
}

/// Safety chatter of a big food brand: one lone mention every 3 to 8 hours, each one of its
/// own (a stomach ache, a cut, a burn), in both languages.
const CHATTER: &[(&str, &str)] = &[
    (
        "es",
        "@mercadito el pollo de ayer me cayó pesado, me duele la panza",
    ),
    (
        "en",
        "cut my finger on the @mercadito lid, be careful with those",
    ),
    (
        "es",
        "ojo que el café de @mercadito sale hirviendo, me quemé la mano",
    ),
    (
        "es",
        "creo que algo de @mercadito me dio diarrea, no sé qué fue",
    ),
    (
        "en",
        "my kid had a rash after the @mercadito snack, allergy maybe?",
    ),
    (
        "es",
        "tenía un pelo la ensalada de @mercadito, qué asco, me dieron náuseas",
    ),
];

fn chatter(rng: &mut Rng, weeks: i64) -> Vec<scenario::Post> {
    let end = scenario::monday() + Duration::weeks(weeks);
    let mut t = scenario::monday() + Duration::hours(5);
    let mut out = Vec::new();
    while t < end {
        let (lang, text) = CHATTER[out.len() % CHATTER.len()];
        out.push(scenario::Post {
            id: format!("chatter-{}", out.len()),
            at: t,
            text: text.to_owned(),
            lang,
            likes: 0,
            reposts: 0,
        });
        t += Duration::minutes(180 + rng.below(301) as i64);
    }
    out
}

/// A big brand's steady safety chatter keeps its own small incident going (each mention is a
/// critical signal of the same category), but that incident neither swallows a crisis of
/// another story (it is big over weeks, never a surge) nor breaks one: each crisis stays one
/// incident from its first post to its end, on time. A chatter mention amid the crisis is a
/// dangerous topic of another story: it alerts as an incident of its own beside the crisis
/// (which it neither joins nor closes), as it would on a calm day.
#[test]
fn steady_safety_chatter_neither_swallows_nor_splits_a_crisis() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(29);
    let m = scenario::monday();
    let weeks = 8;
    let background = scenario::background(&mut rng, BRAND, m, weeks);
    let lone = chatter(&mut rng, weeks);
    assert!(lone.len() > 200, "{}", lone.len());
    let at = |week: i64, day: i64, hour: i64| {
        m + Duration::days(week * 7 + day) + Duration::hours(hour) + Duration::minutes(11)
    };
    let crises = vec![
        scenario::crisis(&mut rng, BRAND, "staff_video", at(2, 1, 10)),
        scenario::crisis(&mut rng, BRAND, "class_action", at(4, 3, 9)),
        scenario::crisis(&mut rng, BRAND, "app_outage", at(6, 2, 18)),
    ];
    let posts: Vec<scenario::Post> = background.iter().chain(&lone).cloned().collect();
    let all = dir.path().join("chatter-and-crises.jsonl");
    scenario::write(&all, &posts, &crises);
    let incidents = backtest(&all);
    let chatter_times: Vec<DateTime<Utc>> = lone.iter().map(|p| p.at).collect();
    for c in &crises {
        let max = match c.kind {
            "class_action" => Duration::minutes(1),
            _ => Duration::minutes(30),
        };
        let last = c.posts.iter().map(|p| p.at).max().unwrap();
        let (chatter, during): (Vec<&Value>, Vec<&Value>) = incidents
            .iter()
            .filter(|i| {
                let d = time(&i["detected_at"]);
                d >= c.start && d <= last
            })
            .partition(|i| chatter_times.contains(&time(&i["detected_at"])));
        assert_eq!(during.len(), 1, "{}: {during:#?}", c.kind);
        let d = time(&during[0]["detected_at"]);
        assert!(d <= c.start + max, "{}: {}", c.kind, during[0]);
        let mentions = during[0]["mentions"].as_i64().unwrap();
        let size = c.posts.len() as i64;
        assert!(
            mentions >= size * 2 / 3 && mentions <= size + size / 2,
            "{}: {size} posts, {}",
            c.kind,
            during[0]
        );
        let end = closed_at(during[0]).unwrap_or(last);
        assert!(
            end >= last,
            "{}: chatter does not close the crisis before its last post: {}",
            c.kind,
            during[0]
        );
        for i in chatter {
            assert_eq!(i["kind"], "critical_category", "{}: {i}", c.kind);
        }
    }
}

/// Two crises at once: a food-safety or legal crisis that starts while an app outage is at
/// its height is a dangerous story of its own. It gets its own incident, detected on its
/// first post as when it happens alone, instead of being swallowed by the outage's incident
/// (which used to take it without a word: the danger was first alerted hours later, when a
/// straggler found the outage over). The outage's incident stays open beside it and keeps
/// its own posts.
#[test]
fn a_dangerous_crisis_amid_another_gets_its_own_incident_on_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(21);
    let m = scenario::monday();
    let background = scenario::background(&mut rng, BRAND, m, 2);
    let outage_at = m + Duration::days(8) + Duration::hours(18) + Duration::minutes(40);
    for (second, delay) in [("food_safety", 30), ("class_action", 45)] {
        let outage = scenario::crisis(&mut rng, BRAND, "app_outage", outage_at);
        let danger = scenario::crisis(
            &mut rng,
            BRAND,
            second,
            outage_at + Duration::minutes(delay),
        );
        let all = dir.path().join(format!("{second}.jsonl"));
        scenario::write(&all, &background, &[outage.clone(), danger.clone()]);
        let incidents = backtest(&all);
        assert_eq!(incidents.len(), 2, "{second}: {incidents:#?}");
        let (first, other) = (&incidents[0], &incidents[1]);
        assert_eq!(first["kind"], "negative_volume", "{first}");
        assert_eq!(other["kind"], "critical_category", "{other}");
        assert_eq!(
            time(&other["detected_at"]),
            danger.start,
            "{second}: {other}"
        );
        let detected = time(&first["detected_at"]);
        assert!(detected <= outage.start + Duration::minutes(30), "{first}");
        for (i, c) in [(first, &outage), (other, &danger)] {
            let mentions = i["mentions"].as_i64().unwrap();
            let size = c.posts.len() as i64;
            assert!(
                mentions >= size * 2 / 3 && mentions <= size + size / 2,
                "{}: {size} posts, {i}",
                c.kind
            );
            assert_eq!(i["closed_by_new_crisis"], false, "{i}");
        }
    }
}
