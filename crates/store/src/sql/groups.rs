//! Directory groups and their members.

use partnerd_domain::groups::{Group, Member, MemberKind, MemberRole};

use super::{Statement, checked, write};
use crate::Result;
use crate::rows::{FromRow, Row, Value};

pub const INSERT_GROUP: &str = "INSERT INTO directory_groups (id, account_id, email, name, description, \
     created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub const UPDATE_GROUP: &str = "UPDATE directory_groups SET email = $1, name = $2, description = $3, \
     version = $4 WHERE id = $5 AND version = $6";

pub const DELETE_GROUP: &str = "DELETE FROM directory_groups WHERE id = $1 AND version = $2";

/// A group's own members, and the memberships it holds in other groups.
pub const DELETE_MEMBERSHIPS_OF_GROUP: &str =
    "DELETE FROM group_members WHERE group_id = $1 OR member_id = $1";

pub const SELECT_GROUP_BY_ID: &str = "SELECT id, account_id, email, name, description, created_at, \
     version FROM directory_groups WHERE id = $1";

pub const SELECT_GROUP_BY_EMAIL: &str = "SELECT id, account_id, email, name, description, created_at, \
     version FROM directory_groups WHERE email = $1";

pub const SELECT_GROUPS_OF_ACCOUNT: &str = "SELECT id, account_id, email, name, description, \
     created_at, version FROM directory_groups WHERE account_id = $1 ORDER BY email";

/// The groups `member_id` is a direct member of.
pub const SELECT_GROUPS_OF_MEMBER: &str = "SELECT g.id, g.account_id, g.email, g.name, g.description, \
     g.created_at, g.version FROM directory_groups g JOIN group_members m ON m.group_id = g.id \
     WHERE m.member_id = $1 ORDER BY g.email";

pub const INSERT_MEMBER: &str = "INSERT INTO group_members (group_id, account_id, member_id, email, \
     role, kind, delivery, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

pub const UPDATE_MEMBER: &str = "UPDATE group_members SET role = $1, delivery = $2 \
     WHERE group_id = $3 AND member_id = $4 AND role = $5 AND delivery = $6";

pub const DELETE_MEMBER: &str = "DELETE FROM group_members WHERE group_id = $1 AND member_id = $2";

/// A deleted user leaves every group.
pub const DELETE_MEMBERSHIPS_OF_USER: &str = "DELETE FROM group_members WHERE member_id = $1";

pub const SELECT_MEMBERS_OF_GROUP: &str = "SELECT group_id, account_id, member_id, email, role, kind, \
     delivery, created_at FROM group_members WHERE group_id = $1 ORDER BY email";

pub const SELECT_MEMBERS_OF_ACCOUNT: &str = "SELECT group_id, account_id, member_id, email, role, \
     kind, delivery, created_at FROM group_members WHERE account_id = $1 ORDER BY group_id, email";

fn group_params(g: &Group) -> Vec<Value> {
    vec![
        g.id.as_str().into(),
        g.account_id.as_str().into(),
        g.email.as_str().into(),
        g.name.as_str().into(),
        g.description.as_str().into(),
        g.created_at.into(),
        g.version.into(),
    ]
}

fn member_params(m: &Member) -> Vec<Value> {
    vec![
        m.group_id.as_str().into(),
        m.account_id.as_str().into(),
        m.member_id.as_str().into(),
        m.email.as_str().into(),
        m.role.as_str().into(),
        m.kind.as_str().into(),
        m.delivery.as_str().into(),
        m.created_at.into(),
    ]
}

impl FromRow for Group {
    fn from_row(r: &impl Row) -> Result<Self> {
        Ok(Group {
            id: r.text(0)?,
            account_id: r.text(1)?,
            email: r.text(2)?,
            name: r.text(3)?,
            description: r.text(4)?,
            created_at: r.int(5)?,
            version: r.int(6)?,
        })
    }
}

impl FromRow for Member {
    fn from_row(r: &impl Row) -> Result<Self> {
        Ok(Member {
            group_id: r.text(0)?,
            account_id: r.text(1)?,
            member_id: r.text(2)?,
            email: r.text(3)?,
            role: MemberRole::parse(Some(&r.text(4)?)).unwrap_or(MemberRole::Member),
            kind: MemberKind::parse(&r.text(5)?),
            delivery: r.text(6)?,
            created_at: r.int(7)?,
        })
    }
}

/// `Write::InsertGroup` (`directory_groups_email_key` when the address is taken).
pub fn insert_group(g: &Group) -> Statement {
    write(INSERT_GROUP, group_params(g))
}

/// `Write::UpdateGroup`: the group read as `before` becomes `after`, or `Stale`.
pub fn update_group(before: &Group, after: &Group) -> Statement {
    checked(
        UPDATE_GROUP,
        vec![
            after.email.as_str().into(),
            after.name.as_str().into(),
            after.description.as_str().into(),
            after.version.into(),
            before.id.as_str().into(),
            before.version.into(),
        ],
    )
}

/// `Write::DeleteGroup`: its memberships first, then the version read, or `Stale`.
pub fn delete_group(g: &Group) -> [Statement; 2] {
    [
        write(DELETE_MEMBERSHIPS_OF_GROUP, vec![g.id.as_str().into()]),
        checked(DELETE_GROUP, vec![g.id.as_str().into(), g.version.into()]),
    ]
}

/// `Write::InsertMember` (the primary key conflicts when it is a member already).
pub fn insert_member(m: &Member) -> Statement {
    write(INSERT_MEMBER, member_params(m))
}

/// `Write::UpdateMember`: the membership read as `before` becomes `after`, or `Stale`.
pub fn update_member(before: &Member, after: &Member) -> Statement {
    checked(
        UPDATE_MEMBER,
        vec![
            after.role.as_str().into(),
            after.delivery.as_str().into(),
            before.group_id.as_str().into(),
            before.member_id.as_str().into(),
            before.role.as_str().into(),
            before.delivery.as_str().into(),
        ],
    )
}

/// `Write::DeleteMember`: `Stale` if it is gone already.
pub fn delete_member(m: &Member) -> Statement {
    checked(
        DELETE_MEMBER,
        vec![m.group_id.as_str().into(), m.member_id.as_str().into()],
    )
}

/// `Write::LeaveGroups`.
pub fn delete_memberships_of_user(user_id: &str) -> Statement {
    write(DELETE_MEMBERSHIPS_OF_USER, vec![user_id.into()])
}
