//! Directory rules: users, organizational units and languages (Admin SDK Directory API).

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::customer::email_valid;
use crate::error::{RuleError, RuleErrorKind};
use crate::user::User;

pub const NAME_MAX: usize = 60;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 100;
/// Google limits organizational units to 35 levels.
pub const ORG_UNIT_DEPTH_MAX: usize = 35;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgUnit {
    /// `id:` followed by digits, as Google's.
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub description: Option<String>,
    /// The full path, `/Staff/Sales`.
    pub path: String,
    /// `None` when the parent is the root.
    pub parent_id: Option<String>,
    pub created_at: Millis,
    pub version: i64,
}

/// Another address of a user (the Directory's `users.aliases`); a renamed user keeps its
/// old address as one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAlias {
    /// Lower-case, in the user's account's domain.
    pub alias: String,
    pub user_id: String,
    pub account_id: String,
    pub created_at: Millis,
}

/// An alias: a valid address in the account's domain, lower-cased.
pub fn check_alias(alias: &str, domain: &str) -> Result<String, RuleError> {
    if alias.trim().is_empty() {
        return Err(RuleError::required("alias"));
    }
    check_email_in(alias, domain).map_err(|mut e| {
        e.field = "alias".into();
        e.message = e.message.replace("primaryEmail", "alias");
        e
    })
}

fn bad_request(message: impl Into<String>) -> RuleError {
    RuleError {
        kind: RuleErrorKind::BadRequest,
        field: String::new(),
        message: message.into(),
    }
}

/// ISO 639 language codes with an optional region, as the Admin console offers them
/// (`en`, `fr`, `pt-BR`, `zh-TW`, `en-GB`).
pub fn valid_language(code: &str) -> bool {
    let (lang, region) = match code.split_once('-') {
        Some((l, r)) => (l, Some(r)),
        None => (code, None),
    };
    let lang_ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
    let region_ok = match region {
        None => true,
        Some(r) => {
            (r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()))
                || (r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit()))
                || (r.len() == 4 && r.bytes().all(|b| b.is_ascii_alphabetic()))
        }
    };
    lang_ok && region_ok && KNOWN_LANGUAGES.contains(&lang)
}

/// ISO 639-1 languages (and the few 639-2 codes Google uses) partnerd accepts.
const KNOWN_LANGUAGES: &[&str] = &[
    "af", "am", "ar", "az", "be", "bg", "bn", "bs", "ca", "chr", "cs", "cy", "da", "de", "el",
    "en", "es", "et", "eu", "fa", "fi", "fil", "fr", "ga", "gl", "gu", "ha", "hi", "hr", "ht",
    "hu", "hy", "id", "ig", "is", "it", "iw", "he", "ja", "jv", "ka", "kk", "km", "kn", "ko", "ky",
    "lo", "lt", "lv", "mk", "ml", "mn", "mr", "ms", "mt", "my", "ne", "nl", "no", "pa", "pl", "ps",
    "pt", "ro", "ru", "si", "sk", "sl", "so", "sq", "sr", "sv", "sw", "ta", "te", "th", "tl", "tr",
    "uk", "ur", "uz", "vi", "xh", "yo", "zh", "zu",
];

pub fn check_language(field: &str, code: &str) -> Result<String, RuleError> {
    let code = code.trim();
    if valid_language(code) {
        Ok(code.to_string())
    } else {
        Err(RuleError::invalid(
            field,
            format!("'{code}' is not a supported language code"),
        ))
    }
}

fn check_name(field: &str, value: &str) -> Result<String, RuleError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(RuleError::required(field));
    }
    if value.chars().count() > NAME_MAX {
        return Err(RuleError::invalid(
            field,
            format!("at most {NAME_MAX} characters"),
        ));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(RuleError::invalid(
            field,
            "control characters are not allowed",
        ));
    }
    Ok(value.to_string())
}

/// Which form a new password takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordForm {
    Plain,
    /// A hash computed by the client with one of Google's accepted functions.
    Hashed(&'static str),
}

