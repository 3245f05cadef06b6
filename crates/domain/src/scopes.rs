//! OAuth scopes partnerd knows, and which methods need which.

pub const RESELLER: &str = "https://www.googleapis.com/auth/apps.order";
pub const RESELLER_READONLY: &str = "https://www.googleapis.com/auth/apps.order.readonly";

/// Every scope a service account's client ID is authorized for by `partnerd key create`:
/// the Reseller, Directory (the parts resellers use), Licensing and Site Verification APIs.
pub const DELEGATED_BY_DEFAULT: &[&str] = &[
    RESELLER,
    RESELLER_READONLY,
    "https://www.googleapis.com/auth/admin.directory.customer",
    "https://www.googleapis.com/auth/admin.directory.customer.readonly",
    "https://www.googleapis.com/auth/admin.directory.user",
    "https://www.googleapis.com/auth/admin.directory.user.readonly",
    "https://www.googleapis.com/auth/admin.directory.user.alias",
    "https://www.googleapis.com/auth/admin.directory.user.alias.readonly",
    "https://www.googleapis.com/auth/admin.directory.orgunit",
    "https://www.googleapis.com/auth/admin.directory.orgunit.readonly",
    "https://www.googleapis.com/auth/admin.directory.group",
    "https://www.googleapis.com/auth/admin.directory.group.readonly",
    "https://www.googleapis.com/auth/admin.directory.group.member",
    "https://www.googleapis.com/auth/admin.directory.group.member.readonly",
    "https://www.googleapis.com/auth/admin.directory.rolemanagement",
    "https://www.googleapis.com/auth/admin.directory.rolemanagement.readonly",
    "https://www.googleapis.com/auth/apps.licensing",
    "https://www.googleapis.com/auth/siteverification",
    "https://www.googleapis.com/auth/siteverification.verify_only",
];

/// Scopes that exist at Google but are not delegated by default; asking for one of
/// them without a grant is `unauthorized_client`, not `invalid_scope`.
const OTHER_KNOWN: &[&str] = &[
    "https://www.googleapis.com/auth/cloud-platform",
    "https://www.googleapis.com/auth/admin.directory.domain",
    "https://www.googleapis.com/auth/admin.directory.domain.readonly",
    "https://www.googleapis.com/auth/pubsub",
    "openid",
    "email",
    "profile",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/userinfo.profile",
];

pub fn is_known(scope: &str) -> bool {
    DELEGATED_BY_DEFAULT.contains(&scope) || OTHER_KNOWN.contains(&scope)
}

/// Google's provisioning codelab spells its scopes under the Reseller API's host
/// (`https://reseller.googleapis.com/auth/apps.order`, `…/auth/siteverification`,
/// `…/auth/admin.directory.user`); partnerd reads such a spelling as the scope of the same
/// name under `https://www.googleapis.com/auth/` when that scope is one it knows.
const CODELAB_PREFIX: &str = "https://reseller.googleapis.com/auth/";
const SCOPE_PREFIX: &str = "https://www.googleapis.com/auth/";

/// A requested scope in the spelling partnerd grants and checks.
pub fn canonical(scope: &str) -> String {
    if let Some(name) = scope.strip_prefix(CODELAB_PREFIX) {
        let usual = format!("{SCOPE_PREFIX}{name}");
        if is_known(&usual) {
            return usual;
        }
    }
    scope.to_string()
}

/// Splits the space-separated `scope` claim, dropping empty pieces and duplicates, each
/// scope in its canonical spelling.
pub fn parse(claim: &str) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    for s in claim.split_ascii_whitespace().map(canonical) {
        if !scopes.contains(&s) {
            scopes.push(s);
        }
    }
    scopes
}

/// What an API method requires: any one of these scopes.
#[derive(Debug, Clone, Copy)]
pub struct Requirement(pub &'static [&'static str]);

pub const RESELLER_READ: Requirement = Requirement(&[RESELLER, RESELLER_READONLY]);
pub const RESELLER_WRITE: Requirement = Requirement(&[RESELLER]);

const DIR: &str = "https://www.googleapis.com/auth/admin.directory.";
pub const DIRECTORY_CUSTOMER_READ: Requirement = Requirement(&[
    "https://www.googleapis.com/auth/admin.directory.customer",
    "https://www.googleapis.com/auth/admin.directory.customer.readonly",
]);
pub const DIRECTORY_CUSTOMER_WRITE: Requirement =
    Requirement(&["https://www.googleapis.com/auth/admin.directory.customer"]);
pub const DIRECTORY_USER_READ: Requirement = Requirement(&[
    "https://www.googleapis.com/auth/admin.directory.user",
    "https://www.googleapis.com/auth/admin.directory.user.readonly",
]);
pub const DIRECTORY_USER_WRITE: Requirement =
    Requirement(&["https://www.googleapis.com/auth/admin.directory.user"]);
