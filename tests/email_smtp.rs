//! Email alerts end to end: templates from `alerts/templates/` rendered and sent through a real
//! SMTP dialogue to a small SMTP server started by each test (no extra dependency), plus the
//! file transport and the error mapping.

use std::path::Path;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::net::tcp::OwnedReadHalf;
use tokio::sync::mpsc;
use vigia::config::{MailConfig, MailTransportConfig, SmtpSecurity};
use vigia::domain::{Lang, Trigger};
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
        trigger,
        opened_at: at,
        link: Some("https://vigia.example/incidents/7".into()),
        mentions: vec![mention, sneaky],
    }
}

fn volume() -> Trigger {
    Trigger::NegativeVolume {
        count: 12,
        window_minutes: 60,
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
        "[Vigía] Posible crisis en Rapiplato: categoría crítica «seguridad»"
    );
    let en = render(Lang::En, "Rapiplato", volume());
    assert_eq!(
        en.subject,
        "[Vigía] Possible crisis at Rapiplato: 12 negative mentions in 60 min"
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
            .starts_with("[Vigía] Possible crisis at Rapi plato xxx")
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

fn smtp_config(port: u16) -> MailConfig {
    MailConfig {
        from: "Vigía <alertas@vigia.example>".into(),
        transport: MailTransportConfig::Smtp {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            user: None,
            timeout_secs: 5,
        },
    }
}

#[tokio::test]
async fn smtp_delivers_utf8_multipart_with_escaped_html() {
    let (port, mut inbox) = start_smtp_server().await;
    let notifier = EmailNotifier::from_config(&smtp_config(port), Path::new(".")).unwrap();
    let to = vec![
        "crisis@example.com".to_owned(),
        "Ana Núñez <ana@example.org>".to_owned(),
    ];
    let msg = templates()
        .render_incident_opened(Lang::Es, "outbox-7", &to, &alert("Cañas 🍺", safety()))
        .unwrap();
    let delivery = notifier.send(&msg).await.expect("delivered");
    assert!(delivery.detail.contains("250"), "{}", delivery.detail);

    let got = tokio::time::timeout(Duration::from_secs(10), inbox.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.mail_from, "alertas@vigia.example");
    assert_eq!(got.rcpt_to, ["crisis@example.com", "ana@example.org"]);
    let headers = header_block(&got.data);
    assert_eq!(decode_words(&header(&headers, "Subject")), msg.subject);
    assert!(msg.subject.contains("Cañas 🍺"));
    assert_eq!(header(&headers, "Message-ID"), "<outbox-7@vigia>");
    let parts = mime_parts(&got.data);
    let text = part(&parts, "text/plain");
    let html = part(&parts, "text/html");
    assert_eq!(text, msg.text.trim_end());
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
    let (port, _inbox) = start_smtp_server().await;
    let notifier = EmailNotifier::from_config(&smtp_config(port), Path::new(".")).unwrap();
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
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let notifier = EmailNotifier::from_config(&smtp_config(port), Path::new(".")).unwrap();
    let err = notifier
        .send(&render(Lang::En, "Rapiplato", volume()))
        .await
        .unwrap_err();
    assert!(matches!(err, NotifyError::Temporary(_)), "{err:?}");
}

#[test]
fn config_errors_are_caught_at_construction() {
    let mut cfg = smtp_config(25);
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

// ---- a minimal SMTP server (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) -------------------

#[derive(Debug, Default)]
struct Received {
    mail_from: String,
    rcpt_to: Vec<String>,
    data: String,
}

/// Listens on a random local port; every accepted message arrives on the channel.
/// Recipients starting with `reject` get a 550 reply, with `busy` a 451.
async fn start_smtp_server() -> (u16, mpsc::UnboundedReceiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let _ = smtp_session(BufReader::new(read), &mut write, tx).await;
            });
        }
    });
    (port, rx)
}

async fn smtp_session(
    mut read: BufReader<OwnedReadHalf>,
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    tx: mpsc::UnboundedSender<Received>,
) -> std::io::Result<()> {
    write.write_all(b"220 test.local ESMTP\r\n").await?;
    let mut envelope = Received::default();
    let mut line = String::new();
    loop {
        line.clear();
        if read.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let reply = match verb.as_str() {
            "EHLO" => "250-test.local\r\n250-8BITMIME\r\n250 SMTPUTF8",
            "HELO" | "RSET" | "NOOP" => "250 OK",
            "MAIL" => {
                envelope = Received {
                    mail_from: angle_addr(&line),
                    ..Received::default()
                };
                "250 OK"
            }
            "RCPT" => rcpt_reply(&mut envelope, angle_addr(&line)),
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                envelope.data = read_data(&mut read).await?;
                let _ = tx.send(std::mem::take(&mut envelope));
                "250 OK queued"
            }
            "QUIT" => {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => "502 Command not implemented",
        };
        write.write_all(format!("{reply}\r\n").as_bytes()).await?;
    }
}

