//! Google's APIs, one module per API.

pub mod directory;
pub mod licensing;
pub mod reseller;
