//! The sign-in pages: `/signin` (Email, Password, Sign in), the account chooser
//! (`/signin/accounts`), the forced password change (`/signin/password`) and `/signout`.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use partnerd_app::OpError;
use partnerd_app::signin::{self, Reach, Refusal, SignInError};
use partnerd_i18n::tr;
use serde::Deserialize;

use crate::AppState;
use crate::web::chrome::{Chrome, Console};
use crate::web::pages::{failure, to_signin};
use crate::web::visitor::{MAX_ACCOUNTS, Visitor, local_path, session_cookie, with_authuser};

#[derive(Template, WebTemplate)]
#[template(path = "signin.html")]
struct SignInPage {
    chrome: Chrome,
    target: String,
    email: String,
    problem: Option<String>,
    email_error: Option<String>,
    password_error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts.html")]
struct AccountsPage {
    chrome: Chrome,
    accounts: Vec<AccountLink>,
    add_href: String,
}

struct AccountLink {
    email: String,
    href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Chrome,
    target: String,
    password_error: Option<String>,
    confirmation_error: Option<String>,
}

#[derive(Deserialize)]
pub struct Target {
    #[serde(rename = "continue")]
    target: Option<String>,
}

/// The sign-in page sits outside any account: its chrome shows no console links.
fn signin_chrome(visitor: &Visitor) -> Chrome {
    let mut outside = visitor.clone();
    outside.current = None;
    Chrome::new(&outside, "signin-title", Reach::default(), Console::None)
}

pub async fn form(Extension(visitor): Extension<Visitor>, Query(q): Query<Target>) -> Response {
    SignInPage {
        chrome: signin_chrome(&visitor),
        target: local_path(q.target.as_deref()),
        email: String::new(),
        problem: None,
        email_error: None,
        password_error: None,
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(rename = "continue")]
    target: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Form(form): Form<SignInForm>,
) -> Response {
    let target = local_path(form.target.as_deref());
    let language = visitor.language;
    let again = |status: StatusCode,
                 problem: Option<&str>,
                 email_error: Option<&str>,
                 password_error: Option<&str>| {
        let page = SignInPage {
            chrome: signin_chrome(&visitor),
            target: target.clone(),
            email: form.email.trim().to_string(),
            problem: problem.map(|id| tr(language, id)),
            email_error: email_error.map(|id| tr(language, id)),
            password_error: password_error.map(|id| tr(language, id)),
        };
        (status, page).into_response()
    };
    let email_missing = form.email.trim().is_empty();
    let password_missing = form.password.is_empty();
    if email_missing || password_missing {
        return again(
            StatusCode::BAD_REQUEST,
            None,
            email_missing.then_some("signin-missing-email"),
            password_missing.then_some("signin-missing-password"),
        );
    }
    let started = signin::sign_in(
        &state.ops,
        &state.web.throttle,
        state.web.policy,
        &form.email,
        &form.password,
        &visitor.client,
    )
    .await;
    let started = match started {
        Ok(s) => s,
        Err(SignInError::Refused(Refusal::WrongEmailOrPassword)) => {
            return again(StatusCode::UNAUTHORIZED, Some("signin-failed"), None, None);
        }
        Err(SignInError::Refused(Refusal::Throttled)) => {
            return again(
                StatusCode::TOO_MANY_REQUESTS,
                Some("signin-throttled"),
                None,
                None,
            );
        }
        Err(SignInError::Refused(Refusal::Suspended)) => {
            return again(StatusCode::FORBIDDEN, Some("signin-suspended"), None, None);
        }
        Err(SignInError::Failed(e)) => {
            tracing::error!(error = %e, "signing in");
            return failure(language);
        }
    };
    // The same person signing in again replaces their earlier session in this browser.
    let mut secrets = Vec::with_capacity(visitor.secrets.len() + 1);
    for secret in &visitor.secrets {
        match signin::resume(&state.ops, state.web.policy, secret).await {
            Ok(Some(r)) if r.user.id == started.user.id => {
                let _ = signin::sign_out(&state.ops, secret).await;
            }
            Ok(Some(_)) => secrets.push(secret.clone()),
            _ => {}
        }
    }
    if secrets.len() >= MAX_ACCOUNTS {
        let oldest = secrets.remove(0);
        let _ = signin::sign_out(&state.ops, &oldest).await;
    }
    secrets.push(started.secret.clone());
    let index = secrets.len() - 1;
    let next = if started.user.change_password_at_next_login {
        password_path(&target, index)
    } else {
        with_authuser(&target, index)
    };
    let mut response = Redirect::to(&next).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session_cookie(&state.web, &secrets));
    response
}

