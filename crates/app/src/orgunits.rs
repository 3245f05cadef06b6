//! An account's organizational units (the Directory API's `orgunits`, and the Admin
//! console's unit pages): finding one by path or id, listing, creating, renaming or
//! moving one with its subtree, deleting an empty one.

use partnerd_domain::customer::Customer;
use partnerd_domain::directory::{
    OrgUnit, check_unit_name, child_path, ensure_deletable, moved_subtree, normalize_path, within,
};
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::{Clock, RuleError, RuleErrorKind};
use partnerd_store::{Write, WriteSet};

use crate::access;
use crate::privileges::AdminNeed;
use crate::{Actor, Change, OpError, Ops, Prepared};

/// The root unit is implicit; its id is derived from the account so it never changes.
pub fn root_id(account_id: &str) -> String {
    // The first 8 bytes of the account id's SHA-256, read as a big-endian number.
    let digest = ids::secret_digest(account_id);
    let n = u64::from_str_radix(&digest[..16], 16).unwrap_or_default();
    format!("id:{:015}", n % 1_000_000_000_000_000)
}

/// The path of the unit above `path` (`/` for a top-level unit).
pub fn parent_path(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".into(),
        Some((p, _)) => p.to_string(),
    }
}

/// Where a unit is: the root, or one of the stored units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Root,
    Unit(OrgUnit),
}

fn not_found() -> OpError {
    OpError::NotFound("Org unit not found".into())
}

/// Finds a unit by path (`Staff/Sales`, with or without a leading slash) or by `id:…`.
pub fn locate(account: &Customer, units: &[OrgUnit], key: &str) -> Result<Place, OpError> {
    let key = key.trim();
    if key.starts_with("id:") {
        if key == root_id(&account.id) {
            return Ok(Place::Root);
        }
        return units
            .iter()
            .find(|u| u.id == key)
            .cloned()
            .map(Place::Unit)
            .ok_or_else(not_found);
    }
    let path = normalize_path(key)?;
    if path == "/" {
        return Ok(Place::Root);
    }
    units
        .iter()
        .find(|u| u.path.eq_ignore_ascii_case(&path))
        .cloned()
        .map(Place::Unit)
        .ok_or_else(not_found)
}

/// The parent named in a request, which must exist: its path, and its id (`None` for root).
fn parent_of(
    account: &Customer,
    units: &[OrgUnit],
    key: &str,
) -> Result<(String, Option<String>), OpError> {
    match locate(account, units, key) {
        Ok(Place::Root) => Ok(("/".into(), None)),
        Ok(Place::Unit(u)) => Ok((u.path, Some(u.id))),
        Err(_) => Err(RuleError::invalid(
            "parentOrgUnitPath",
            format!("the parent unit {key} does not exist"),
        )
        .into()),
    }
}

fn duplicate(path: &str) -> OpError {
    RuleError {
        kind: RuleErrorKind::Duplicate,
        field: "orgUnitPath".into(),
        message: format!("Invalid Ou Id: an org unit {path} already exists"),
    }
    .into()
}

fn bad_request(message: &str) -> OpError {
    RuleError {
        kind: RuleErrorKind::BadRequest,
        field: String::new(),
        message: message.into(),
    }
    .into()
}

fn event(
    actor: &Actor,
    at: i64,
    action: &str,
    before: Option<&OrgUnit>,
    after: &OrgUnit,
) -> NewEvent {
    NewEvent::of(at, actor.name(), action, "orgUnit", &after.id)
        .in_account(&after.account_id)
        .states(before, Some(after))
}

/// What a request sets on a unit; `None` leaves a field as it is (or, for a new unit,
/// at its default: no description, under the root).
#[derive(Debug, Clone, Default)]
pub struct UnitFields {
    pub name: Option<String>,
    pub description: Option<String>,
    /// The parent unit, by path or `id:…`.
    pub parent: Option<String>,
}

/// How much of the tree below a unit a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// The units directly below it.
    Children,
    /// Every unit below it.
    All,
    /// Every unit below it, and itself first.
    AllIncludingParent,
}

