//! Email alerts end to end: templates from `alerts/templates/` rendered and sent through a real
//! SMTP dialogue to the test SMTP server (`tests/common/smtp.rs`) started by each test, with
//! what arrived decoded by `mail-parser`; plus the file transport and the error mapping.

mod common;

use std::path::Path;

use chrono::{TimeZone, Utc};
use common::smtp::{self, SmtpServer};
use vigia::config::{MailConfig, MailTransportConfig};
use vigia::domain::{Lang, Severity, Trigger};
use vigia::notify::email::EmailNotifier;
use vigia::notify::templates::Templates;
use vigia::notify::{AlertMention, IncidentAlert, Notifier, NotifyError, Rendered};

const HOSTILE: &str = "<img src=x onerror=alert(1)> y <script>alert(1)</script> ñ 😡";

fn templates() -> Templates {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("alerts/templates");
    Templates::load(&dir).expect("shipped templates load")
}

fn alert(brand: &str, trigger: Trigger) -> IncidentAlert {
    let at = Utc.with_ymd_and_hms(2025, 3, 4, 10, 15, 0).unwrap();
    let mention = AlertMention {
        source: "mastodon".into(),
        author: "@lucía".into(),
        text: HOSTILE.into(),
        url: Some("https://social.example/@lucia/1".into()),
        created_at: at,
        sentiment: -0.8,
        categories: vec!["safety".into()],
    };
    let sneaky = AlertMention {
        url: Some("javascript:alert(1)".into()),
        ..mention.clone()
    };
    IncidentAlert {
        brand: brand.into(),
        incident_id: 7,
        severity: match trigger {
            Trigger::CriticalCategory { .. } => Severity::Critical,
            _ => Severity::Warning,
        },
        trigger,
        news: "opened".into(),
        opened_at: at,
        link: Some("https://vigia.example/incidents/7".into()),
        mentions: vec![mention, sneaky],
        superseded_by: None,
        beside: Vec::new(),
    }
}

fn volume() -> Trigger {
    Trigger::NegativeVolume {
        count: 12,
        window_minutes: 60,
        expected: 2.5,
        p_value: 1e-5,
        category: None,
    }
}

fn safety() -> Trigger {
    Trigger::CriticalCategory {
        category: "safety".into(),
    }
}

fn render(lang: Lang, brand: &str, trigger: Trigger) -> Rendered {
    let to = vec!["crisis@example.com".to_owned()];
    templates()
        .render_incident_opened(lang, "incident-7", &to, &alert(brand, trigger))
        .expect("renders")
}

#[test]
fn subjects_are_localized_and_say_what_fired() {
    let es = render(Lang::Es, "Rapiplato", safety());
    assert_eq!(
        es.subject,
        "[Vigía] Posible crisis (crítico) en Rapiplato: categoría crítica «seguridad»"
    );
    let en = render(Lang::En, "Rapiplato", volume());
    assert_eq!(
        en.subject,
        "[Vigía] Possible crisis (warning) at Rapiplato: 12 negative mentions in 60 min"
    );
    let other = render(Lang::Other, "Rapiplato", volume());
    assert_eq!(other.subject, en.subject);
    let es = render(Lang::Es, "Rapiplato", volume());
    assert!(
        es.subject.ends_with("12 menciones negativas en 60 min"),
        "{}",
        es.subject
    );
}

#[test]
fn bodies_explain_the_trigger_and_quote_mentions() {
    let es = render(Lang::Es, "Rapiplato", volume());
    assert!(
        es.text
            .contains("Se han detectado 12 menciones negativas sobre Rapiplato en 60 minutos")
    );
    assert!(es.text.contains("Abierto: 2025-03-04 10:15 UTC"));
    assert!(es.text.contains("https://vigia.example/incidents/7"));
    assert!(es.text.contains("@lucía en mastodon, 2025-03-04 10:15 UTC"));
    assert!(
        es.text.contains(HOSTILE),
        "plain text keeps the text as written"
    );
    assert!(es.text.contains("https://social.example/@lucia/1"));
    assert!(!es.text.contains("javascript:"));
    let en = render(Lang::En, "Rapiplato", safety());
    assert!(en.text.contains("falls in the critical category “safety”"));
    assert!(en.html.unwrap().contains("<html lang=\"en\">"));
}

#[test]
fn html_escapes_hostile_text_everywhere() {
    let brand = "<b>Evil</b> & \"Co\"";
    let mut a = alert(
        brand,
        Trigger::CriticalCategory {
            category: "<script>x</script>".into(),
        },
    );
    a.mentions[0].author = "<script>alert('a')</script>".into();
    let html = templates()
        .render_incident_opened(Lang::Es, "k", &[], &a)
        .unwrap()
        .html
        .unwrap();
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<b>Evil"), "{html}");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(html.contains("ñ 😡"));
    assert!(
        !html.contains("javascript:"),
        "only http(s) links are rendered"
    );
}

#[test]
fn subject_is_one_capped_line() {
    let brand = format!("Rapi\nplato\r\n{}", "x".repeat(300));
    let r = render(Lang::En, &brand, volume());
    assert!(!r.subject.contains(['\n', '\r']), "{:?}", r.subject);
    assert!(
        r.subject
            .starts_with("[Vigía] Possible crisis (warning) at Rapi plato xxx")
    );
    assert_eq!(
        r.subject.chars().count(),
        vigia::notify::templates::SUBJECT_MAX_CHARS
    );
    assert!(r.subject.ends_with('…'));
}

