//! Google's APIs, one module per API.

pub mod reseller;
