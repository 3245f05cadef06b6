//! Groups of an account and their members (the Directory API's `groups` and `members`):
//! what a group's address, name and description may be, which roles a member holds, and
//! that group memberships never form a cycle.

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::customer::email_valid;
use crate::error::{RuleError, RuleErrorKind};

/// Google limits a group's name to 73 characters and its description to 4,096.
pub const GROUP_NAME_MAX: usize = 73;
pub const GROUP_DESCRIPTION_MAX: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// Fifteen characters, as Google's (`0` and fourteen hexadecimal digits).
    pub id: String,
    pub account_id: String,
    /// Lower-case, in the account's domain.
    pub email: String,
    pub name: String,
    pub description: String,
    pub created_at: Millis,
    pub version: i64,
}

/// A member's role in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MemberRole {
    Owner,
    Manager,
    Member,
}

impl MemberRole {
    /// Google's name (`OWNER`, `MANAGER`, `MEMBER`); `MEMBER` when absent.
    pub fn parse(value: Option<&str>) -> Result<MemberRole, RuleError> {
        match value.map(str::trim) {
            None | Some("") => Ok(MemberRole::Member),
            Some(v) => match v.to_ascii_uppercase().as_str() {
                "OWNER" => Ok(MemberRole::Owner),
                "MANAGER" => Ok(MemberRole::Manager),
                "MEMBER" => Ok(MemberRole::Member),
                _ => Err(RuleError::invalid(
                    "role",
                    format!("Invalid role: '{v}' is not one of OWNER, MANAGER, MEMBER"),
                )),
            },
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Owner => "OWNER",
            MemberRole::Manager => "MANAGER",
            MemberRole::Member => "MEMBER",
        }
    }
}

/// What a member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberKind {
    /// A user of the group's account.
    User,
    /// Another group of the account.
    Group,
    /// An address outside the account (a user or group elsewhere).
    External,
}

impl MemberKind {
    /// Google's `type` (an outside address is a `USER` there too; `status` tells them
    /// apart, and partnerd keeps the distinction to know which id to look up).
    pub fn wire_type(self) -> &'static str {
        match self {
            MemberKind::User | MemberKind::External => "USER",
            MemberKind::Group => "GROUP",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::User => "USER",
            MemberKind::Group => "GROUP",
            MemberKind::External => "EXTERNAL",
        }
    }

    pub fn parse(stored: &str) -> MemberKind {
        match stored {
            "GROUP" => MemberKind::Group,
            "EXTERNAL" => MemberKind::External,
            _ => MemberKind::User,
        }
    }
}

/// Mail delivery preferences Google accepts for a member.
pub const DELIVERY_SETTINGS: &[&str] = &["ALL_MAIL", "DAILY", "DIGEST", "DISABLED", "NONE"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub group_id: String,
    pub account_id: String,
    /// The user's or group's id; for an outside address, an id derived from it.
    pub member_id: String,
    /// Lower-case.
    pub email: String,
    pub role: MemberRole,
    pub kind: MemberKind,
    pub delivery: String,
    pub created_at: Millis,
}

/// What a request sets on a group; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct GroupFields {
    pub email: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
}

/// A group's address: valid and in the account's domain, lower-cased.
pub fn check_group_email(email: &str, domain: &str) -> Result<String, RuleError> {
    let email = email.trim().to_ascii_lowercase();
    if email.is_empty() {
        return Err(RuleError::required("email"));
    }
    if !email_valid(&email) {
        return Err(RuleError::invalid("email", "not a valid e-mail address"));
    }
    if email.rsplit_once('@').map(|(_, d)| d) != Some(domain) {
        return Err(RuleError::invalid(
            "email",
            format!("the address must be in the customer's domain {domain}"),
        ));
    }
    Ok(email)
}

fn check_text(field: &str, value: &str, max: usize) -> Result<String, RuleError> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(RuleError::invalid(
            field,
            format!("at most {max} characters"),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(RuleError::invalid(
            field,
            "control characters are not allowed",
        ));
    }
    Ok(value.to_string())
}

/// A new group from `fields`: the address is required; the name defaults to the part of
/// the address before `@`, as the Admin console fills it in.
pub fn new_group(
    id: String,
    account_id: &str,
    domain: &str,
    fields: GroupFields,
    now: Millis,
) -> Result<Group, RuleError> {
    let email = check_group_email(fields.email.as_deref().unwrap_or(""), domain)?;
    let name = match fields.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => check_text("name", n, GROUP_NAME_MAX)?,
        _ => email.split('@').next().unwrap_or_default().to_string(),
    };
    let description = check_text(
        "description",
        fields.description.as_deref().unwrap_or(""),
        GROUP_DESCRIPTION_MAX,
    )?;
    Ok(Group {
        id,
        account_id: account_id.to_string(),
        email,
        name,
        description,
        created_at: now,
        version: 1,
    })
}

/// `fields` applied to `group` (only those given change); an empty name is refused.
pub fn changed_group(group: &Group, fields: GroupFields, domain: &str) -> Result<Group, RuleError> {
    let mut next = group.clone();
    if let Some(email) = fields.email {
        next.email = check_group_email(&email, domain)?;
    }
    if let Some(name) = fields.name {
        let name = check_text("name", &name, GROUP_NAME_MAX)?;
        if name.is_empty() {
            return Err(RuleError::required("name"));
        }
        next.name = name;
    }
    if let Some(d) = fields.description {
        next.description = check_text("description", &d, GROUP_DESCRIPTION_MAX)?;
    }
    next.version += 1;
    Ok(next)
}