fn rcpt_reply(envelope: &mut Received, addr: String) -> &'static str {
    if addr.starts_with("reject") {
        "550 5.1.1 No such user"
    } else if addr.starts_with("busy") {
        "451 4.3.0 Try again later"
    } else {
        envelope.rcpt_to.push(addr);
        "250 OK"
    }
}

fn angle_addr(line: &str) -> String {
    let start = line.find('<').map_or(0, |i| i + 1);
    let end = line[start..].find('>').map_or(line.len(), |i| start + i);
    line[start..end].to_owned()
}

/// Reads the DATA section up to the lone `.` line, undoing dot-stuffing.
async fn read_data(read: &mut BufReader<OwnedReadHalf>) -> std::io::Result<String> {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if read.read_line(&mut line).await? == 0 || line == ".\r\n" {
            return Ok(data);
        }
        data.push_str(line.strip_prefix('.').unwrap_or(&line));
    }
}

// ---- just enough MIME to check what arrived -------------------------------------------

/// The header block with folded lines unfolded.
fn header_block(message: &str) -> String {
    let head = message.split("\r\n\r\n").next().unwrap_or("");
    head.replace("\r\n ", " ").replace("\r\n\t", " ")
}

fn header(headers: &str, name: &str) -> String {
    let prefix = format!("{}:", name.to_ascii_lowercase());
    headers
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
        .map(|l| l[prefix.len()..].trim().to_owned())
        .unwrap_or_else(|| panic!("no {name} header in {headers}"))
}

/// Decodes RFC 2047 `=?utf-8?b?...?=` words (whitespace between words is dropped).
fn decode_words(value: &str) -> String {
    let mut bytes = Vec::new();
    let mut previous_encoded = None;
    for token in value.split_whitespace() {
        let lower = token.to_ascii_lowercase();
        let encoded = lower.starts_with("=?utf-8?b?") && lower.ends_with("?=");
        if previous_encoded.is_some_and(|p| !(p && encoded)) {
            bytes.push(b' ');
        }
        match encoded {
            true => bytes.extend(base64(&token[10..token.len() - 2])),
            false => bytes.extend(token.as_bytes()),
        }
        previous_encoded = Some(encoded);
    }
    String::from_utf8(bytes).expect("utf-8 subject")
}

/// `(content type, decoded body)` of each part of a multipart message.
fn mime_parts(message: &str) -> Vec<(String, String)> {
    let headers = header_block(message);
    let content_type = header(&headers, "Content-Type");
    assert!(
        content_type.starts_with("multipart/alternative"),
        "{content_type}"
    );
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .unwrap()
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for raw in message.split(delimiter.as_str()).skip(1) {
        let Some((head, body)) = raw.split_once("\r\n\r\n") else {
            continue;
        };
        if head.starts_with("--") {
            break; // the closing delimiter
        }
        let head = header_block(head.trim_start());
        let kind = header(&head, "Content-Type");
        let body = match header(&head, "Content-Transfer-Encoding").as_str() {
            "base64" => String::from_utf8(base64(body)).unwrap(),
            "quoted-printable" => quoted_printable(body),
            _ => body.to_owned(),
        };
        parts.push((kind, body.trim_end_matches("\r\n").replace("\r\n", "\n")));
    }
    parts
}

fn part<'a>(parts: &'a [(String, String)], kind: &str) -> &'a str {
    let found = parts.iter().find(|(k, _)| k.starts_with(kind));
    assert!(
        found.is_some_and(|(k, _)| k.contains("charset=utf-8")),
        "{parts:?}"
    );
    &found.unwrap().1
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sextets: Vec<u32> = text
        .bytes()
        .filter_map(|b| ALPHABET.iter().position(|&a| a == b).map(|p| p as u32))
        .collect();
    let mut out = Vec::new();
    for chunk in sextets.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0, |n, (i, s)| n | s << (18 - 6 * i));
        out.extend(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("utf-8 body")
}
