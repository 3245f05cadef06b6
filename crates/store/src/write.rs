//! What one request or one transition changes: an ordered list of typed writes, run in
//! that order in one transaction, so that either all of it is committed or none.
//!
//! The order is the operation's to choose, and the schema's constraints are what it must
//! satisfy: a row is deleted before one with the same unique key is inserted (a licence
//! reassigned, a subscription transferred), and a row is written before anything that
//! refers to it. Operations also keep one table order, accounts, subscriptions, users,
//! aliases, org units, roles, role assignments, licences, groups, members, then tokens and
//! sessions, so that two PostgreSQL transactions never lock the same rows in opposite
//! orders (which would be a deadlock, not a retryable `Stale`); the events, pushes and
//! e-mails that describe the data come after it.
//!
//! Each write's statements are built next to its table's SQL (`sql/<table>.rs`) and
//! picked in `Write::statements`, the one match over every kind.

use async_trait::async_trait;
use partnerd_domain::auth::AccessGrant;
use partnerd_domain::customer::Customer;
use partnerd_domain::directory::{OrgUnit, UserAlias};
use partnerd_domain::event::NewEvent;
use partnerd_domain::groups::{Group, Member};
use partnerd_domain::licensing::License;
use partnerd_domain::roles::{Role, RoleAssignment};
use partnerd_domain::site_verification::VerifiedSite;
use partnerd_domain::subscription::Subscription;
use partnerd_domain::user::User;

use crate::Result;
use crate::db::Db;
use crate::sql::{self, Statement};

/// One change to the database. Updates and deletes of versioned rows carry what was read
/// and fail the whole set with `StoreError::Stale` if the row changed meanwhile.
#[derive(Debug, Clone)]
#[allow(
    clippy::large_enum_variant,
    reason = "a set holds a few writes, moved once into the store: boxing the large states \
              would cost an allocation each and clutter every construction site"
)]
pub enum Write {
    /// A new customer account (a unique-index conflict names `accounts_domain_key` when
    /// the domain is taken, `accounts_pkey` when the random id collided).
    InsertCustomer(Customer),
    /// The customer read as `before` becomes `after`.
    UpdateCustomer {
        before: Customer,
        after: Customer,
    },
    InsertSubscription(Subscription),
    /// The subscription stored at `version_read` becomes `after`.
    UpdateSubscription {
        version_read: i64,
        after: Subscription,
    },
    InsertUser(User),
    UpdateUser {
        before: User,
        after: User,
    },
    InsertOrgUnit(OrgUnit),
    UpdateOrgUnit {
        before: OrgUnit,
        after: OrgUnit,
    },
    DeleteOrgUnit(OrgUnit),
    InsertRole(Role),
    UpdateRole {
        before: Role,
        after: Role,
    },
    DeleteRole(Role),
    InsertAssignment(RoleAssignment),
    /// `Stale` if it is gone already.
    DeleteAssignment(RoleAssignment),
    InsertLicense(License),
    /// `Stale` if the user no longer holds it.
    DeleteLicense(License),
    /// A new group (`directory_groups_email_key` when its address is taken).
    InsertGroup(Group),
    UpdateGroup {
        before: Group,
        after: Group,
    },
    /// The group at the version read, with its members and its own memberships.
    DeleteGroup(Group),
    /// A new membership (`group_members_pkey` when it is one already).
    InsertMember(Member),
    UpdateMember {
        before: Member,
        after: Member,
    },
    /// `Stale` if it is gone already.
    DeleteMember(Member),
    /// This user (deleted) leaves every group.
    LeaveGroups(String),
    /// A new alias (`user_aliases_pkey` when the address is an alias already).
    InsertAlias(UserAlias),
    /// `Stale` if it is gone already.
    DeleteAlias(UserAlias),
    /// Every alias of this user (deleted) ends.
    DeleteAliasesOf(String),
    /// A site a reseller verified (`verified_sites_pkey` when it did already).
    InsertVerifiedSite(VerifiedSite),
    /// Its owners change from `before`'s to `after`'s, or `Stale`.
    UpdateSiteOwners {
        before: VerifiedSite,
        after: VerifiedSite,
    },
    /// `Stale` if it is gone already.
    DeleteVerifiedSite(VerifiedSite),
    /// The user signed in to a console at `at` (its first sign-in is kept).
    RecordSignIn {
        user_id: String,
        account_id: String,
        at: i64,
    },
    /// A new access token; tokens long expired are swept in the same transaction.
    InsertAccessGrant(AccessGrant),
    /// The access tokens of this user (suspended or deleted) end now.
    RevokeAccessOf(String),
    /// This user is signed out of every console session now (password changed,
    /// suspended, deleted).
    EndSessionsOf(String),
    DeleteTransferTokens(TokenDeletion),
    Event(NewEvent),
    /// A push notification for a reseller, into the outbox.
    Push(Push),
    /// An e-mail to send once the rest commits (the outbox, kind `email`).
    Mail(Mail),
}

