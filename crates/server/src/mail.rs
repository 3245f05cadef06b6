//! E-mail delivery over SMTP: the outbox's queued messages (rendered by their cause, in
//! the recipient's language) are claimed, sent with lettre and marked delivered, in every
//! partnerd process on a database, as push notifications are (see `billing`).
//!
//! A temporary failure (a 4xx answer, no server listening, a timeout) is retried with
//! exponential backoff for as long as it takes; a permanent refusal (a 5xx answer) or a
//! message that cannot be built is given up at once, as RFC 5321 asks of a client that
//! met a 5xx: it is recorded (`failedAt`, `lastError`) and shown by the control API.
//! Without an SMTP server configured nothing is claimed: mail stays queued and readable.

use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use partnerd_domain::Clock;
use partnerd_store::mailbox::MailRetry;
use partnerd_store::{Lease, OutboxItem, StoreError};

use crate::state::AppState;

/// How long a process holds the messages it claimed, in real time: longer than a batch
/// can take (two rounds of sends, each cut off after `SEND_TIMEOUT`), so a live process
/// never loses a claim, and short enough that a killed one's claims come back soon.
const DELIVERY_LEASE_MS: i64 = 30_000;
/// Messages claimed at once.
pub const DELIVERY_BATCH: usize = 8;
/// Messages in flight at once, each on a connection of the pool.
const DELIVERY_CONCURRENCY: usize = 4;
/// The longest one message may take, connection included; also lettre's per-command
/// timeout. A server that says nothing is a temporary failure.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the outbox is looked at when the last look found little.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Why the SMTP configuration cannot be used; the server does not start with it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(String);

/// The SMTP server mail goes to, and how it is signed.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The right part of every `Message-ID` (the sender's domain).
    id_domain: String,
    /// The SMTP URL without its credentials, for logs.
    server: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the transport: it holds the credentials.
        f.debug_struct("Mailer")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// A mailer for `smtp_url` (`smtp://host:port` in plain text, `smtp://…?tls=required`
    /// for STARTTLS, `smtps://` for TLS from the first byte; `user:password@` to sign
    /// in), sending as `from` (`Name <address>` or an address), by default
    /// `partnerd <no-reply@HOST>` with the host of `public_url`.
    pub fn new(smtp_url: &str, from: Option<&str>, public_url: &str) -> Result<Self, ConfigError> {
        let server = redacted(smtp_url)?;
        let from = match from.map(str::trim).filter(|f| !f.is_empty()) {
            Some(f) => f
                .parse::<Mailbox>()
                .map_err(|e| ConfigError(format!("--mail-from '{f}' is not an address: {e}")))?,
            None => default_from(public_url)?,
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| ConfigError(format!("--smtp-url {server}: {e}")))?
            .timeout(Some(SEND_TIMEOUT))
            .pool_config(PoolConfig::new().max_size(DELIVERY_CONCURRENCY as u32))
            .build();
        Ok(Mailer {
            transport,
            id_domain: from.email.domain().to_string(),
            from,
            server,
        })
    }

    /// The SMTP URL without credentials.
    pub fn server(&self) -> &str {
        &self.server
    }

    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    async fn send(&self, message: Message) -> Result<(), Failure> {
        match tokio::time::timeout(SEND_TIMEOUT, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) if e.is_permanent() => Err(Failure::Permanent(e.to_string())),
            Ok(Err(e)) => Err(Failure::Temporary(e.to_string())),
            Err(_) => Err(Failure::Temporary(format!(
                "no answer from {} within {} s",
                self.server,
                SEND_TIMEOUT.as_secs()
            ))),
        }
    }
}

/// `url` without a password or user name, as logs may show it.
fn redacted(url: &str) -> Result<String, ConfigError> {
    let mut parsed = reqwest::Url::parse(url)
        .map_err(|e| ConfigError(format!("--smtp-url is not a URL: {e}")))?;
    // Both fail only for URLs without a host, which lettre refuses anyway.
    let _ = parsed.set_password(None);
    let _ = parsed.set_username("");
    Ok(parsed.to_string())
}

/// `partnerd <no-reply@HOST>`, HOST from the public URL; `localhost` when that host is no
/// mail domain (an IPv6 literal, say).
fn default_from(public_url: &str) -> Result<Mailbox, ConfigError> {
    let host = reqwest::Url::parse(public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let named = |host: &str| format!("partnerd <no-reply@{host}>").parse::<Mailbox>();
    named(&host)
        .or_else(|_| named("localhost"))
        .map_err(|e| ConfigError(format!("no default sender address: {e}")))
}

/// Why an attempt failed, and whether another could succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Failure {
    Temporary(String),
    Permanent(String),
}

