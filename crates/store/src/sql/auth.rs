//! Service accounts, their keys and domain-wide delegations, and the access tokens
//! issued to them (kept as digests).

use partnerd_domain::auth::{
    AccessGrant, OAuthClient, RefreshGrant, ServiceAccount, ServiceAccountKey, Subject,
};

use super::{Statement, write};
use crate::rows::{FromRow, Row, Value};
use crate::{NewServiceAccount, Result};

pub const INSERT_SERVICE_ACCOUNT: &str = "INSERT INTO service_accounts (client_id, account_id, email, created_at) VALUES ($1, $2, $3, $4)";

pub fn service_account_params(sa: &ServiceAccount) -> Vec<Value> {
    vec![
        sa.client_id.as_str().into(),
        sa.account_id.as_str().into(),
        sa.email.as_str().into(),
        sa.created_at.into(),
    ]
}

pub const INSERT_KEY: &str = "INSERT INTO service_account_keys (key_id, client_id, public_key_pem, created_at) \
     VALUES ($1, $2, $3, $4)";

pub fn key_params(k: &ServiceAccountKey) -> Vec<Value> {
    vec![
        k.key_id.as_str().into(),
        k.client_id.as_str().into(),
        k.public_key_pem.as_str().into(),
        k.created_at.into(),
    ]
}

pub const SELECT_KEY: &str = "SELECT s.client_id, s.account_id, s.email, s.created_at, \
     k.key_id, k.public_key_pem, k.created_at \
     FROM service_account_keys k JOIN service_accounts s ON s.client_id = k.client_id WHERE k.key_id = $1";

/// Every key of the service account with this e-mail address (its `iss`), newest first:
/// an assertion that names no key is tried against each. Google allows ten keys a
/// service account, and so does `MAX_KEYS`.
pub const SELECT_KEYS_OF_ISSUER: &str = "SELECT s.client_id, s.account_id, s.email, s.created_at, \
     k.key_id, k.public_key_pem, k.created_at \
     FROM service_accounts s JOIN service_account_keys k ON k.client_id = s.client_id \
     WHERE s.email = $1 ORDER BY k.created_at DESC, k.key_id LIMIT 10";

/// A service account by its e-mail address, for adding a key to it.
pub const SELECT_SERVICE_ACCOUNT_BY_EMAIL: &str =
    "SELECT client_id, account_id, email, created_at FROM service_accounts WHERE email = $1";

pub fn key_from_row(r: &impl Row) -> Result<(ServiceAccount, ServiceAccountKey)> {
    let sa = ServiceAccount {
        client_id: r.text(0)?,
        account_id: r.text(1)?,
        email: r.text(2)?,
        created_at: r.int(3)?,
    };
    let key = ServiceAccountKey {
        key_id: r.text(4)?,
        client_id: sa.client_id.clone(),
        public_key_pem: r.text(5)?,
        created_at: r.int(6)?,
    };
    Ok((sa, key))
}

impl FromRow for (ServiceAccount, ServiceAccountKey) {
    fn from_row(r: &impl Row) -> Result<Self> {
        key_from_row(r)
    }
}

impl FromRow for ServiceAccount {
    fn from_row(r: &impl Row) -> Result<Self> {
        Ok(ServiceAccount {
            client_id: r.text(0)?,
            account_id: r.text(1)?,
            email: r.text(2)?,
            created_at: r.int(3)?,
        })
    }
}

pub const UPSERT_DELEGATION: &str = "INSERT INTO delegations (account_id, client_id, scopes) VALUES ($1, $2, $3) \
     ON CONFLICT (account_id, client_id) DO UPDATE SET scopes = excluded.scopes";

pub fn delegation_params(sa: &NewServiceAccount) -> Vec<Value> {
    vec![
        sa.account.account_id.as_str().into(),
        sa.account.client_id.as_str().into(),
        sa.delegated_scopes.join(" ").into(),
    ]
}

pub const SELECT_DELEGATION: &str =
    "SELECT scopes FROM delegations WHERE account_id = $1 AND client_id = $2";

pub const INSERT_GRANT: &str = "INSERT INTO access_tokens (digest, client_id, account_id, \
     subject_user_id, subject_email, scopes, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub fn grant_params(g: &AccessGrant) -> Vec<Value> {
    vec![
        g.digest.as_str().into(),
        g.client_id.as_str().into(),
        g.account_id.as_str().into(),
        g.subject.as_ref().map(|s| s.user_id.clone()).into(),
        g.subject.as_ref().map(|s| s.email.clone()).into(),
        g.scopes.join(" ").into(),
        g.expires_at.into(),
    ]
}

