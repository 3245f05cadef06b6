//! What partnerd says to people, in English, Indonesian, French and Japanese: Fluent
//! message catalogues (`locales/*.ftl`, embedded), the choice of language, and dates and
//! numbers formatted from Unicode CLDR data (the `icu` crate's compiled data), never by
//! hand. The consoles and the e-mail both speak through this crate.

pub mod format;
pub mod language;
pub mod mail;
pub mod messages;

pub use language::Language;
pub use messages::{tr, tr_with};
