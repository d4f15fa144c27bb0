//! Email delivery with lettre: one [`EmailNotifier`] per process, built once from `[mail]`.
//!
//! Messages are multipart/alternative (plain text + HTML) when an HTML body is present, with a
//! `Message-ID` derived from [`Rendered::key`] so a receiver can recognise a repeat.
//!
//! Transports:
//! - `file`: writes `{dir}/{key}.eml` atomically (temporary file in the same directory, then
//!   rename). The same key overwrites the same file, so retries are idempotent.
//! - `smtp`: lettre's pooled async SMTP client. 4xx replies, network errors and timeouts are
//!   [`NotifyError::Temporary`]; 5xx replies and bad addresses are [`NotifyError::Permanent`].
//!   The password comes from `VIGIA_SMTP_PASSWORD` and is never logged.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::AsyncSmtpTransportBuilder;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::io::AsyncWriteExt;

use super::{Delivery, Notifier, NotifyError, Rendered};
use crate::config::{MailConfig, MailTransportConfig, SmtpSecurity};

/// Environment variable holding the SMTP password.
pub const SMTP_PASSWORD_ENV: &str = "VIGIA_SMTP_PASSWORD";
/// Longest file-name stem derived from a key before it is shortened with a hash.
const MAX_STEM_LEN: usize = 160;

/// Sends [`Rendered`] messages by email.
pub struct EmailNotifier {
    from: Mailbox,
    transport: Transport,
    /// This installation's random id (from the database), part of every Message-ID.
    install_id: OnceLock<String>,
}

enum Transport {
    File {
        dir: PathBuf,
    },
    /// The pooled client starts a Tokio task when built, so it is built on first use (inside
    /// the runtime) from the builder validated at construction.
    Smtp {
        builder: Box<AsyncSmtpTransportBuilder>,
        mailer: OnceLock<AsyncSmtpTransport<Tokio1Executor>>,
        host: String,
    },
}

impl std::fmt::Debug for EmailNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let transport = match &self.transport {
            Transport::File { dir } => format!("file:{}", dir.display()),
            Transport::Smtp { host, .. } => format!("smtp:{host}"),
        };
        f.debug_struct("EmailNotifier")
            .field("from", &self.from.to_string())
            .field("transport", &transport)
            .finish()
    }
}

impl EmailNotifier {
    /// Validates the sender and the transport; a relative `dir` is resolved against `base_dir`
    /// (the config file's directory). Reads `VIGIA_SMTP_PASSWORD` when an SMTP `user` is set.
    pub fn from_config(cfg: &MailConfig, base_dir: &Path) -> Result<EmailNotifier, NotifyError> {
        let from: Mailbox = cfg.from.parse().map_err(|e| {
            NotifyError::Config(format!("mail.from: invalid mailbox {:?}: {e}", cfg.from))
        })?;
        let transport = match &cfg.transport {
            MailTransportConfig::File { dir } => file_transport(dir, base_dir)?,
            MailTransportConfig::Smtp {
                host,
                port,
                security,
                user,
                timeout_secs,
            } => {
                let password = smtp_password(user.as_deref(), |k| std::env::var(k).ok())?;
                let credentials = user
                    .clone()
                    .zip(password)
                    .map(|(u, p)| Credentials::new(u, p));
                let timeout = Duration::from_secs(*timeout_secs);
                let builder = Box::new(smtp_builder(host, *port, *security, credentials, timeout)?);
                let (mailer, host) = (OnceLock::new(), host.clone());
                Transport::Smtp {
                    builder,
                    mailer,
                    host,
                }
            }
        };
        Ok(EmailNotifier {
            from,
            transport,
            install_id: OnceLock::new(),
        })
    }

    /// Makes Message-IDs unique to this installation: two installs' first incidents must not
    /// share one, or a mail client that de-duplicates by Message-ID hides a real alert. Set
    /// once, at start-up; later calls change nothing.
    pub fn set_install_id(&self, id: &str) {
        let _ = self.install_id.set(id.to_owned());
    }

    /// Builds the MIME message for `msg` (exposed for previews and tests).
    pub fn build_message(&self, msg: &Rendered) -> Result<Message, NotifyError> {
        if msg.to.is_empty() {
            return Err(NotifyError::Permanent("message has no recipients".into()));
        }
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(msg.subject.replace(['\r', '\n'], " "))
            .message_id(Some(message_id(
                &msg.key,
                self.install_id.get().map(String::as_str),
            )));
        for to in &msg.to {
            let mailbox: Mailbox = to.parse().map_err(|e| {
                NotifyError::Permanent(format!("invalid recipient address {to:?}: {e}"))
            })?;
            builder = builder.to(mailbox);
        }
        let built = match &msg.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                msg.text.clone(),
                html.clone(),
            )),
            None => builder.singlepart(SinglePart::plain(msg.text.clone())),
        };
        built.map_err(|e| NotifyError::Permanent(format!("cannot build message: {e}")))
    }
}

#[async_trait]
impl Notifier for EmailNotifier {
    async fn send(&self, msg: &Rendered) -> Result<Delivery, NotifyError> {
        if msg.key.is_empty() {
            return Err(NotifyError::Permanent("message has no key".into()));
        }
        let message = self.build_message(msg)?;
        let detail = match &self.transport {
            Transport::File { dir } => write_eml(dir, &msg.key, &message.formatted()).await?,
            Transport::Smtp {
                builder,
                mailer,
                host,
            } => {
                let mailer = mailer.get_or_init(|| builder.as_ref().clone().build());
                let response = mailer.send(message).await.map_err(classify_smtp_error)?;
                let text: Vec<&str> = response.message().collect();
                format!("smtp {host}: {} {}", response.code(), text.join(" "))
            }
        };
        tracing::debug!(key = %msg.key, detail = %detail, "email delivered");
        Ok(Delivery { detail })
    }
}

