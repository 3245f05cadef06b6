//! User credentials: OAuth clients a reseller registers, the refresh tokens issued to its
//! users (what an authorized-user file such as GAM's `oauth2.txt` holds), and the
//! `refresh_token` grant that turns one into an access token acting as that user.
//!
//! partnerd has no consent screen: a refresh token is issued by an operator
//! (`partnerd gam setup`) for one live user of the client's own account and the scopes
//! named, which must be scopes partnerd knows. It ends when revoked (`POST /revoke`) or
//! when its user is suspended or deleted (with the user's access tokens).

use partnerd_domain::Clock;
use partnerd_domain::RuleError;
use partnerd_domain::auth::{
    ACCESS_TOKEN_LIFETIME_MS, AccessGrant, GrantRefusal, OAuthClient, RefreshGrant, Subject,
    check_requested_scopes,
};
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids::{self, secret_digest};
use partnerd_store::{Store, Write};

use crate::provisioning;
use crate::tokens::Issued;
use crate::{OpError, Ops};

fn invalid(field: &str, message: String) -> OpError {
    OpError::Rules(vec![RuleError::invalid(field, message)])
}

/// An OAuth client just registered, with the secret shown this once.
#[derive(Debug, Clone)]
pub struct RegisteredClient {
    pub client: OAuthClient,
    pub secret: String,
}

/// Registers an OAuth client of the reseller owning `reseller_domain`.
pub async fn register_client(
    store: &dyn Store,
    clock: &dyn Clock,
    reseller_domain: &str,
    name: &str,
) -> Result<RegisteredClient, OpError> {
    let reseller = provisioning::reseller(store, reseller_domain).await?;
    let secret = ids::new_client_secret();
    let client = OAuthClient {
        client_id: ids::new_oauth_client_id(),
        account_id: reseller.id.clone(),
        secret_digest: secret_digest(&secret),
        name: name.to_string(),
        created_at: clock.now(),
    };
    let event = NewEvent {
        at: client.created_at,
        actor: "cli".into(),
        account_id: Some(reseller.id),
        action: "oauthClient.create".into(),
        resource_type: "oauthClient".into(),
        resource_id: client.client_id.clone(),
        before: None,
        after: Some(serde_json::json!({"clientId": client.client_id, "name": client.name})),
        event_type: None,
    };
    store.create_oauth_client(&client, event).await?;
    Ok(RegisteredClient { client, secret })
}

/// Issues a refresh token of `client_id` (which proves itself with its secret) for the
/// user `email` with `scopes`; returns the token, shown this once.
pub async fn issue_refresh_token(
    store: &dyn Store,
    clock: &dyn Clock,
    client_id: &str,
    client_secret: &str,
    email: &str,
    scopes: Vec<String>,
) -> Result<String, OpError> {
    let client = store
        .oauth_client(client_id)
        .await?
        .filter(|c| c.secret_digest == secret_digest(client_secret))
        .ok_or_else(|| {
            invalid(
                "clientId",
                format!("no OAuth client {client_id} with that secret"),
            )
        })?;
    let user = store
        .user_by_email(email)
        .await?
        .filter(|u| u.account_id == client.account_id && !u.suspended && u.deleted_at.is_none())
        .ok_or_else(|| {
            invalid(
                "user",
                format!("{email} is not an active user of the client's account"),
            )
        })?;
    // The grant is exactly the scopes asked for, so only an empty or unknown scope can
    // be refused here (never an undelegated one).
    if let Err(GrantRefusal::InvalidScope(message)) = check_requested_scopes(&scopes, &scopes) {
        return Err(invalid("scopes", message));
    }
    let token = ids::new_refresh_token();
    let grant = RefreshGrant {
        digest: secret_digest(&token),
        client_id: client.client_id.clone(),
        account_id: client.account_id.clone(),
        user_id: user.id.clone(),
        scopes,
        created_at: clock.now(),
    };
    let event = NewEvent {
        at: grant.created_at,
        actor: "cli".into(),
        account_id: Some(client.account_id),
        action: "oauthClient.refreshTokens.create".into(),
        resource_type: "user".into(),
        resource_id: user.id,
        before: None,
        after: Some(serde_json::json!({"clientId": grant.client_id, "scopes": grant.scopes})),
        event_type: None,
    };
    store.insert_refresh_grant(&grant, event).await?;
    Ok(token)
}

