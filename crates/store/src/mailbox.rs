//! The e-mail in the outbox as a tester reads it (queued and delivered, newest first) and
//! what became of each failed attempt, written once over `Db` for both databases. Claims
//! and deliveries go through the outbox's shared calls (`Store::claim_mail`,
//! `Store::finish_delivery`); this adds what only e-mail needs: the refusal it last met,
//! and giving up.

use async_trait::async_trait;

use crate::Result;
use crate::db::Db;
use crate::rows::{Row, Value};
use crate::sql::write;

/// One e-mail of the outbox, whatever became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRecord {
    /// The outbox row: the order of the list and its keyset.
    pub id: i64,
    /// The account the message concerns.
    pub account_id: String,
    pub recipient: String,
    /// Unique per message; also the left part of its `Message-ID` header.
    pub message_id: String,
    /// The rendered message as queued (JSON text: to, language, subject, text, html).
    pub payload: String,
    pub queued_at: i64,
    /// Attempts so far, the one in progress included.
    pub attempts: i64,
    pub delivered_at: Option<i64>,
    /// When delivery was given up (a permanent refusal); never attempted again.
    pub failed_at: Option<i64>,
    /// Why the last failed attempt failed.
    pub last_error: Option<String>,
}

/// What follows a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailRetry {
    /// Try again at this time (platform time, as the outbox's `next_attempt_at`).
    At(i64),
    /// Give up, recorded at this time.
    GiveUp(i64),
}

/// The longest refusal kept: an SMTP server's answer can run over many lines.
pub const LAST_ERROR_MAX_CHARS: usize = 1000;

#[async_trait]
pub trait Mailbox {
    /// E-mail of the outbox with a row id below `before`, newest first, only those to
    /// `recipient` if given (compared as stored: addresses are stored lower-case).
    async fn mail_page(
        &self,
        recipient: Option<&str>,
        before: i64,
        limit: u32,
    ) -> Result<Vec<MailRecord>>;

    /// Records a failed attempt at outbox item `id`: why, and when to try again or that
    /// delivery is given up. Its lease ends either way. Nothing changes if it was
    /// delivered meanwhile (by another process whose lease had outlived ours).
    async fn mail_failed(&self, id: i64, error: &str, retry: MailRetry) -> Result<()>;
}

const SELECT_MAIL_PAGE: &str = "SELECT id, reseller_id, recipient, message_id, payload, created_at, \
     attempts, delivered_at, failed_at, last_error FROM outbox \
     WHERE kind = 'email' AND id < $1 ORDER BY id DESC LIMIT $2";

const SELECT_MAIL_PAGE_TO: &str = "SELECT id, reseller_id, recipient, message_id, payload, created_at, \
     attempts, delivered_at, failed_at, last_error FROM outbox \
     WHERE kind = 'email' AND recipient = $1 AND id < $2 ORDER BY id DESC LIMIT $3";

const RESCHEDULE_MAIL: &str = "UPDATE outbox SET next_attempt_at = $1, leased_until = 0, last_error = $2 \
     WHERE id = $3 AND kind = 'email' AND delivered_at IS NULL";

/// A message given up on is due never: the outbox's claims select by `next_attempt_at`
/// alone, so the largest time keeps it out of every claim without a second condition
/// in the claim statements both kinds share.
const GIVE_UP_MAIL: &str = "UPDATE outbox SET failed_at = $1, next_attempt_at = $2, leased_until = 0, \
     last_error = $3 WHERE id = $4 AND kind = 'email' AND delivered_at IS NULL";

fn mail_from_row(r: &impl Row) -> Result<MailRecord> {
    Ok(MailRecord {
        id: r.int(0)?,
        account_id: r.text(1)?,
        recipient: r.opt_text(2)?.unwrap_or_default(),
        message_id: r.text(3)?,
        payload: r.text(4)?,
        queued_at: r.int(5)?,
        attempts: r.int(6)?,
        delivered_at: r.opt_int(7)?,
        failed_at: r.opt_int(8)?,
        last_error: r.opt_text(9)?,
    })
}

/// `error` cut to `LAST_ERROR_MAX_CHARS` characters (never inside one), without NULs,
/// which PostgreSQL text cannot hold.
fn bounded(error: &str) -> String {
    error
        .chars()
        .filter(|c| *c != '\0')
        .take(LAST_ERROR_MAX_CHARS)
        .collect()
}

#[async_trait]
impl<T: Db + ?Sized> Mailbox for T {
    async fn mail_page(
        &self,
        recipient: Option<&str>,
        before: i64,
        limit: u32,
    ) -> Result<Vec<MailRecord>> {
        let limit = Value::from(i64::from(limit));
        let rows = match recipient {
            Some(to) => {
                let params = vec![Value::from(to), Value::from(before), limit];
                self.rows(SELECT_MAIL_PAGE_TO, params).await?
            }
            None => {
                self.rows(SELECT_MAIL_PAGE, vec![Value::from(before), limit])
                    .await?
            }
        };
        rows.iter().map(mail_from_row).collect()
    }

    async fn mail_failed(&self, id: i64, error: &str, retry: MailRetry) -> Result<()> {
        let error = Value::from(bounded(error));
        let statement = match retry {
            MailRetry::At(at) => write(RESCHEDULE_MAIL, vec![at.into(), error, id.into()]),
            MailRetry::GiveUp(at) => write(
                GIVE_UP_MAIL,
                vec![at.into(), i64::MAX.into(), error, id.into()],
            ),
        };
        self.run(vec![statement]).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Lease, Mail, Store, Write, WriteSet};