pub fn password_form(hash_function: Option<&str>) -> Result<PasswordForm, RuleError> {
    match hash_function.map(str::trim).filter(|h| !h.is_empty()) {
        None => Ok(PasswordForm::Plain),
        Some(h) => match h.to_ascii_uppercase().as_str() {
            "SHA-1" | "SHA1" => Ok(PasswordForm::Hashed("SHA-1")),
            "MD5" => Ok(PasswordForm::Hashed("MD5")),
            "CRYPT" => Ok(PasswordForm::Hashed("crypt")),
            _ => Err(RuleError::invalid(
                "hashFunction",
                format!("'{h}' is not one of SHA-1, MD5, crypt"),
            )),
        },
    }
}

pub fn check_password(password: &str, form: PasswordForm) -> Result<(), RuleError> {
    match form {
        PasswordForm::Plain => {
            let n = password.chars().count();
            if !(PASSWORD_MIN..=PASSWORD_MAX).contains(&n) {
                return Err(RuleError::invalid(
                    "password",
                    format!("a password has {PASSWORD_MIN} to {PASSWORD_MAX} characters"),
                ));
            }
            if !password.is_ascii() {
                return Err(RuleError::invalid(
                    "password",
                    "only ASCII characters are allowed",
                ));
            }
            Ok(())
        }
        PasswordForm::Hashed(_) if password.is_empty() || password.len() > 1024 => {
            Err(RuleError::invalid("password", "not a password hash"))
        }
        PasswordForm::Hashed(_) => Ok(()),
    }
}

/// The changeable fields of a user as a request carries them.
#[derive(Debug, Clone, Default)]
pub struct UserFields {
    pub primary_email: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub suspended: Option<bool>,
    pub change_password_at_next_login: Option<bool>,
}

/// Validates and normalises a user's e-mail address, which must be in `domain`.
pub fn check_email_in(email: &str, domain: &str) -> Result<String, RuleError> {
    let email = email.trim().to_ascii_lowercase();
    if !email_valid(&email) {
        return Err(RuleError::invalid(
            "primaryEmail",
            "not a valid e-mail address",
        ));
    }
    if email.rsplit_once('@').map(|(_, d)| d) != Some(domain) {
        return Err(RuleError::invalid(
            "primaryEmail",
            format!("the address must be in the customer's domain {domain}"),
        ));
    }
    Ok(email)
}

/// Applies `fields` to `user` (patch semantics); names are checked.
pub fn apply_user_fields(user: &User, fields: UserFields, domain: &str) -> Result<User, RuleError> {
    let mut next = user.clone();
    if let Some(email) = fields.primary_email {
        next.primary_email = check_email_in(&email, domain)?;
    }
    if let Some(g) = fields.given_name {
        next.given_name = check_name("name.givenName", &g)?;
    }
    if let Some(f) = fields.family_name {
        next.family_name = check_name("name.familyName", &f)?;
    }
    if let Some(s) = fields.suspended {
        next.suspended = s;
    }
    if let Some(c) = fields.change_password_at_next_login {
        next.change_password_at_next_login = c;
    }
    next.version += 1;
    Ok(next)
}

pub fn check_new_names(
    given: Option<&str>,
    family: Option<&str>,
) -> Result<(String, String), RuleError> {
    let given = given.ok_or_else(|| RuleError::required("name.givenName"))?;
    let family = family.ok_or_else(|| RuleError::required("name.familyName"))?;
    Ok((
        check_name("name.givenName", given)?,
        check_name("name.familyName", family)?,
    ))
}

// ---- organizational units -------------------------------------------------------------

/// Normalises a path: a leading slash, no trailing slash, no empty segments.
pub fn normalize_path(path: &str) -> Result<String, RuleError> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.len() > ORG_UNIT_DEPTH_MAX {
        return Err(RuleError::invalid(
            "orgUnitPath",
            format!("at most {ORG_UNIT_DEPTH_MAX} levels"),
        ));
    }
    Ok(format!("/{}", segments.join("/")))
}

pub fn check_unit_name(name: Option<&str>) -> Result<String, RuleError> {
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| RuleError::required("name"))?;
    if name.contains('/') || name.chars().any(|c| c.is_control()) || name.chars().count() > 100 {
        return Err(RuleError::invalid(
            "name",
            "a unit name has at most 100 characters and no '/'",
        ));
    }
    Ok(name.to_string())
}

