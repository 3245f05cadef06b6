//! An account's groups and their members (the Directory API's `groups` and `members`):
//! finding a group by address or id, listing an account's groups or a user's, creating,
//! changing and deleting groups, and adding, changing and removing members.

use partnerd_domain::customer::{Customer, email_valid};
use partnerd_domain::event::NewEvent;
use partnerd_domain::groups::{
    Group, GroupFields, Member, MemberKind, MemberRole, changed_group, check_delivery, duplicate,
    new_group, would_cycle,
};
use partnerd_domain::{Clock, RuleError, RuleErrorKind, ids};
use partnerd_store::{StoreError, Write, WriteSet};

use crate::access;
use crate::addresses::{self, Holder};
use crate::privileges::AdminNeed;
use crate::{Actor, OpError, Ops, Prepared};

fn group_not_found() -> OpError {
    OpError::NotFound("Resource Not Found: groupKey".into())
}

fn member_not_found() -> OpError {
    OpError::NotFound("Resource Not Found: memberKey".into())
}

fn address_taken() -> OpError {
    duplicate("email", "Entity already exists.").into()
}

fn member_exists() -> OpError {
    duplicate("memberKey", "Member already exists.").into()
}

fn group_event(
    actor: &Actor,
    at: i64,
    action: &str,
    before: Option<&Group>,
    after: &Group,
) -> NewEvent {
    NewEvent::of(at, actor.name(), action, "group", &after.id)
        .in_account(&after.account_id)
        .states(before, Some(after))
}

fn member_event(
    actor: &Actor,
    at: i64,
    action: &str,
    before: Option<&Member>,
    after: &Member,
) -> NewEvent {
    let resource = format!("{}/{}", after.group_id, after.member_id);
    NewEvent::of(at, actor.name(), action, "member", &resource)
        .in_account(&after.account_id)
        .states(before, Some(after))
}

/// A group by address or id, with its account, once the actor may do `need` there.
/// An address is judged by its domain's account first, so another tenant's group and a
/// missing one answer alike; an id names no account, so a missing one is 404.
pub async fn find(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    need: AdminNeed,
) -> Result<(Group, Customer), OpError> {
    let key = key.trim();
    if key.contains('@') {
        let account = access::account_of_address(ops, actor, key, need).await?;
        let group = ops
            .store
            .group_by_email(key)
            .await?
            .filter(|g| g.account_id == account.id)
            .ok_or_else(group_not_found)?;
        return Ok((group, account));
    }
    let group = ops
        .store
        .group_by_id(key)
        .await?
        .ok_or_else(group_not_found)?;
    let account = ops
        .store
        .account(&group.account_id)
        .await?
        .ok_or_else(group_not_found)?;
    access::check(ops, actor, &account, need).await?;
    Ok((group, account))
}

/// Creates a group in the account its address's domain names. The address may belong
/// to no user and no other group.
pub async fn insert(ops: &Ops, actor: &Actor, fields: GroupFields) -> Result<Group, OpError> {
    let email = fields
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .ok_or_else(|| RuleError::required("email"))?
        .to_ascii_lowercase();
    // As users.insert: a domain no account has is a bad address; an account the actor
    // may not create groups in is a refusal.
    let domain = access::domain_of(&email);
    let account = access::account_of_domain(ops, domain)
        .await?
        .ok_or_else(|| {
            RuleError::invalid("email", format!("no customer has the domain '{domain}'"))
        })?;
    access::check(ops, actor, &account, AdminNeed::Privilege("GROUPS_CREATE")).await?;
    let group = new_group(
        format!("0{}", ids::random_hex(7)),
        &account.id,
        &account.domain,
        fields,
        ops.clock.now(),
    )?;
    if matches!(
        addresses::holder(ops, &group.email).await?,
        Some(Holder::User(_) | Holder::Alias(_))
    ) {
        return Err(address_taken());
    }
    let event = group_event(actor, group.created_at, "group.insert", None, &group);
    let set = WriteSet::from(vec![Write::InsertGroup(group.clone()), Write::Event(event)]);
    // Nothing here is read back at commit: the address's unique index decides a race.
    match ops.commit(set).await {
        Ok(()) => Ok(group),
        Err(StoreError::Conflict(_)) => Err(address_taken()),
        Err(e) => Err(e.into()),
    }
}

