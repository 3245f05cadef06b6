//! An account's administrator roles (the Directory API's `privileges.list`, `roles` and
//! `roleAssignments`, and the Admin console's roles pages): the privileges there are,
//! the prebuilt and custom roles, and who holds which. Every change of a role or of who
//! holds it is judged by `privileges::role_grant` and `privileges::role_definition`:
//! nobody hands out what they do not hold.

use partnerd_domain::customer::Customer;
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::roles::{self, CUSTOM_ROLES_MAX, Privilege, Role, RoleAssignment, ScopeType};
use partnerd_domain::{Clock, RuleError, RuleErrorKind};
use partnerd_store::{StoreError, Write, WriteSet};

use crate::access;
use crate::privileges::{self, AdminNeed};
use crate::users;
use crate::{Actor, OpError, Ops, Prepared};

/// Every role of the account: the prebuilt ones first, then the custom ones in creation
/// order (their ids ascend in that order too).
async fn all_roles(ops: &Ops, account: &Customer) -> Result<Vec<Role>, OpError> {
    let mut all: Vec<Role> = roles::system_roles().to_vec();
    all.extend(ops.store.roles(&account.id).await?);
    Ok(all)
}

fn role_not_found() -> OpError {
    OpError::NotFound("Resource Not Found: roleId".into())
}

fn assignment_not_found() -> OpError {
    OpError::NotFound("Resource Not Found: roleAssignmentId".into())
}

fn rule(kind: RuleErrorKind, field: &str, message: String) -> OpError {
    RuleError {
        kind,
        field: field.into(),
        message,
    }
    .into()
}

fn duplicate_name(name: &str) -> OpError {
    rule(
        RuleErrorKind::Duplicate,
        "roleName",
        format!("A role named {name} already exists."),
    )
}

/// An event of this module; the resource type is the action's first word.
fn event(
    ops: &Ops,
    actor: &Actor,
    account: &Customer,
    action: &str,
    id: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> NewEvent {
    let resource_type = action.split('.').next().unwrap_or(action);
    NewEvent {
        before,
        after,
        ..NewEvent::of(ops.clock.now(), actor.name(), action, resource_type, id)
            .in_account(&account.id)
    }
}

/// The privileges roles can be made of, for the account `key` names.
pub async fn catalogue(
    ops: &Ops,
    actor: &Actor,
    key: &str,
) -> Result<(Customer, &'static [Privilege]), OpError> {
    let account = access::administered(ops, actor, key, AdminNeed::Roles).await?;
    Ok((account, roles::tree()))
}

/// Every role of the account `key` names, prebuilt ones first, with that account.
pub async fn list(ops: &Ops, actor: &Actor, key: &str) -> Result<(Customer, Vec<Role>), OpError> {
    let account = access::administered(ops, actor, key, AdminNeed::Roles).await?;
    let roles = all_roles(ops, &account).await?;
    Ok((account, roles))
}

/// One role, prebuilt or custom.
pub async fn get(ops: &Ops, actor: &Actor, key: &str, role_id: &str) -> Result<Role, OpError> {
    let account = access::administered(ops, actor, key, AdminNeed::Roles).await?;
    all_roles(ops, &account)
        .await?
        .into_iter()
        .find(|r| r.id == role_id)
        .ok_or_else(role_not_found)
}

/// What a request sets on a custom role; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct RoleFields {
    pub name: Option<String>,
    pub description: Option<String>,
    pub privileges: Option<Vec<String>>,
}