impl Depth {
    /// Google's name of a depth (`children`, `all`, `allIncludingParent`).
    pub fn parse(name: &str) -> Option<Depth> {
        match name {
            "children" => Some(Depth::Children),
            "all" => Some(Depth::All),
            "allIncludingParent" => Some(Depth::AllIncludingParent),
            _ => None,
        }
    }
}

/// The units of an account as read for a list, around the unit the list starts at.
#[derive(Debug, Clone)]
pub struct Tree {
    pub account: Customer,
    /// Where the list starts; `None` is the root.
    pub base: Option<OrgUnit>,
    pub units: Vec<OrgUnit>,
}

impl Tree {
    /// The units `depth` shows, in the order they are stored.
    pub fn select(&self, depth: Depth) -> Vec<Place> {
        let base_id = self.base.as_ref().map(|u| u.id.as_str());
        let base_path = self.base.as_ref().map_or("/", |u| u.path.as_str());
        let mut out = Vec::new();
        match depth {
            Depth::Children => out.extend(
                self.units
                    .iter()
                    .filter(|u| u.parent_id.as_deref() == base_id)
                    .cloned()
                    .map(Place::Unit),
            ),
            Depth::All | Depth::AllIncludingParent => {
                if depth == Depth::AllIncludingParent {
                    out.push(self.base.clone().map_or(Place::Root, Place::Unit));
                }
                out.extend(
                    self.units
                        .iter()
                        .filter(|u| within(&u.path, base_path) && Some(u.id.as_str()) != base_id)
                        .cloned()
                        .map(Place::Unit),
                );
            }
        }
        out
    }
}

/// The units of the account `key` names around the unit at `from` (the root when `None`).
/// Which of them a list shows is the caller's `Tree::select`, so that a depth is parsed
/// (and refused) only once the actor may see the units.
pub async fn list(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    from: Option<&str>,
) -> Result<Tree, OpError> {
    let account = access::administered(ops, actor, key, AdminNeed::OrgUnitsRead).await?;
    let units = ops.store.org_units(&account.id).await?;
    let base = match locate(&account, &units, from.unwrap_or("/"))? {
        Place::Root => None,
        Place::Unit(u) => Some(u),
    };
    Ok(Tree {
        account,
        base,
        units,
    })
}

/// One unit (or the root) of the account `key` names, with that account.
pub async fn get(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    unit: &str,
) -> Result<(Customer, Place), OpError> {
    let account = access::administered(ops, actor, key, AdminNeed::OrgUnitsRead).await?;
    let units = ops.store.org_units(&account.id).await?;
    let place = locate(&account, &units, unit)?;
    Ok((account, place))
}

/// Creates a unit below an existing one (the root by default).
pub async fn insert(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    fields: UnitFields,
) -> Result<OrgUnit, OpError> {
    let need = AdminNeed::Privilege("ORGANIZATION_UNITS_CREATE");
    let account = access::administered(ops, actor, key, need).await?;
    let name = check_unit_name(fields.name.as_deref())?;
    let (account, name, fields) = (&account, &name, &fields);
    ops.write(|| async move {
        let units = ops.store.org_units(&account.id).await?;
        let parent = fields.parent.as_deref().unwrap_or("/");
        let (parent_path, parent_id) = parent_of(account, &units, parent)?;
        let path = normalize_path(&child_path(&parent_path, name))?;
        if units.iter().any(|u| u.path.eq_ignore_ascii_case(&path)) {
            return Err(duplicate(&path));
        }
        let now = ops.clock.now();
        let unit = OrgUnit {
            id: format!("id:{}", &ids::new_numeric_id()[..15]),
            account_id: account.id.clone(),
            name: name.clone(),
            description: fields.description.clone().filter(|d| !d.trim().is_empty()),
            path,
            parent_id,
            created_at: now,
            version: 1,
        };
        let set = WriteSet::from(vec![
            Write::InsertOrgUnit(unit.clone()),
            Write::Event(event(actor, now, "orgUnit.insert", None, &unit)),
        ]);
        let conflict = duplicate(&unit.path);
        Ok(Prepared::new(set, unit).conflict_means(conflict))
    })
    .await
}

