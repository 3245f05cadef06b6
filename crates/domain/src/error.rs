//! The error every rule returns: what kind of violation, and which field it concerns.

use std::fmt;

/// How a rule was broken. The API layer maps each kind to Google's status and reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleErrorKind {
    /// A required field is missing (`400 required`).
    Required,
    /// A field has a value the rules refuse (`400 invalid`).
    Invalid,
    /// The operation is refused in the resource's current state, e.g. a suspended
    /// subscription (`400 badRequest`).
    BadRequest,
    /// The request is well-formed but the resource is not in a state that allows it
    /// (`412 conditionNotMet`).
    ConditionNotMet,
    /// The caller may not do this to this resource (`403 forbidden`).
    Forbidden,
    /// The resource exists already (`409 duplicate`).
    Duplicate,
}

/// A broken rule, naming the field (a dotted path as on the wire, e.g. `postalAddress.countryCode`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub kind: RuleErrorKind,
    pub field: String,
    pub message: String,
}

impl RuleError {
    pub fn required(field: &str) -> Self {
        RuleError {
            kind: RuleErrorKind::Required,
            field: field.to_string(),
            message: format!("Missing required field: {field}"),
        }
    }

    pub fn invalid(field: &str, why: impl fmt::Display) -> Self {
        RuleError {
            kind: RuleErrorKind::Invalid,
            field: field.to_string(),
            message: format!("Invalid value for {field}: {why}"),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        RuleError {
            kind: RuleErrorKind::Forbidden,
            field: String::new(),
            message: message.into(),
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuleError {}