/// Defines a custom role, made only of privileges the actor holds.
pub async fn insert(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    fields: RoleFields,
) -> Result<Role, OpError> {
    let account = access::administered(ops, actor, key, AdminNeed::Roles).await?;
    let privileges = fields.privileges.unwrap_or_default();
    let name = roles::check_role(fields.name.as_deref(), &privileges)?;
    privileges::role_definition(ops, actor, &account, &privileges).await?;
    let description = fields.description.filter(|d| !d.trim().is_empty());
    let (account, name, privileges, description) = (&account, &name, &privileges, &description);
    ops.write(|| async move {
        let existing = ops.store.roles(&account.id).await?;
        if existing.len() >= CUSTOM_ROLES_MAX {
            return Err(rule(
                RuleErrorKind::ConditionNotMet,
                "",
                format!("An account holds at most {CUSTOM_ROLES_MAX} custom roles."),
            ));
        }
        if roles::system_roles()
            .iter()
            .chain(&existing)
            .any(|r| r.name.eq_ignore_ascii_case(name))
        {
            return Err(duplicate_name(name));
        }
        let role = Role {
            id: ids::new_numeric_id()[..17].to_string(),
            account_id: Some(account.id.clone()),
            name: name.clone(),
            description: description.clone(),
            privileges: privileges.clone(),
            is_super_admin: false,
            created_at: ops.clock.now(),
            version: 1,
        };
        let logged = event(
            ops,
            actor,
            account,
            "role.insert",
            &role.id,
            None,
            serde_json::to_value(&role).ok(),
        );
        let set = WriteSet::from(vec![Write::InsertRole(role.clone()), Write::Event(logged)]);
        let conflict = duplicate_name(&role.name);
        Ok(Prepared::new(set, role).conflict_means(conflict))
    })
    .await
}

/// A custom role of the account; prebuilt roles cannot be changed or deleted.
async fn custom_role(ops: &Ops, account: &Customer, role_id: &str) -> Result<Role, OpError> {
    if roles::system_roles().iter().any(|r| r.id == role_id) {
        return Err(rule(
            RuleErrorKind::BadRequest,
            "roleId",
            "Prebuilt roles cannot be changed or deleted.".into(),
        ));
    }
    ops.store
        .roles(&account.id)
        .await?
        .into_iter()
        .find(|r| r.id == role_id)
        .ok_or_else(role_not_found)
}

/// Changes a custom role: the actor must be able to grant the role as it is and to
/// define it as it becomes. Patch and update change the same fields the same way.
pub async fn change(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    role_id: &str,
    fields: RoleFields,
) -> Result<Role, OpError> {
    let fields = &fields;
    ops.write(|| async move {
        let account = access::administered(ops, actor, key, AdminNeed::Roles).await?;
        let before = custom_role(ops, &account, role_id).await?;
        privileges::role_grant(ops, actor, &account, &before).await?;
        let privileges = fields
            .privileges
            .clone()
            .unwrap_or_else(|| before.privileges.clone());
        let name = roles::check_role(
            fields.name.as_deref().or(Some(before.name.as_str())),
            &privileges,
        )?;
        privileges::role_definition(ops, actor, &account, &privileges).await?;
        let mut after = before.clone();
        after.name = name;
        after.privileges = privileges;
        if let Some(d) = &fields.description {
            after.description = Some(d.clone()).filter(|d| !d.trim().is_empty());
        }
        after.version += 1;
        let logged = event(
            ops,
            actor,
            &account,
            "role.update",
            &after.id,
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
        );
        let set = WriteSet::from(vec![
            Write::UpdateRole {
                before,
                after: after.clone(),
            },
            Write::Event(logged),
        ]);
        let conflict = duplicate_name(&after.name);
        Ok(Prepared::new(set, after).conflict_means(conflict))
    })
    .await
}

