//! An account's users (the Directory API's `users`, and the Admin console's user pages):
//! creating one, reading and listing them, changing, deleting and restoring one, and
//! making one a super admin. Reaching a user asks one privilege; the change itself is
//! then judged privilege by privilege, and a delegated admin never acts on an
//! administrator.

use std::collections::{HashMap, HashSet};

use partnerd_domain::authority::{USERS_CREATE, USERS_DELETE, USERS_UPDATE};
use partnerd_domain::catalogue;
use partnerd_domain::clock::Millis;
use partnerd_domain::customer::Customer;
use partnerd_domain::directory::{
    self, OrgUnit, PasswordForm, UserAlias, UserFields, check_alias, check_email_in,
    check_new_names, check_password, normalize_path, password_form,
};
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::roles::system_roles;
use partnerd_domain::user::User;
use partnerd_domain::{Clock, RuleError, RuleErrorKind};
use partnerd_store::{StoreError, Write, WriteSet};

use crate::access;
use crate::addresses::{self, Holder};
use crate::licensing;
use crate::passwords;
use crate::privileges::{self, AdminNeed};
use crate::{Actor, Change, OpError, Ops, Prepared, Violations};

/// A user's fields as a request gives them (insert, patch, update).
#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub fields: UserFields,
    pub password: Option<String>,
    /// The function a client hashed `password` with, when it sends a hash.
    pub hash_function: Option<String>,
    pub org_unit_path: Option<String>,
}

/// A user with what showing it needs: its account (whether the Terms were accepted) and
/// the account's units (its unit's path).
#[derive(Debug, Clone)]
pub struct Shown {
    pub user: User,
    pub account: Customer,
    pub units: Vec<OrgUnit>,
}

/// What the Directory shows of an account's users that depends on more than each user's
/// row: who holds an admin role other than super admin (`isDelegatedAdmin`), and who
/// holds a licence of an edition with Gmail (`isMailboxSetup`), each user's aliases, and
/// when each signed in (`agreedToTerms`, `lastLoginTime`).
#[derive(Debug, Clone, Default)]
pub struct Standing {
    /// Holders of the super-admin role by assignment (makeAdmin sets a flag instead).
    super_admins: HashSet<String>,
    delegated_admins: HashSet<String>,
    mailboxes: HashSet<String>,
    aliases: HashMap<String, Vec<String>>,
    /// Each user's last console sign-in (a user with one agreed to the Terms of Service).
    last_sign_in: HashMap<String, Millis>,
}

impl Standing {
    /// `isAdmin`: a super admin, by makeAdmin or by the super-admin role.
    pub fn is_admin(&self, user: &User) -> bool {
        user.is_super_admin || self.super_admins.contains(&user.id)
    }

    pub fn is_delegated_admin(&self, user: &User) -> bool {
        !self.is_admin(user) && self.delegated_admins.contains(&user.id)
    }

    pub fn has_mailbox(&self, user: &User) -> bool {
        self.mailboxes.contains(&user.id)
    }

    /// `agreedToTerms`: a user agrees to the Terms of Service at its first sign-in.
    pub fn agreed_to_terms(&self, user: &User) -> bool {
        self.last_sign_in.contains_key(&user.id)
    }

    /// `lastLoginTime`: the user's last console sign-in, if it ever signed in.
    pub fn last_sign_in(&self, user: &User) -> Option<Millis> {
        self.last_sign_in.get(&user.id).copied()
    }

    /// The user's aliases, by address.
    pub fn aliases_of(&self, user: &User) -> &[String] {
        self.aliases.get(&user.id).map_or(&[], Vec::as_slice)
    }
}

/// The standing of the users of `account` (five reads, whatever the number of users):
/// what a list of users shows.
pub async fn standing(ops: &Ops, account: &Customer) -> Result<Standing, OpError> {
    let assignments = ops.store.role_assignments(&account.id).await?;
    let licenses = ops.store.licenses(&account.id).await?;
    let aliases = ops.store.aliases_in(&account.id).await?;
    let sign_ins = ops.store.sign_ins_in(&account.id).await?;
    Standing::of(ops, account, assignments, licenses, aliases, sign_ins).await
}

/// The standing of one user of `account`, read by user (one user's rows, however large
/// the account): what `users.get` shows.
pub async fn standing_of(ops: &Ops, account: &Customer, user: &User) -> Result<Standing, OpError> {
    let assignments = ops.store.role_assignments_of(&account.id, &user.id).await?;
    let licenses = ops.store.licenses_of(&user.id).await?;
    let aliases = ops.store.aliases_of(&user.id).await?;
    let sign_ins = ops.store.sign_ins_of(&user.id).await?.into_iter().collect();
    Standing::of(ops, account, assignments, licenses, aliases, sign_ins).await
}

