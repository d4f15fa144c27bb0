//! A minimal in-process SMTP server for tests: plain TCP on `127.0.0.1`, no TLS, no AUTH.
//!
//! It speaks just enough ESMTP for `lettre` (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT,
//! advertising `8BITMIME` and `SMTPUTF8`) and hands every accepted message to the test over a
//! channel. Recipients are scripted by their local part:
//!
//! - `reject…@…` gets `550 5.1.1` (a permanent failure),
//! - `busy…@…` gets `451 4.3.0` (a temporary failure),
//! - anything else is accepted.
//!
//! ```ignore
//! let (server, mut inbox) = SmtpServer::start().await;
//! let notifier = EmailNotifier::from_config(&server.mail_config(), Path::new("."))?;
//! // … send …
//! let got = inbox.next().await;
//! let parsed = got.parse();
//! assert_eq!(parsed.subject(), Some("hello"));
//! ```
//!
//! Dropping the [`SmtpServer`] (or calling [`SmtpServer::stop`]) closes the listener and every
//! open session, so "SMTP is down" is `server.stop().await` and "back up" is
//! [`SmtpServer::start_on`] with the same port.

use std::time::Duration;

use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};
use vigia::config::{MailConfig, MailTransportConfig, SmtpSecurity};

/// How long [`Inbox::next`] waits for a message before failing the test.
pub const RECEIVE_TIMEOUT: Duration = Duration::from_secs(10);

/// One message accepted by the server: the SMTP envelope and the raw DATA.
#[derive(Debug, Default, Clone)]
pub struct Received {
    /// The `MAIL FROM` address, without angle brackets.
    pub mail_from: String,
    /// The accepted `RCPT TO` addresses, in order, without angle brackets.
    pub rcpt_to: Vec<String>,
    /// The message as sent after `DATA` (CRLF line ends, dot-stuffing undone).
    pub data: String,
}

impl Received {
    /// The message parsed by `mail-parser` (headers decoded, MIME parts split and decoded).
    pub fn parse(&self) -> Message<'_> {
        MessageParser::default()
            .parse(self.data.as_bytes())
            .expect("the received DATA parses as a message")
    }

    /// The message's top-level MIME type, like `multipart/alternative` (no parameters).
    pub fn mime_type(&self) -> String {
        let message = self.parse();
        let kind = message.content_type().expect("a Content-Type header");
        format!("{}/{}", kind.ctype(), kind.subtype().unwrap_or(""))
    }

    /// The decoded body of the first `text/<subtype>` part, which must declare
    /// `charset=utf-8`; line ends come back as `\n`.
    pub fn utf8_text(&self, subtype: &str) -> String {
        let message = self.parse();
        let is_wanted = |p: &&MessagePart| {
            p.content_type()
                .is_some_and(|t| t.ctype() == "text" && t.subtype() == Some(subtype))
        };
        let part = message.parts.iter().find(is_wanted);
        let part = part.unwrap_or_else(|| panic!("no text/{subtype} part in {}", self.data));
        let charset = part.content_type().and_then(|t| t.attribute("charset"));
        assert!(
            charset.is_some_and(|c| c.eq_ignore_ascii_case("utf-8")),
            "text/{subtype} has charset {charset:?}"
        );
        let body = part.text_contents().expect("a text body");
        body.replace("\r\n", "\n")
    }
}

/// The receiving end: every message the server accepted, in arrival order.
pub struct Inbox(mpsc::UnboundedReceiver<Received>);

impl Inbox {
    /// The next message, failing the test after [`RECEIVE_TIMEOUT`].
    pub async fn next(&mut self) -> Received {
        tokio::time::timeout(RECEIVE_TIMEOUT, self.0.recv())
            .await
            .expect("a message arrives in time")
            .expect("the SMTP server is running")
    }

    /// A message that has already arrived, if any (does not wait).
    pub fn try_next(&mut self) -> Option<Received> {
        self.0.try_recv().ok()
    }
}

/// A running server; it stops when dropped.
pub struct SmtpServer {
    /// The local port it listens on.
    pub port: u16,
    accept: JoinHandle<()>,
}