/// `Content-Language`, which lettre has no type for (RFC 3282).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ContentLanguage(String);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.trim().to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// Whether `tag` looks like a language tag (letters, digits, hyphens): anything else
/// would not belong in a header.
fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The message for an outbox item: its rendered payload (`subject`, `text`, `html`,
/// `language`) as multipart/alternative, to the recipient the outbox row names, with a
/// `Message-ID` made of the outbox message id. `Err` says why it can never be sent.
fn build(
    from: &Mailbox,
    id_domain: &str,
    item: &OutboxItem,
    date: SystemTime,
) -> Result<Message, String> {
    let payload: serde_json::Value = serde_json::from_str(&item.payload)
        .map_err(|e| format!("the queued message is not JSON: {e}"))?;
    let field = |name: &str| {
        payload[name]
            .as_str()
            .ok_or_else(|| format!("the queued message has no {name}"))
    };
    let to = item
        .url
        .parse::<Mailbox>()
        .map_err(|e| format!("the recipient '{}' is not an address: {e}", item.url))?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(field("subject")?)
        .date(date)
        .message_id(Some(format!("<{}@{id_domain}>", item.message_id)));
    if let Some(tag) = payload["language"].as_str().filter(|t| is_language_tag(t)) {
        builder = builder.header(ContentLanguage(tag.to_string()));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            field("text")?.to_string(),
            field("html")?.to_string(),
        ))
        .map_err(|e| format!("the message cannot be built: {e}"))
}

/// Seconds until the next attempt after `attempts` earlier ones failed: 1, 2, 4 … 512,
/// then 512 again and again, as pushes wait.
fn backoff_s(attempts: i64) -> i64 {
    1i64 << attempts.clamp(0, 9)
}

fn system_time(millis: i64) -> SystemTime {
    let since_epoch = Duration::from_millis(u64::try_from(millis).unwrap_or(0));
    SystemTime::UNIX_EPOCH + since_epoch
}

/// Delivers due mail once; returns how many messages were claimed.
pub async fn deliver_mail(state: &AppState, mailer: &Mailer) -> Result<usize, StoreError> {
    let real_now = state.clock.real_now();
    // A process killed mid-delivery leaves its claims to be retried once the lease ends.
    let lease = Lease {
        now: real_now,
        until: real_now + DELIVERY_LEASE_MS,
    };
    let items = state
        .store
        .claim_mail(state.clock.now(), lease, DELIVERY_BATCH as u32)
        .await?;
    let count = items.len();
    let results: Vec<Result<(), StoreError>> = futures_util::stream::iter(items)
        .map(|item| deliver(state, mailer, item))
        .buffer_unordered(DELIVERY_CONCURRENCY)
        .collect()
        .await;
    results.into_iter().collect::<Result<(), StoreError>>()?;
    Ok(count)
}

async fn deliver(state: &AppState, mailer: &Mailer, item: OutboxItem) -> Result<(), StoreError> {
    // The Date header is platform time, like every date the message itself mentions.
    let date = system_time(state.clock.now());
    let outcome = match build(&mailer.from, &mailer.id_domain, &item, date) {
        Ok(message) => mailer.send(message).await,
        Err(why) => Err(Failure::Permanent(why)),
    };
    let now = state.clock.now();
    match outcome {
        Ok(()) => {
            tracing::info!(id = item.id, message_id = %item.message_id, "e-mail delivered");
            state.store.finish_delivery(item.id, Ok(now)).await
        }
        Err(Failure::Temporary(why)) => {
            let wait = backoff_s(item.attempts);
            tracing::warn!(
                id = item.id,
                message_id = %item.message_id,
                error = %why,
                retry_in_s = wait,
                "e-mail not delivered; retrying"
            );
            let retry = MailRetry::At(now + wait * 1000);
            state.store.mail_failed(item.id, &why, retry).await
        }
        Err(Failure::Permanent(why)) => {
            tracing::warn!(
                id = item.id,
                message_id = %item.message_id,
                error = %why,
                "e-mail refused permanently; given up"
            );
            let retry = MailRetry::GiveUp(now);
            state.store.mail_failed(item.id, &why, retry).await
        }
    }
}

