//! The consoles' front door: server-rendered pages for the Partner Sales Console
//! (`/partner`), the Admin console (`/admin`) and the Customer Service Portal (`/support`),
//! with one sign-in (`/signin`) for all of them. Pages build an `Actor` from the session
//! and call the same operations in `partnerd-app` as the API.
//!
//! Every console request passes `visit` first: the visitor (language, signed-in accounts,
//! the one acting) is worked out once, state-changing requests pass the cross-origin and
//! token checks (`csrf`), and every answer carries the security headers (`headers`).

pub mod assets;
pub mod chrome;
pub mod csrf;
pub mod form;
pub mod gate;
pub mod headers;
pub mod pages;
pub mod partner;
pub mod partner_create;
pub mod partner_customer;
pub mod partner_customer_edit;
pub mod partner_import;
pub mod partner_order;
pub mod partner_settings;
pub mod signin;
pub mod visitor;

use axum::Router;
use axum::routing::{get, post};
use partnerd_app::signin::{SessionPolicy, Throttle};

use crate::AppState;

/// What the consoles share: how sessions last, the sign-in throttle, and whether cookies
/// must be `Secure` (the public URL is https).
pub struct Web {
    pub policy: SessionPolicy,
    pub throttle: Throttle,
    pub secure_cookies: bool,
    /// `scheme://host[:port]` of the public URL: the origin forms must come from.
    pub origin: String,
}

impl Web {
    pub fn new(public_url: &str, policy: SessionPolicy) -> Self {
        let origin = origin_of(public_url);
        Web {
            policy,
            throttle: Throttle::default(),
            secure_cookies: public_url.starts_with("https://"),
            origin,
        }
    }
}

/// The origin (`scheme://authority`) of a URL.
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split('/').next().unwrap_or_default();
            format!(
                "{}://{}",
                scheme.to_ascii_lowercase(),
                authority.to_ascii_lowercase()
            )
        }
        None => url.to_string(),
    }
}

/// Whether `path` belongs to one of Google's APIs that share the consoles' `/admin`
/// prefix (the Directory API and its neighbours): such a path that no API route matched
/// gets the API's JSON 404, never a page, whatever the method.
pub fn is_api_path(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    // `directory_v1` too: the Directory API's channels live there.
    segments.next() == Some("admin")
        && segments.next().is_some_and(|s| {
            ["directory", "reports", "datatransfer"]
                .iter()
                .any(|api| s.starts_with(api))
        })
}

/// The console routes, each behind `visitor::visit`.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home))
        .route("/signin", get(signin::form).post(signin::submit))
        .route("/signin/accounts", get(signin::accounts))
        .route(
            "/signin/password",
            get(signin::password_form).post(signin::password_submit),
        )
        .route("/signout", post(signin::sign_out))
        .route("/language", post(pages::language))
        .route("/partner", get(partner::customers))
        .route("/partner/customers.csv", get(partner::download))
        .route("/partner/switch", get(partner::switch))
        .route("/admin", get(pages::admin))
        .route("/support", get(pages::support))
        .route(
            "/partner/customers/new",
            get(partner_create::form).post(partner_create::submit),
        )
        .route("/partner/customers/{id}", get(partner_customer::page))
        .route(
            "/partner/customers/{id}/edit",
            get(partner_customer_edit::form).post(partner_customer_edit::submit),
        )
        .route(
            "/partner/customers/{id}/order",
            get(partner_order::page).post(partner_order::submit),
        )
        .route(
            "/partner/customers/{id}/order/done",
            get(partner_order::done),
        )
        .route(
            "/partner/customers/{id}/remind",
            post(partner_order::remind),
        )
        .route(
            "/partner/customers/{id}/subscriptions/{sid}/{action}",
            get(partner_customer::action_form).post(partner_customer::action_submit),
        )
        .route(
            "/partner/import",
            get(partner_import::form).post(partner_import::submit),
        )
        .route("/partner/settings", get(partner_settings::page))
        .route("/partner/{*rest}", get(pages::not_found))
        .route("/admin/{*rest}", axum::routing::any(pages::not_found))
        .route("/support/{*rest}", get(pages::not_found))
        .route("/signin/{*rest}", get(pages::not_found))
        .route_layer(axum::middleware::from_fn_with_state(state, visitor::visit))
        .route("/assets/{name}", get(assets::serve))
}

#[cfg(test)]
mod tests {
    #[test]
    fn api_paths_under_admin_are_the_apis() {
        assert!(super::is_api_path(
            "/admin/directory/v1/customer//orgunits/"
        ));
        assert!(super::is_api_path("/admin/directory"));
        assert!(super::is_api_path("/admin/directory_v1/channels/stop"));
        assert!(!super::is_api_path("/admin/customers/C012345"));
        assert!(!super::is_api_path("/admin"));
        assert!(!super::is_api_path("/administrator"));
    }

    #[test]
    fn origins() {
        assert_eq!(
            super::origin_of("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            super::origin_of("HTTPS://Partner.Example/base/"),
            "https://partner.example"
        );
    }
}