pub async fn get(ops: &Ops, actor: &Actor, key: &str) -> Result<Group, OpError> {
    Ok(find(ops, actor, key, AdminNeed::GroupsRead).await?.0)
}

/// What a groups list is of.
#[derive(Debug, Clone, Copy)]
pub enum ListOf<'a> {
    /// An account, by id, `my_customer` or primary domain.
    Account(&'a str),
    /// The groups a user or group (by address or id) is a direct member of.
    Member(&'a str),
}

/// The groups a list shows, by address (a list's paging is the front door's).
pub async fn list(ops: &Ops, actor: &Actor, of: ListOf<'_>) -> Result<Vec<Group>, OpError> {
    match of {
        ListOf::Account(key) => {
            let account =
                access::administered(ops, actor, key.trim(), AdminNeed::GroupsRead).await?;
            Ok(ops.store.groups_of(&account.id).await?)
        }
        ListOf::Member(key) => {
            let member_id = match access::user(ops, actor, key, AdminNeed::GroupsRead).await? {
                Some((user, _)) => user.id,
                None => match find(ops, actor, key, AdminNeed::GroupsRead).await {
                    Ok((group, _)) => group.id,
                    Err(OpError::NotFound(_)) => {
                        return Err(OpError::NotFound("Resource Not Found: userKey".into()));
                    }
                    Err(e) => return Err(e),
                },
            };
            Ok(ops.store.groups_of_member(&member_id).await?)
        }
    }
}

/// Changes a group's address, name or description (patch and update alike).
pub async fn change(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    fields: GroupFields,
) -> Result<Group, OpError> {
    let fields = &fields;
    ops.write(|| async move {
        let need = AdminNeed::Privilege("GROUPS_UPDATE");
        let (group, account) = find(ops, actor, key, need).await?;
        let next = changed_group(&group, fields.clone(), &account.domain)?;
        if next.email != group.email
            && matches!(
                addresses::holder(ops, &next.email).await?,
                Some(Holder::User(_) | Holder::Alias(_))
            )
        {
            return Err(address_taken());
        }
        let event = group_event(actor, ops.clock.now(), "group.update", Some(&group), &next);
        let set = WriteSet::from(vec![
            Write::UpdateGroup {
                before: group,
                after: next.clone(),
            },
            Write::Event(event),
        ]);
        Ok(Prepared::new(set, next).conflict_means(address_taken()))
    })
    .await
}

/// Deletes a group, its memberships and the memberships it held.
pub async fn delete(ops: &Ops, actor: &Actor, key: &str) -> Result<(), OpError> {
    ops.write(|| async move {
        let (group, _) = find(ops, actor, key, AdminNeed::Privilege("GROUPS_DELETE")).await?;
        let event = group_event(actor, ops.clock.now(), "group.delete", Some(&group), &group);
        let set = WriteSet::from(vec![Write::DeleteGroup(group), Write::Event(event)]);
        Ok(Prepared::new(set, ()))
    })
    .await
}

/// What a request sets on a membership.
#[derive(Debug, Clone, Default)]
pub struct MemberFields {
    /// The member's address or id (insert only).
    pub key: Option<String>,
    pub role: Option<String>,
    pub delivery: Option<String>,
}

/// Who an address or id names, seen from the group's account: one of its users or
/// groups, or (an address only) someone outside it.
async fn resolve(
    ops: &Ops,
    account: &Customer,
    key: &str,
) -> Result<(String, String, MemberKind), OpError> {
    let key = key.trim().to_ascii_lowercase();
    let by_address = key.contains('@');
    let user = if by_address {
        ops.store.user_by_email(&key).await?
    } else {
        ops.store.user_by_id(&key).await?
    };
    if let Some(u) = user.filter(|u| u.account_id == account.id && u.deleted_at.is_none()) {
        return Ok((u.id, u.primary_email, MemberKind::User));
    }
    let group = if by_address {
        ops.store.group_by_email(&key).await?
    } else {
        ops.store.group_by_id(&key).await?
    };
    if let Some(g) = group.filter(|g| g.account_id == account.id) {
        return Ok((g.id, g.email, MemberKind::Group));
    }
    let in_domain = key
        .rsplit_once('@')
        .is_some_and(|(_, d)| d.eq_ignore_ascii_case(&account.domain));
    if !by_address || in_domain {
        return Err(member_not_found());
    }
    if !email_valid(&key) {
        return Err(RuleError::invalid("email", "not a valid e-mail address").into());
    }
    // Someone outside the account: a stable numeric id from the address.
    let digest = ids::secret_digest(&key);
    let n = u128::from_str_radix(&digest[..24], 16).unwrap_or_default();
    Ok((
        format!("{:021}", n % 10u128.pow(21)),
        key,
        MemberKind::External,
    ))
}

/// Adds a member to a group: a user or group of its account (never the group itself or
/// one that holds it), or an outside address.
pub async fn add_member(
    ops: &Ops,
    actor: &Actor,
    group_key: &str,
    fields: MemberFields,
) -> Result<Member, OpError> {
    let key = fields
        .key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| RuleError::required("email"))?;
    let role = MemberRole::parse(fields.role.as_deref())?;
    let delivery = check_delivery(fields.delivery.as_deref())?;
    let (role, delivery) = (&role, &delivery);
    ops.write(|| async move {
        let need = AdminNeed::Privilege("GROUPS_UPDATE");
        let (group, account) = find(ops, actor, group_key, need).await?;
        let (member_id, email, kind) = resolve(ops, &account, key).await?;
        if kind == MemberKind::Group {
            let memberships = ops.store.memberships_in(&account.id).await?;
            if would_cycle(&memberships, &group.id, &member_id) {
                return Err(RuleError {
                    kind: RuleErrorKind::BadRequest,
                    field: "email".into(),
                    message: "Invalid Input: a group cannot be a member of itself or of a group \
                              it holds"
                        .into(),
                }
                .into());
            }
        }
        let member = Member {
            group_id: group.id.clone(),
            account_id: account.id.clone(),
            member_id,
            email,
            role: *role,
            kind,
            delivery: delivery.clone(),
            created_at: ops.clock.now(),
        };
        let event = member_event(actor, member.created_at, "member.insert", None, &member);
        let set = WriteSet::from(vec![
            Write::InsertMember(member.clone()),
            Write::Event(event),
        ]);
        Ok(Prepared::new(set, member).conflict_means(member_exists()))
    })
    .await
}

