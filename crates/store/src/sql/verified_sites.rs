//! Sites a reseller verified (Site Verification API).

use partnerd_domain::site_verification::{SiteKind, VerifiedSite};

use super::{Statement, checked, split_scopes, write};
use crate::Result;
use crate::rows::{FromRow, Row};

pub const INSERT_VERIFIED_SITE: &str = "INSERT INTO verified_sites (reseller_id, id, kind, identifier, \
     owners, verifiers, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub const UPDATE_SITE_OWNERS: &str = "UPDATE verified_sites SET owners = $1, verifiers = $2 \
     WHERE reseller_id = $3 AND id = $4 AND owners = $5 AND verifiers = $6";

pub const DELETE_VERIFIED_SITE: &str =
    "DELETE FROM verified_sites WHERE reseller_id = $1 AND id = $2";

pub const SELECT_VERIFIED_SITES: &str = "SELECT reseller_id, id, kind, identifier, owners, created_at, \
     verifiers \
     FROM verified_sites WHERE reseller_id = $1 ORDER BY created_at, id";

impl FromRow for VerifiedSite {
    fn from_row(r: &impl Row) -> Result<Self> {
        Ok(VerifiedSite {
            reseller_id: r.text(0)?,
            id: r.text(1)?,
            kind: if r.text(2)? == "SITE" {
                SiteKind::Site
            } else {
                SiteKind::InetDomain
            },
            identifier: r.text(3)?,
            owners: split_scopes(&r.text(4)?),
            verifiers: split_scopes(&r.text(6)?),
            created_at: r.int(5)?,
        })
    }
}

/// `Write::InsertVerifiedSite` (`verified_sites_pkey` when the reseller verified it already).
pub fn insert_verified_site(v: &VerifiedSite) -> Statement {
    write(
        INSERT_VERIFIED_SITE,
        vec![
            v.reseller_id.as_str().into(),
            v.id.as_str().into(),
            v.kind.as_str().into(),
            v.identifier.as_str().into(),
            v.owners.join(" ").into(),
            v.verifiers.join(" ").into(),
            v.created_at.into(),
        ],
    )
}

/// `Write::UpdateSiteOwners`: the owners and verifiers read as `before` become `after`'s,
/// or `Stale`.
pub fn update_site_owners(before: &VerifiedSite, after: &VerifiedSite) -> Statement {
    checked(
        UPDATE_SITE_OWNERS,
        vec![
            after.owners.join(" ").into(),
            after.verifiers.join(" ").into(),
            before.reseller_id.as_str().into(),
            before.id.as_str().into(),
            before.owners.join(" ").into(),
            before.verifiers.join(" ").into(),
        ],
    )
}

/// `Write::DeleteVerifiedSite`: `Stale` if it is gone already.
pub fn delete_verified_site(v: &VerifiedSite) -> Statement {
    checked(
        DELETE_VERIFIED_SITE,
        vec![v.reseller_id.as_str().into(), v.id.as_str().into()],
    )
}