/// A member's delivery setting, `ALL_MAIL` when absent.
pub fn check_delivery(value: Option<&str>) -> Result<String, RuleError> {
    match value.map(str::trim) {
        None | Some("") => Ok("ALL_MAIL".into()),
        Some(v) if DELIVERY_SETTINGS.contains(&v) => Ok(v.to_string()),
        Some(v) => Err(RuleError::invalid(
            "delivery_settings",
            format!("'{v}' is not one of {}", DELIVERY_SETTINGS.join(", ")),
        )),
    }
}

/// Whether making `candidate` a member of `group` would put a group inside itself:
/// `candidate` is `group`, or `group` is (directly or through other groups) a member of
/// `candidate`. `members` is every group membership of the account.
pub fn would_cycle(members: &[Member], group_id: &str, candidate_id: &str) -> bool {
    let mut pending = vec![candidate_id];
    let mut seen: Vec<&str> = Vec::new();
    while let Some(id) = pending.pop() {
        if id == group_id {
            return true;
        }
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        pending.extend(
            members
                .iter()
                .filter(|m| m.group_id == id && m.kind == MemberKind::Group)
                .map(|m| m.member_id.as_str()),
        );
    }
    false
}

/// The error Google gives when a member is added twice, or a group takes an address in use.
pub fn duplicate(field: &str, message: &str) -> RuleError {
    RuleError {
        kind: RuleErrorKind::Duplicate,
        field: field.into(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(email: &str, name: Option<&str>) -> GroupFields {
        GroupFields {
            email: Some(email.into()),
            name: name.map(str::to_string),
            description: None,
        }
    }

    fn member(group: &str, id: &str, kind: MemberKind) -> Member {
        Member {
            group_id: group.into(),
            account_id: "C0".into(),
            member_id: id.into(),
            email: format!("{id}@x.example"),
            role: MemberRole::Member,
            kind,
            delivery: "ALL_MAIL".into(),
            created_at: 0,
        }
    }

    #[test]
    fn a_group_needs_an_address_in_the_domain_and_names_itself_after_it() {
        let g = new_group(
            "0a".into(),
            "C0",
            "x.example",
            fields(" Sales@X.example ", None),
            5,
        )
        .expect("group");
        assert_eq!(
            (g.email.as_str(), g.name.as_str()),
            ("sales@x.example", "sales")
        );
        let missing = new_group("0a".into(), "C0", "x.example", GroupFields::default(), 5);
        assert_eq!(missing.expect_err("required").kind, RuleErrorKind::Required);
        let elsewhere = new_group(
            "0a".into(),
            "C0",
            "x.example",
            fields("a@y.example", None),
            5,
        );
        assert_eq!(elsewhere.expect_err("domain").field, "email");
        let long = "n".repeat(GROUP_NAME_MAX + 1);
        let too_long = new_group(
            "0a".into(),
            "C0",
            "x.example",
            fields("a@x.example", Some(&long)),
            5,
        );
        assert_eq!(too_long.expect_err("long").field, "name");
    }

    #[test]
    fn a_change_keeps_what_it_does_not_name() {
        let g = new_group(
            "0a".into(),
            "C0",
            "x.example",
            fields("a@x.example", Some("A")),
            5,
        )
        .expect("group");
        let described = GroupFields {
            description: Some("Line one\nline two".into()),
            ..GroupFields::default()
        };
        let next = changed_group(&g, described, "x.example").expect("changed");
        assert_eq!((next.name.as_str(), next.version), ("A", 2));
        assert_eq!(next.description, "Line one\nline two");
        let unnamed = GroupFields {
            name: Some(" ".into()),
            ..GroupFields::default()
        };
        assert_eq!(
            changed_group(&g, unnamed, "x.example")
                .expect_err("empty")
                .kind,
            RuleErrorKind::Required
        );
    }

    #[test]
    fn roles_and_delivery_are_googles_names() {
        assert_eq!(MemberRole::parse(None), Ok(MemberRole::Member));
        assert_eq!(MemberRole::parse(Some("owner")), Ok(MemberRole::Owner));
        assert_eq!(
            MemberRole::parse(Some("BOSS")).expect_err("bad").field,
            "role"
        );
        assert_eq!(check_delivery(None).as_deref(), Ok("ALL_MAIL"));
        assert!(check_delivery(Some("WEEKLY")).is_err());
    }

    #[test]
    fn a_group_never_ends_up_inside_itself() {
        // a ⊃ b ⊃ c; users never lead anywhere.
        let members = vec![
            member("a", "b", MemberKind::Group),
            member("b", "c", MemberKind::Group),
            member("c", "u", MemberKind::User),
        ];
        assert!(would_cycle(&members, "a", "a"));
        assert!(would_cycle(&members, "c", "a"), "c inside a would hold a");
        assert!(would_cycle(&members, "b", "a"));
        assert!(!would_cycle(&members, "a", "c"), "already below, no cycle");
        assert!(!would_cycle(&members, "u", "a"));
    }
}
