//! Creating resellers and service-account keys: shared by the CLI and the demo set-up.

use partnerd_domain::Clock;
use partnerd_domain::auth::{ServiceAccount, ServiceAccountKey};
use partnerd_domain::customer::{
    Customer, CustomerType, PostalAddress, email_valid, normalize_domain,
};
use partnerd_domain::event::NewEvent;
use partnerd_domain::ids;
use partnerd_domain::scopes::DELEGATED_BY_DEFAULT;
use partnerd_domain::user::User;
use partnerd_store::{NewReseller, NewServiceAccount, Store, StoreError};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("key generation failed: {0}")]
    Crypto(String),
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedReseller {
    pub domain: String,
    pub customer_id: String,
    pub public_id: String,
    pub admin_email: String,
}

pub fn hash_password(password: &str) -> Result<String, ProvisionError> {
    partnerd_app::passwords::hash(password).map_err(ProvisionError::Crypto)
}

/// A reseller account with its primary domain, a public reseller ID and a super admin.
pub async fn create_reseller(
    store: &dyn Store,
    clock: &dyn Clock,
    domain: &str,
    admin_email: &str,
    password: &str,
) -> Result<CreatedReseller, ProvisionError> {
    let domain = normalize_domain(domain).map_err(|e| ProvisionError::Invalid(e.message))?;
    let admin_email = admin_email.trim().to_ascii_lowercase();
    if !email_valid(&admin_email) || !admin_email.ends_with(&format!("@{domain}")) {
        return Err(ProvisionError::Invalid(format!(
            "the admin must be an e-mail address in {domain}"
        )));
    }
    let length = password.chars().count();
    if !(8..=100).contains(&length) {
        return Err(ProvisionError::Invalid(
            "the password must have 8 to 100 characters".into(),
        ));
    }
    let now = clock.now();
    let account = Customer {
        id: ids::new_customer_id(),
        domain: domain.clone(),
        customer_type: CustomerType::Domain,
        managed_by: None,
        alternate_email: None,
        phone_number: None,
        postal_address: PostalAddress::default(),
        primary_admin_email: Some(admin_email.clone()),
        domain_verified: true,
        created_at: now,
        reseller_public_id: Some(ids::new_public_reseller_id()),
        tos_accepted_at: Some(now),
        language: "en".into(),
        reseller_access: true,
        version: 1,
    };
    let local = admin_email.split('@').next().unwrap_or("admin");
    let admin = User {
        id: ids::new_numeric_id(),
        account_id: account.id.clone(),
        primary_email: admin_email.clone(),
        given_name: local.to_string(),
        family_name: "Admin".into(),
        password_hash: hash_password(password)?,
        is_super_admin: true,
        suspended: false,
        created_at: now,
        org_unit_id: None,
        change_password_at_next_login: false,
        language: "en".into(),
        deleted_at: None,
        version: 1,
    };
    let event = NewEvent {
        at: now,
        actor: "cli".into(),
        account_id: Some(account.id.clone()),
        action: "reseller.create".into(),
        resource_type: "account".into(),
        resource_id: account.id.clone(),
        before: None,
        after: serde_json::to_value(&account).ok(),
        event_type: None,
    };
    let reseller = NewReseller { account, admin };
    match store.create_reseller(&reseller, event).await {
        Ok(()) => {}
        Err(StoreError::Conflict(name)) if name.contains("domain") => {
            return Err(ProvisionError::Invalid(format!(
                "an account for {domain} already exists"
            )));
        }
        Err(StoreError::Conflict(name)) if name.contains("email") => {
            return Err(ProvisionError::Invalid(format!(
                "the user {admin_email} already exists"
            )));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(CreatedReseller {
        domain,
        customer_id: reseller.account.id,
        public_id: reseller.account.reseller_public_id.unwrap_or_default(),
        admin_email,
    })
}

/// A service-account key file in exactly the format Google issues.
#[derive(Debug, Serialize)]
pub struct KeyFile {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub project_id: String,
    pub private_key_id: String,
    pub private_key: String,
    pub client_email: String,
    pub client_id: String,
    pub auth_uri: String,
    pub token_uri: String,
    pub auth_provider_x509_cert_url: String,
    pub client_x509_cert_url: String,
    pub universe_domain: &'static str,
}

/// A new service account of the reseller owning `reseller_domain`, with a fresh RSA key,
/// authorized for domain-wide delegation in that domain with the default scopes.
pub async fn create_key(
    store: &dyn Store,
    clock: &dyn Clock,
    reseller_domain: &str,
    public_url: &str,
) -> Result<KeyFile, ProvisionError> {
    let reseller = store
        .account(reseller_domain)
        .await?
        .filter(|a| a.reseller_public_id.is_some())
        .ok_or_else(|| {
            ProvisionError::Invalid(format!("no reseller has the domain {reseller_domain}"))
        })?;
    let public_url = public_url.trim_end_matches('/');

    let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
        .map_err(|e| ProvisionError::Crypto(e.to_string()))?;
    let private_pem = private
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| ProvisionError::Crypto(e.to_string()))?
        .to_string();
    let public_pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| ProvisionError::Crypto(e.to_string()))?;

    let now = clock.now();
    let project_id = format!("partnerd-{}", reseller.domain.replace('.', "-"));
    let client_id = ids::new_numeric_id();
    let email = format!(
        "reseller-api-{}@{project_id}.iam.gserviceaccount.com",
        &client_id[..6]
    );
    let key_id = ids::new_key_id();
    let new_account = NewServiceAccount {
        account: ServiceAccount {
            client_id: client_id.clone(),
            account_id: reseller.id.clone(),
            email: email.clone(),
            created_at: now,
        },
        key: ServiceAccountKey {
            key_id: key_id.clone(),
            client_id: client_id.clone(),
            public_key_pem: public_pem,
            created_at: now,
        },
        delegated_scopes: DELEGATED_BY_DEFAULT.iter().map(|s| s.to_string()).collect(),
    };
    let event = NewEvent {
        at: now,
        actor: "cli".into(),
        account_id: Some(reseller.id.clone()),
        action: "serviceAccount.create".into(),
        resource_type: "serviceAccount".into(),
        resource_id: client_id.clone(),
        before: None,
        after: serde_json::to_value(&new_account.account).ok(),
        event_type: None,
    };
    store.create_service_account(&new_account, event).await?;
    Ok(KeyFile {
        kind: "service_account",
        project_id,
        private_key_id: key_id,
        private_key: private_pem,
        client_x509_cert_url: format!(
            "{public_url}/robot/v1/metadata/x509/{}",
            email.replace('@', "%40")
        ),
        client_email: email,
        client_id,
        auth_uri: format!("{public_url}/o/oauth2/auth"),
        token_uri: format!("{public_url}/token"),
        auth_provider_x509_cert_url: format!("{public_url}/oauth2/v1/certs"),
        universe_domain: "googleapis.com",
    })
}