pub const SELECT_GRANT: &str = "SELECT digest, client_id, account_id, subject_user_id, subject_email, \
     scopes, expires_at FROM access_tokens WHERE digest = $1";

pub fn grant_from_row(r: &impl Row) -> Result<AccessGrant> {
    let subject = match (r.opt_text(3)?, r.opt_text(4)?) {
        (Some(user_id), Some(email)) => Some(Subject { user_id, email }),
        _ => None,
    };
    Ok(AccessGrant {
        digest: r.text(0)?,
        client_id: r.text(1)?,
        account_id: r.text(2)?,
        subject,
        scopes: split_scopes(&r.text(5)?),
        expires_at: r.int(6)?,
    })
}

impl FromRow for AccessGrant {
    fn from_row(r: &impl Row) -> Result<Self> {
        grant_from_row(r)
    }
}

pub fn split_scopes(s: &str) -> Vec<String> {
    s.split_ascii_whitespace().map(str::to_string).collect()
}

/// Access tokens past this age are deleted when new ones are issued; they cannot be used anyway.
pub const DELETE_EXPIRED_GRANTS: &str = "DELETE FROM access_tokens WHERE expires_at < $1";

/// Issuing a token sweeps those that expired more than a day before it was issued.
pub fn sweep_horizon(new_grant: &AccessGrant) -> Vec<Value> {
    let issued_at = new_grant.expires_at - partnerd_domain::auth::ACCESS_TOKEN_LIFETIME_MS;
    vec![Value::Int(issued_at - 86_400_000)]
}

pub const DELETE_USER_ACCESS_TOKENS: &str = "DELETE FROM access_tokens WHERE subject_user_id = $1";

/// `Write::InsertAccessGrant`: the grant, and the sweep of tokens long expired.
pub fn insert_grant(g: &AccessGrant) -> [Statement; 2] {
    [
        write(INSERT_GRANT, grant_params(g)),
        write(DELETE_EXPIRED_GRANTS, sweep_horizon(g)),
    ]
}

pub const DELETE_USER_REFRESH_TOKENS: &str = "DELETE FROM refresh_tokens WHERE user_id = $1";

/// `Write::RevokeAccessOf`: every access token acting as the user ends, and every
/// refresh token that could get another.
pub fn revoke_access_of(user_id: &str) -> [Statement; 2] {
    [
        write(DELETE_USER_ACCESS_TOKENS, vec![user_id.into()]),
        write(DELETE_USER_REFRESH_TOKENS, vec![user_id.into()]),
    ]
}

pub const INSERT_OAUTH_CLIENT: &str = "INSERT INTO oauth_clients \
     (client_id, account_id, secret_digest, name, created_at) VALUES ($1, $2, $3, $4, $5)";

pub fn oauth_client_params(c: &OAuthClient) -> Vec<Value> {
    vec![
        c.client_id.as_str().into(),
        c.account_id.as_str().into(),
        c.secret_digest.as_str().into(),
        c.name.as_str().into(),
        c.created_at.into(),
    ]
}

pub const SELECT_OAUTH_CLIENT: &str = "SELECT client_id, account_id, secret_digest, name, \
     created_at FROM oauth_clients WHERE client_id = $1";

impl FromRow for OAuthClient {
    fn from_row(r: &impl Row) -> Result<Self> {
        Ok(OAuthClient {
            client_id: r.text(0)?,
            account_id: r.text(1)?,
            secret_digest: r.text(2)?,
            name: r.text(3)?,
            created_at: r.int(4)?,
        })
    }
}

pub const INSERT_REFRESH_TOKEN: &str = "INSERT INTO refresh_tokens \
     (digest, client_id, account_id, user_id, scopes, created_at) VALUES ($1, $2, $3, $4, $5, $6)";

pub fn refresh_grant_params(g: &RefreshGrant) -> Vec<Value> {
    vec![
        g.digest.as_str().into(),
        g.client_id.as_str().into(),
        g.account_id.as_str().into(),
        g.user_id.as_str().into(),
        g.scopes.join(" ").into(),
        g.created_at.into(),
    ]
}

pub const SELECT_REFRESH_TOKEN: &str = "SELECT digest, client_id, account_id, user_id, scopes, \
     created_at FROM refresh_tokens WHERE digest = $1";

impl FromRow for RefreshGrant {
    fn from_row(r: &impl Row) -> Result<Self> {
        Ok(RefreshGrant {
            digest: r.text(0)?,
            client_id: r.text(1)?,
            account_id: r.text(2)?,
            user_id: r.text(3)?,
            scopes: split_scopes(&r.text(4)?),
            created_at: r.int(5)?,
        })
    }
}

pub const DELETE_REFRESH_TOKEN: &str = "DELETE FROM refresh_tokens WHERE digest = $1";