fn file_transport(dir: &Path, base_dir: &Path) -> Result<Transport, NotifyError> {
    let dir = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        base_dir.join(dir)
    };
    if dir.exists() && !dir.is_dir() {
        let problem = format!("{} exists and is not a directory", dir.display());
        return Err(NotifyError::Config(format!(
            "mail.transport.dir: {problem}"
        )));
    }
    Ok(Transport::File { dir })
}

/// The SMTP password when a user is configured; `lookup` reads the environment.
fn smtp_password(
    user: Option<&str>,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Option<String>, NotifyError> {
    if user.is_none() {
        return Ok(None);
    }
    match lookup(SMTP_PASSWORD_ENV).filter(|p| !p.is_empty()) {
        Some(password) => Ok(Some(password)),
        None => Err(NotifyError::Config(format!(
            "mail.transport.user is set but the environment variable {SMTP_PASSWORD_ENV} is missing"
        ))),
    }
}

fn smtp_builder(
    host: &str,
    port: u16,
    security: SmtpSecurity,
    credentials: Option<Credentials>,
    timeout: Duration,
) -> Result<AsyncSmtpTransportBuilder, NotifyError> {
    let invalid = |e| NotifyError::Config(format!("mail.transport.host {host:?}: {e}"));
    if host.trim().is_empty() {
        return Err(NotifyError::Config("mail.transport.host is empty".into()));
    }
    if timeout.is_zero() {
        return Err(NotifyError::Config(
            "mail.transport.timeout_secs must be > 0".into(),
        ));
    }
    let builder = match security {
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        SmtpSecurity::Starttls => {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(invalid)?
        }
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(invalid)?,
    };
    let builder = builder.port(port).timeout(Some(timeout));
    Ok(match credentials {
        Some(credentials) => builder.credentials(credentials),
        None => builder,
    })
}

/// 5xx replies and client-side refusals cannot succeed on retry; everything else
/// (4xx replies, refused connections, timeouts, broken TLS sessions) may.
fn classify_smtp_error(e: lettre::transport::smtp::Error) -> NotifyError {
    if e.is_permanent() || e.is_client() {
        NotifyError::Permanent(format!("smtp: {e}"))
    } else {
        NotifyError::Temporary(format!("smtp: {e}"))
    }
}

/// `<{encoded key}.{install id}@vigia>`: the same message (key) of the same installation
/// always gets the same Message-ID, also when retried; another installation another one.
pub fn message_id(key: &str, install_id: Option<&str>) -> String {
    match install_id {
        Some(id) => format!("<{}.{id}@vigia>", encode_key(key)),
        None => format!("<{}@vigia>", encode_key(key)),
    }
}

/// A file-name and Message-ID safe form of `key` that never maps two keys to one name:
/// `[A-Za-z0-9_-]` are kept, every other byte becomes `%XX`; long keys are cut and suffixed
/// with a stable hash of the whole key.
pub fn encode_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.len() > MAX_STEM_LEN {
        // 161 characters: longer than any uncut name, so a cut name never equals one.
        out.truncate(MAX_STEM_LEN - 16);
        out.push_str(&format!("-{:016x}", fnv1a(key.as_bytes())));
    }
    out
}

/// FNV-1a, 64 bits: stable across builds, unlike `std`'s default hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Writes `bytes` to `{dir}/{encoded key}.eml` through a temporary file and a rename.
async fn write_eml(dir: &Path, key: &str, bytes: &[u8]) -> Result<String, NotifyError> {
    static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);
    let io_error = |what: &str, path: &Path, e: std::io::Error| {
        NotifyError::Temporary(format!("{what} {}: {e}", path.display()))
    };
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| io_error("cannot create", dir, e))?;
    let stem = encode_key(key);
    let path = dir.join(format!("{stem}.eml"));
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{stem}.{}-{n}.tmp", std::process::id()));
    let result = async {
        let mut file = tokio::fs::File::create(&tmp).await?;
        file.write_all(bytes).await?;
        file.sync_all().await?;
        tokio::fs::rename(&tmp, &path).await
    }
    .await;
    if let Err(e) = result {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(io_error("cannot write", &path, e));
    }
    Ok(path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_encode_injectively_and_safely() {
        assert_eq!(encode_key("outbox-42_a"), "outbox-42_a");
        assert_eq!(encode_key("a/b"), "a%2Fb");
        assert_ne!(encode_key("a/b"), encode_key("a%2Fb"));
        assert_eq!(encode_key("../x"), "%2E%2E%2Fx");
        assert_eq!(message_id("k 1", None), "<k%201@vigia>");
        assert_eq!(message_id("k 1", Some("ab12")), "<k%201.ab12@vigia>");
        assert_ne!(message_id("k", Some("a")), message_id("k", Some("b")));
        let long = encode_key(&"ñ".repeat(200));
        assert_eq!(long.len(), MAX_STEM_LEN + 1);
        assert_ne!(long, encode_key(&format!("{}x", "ñ".repeat(200))));
    }

    #[test]
    fn password_is_required_only_with_a_user() {
        assert!(smtp_password(None, |_| None).unwrap().is_none());
        let found = smtp_password(Some("bot"), |_| Some("s3cret".into())).unwrap();
        assert_eq!(found.as_deref(), Some("s3cret"));
        let err = smtp_password(Some("bot"), |_| None).unwrap_err();
        assert!(matches!(&err, NotifyError::Config(m) if m.contains(SMTP_PASSWORD_ENV)));
    }
}
