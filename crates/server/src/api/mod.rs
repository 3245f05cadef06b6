//! Google's APIs, one module per API.

pub mod address;
pub mod directory;
pub mod licensing;
pub mod reseller;
pub mod site_verification;
