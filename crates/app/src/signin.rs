//! Signing in to the consoles: passwords checked against the Directory user's argon2
//! hash, failures throttled per account and per client address, sessions started, resumed
//! and ended, and a user's own password change (forced by `changePasswordAtNextLogin`).
//! The session cookie carries a random secret; only its digest is stored.

use std::time::Duration;

use argon2::{PasswordHash, PasswordVerifier};
use partnerd_domain::Clock;
use partnerd_domain::clock::Millis;
use partnerd_domain::directory::{PasswordForm, check_password};
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::session::Session;
use partnerd_domain::user::User;
use partnerd_i18n::{Language, mail};
use partnerd_store::{Mail, Write, WriteSet};

use crate::privileges::{self, ResellerNeed};
use crate::{Actor, OpError, Ops, Prepared, passwords};

/// How long sessions last.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Without use for this long, a session ends.
    pub idle_ms: Millis,
    /// Whatever the use, a session ends this long after sign-in.
    pub absolute_ms: Millis,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle_ms: 2 * 3_600_000,
            absolute_ms: 14 * 86_400_000,
        }
    }
}

/// Failed attempts allowed per account, and per client address, within `THROTTLE_WINDOW`.
pub const ACCOUNT_FAILURES: u32 = 5;
pub const CLIENT_FAILURES: u32 = 20;
/// How long failures are remembered after the last one.
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed sign-ins, counted per account and per client address (in this process: several
/// servers on one database each count their own).
#[derive(Clone)]
pub struct Throttle {
    failures: moka::sync::Cache<String, u32>,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle {
            failures: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(THROTTLE_WINDOW)
                .build(),
        }
    }
}

impl Throttle {
    fn keys(email: &str, client: &str) -> [(String, u32); 2] {
        [
            (format!("account:{email}"), ACCOUNT_FAILURES),
            (format!("client:{client}"), CLIENT_FAILURES),
        ]
    }

    fn blocked(&self, email: &str, client: &str) -> bool {
        Self::keys(email, client)
            .iter()
            .any(|(key, limit)| self.failures.get(key).unwrap_or(0) >= *limit)
    }

    fn failed(&self, email: &str, client: &str) {
        for (key, _) in Self::keys(email, client) {
            let n = self.failures.get(&key).unwrap_or(0);
            self.failures.insert(key, n.saturating_add(1));
        }
    }

    fn succeeded(&self, email: &str) {
        self.failures.invalidate(&format!("account:{email}"));
    }
}

/// Why a sign-in was refused. An unknown account and a wrong password are one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    WrongEmailOrPassword,
    Throttled,
    Suspended,
}

#[derive(Debug)]
pub enum SignInError {
    Refused(Refusal),
    Failed(OpError),
}

impl From<OpError> for SignInError {
    fn from(e: OpError) -> Self {
        SignInError::Failed(e)
    }
}

impl From<partnerd_store::StoreError> for SignInError {
    fn from(e: partnerd_store::StoreError) -> Self {
        SignInError::Failed(e.into())
    }
}

/// A session just started: the secret goes into the cookie, never into storage.
#[derive(Debug, Clone)]
pub struct Started {
    pub secret: String,
    pub session: Session,
    pub user: User,
}

/// A live session and who it acts as.
#[derive(Debug, Clone)]
pub struct Resumed {
    pub session: Session,
    pub user: User,
    pub actor: Actor,
}

impl Resumed {
    /// The session's synchronizer token for forms (CSRF).
    pub fn csrf_token(&self) -> &str {
        self.session
            .data
            .get("csrf")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    }
}

/// The digest under which a session's secret is stored.
pub fn digest(secret: &str) -> String {
    ids::content_digest(secret.as_bytes())
}

/// Verifies against a hash nobody's password matches, so an unknown account costs the
/// same time as a known one.
fn spend_verification(password: &str) {
    static DUMMY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        passwords::hash("not a password of anyone").unwrap_or_default()
    });
    let _ = verify(password, &DUMMY);
}

fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|hash| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Signs `email` in with `password` from `client` (its address): a new session on success.
pub async fn sign_in(
    ops: &Ops,
    throttle: &Throttle,
    policy: SessionPolicy,
    email: &str,
    password: &str,
    client: &str,
) -> Result<Started, SignInError> {
    let email = email.trim().to_ascii_lowercase();
    if throttle.blocked(&email, client) {
        return Err(SignInError::Refused(Refusal::Throttled));
    }
    let user = ops.store.user_by_email(&email).await?;
    let user = match user {
        Some(u) if u.deleted_at.is_none() && verify(password, &u.password_hash) => u,
        Some(_) => {
            throttle.failed(&email, client);
            return Err(SignInError::Refused(Refusal::WrongEmailOrPassword));
        }
        None => {
            spend_verification(password);
            throttle.failed(&email, client);
            return Err(SignInError::Refused(Refusal::WrongEmailOrPassword));
        }
    };
    throttle.succeeded(&email);
    if user.suspended {
        return Err(SignInError::Refused(Refusal::Suspended));
    }
    // The first sign-in is when a user agrees to the Terms of Service (the Directory's
    // agreedToTerms); every sign-in is its lastLoginTime.
    let signed_in = Write::RecordSignIn {
        user_id: user.id.clone(),
        account_id: user.account_id.clone(),
        at: ops.clock.now(),
    };
    ops.commit(WriteSet::from(signed_in))
        .await
        .map_err(OpError::from)?;
    Ok(start(ops, policy, user).await?)
}

/// Starts a session for `user` (after sign-in, or after a password change ended the old one).
pub async fn start(ops: &Ops, policy: SessionPolicy, user: User) -> Result<Started, OpError> {
    // Sessions live in platform time, as access tokens do: moving the clock ends them.
    let now = ops.clock.now();
    let secret = ids::random_hex(32);
    let session = Session {
        digest: digest(&secret),
        user_id: user.id.clone(),
        account_id: user.account_id.clone(),
        created_at: now,
        last_seen_at: now,
        expires_at: now.saturating_add(policy.absolute_ms),
        data: serde_json::json!({ "csrf": ids::random_hex(32) }),
    };
    ops.store.insert_session(&session).await?;
    Ok(Started {
        secret,
        session,
        user,
    })
}

/// The live session a cookie's secret names, with its user; `None` when it has ended (an
/// ended session is forgotten).
pub async fn resume(
    ops: &Ops,
    policy: SessionPolicy,
    secret: &str,
) -> Result<Option<Resumed>, OpError> {
    let digest = digest(secret);
    let Some(session) = ops.store.session(&digest).await? else {
        return Ok(None);
    };
    let now = ops.clock.now();
    if !session.is_live(now, policy.idle_ms) {
        ops.store.delete_session(&digest).await?;
        return Ok(None);
    }
    let user = match ops.store.user_by_id(&session.user_id).await? {
        Some(u) if !u.suspended && u.deleted_at.is_none() => u,
        _ => {
            ops.store.delete_session(&digest).await?;
            return Ok(None);
        }
    };
    if session.needs_touch(now) {
        let stale_before = now - partnerd_domain::session::TOUCH_INTERVAL_MS;
        ops.store
            .touch_session(&digest, now, stale_before + 1)
            .await?;
    }
    let actor = Actor::User {
        account_id: user.account_id.clone(),
        user_id: user.id.clone(),
        email: user.primary_email.clone(),
    };
    Ok(Some(Resumed {
        session,
        user,
        actor,
    }))
}

/// Ends the session a cookie's secret names (sign-out).
pub async fn sign_out(ops: &Ops, secret: &str) -> Result<(), OpError> {
    ops.store.delete_session(&digest(secret)).await?;
    Ok(())
}

/// A user sets their own password (at sign-in, when `changePasswordAtNextLogin` asks):
/// the new password follows the Directory API's rule, the flag clears, every session of
/// the user ends, its access tokens stay, and the user is told by e-mail in their
/// language, all in one commit. The caller starts a fresh session afterwards.
pub async fn change_own_password(
    ops: &Ops,
    actor: &Actor,
    new_password: &str,
    confirmation: &str,
) -> Result<User, OpError> {
    let Some(user_id) = actor.user_id() else {
        return Err(OpError::NotAuthorized);
    };
    let mut violations = crate::Violations::new();
    violations.check(check_password(new_password, PasswordForm::Plain));
    if new_password != confirmation {
        violations.push(partnerd_domain::error::RuleError::invalid(
            "confirmation",
            "The passwords do not match.",
        ));
    }
    violations.finish()?;
    let hash = passwords::hash(new_password).map_err(|e| {
        OpError::Store(partnerd_store::StoreError::Backend(format!(
            "password hashing: {e}"
        )))
    })?;
    ops.write(|| {
        let hash = hash.clone();
        async move {
            let Some(user) = ops.store.user_by_id(user_id).await? else {
                return Err(OpError::NotAuthorized);
            };
            if user.suspended || user.deleted_at.is_some() {
                return Err(OpError::NotAuthorized);
            }
            let now = ops.clock.now();
            let mut next = user.clone();
            next.password_hash = hash;
            next.change_password_at_next_login = false;
            next.version += 1;
            let language = Language::from_tag(&user.language).unwrap_or_default();
            let name = format!("{} {}", user.given_name, user.family_name);
            let message = mail::password_changed(language, name.trim(), &user.primary_email, now);
            let mut set = WriteSet::new();
            set.push(Write::UpdateUser {
                before: user.clone(),
                after: next.clone(),
            });
            set.push(Write::EndSessionsOf(user.id.clone()));
            set.push(Write::Event(
                NewEvent::of(now, actor.name(), "user.password.change", "user", &user.id)
                    .in_account(&user.account_id),
            ));
            set.push(Write::Mail(queued(&user, &message, now)));
            Ok(Prepared::new(set, next))
        }
    })
    .await
}