impl Standing {
    async fn of(
        ops: &Ops,
        account: &Customer,
        assignments: Vec<partnerd_domain::roles::RoleAssignment>,
        licenses: Vec<partnerd_domain::licensing::License>,
        aliases_held: Vec<UserAlias>,
        sign_ins: Vec<partnerd_domain::user::SignIns>,
    ) -> Result<Standing, OpError> {
        let custom = ops.store.roles(&account.id).await?;
        let super_admin_role = |role_id: &str| {
            system_roles()
                .iter()
                .chain(&custom)
                .any(|r| r.id == role_id && r.is_super_admin)
        };
        let (seed, others): (Vec<_>, Vec<_>) = assignments
            .into_iter()
            .partition(|a| super_admin_role(&a.role_id));
        let super_admins = seed.into_iter().map(|a| a.assigned_to).collect();
        let delegated_admins = others.into_iter().map(|a| a.assigned_to).collect();
        let mailboxes = licenses
            .into_iter()
            .filter(|l| catalogue::sku(&l.sku_id).is_some_and(|sku| sku.gmail))
            .map(|l| l.user_id)
            .collect();
        let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
        for a in aliases_held {
            aliases.entry(a.user_id).or_default().push(a.alias);
        }
        let last_sign_in = sign_ins
            .into_iter()
            .map(|s| (s.user_id, s.last_at))
            .collect();
        Ok(Standing {
            super_admins,
            delegated_admins,
            mailboxes,
            aliases,
            last_sign_in,
        })
    }
}

/// The users of one account that a list shows (live or deleted ones), with the account
/// and its units.
#[derive(Debug, Clone)]
pub struct Listing {
    pub account: Customer,
    pub units: Vec<OrgUnit>,
    pub users: Vec<User>,
}

/// The path of the unit `id` names among `units`; the root when none.
pub fn unit_path(units: &[OrgUnit], id: Option<&str>) -> String {
    id.and_then(|id| units.iter().find(|u| u.id == id))
        .map(|u| u.path.clone())
        .unwrap_or_else(|| "/".into())
}

/// The unit a request names by path, which must exist in the account.
fn unit_for_path(units: &[OrgUnit], path: &str) -> Result<Option<String>, OpError> {
    let path = normalize_path(path)?;
    if path == "/" {
        return Ok(None);
    }
    units
        .iter()
        .find(|u| u.path.eq_ignore_ascii_case(&path))
        .map(|u| Some(u.id.clone()))
        .ok_or_else(|| RuleError::invalid("orgUnitPath", format!("{path} does not exist")).into())
}

/// Whether a new password (or the client's hash of one) is acceptable.
fn check_new_password(password: &str, hash_function: Option<&str>) -> Result<(), OpError> {
    let form = password_form(hash_function)?;
    check_password(password, form)?;
    Ok(())
}

/// The stored form of a new password: an argon2 hash, or the client's own hash as given.
fn stored_password(password: &str, hash_function: Option<&str>) -> Result<String, OpError> {
    let form = password_form(hash_function)?;
    check_password(password, form)?;
    match form {
        PasswordForm::Plain => passwords::hash(password)
            .map_err(|e| OpError::Store(StoreError::Backend(format!("password hashing: {e}")))),
        PasswordForm::Hashed(function) => Ok(format!("{function}:{password}")),
    }
}

fn user_event(
    actor: &Actor,
    at: Millis,
    action: &str,
    before: Option<&User>,
    after: &User,
) -> NewEvent {
    NewEvent::of(at, actor.name(), action, "user", &after.id)
        .in_account(&after.account_id)
        .states(before, Some(after))
}

fn duplicate(email: &str) -> OpError {
    RuleError {
        kind: RuleErrorKind::Duplicate,
        field: "primaryEmail".into(),
        message: format!("Entity already exists: {email}"),
    }
    .into()
}

fn not_found() -> OpError {
    OpError::NotFound("Resource Not Found: userKey".into())
}

/// Whether a user must be live (not deleted) to be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Deleted {
    Refused,
    Allowed,
}

/// A user by e-mail address or id, with its account, if the actor may do `need` there.
async fn find(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    need: AdminNeed,
    deleted: Deleted,
) -> Result<(User, Customer), OpError> {
    let (user, account) = access::user(ops, actor, key, need)
        .await?
        .ok_or_else(not_found)?;
    if deleted == Deleted::Refused && user.deleted_at.is_some() {
        return Err(not_found());
    }
    Ok((user, account))
}