/// Renames or moves a unit, or changes its description; its subtree's paths follow in
/// the same commit. Patch and update change the same fields the same way.
pub async fn change(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    unit_key: &str,
    fields: UnitFields,
) -> Result<OrgUnit, OpError> {
    let fields = &fields;
    ops.write(|| async move {
        let need = AdminNeed::Privilege("ORGANIZATION_UNITS_UPDATE");
        let account = access::administered(ops, actor, key, need).await?;
        let units = ops.store.org_units(&account.id).await?;
        let unit = match locate(&account, &units, unit_key)? {
            Place::Root => {
                return Err(bad_request(
                    "The root organizational unit cannot be changed.",
                ));
            }
            Place::Unit(u) => u,
        };
        let name = match &fields.name {
            Some(n) => check_unit_name(Some(n))?,
            None => unit.name.clone(),
        };
        let (parent_path, parent_id) = match &fields.parent {
            Some(k) => parent_of(&account, &units, k)?,
            None => (parent_path(&unit.path), unit.parent_id.clone()),
        };
        if within(&parent_path, &unit.path) && parent_path != "/" {
            return Err(
                RuleError::invalid("parentOrgUnitPath", "a unit cannot move below itself").into(),
            );
        }
        let new_path = normalize_path(&child_path(&parent_path, &name))?;
        if !new_path.eq_ignore_ascii_case(&unit.path)
            && units.iter().any(|u| u.path.eq_ignore_ascii_case(&new_path))
        {
            return Err(duplicate(&new_path));
        }
        let mut updated = unit.clone();
        updated.name = name;
        updated.parent_id = parent_id;
        updated.path = new_path.clone();
        updated.version += 1;
        if let Some(d) = &fields.description {
            updated.description = Some(d.clone()).filter(|d| !d.trim().is_empty());
        }
        let now = ops.clock.now();
        let mut change = Change::new();
        for (before, moved) in moved_subtree(&units, &unit.path, &new_path) {
            // The subtree moves the unit itself too; its own fields change as asked.
            let after = if before.id == unit.id {
                updated.clone()
            } else {
                moved
            };
            change.event(event(actor, now, "orgUnit.update", Some(&before), &after));
            change.write(Write::UpdateOrgUnit { before, after });
        }
        let set = change.into_set();
        Ok(Prepared::new(set, updated).conflict_means(duplicate(&new_path)))
    })
    .await
}