impl Write {
    /// Appends the statements of this write to `out`, in the order they run.
    fn statements(&self, out: &mut Vec<Statement>) -> Result<()> {
        match self {
            Write::InsertCustomer(c) => {
                out.push(sql::write(sql::INSERT_ACCOUNT, sql::account_params(c)?))
            }
            Write::UpdateCustomer { before, after } => {
                out.push(sql::update_account(before, after)?)
            }
            Write::InsertSubscription(s) => out.push(sql::insert_subscription(s)?),
            Write::UpdateSubscription {
                version_read,
                after,
            } => out.push(sql::update_subscription(*version_read, after)?),
            Write::InsertUser(u) => out.push(sql::insert_user(u)),
            Write::UpdateUser { before, after } => out.push(sql::update_user(before, after)),
            Write::InsertOrgUnit(o) => out.push(sql::insert_org_unit(o)),
            Write::UpdateOrgUnit { before, after } => {
                out.push(sql::update_org_unit(before, after));
            }
            Write::DeleteOrgUnit(o) => out.push(sql::delete_org_unit(o)),
            Write::InsertRole(r) => out.push(sql::insert_role(r)),
            Write::UpdateRole { before, after } => out.push(sql::update_role(before, after)),
            Write::DeleteRole(r) => out.push(sql::delete_role(r)),
            Write::InsertAssignment(a) => out.push(sql::insert_assignment(a)),
            Write::DeleteAssignment(a) => out.push(sql::delete_assignment(a)),
            Write::InsertLicense(l) => out.push(sql::insert_license(l)),
            Write::DeleteLicense(l) => out.push(sql::delete_license(l)),
            Write::InsertGroup(g) => out.push(sql::insert_group(g)),
            Write::UpdateGroup { before, after } => out.push(sql::update_group(before, after)),
            Write::DeleteGroup(g) => out.extend(sql::delete_group(g)),
            Write::InsertMember(m) => out.push(sql::insert_member(m)),
            Write::UpdateMember { before, after } => out.push(sql::update_member(before, after)),
            Write::DeleteMember(m) => out.push(sql::delete_member(m)),
            Write::LeaveGroups(user_id) => out.push(sql::delete_memberships_of_user(user_id)),
            Write::InsertAlias(a) => out.push(sql::insert_alias(a)),
            Write::DeleteAlias(a) => out.push(sql::delete_alias(a)),
            Write::DeleteAliasesOf(user_id) => out.push(sql::delete_aliases_of(user_id)),
            Write::InsertVerifiedSite(v) => out.push(sql::insert_verified_site(v)),
            Write::UpdateSiteOwners { before, after } => {
                out.push(sql::update_site_owners(before, after))
            }
            Write::DeleteVerifiedSite(v) => out.push(sql::delete_verified_site(v)),
            Write::RecordSignIn {
                user_id,
                account_id,
                at,
            } => out.push(sql::record_sign_in(user_id, account_id, *at)),
            Write::InsertAccessGrant(g) => out.extend(sql::insert_grant(g)),
            Write::RevokeAccessOf(user_id) => out.extend(sql::revoke_access_of(user_id)),
            Write::EndSessionsOf(user_id) => out.push(sql::end_sessions_of(user_id)),
            Write::DeleteTransferTokens(d) => out.push(sql::delete_transfer_tokens(d)),
            Write::Event(e) => out.push(sql::insert_event(e)),
            Write::Push(p) => out.push(sql::insert_push(p)),
            Write::Mail(m) => out.push(sql::insert_mail(m)),
        }
        Ok(())
    }

