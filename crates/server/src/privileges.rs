//! The privilege checks live with the operations (`partnerd_app::privileges`); the API
//! handlers that still check for themselves call them through this name.

pub use partnerd_app::privileges::*;