/// Creates a user in the account its address's domain names, with the licences automatic
/// licensing gives its unit.
pub async fn insert(ops: &Ops, actor: &Actor, input: &UserInput) -> Result<Shown, OpError> {
    let email = input
        .fields
        .primary_email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .ok_or_else(|| RuleError::required("primaryEmail"))?;
    let domain = email
        .rsplit_once('@')
        .map(|(_, d)| d.to_ascii_lowercase())
        .unwrap_or_default();
    let account = ops
        .store
        .account(&domain)
        .await?
        .filter(|_| !domain.is_empty())
        .ok_or_else(|| {
            RuleError::invalid(
                "primaryEmail",
                format!("no customer has the domain '{domain}'"),
            )
        })?;
    access::check(ops, actor, &account, AdminNeed::Privilege(USERS_CREATE)).await?;
    // Every violation of the input at once (a form shows them all; the API the first).
    let mut v = Violations::new();
    let email = v.check(check_email_in(email, &account.domain));
    let names = v.check(check_new_names(
        input.fields.given_name.as_deref(),
        input.fields.family_name.as_deref(),
    ));
    let password = input.password.as_deref().filter(|p| !p.is_empty());
    if password.is_none() {
        v.push(RuleError::required("password"));
    }
    let units = ops.store.org_units(&account.id).await?;
    let org_unit_id = match &input.org_unit_path {
        Some(p) => v.absorb(unit_for_path(&units, p))?.flatten(),
        None => None,
    };
    if let Some(password) = password {
        v.absorb(check_new_password(password, input.hash_function.as_deref()))?;
    }
    v.finish()?;
    let (Some(email), Some((given, family)), Some(password)) = (email, names, password) else {
        // `finish` refused every input that left one of these out.
        return Err(OpError::Store(StoreError::Backend(
            "a user input passed its checks incomplete".into(),
        )));
    };
    let now = ops.clock.now();
    let user = User {
        id: ids::new_numeric_id(),
        account_id: account.id.clone(),
        primary_email: email.clone(),
        given_name: given,
        family_name: family,
        password_hash: stored_password(password, input.hash_function.as_deref())?,
        is_super_admin: false,
        suspended: input.fields.suspended.unwrap_or(false),
        created_at: now,
        org_unit_id,
        change_password_at_next_login: input.fields.change_password_at_next_login.unwrap_or(false),
        language: account.language.clone(),
        deleted_at: None,
        version: 1,
    };
    if matches!(
        addresses::holder(ops, &user.primary_email).await?,
        Some(Holder::Group(_) | Holder::Alias(_))
    ) {
        return Err(duplicate(&user.primary_email));
    }
    let path = unit_path(&units, user.org_unit_id.as_deref());
    let (new, account_ref, path) = (&user, &account, path.as_str());
    ops.write(|| async move {
        let mut change = Change::new();
        change.event(user_event(actor, now, "user.insert", None, new));
        // Automatic licensing gives the new user its unit's licences in the same commit;
        // the seats it draws are re-read on each attempt. Table order: the seats (the
        // subscriptions), the user, then the licences it holds.
        let given = licensing::auto_assign(ops, &mut change, actor, account_ref, new, path).await?;
        change.write(Write::InsertUser(new.clone()));
        for licence in given {
            change.write(Write::InsertLicense(licence));
        }
        Ok(Prepared::new(change.into_set(), ()).conflict_means(duplicate(&new.primary_email)))
    })
    .await?;
    Ok(Shown {
        user,
        account,
        units,
    })
}

/// A live user by e-mail address or id.
pub async fn get(ops: &Ops, actor: &Actor, key: &str) -> Result<Shown, OpError> {
    let (user, account) = find(ops, actor, key, AdminNeed::UsersRead, Deleted::Refused).await?;
    let units = ops.store.org_units(&account.id).await?;
    Ok(Shown {
        user,
        account,
        units,
    })
}

/// A user's public profile (`viewType=domain_public`): every user of the account reads
/// it, no admin role needed; a reseller's staff as for the admin view. Suspended users
/// have none, as at Google.
pub async fn get_public(ops: &Ops, actor: &Actor, key: &str) -> Result<Shown, OpError> {
    let (user, account) = find(ops, actor, key, AdminNeed::DomainPublic, Deleted::Refused).await?;
    if user.suspended {
        return Err(not_found());
    }
    let units = ops.store.org_units(&account.id).await?;
    Ok(Shown {
        user,
        account,
        units,
    })
}

/// The users of the account `customer` (an id or `my_customer`) or, without it, `domain`
/// (its primary domain) names: the live ones, or the deleted ones when `deleted`. In no
/// particular order (a list's order and paging are the front door's).
pub async fn list(
    ops: &Ops,
    actor: &Actor,
    customer: Option<&str>,
    domain: Option<&str>,
    deleted: bool,
) -> Result<Listing, OpError> {
    listing(ops, actor, customer, domain, AdminNeed::UsersRead, deleted).await
}