impl SmtpServer {
    /// Starts a server on a random free local port.
    pub async fn start() -> (SmtpServer, Inbox) {
        Self::start_on(0).await
    }

    /// Starts a server on `port` (0 picks a free one), e.g. to bring a stopped one back up.
    pub async fn start_on(port: u16) -> (SmtpServer, Inbox) {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the test SMTP server");
        let port = listener.local_addr().expect("local address").port();
        let (tx, rx) = mpsc::unbounded_channel();
        let accept = tokio::spawn(accept_loop(listener, tx));
        (SmtpServer { port, accept }, Inbox(rx))
    }

    /// A mail config that sends to this server; see [`mail_config`].
    pub fn mail_config(&self) -> MailConfig {
        mail_config(self.port)
    }

    /// Closes the listener and all open sessions; once this returns, connections are refused.
    pub async fn stop(mut self) {
        self.accept.abort();
        let _ = (&mut self.accept).await;
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Plain SMTP (no TLS, no AUTH, 5 s timeout) to `127.0.0.1:port`, from
/// `Vigía <alertas@vigia.example>`.
pub fn mail_config(port: u16) -> MailConfig {
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

/// A local port with nothing listening on it (bound, then released).
pub async fn unused_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    listener.local_addr().expect("local address").port()
}

/// Accepts connections until aborted; sessions live in a `JoinSet` so aborting this task
/// (dropping the set) ends them too.
async fn accept_loop(listener: TcpListener, tx: mpsc::UnboundedSender<Received>) {
    let mut sessions = JoinSet::new();
    while let Ok((stream, _)) = listener.accept().await {
        while sessions.try_join_next().is_some() {}
        sessions.spawn(run_session(stream, tx.clone()));
    }
}

async fn run_session(stream: TcpStream, tx: mpsc::UnboundedSender<Received>) {
    let (read, mut write) = stream.into_split();
    // A client hanging up mid-dialogue is not the server's problem.
    let _ = session(BufReader::new(read), &mut write, tx).await;
}

/// One SMTP dialogue, from the greeting to `QUIT` or the client closing the connection.
async fn session(
    mut read: impl AsyncBufRead + Unpin,
    write: &mut (impl AsyncWrite + Unpin),
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
            "HELO" | "NOOP" => "250 OK",
            "RSET" => {
                envelope = Received::default();
                "250 OK"
            }
            "MAIL" => {
                envelope = Received {
                    mail_from: angle_addr(&line),
                    ..Received::default()
                };
                "250 OK"
            }
            "RCPT" => rcpt_reply(&mut envelope, angle_addr(&line)),
            "DATA" => accept_data(&mut read, write, &mut envelope, &tx).await?,
            "QUIT" => {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => "502 Command not implemented",
        };
        write.write_all(format!("{reply}\r\n").as_bytes()).await?;
    }
}

/// Reads the message after `DATA` and delivers it with its envelope to the inbox.
async fn accept_data(
    read: &mut (impl AsyncBufRead + Unpin),
    write: &mut (impl AsyncWrite + Unpin),
    envelope: &mut Received,
    tx: &mpsc::UnboundedSender<Received>,
) -> std::io::Result<&'static str> {
    write
        .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        .await?;
    envelope.data = read_data(read).await?;
    // The test may have dropped its inbox; the client still gets its 250.
    let _ = tx.send(std::mem::take(envelope));
    Ok("250 OK queued")
}

/// The scripted answer to `RCPT TO:<addr>`; accepted addresses join the envelope.
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

/// The address between `<` and `>` in a `MAIL FROM:`/`RCPT TO:` line (ignoring parameters).
fn angle_addr(line: &str) -> String {
    let start = line.find('<').map_or(0, |i| i + 1);
    let end = line[start..].find('>').map_or(line.len(), |i| start + i);
    line[start..end].to_owned()
}

/// Reads the DATA section up to the lone `.` line, undoing dot-stuffing.
async fn read_data(read: &mut (impl AsyncBufRead + Unpin)) -> std::io::Result<String> {
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