    /// Whether this changes who may do what (a user, a role or a role assignment), so
    /// that cached privileges must be computed again.
    pub fn changes_standing(&self) -> bool {
        match self {
            Write::InsertUser(_)
            | Write::UpdateUser { .. }
            | Write::InsertRole(_)
            | Write::UpdateRole { .. }
            | Write::DeleteRole(_)
            | Write::InsertAssignment(_)
            | Write::DeleteAssignment(_) => true,
            Write::InsertCustomer(_)
            | Write::UpdateCustomer { .. }
            | Write::InsertSubscription(_)
            | Write::UpdateSubscription { .. }
            | Write::InsertOrgUnit(_)
            | Write::UpdateOrgUnit { .. }
            | Write::DeleteOrgUnit(_)
            | Write::InsertLicense(_)
            | Write::DeleteLicense(_)
            | Write::InsertGroup(_)
            | Write::UpdateGroup { .. }
            | Write::DeleteGroup(_)
            | Write::InsertMember(_)
            | Write::UpdateMember { .. }
            | Write::DeleteMember(_)
            | Write::LeaveGroups(_)
            | Write::InsertAlias(_)
            | Write::DeleteAlias(_)
            | Write::DeleteAliasesOf(_)
            | Write::InsertVerifiedSite(_)
            | Write::UpdateSiteOwners { .. }
            | Write::DeleteVerifiedSite(_)
            | Write::RecordSignIn { .. }
            | Write::InsertAccessGrant(_)
            | Write::RevokeAccessOf(_)
            | Write::EndSessionsOf(_)
            | Write::DeleteTransferTokens(_)
            | Write::Event(_)
            | Write::Push(_)
            | Write::Mail(_) => false,
        }
    }
}

/// Writes committed together, in order (see the module's comment for which order).
#[derive(Debug, Clone, Default)]
pub struct WriteSet {
    writes: Vec<Write>,
}

impl WriteSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, write: Write) {
        self.writes.push(write);
    }

    /// Appends `other`'s writes after these.
    pub fn append(&mut self, other: WriteSet) {
        self.writes.extend(other.writes);
    }

    /// Whether committing this would change nothing (an operation that found nothing to
    /// do).
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.writes.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Write> {
        self.writes.iter()
    }

    /// Whether any write changes who may do what (see `Write::changes_standing`).
    pub fn changes_standing(&self) -> bool {
        self.writes.iter().any(Write::changes_standing)
    }

    /// The users whose access tokens this revokes.
    pub fn revoked_users(&self) -> Vec<String> {
        self.writes
            .iter()
            .filter_map(|w| match w {
                Write::RevokeAccessOf(user_id) => Some(user_id.clone()),
                _ => None,
            })
            .collect()
    }

    /// Every statement, in the order of the writes. Built before the transaction starts,
    /// so that none of this work holds SQLite's single writer.
    pub(crate) fn statements(&self) -> Result<Vec<Statement>> {
        let mut out = Vec::with_capacity(self.writes.len());
        for w in &self.writes {
            w.statements(&mut out)?;
        }
        Ok(out)
    }
}

impl From<Write> for WriteSet {
    fn from(write: Write) -> Self {
        WriteSet {
            writes: vec![write],
        }
    }
}

impl From<Vec<Write>> for WriteSet {
    fn from(writes: Vec<Write>) -> Self {
        WriteSet { writes }
    }
}

impl FromIterator<Write> for WriteSet {
    fn from_iter<I: IntoIterator<Item = Write>>(iter: I) -> Self {
        WriteSet {
            writes: iter.into_iter().collect(),
        }
    }
}

impl Extend<Write> for WriteSet {
    fn extend<I: IntoIterator<Item = Write>>(&mut self, iter: I) {
        self.writes.extend(iter);
    }
}

impl IntoIterator for WriteSet {
    type Item = Write;
    type IntoIter = std::vec::IntoIter<Write>;

    fn into_iter(self) -> Self::IntoIter {
        self.writes.into_iter()
    }
}