/// The users of an account whose public profiles every one of its users reads
/// (`viewType=domain_public`): the live, unsuspended ones.
pub async fn list_public(
    ops: &Ops,
    actor: &Actor,
    customer: Option<&str>,
    domain: Option<&str>,
) -> Result<Listing, OpError> {
    let mut shown = listing(ops, actor, customer, domain, AdminNeed::DomainPublic, false).await?;
    shown.users.retain(|u| !u.suspended);
    Ok(shown)
}

async fn listing(
    ops: &Ops,
    actor: &Actor,
    customer: Option<&str>,
    domain: Option<&str>,
    need: AdminNeed,
    deleted: bool,
) -> Result<Listing, OpError> {
    let account = match (customer, domain) {
        (Some(c), _) => access::administered(ops, actor, c, need).await?,
        (None, Some(d)) => {
            let account = ops
                .store
                .account(d)
                .await?
                .filter(|a| a.domain.eq_ignore_ascii_case(d.trim()))
                .ok_or_else(OpError::not_administrable)?;
            access::check(ops, actor, &account, need).await?;
            account
        }
        (None, None) => {
            return Err(RuleError {
                kind: RuleErrorKind::BadRequest,
                field: "customer".into(),
                message: "Bad Request: one of customer or domain is required".into(),
            }
            .into());
        }
    };
    let units = ops.store.org_units(&account.id).await?;
    let users = ops
        .store
        .users_of(&account.id)
        .await?
        .into_iter()
        .filter(|u| u.deleted_at.is_some() == deleted)
        .collect();
    Ok(Listing {
        account,
        units,
        users,
    })
}

/// Applies a change computed from the current user, re-read and re-judged if someone
/// changed it meanwhile. `need` is what reaching the user asks; the change itself must
/// then be allowed privilege by privilege, and delegated admins never change
/// administrators.
async fn change<F>(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    action: &str,
    deleted: Deleted,
    need: AdminNeed,
    apply: F,
) -> Result<Shown, OpError>
where
    F: Fn(&User, &Customer, &[OrgUnit]) -> Result<User, OpError>,
{
    let apply = &apply;
    ops.write(|| async move {
        let (user, account) = find(ops, actor, key, need, deleted).await?;
        privileges::on_user(ops, actor, &account, &user).await?;
        let units = ops.store.org_units(&account.id).await?;
        let next = apply(&user, &account, &units)?;
        privileges::user_change(ops, actor, &account, &user, &next).await?;
        let renamed = next.primary_email != user.primary_email;
        let own_alias = if renamed {
            match addresses::holder(ops, &next.primary_email).await? {
                None => None,
                Some(Holder::Alias(holder)) if holder == user.id => {
                    ops.store.alias(&next.primary_email).await?
                }
                Some(_) => return Err(duplicate(&next.primary_email)),
            }
        } else {
            None
        };
        let now = ops.clock.now();
        let event = user_event(actor, now, action, Some(&user), &next);
        let mut set = WriteSet::new();
        set.push(Write::UpdateUser {
            before: user.clone(),
            after: next.clone(),
        });
        if renamed {
            // "When you rename a user, the old user name is retained as an alias"; an alias
            // that becomes the primary address stops being one.
            if let Some(alias) = own_alias {
                set.push(Write::DeleteAlias(alias));
            }
            set.push(Write::InsertAlias(UserAlias {
                alias: user.primary_email.clone(),
                user_id: user.id.clone(),
                account_id: account.id.clone(),
                created_at: now,
            }));
        }
        if next.suspended && !user.suspended {
            // A suspended user's access tokens and console sessions end with its suspension.
            set.push(Write::RevokeAccessOf(user.id.clone()));
            set.push(Write::EndSessionsOf(user.id.clone()));
        } else if next.password_hash != user.password_hash {
            // A new password signs the user out of every console session.
            set.push(Write::EndSessionsOf(user.id.clone()));
        }
        set.push(Write::Event(event));
        let conflict = duplicate(&next.primary_email);
        let shown = Shown {
            user: next,
            account,
            units,
        };
        Ok(Prepared::new(set, shown).conflict_means(conflict))
    })
    .await
}

