//! The door every console page passes first: signed in (else to the sign-in page), the
//! consoles the account reaches worked out, and the page's console among them (else the
//! console's own explanation, 403). Handlers start with one call instead of repeating it.

use axum::response::Response;
use partnerd_app::Actor;
use partnerd_app::signin::Reach;

use crate::AppState;
use crate::web::chrome::Console;
use crate::web::pages::{reach_of, refused_console, to_signin};
use crate::web::visitor::Visitor;
use partnerd_app::signin::Resumed;

/// Who acts on a console page, and what the account reaches.
pub struct Admitted<'v> {
    pub current: &'v Resumed,
    pub reach: Reach,
}

impl Admitted<'_> {
    pub fn actor(&self) -> &Actor {
        &self.current.actor
    }
}

/// The visitor, admitted to `console`, or the answer to give instead.
pub async fn admit<'v>(
    state: &AppState,
    visitor: &'v Visitor,
    console: Console,
) -> Result<Admitted<'v>, Response> {
    let Some(current) = &visitor.current else {
        return Err(to_signin(visitor));
    };
    let reach = reach_of(state, visitor).await?;
    let allowed = match console {
        Console::Partner => reach.partner,
        Console::Admin => reach.admin,
        Console::Support => reach.support,
        Console::None => true,
    };
    if !allowed {
        return Err(refused_console(visitor, reach, console));
    }
    Ok(Admitted { current, reach })
}
