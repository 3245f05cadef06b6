//! partnerd's rules: pure types and decisions, no I/O and no async.
//!
//! HTTP handlers and console pages translate requests into these types and delegate;
//! every rule about customers, identifiers, scopes and time lives here.

pub mod auth;
pub mod authority;
pub mod catalogue;
pub mod clock;
pub mod customer;
pub mod directory;
pub mod error;
pub mod event;
pub mod geo;
pub mod groups;
pub mod ids;
pub mod licensing;
pub mod plan;
pub mod roles;
pub mod scopes;
pub mod session;
pub mod site_verification;
pub mod subscription;
pub mod transfer;
pub mod user;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{RuleError, RuleErrorKind};