/// `input` applied to `user` (only the fields given change).
fn edited(
    input: &UserInput,
    user: &User,
    account: &Customer,
    units: &[OrgUnit],
) -> Result<User, OpError> {
    let mut next = directory::apply_user_fields(user, input.fields.clone(), &account.domain)?;
    if let Some(p) = &input.org_unit_path {
        next.org_unit_id = unit_for_path(units, p)?;
    }
    if let Some(password) = input.password.as_deref().filter(|p| !p.is_empty()) {
        next.password_hash = stored_password(password, input.hash_function.as_deref())?;
    }
    Ok(next)
}

/// Changes the fields `input` gives of a live user.
pub async fn patch(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    input: &UserInput,
) -> Result<Shown, OpError> {
    change(
        ops,
        actor,
        key,
        "user.patch",
        Deleted::Refused,
        AdminNeed::UsersChange,
        |u, a, units| edited(input, u, a, units),
    )
    .await
}

/// What `update` asks of its input before anything is read: the name, as on insert.
pub fn check_update(input: &UserInput) -> Result<(), OpError> {
    check_new_names(
        input.fields.given_name.as_deref(),
        input.fields.family_name.as_deref(),
    )?;
    Ok(())
}

/// Replaces the changeable fields of a live user: what `input` leaves out goes back to
/// its default (not suspended, no forced password change, the root unit).
pub async fn update(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    input: &UserInput,
) -> Result<Shown, OpError> {
    check_update(input)?;
    change(
        ops,
        actor,
        key,
        "user.update",
        Deleted::Refused,
        AdminNeed::UsersChange,
        |u, a, units| {
            let mut next = edited(input, u, a, units)?;
            next.suspended = input.fields.suspended.unwrap_or(false);
            next.change_password_at_next_login =
                input.fields.change_password_at_next_login.unwrap_or(false);
            if input.org_unit_path.is_none() {
                next.org_unit_id = None;
            }
            Ok(next)
        },
    )
    .await
}

/// Deletes a live user: its access tokens end, its admin roles go, and its paid licences
/// go back to their subscriptions, all in one commit.
pub async fn delete(ops: &Ops, actor: &Actor, key: &str) -> Result<(), OpError> {
    ops.write(|| async move {
        let (user, account) = find(
            ops,
            actor,
            key,
            AdminNeed::Privilege(USERS_DELETE),
            Deleted::Refused,
        )
        .await?;
        privileges::on_user(ops, actor, &account, &user).await?;
        let now = ops.clock.now();
        let mut next = user.clone();
        next.deleted_at = Some(now);
        next.version += 1;
        let mut change = Change::new();
        change.event(user_event(actor, now, "user.delete", Some(&user), &next));
        // Table order: the seats released (the subscriptions), the user, its role
        // assignments, its licences, its aliases and memberships, then its tokens and
        // sessions.
        let released = licensing::release_all(ops, &mut change, actor, &account, &user).await?;
        change.write(Write::UpdateUser {
            before: user.clone(),
            after: next,
        });
        for assignment in ops.store.role_assignments_of(&account.id, &user.id).await? {
            change.write(Write::DeleteAssignment(assignment));
        }
        for licence in released {
            change.write(Write::DeleteLicense(licence));
        }
        // A deleted user leaves its groups and gives its aliases up, as at Google (an
        // undelete brings neither back).
        change.write(Write::DeleteAliasesOf(user.id.clone()));
        change.write(Write::LeaveGroups(user.id.clone()));
        // A deleted user's access tokens and console sessions end at once.
        change.write(Write::RevokeAccessOf(user.id.clone()));
        change.write(Write::EndSessionsOf(user.id.clone()));
        Ok(Prepared::new(change.into_set(), ()))
    })
    .await
}

/// Restores a deleted user, into the unit at `org_unit_path` when given. Only super
/// admins restore users.
pub async fn undelete(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    org_unit_path: Option<&str>,
) -> Result<Shown, OpError> {
    change(
        ops,
        actor,
        key,
        "user.undelete",
        Deleted::Allowed,
        AdminNeed::SuperAdmin,
        |u, _, units| {
            if u.deleted_at.is_none() {
                return Err(RuleError {
                    kind: RuleErrorKind::BadRequest,
                    field: String::new(),
                    message: "The user is not deleted.".into(),
                }
                .into());
            }
            let mut next = u.clone();
            next.deleted_at = None;
            if let Some(p) = org_unit_path {
                next.org_unit_id = unit_for_path(units, p)?;
            }
            next.version += 1;
            Ok(next)
        },
    )
    .await
}

/// Makes a live user a super admin (`status`), or no longer one.
pub async fn make_admin(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    status: bool,
) -> Result<Shown, OpError> {
    change(
        ops,
        actor,
        key,
        "user.makeAdmin",
        Deleted::Refused,
        AdminNeed::SuperAdmin,
        |u, _, _| {
            let mut next = u.clone();
            next.is_super_admin = status;
            next.version += 1;
            Ok(next)
        },
    )
    .await
}

