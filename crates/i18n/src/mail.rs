//! E-mail as the recipient reads it: subject, plain text and HTML in their language,
//! rendered before the message is queued so the outbox holds exactly what is sent.

use crate::{Language, format, tr, tr_with};

/// A message ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub language: Language,
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A message of paragraphs: a greeting, the body, the signature.
fn compose(language: Language, subject: String, paragraphs: Vec<String>) -> Rendered {
    let text = paragraphs.join("\n\n") + "\n";
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>\n", escape(p)))
        .collect();
    let html = format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n{}</body></html>\n",
        language.tag(),
        escape(&subject),
        body
    );
    Rendered {
        language,
        subject,
        text,
        html,
    }
}

/// Tells a user that their password changed (Google sends the same security notice).
pub fn password_changed(language: Language, name: &str, email: &str, at: i64) -> Rendered {
    let date = format::date_time(language, at);
    compose(
        language,
        tr(language, "mail-password-changed-subject"),
        vec![
            tr_with(language, "mail-greeting", &[("name", name)]),
            tr_with(
                language,
                "mail-password-changed-body",
                &[("email", email), ("date", &date)],
            ),
            tr(language, "mail-signature"),
        ],
    )
}

/// Reminds a customer's administrator that the subscriptions its reseller ordered stay
/// suspended until a super admin accepts the Terms of Service.
pub fn terms_reminder(language: Language, name: &str, account: &str, reseller: &str) -> Rendered {
    compose(
        language,
        tr_with(
            language,
            "mail-terms-reminder-subject",
            &[("account", account)],
        ),
        vec![
            tr_with(language, "mail-greeting", &[("name", name)]),
            tr_with(
                language,
                "mail-terms-reminder-body",
                &[("account", account), ("reseller", reseller)],
            ),
            tr(language, "mail-signature"),
        ],
    )
}

/// What a new customer's super admin needs to sign in for the first time.
pub struct Welcome<'a> {
    pub name: &'a str,
    pub organization: &'a str,
    pub username: &'a str,
    pub temporary_password: &'a str,
    pub sign_in_url: &'a str,
}

/// Welcomes a new customer's super admin (Google e-mails the username, a temporary
/// password and sign-in instructions when a reseller creates a customer): sent to the
/// admin's address and the alternate one.
pub fn welcome(language: Language, w: &Welcome<'_>) -> Rendered {
    compose(
        language,
        tr_with(
            language,
            "mail-welcome-subject",
            &[("name", w.organization)],
        ),
        vec![
            tr_with(language, "mail-greeting", &[("name", w.name)]),
            tr_with(language, "mail-welcome-body", &[("name", w.organization)]),
            tr_with(language, "mail-welcome-username", &[("email", w.username)]),
            tr_with(
                language,
                "mail-welcome-password",
                &[("id", w.temporary_password)],
            ),
            tr_with(language, "mail-welcome-signin", &[("id", w.sign_in_url)]),
            tr(language, "mail-welcome-change"),
            tr(language, "mail-signature"),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_in_the_recipients_language_and_escaped() {
        let m = password_changed(
            Language::Ja,
            "<b>花子</b>",
            "h@example.jp",
            1_796_130_300_000,
        );
        assert_eq!(m.subject, "パスワードが変更されました");
        assert!(m.text.contains("2026/12/01 13:05:00"), "{}", m.text);
        assert!(m.text.starts_with("<b>花子</b> 様"));
        assert!(m.html.contains("&lt;b&gt;花子&lt;/b&gt;"));
        assert!(!m.html.contains("<b>花子"));
        let en = password_changed(Language::En, "Ann", "a@example.com", 1_796_130_300_000);
        assert!(en.text.contains("Dec 1, 2026"), "{}", en.text);
    }

    #[test]
    fn the_terms_reminder_names_the_account_and_the_reseller() {
        let m = terms_reminder(Language::Fr, "Ana", "client.example", "revendeur.example");
        assert!(m.subject.contains("client.example"), "{}", m.subject);
        assert!(m.text.contains("revendeur.example"), "{}", m.text);
        assert!(m.text.contains("Conditions d'utilisation"), "{}", m.text);
        assert_ne!(
            m.text,
            terms_reminder(Language::En, "Ana", "client.example", "revendeur.example").text
        );
    }

    #[test]
    fn a_welcome_carries_what_the_first_sign_in_needs_in_every_language() {
        let w = Welcome {
            name: "Ana Lima",
            organization: "Example & Co",
            username: "admin@example.com",
            temporary_password: "Tmp-pass-123",
            sign_in_url: "https://partnerd.example/signin",
        };
        for language in Language::ALL {
            let m = welcome(language, &w);
            for needed in [w.username, w.temporary_password, w.sign_in_url] {
                assert!(m.text.contains(needed), "{}: {}", language.tag(), m.text);
                assert!(m.html.contains(needed), "{}: {}", language.tag(), m.html);
            }
            assert!(m.html.contains("Example &amp; Co"), "{}", m.html);
        }
        assert_eq!(
            welcome(Language::Ja, &w).subject,
            "Example & Co の Google Workspace アカウントへようこそ"
        );
    }
}