/// An e-mail to `user`, as the outbox keeps it.
pub fn queued(user: &User, message: &mail::Rendered, at: i64) -> Mail {
    Mail {
        account_id: user.account_id.clone(),
        recipient: user.primary_email.clone(),
        message_id: ids::random_hex(16),
        payload: serde_json::json!({
            "to": user.primary_email,
            "language": message.language.tag(),
            "subject": message.subject,
            "text": message.text,
            "html": message.html,
        }),
        at,
    }
}

/// Which consoles a signed-in user may open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    pub partner: bool,
    pub admin: bool,
    pub support: bool,
}

impl Reach {
    pub fn any(&self) -> bool {
        self.partner || self.admin || self.support
    }
}

/// The consoles `actor` may open: the Partner Sales Console and the Customer Service
/// Portal for a reseller's staff with the privileges they need, the Admin console for an
/// administrator of their own account.
pub async fn reach(ops: &Ops, actor: &Actor) -> Result<Reach, OpError> {
    let Some(account_id) = actor.account_id() else {
        return Ok(Reach::default());
    };
    let authority = privileges::of(ops, actor).await?;
    if !authority.active {
        return Ok(Reach::default());
    }
    let reseller = ops
        .store
        .account(account_id)
        .await?
        .is_some_and(|a| a.reseller_public_id.is_some());
    let granted = &authority.privileges;
    Ok(Reach {
        partner: reseller && ResellerNeed::View.allowed_by(granted),
        support: reseller && ResellerNeed::SupportCases.allowed_by(granted),
        admin: granted.is_administrator(),
    })
}

#[cfg(test)]
mod tests {
    use partnerd_store::{Lease, Write, WriteSet};

    use super::*;
    use crate::testing::{actor, holding, ops, world};

    const PASSWORD: &str = "first-password";

    /// Gives `user` a password (test users have none).
    async fn with_password(ops: &Ops, user: &User, language: &str, forced: bool) -> User {
        let mut next = user.clone();
        next.password_hash = passwords::hash(PASSWORD).expect("hash");
        next.language = language.into();
        next.change_password_at_next_login = forced;
        next.version += 1;
        let mut set = WriteSet::new();
        set.push(Write::UpdateUser {
            before: user.clone(),
            after: next.clone(),
        });
        ops.commit(set).await.expect("password");
        next
    }