/// The `refresh_token` grant: the client authenticates with its secret, and the access
/// token acts as the refresh token's user with the scopes asked for (`requested`, which
/// must be among those granted) or, when none are asked for, all of them.
pub async fn refresh_access(
    ops: &Ops,
    client_id: &str,
    client_secret: &str,
    refresh_token: &str,
    requested: Option<Vec<String>>,
) -> Result<Issued, OpError> {
    let client = ops
        .store
        .oauth_client(client_id)
        .await?
        .filter(|c| c.secret_digest == secret_digest(client_secret))
        .ok_or(OpError::Grant(GrantRefusal::InvalidClient))?;
    let grant = ops
        .store
        .refresh_grant(&secret_digest(refresh_token))
        .await?
        .filter(|g| g.client_id == client.client_id)
        .ok_or(OpError::Grant(GrantRefusal::RevokedRefreshToken))?;
    let user = ops
        .store
        .user_by_id(&grant.user_id)
        .await?
        .filter(|u| u.account_id == grant.account_id && !u.suspended && u.deleted_at.is_none())
        .ok_or(OpError::Grant(GrantRefusal::RevokedRefreshToken))?;
    let scopes = match requested.filter(|r| !r.is_empty()) {
        None => grant.scopes.clone(),
        Some(asked) => {
            if asked.iter().any(|s| !grant.scopes.contains(s)) {
                return Err(OpError::Grant(GrantRefusal::InvalidScope(
                    "The requested scope is not among the scopes granted to the refresh token."
                        .into(),
                )));
            }
            asked
        }
    };
    let token = ids::new_access_token();
    let access = AccessGrant {
        digest: secret_digest(&token),
        client_id: client.client_id,
        account_id: grant.account_id,
        subject: Some(Subject {
            user_id: user.id,
            email: user.primary_email,
        }),
        scopes,
        expires_at: ops.clock.now() + ACCESS_TOKEN_LIFETIME_MS,
    };
    ops.commit(Write::InsertAccessGrant(access.clone()).into())
        .await?;
    let access = std::sync::Arc::new(access);
    ops.remember_grant(access.clone());
    Ok(Issued {
        token,
        grant: access,
    })
}

/// Ends a refresh token (Google's `/revoke`); whether it was one.
pub async fn revoke(ops: &Ops, token: &str) -> Result<bool, OpError> {
    let digest = secret_digest(token);
    let Some(grant) = ops.store.refresh_grant(&digest).await? else {
        return Ok(false);
    };
    let event = NewEvent {
        at: ops.clock.now(),
        actor: "oauth".into(),
        account_id: Some(grant.account_id.clone()),
        action: "oauthClient.refreshTokens.revoke".into(),
        resource_type: "user".into(),
        resource_id: grant.user_id,
        before: None,
        after: Some(serde_json::json!({"clientId": grant.client_id})),
        event_type: None,
    };
    Ok(ops.store.revoke_refresh_grant(&digest, event).await?)
}

#[cfg(test)]
mod tests {
    use partnerd_domain::SystemClock;
    use partnerd_domain::scopes::{RESELLER, RESELLER_READONLY};

    use super::*;
    use crate::testing::{ops, world};

    #[tokio::test]
    async fn a_refresh_token_acts_as_its_user_until_revoked() {
        let ops = ops().await;
        let (admin, customer, boss) = world(&ops).await;
        let clock = SystemClock::new(0);
        let store = ops.store.as_ref();
        let registered = register_client(store, &clock, "reseller.example", "cli")
            .await
            .expect("client");
        let client_id = registered.client.client_id.clone();
        let refused = register_client(store, &clock, &customer.domain, "cli")
            .await
            .expect_err("a customer is not a reseller");
        assert_eq!(refused.violations()[0].field, "reseller");

        let wrong_secret = issue_refresh_token(
            store,
            &clock,
            &client_id,
            "GOCSPX-wrong",
            &admin.primary_email,
            vec![RESELLER.into()],
        )
        .await
        .expect_err("wrong secret");
        assert_eq!(wrong_secret.violations()[0].field, "clientId");
        let other_account = issue_refresh_token(
            store,
            &clock,
            &client_id,
            &registered.secret,
            &boss.primary_email,
            vec![RESELLER.into()],
        )
        .await
        .expect_err("the customer's admin is not the reseller's user");
        assert_eq!(other_account.violations()[0].field, "user");

        let token = issue_refresh_token(
            store,
            &clock,
            &client_id,
            &registered.secret,
            &admin.primary_email,
            vec![RESELLER.into(), RESELLER_READONLY.into()],
        )
        .await
        .expect("token");
        let issued = refresh_access(&ops, &client_id, &registered.secret, &token, None)
            .await
            .expect("refreshed");
        assert_eq!(
            issued.grant.subject.as_ref().map(|s| s.user_id.as_str()),
            Some(admin.id.as_str())
        );
        assert_eq!(issued.grant.account_id, admin.account_id);
        assert_eq!(issued.grant.scopes.len(), 2);
        let narrowed = refresh_access(
            &ops,
            &client_id,
            &registered.secret,
            &token,
            Some(vec![RESELLER_READONLY.into()]),
        )
        .await
        .expect("narrowed");
        assert_eq!(narrowed.grant.scopes, vec![RESELLER_READONLY.to_string()]);
        assert!(matches!(
            refresh_access(
                &ops,
                &client_id,
                &registered.secret,
                &token,
                Some(vec![
                    "https://www.googleapis.com/auth/apps.licensing".into()
                ]),
            )
            .await,
            Err(OpError::Grant(GrantRefusal::InvalidScope(_)))
        ));
        assert_eq!(
            refresh_access(&ops, &client_id, "GOCSPX-wrong", &token, None)
                .await
                .map(|_| ()),
            Err(OpError::Grant(GrantRefusal::InvalidClient))
        );

        assert!(revoke(&ops, &token).await.expect("revoked"));
        assert!(!revoke(&ops, &token).await.expect("once"));
        assert_eq!(
            refresh_access(&ops, &client_id, &registered.secret, &token, None)
                .await
                .map(|_| ()),
            Err(OpError::Grant(GrantRefusal::RevokedRefreshToken))
        );
    }
}