impl<'a> IntoIterator for &'a WriteSet {
    type Item = &'a Write;
    type IntoIter = std::slice::Iter<'a, Write>;

    fn into_iter(self) -> Self::IntoIter {
        self.writes.iter()
    }
}

/// Transfer tokens that stop being valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenDeletion {
    /// The token with this digest (spent).
    One(String),
    /// Every token of `customer_id` for a reseller other than `keep_reseller_id`: the
    /// customer moved to that reseller.
    OthersOf {
        customer_id: String,
        keep_reseller_id: String,
    },
}

/// A push notification for a reseller, queued in the outbox.
#[derive(Debug, Clone)]
pub struct Push {
    pub reseller_id: String,
    pub message_id: String,
    pub payload: serde_json::Value,
    pub at: i64,
}

/// An e-mail queued in the outbox, rendered already (subject, bodies, language).
#[derive(Debug, Clone)]
pub struct Mail {
    /// The account the message concerns.
    pub account_id: String,
    pub recipient: String,
    pub message_id: String,
    pub payload: serde_json::Value,
    pub at: i64,
}

/// Committing write sets, written once over `Db` for both databases: the statements of
/// a set run in one transaction (one job of SQLite's group commit, one PostgreSQL
/// transaction), and a checked statement that changes no row rolls all of it back.
#[async_trait]
pub trait WriteSetStore {
    /// Commits a set of changes atomically; `Stale` (nothing written) if a row it
    /// updates or deletes changed since it was read, `Conflict` on a unique index.
    async fn apply(&self, changes: WriteSet) -> Result<()>;
}

#[async_trait]
impl<T: Db + ?Sized> WriteSetStore for T {
    async fn apply(&self, changes: WriteSet) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        self.run(changes.statements()?).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use partnerd_domain::customer::{CustomerType, PostalAddress};

    use super::*;
    use crate::{DirectoryStore, EventStore, NewReseller, SqliteStore, Store, StoreError};

    fn account(id: &str) -> Customer {
        Customer {
            id: id.into(),
            domain: format!("{}.example", id.to_lowercase()),
            customer_type: CustomerType::Domain,
            managed_by: None,
            reseller_public_id: Some(format!("P{id}")),
            alternate_email: None,
            phone_number: None,
            postal_address: PostalAddress::default(),
            primary_admin_email: None,
            domain_verified: true,
            created_at: 0,
            tos_accepted_at: None,
            language: "en".into(),
            reseller_access: true,
            education: false,
            version: 1,
        }
    }

    fn user(account: &Customer, local: &str) -> User {
        User {
            id: format!("{local}-id"),
            account_id: account.id.clone(),
            primary_email: format!("{local}@{}", account.domain),
            given_name: local.into(),
            family_name: "Test".into(),
            password_hash: "$argon2id$stub".into(),
            is_super_admin: false,
            suspended: false,
            created_at: 0,
            org_unit_id: None,
            change_password_at_next_login: false,
            language: "en".into(),
            deleted_at: None,
            version: 1,
        }
    }

    fn licence(u: &User, sku: &str) -> License {
        License {
            account_id: u.account_id.clone(),
            user_id: u.id.clone(),
            product_id: "Google-Apps".into(),
            sku_id: sku.into(),
            created_at: 0,
        }
    }

    fn event(action: &str) -> NewEvent {
        NewEvent::of(0, "test", action, "user", "x").in_account("C0write")
    }

    /// An in-memory store holding one account and its admin.
    async fn store() -> (SqliteStore, Customer, User) {
        let store = SqliteStore::open(":memory:").expect("open");
        let account = account("C0write");
        let admin = user(&account, "admin");
        let reseller = NewReseller {
            account: account.clone(),
            admin: admin.clone(),
        };
        store
            .create_reseller(&reseller, event("reseller.create"))
            .await
            .expect("reseller");
        (store, account, admin)
    }