pub fn child_path(parent_path: &str, name: &str) -> String {
    if parent_path == "/" {
        format!("/{name}")
    } else {
        format!("{parent_path}/{name}")
    }
}

/// Whether `path` is `ancestor` or lies below it.
pub fn within(path: &str, ancestor: &str) -> bool {
    ancestor == "/" || path == ancestor || path.starts_with(&format!("{ancestor}/"))
}

/// The units whose paths change when `unit` moves from `old_path` to `new_path`: the unit
/// itself and its whole subtree.
pub fn moved_subtree(units: &[OrgUnit], old_path: &str, new_path: &str) -> Vec<(OrgUnit, OrgUnit)> {
    units
        .iter()
        .filter(|u| within(&u.path, old_path))
        .map(|u| {
            let mut moved = u.clone();
            moved.path = format!("{new_path}{}", &u.path[old_path.len()..]);
            moved.version += 1;
            (u.clone(), moved)
        })
        .collect()
}

pub fn ensure_deletable(
    unit: &OrgUnit,
    units: &[OrgUnit],
    users_inside: usize,
) -> Result<(), RuleError> {
    if units
        .iter()
        .any(|u| u.parent_id.as_deref() == Some(unit.id.as_str()))
    {
        return Err(bad_request(format!(
            "Org unit {} has child units; delete or move them first.",
            unit.path
        )));
    }
    if users_inside > 0 {
        return Err(bad_request(format!(
            "Org unit {} contains users; move them first.",
            unit.path
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        for ok in [
            "en", "fr", "ja", "id", "pt-BR", "zh-TW", "en-GB", "es-419", "fil",
        ] {
            assert!(valid_language(ok), "{ok}");
        }
        for bad in ["xx-invalid", "english", "", "EN", "en-gb", "xx", "en_US"] {
            assert!(!valid_language(bad), "{bad}");
        }
    }

    #[test]
    fn passwords() {
        assert!(check_password("12345678", PasswordForm::Plain).is_ok());
        assert!(check_password("1234567", PasswordForm::Plain).is_err());
        assert!(check_password(&"x".repeat(101), PasswordForm::Plain).is_err());
        assert_eq!(
            password_form(Some("sha-1")),
            Ok(PasswordForm::Hashed("SHA-1"))
        );
        assert!(password_form(Some("bcrypt")).is_err());
        assert!(
            check_password(
                "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8",
                PasswordForm::Hashed("SHA-1")
            )
            .is_ok()
        );
    }

    #[test]
    fn emails_must_be_in_the_domain() {
        assert_eq!(
            check_email_in("Ana@Example.com", "example.com")
                .ok()
                .as_deref(),
            Some("ana@example.com")
        );
        assert!(check_email_in("ana@other.com", "example.com").is_err());
        assert!(check_email_in("nope", "example.com").is_err());
    }

    fn unit(id: &str, path: &str, parent: Option<&str>) -> OrgUnit {
        OrgUnit {
            id: id.into(),
            account_id: "C0a".into(),
            name: path.rsplit('/').next().unwrap_or_default().into(),
            description: None,
            path: path.into(),
            parent_id: parent.map(str::to_string),
            created_at: 0,
            version: 1,
        }
    }

    #[test]
    fn moving_carries_the_subtree() {
        let units = vec![
            unit("id:1", "/Staff", None),
            unit("id:2", "/Staff/Sales", Some("id:1")),
            unit("id:3", "/Stafford", None),
        ];
        let moved = moved_subtree(&units, "/Staff", "/People");
        let paths: Vec<&str> = moved.iter().map(|(_, m)| m.path.as_str()).collect();
        assert_eq!(
            paths,
            vec!["/People", "/People/Sales"],
            "/Stafford is not below /Staff"
        );
        assert!(
            ensure_deletable(&units[0], &units, 0).is_err(),
            "has a child"
        );
        assert!(
            ensure_deletable(&units[1], &units, 1).is_err(),
            "has a user"
        );
        assert!(ensure_deletable(&units[1], &units, 0).is_ok());
        assert_eq!(
            normalize_path("Staff//Sales/").ok().as_deref(),
            Some("/Staff/Sales")
        );
        assert_eq!(child_path("/", "A"), "/A");
    }
}