/// Deletes a custom role no one holds.
pub async fn delete(ops: &Ops, actor: &Actor, key: &str, role_id: &str) -> Result<(), OpError> {
    let account = access::administered(ops, actor, key, AdminNeed::Roles).await?;
    let role = custom_role(ops, &account, role_id).await?;
    privileges::role_grant(ops, actor, &account, &role).await?;
    if ops
        .store
        .role_assignments(&account.id)
        .await?
        .iter()
        .any(|a| a.role_id == role.id)
    {
        return Err(rule(
            RuleErrorKind::BadRequest,
            "roleId",
            "The role is assigned; delete its assignments first.".into(),
        ));
    }
    let logged = event(
        ops,
        actor,
        &account,
        "role.delete",
        &role.id,
        serde_json::to_value(&role).ok(),
        None,
    );
    let set = WriteSet::from(vec![Write::DeleteRole(role), Write::Event(logged)]);
    ops.commit(set).await?;
    Ok(())
}

// ---- role assignments -----------------------------------------------------------------

/// The assignments of an account a list asked for, and the user they were narrowed to
/// (as an id, whether it was asked for by address or id; empty for an unknown address).
#[derive(Debug, Clone)]
pub struct Assignments {
    pub account: Customer,
    pub user_id: Option<String>,
    pub assignments: Vec<RoleAssignment>,
}

/// The id of the super-admin role assignment a super admin made with `makeAdmin` holds:
/// derived from the user, so it is the same on every read.
pub fn implied_assignment_id(user_id: &str) -> String {
    let digest = ids::secret_digest(&format!("seed-admin:{user_id}"));
    let n = u64::from_str_radix(&digest[..15], 16).unwrap_or_default();
    format!("{:017}", n % 100_000_000_000_000_000)
}

/// Every role assignment of an account, or of one user of it: the stored ones, and the
/// super-admin role of each live super admin made with `makeAdmin` (a flag on the user),
/// which Google lists too. Reads only the super admins, or the one user, not every user.
async fn every_assignment(
    ops: &Ops,
    account: &Customer,
    user_id: Option<&str>,
) -> Result<Vec<RoleAssignment>, OpError> {
    let (mut all, super_admins) = match user_id {
        Some(id) => {
            let user = ops.store.user_by_id(id).await?.filter(|u| {
                u.account_id == account.id && u.is_super_admin && u.deleted_at.is_none()
            });
            let held = ops.store.role_assignments_of(&account.id, id).await?;
            (held, user.into_iter().collect())
        }
        None => (
            ops.store.role_assignments(&account.id).await?,
            ops.store.super_admins_of(&account.id).await?,
        ),
    };
    let Some(seed) = roles::system_roles().iter().find(|r| r.is_super_admin) else {
        return Ok(all);
    };
    for user in super_admins {
        let stored = all
            .iter()
            .any(|a| a.assigned_to == user.id && a.role_id == seed.id);
        if !stored {
            all.push(RoleAssignment {
                id: implied_assignment_id(&user.id),
                account_id: account.id.clone(),
                role_id: seed.id.clone(),
                assigned_to: user.id.clone(),
                scope_type: ScopeType::Customer,
                org_unit_id: None,
                created_at: user.created_at,
            });
        }
    }
    Ok(all)
}

/// The assignments of the account `key` names, of one role and to one user (by address
/// or id) when asked.
pub async fn assignments(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    role_id: Option<&str>,
    user_key: Option<&str>,
) -> Result<Assignments, OpError> {
    let account = access::administered(ops, actor, key, AdminNeed::Roles).await?;
    let user_id = match user_key {
        Some(k) if k.contains('@') => Some(
            ops.store
                .user_by_email(k)
                .await?
                .map(|u| u.id)
                .unwrap_or_default(),
        ),
        Some(k) => Some(k.to_string()),
        None => None,
    };
    let assignments = every_assignment(ops, &account, user_id.as_deref())
        .await?
        .into_iter()
        .filter(|a| role_id.is_none_or(|r| a.role_id == r))
        .filter(|a| user_id.as_ref().is_none_or(|u| &a.assigned_to == u))
        .collect();
    Ok(Assignments {
        account,
        user_id,
        assignments,
    })
}

/// One assignment.
pub async fn assignment(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    id: &str,
) -> Result<RoleAssignment, OpError> {
    let account = access::administered(ops, actor, key, AdminNeed::Roles).await?;
    every_assignment(ops, &account, None)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(assignment_not_found)
}

