//! Who is visiting: the language they read, the accounts signed in in this browser, and
//! the one the page acts as. Several accounts can be signed in at once (one per reseller
//! domain, as seed 001 advises staff): the `partnerd_session` cookie holds one session
//! secret per account, and `?authuser=N` (Google's convention) picks the N-th, so two tabs
//! acting as two accounts never mix.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use partnerd_app::signin::{self, Resumed};
use partnerd_domain::Clock;
use partnerd_i18n::Language;

use crate::AppState;
use crate::web::{Web, csrf, headers, pages};

pub const SESSION_COOKIE: &str = "partnerd_session";
pub const LANGUAGE_COOKIE: &str = "partnerd_lang";
/// The token of signed-out forms (sign-in, the language switcher): a random value bound
/// to the browser, since there is no session to bind it to yet.
pub const FORM_COOKIE: &str = "partnerd_form";
/// At most this many accounts are signed in at once in one browser.
pub const MAX_ACCOUNTS: usize = 10;

/// The visitor of one console request (built by `visit`, read by every page).
#[derive(Clone)]
pub struct Visitor {
    pub language: Language,
    /// The session secrets of the signed-in accounts, in sign-in order.
    pub secrets: Vec<String>,
    /// Which of them the page acts as (`authuser`).
    pub index: usize,
    /// The acting account's live session, if any.
    pub current: Option<Resumed>,
    /// The signed-out forms' token.
    pub form_token: String,
    /// The client's address (for the sign-in throttle).
    pub client: String,
    /// The path and query asked for (where to come back to).
    pub here: String,
    /// The platform's time when its clock has been moved off wall time (every page
    /// shows it then, so testers see why a trial ended or a term renewed).
    pub platform_now: Option<i64>,
}

impl Visitor {
    /// The token a form on this page carries.
    pub fn csrf_token(&self) -> &str {
        match &self.current {
            Some(session) => session.csrf_token(),
            None => &self.form_token,
        }
    }
}

fn cookies(headers: &HeaderMap) -> Vec<Cookie<'static>> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|line| Cookie::split_parse(line.to_string()))
        .filter_map(Result::ok)
        .collect()
}

fn cookie_value(all: &[Cookie<'static>], name: &str) -> Option<String> {
    all.iter()
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// The `authuser` of a query string (0 when absent or not a number).
pub fn authuser_of(query: Option<&str>) -> usize {
    query
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == "authuser")
                .and_then(|(_, v)| v.parse().ok())
        })
        .unwrap_or(0)
}

