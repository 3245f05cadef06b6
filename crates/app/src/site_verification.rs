//! Site Verification, as a reseller's onboarding uses it (Google's provisioning codelab):
//! a token for a customer's domain, then verification, which makes the domain of a
//! customer the reseller manages verified. partnerd runs no DNS: placing the token is
//! taken on trust. Every site belongs to the account of the user who verified it.

use partnerd_domain::Clock;
use partnerd_domain::event::NewEvent;
use partnerd_domain::site_verification::{
    SiteKind, VerifiedSite, check_method, check_owners, check_site, resource_id, token,
};
use partnerd_store::{Write, WriteSet};

use crate::{Actor, Change, OpError, Ops, Prepared};

/// A site and a method, as a request names them.
#[derive(Debug, Clone, Default)]
pub struct SiteInput {
    pub kind: Option<String>,
    pub identifier: Option<String>,
    pub method: Option<String>,
}

/// A checked site: its kind, its normalized identifier and the method.
fn checked(input: &SiteInput) -> Result<(SiteKind, String, String), OpError> {
    let kind = SiteKind::parse(input.kind.as_deref())?;
    let identifier = check_site(kind, input.identifier.as_deref())?;
    let method = check_method(kind, input.method.as_deref())?;
    Ok((kind, identifier, method))
}

fn own_account(actor: &Actor) -> Result<&str, OpError> {
    actor.account_id().ok_or_else(OpError::not_administrable)
}

fn not_found() -> OpError {
    OpError::NotFound("Resource Not Found: id".into())
}

/// The token to place for a site, and its method (`DNS` asked is `DNS_TXT` answered).
pub fn get_token(actor: &Actor, input: &SiteInput) -> Result<(String, String), OpError> {
    let account = own_account(actor)?;
    let (kind, identifier, method) = checked(input)?;
    let placed = token(account, kind, &identifier, &method);
    Ok((method, placed))
}

/// Verifies a site for the actor, who becomes one of its owners and verifiers, with
/// `named` owners beside it (insert's `owners[]`). A domain that is an account's must be
/// the actor's own or a customer its reseller manages, and becomes verified
/// (`customerDomainVerified`) in the same commit.
pub async fn verify(
    ops: &Ops,
    actor: &Actor,
    input: &SiteInput,
    named: &[String],
) -> Result<VerifiedSite, OpError> {
    let owner_account = own_account(actor)?;
    let (kind, identifier, _method) = checked(input)?;
    let named = check_owners(named)?;
    let (identifier, kind, named) = (&identifier, kind, &named);
    ops.write(|| async move {
        let now = ops.clock.now();
        let mut change = Change::new();
        if kind == SiteKind::InetDomain
            && let Some(customer) = ops
                .store
                .account(identifier)
                .await?
                .filter(|a| a.domain == *identifier)
        {
            let reachable = customer.id == owner_account
                || customer.managed_by.as_deref() == Some(owner_account);
            if !reachable {
                return Err(OpError::not_administrable());
            }
            if !customer.domain_verified {
                let mut verified = customer.clone();
                verified.domain_verified = true;
                verified.version += 1;
                let action = "customer.verifyDomain";
                change.customer(actor.name(), action, now, &customer, &verified);
            }
        }
        let id = resource_id(kind, identifier);
        let verifier = actor.name().to_string();
        let existing = find(ops, owner_account, &id).await?;
        let site = match existing {
            Some(before) => {
                let after = before.verified_by(&verifier, named)?;
                if after != before {
                    change.write(Write::UpdateSiteOwners {
                        before,
                        after: after.clone(),
                    });
                }
                after
            }
            None => {
                let fresh = VerifiedSite {
                    id,
                    reseller_id: owner_account.to_string(),
                    kind,
                    identifier: identifier.clone(),
                    owners: Vec::new(),
                    verifiers: Vec::new(),
                    created_at: now,
                };
                let made = fresh.verified_by(&verifier, named)?;
                change.write(Write::InsertVerifiedSite(made.clone()));
                made
            }
        };
        change.event(
            NewEvent::of(now, actor.name(), "site.verify", "site", &site.id)
                .in_account(owner_account)
                .states(None, Some(&site)),
        );
        Ok(Prepared::new(change.into_set(), site))
    })
    .await
}

/// Replaces a verified site's owners (`webResource.update`, and `patch` when it names
/// owners), under the rules of `VerifiedSite::with_owners`.
pub async fn set_owners(
    ops: &Ops,
    actor: &Actor,
    id: &str,
    owners: &[String],
) -> Result<VerifiedSite, OpError> {
    let account = own_account(actor)?;
    let owners = check_owners(owners)?;
    let owners = &owners;
    ops.write(|| async move {
        let before = find(ops, account, id).await?.ok_or_else(not_found)?;
        let after = before.with_owners(actor.name(), owners.clone())?;
        if after == before {
            return Ok(Prepared::new(WriteSet::default(), after));
        }
        let event = NewEvent::of(
            ops.clock.now(),
            actor.name(),
            "site.setOwners",
            "site",
            &after.id,
        )
        .in_account(account)
        .states(Some(&before), Some(&after));
        let set = WriteSet::from(vec![
            Write::UpdateSiteOwners {
                before,
                after: after.clone(),
            },
            Write::Event(event),
        ]);
        Ok(Prepared::new(set, after))
    })
    .await
}

async fn find(ops: &Ops, account: &str, id: &str) -> Result<Option<VerifiedSite>, OpError> {
    Ok(ops
        .store
        .verified_sites(account)
        .await?
        .into_iter()
        .find(|s| s.id == id))
}

/// The sites the actor's account verified.
pub async fn list(ops: &Ops, actor: &Actor) -> Result<Vec<VerifiedSite>, OpError> {
    Ok(ops.store.verified_sites(own_account(actor)?).await?)
}

pub async fn get(ops: &Ops, actor: &Actor, id: &str) -> Result<VerifiedSite, OpError> {
    find(ops, own_account(actor)?, id)
        .await?
        .ok_or_else(not_found)
}

/// Removes a site from the actor's account (Google's "relinquish ownership"). A domain
/// stays verified.
pub async fn delete(ops: &Ops, actor: &Actor, id: &str) -> Result<(), OpError> {
    ops.write(|| async move {
        let site = get(ops, actor, id).await?;
        let event = NewEvent::of(
            ops.clock.now(),
            actor.name(),
            "site.delete",
            "site",
            &site.id,
        )
        .in_account(&site.reseller_id)
        .states(Some(&site), None);
        let set = WriteSet::from(vec![Write::DeleteVerifiedSite(site), Write::Event(event)]);
        Ok(Prepared::new(set, ()))
    })
    .await
}