/// The aliases of a live user, with the user.
pub async fn aliases(
    ops: &Ops,
    actor: &Actor,
    key: &str,
) -> Result<(User, Vec<UserAlias>), OpError> {
    let (user, _) = find(ops, actor, key, AdminNeed::UsersRead, Deleted::Refused).await?;
    let aliases = ops.store.aliases_of(&user.id).await?;
    Ok((user, aliases))
}

fn alias_event(
    actor: &Actor,
    at: Millis,
    action: &str,
    before: Option<&UserAlias>,
    after: Option<&UserAlias>,
) -> NewEvent {
    let alias = after
        .or(before)
        .map(|a| (a.alias.as_str(), a.account_id.as_str()));
    let (address, account) = alias.unwrap_or_default();
    NewEvent::of(at, actor.name(), action, "userAlias", address)
        .in_account(account)
        .states(before, after)
}

/// Gives a live user another address in its account's domain, which nothing else holds.
pub async fn add_alias(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    alias: Option<&str>,
) -> Result<(User, UserAlias), OpError> {
    let alias = alias.unwrap_or_default();
    ops.write(|| async move {
        let need = AdminNeed::Privilege(USERS_UPDATE);
        let (user, account) = find(ops, actor, key, need, Deleted::Refused).await?;
        privileges::on_user(ops, actor, &account, &user).await?;
        let address = check_alias(alias, &account.domain)?;
        if addresses::holder(ops, &address).await?.is_some() {
            return Err(duplicate_alias(&address));
        }
        let made = UserAlias {
            alias: address,
            user_id: user.id.clone(),
            account_id: account.id.clone(),
            created_at: ops.clock.now(),
        };
        let event = alias_event(
            actor,
            made.created_at,
            "userAlias.insert",
            None,
            Some(&made),
        );
        let set = WriteSet::from(vec![Write::InsertAlias(made.clone()), Write::Event(event)]);
        let conflict = duplicate_alias(&made.alias);
        Ok(Prepared::new(set, (user, made)).conflict_means(conflict))
    })
    .await
}

fn duplicate_alias(alias: &str) -> OpError {
    RuleError {
        kind: RuleErrorKind::Duplicate,
        field: "alias".into(),
        message: format!("Entity already exists: {alias}"),
    }
    .into()
}

/// Takes an alias back from a live user.
pub async fn remove_alias(ops: &Ops, actor: &Actor, key: &str, alias: &str) -> Result<(), OpError> {
    ops.write(|| async move {
        let need = AdminNeed::Privilege(USERS_UPDATE);
        let (user, account) = find(ops, actor, key, need, Deleted::Refused).await?;
        privileges::on_user(ops, actor, &account, &user).await?;
        let held = ops
            .store
            .alias(alias)
            .await?
            .filter(|a| a.user_id == user.id)
            .ok_or_else(|| OpError::NotFound("Resource Not Found: alias".into()))?;
        let event = alias_event(
            actor,
            ops.clock.now(),
            "userAlias.delete",
            Some(&held),
            None,
        );
        let set = WriteSet::from(vec![Write::DeleteAlias(held), Write::Event(event)]);
        Ok(Prepared::new(set, ()))
    })
    .await
}

#[cfg(test)]
mod tests {
    use partnerd_domain::authority::{USERS_RESET_PASSWORD, USERS_SUSPEND, USERS_UPDATE};

    use super::*;
    use crate::testing::{actor, events_of, holding, ops, world};

    fn new_user(email: &str) -> UserInput {
        UserInput {
            fields: UserFields {
                primary_email: Some(email.into()),
                given_name: Some("Ana".into()),
                family_name: Some("Lima".into()),
                ..Default::default()
            },
            password: Some("correct horse".into()),
            ..Default::default()
        }
    }