/// `path` acting as the `index`-th account (Google's `authuser`), any earlier `authuser`
/// replaced.
pub fn with_authuser(path: &str, index: usize) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    pairs.retain(|(k, _)| k != "authuser");
    if index > 0 {
        pairs.push(("authuser".into(), index.to_string()));
    }
    if pairs.is_empty() {
        base.to_string()
    } else {
        format!(
            "{base}?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }
}

/// Where to go after a form: a path of this site, never another site (`//evil`, `/\evil`
/// and absolute URLs become the start page).
pub fn local_path(target: Option<&str>) -> String {
    match target {
        Some(t) if t.starts_with('/') && !t.starts_with("//") && !t.starts_with("/\\") => {
            t.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The `Set-Cookie` value holding `secrets`.
pub fn session_cookie(web: &Web, secrets: &[String]) -> HeaderValue {
    let mut c = Cookie::new(SESSION_COOKIE, secrets.join("."));
    c.set_path("/");
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(web.secure_cookies);
    if secrets.is_empty() {
        c.make_removal();
    } else {
        c.set_max_age(cookie::time::Duration::milliseconds(web.policy.absolute_ms));
    }
    HeaderValue::from_str(&c.to_string()).unwrap_or(HeaderValue::from_static(""))
}

fn plain_cookie(web: &Web, name: &'static str, value: String, same_site: SameSite) -> HeaderValue {
    let mut c = Cookie::new(name, value);
    c.set_path("/");
    c.set_http_only(true);
    c.set_same_site(same_site);
    c.set_secure(web.secure_cookies);
    c.set_max_age(cookie::time::Duration::days(365));
    HeaderValue::from_str(&c.to_string()).unwrap_or(HeaderValue::from_static(""))
}

/// The `Set-Cookie` value storing a language choice.
pub fn language_cookie(web: &Web, language: Language) -> HeaderValue {
    plain_cookie(
        web,
        LANGUAGE_COOKIE,
        language.tag().to_string(),
        SameSite::Lax,
    )
}

/// Paths a user who must change password may still open.
fn allowed_before_password_change(path: &str) -> bool {
    matches!(
        path,
        "/signin" | "/signin/password" | "/signin/accounts" | "/signout" | "/language"
    )
}

/// Works out the visitor, refuses forged state changes, sends a user who must change
/// password to do so, and adds the security headers and cookie updates to the answer.
pub async fn visit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // An API path no API route took (the consoles' `/admin/...` pages catch the rest).
    if crate::web::is_api_path(request.uri().path()) {
        return crate::errors::ApiError::not_found(
            "The requested URL was not found on this server.",
        )
        .into_response();
    }
    let (parts, body) = request.into_parts();
    let all = cookies(&parts.headers);
    let secrets: Vec<String> = cookie_value(&all, SESSION_COOKIE)
        .map(|v| {
            v.split('.')
                .filter(|s| !s.is_empty() && s.len() <= 128)
                .take(MAX_ACCOUNTS)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let index = authuser_of(parts.uri.query());
    let mut kept = secrets.clone();
    let mut current = None;
    if let Some(secret) = secrets.get(index) {
        match signin::resume(&state.ops, state.web.policy, secret).await {
            Ok(Some(resumed)) => current = Some(resumed),
            Ok(None) => {
                kept.remove(index);
            }
            Err(e) => {
                tracing::error!(error = %e, "resuming a console session");
                return pages::failure(Language::default()).into_response();
            }
        }
    }
    let accept = parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let choice = cookie_value(&all, LANGUAGE_COOKIE);
    let setting = current.as_ref().map(|c| c.user.language.as_str());
    let language = Language::choose(choice.as_deref(), setting, accept);
    let stored_form_token = cookie_value(&all, FORM_COOKIE).filter(|t| t.len() == 64);
    let form_token = stored_form_token
        .clone()
        .unwrap_or_else(|| partnerd_domain::ids::random_hex(32));
    let client = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    let path = parts.uri.path().to_string();
    let here = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| path.clone());
    let visitor = Visitor {
        language,
        secrets: kept.clone(),
        index: if current.is_some() { index } else { 0 },
        current,
        form_token,
        client,
        here,
        platform_now: (state.clock.offset() != 0).then(|| state.clock.now()),
    };

    // A state change must come from this site and carry this page's token.
    let mut request = Request::from_parts(parts, body);
    if !csrf::is_safe(request.method()) {
        if !csrf::same_origin(request.headers(), &state.web.origin) {
            return finish(&state.web, &visitor, &secrets, pages::forged(&visitor));
        }
        let is_form = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        // Bodies are read whole before routing (`read_whole_body`), so reading it here
        // costs no extra wait.
        let (parts, body) = request.into_parts();
        let bytes = match axum::body::to_bytes(body, crate::extract::BODY_LIMIT).await {
            Ok(b) => b,
            Err(_) => return finish(&state.web, &visitor, &secrets, pages::forged(&visitor)),
        };
        let sent = if is_form {
            csrf::token_in_form(&bytes)
        } else {
            None
        };
        // The sign-in form is signed out by nature (even when adding a second account).
        let form_token = stored_form_token.as_deref().unwrap_or_default();
        let accepted = if parts.uri.path() == "/signin" || visitor.current.is_none() {
            csrf::token_matches(sent.as_deref(), form_token)
        } else if parts.uri.path() == "/language" {
            // The switcher is on signed-out pages too (the sign-in page of a browser that
            // is adding an account): either of this browser's tokens will do for it.
            csrf::token_matches(sent.as_deref(), visitor.csrf_token())
                || csrf::token_matches(sent.as_deref(), form_token)
        } else {
            csrf::token_matches(sent.as_deref(), visitor.csrf_token())
        };
        if !accepted {
            return finish(&state.web, &visitor, &secrets, pages::forged(&visitor));
        }
        request = Request::from_parts(parts, axum::body::Body::from(bytes));
    }

    if let Some(current) = &visitor.current
        && current.user.change_password_at_next_login
        && !allowed_before_password_change(request.uri().path())
    {
        // Nothing else, read or write, until the new password is set.
        let target = with_authuser(
            &format!(
                "/signin/password?{}",
                serde_urlencoded::to_string([("continue", visitor.here.as_str())])
                    .unwrap_or_default()
            ),
            visitor.index,
        );
        let response = Redirect::to(&target).into_response();
        return finish(&state.web, &visitor, &secrets, response);
    }

    request.extensions_mut().insert(visitor.clone());
    let response = next.run(request).await;
    let mut response = finish(&state.web, &visitor, &secrets, response);
    if stored_form_token.is_none() {
        response.headers_mut().append(
            header::SET_COOKIE,
            plain_cookie(
                &state.web,
                FORM_COOKIE,
                visitor.form_token.clone(),
                SameSite::Strict,
            ),
        );
    }
    response
}

/// Adds the security headers, and forgets ended sessions in the cookie unless the page
/// rewrote it itself.
fn finish(web: &Web, visitor: &Visitor, sent: &[String], mut response: Response) -> Response {
    headers::apply(response.headers_mut());
    let rewritten = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(SESSION_COOKIE.as_bytes()));
    if !rewritten && visitor.secrets.len() != sent.len() {
        response
            .headers_mut()
            .append(header::SET_COOKIE, session_cookie(web, &visitor.secrets));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authuser_is_read_and_written() {
        assert_eq!(authuser_of(Some("a=1&authuser=2")), 2);
        assert_eq!(authuser_of(Some("authuser=x")), 0);
        assert_eq!(authuser_of(None), 0);
        assert_eq!(with_authuser("/partner", 0), "/partner");
        assert_eq!(with_authuser("/partner", 1), "/partner?authuser=1");
        assert_eq!(
            with_authuser("/partner?q=a+b&authuser=3", 1),
            "/partner?q=a+b&authuser=1"
        );
        assert_eq!(with_authuser("/partner?authuser=3", 0), "/partner");
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/partner?x=1")), "/partner?x=1");
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(None), "/");
    }
}
