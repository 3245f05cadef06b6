//! Access tokens for service accounts: what the token endpoint decides once it has
//! verified an assertion's signature and times (the wire format and the cryptography
//! stay with the endpoint), and the one write of issuing a token.

use std::sync::Arc;

use partnerd_domain::Clock;
use partnerd_domain::auth::{
    ACCESS_TOKEN_LIFETIME_MS, AccessGrant, GrantRefusal, ServiceAccount, ServiceAccountKey,
    Subject, check_requested_scopes,
};
use partnerd_domain::ids::{new_access_token, secret_digest};
use partnerd_store::Write;

use crate::{OpError, Ops};

/// A token just issued: the secret the client receives (stored only as its digest) and
/// what it stands for.
#[derive(Debug, Clone)]
pub struct Issued {
    pub token: String,
    pub grant: Arc<AccessGrant>,
}

/// The key an assertion names (its `kid`), with the service account it belongs to.
pub async fn signing_key(
    ops: &Ops,
    key_id: &str,
) -> Result<Option<(ServiceAccount, ServiceAccountKey)>, OpError> {
    Ok(ops.store.service_account_key(key_id).await?)
}

/// The keys an assertion without `kid` may have been signed with: every key of the
/// service account its `iss` names (at most ten), each to be tried in turn.
pub async fn issuer_keys(
    ops: &Ops,
    issuer: &str,
) -> Result<Vec<(ServiceAccount, ServiceAccountKey)>, OpError> {
    Ok(ops.store.service_account_keys_of(issuer).await?)
}

/// Issues an access token to `service_account`, whose assertion the caller verified:
/// acting as itself, any known scope; acting as the user `subject` (domain-wide
/// delegation), only a live user of its own account and only the scopes delegated to its
/// client ID. The grant is committed, and cached here, before it is returned.
pub async fn grant_access(
    ops: &Ops,
    service_account: &ServiceAccount,
    subject: Option<&str>,
    requested: Vec<String>,
) -> Result<Issued, OpError> {
    let subject = match subject.filter(|s| !s.is_empty()) {
        None => {
            // Its own scopes are all it asks for: only unknown ones are refused.
            check_requested_scopes(&requested, &requested).map_err(OpError::Grant)?;
            None
        }
        Some(email) => {
            let user = ops
                .store
                .user_by_email(email)
                .await?
                .filter(|u| {
                    u.account_id == service_account.account_id
                        && !u.suspended
                        && u.deleted_at.is_none()
                })
                .ok_or(OpError::Grant(GrantRefusal::UnknownSubject))?;
            let delegated = ops
                .store
                .delegated_scopes(&service_account.account_id, &service_account.client_id)
                .await?
                .unwrap_or_default();
            check_requested_scopes(&requested, &delegated).map_err(OpError::Grant)?;
            Some(Subject {
                user_id: user.id,
                email: user.primary_email,
            })
        }
    };
    let token = new_access_token();
    let grant = AccessGrant {
        digest: secret_digest(&token),
        client_id: service_account.client_id.clone(),
        account_id: service_account.account_id.clone(),
        subject,
        scopes: requested,
        expires_at: ops.clock.now() + ACCESS_TOKEN_LIFETIME_MS,
    };
    ops.commit(Write::InsertAccessGrant(grant.clone()).into())
        .await?;
    let grant = Arc::new(grant);
    ops.remember_grant(grant.clone());
    Ok(Issued { token, grant })
}

#[cfg(test)]
mod tests {
    use partnerd_domain::scopes;

    use super::*;
    use crate::testing::{ops, world};

    fn service_account(account_id: &str) -> ServiceAccount {
        ServiceAccount {
            client_id: "100000000000000000001".into(),
            account_id: account_id.into(),
            email: "sa@project.iam.gserviceaccount.com".into(),
            created_at: 0,
        }
    }

    #[tokio::test]
    async fn a_token_for_itself_is_stored_and_cached() {
        let ops = ops().await;
        let (admin, _, _) = world(&ops).await;
        let sa = service_account(&admin.account_id);
        let requested = vec![scopes::DELEGATED_BY_DEFAULT[0].to_string()];
        let issued = grant_access(&ops, &sa, None, requested.clone())
            .await
            .expect("issued");
        assert_eq!(issued.grant.digest, secret_digest(&issued.token));
        assert_eq!(issued.grant.scopes, requested);
        assert_eq!(issued.grant.subject, None);
        let stored = ops
            .store
            .access_grant(&issued.grant.digest)
            .await
            .expect("read");
        assert_eq!(stored.as_ref(), Some(issued.grant.as_ref()));
        let cached = ops.grant(&issued.grant.digest).await.expect("grant");
        assert_eq!(cached.as_deref(), Some(issued.grant.as_ref()));
    }

    #[tokio::test]
    async fn acting_as_a_user_needs_a_live_user_of_its_account_and_delegation() {
        let ops = ops().await;
        let (admin, _, boss) = world(&ops).await;
        let sa = service_account(&admin.account_id);
        let delegated = scopes::DELEGATED_BY_DEFAULT[0].to_string();
        let new = partnerd_store::NewServiceAccount {
            account: sa.clone(),
            key: ServiceAccountKey {
                key_id: "k1".into(),
                client_id: sa.client_id.clone(),
                public_key_pem: String::new(),
                created_at: 0,
            },
            delegated_scopes: vec![delegated.clone()],
        };
        let created = partnerd_domain::event::NewEvent::of(0, "test", "sa", "serviceAccount", "1");
        ops.store
            .create_service_account(&new, created)
            .await
            .expect("service account");
        let issued = grant_access(
            &ops,
            &sa,
            Some(&admin.primary_email),
            vec![delegated.clone()],
        )
        .await
        .expect("delegated");
        assert_eq!(
            issued.grant.subject,
            Some(Subject {
                user_id: admin.id.clone(),
                email: admin.primary_email.clone(),
            })
        );
        // The customer's admin is another account's user.
        let elsewhere = grant_access(
            &ops,
            &sa,
            Some(&boss.primary_email),
            vec![delegated.clone()],
        )
        .await
        .expect_err("another account");
        assert_eq!(elsewhere, OpError::Grant(GrantRefusal::UnknownSubject));
        let nobody = grant_access(&ops, &sa, Some("nobody@nowhere.example"), vec![delegated])
            .await
            .expect_err("nobody");
        assert_eq!(nobody, OpError::Grant(GrantRefusal::UnknownSubject));
        let beyond = scopes::DELEGATED_BY_DEFAULT[1].to_string();
        let undelegated = grant_access(&ops, &sa, Some(&admin.primary_email), vec![beyond])
            .await
            .expect_err("undelegated");
        assert_eq!(
            undelegated,
            OpError::Grant(GrantRefusal::UnauthorizedClient)
        );
    }

    #[tokio::test]
    async fn unknown_and_missing_scopes_are_refused() {
        let ops = ops().await;
        let (admin, _, _) = world(&ops).await;
        let sa = service_account(&admin.account_id);
        let empty = grant_access(&ops, &sa, None, Vec::new()).await;
        assert!(matches!(
            empty,
            Err(OpError::Grant(GrantRefusal::InvalidScope(_)))
        ));
        let unknown = grant_access(&ops, &sa, None, vec!["https://example.com/x".into()]).await;
        assert!(matches!(
            unknown,
            Err(OpError::Grant(GrantRefusal::InvalidScope(_)))
        ));
    }
}
