//! The pages every console shares: the start page, the consoles' entry points, the
//! language switcher, and the error pages (403, 404, 500, a refused form) in the same look.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use partnerd_app::signin::{self, Reach};
use partnerd_i18n::{Language, tr};
use serde::Deserialize;

use crate::AppState;
use crate::web::chrome::{Chrome, Console};
use crate::web::visitor::{Visitor, language_cookie, local_path, with_authuser};

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
}

#[derive(Template, WebTemplate)]
#[template(path = "console.html")]
struct ConsolePage {
    chrome: Chrome,
    account: String,
    allowed: bool,
    intro_id: &'static str,
    refused_id: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    message: String,
}

/// To the sign-in page, coming back to `here` afterwards.
pub fn to_signin(visitor: &Visitor) -> Response {
    let query =
        serde_urlencoded::to_string([("continue", visitor.here.as_str())]).unwrap_or_default();
    Redirect::to(&format!("/signin?{query}")).into_response()
}

/// The consoles the visitor's acting account reaches (none when signed out).
pub async fn reach_of(state: &AppState, visitor: &Visitor) -> Result<Reach, Response> {
    match &visitor.current {
        Some(current) => signin::reach(&state.ops, &current.actor)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "working out a user's consoles");
                failure(visitor.language)
            }),
        None => Ok(Reach::default()),
    }
}

pub async fn home(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    if visitor.current.is_none() {
        return to_signin(&visitor);
    }
    let reach = match reach_of(&state, &visitor).await {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    HomePage {
        chrome: Chrome::new(&visitor, "home-title", reach, Console::None),
    }
    .into_response()
}

async fn console(state: &AppState, visitor: &Visitor, which: Console) -> Response {
    let Some(current) = &visitor.current else {
        return to_signin(visitor);
    };
    let reach = match reach_of(state, visitor).await {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    let (title, intro_id, refused_id, allowed) = match which {
        Console::Partner => (
            "console-partner",
            "partner-intro",
            "partner-refused",
            reach.partner,
        ),
        Console::Admin => ("console-admin", "admin-intro", "admin-refused", reach.admin),
        _ => (
            "console-support",
            "support-intro",
            "support-refused",
            reach.support,
        ),
    };
    let account = current
        .user
        .primary_email
        .rsplit_once('@')
        .map(|(_, domain)| domain.to_string())
        .unwrap_or_default();
    let page = ConsolePage {
        chrome: Chrome::new(visitor, title, reach, which),
        account,
        allowed,
        intro_id,
        refused_id,
    };
    if allowed {
        page.into_response()
    } else {
        // An explanation in the console's own page, not an error page: but still 403,
        // so scripts see the refusal.
        (StatusCode::FORBIDDEN, page).into_response()
    }
}

/// A console the acting account may not use: its page, explaining why (status 403).
pub fn refused_console(visitor: &Visitor, reach: Reach, which: Console) -> Response {
    let (title, refused_id) = match which {
        Console::Partner => ("console-partner", "partner-refused"),
        Console::Admin => ("console-admin", "admin-refused"),
        _ => ("console-support", "support-refused"),
    };
    let account = visitor
        .current
        .as_ref()
        .and_then(|c| {
            c.user
                .primary_email
                .rsplit_once('@')
                .map(|(_, d)| d.to_string())
        })
        .unwrap_or_default();
    let page = ConsolePage {
        chrome: Chrome::new(visitor, title, reach, which),
        account,
        allowed: false,
        intro_id: "",
        refused_id,
    };
    (StatusCode::FORBIDDEN, page).into_response()
}

pub async fn admin(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    console(&state, &visitor, Console::Admin).await
}

pub async fn support(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    console(&state, &visitor, Console::Support).await
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    #[serde(rename = "continue")]
    target: Option<String>,
}

/// The language switcher: stores the choice (a cookie, for signed-in and signed-out
/// pages alike) and goes back to the page.
pub async fn language(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Form(form): Form<LanguageForm>,
) -> Response {
    let target = with_authuser(&local_path(form.target.as_deref()), visitor.index);
    let mut response = Redirect::to(&target).into_response();
    if let Some(language) = Language::from_tag(&form.lang) {
        response
            .headers_mut()
            .append(header::SET_COOKIE, language_cookie(&state.web, language));
    }
    response
}

fn error_page(visitor: &Visitor, status: StatusCode, title: &str, message: &str) -> Response {
    let page = ErrorPage {
        chrome: Chrome::new(visitor, title, Reach::default(), Console::None),
        message: tr(visitor.language, message),
    };
    (status, page).into_response()
}

pub async fn not_found(Extension(visitor): Extension<Visitor>) -> Response {
    error_page(
        &visitor,
        StatusCode::NOT_FOUND,
        "error-not-found-title",
        "error-not-found",
    )
}

/// Something the account may not do, said in words (403).
pub fn refused(visitor: &Visitor, message_id: &str) -> Response {
    error_page(
        visitor,
        StatusCode::FORBIDDEN,
        "error-forbidden-title",
        message_id,
    )
}

/// A state change refused as forged (another site, or no or a stale token).
pub fn forged(visitor: &Visitor) -> Response {
    error_page(
        visitor,
        StatusCode::FORBIDDEN,
        "error-forbidden-title",
        "error-csrf",
    )
}

/// The server failed: a page in the same look, never the reason.
pub fn failure(language: Language) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"stylesheet\" href=\"{}\"><title>{}</title></head>\
         <body><main id=\"content\"><section class=\"card narrow\"><h1>{}</h1><p>{}</p>\
         <p><a href=\"/\">{}</a></p></section></main></body></html>",
        language.tag(),
        crate::web::assets::stylesheet(),
        tr(language, "error-title"),
        tr(language, "error-title"),
        tr(language, "error-internal"),
        tr(language, "error-home"),
    );
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// The HTML 404 of a browser asking for a page that does not exist.
pub fn not_found_for(visitor: &Visitor) -> Response {
    error_page(
        visitor,
        StatusCode::NOT_FOUND,
        "error-not-found-title",
        "error-not-found",
    )
}
