//! What console forms share: a control with what was typed and the message beside it
//! (`Field`), and placing an operation's violations beside the controls they name, in the
//! page's language. Templates draw a field with the macros of `templates/forms.html`,
//! which tie the message to its control for assistive technology (`aria-invalid`,
//! `aria-describedby`).

use partnerd_domain::{RuleError, RuleErrorKind};
use partnerd_i18n::{Language, tr, tr_with};

/// One control of a form.
#[derive(Debug, Clone, Default)]
pub struct Field {
    /// The control's `name` and `id`.
    pub name: &'static str,
    /// What was typed (shown again when the form comes back with errors).
    pub value: String,
    /// The message beside the control, when its input broke a rule.
    pub error: Option<String>,
}

impl Field {
    pub fn new(name: &'static str, value: impl Into<String>) -> Self {
        Field {
            name,
            value: value.into(),
            error: None,
        }
    }

    pub fn invalid(&self) -> bool {
        self.error.is_some()
    }

    /// The id of the message beside the control.
    pub fn error_id(&self) -> String {
        format!("{}-error", self.name)
    }

    /// Whether a checkbox was ticked.
    pub fn checked(&self) -> bool {
        matches!(self.value.as_str(), "on" | "true" | "1" | "yes")
    }

    /// Whether a select's or radio's current value is `value`.
    pub fn is(&self, value: &&str) -> bool {
        self.value == *value
    }
}

/// Which control shows the violations of which field path, and, optionally, the message
/// id (of the page's catalogue) to say it with.
pub struct Placement {
    /// The operation's field path (`postalAddress.countryCode`), or its prefix ending in
    /// `.` (`postalAddress.`).
    pub path: &'static str,
    /// The control's name.
    pub control: &'static str,
    /// The message for this path, when the generic one by kind would say too little.
    pub message_id: Option<&'static str>,
}

impl Placement {
    pub const fn to(path: &'static str, control: &'static str) -> Self {
        Placement {
            path,
            control,
            message_id: None,
        }
    }

    pub const fn saying(
        path: &'static str,
        control: &'static str,
        message_id: &'static str,
    ) -> Self {
        Placement {
            path,
            control,
            message_id: Some(message_id),
        }
    }

    fn matches(&self, path: &str) -> bool {
        if self.path.ends_with('.') {
            path.starts_with(self.path)
        } else {
            path == self.path
        }
    }
}

/// A violation said in the page's language: the placement's own message, or one by
/// kind (a missing value, a duplicate), or the rule's own words behind a translated lead.
/// A missing or taken value is said the same way on every control; the placement's
/// own message says what an accepted value looks like.
pub fn message(language: Language, violation: &RuleError, message_id: Option<&str>) -> String {
    match (violation.kind, message_id) {
        (RuleErrorKind::Required, _) => tr(language, "form-required"),
        (RuleErrorKind::Duplicate, _) => tr(language, "form-duplicate"),
        (_, Some(id)) => tr(language, id),
        _ => tr_with(
            language,
            "form-invalid",
            &[("detail", violation.message.as_str())],
        ),
    }
}

/// Puts each violation beside the control its path names (the first violation of a
/// control wins); returns the messages of violations no control shows, for the top of
/// the form.
pub fn place(
    language: Language,
    fields: &mut [&mut Field],
    violations: &[RuleError],
    placements: &[Placement],
) -> Vec<String> {
    let mut unplaced = vec![];
    for violation in violations {
        let placement = placements.iter().find(|p| p.matches(&violation.field));
        let field = placement.and_then(|p| fields.iter_mut().find(|f| f.name == p.control));
        let text = message(language, violation, placement.and_then(|p| p.message_id));
        match field {
            Some(field) => {
                if field.error.is_none() {
                    field.error = Some(text);
                }
            }
            None => unplaced.push(text),
        }
    }
    unplaced
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn violations_go_beside_their_controls_and_the_rest_on_top() {
        let mut domain = Field::new("domain", "bad domain");
        let mut country = Field::new("country", "");
        let violations = vec![
            RuleError::required("postalAddress.countryCode"),
            RuleError::invalid("customerDomain", "Invalid domain"),
            RuleError::invalid("customerDomain", "second"),
            RuleError::invalid("phoneNumber", "Invalid phone"),
        ];
        let placements = [
            Placement::to("customerDomain", "domain"),
            Placement::to("postalAddress.", "country"),
        ];
        let rest = place(
            Language::En,
            &mut [&mut domain, &mut country],
            &violations,
            &placements,
        );
        assert_eq!(
            domain.error.as_deref(),
            Some("This value is not accepted: Invalid value for customerDomain: Invalid domain")
        );
        assert!(country.invalid());
        assert_eq!(
            rest,
            vec![
                "This value is not accepted: Invalid value for phoneNumber: Invalid phone"
                    .to_string()
            ]
        );
        assert_eq!(domain.value, "bad domain", "what was typed is kept");
    }
}