/// Deletes a unit that holds no units and no users.
pub async fn delete(ops: &Ops, actor: &Actor, key: &str, unit_key: &str) -> Result<(), OpError> {
    let need = AdminNeed::Privilege("ORGANIZATION_UNITS_DELETE");
    let account = access::administered(ops, actor, key, need).await?;
    let units = ops.store.org_units(&account.id).await?;
    let unit = match locate(&account, &units, unit_key)? {
        Place::Root => {
            return Err(bad_request(
                "The root organizational unit cannot be deleted.",
            ));
        }
        Place::Unit(u) => u,
    };
    let inside = ops
        .store
        .users_of(&account.id)
        .await?
        .iter()
        .filter(|u| u.deleted_at.is_none() && u.org_unit_id.as_deref() == Some(unit.id.as_str()))
        .count();
    ensure_deletable(&unit, &units, inside)?;
    let deleted = event(actor, ops.clock.now(), "orgUnit.delete", Some(&unit), &unit);
    let set = WriteSet::from(vec![Write::DeleteOrgUnit(unit), Write::Event(deleted)]);
    ops.commit(set).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{actor, holding, ops, world};

    fn named(name: &str, parent: Option<&str>) -> UnitFields {
        UnitFields {
            name: Some(name.into()),
            description: None,
            parent: parent.map(str::to_string),
        }
    }

    #[test]
    fn the_root_id_is_the_accounts_digest() {
        // sha256("C0abc1234")[..8] as a big-endian number, modulo 10^15.
        assert_eq!(root_id("C0abc1234"), "id:784944479447821");
    }

    #[tokio::test]
    async fn creating_needs_organization_units_create() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let reader = holding(&ops, &customer, "reader", &["ORGANIZATION_UNITS_RETRIEVE"]).await;
        let refused = insert(&ops, &actor(&reader), "my_customer", named("Sales", None)).await;
        assert_eq!(refused.err(), Some(OpError::not_administrable()));
        assert!(
            ops.store
                .org_units(&customer.id)
                .await
                .expect("units")
                .is_empty()
        );
        // Reading is what the reader may do.
        let tree = list(&ops, &actor(&reader), "my_customer", None)
            .await
            .expect("list");
        assert!(tree.units.is_empty());

        let creator = holding(&ops, &customer, "creator", &["ORGANIZATION_UNITS_CREATE"]).await;
        let made = insert(&ops, &actor(&creator), &customer.id, named("Sales", None))
            .await
            .expect("created");
        assert_eq!(made.path, "/Sales");
        // Changing and deleting need privileges of their own.
        let renamed = change(
            &ops,
            &actor(&creator),
            &customer.id,
            "/Sales",
            named("Ventes", None),
        )
        .await;
        assert_eq!(renamed.err(), Some(OpError::not_administrable()));
        let deleted = delete(&ops, &actor(&creator), &customer.id, "/Sales").await;
        assert_eq!(deleted.err(), Some(OpError::not_administrable()));
        delete(&ops, &actor(&boss), &customer.id, "/Sales")
            .await
            .expect("the super admin deletes");
    }

    #[tokio::test]
    async fn a_move_carries_the_subtree_and_names_the_actor() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let boss_actor = actor(&boss);
        insert(&ops, &boss_actor, &customer.id, named("Staff", None))
            .await
            .expect("staff");
        insert(
            &ops,
            &boss_actor,
            &customer.id,
            named("Sales", Some("/Staff")),
        )
        .await
        .expect("sales");
        insert(&ops, &boss_actor, &customer.id, named("Team", None))
            .await
            .expect("team");
        let duplicate = insert(
            &ops,
            &boss_actor,
            &customer.id,
            named("sales", Some("Staff")),
        )
        .await;
        assert_eq!(
            duplicate.expect_err("duplicate").violations()[0].kind,
            RuleErrorKind::Duplicate
        );
        let below_itself = change(
            &ops,
            &boss_actor,
            &customer.id,
            "/Staff",
            named("Staff", Some("/Staff/Sales")),
        )
        .await;
        assert_eq!(
            below_itself.expect_err("refused").violations()[0].field,
            "parentOrgUnitPath"
        );
        let moved = change(
            &ops,
            &boss_actor,
            &customer.id,
            "/Staff",
            named("People", Some("/Team")),
        )
        .await
        .expect("moved");
        assert_eq!(moved.path, "/Team/People");
        let units = ops.store.org_units(&customer.id).await.expect("units");
        assert!(units.iter().any(|u| u.path == "/Team/People/Sales"));
        let tree = list(&ops, &boss_actor, &customer.id, Some("/Team"))
            .await
            .expect("list");
        assert_eq!(tree.select(Depth::Children).len(), 1);
        assert_eq!(tree.select(Depth::All).len(), 2);
        assert_eq!(tree.select(Depth::AllIncludingParent).len(), 3);
        let not_empty = delete(&ops, &boss_actor, &customer.id, "/Team/People").await;
        assert_eq!(
            not_empty.expect_err("has children").violations()[0].kind,
            RuleErrorKind::BadRequest
        );

        let events = ops
            .store
            .events(Some(&customer.id), 0, 100)
            .await
            .expect("events");
        let updates: Vec<_> = events
            .iter()
            .filter(|e| e.event.action == "orgUnit.update")
            .collect();
        assert_eq!(updates.len(), 2, "the unit and its child");
        assert!(updates.iter().all(|e| e.event.actor == boss.primary_email));
    }

    #[tokio::test]
    async fn changes_that_race_are_each_judged_again() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let made = insert(&ops, &actor(&boss), &customer.id, named("Sales", None))
            .await
            .expect("sales");
        // Four changes read the same version; each that loses the commit reads again.
        let boss = actor(&boss);
        let describe = |text: &str| {
            let fields = UnitFields {
                name: None,
                description: Some(text.into()),
                parent: None,
            };
            change(&ops, &boss, &customer.id, &made.id, fields)
        };
        let (a, b, c, d) = tokio::join!(describe("a"), describe("b"), describe("c"), describe("d"));
        for result in [a, b, c, d] {
            result.expect("every change commits");
        }
        let units = ops.store.org_units(&customer.id).await.expect("units");
        assert_eq!(units[0].version, made.version + 4, "no change was lost");
    }
}
