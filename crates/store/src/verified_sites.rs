//! The sites each reseller verified (Site Verification API). Written once over `Db` for
//! both databases; changed only through write sets (`Write::InsertVerifiedSite`, …).

use async_trait::async_trait;
use partnerd_domain::site_verification::VerifiedSite;

use crate::db::Db;
use crate::{Result, sql};

#[async_trait]
pub trait SiteStore {
    /// The sites a reseller verified, oldest first.
    async fn verified_sites(&self, reseller_id: &str) -> Result<Vec<VerifiedSite>>;
}

#[async_trait]
impl<T: Db + ?Sized> SiteStore for T {
    async fn verified_sites(&self, reseller_id: &str) -> Result<Vec<VerifiedSite>> {
        self.fetch(sql::SELECT_VERIFIED_SITES, vec![reseller_id.into()])
            .await
    }
}
