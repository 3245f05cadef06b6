//! The Partner Sales Console's settings (`/partner/settings`): the reseller's domain and
//! public ID (what a customer types to move to this reseller), and its notification
//! registration as the Reseller API's `resellernotify.getwatchdetails` reports it.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use partnerd_app::OpError;

use crate::AppState;
use crate::web::chrome::{Chrome, Console};
use crate::web::gate;
use crate::web::pages::{failure, refused_console};
use crate::web::visitor::Visitor;

#[derive(Template, WebTemplate)]
#[template(path = "partner_settings.html")]
struct SettingsPage {
    chrome: Chrome,
    domain: String,
    public_id: String,
    topic: String,
    service_accounts: Vec<String>,
}

pub async fn page(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    let admitted = match gate::admit(&state, &visitor, Console::Partner).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let (current, reach) = (admitted.current, admitted.reach);
    let details = match partnerd_app::notify::watch_details(&state.ops, &current.actor).await {
        Ok(d) => d,
        Err(OpError::NotAuthorized | OpError::Forbidden(_)) => {
            return refused_console(&visitor, reach, Console::Partner);
        }
        Err(e) => {
            tracing::error!(error = %e, "reading a reseller's settings");
            return failure(visitor.language);
        }
    };
    let account = match state.store.account(&current.user.account_id).await {
        Ok(Some(a)) => a,
        Ok(None) => return refused_console(&visitor, reach, Console::Partner),
        Err(e) => {
            tracing::error!(error = %e, "reading a reseller's account");
            return failure(visitor.language);
        }
    };
    SettingsPage {
        chrome: Chrome::new(&visitor, "settings-title", reach, Console::Partner),
        domain: account.domain,
        public_id: account.reseller_public_id.unwrap_or_default(),
        topic: details.topic_name,
        service_accounts: details.service_accounts,
    }
    .into_response()
}