/// What an assignment request names.
#[derive(Debug, Clone, Default)]
pub struct NewAssignment {
    pub role_id: Option<String>,
    /// The user's id.
    pub assigned_to: Option<String>,
    pub scope_type: Option<String>,
    /// The unit of an `ORG_UNIT` scope, with or without its `id:` prefix.
    pub org_unit_id: Option<String>,
    /// Google's IAM-style condition, which partnerd does not support.
    pub condition: Option<String>,
}

/// Gives a role to a user of the account, which the actor must be able to grant.
pub async fn assign(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    new: NewAssignment,
) -> Result<RoleAssignment, OpError> {
    let account = access::administered(ops, actor, key, AdminNeed::Roles).await?;
    if new
        .condition
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty())
    {
        return Err(RuleError::invalid("condition", "conditions are not supported").into());
    }
    let (account, new) = (&account, &new);
    ops.write(|| async move {
        let role_id = new
            .role_id
            .clone()
            .filter(|r| !r.is_empty())
            .ok_or_else(|| RuleError::required("roleId"))?;
        let role = all_roles(ops, account)
            .await?
            .into_iter()
            .find(|r| r.id == role_id)
            .ok_or_else(|| {
                RuleError::invalid("roleId", format!("{role_id} is not a role of this account"))
            })?;
        privileges::role_grant(ops, actor, account, &role).await?;
        let assigned_to = new
            .assigned_to
            .clone()
            .filter(|a| !a.is_empty())
            .ok_or_else(|| RuleError::required("assignedTo"))?;
        let user = ops
            .store
            .user_by_id(&assigned_to)
            .await?
            .filter(|u| u.account_id == account.id && u.deleted_at.is_none())
            .ok_or_else(|| {
                RuleError::invalid(
                    "assignedTo",
                    format!("{assigned_to} is not a user of this account"),
                )
            })?;
        let scope_type = ScopeType::parse(new.scope_type.as_deref())?;
        let org_unit_id = match scope_type {
            ScopeType::Customer => None,
            ScopeType::OrgUnit => Some(org_unit_of(ops, account, new).await?),
        };
        let assignment = RoleAssignment {
            id: ids::new_numeric_id()[..17].to_string(),
            account_id: account.id.clone(),
            role_id,
            assigned_to: user.id,
            scope_type,
            org_unit_id,
            created_at: ops.clock.now(),
        };
        let logged = event(
            ops,
            actor,
            account,
            "roleAssignment.insert",
            &assignment.id,
            None,
            serde_json::to_value(&assignment).ok(),
        );
        let set = WriteSet::from(vec![
            Write::InsertAssignment(assignment.clone()),
            Write::Event(logged),
        ]);
        let conflict = rule(
            RuleErrorKind::Duplicate,
            "assignedTo",
            "The user already holds this role in this scope.".into(),
        );
        Ok(Prepared::new(set, assignment).conflict_means(conflict))
    })
    .await
}

/// The unit an `ORG_UNIT` assignment names, which must exist.
async fn org_unit_of(
    ops: &Ops,
    account: &Customer,
    new: &NewAssignment,
) -> Result<String, OpError> {
    let id = new
        .org_unit_id
        .clone()
        .filter(|o| !o.is_empty())
        .ok_or_else(|| RuleError::required("orgUnitId"))?;
    let id = if id.starts_with("id:") {
        id
    } else {
        format!("id:{id}")
    };
    if !ops
        .store
        .org_units(&account.id)
        .await?
        .iter()
        .any(|u| u.id == id)
    {
        return Err(RuleError::invalid("orgUnitId", format!("{id} does not exist")).into());
    }
    Ok(id)
}

