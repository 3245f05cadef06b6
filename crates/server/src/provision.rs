//! Creating resellers and service-account keys: shared by the CLI and the demo set-up.
//! The accounts are the operations' (`partnerd_app::provisioning`); the key pair and the
//! key file, in the format Google issues, are made here.

use partnerd_app::OpError;
use partnerd_app::provisioning;
use partnerd_app::user_credentials;
use partnerd_domain::Clock;
use partnerd_store::{NewReseller, Store, StoreError};
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
    #[error("writing {file} failed: {error}")]
    Encoding { file: &'static str, error: String },
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedReseller {
    pub domain: String,
    pub customer_id: String,
    pub public_id: String,
    pub admin_email: String,
}

impl From<OpError> for ProvisionError {
    /// An input refused is said in the words of its first violation.
    fn from(e: OpError) -> Self {
        match e {
            OpError::Rules(violations) => match violations.into_iter().next() {
                Some(v) => ProvisionError::Invalid(v.message),
                None => ProvisionError::Invalid("the input was refused".into()),
            },
            OpError::Store(e) => ProvisionError::Store(e),
            other => ProvisionError::Invalid(other.to_string()),
        }
    }
}

/// A reseller account with its primary domain, a public reseller ID and a super admin
/// (see `partnerd_app::provisioning::create_reseller`).
pub async fn create_reseller(
    store: &dyn Store,
    clock: &dyn Clock,
    domain: &str,
    admin_email: &str,
    password: &str,
) -> Result<CreatedReseller, ProvisionError> {
    let NewReseller { account, admin } =
        provisioning::create_reseller(store, clock, domain, admin_email, password).await?;
    Ok(CreatedReseller {
        domain: account.domain,
        customer_id: account.id,
        public_id: account.reseller_public_id.unwrap_or_default(),
        admin_email: admin.primary_email,
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
    let pair = KeyPair::generate()?;
    let created =
        provisioning::create_service_account(store, clock, reseller_domain, pair.public_pem)
            .await?;
    Ok(key_file(created, pair.private_pem, public_url))
}

/// A fresh RSA key added to the existing service account `client_email` (rotation: its
/// other keys stay valid).
pub async fn add_key(
    store: &dyn Store,
    clock: &dyn Clock,
    client_email: &str,
    public_url: &str,
) -> Result<KeyFile, ProvisionError> {
    let pair = KeyPair::generate()?;
    let created =
        provisioning::add_service_account_key(store, clock, client_email, pair.public_pem).await?;
    Ok(key_file(created, pair.private_pem, public_url))
}

/// An RSA key pair as PEM: the private half for the key file, the public for partnerd.
struct KeyPair {
    private_pem: String,
    public_pem: String,
}

impl KeyPair {
    fn generate() -> Result<Self, ProvisionError> {
        let crypto = |e: &dyn std::fmt::Display| ProvisionError::Crypto(e.to_string());
        let private =
            rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).map_err(|e| crypto(&e))?;
        let private_pem = private
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| crypto(&e))?
            .to_string();
        let public_pem = private
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| crypto(&e))?;
        Ok(KeyPair {
            private_pem,
            public_pem,
        })
    }
}

fn key_file(
    created: provisioning::CreatedServiceAccount,
    private_pem: String,
    public_url: &str,
) -> KeyFile {
    let public_url = public_url.trim_end_matches('/');
    let email = created.account.email;
    KeyFile {
        kind: "service_account",
        project_id: created.project_id,
        private_key_id: created.key.key_id,
        private_key: private_pem,
        client_x509_cert_url: format!(
            "{public_url}/robot/v1/metadata/x509/{}",
            email.replace('@', "%40")
        ),
        client_email: email,
        client_id: created.account.client_id,
        auth_uri: format!("{public_url}/o/oauth2/auth"),
        token_uri: format!("{public_url}/token"),
        auth_provider_x509_cert_url: format!("{public_url}/oauth2/v1/certs"),
        universe_domain: "googleapis.com",
    }
}

/// An OAuth client's `client_secrets.json`, in the format Google's console downloads for
/// an installed ("desktop") application.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct ClientSecretsFile {
    pub installed: InstalledClient,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct InstalledClient {
    pub client_id: String,
    pub client_secret: String,
    #[serde(default)]
    pub project_id: String,
    #[serde(default)]
    pub auth_uri: String,
    #[serde(default)]
    pub token_uri: String,
    #[serde(default)]
    pub redirect_uris: Vec<String>,
}

/// Registers an OAuth client of the reseller owning `reseller_domain`, for user
/// credentials (see `partnerd_app::user_credentials`).
pub async fn create_oauth_client(
    store: &dyn Store,
    clock: &dyn Clock,
    reseller_domain: &str,
    name: &str,
    public_url: &str,
) -> Result<ClientSecretsFile, ProvisionError> {
    let public_url = public_url.trim_end_matches('/');
    let registered = user_credentials::register_client(store, clock, reseller_domain, name).await?;
    Ok(ClientSecretsFile {
        installed: InstalledClient {
            client_id: registered.client.client_id,
            client_secret: registered.secret,
            project_id: provisioning::project_id(reseller_domain),
            auth_uri: format!("{public_url}/o/oauth2/auth"),
            token_uri: format!("{public_url}/token"),
            redirect_uris: vec!["http://localhost".into()],
        },
    })
}

/// An authorized-user credential file, as `gcloud auth application-default login`
/// writes it (google-auth's `authorized_user`), with partnerd's `token_uri`.
#[derive(Debug, Serialize)]
pub struct AuthorizedUserFile {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub client_id: String,
    pub client_secret: String,
    pub refresh_token: String,
    pub token_uri: String,
    /// The user it acts as.
    pub account: String,
    pub scopes: Vec<String>,
    pub universe_domain: &'static str,
}

/// A refresh token of the client in `secrets` for the user `email` with `scopes`.
pub async fn create_user_credentials(
    store: &dyn Store,
    clock: &dyn Clock,
    secrets: &ClientSecretsFile,
    email: &str,
    scopes: Vec<String>,
    public_url: &str,
) -> Result<AuthorizedUserFile, ProvisionError> {
    let client = &secrets.installed;
    let refresh_token = user_credentials::issue_refresh_token(
        store,
        clock,
        &client.client_id,
        &client.client_secret,
        email,
        scopes.clone(),
    )
    .await?;
    Ok(AuthorizedUserFile {
        kind: "authorized_user",
        client_id: client.client_id.clone(),
        client_secret: client.client_secret.clone(),
        refresh_token,
        token_uri: format!("{}/token", public_url.trim_end_matches('/')),
        account: email.to_string(),
        scopes,
        universe_domain: "googleapis.com",
    })
}