/// Starts delivering mail in the background when an SMTP server is configured; without
/// one, mail is never claimed and stays readable through the control API.
pub fn spawn_delivery(state: &AppState) {
    let Some(mailer) = state.mailer.clone() else {
        return;
    };
    let state = state.clone();
    tokio::spawn(async move {
        tracing::info!(server = mailer.server(), from = %mailer.from(), "delivering e-mail");
        let mut tick = tokio::time::interval(POLL_INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            // A full batch means more are waiting: go on without waiting for the tick.
            loop {
                match deliver_mail(&state, &mailer).await {
                    Ok(claimed) if claimed == DELIVERY_BATCH => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "delivering e-mail");
                        break;
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(payload: serde_json::Value) -> OutboxItem {
        OutboxItem {
            id: 7,
            reseller_id: "C0account".into(),
            url: "hanako@example.jp".into(),
            message_id: "0123abcd".into(),
            payload: payload.to_string(),
            attempts: 0,
        }
    }

    fn japanese() -> serde_json::Value {
        serde_json::json!({
            "to": "hanako@example.jp",
            "language": "ja",
            "subject": "パスワードが変更されました",
            "text": "花子 様\n\nパスワードが変更されました。\n",
            "html": "<!doctype html>\n<html lang=\"ja\"><body><p>花子 様</p></body></html>\n",
        })
    }

    fn formatted(payload: serde_json::Value) -> String {
        let from = default_from("http://partnerd.example:8080").expect("from");
        let message =
            build(&from, "partnerd.example", &item(payload), system_time(0)).expect("a message");
        String::from_utf8(message.formatted()).expect("ASCII on the wire")
    }

    /// Undoes RFC 2047 encoded words (`=?utf-8?b?…?=`) of a header, as a mail reader does.
    fn decode_words(value: &str) -> String {
        use base64::Engine;
        value
            .split_whitespace()
            .map(|word| {
                let inner = word
                    .strip_prefix("=?utf-8?b?")
                    .and_then(|w| w.strip_suffix("?="));
                match inner {
                    Some(b64) => {
                        let bytes = base64::engine::general_purpose::STANDARD
                            .decode(b64)
                            .expect("base64");
                        String::from_utf8(bytes).expect("UTF-8")
                    }
                    None => word.to_string(),
                }
            })
            .collect()
    }

    /// A header's value with its continuation lines joined.
    fn header(wire: &str, name: &str) -> String {
        let head = wire.split("\r\n\r\n").next().unwrap_or_default();
        let mut value = None::<String>;
        for line in head.split("\r\n") {
            match &mut value {
                Some(v) if line.starts_with([' ', '\t']) => {
                    v.push(' ');
                    v.push_str(line.trim());
                }
                Some(_) => break,
                None => {
                    if let Some(rest) = line.strip_prefix(&format!("{name}: ")) {
                        value = Some(rest.to_string());
                    }
                }
            }
        }
        value.unwrap_or_else(|| panic!("no {name} header in\n{wire}"))
    }

    #[test]
    fn a_message_is_multipart_alternative_with_its_headers() {
        let wire = formatted(japanese());
        assert_eq!(
            header(&wire, "From"),
            "partnerd <no-reply@partnerd.example>"
        );
        assert_eq!(header(&wire, "To"), "hanako@example.jp");
        assert_eq!(header(&wire, "Message-ID"), "<0123abcd@partnerd.example>");
        assert_eq!(header(&wire, "Content-Language"), "ja");
        assert_eq!(header(&wire, "Date"), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert!(header(&wire, "Content-Type").starts_with("multipart/alternative;"));
        let plain = wire.find("Content-Type: text/plain; charset=utf-8");
        let html = wire.find("Content-Type: text/html; charset=utf-8");
        assert!(
            matches!((plain, html), (Some(p), Some(h)) if p < h),
            "text first, then HTML (the preferred last):\n{wire}"
        );
    }

    #[test]
    fn a_japanese_subject_is_encoded_and_reads_back() {
        let wire = formatted(japanese());
        let subject = header(&wire, "Subject");
        assert!(
            subject.is_ascii() && subject.starts_with("=?utf-8?b?"),
            "{subject}"
        );
        assert_eq!(decode_words(&subject), "パスワードが変更されました");
        assert!(
            !wire.contains("花子"),
            "the bodies are transfer-encoded, not raw UTF-8"
        );
    }

    /// A quoted-printable body decoded (soft line breaks and `=XX` escapes).
    fn unquote(body: &str) -> Vec<u8> {
        let joined = body.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII");
                out.push(u8::from_str_radix(hex, 16).expect("an escape"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        out
    }

    /// Each part of a multipart message: (content type, decoded body).
    fn parts(wire: &str) -> Vec<(String, String)> {
        use base64::Engine;
        let boundary = header(wire, "Content-Type")
            .split("boundary=\"")
            .nth(1)
            .and_then(|b| b.split('"').next())
            .expect("a boundary")
            .to_string();
        wire.split(&format!("--{boundary}"))
            .skip(1)
            .filter(|part| !part.starts_with("--"))
            .map(|part| {
                let part = part.trim_start_matches("\r\n");
                let (head, body) = part.split_once("\r\n\r\n").expect("head and body");
                let head = format!("{head}\r\n\r\n");
                let body = body.trim_end_matches("\r\n");
                let decoded = match header(&head, "Content-Transfer-Encoding").as_str() {
                    "base64" => base64::engine::general_purpose::STANDARD
                        .decode(body.split_whitespace().collect::<String>())
                        .expect("base64 body"),
                    "quoted-printable" => unquote(body),
                    _ => body.as_bytes().to_vec(),
                };
                (
                    header(&head, "Content-Type"),
                    String::from_utf8(decoded).expect("UTF-8 body"),
                )
            })
            .collect()
    }

    #[test]
    fn the_bodies_read_back() {
        let wire = formatted(japanese());
        let parts = parts(&wire);
        let types: Vec<&str> = parts.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            types,
            ["text/plain; charset=utf-8", "text/html; charset=utf-8"],
            "{wire}"
        );
        assert_eq!(
            parts[0].1.replace("\r\n", "\n"),
            "花子 様\n\nパスワードが変更されました。\n"
        );
        assert!(parts[1].1.contains("<p>花子 様</p>"), "{}", parts[1].1);
    }

    #[test]
    fn a_language_that_is_no_tag_is_left_out() {
        let mut payload = japanese();
        payload["language"] = "ja\r\nBcc: someone@example.com".into();
        let wire = formatted(payload);
        assert!(!wire.contains("Content-Language"), "{wire}");
        assert!(!wire.contains("Bcc"), "{wire}");
    }

    #[test]
    fn an_unsendable_message_says_why() {
        let from = default_from("http://partnerd.example").expect("from");
        let mut missing = japanese();
        missing["html"] = serde_json::Value::Null;
        let err = build(&from, "d", &item(missing), system_time(0)).expect_err("no html");
        assert!(err.contains("html"), "{err}");
        let mut bad = item(japanese());
        bad.url = "not an address".into();
        let err = build(&from, "d", &bad, system_time(0)).expect_err("bad recipient");
        assert!(err.contains("not an address"), "{err}");
        let mut broken = item(japanese());
        broken.payload = "{".into();
        assert!(build(&from, "d", &broken, system_time(0)).is_err());
    }

    // The transport's pool lives on the Tokio runtime.
    #[tokio::test]
    async fn smtp_urls_plain_starttls_and_tls_are_accepted() {
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://mail.example.com:587?tls=required",
            "smtp://mail.example.com?tls=opportunistic",
            "smtps://user:secret@mail.example.com:465",
        ] {
            let mailer = Mailer::new(url, None, "http://127.0.0.1:8080")
                .unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(!mailer.server().contains("secret"), "{}", mailer.server());
            assert!(!format!("{mailer:?}").contains("secret"));
        }
        for url in [
            "http://mail.example.com",
            "smtp://",
            "smtp://mail.example.com?tls=sometimes",
            "mail.example.com:25",
        ] {
            let refused = Mailer::new(url, None, "http://127.0.0.1:8080");
            assert!(refused.is_err(), "{url} was accepted");
        }
    }

    // The transport's pool lives on the Tokio runtime.
    #[tokio::test]
    async fn the_sender_is_configurable_and_defaults_to_the_public_host() {
        let mailer =
            Mailer::new("smtp://127.0.0.1:2525", None, "http://127.0.0.1:8080").expect("mailer");
        assert_eq!(mailer.from().to_string(), "partnerd <no-reply@127.0.0.1>");
        let named = Mailer::new(
            "smtp://127.0.0.1:2525",
            Some("Reseller Ops <ops@reseller.example>"),
            "http://ignored.example",
        )
        .expect("mailer");
        assert_eq!(named.from().email.to_string(), "ops@reseller.example");
        assert_eq!(named.id_domain, "reseller.example");
        let ipv6 = default_from("http://[::1]:8080").expect("from");
        assert_eq!(ipv6.email.domain(), "localhost");
        assert!(Mailer::new("smtp://127.0.0.1:2525", Some("nobody"), "http://x").is_err());
    }

    #[test]
    fn backoff_doubles_up_to_512_seconds() {
        let waits: Vec<i64> = (0..12).map(backoff_s).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 512, 512]);
        assert_eq!(backoff_s(-3), 1);
    }
}