    async fn sqlite() -> (std::sync::Arc<dyn Store>, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("mail.db").display());
        (crate::open(&url).await.expect("open sqlite"), dir)
    }

    /// A database of its own on `PARTNERD_TEST_POSTGRES_URL`, when that is set.
    async fn postgres() -> Option<std::sync::Arc<dyn Store>> {
        let base = std::env::var("PARTNERD_TEST_POSTGRES_URL").ok()?;
        let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
            .await
            .expect("connect to PARTNERD_TEST_POSTGRES_URL");
        tokio::spawn(connection);
        let name = format!("partnerd_mailbox_{}", partnerd_domain::ids::random_hex(6));
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create test database");
        let (head, _) = base.rsplit_once('/').expect("a database URL with a path");
        let url = if head.ends_with('/') {
            format!("{base}/{name}")
        } else {
            format!("{head}/{name}")
        };
        Some(crate::open(&url).await.expect("open postgres"))
    }

    fn mail(to: &str, n: u32) -> Mail {
        Mail {
            account_id: "C0account".into(),
            recipient: to.into(),
            message_id: format!("m{n}"),
            payload: serde_json::json!({"to": to, "subject": format!("Hello {n}")}),
            at: 1_000 + i64::from(n),
        }
    }

    async fn check(store: &dyn Store, name: &str) {
        let mut set = WriteSet::new();
        for m in [
            mail("ann@example.com", 1),
            mail("bob@example.com", 2),
            mail("ann@example.com", 3),
        ] {
            set.push(Write::Mail(m));
        }
        store.apply(set).await.expect("queued");
        let all = store.mail_page(None, i64::MAX, 10).await.expect("all");
        let ids: Vec<&str> = all.iter().map(|m| m.message_id.as_str()).collect();
        assert_eq!(ids, ["m3", "m2", "m1"], "{name}: newest first");
        assert!(
            all.iter()
                .all(|m| m.delivered_at.is_none() && m.attempts == 0)
        );
        assert_eq!(all[2].queued_at, 1_001);
        assert!(all[2].payload.contains("Hello 1"), "{name}");

        // Keyset pages: after the first, the rest; one recipient's only.
        let first = store.mail_page(None, i64::MAX, 2).await.expect("page");
        let rest = store.mail_page(None, first[1].id, 2).await.expect("rest");
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].message_id, "m1");
        let ann = store
            .mail_page(Some("ann@example.com"), i64::MAX, 10)
            .await
            .expect("ann");
        let ids: Vec<&str> = ann.iter().map(|m| m.message_id.as_str()).collect();
        assert_eq!(ids, ["m3", "m1"], "{name}");

        // A refusal is recorded and retried when due; a permanent one never again.
        let lease = |now: i64| Lease {
            now,
            until: now + 30_000,
        };
        let claimed = store.claim_mail(2_000, lease(0), 10).await.expect("claim");
        assert_eq!(claimed.len(), 3, "{name}");
        let by_message = |id: &str| {
            claimed
                .iter()
                .find(|i| i.message_id == id)
                .map(|i| i.id)
                .expect("claimed")
        };
        let long = "451 try later ".repeat(200) + "\0";
        store
            .mail_failed(by_message("m1"), &long, MailRetry::At(5_000))
            .await
            .expect("later");
        store
            .mail_failed(
                by_message("m2"),
                "550 no such user",
                MailRetry::GiveUp(2_500),
            )
            .await
            .expect("given up");
        store
            .finish_delivery(by_message("m3"), Ok(2_100))
            .await
            .expect("sent");
        // Recording a failure after a delivery changes nothing.
        store
            .mail_failed(by_message("m3"), "late", MailRetry::At(9_000))
            .await
            .expect("late failure");

        let all = store.mail_page(None, i64::MAX, 10).await.expect("all");
        let [m3, m2, m1] = &all[..] else {
            panic!("{name}: three messages, got {all:?}");
        };
        assert_eq!(
            (m3.delivered_at, m3.last_error.as_deref()),
            (Some(2_100), None)
        );
        assert_eq!(m3.attempts, 1);
        assert_eq!(m2.failed_at, Some(2_500));
        assert_eq!(m2.last_error.as_deref(), Some("550 no such user"));
        let kept = m1.last_error.clone().unwrap_or_default();
        assert_eq!(kept.chars().count(), LAST_ERROR_MAX_CHARS, "{name}");
        assert!(!kept.contains('\0'));

        let soon = store
            .claim_mail(4_999, lease(40_000), 10)
            .await
            .expect("none");
        assert!(soon.is_empty(), "{name}: {soon:?}");
        let due = store
            .claim_mail(i64::MAX - 1, lease(80_000), 10)
            .await
            .expect("due");
        let ids: Vec<&str> = due.iter().map(|i| i.message_id.as_str()).collect();
        assert_eq!(
            ids,
            ["m1"],
            "{name}: the given-up message stays out of claims"
        );
        assert_eq!(due[0].attempts, 1);
    }

    #[tokio::test]
    async fn mail_is_listed_newest_first_and_refusals_are_recorded() {
        let (store, _dir) = sqlite().await;
        check(store.as_ref(), "sqlite").await;
        if let Some(store) = postgres().await {
            check(store.as_ref(), "postgres").await;
        }
    }

    #[test]
    fn errors_are_bounded_on_character_boundaries() {
        let japanese = "拒否".repeat(LAST_ERROR_MAX_CHARS);
        let cut = bounded(&japanese);
        assert_eq!(cut.chars().count(), LAST_ERROR_MAX_CHARS);
        assert_eq!(bounded("a\0b"), "ab");
    }
}