    #[test]
    fn statements_follow_the_order_of_the_writes() {
        let account = account("C0order");
        let u = user(&account, "ana");
        let grant = AccessGrant {
            digest: "d".into(),
            client_id: "c".into(),
            account_id: account.id.clone(),
            subject: None,
            scopes: Vec::new(),
            expires_at: 0,
        };
        let set = WriteSet::from(vec![
            Write::DeleteLicense(licence(&u, "a")),
            Write::InsertLicense(licence(&u, "b")),
            Write::InsertAccessGrant(grant),
            Write::Event(event("x")),
            Write::InsertUser(u.clone()),
        ]);
        let sql: Vec<(&str, bool)> = set
            .statements()
            .expect("statements")
            .iter()
            .map(|s| (s.sql, s.expects_one_row))
            .collect();
        assert_eq!(
            sql,
            vec![
                (sql::DELETE_LICENSE, true),
                (sql::INSERT_LICENSE, false),
                (sql::INSERT_GRANT, false),
                (sql::DELETE_EXPIRED_GRANTS, false),
                (sql::INSERT_EVENT, false),
                (sql::INSERT_USER, false),
            ]
        );
    }

    #[test]
    fn the_set_says_what_commit_must_forget() {
        let account = account("C0cache");
        let u = user(&account, "ana");
        let quiet = WriteSet::from(vec![Write::Event(event("x"))]);
        assert!(!quiet.changes_standing());
        assert!(quiet.revoked_users().is_empty());
        let mut set = quiet.clone();
        set.push(Write::RevokeAccessOf(u.id.clone()));
        set.extend([Write::EndSessionsOf(u.id.clone())]);
        assert!(!set.changes_standing());
        set.append(Write::InsertUser(u.clone()).into());
        assert!(set.changes_standing());
        assert_eq!(set.revoked_users(), vec![u.id.clone()]);
        assert_eq!(set.len(), 4);
        assert!(matches!(set.iter().next(), Some(Write::Event(_))));
        assert!(WriteSet::new().is_empty());
    }

    #[tokio::test]
    async fn writes_run_in_the_order_given() {
        let (store, account, _) = store().await;
        let ana = user(&account, "ana");
        let starter = licence(&ana, "1010020027");
        let standard = licence(&ana, "1010020028");
        store
            .apply(WriteSet::from(vec![
                Write::InsertUser(ana.clone()),
                Write::InsertLicense(starter.clone()),
            ]))
            .await
            .expect("licensed");
        // The licence's key is (user, product): inserting before deleting collides...
        let inserted_first = WriteSet::from(vec![
            Write::InsertLicense(standard.clone()),
            Write::DeleteLicense(starter.clone()),
        ]);
        assert!(matches!(
            store.apply(inserted_first).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            store.licenses(&account.id).await.expect("read"),
            vec![starter.clone()]
        );
        // ... deleting first reassigns.
        let deleted_first = WriteSet::from(vec![
            Write::DeleteLicense(starter),
            Write::InsertLicense(standard.clone()),
        ]);
        store.apply(deleted_first).await.expect("reassigned");
        assert_eq!(
            store.licenses(&account.id).await.expect("read"),
            vec![standard]
        );
    }

    #[tokio::test]
    async fn a_stale_write_in_the_middle_leaves_nothing_written() {
        let (store, account, admin) = store().await;
        let events_before = store.events(None, 0, 100).await.expect("events").len();
        let ana = user(&account, "ana");
        let bea = user(&account, "bea");
        let mut renamed = admin.clone();
        renamed.given_name = "Renamed".into();
        renamed.version += 1;
        let mut read_long_ago = admin.clone();
        read_long_ago.version -= 1;
        let set = WriteSet::from(vec![
            Write::InsertUser(ana.clone()),
            Write::UpdateUser {
                before: read_long_ago,
                after: renamed,
            },
            Write::InsertUser(bea.clone()),
            Write::Event(event("user.insert")),
        ]);
        assert_eq!(store.apply(set).await, Err(StoreError::Stale));
        assert_eq!(store.user_by_id(&ana.id).await.expect("read"), None);
        assert_eq!(store.user_by_id(&bea.id).await.expect("read"), None);
        assert_eq!(
            store.user_by_id(&admin.id).await.expect("read"),
            Some(admin)
        );
        assert_eq!(
            store.events(None, 0, 100).await.expect("events").len(),
            events_before
        );
    }
}