fn password_path(target: &str, index: usize) -> String {
    let query = serde_urlencoded::to_string([("continue", target)]).unwrap_or_default();
    with_authuser(&format!("/signin/password?{query}"), index)
}

/// The account chooser: every account signed in in this browser.
pub async fn accounts(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(q): Query<Target>,
) -> Response {
    let target = local_path(q.target.as_deref());
    let mut accounts = vec![];
    for (index, secret) in visitor.secrets.iter().enumerate() {
        match signin::resume(&state.ops, state.web.policy, secret).await {
            Ok(Some(r)) => accounts.push(AccountLink {
                email: r.user.primary_email,
                href: with_authuser(&target, index),
            }),
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, "listing signed-in accounts");
                return failure(visitor.language);
            }
        }
    }
    let add_query =
        serde_urlencoded::to_string([("continue", target.as_str())]).unwrap_or_default();
    let mut chrome = signin_chrome(&visitor);
    chrome.title = tr(visitor.language, "accounts-title");
    chrome.email = visitor
        .current
        .as_ref()
        .map(|c| c.user.primary_email.clone());
    chrome.csrf = visitor.csrf_token().to_string();
    AccountsPage {
        chrome,
        accounts,
        add_href: format!("/signin?{add_query}"),
    }
    .into_response()
}

pub async fn password_form(
    Extension(visitor): Extension<Visitor>,
    Query(q): Query<Target>,
) -> Response {
    if visitor.current.is_none() {
        return to_signin(&visitor);
    }
    PasswordPage {
        chrome: Chrome::new(&visitor, "password-title", Reach::default(), Console::None),
        target: local_path(q.target.as_deref()),
        password_error: None,
        confirmation_error: None,
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
    #[serde(rename = "continue")]
    target: Option<String>,
}

pub async fn password_submit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some(current) = &visitor.current else {
        return to_signin(&visitor);
    };
    let target = local_path(form.target.as_deref());
    let changed = signin::change_own_password(
        &state.ops,
        &current.actor,
        &form.password,
        &form.confirmation,
    )
    .await;
    let user = match changed {
        Ok(user) => user,
        Err(OpError::Rules(violations)) => {
            let language = visitor.language;
            let message_for = |field: &str| {
                violations.iter().find(|v| v.field == field).map(|v| {
                    if field == "confirmation" {
                        tr(language, "password-mismatch")
                    } else {
                        // The Directory API's rule, said in the page's language.
                        let _ = &v.message;
                        tr(language, "password-rule")
                    }
                })
            };
            let page = PasswordPage {
                chrome: Chrome::new(&visitor, "password-title", Reach::default(), Console::None),
                target,
                password_error: message_for("password"),
                confirmation_error: message_for("confirmation"),
            };
            return (StatusCode::BAD_REQUEST, page).into_response();
        }
        Err(e) => {
            tracing::error!(error = %e, "changing a password");
            return failure(visitor.language);
        }
    };
    // The change ended every session of the user; this browser goes on with a new one.
    let started = match signin::start(&state.ops, state.web.policy, user).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "starting a session after a password change");
            return failure(visitor.language);
        }
    };
    let mut secrets = visitor.secrets.clone();
    let index = visitor.index.min(secrets.len().saturating_sub(1));
    if secrets.is_empty() {
        secrets.push(started.secret);
    } else {
        secrets[index] = started.secret;
    }
    let mut response = Redirect::to(&with_authuser(&target, index)).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session_cookie(&state.web, &secrets));
    response
}

#[derive(Deserialize)]
pub struct SignOutForm {
    all: Option<String>,
}

/// Ends the acting account's session, or every one of this browser's (`all`).
pub async fn sign_out(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Form(form): Form<SignOutForm>,
) -> Response {
    let mut secrets = visitor.secrets.clone();
    let ending: Vec<String> = if form.all.is_some() {
        std::mem::take(&mut secrets)
    } else if visitor.current.is_some() && visitor.index < secrets.len() {
        // The account the form was shown for (its `authuser`, which its token matched).
        vec![secrets.remove(visitor.index)]
    } else {
        vec![]
    };
    for secret in ending {
        if let Err(e) = signin::sign_out(&state.ops, &secret).await {
            tracing::error!(error = %e, "signing out");
            return failure(visitor.language);
        }
    }
    let next = if secrets.is_empty() {
        "/signin"
    } else {
        "/signin/accounts"
    };
    let mut response = Redirect::to(next).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session_cookie(&state.web, &secrets));
    response
}
