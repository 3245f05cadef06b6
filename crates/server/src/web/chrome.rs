//! What every console page shows around its content: the signed-in account, the
//! consoles it may reach, Sign out, and the language switcher; and the words of the page
//! in the visitor's language (templates call `chrome.t("id")`).

use partnerd_app::signin::Reach;
use partnerd_i18n::{Language, format, tr, tr_with};

use crate::web::assets;
use crate::web::visitor::{Visitor, with_authuser};

/// Which console a page belongs to (for the switcher's current mark).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Console {
    None,
    Partner,
    Admin,
    Support,
}

pub struct Link {
    pub label: String,
    pub href: String,
    pub current: bool,
}

pub struct LanguageOption {
    pub tag: &'static str,
    pub name: &'static str,
    pub selected: bool,
}

/// The layout's data.
pub struct Chrome {
    pub language: Language,
    pub title: String,
    pub csrf: String,
    pub authuser: usize,
    /// The acting user's address, when signed in.
    pub email: Option<String>,
    pub consoles: Vec<Link>,
    pub languages: Vec<LanguageOption>,
    /// Where the language switcher comes back to.
    pub here: String,
    pub stylesheet: String,
    /// The platform's moved clock, when it is not wall time.
    pub platform_now: Option<i64>,
}

impl Chrome {
    pub fn new(visitor: &Visitor, title_id: &str, reach: Reach, console: Console) -> Self {
        let language = visitor.language;
        let index = visitor.index;
        let mut consoles = vec![];
        let entries = [
            (
                reach.partner,
                "console-partner",
                "/partner",
                Console::Partner,
            ),
            (reach.admin, "console-admin", "/admin", Console::Admin),
            (
                reach.support,
                "console-support",
                "/support",
                Console::Support,
            ),
        ];
        for (allowed, label, path, which) in entries {
            if allowed && visitor.current.is_some() {
                consoles.push(Link {
                    label: tr(language, label),
                    href: with_authuser(path, index),
                    current: which == console,
                });
            }
        }
        Chrome {
            language,
            title: tr(language, title_id),
            csrf: visitor.csrf_token().to_string(),
            authuser: index,
            email: visitor
                .current
                .as_ref()
                .map(|c| c.user.primary_email.clone()),
            consoles,
            languages: Language::ALL
                .iter()
                .map(|l| LanguageOption {
                    tag: l.tag(),
                    name: l.native_name(),
                    selected: *l == language,
                })
                .collect(),
            here: visitor.here.clone(),
            stylesheet: assets::stylesheet(),
            platform_now: visitor.platform_now,
        }
    }

    /// A message of the page's language.
    pub fn t(&self, id: &str) -> String {
        tr(self.language, id)
    }

    /// A message with one variable.
    pub fn t1(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        tr_with(self.language, id, &[(name, &value.to_string())])
    }

    /// A link acting as the same account.
    pub fn href(&self, path: &str) -> String {
        with_authuser(path, self.authuser)
    }

    pub fn lang(&self) -> &'static str {
        self.language.tag()
    }

    /// A number with the language's grouping.
    pub fn number(&self, n: &i64) -> String {
        format::number(self.language, *n)
    }

    pub fn date(&self, millis: &i64) -> String {
        format::date(self.language, *millis)
    }

    pub fn date_time(&self, millis: &i64) -> String {
        format::date_time(self.language, *millis)
    }
}