    fn renamed(given: &str) -> UserInput {
        UserInput {
            fields: UserFields {
                given_name: Some(given.into()),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn each_operation_asks_its_own_privilege() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let reader = actor(&holding(&ops, &customer, "reader", &["USERS_RETRIEVE"]).await);
        let refused = insert(&ops, &reader, &new_user("ana@customer.example")).await;
        assert_eq!(refused.err(), Some(OpError::not_administrable()));
        assert!(
            ops.store
                .user_by_email("ana@customer.example")
                .await
                .expect("read")
                .is_none(),
            "nothing written behind a refusal"
        );
        // Reading is what the role allows; changing, deleting and promoting are not.
        let seen = get(&ops, &reader, &boss.primary_email).await.expect("read");
        assert_eq!(seen.user.id, boss.id);
        let listed = list(&ops, &reader, Some("my_customer"), None, false)
            .await
            .expect("list");
        assert!(listed.users.iter().any(|u| u.id == boss.id));
        let made = insert(&ops, &actor(&boss), &new_user("ana@customer.example"))
            .await
            .expect("made");
        let ana = made.user.primary_email.as_str();
        for refused in [
            patch(&ops, &reader, ana, &renamed("Ann")).await.err(),
            delete(&ops, &reader, ana).await.err(),
            make_admin(&ops, &reader, ana, true).await.err(),
        ] {
            assert_eq!(refused, Some(OpError::not_administrable()));
        }
        // A delegated admin who may rename still may not suspend or reset a password.
        let renamer = actor(&holding(&ops, &customer, "renamer", &[USERS_UPDATE]).await);
        patch(&ops, &renamer, ana, &renamed("Ann"))
            .await
            .expect("renamed");
        let suspend = UserInput {
            fields: UserFields {
                suspended: Some(true),
                ..Default::default()
            },
            ..Default::default()
        };
        let reset = UserInput {
            password: Some("another horse".into()),
            ..Default::default()
        };
        for input in [suspend, reset] {
            let refused = patch(&ops, &renamer, ana, &input).await;
            assert_eq!(refused.err(), Some(OpError::not_administrable()));
        }
        let stored = ops.store.user_by_email(ana).await.expect("read");
        assert_eq!(
            stored.map(|u| (u.given_name, u.suspended)),
            Some(("Ann".into(), false))
        );
    }

    #[tokio::test]
    async fn a_delegated_admin_never_acts_on_an_administrator() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let manager = actor(
            &holding(
                &ops,
                &customer,
                "manager",
                &[
                    USERS_UPDATE,
                    USERS_SUSPEND,
                    USERS_RESET_PASSWORD,
                    USERS_DELETE,
                ],
            )
            .await,
        );
        let other_admin = holding(&ops, &customer, "helper", &["USERS_RETRIEVE"]).await;
        for target in [&boss, &other_admin] {
            let refused = patch(&ops, &manager, &target.primary_email, &renamed("Eve")).await;
            assert_eq!(refused.err(), Some(OpError::not_administrable()));
            let refused = delete(&ops, &manager, &target.primary_email).await;
            assert_eq!(refused.err(), Some(OpError::not_administrable()));
        }
        let stored = ops.store.user_by_id(&boss.id).await.expect("read");
        assert_eq!(
            stored.map(|u| (u.given_name, u.deleted_at)),
            Some(("A".into(), None))
        );
        // Super admins are made and restored by super admins only.
        let ana = insert(&ops, &actor(&boss), &new_user("ana@customer.example"))
            .await
            .expect("made")
            .user;
        let refused = make_admin(&ops, &manager, &ana.primary_email, true).await;
        assert_eq!(refused.err(), Some(OpError::not_administrable()));
        delete(&ops, &manager, &ana.primary_email)
            .await
            .expect("a user who is no administrator");
        let refused = undelete(&ops, &manager, &ana.id, None).await;
        assert_eq!(refused.err(), Some(OpError::not_administrable()));
        let restored = undelete(&ops, &actor(&boss), &ana.id, None)
            .await
            .expect("restored");
        assert_eq!(restored.user.deleted_at, None);
    }

    #[tokio::test]
    async fn events_record_who_acted() {
        let ops = ops().await;
        let (reseller_admin, customer, boss) = world(&ops).await;
        let made = insert(&ops, &actor(&boss), &new_user("ana@customer.example"))
            .await
            .expect("made");
        assert_eq!(made.user.language, customer.language);
        // The reseller's staff reach the customer's users as its super admin.
        patch(
            &ops,
            &actor(&reseller_admin),
            &made.user.id,
            &renamed("Ann"),
        )
        .await
        .expect("patched");
        delete(&ops, &actor(&boss), &made.user.primary_email)
            .await
            .expect("deleted");
        let actors = |action: &'static str| {
            let ops = &ops;
            let id = customer.id.clone();
            async move {
                events_of(ops, &id, action)
                    .await
                    .into_iter()
                    .map(|e| e.actor)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            actors("user.insert").await,
            vec![boss.primary_email.clone()]
        );
        assert_eq!(
            actors("user.patch").await,
            vec![reseller_admin.primary_email.clone()]
        );
        assert_eq!(
            actors("user.delete").await,
            vec![boss.primary_email.clone()]
        );
        // A deleted user is gone for reads, and can be listed among the deleted.
        let gone = get(&ops, &actor(&boss), &made.user.id).await;
        assert_eq!(gone.err(), Some(not_found()));
        let deleted = list(&ops, &actor(&boss), None, Some("CUSTOMER.example"), true)
            .await
            .expect("deleted ones");
        assert_eq!(deleted.users.len(), 1);
    }

    #[tokio::test]
    async fn a_taken_address_is_a_duplicate_and_concurrent_changes_both_land() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let boss_actor = actor(&boss);
        let ana = insert(&ops, &boss_actor, &new_user("ana@customer.example"))
            .await
            .expect("made")
            .user;
        let again = insert(&ops, &boss_actor, &new_user("ANA@customer.example ")).await;
        let err = again.expect_err("duplicate");
        assert_eq!(err.violations()[0].kind, RuleErrorKind::Duplicate);
        assert_eq!(
            err.violations()[0].message,
            "Entity already exists: ana@customer.example"
        );
        let moved = UserInput {
            fields: UserFields {
                primary_email: Some(boss.primary_email.clone()),
                ..Default::default()
            },
            ..Default::default()
        };
        let taken = patch(&ops, &boss_actor, &ana.id, &moved).await;
        assert_eq!(
            taken.expect_err("duplicate").violations()[0].message,
            format!("Entity already exists: {}", boss.primary_email)
        );
        // Two changes read the same version; the one that loses re-reads and applies
        // its change on top, so neither is lost.
        let suspend = UserInput {
            fields: UserFields {
                suspended: Some(true),
                ..Default::default()
            },
            ..Default::default()
        };
        let rename = renamed("Ann");
        let (a, b) = tokio::join!(
            patch(&ops, &boss_actor, &ana.id, &rename),
            patch(&ops, &boss_actor, &ana.id, &suspend),
        );
        a.expect("rename");
        b.expect("suspend");
        let stored = ops
            .store
            .user_by_id(&ana.id)
            .await
            .expect("read")
            .expect("ana");
        assert_eq!(
            (stored.given_name.as_str(), stored.suspended),
            ("Ann", true)
        );
        assert_eq!(stored.version, ana.version + 2);
        assert_eq!(events_of(&ops, &customer.id, "user.patch").await.len(), 2);
    }