/// Takes a role back, which asks what giving it asks.
pub async fn unassign(ops: &Ops, actor: &Actor, key: &str, id: &str) -> Result<(), OpError> {
    let account = access::administered(ops, actor, key, AdminNeed::Roles).await?;
    let stored = ops
        .store
        .role_assignments(&account.id)
        .await?
        .into_iter()
        .find(|a| a.id == id);
    let Some(assignment) = stored else {
        // The super-admin role of a user made with makeAdmin: taking it back is what
        // makeAdmin with status false does, under the same rules.
        let implied = every_assignment(ops, &account, None)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(assignment_not_found)?;
        users::make_admin(ops, actor, &implied.assigned_to, false).await?;
        return Ok(());
    };
    if let Some(role) = all_roles(ops, &account)
        .await?
        .iter()
        .find(|r| r.id == assignment.role_id)
    {
        privileges::role_grant(ops, actor, &account, role).await?;
    }
    let logged = event(
        ops,
        actor,
        &account,
        "roleAssignment.delete",
        &assignment.id,
        serde_json::to_value(&assignment).ok(),
        None,
    );
    let set = WriteSet::from(vec![
        Write::DeleteAssignment(assignment),
        Write::Event(logged),
    ]);
    match ops.commit(set).await {
        // Someone else took it back first: what was asked is done.
        Ok(()) | Err(StoreError::Stale) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{actor, holding, ops, user, world};

    fn super_admin_role() -> Role {
        roles::system_roles()
            .iter()
            .find(|r| r.is_super_admin)
            .cloned()
            .expect("the super-admin role")
    }

    fn to(role: &Role, user_id: &str) -> NewAssignment {
        NewAssignment {
            role_id: Some(role.id.clone()),
            assigned_to: Some(user_id.into()),
            scope_type: Some("CUSTOMER".into()),
            org_unit_id: None,
            condition: None,
        }
    }

    fn made_of(name: &str, privileges: &[&str]) -> RoleFields {
        RoleFields {
            name: Some(name.into()),
            description: None,
            privileges: Some(privileges.iter().map(|p| p.to_string()).collect()),
        }
    }

    #[tokio::test]
    async fn roles_need_role_management() {
        let ops = ops().await;
        let (_, customer, _) = world(&ops).await;
        let clerk = holding(&ops, &customer, "clerk", &["USERS_RETRIEVE"]).await;
        let clerk = actor(&clerk);
        let refused = Some(OpError::not_administrable());
        assert_eq!(list(&ops, &clerk, "my_customer").await.err(), refused);
        assert_eq!(catalogue(&ops, &clerk, "my_customer").await.err(), refused);
        let role = super_admin_role();
        assert_eq!(
            get(&ops, &clerk, "my_customer", &role.id).await.err(),
            refused
        );
        let made = insert(
            &ops,
            &clerk,
            "my_customer",
            made_of("Readers", &["USERS_RETRIEVE"]),
        );
        assert_eq!(made.await.err(), refused);
        let listed = assignments(&ops, &clerk, "my_customer", None, None).await;
        assert_eq!(listed.err(), refused);
    }

    #[tokio::test]
    async fn a_role_manager_cannot_hand_out_the_super_admin_role() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let manager = holding(&ops, &customer, "manager", &["ROLE_MANAGEMENT"]).await;
        let manager_actor = actor(&manager);
        let somebody = user(&customer, "somebody", false);
        let set: WriteSet = Write::InsertUser(somebody.clone()).into();
        ops.commit(set).await.expect("somebody");

        let refused = assign(
            &ops,
            &manager_actor,
            &customer.id,
            to(&super_admin_role(), &somebody.id),
        );
        assert_eq!(refused.await.err(), Some(OpError::not_administrable()));
        // Nor define a role with privileges it lacks.
        let wider = insert(
            &ops,
            &manager_actor,
            &customer.id,
            made_of("Wider", &["USERS_ALL"]),
        );
        assert_eq!(wider.await.err(), Some(OpError::not_administrable()));
        assert!(
            ops.store
                .role_assignments(&customer.id)
                .await
                .expect("assignments")
                .iter()
                .all(|a| a.assigned_to != somebody.id)
        );

        // A role within its own privileges it may define, give and take back.
        let own = insert(
            &ops,
            &manager_actor,
            &customer.id,
            made_of("Managers", &["ROLE_MANAGEMENT"]),
        )
        .await
        .expect("defined");
        let given = assign(&ops, &manager_actor, &customer.id, to(&own, &somebody.id))
            .await
            .expect("given");
        // The unique index refuses the same assignment twice, as a duplicate.
        let again = assign(&ops, &manager_actor, &customer.id, to(&own, &somebody.id)).await;
        let again = again.expect_err("held already");
        assert_eq!(again.violations()[0].kind, RuleErrorKind::Duplicate);
        assert_eq!(
            again.violations()[0].message,
            "The user already holds this role in this scope."
        );
        unassign(&ops, &manager_actor, &customer.id, &given.id)
            .await
            .expect("taken back");

        // The customer's super admin gives the super-admin role.
        assign(
            &ops,
            &actor(&boss),
            &customer.id,
            to(&super_admin_role(), &somebody.id),
        )
        .await
        .expect("the super admin may");
    }

    #[tokio::test]
    async fn prebuilt_roles_stay_as_they_are() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let role = super_admin_role();
        let boss = actor(&boss);
        let changed = change(
            &ops,
            &boss,
            &customer.id,
            &role.id,
            made_of("Mine", &["USERS_RETRIEVE"]),
        );
        let err = changed.await.expect_err("prebuilt");
        assert_eq!(err.violations()[0].kind, RuleErrorKind::BadRequest);
        let deleted = delete(&ops, &boss, &customer.id, &role.id).await;
        assert_eq!(
            deleted.expect_err("prebuilt").violations()[0].kind,
            RuleErrorKind::BadRequest
        );
        // Names are compared without case.
        insert(
            &ops,
            &boss,
            &customer.id,
            made_of("Helpers", &["USERS_RETRIEVE"]),
        )
        .await
        .expect("defined");
        let taken = insert(
            &ops,
            &boss,
            &customer.id,
            made_of("HELPERS", &["USERS_RETRIEVE"]),
        );
        let err = taken.await.expect_err("taken name");
        assert_eq!(err.violations()[0].kind, RuleErrorKind::Duplicate);
        assert_eq!(
            err.violations()[0].message,
            "A role named HELPERS already exists."
        );
    }

    #[tokio::test]
    async fn role_changes_that_race_are_each_judged_again_and_name_the_actor() {
        let ops = ops().await;
        let (_, customer, boss_user) = world(&ops).await;
        let boss = actor(&boss_user);
        let role = insert(
            &ops,
            &boss,
            &customer.id,
            made_of("Helpers", &["USERS_RETRIEVE"]),
        )
        .await
        .expect("defined");
        let describe = |text: &str| {
            let fields = RoleFields {
                description: Some(text.into()),
                ..Default::default()
            };
            change(&ops, &boss, &customer.id, &role.id, fields)
        };
        let (a, b, c, d) = tokio::join!(describe("a"), describe("b"), describe("c"), describe("d"));
        for result in [a, b, c, d] {
            result.expect("every change commits");
        }
        let stored = ops.store.roles(&customer.id).await.expect("roles");
        assert_eq!(stored[0].version, role.version + 4, "no change was lost");

        let events = ops
            .store
            .events(Some(&customer.id), 0, 100)
            .await
            .expect("events");
        let role_events: Vec<_> = events
            .iter()
            .filter(|e| e.event.resource_type == "role")
            .collect();
        assert_eq!(role_events.len(), 5);
        assert!(
            role_events
                .iter()
                .all(|e| e.event.actor == boss_user.primary_email)
        );
    }
}