#[test]
fn broken_or_missing_templates_fail_loading_with_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("alerts/templates");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    Templates::load(dir.path()).expect("a copy of the shipped templates loads");

    let broken = dir.path().join("incident_opened.en.txt");
    std::fs::write(&broken, "line one\n{% if brand %}\nno endif\n").unwrap();
    let err = Templates::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("incident_opened.en.txt"), "{err}");
    assert!(
        err.contains("syntax error") && err.contains("incident_opened.en.txt:3)"),
        "{err}"
    );

    std::fs::write(&broken, "{{ brand.no_such_field }}").unwrap();
    let err = Templates::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("incident_opened.en.txt") && err.contains("undefined"),
        "{err}"
    );

    std::fs::remove_file(&broken).unwrap();
    let err = Templates::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("incident_opened.en.txt") && err.contains("missing"),
        "{err}"
    );
}

// ---- SMTP -----------------------------------------------------------------------------

#[tokio::test]
async fn smtp_delivers_utf8_multipart_with_escaped_html() {
    let (server, mut inbox) = SmtpServer::start().await;
    let notifier = EmailNotifier::from_config(&server.mail_config(), Path::new(".")).unwrap();
    let to = vec![
        "crisis@example.com".to_owned(),
        "Ana Núñez <ana@example.org>".to_owned(),
    ];
    let msg = templates()
        .render_incident_opened(Lang::Es, "outbox-7", &to, &alert("Cañas 🍺", safety()))
        .unwrap();
    let delivery = notifier.send(&msg).await.expect("delivered");
    assert!(delivery.detail.contains("250"), "{}", delivery.detail);

    let got = inbox.next().await;
    assert_eq!(got.mail_from, "alertas@vigia.example");
    assert_eq!(got.rcpt_to, ["crisis@example.com", "ana@example.org"]);
    let parsed = got.parse();
    assert_eq!(parsed.subject(), Some(msg.subject.as_str()));
    assert!(msg.subject.contains("Cañas 🍺"));
    assert_eq!(parsed.message_id(), Some("outbox-7@vigia"));
    let to = parsed.to().expect("a To header");
    let to: Vec<_> = to.iter().filter_map(|a| a.address()).collect();
    assert_eq!(to, ["crisis@example.com", "ana@example.org"]);
    assert_eq!(got.mime_type(), "multipart/alternative");
    let text = got.utf8_text("plain");
    let html = got.utf8_text("html");
    assert_eq!(text.trim_end(), msg.text.trim_end());
    assert!(text.contains(HOSTILE));
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    assert!(!html.contains("<img") && !html.contains("<script"));
    assert!(html.contains("Cañas 🍺"));
}

#[tokio::test]
async fn smtp_rejections_map_to_permanent_and_temporary() {
    let (server, _inbox) = SmtpServer::start().await;
    let notifier = EmailNotifier::from_config(&server.mail_config(), Path::new(".")).unwrap();
    let mut msg = render(Lang::En, "Rapiplato", volume());
    msg.to = vec!["reject@example.com".into()];
    let err = notifier.send(&msg).await.unwrap_err();
    assert!(matches!(err, NotifyError::Permanent(_)), "{err:?}");
    msg.to = vec!["busy@example.com".into()];
    let err = notifier.send(&msg).await.unwrap_err();
    assert!(matches!(err, NotifyError::Temporary(_)), "{err:?}");
    msg.to = vec!["not an address".into()];
    let err = notifier.send(&msg).await.unwrap_err();
    assert!(matches!(err, NotifyError::Permanent(_)), "{err:?}");
}

#[tokio::test]
async fn smtp_to_a_closed_port_is_temporary() {
    let port = smtp::unused_port().await;
    let notifier = EmailNotifier::from_config(&smtp::mail_config(port), Path::new(".")).unwrap();
    let err = notifier
        .send(&render(Lang::En, "Rapiplato", volume()))
        .await
        .unwrap_err();
    assert!(matches!(err, NotifyError::Temporary(_)), "{err:?}");
}

#[test]
fn config_errors_are_caught_at_construction() {
    let mut cfg = smtp::mail_config(25);
    cfg.from = "not a mailbox".into();
    let err = EmailNotifier::from_config(&cfg, Path::new(".")).unwrap_err();
    assert!(
        matches!(&err, NotifyError::Config(m) if m.contains("mail.from")),
        "{err:?}"
    );
}

// ---- file transport -------------------------------------------------------------------

#[tokio::test]
async fn file_transport_writes_one_eml_per_key() {
    let base = tempfile::tempdir().unwrap();
    let cfg = MailConfig {
        from: "alertas@vigia.example".into(),
        transport: MailTransportConfig::File {
            dir: "var/outbox".into(),
        },
    };
    let notifier = EmailNotifier::from_config(&cfg, base.path()).unwrap();
    let mut msg = render(Lang::Es, "Cañas 🍺", volume());
    let first = notifier.send(&msg).await.unwrap();
    let again = notifier.send(&msg).await.unwrap();
    assert_eq!(first, again, "a retry overwrites the same file");
    msg.key = "incident-8".into();
    notifier.send(&msg).await.unwrap();

    let dir = base.path().join("var/outbox");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["incident-7.eml", "incident-8.eml"]);
    assert_eq!(
        first.detail,
        dir.join("incident-7.eml").display().to_string()
    );
    let eml = std::fs::read_to_string(dir.join("incident-7.eml")).unwrap();
    assert!(eml.contains("Message-ID: <incident-7@vigia>"));
    assert!(eml.contains("multipart/alternative"));
}