    #[tokio::test]
    async fn a_bad_new_user_reports_every_field_at_once() {
        let ops = ops().await;
        let (_, _, boss) = world(&ops).await;
        let input = UserInput {
            fields: UserFields {
                primary_email: Some("not an address@customer.example".into()),
                ..Default::default()
            },
            password: None,
            org_unit_path: Some("/Nowhere".into()),
            ..Default::default()
        };
        let err = insert(&ops, &actor(&boss), &input)
            .await
            .expect_err("refused");
        let fields: Vec<&str> = err.violations().iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields.first(), Some(&"primaryEmail"), "{err:?}");
        assert!(fields.contains(&"password"), "{fields:?}");
        assert!(fields.contains(&"orgUnitPath"), "{fields:?}");
        assert!(fields.len() >= 4, "names are missing too: {fields:?}");
    }

    #[tokio::test]
    async fn inputs_are_judged_with_the_field_they_concern() {
        let ops = ops().await;
        let (_, _, boss) = world(&ops).await;
        let boss = actor(&boss);
        let field_of = |r: Result<Shown, OpError>| {
            r.err()
                .and_then(|e| e.violations().first().map(|v| (v.kind, v.field.clone())))
        };
        let elsewhere = insert(&ops, &boss, &new_user("ana@nowhere.example")).await;
        assert_eq!(
            elsewhere.as_ref().err().map(|e| e.to_string()),
            Some(
                "Invalid value for primaryEmail: no customer has the domain 'nowhere.example'"
                    .into()
            )
        );
        let mut no_unit = new_user("ana@customer.example");
        no_unit.org_unit_path = Some("/Nowhere".into());
        assert_eq!(
            field_of(insert(&ops, &boss, &no_unit).await),
            Some((RuleErrorKind::Invalid, "orgUnitPath".into()))
        );
        let mut no_password = new_user("ana@customer.example");
        no_password.password = None;
        assert_eq!(
            field_of(insert(&ops, &boss, &no_password).await),
            Some((RuleErrorKind::Required, "password".into()))
        );
        let nameless = UserInput::default();
        assert_eq!(
            check_update(&nameless)
                .err()
                .map(|e| e.violations()[0].field.clone()),
            Some("name.givenName".into())
        );
        let made = insert(&ops, &boss, &new_user("ana@customer.example"))
            .await
            .expect("made");
        assert_ne!(made.user.password_hash, "correct horse");
        let live = undelete(&ops, &boss, &made.user.id, None).await;
        assert_eq!(
            field_of(live),
            Some((RuleErrorKind::BadRequest, String::new()))
        );
    }
}