pub const DIRECTORY_ALIAS_READ: Requirement = Requirement(&[
    "https://www.googleapis.com/auth/admin.directory.user",
    "https://www.googleapis.com/auth/admin.directory.user.readonly",
    "https://www.googleapis.com/auth/admin.directory.user.alias",
    "https://www.googleapis.com/auth/admin.directory.user.alias.readonly",
]);
pub const DIRECTORY_ALIAS_WRITE: Requirement = Requirement(&[
    "https://www.googleapis.com/auth/admin.directory.user",
    "https://www.googleapis.com/auth/admin.directory.user.alias",
]);
pub const DIRECTORY_ORGUNIT_READ: Requirement = Requirement(&[
    "https://www.googleapis.com/auth/admin.directory.orgunit",
    "https://www.googleapis.com/auth/admin.directory.orgunit.readonly",
]);
pub const DIRECTORY_ORGUNIT_WRITE: Requirement =
    Requirement(&["https://www.googleapis.com/auth/admin.directory.orgunit"]);

pub const DIRECTORY_GROUP_READ: Requirement = Requirement(&[
    "https://www.googleapis.com/auth/admin.directory.group",
    "https://www.googleapis.com/auth/admin.directory.group.readonly",
]);
pub const DIRECTORY_GROUP_WRITE: Requirement =
    Requirement(&["https://www.googleapis.com/auth/admin.directory.group"]);
pub const DIRECTORY_MEMBER_READ: Requirement = Requirement(&[
    "https://www.googleapis.com/auth/admin.directory.group",
    "https://www.googleapis.com/auth/admin.directory.group.readonly",
    "https://www.googleapis.com/auth/admin.directory.group.member",
    "https://www.googleapis.com/auth/admin.directory.group.member.readonly",
]);
pub const DIRECTORY_MEMBER_WRITE: Requirement = Requirement(&[
    "https://www.googleapis.com/auth/admin.directory.group",
    "https://www.googleapis.com/auth/admin.directory.group.member",
]);

pub const DIRECTORY_ROLES_READ: Requirement = Requirement(&[
    "https://www.googleapis.com/auth/admin.directory.rolemanagement",
    "https://www.googleapis.com/auth/admin.directory.rolemanagement.readonly",
]);
pub const DIRECTORY_ROLES_WRITE: Requirement =
    Requirement(&["https://www.googleapis.com/auth/admin.directory.rolemanagement"]);

pub const SITE_VERIFICATION: Requirement =
    Requirement(&["https://www.googleapis.com/auth/siteverification"]);
/// getToken and insert also take the narrower scope.
pub const SITE_VERIFY: Requirement = Requirement(&[
    "https://www.googleapis.com/auth/siteverification",
    "https://www.googleapis.com/auth/siteverification.verify_only",
]);

pub const LICENSING: Requirement = Requirement(&["https://www.googleapis.com/auth/apps.licensing"]);

/// The prefix every Directory scope shares.
pub fn is_directory(scope: &str) -> bool {
    scope.starts_with(DIR)
}

impl Requirement {
    pub fn satisfied_by<S: AsRef<str>>(&self, granted: &[S]) -> bool {
        granted.iter().any(|g| self.0.contains(&g.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readonly_reads_only() {
        let ro = vec![RESELLER_READONLY.to_string()];
        assert!(RESELLER_READ.satisfied_by(&ro));
        assert!(!RESELLER_WRITE.satisfied_by(&ro));
        let rw = vec![RESELLER.to_string()];
        assert!(RESELLER_READ.satisfied_by(&rw));
        assert!(RESELLER_WRITE.satisfied_by(&rw));
    }

    #[test]
    fn parse_splits_and_dedups() {
        assert_eq!(parse(" a  b a "), vec!["a", "b"]);
        assert!(parse("   ").is_empty());
    }

    #[test]
    fn the_codelabs_spelling_is_the_usual_scope() {
        assert_eq!(
            parse(
                "https://reseller.googleapis.com/auth/apps.order https://www.googleapis.com/auth/apps.order"
            ),
            vec![RESELLER]
        );
        assert_eq!(
            canonical("https://reseller.googleapis.com/auth/siteverification"),
            "https://www.googleapis.com/auth/siteverification"
        );
        assert_eq!(
            canonical("https://reseller.googleapis.com/auth/not-a-scope"),
            "https://reseller.googleapis.com/auth/not-a-scope",
            "an unknown scope keeps its spelling, for the error to name"
        );
    }

    #[test]
    fn known_scopes() {
        assert!(is_known(RESELLER));
        assert!(is_known("https://www.googleapis.com/auth/cloud-platform"));
        assert!(!is_known("https://www.googleapis.com/auth/not-a-scope"));
    }
}