    fn refusal(result: Result<Started, SignInError>) -> Refusal {
        match result {
            Err(SignInError::Refused(r)) => r,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn wrong_and_unknown_are_one_answer_and_failures_are_throttled() {
        let ops = ops().await;
        let (admin, _, _) = world(&ops).await;
        let admin = with_password(&ops, &admin, "en", false).await;
        let throttle = Throttle::default();
        let policy = SessionPolicy::default();
        let email = admin.primary_email.as_str();
        let unknown = sign_in(&ops, &throttle, policy, "nobody@x.example", PASSWORD, "1").await;
        let wrong = sign_in(&ops, &throttle, policy, email, "not-it", "1").await;
        assert_eq!(refusal(unknown), Refusal::WrongEmailOrPassword);
        assert_eq!(refusal(wrong), Refusal::WrongEmailOrPassword);
        let ok = sign_in(
            &ops,
            &throttle,
            policy,
            &email.to_uppercase(),
            PASSWORD,
            "1",
        )
        .await;
        assert_eq!(ok.expect("signed in").user.id, admin.id);
        for _ in 0..ACCOUNT_FAILURES {
            let _ = sign_in(&ops, &throttle, policy, email, "not-it", "2").await;
        }
        // Even the right password waits now, from any address.
        let blocked = sign_in(&ops, &throttle, policy, email, PASSWORD, "3").await;
        assert_eq!(refusal(blocked), Refusal::Throttled);
        // One address trying many accounts is held back too.
        let throttle = Throttle::default();
        for n in 0..CLIENT_FAILURES {
            let _ = sign_in(
                &ops,
                &throttle,
                policy,
                &format!("u{n}@x.example"),
                "x",
                "9",
            )
            .await;
        }
        let blocked = sign_in(&ops, &throttle, policy, email, PASSWORD, "9").await;
        assert_eq!(refusal(blocked), Refusal::Throttled);
    }

    #[tokio::test]
    async fn sessions_end_by_sign_out_idleness_and_suspension() {
        let ops = ops().await;
        let (admin, _, _) = world(&ops).await;
        let admin = with_password(&ops, &admin, "en", false).await;
        let policy = SessionPolicy {
            idle_ms: 60_000,
            absolute_ms: 3_600_000,
        };
        let throttle = Throttle::default();
        let started = sign_in(&ops, &throttle, policy, &admin.primary_email, PASSWORD, "1")
            .await
            .expect("signed in");
        // Only the digest is stored.
        assert_ne!(started.session.digest, started.secret);
        let resumed = resume(&ops, policy, &started.secret).await.expect("read");
        assert_eq!(resumed.expect("live").actor, actor(&admin));
        sign_out(&ops, &started.secret).await.expect("sign out");
        assert!(
            resume(&ops, policy, &started.secret)
                .await
                .expect("read")
                .is_none()
        );

        let idle = start(&ops, policy, admin.clone()).await.expect("start");
        ops.clock.set_offset(ops.clock.offset() + 61_000);
        assert!(
            resume(&ops, policy, &idle.secret)
                .await
                .expect("read")
                .is_none()
        );

        let live = start(&ops, policy, admin.clone()).await.expect("start");
        let mut suspended = admin.clone();
        suspended.suspended = true;
        suspended.version += 1;
        let mut set = WriteSet::new();
        set.push(Write::UpdateUser {
            before: admin.clone(),
            after: suspended,
        });
        set.push(Write::EndSessionsOf(admin.id.clone()));
        ops.commit(set).await.expect("suspend");
        assert!(
            resume(&ops, policy, &live.secret)
                .await
                .expect("read")
                .is_none()
        );
    }

    #[tokio::test]
    async fn a_password_change_reports_every_violation_then_ends_sessions_and_mails() {
        let ops = ops().await;
        let (_, _, boss) = world(&ops).await;
        let boss = with_password(&ops, &boss, "ja", true).await;
        let policy = SessionPolicy::default();
        let session = start(&ops, policy, boss.clone()).await.expect("start");
        let who = actor(&boss);

        let refused = change_own_password(&ops, &who, "short", "other").await;
        let fields: Vec<String> = refused
            .expect_err("refused")
            .violations()
            .iter()
            .map(|v| v.field.clone())
            .collect();
        assert_eq!(fields, ["password", "confirmation"]);

        let changed = change_own_password(&ops, &who, "second-password", "second-password")
            .await
            .expect("changed");
        assert!(!changed.change_password_at_next_login);
        assert!(
            resume(&ops, policy, &session.secret)
                .await
                .expect("read")
                .is_none()
        );
        let stored = ops
            .store
            .user_by_id(&boss.id)
            .await
            .expect("read")
            .expect("user");
        assert_ne!(stored.password_hash, boss.password_hash);
        let events =
            crate::testing::events_of(&ops, &boss.account_id, "user.password.change").await;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].actor, boss.primary_email);
        let lease = Lease {
            now: 0,
            until: i64::MAX / 2,
        };
        let mail = ops
            .store
            .claim_mail(i64::MAX / 2, lease, 10)
            .await
            .expect("mail");
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].url, boss.primary_email);
        let payload: serde_json::Value = serde_json::from_str(&mail[0].payload).expect("json");
        assert_eq!(payload["language"], "ja");
        assert_eq!(payload["subject"], "パスワードが変更されました");
    }

    #[tokio::test]
    async fn consoles_reached_follow_the_roles() {
        let ops = ops().await;
        let (admin, customer, boss) = world(&ops).await;
        let all = Reach {
            partner: true,
            admin: true,
            support: true,
        };
        assert_eq!(reach(&ops, &actor(&admin)).await.expect("reach"), all);
        let customer_admin = Reach {
            admin: true,
            ..Reach::default()
        };
        assert_eq!(
            reach(&ops, &actor(&boss)).await.expect("reach"),
            customer_admin
        );
        let reseller = ops
            .store
            .account(&admin.account_id)
            .await
            .expect("read")
            .expect("reseller");
        let viewer = holding(&ops, &reseller, "viewer", &["RESELLER_VIEW_CUSTOMERS"]).await;
        let seen = reach(&ops, &actor(&viewer)).await.expect("reach");
        assert!(seen.partner && !seen.admin && !seen.support, "{seen:?}");
        let nobody = holding(&ops, &customer, "nobody", &[]).await;
        assert!(!reach(&ops, &actor(&nobody)).await.expect("reach").any());
    }
}