/// A group's direct members, with the group, optionally only those holding one of
/// `roles` (by address; a list's paging is the front door's).
pub async fn members(
    ops: &Ops,
    actor: &Actor,
    group_key: &str,
    roles: Option<&str>,
) -> Result<(Group, Vec<Member>), OpError> {
    let wanted = match roles.map(str::trim).filter(|r| !r.is_empty()) {
        None => None,
        Some(list) => Some(
            list.split(',')
                .map(|r| MemberRole::parse(Some(r)).map_err(|e| rename(e, "roles")))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let (group, _) = find(ops, actor, group_key, AdminNeed::GroupsRead).await?;
    let members = ops
        .store
        .members_of(&group.id)
        .await?
        .into_iter()
        .filter(|m| wanted.as_ref().is_none_or(|w| w.contains(&m.role)))
        .collect();
    Ok((group, members))
}

fn rename(mut e: RuleError, field: &str) -> RuleError {
    e.field = field.into();
    e
}

/// The membership `member_key` (an address or id) names in a group.
async fn find_member(ops: &Ops, group: &Group, member_key: &str) -> Result<Member, OpError> {
    let key = member_key.trim().to_ascii_lowercase();
    ops.store
        .members_of(&group.id)
        .await?
        .into_iter()
        .find(|m| m.email == key || m.member_id == key)
        .ok_or_else(member_not_found)
}

pub async fn member(
    ops: &Ops,
    actor: &Actor,
    group_key: &str,
    member_key: &str,
) -> Result<Member, OpError> {
    let (group, _) = find(ops, actor, group_key, AdminNeed::GroupsRead).await?;
    find_member(ops, &group, member_key).await
}

/// Whether a user or group of the account is a member of the group, directly or through
/// the groups it holds.
pub async fn has_member(
    ops: &Ops,
    actor: &Actor,
    group_key: &str,
    member_key: &str,
) -> Result<bool, OpError> {
    let (group, account) = find(ops, actor, group_key, AdminNeed::GroupsRead).await?;
    let (member_id, _, kind) = resolve(ops, &account, member_key).await?;
    if kind == MemberKind::External {
        return Err(RuleError {
            kind: RuleErrorKind::BadRequest,
            field: "memberKey".into(),
            message: "Invalid Input: memberKey: only users and groups of the account can be \
                      looked up"
                .into(),
        }
        .into());
    }
    let memberships = ops.store.memberships_in(&account.id).await?;
    // Members of the group and of every group below it.
    let mut pending = vec![group.id.clone()];
    let mut seen: Vec<String> = Vec::new();
    while let Some(id) = pending.pop() {
        if seen.contains(&id) {
            continue;
        }
        for m in memberships.iter().filter(|m| m.group_id == id) {
            if m.member_id == member_id {
                return Ok(true);
            }
            if m.kind == MemberKind::Group {
                pending.push(m.member_id.clone());
            }
        }
        seen.push(id);
    }
    Ok(false)
}

/// Changes a member's role or delivery setting (patch and update alike).
pub async fn change_member(
    ops: &Ops,
    actor: &Actor,
    group_key: &str,
    member_key: &str,
    fields: MemberFields,
) -> Result<Member, OpError> {
    let fields = &fields;
    ops.write(|| async move {
        let need = AdminNeed::Privilege("GROUPS_UPDATE");
        let (group, _) = find(ops, actor, group_key, need).await?;
        let member = find_member(ops, &group, member_key).await?;
        let mut next = member.clone();
        if fields.role.is_some() {
            next.role = MemberRole::parse(fields.role.as_deref())?;
        }
        if fields.delivery.is_some() {
            next.delivery = check_delivery(fields.delivery.as_deref())?;
        }
        let event = member_event(
            actor,
            ops.clock.now(),
            "member.update",
            Some(&member),
            &next,
        );
        let set = WriteSet::from(vec![
            Write::UpdateMember {
                before: member,
                after: next.clone(),
            },
            Write::Event(event),
        ]);
        Ok(Prepared::new(set, next))
    })
    .await
}

pub async fn remove_member(
    ops: &Ops,
    actor: &Actor,
    group_key: &str,
    member_key: &str,
) -> Result<(), OpError> {
    ops.write(|| async move {
        let need = AdminNeed::Privilege("GROUPS_UPDATE");
        let (group, _) = find(ops, actor, group_key, need).await?;
        let member = find_member(ops, &group, member_key).await?;
        let event = member_event(
            actor,
            ops.clock.now(),
            "member.delete",
            Some(&member),
            &member,
        );
        let set = WriteSet::from(vec![Write::DeleteMember(member), Write::Event(event)]);
        Ok(Prepared::new(set, ()))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{actor, holding, ops, world};

    fn named(email: &str) -> GroupFields {
        GroupFields {
            email: Some(email.into()),
            name: None,
            description: None,
        }
    }

    fn adding(key: &str, role: Option<&str>) -> MemberFields {
        MemberFields {
            key: Some(key.into()),
            role: role.map(str::to_string),
            delivery: None,
        }
    }

    #[tokio::test]
    async fn groups_need_group_privileges_and_take_no_address_in_use() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let sales = format!("sales@{}", customer.domain);
        let reader = holding(&ops, &customer, "reader", &["GROUPS_RETRIEVE"]).await;
        let refused = insert(&ops, &actor(&reader), named(&sales)).await;
        assert_eq!(refused.err(), Some(OpError::not_administrable()));
        let made = insert(&ops, &actor(&boss), named(&sales))
            .await
            .expect("made");
        assert_eq!(made.name, "sales");
        assert_eq!(get(&ops, &actor(&reader), &made.id).await, Ok(made.clone()));
        let again = insert(&ops, &actor(&boss), named(&sales.to_uppercase())).await;
        assert_eq!(again.err(), Some(address_taken()));
        let taken_by_user = insert(&ops, &actor(&boss), named(&boss.primary_email)).await;
        assert_eq!(taken_by_user.err(), Some(address_taken()));
        let deleted = delete(&ops, &actor(&reader), &sales).await;
        assert_eq!(deleted.err(), Some(OpError::not_administrable()));
        delete(&ops, &actor(&boss), &sales).await.expect("deleted");
        assert_eq!(
            get(&ops, &actor(&boss), &made.id).await,
            Err(group_not_found())
        );
    }

    #[tokio::test]
    async fn members_are_users_groups_or_outsiders_and_never_a_cycle() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let boss_actor = actor(&boss);
        let outer = insert(
            &ops,
            &boss_actor,
            named(&format!("outer@{}", customer.domain)),
        )
        .await
        .expect("outer");
        let inner = insert(
            &ops,
            &boss_actor,
            named(&format!("inner@{}", customer.domain)),
        )
        .await
        .expect("inner");
        add_member(&ops, &boss_actor, &outer.id, adding(&inner.email, None))
            .await
            .expect("inner in outer");
        let user = add_member(
            &ops,
            &boss_actor,
            &inner.email,
            adding(&boss.id, Some("owner")),
        )
        .await
        .expect("boss in inner");
        assert_eq!(
            (user.kind, user.role),
            (MemberKind::User, MemberRole::Owner)
        );
        let twice = add_member(
            &ops,
            &boss_actor,
            &inner.email,
            adding(&boss.primary_email, None),
        )
        .await;
        assert_eq!(twice.err(), Some(member_exists()));
        let cycle = add_member(&ops, &boss_actor, &inner.id, adding(&outer.email, None)).await;
        assert_eq!(
            cycle.expect_err("cycle").violations()[0].kind,
            RuleErrorKind::BadRequest
        );
        let itself = add_member(&ops, &boss_actor, &inner.id, adding(&inner.id, None)).await;
        assert!(itself.is_err());
        let nobody = add_member(
            &ops,
            &boss_actor,
            &inner.id,
            adding(&format!("nobody@{}", customer.domain), None),
        )
        .await;
        assert_eq!(nobody.err(), Some(member_not_found()));
        let outsider = add_member(
            &ops,
            &boss_actor,
            &inner.id,
            adding("Pat@Elsewhere.example", None),
        )
        .await
        .expect("outsider");
        assert_eq!(
            (outsider.kind, outsider.email.as_str()),
            (MemberKind::External, "pat@elsewhere.example")
        );

        assert!(
            has_member(&ops, &boss_actor, &outer.id, &boss.primary_email)
                .await
                .expect("nested")
        );
        let (_, owners) = members(&ops, &boss_actor, &inner.id, Some("OWNER"))
            .await
            .expect("owners");
        assert_eq!(owners.len(), 1);
        let of_boss = list(&ops, &boss_actor, ListOf::Member(&boss.primary_email))
            .await
            .expect("list");
        assert_eq!(of_boss, vec![inner.clone()]);

        // Deleting the inner group takes its membership of outer with it.
        delete(&ops, &boss_actor, &inner.id).await.expect("deleted");
        let (_, left) = members(&ops, &boss_actor, &outer.id, None)
            .await
            .expect("members");
        assert!(left.is_empty());
        assert!(
            !has_member(&ops, &boss_actor, &outer.id, &boss.id)
                .await
                .expect("gone")
        );
    }

    #[tokio::test]
    async fn concurrent_additions_of_one_member_let_one_win() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let boss_actor = actor(&boss);
        let team = insert(
            &ops,
            &boss_actor,
            named(&format!("team@{}", customer.domain)),
        )
        .await
        .expect("team");
        let add = || add_member(&ops, &boss_actor, &team.id, adding(&boss.id, None));
        let (a, b, c) = tokio::join!(add(), add(), add());
        let won = [a, b, c].into_iter().filter(Result::is_ok).count();
        assert_eq!(won, 1);
    }
}
