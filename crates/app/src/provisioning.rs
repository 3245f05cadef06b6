//! Setting the platform up from the command line (and the demo): a reseller account with
//! its first super admin, and a service account of a reseller with its first key and
//! domain-wide delegation. These come before anyone can act, so they take the store and
//! the clock rather than an actor; the key pair and the key file are the caller's.

use partnerd_domain::auth::{ServiceAccount, ServiceAccountKey};
use partnerd_domain::customer::{
    Customer, CustomerType, PostalAddress, email_valid, normalize_domain,
};
use partnerd_domain::event::NewEvent;
use partnerd_domain::scopes::DELEGATED_BY_DEFAULT;
use partnerd_domain::user::User;
use partnerd_domain::{Clock, RuleError, RuleErrorKind, ids};
use partnerd_store::{NewReseller, NewServiceAccount, Store, StoreError};

use crate::OpError;

fn invalid(field: &str, message: String) -> OpError {
    RuleError {
        kind: RuleErrorKind::Invalid,
        field: field.into(),
        message,
    }
    .into()
}

/// Creates a reseller account with the primary domain `domain`, a public reseller ID and
/// the super admin `admin_email` (in that domain) signing in with `password`.
pub async fn create_reseller(
    store: &dyn Store,
    clock: &dyn Clock,
    domain: &str,
    admin_email: &str,
    password: &str,
) -> Result<NewReseller, OpError> {
    let domain = normalize_domain(domain)?;
    let admin_email = admin_email.trim().to_ascii_lowercase();
    if !email_valid(&admin_email) || !admin_email.ends_with(&format!("@{domain}")) {
        return Err(invalid(
            "admin",
            format!("the admin must be an e-mail address in {domain}"),
        ));
    }
    let length = password.chars().count();
    if !(8..=100).contains(&length) {
        return Err(invalid(
            "password",
            "the password must have 8 to 100 characters".into(),
        ));
    }
    let password_hash = crate::passwords::hash(password)
        .map_err(|e| OpError::Store(StoreError::Backend(format!("hashing a password: {e}"))))?;
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
        education: false,
        version: 1,
    };
    let local = admin_email.split('@').next().unwrap_or("admin");
    let admin = User {
        id: ids::new_numeric_id(),
        account_id: account.id.clone(),
        primary_email: admin_email.clone(),
        given_name: local.to_string(),
        family_name: "Admin".into(),
        password_hash,
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
        Ok(()) => Ok(reseller),
        Err(StoreError::Conflict(name)) if name.contains("domain") => Err(invalid(
            "domain",
            format!("an account for {domain} already exists"),
        )),
        Err(StoreError::Conflict(name)) if name.contains("email") => Err(invalid(
            "admin",
            format!("the user {admin_email} already exists"),
        )),
        Err(e) => Err(e.into()),
    }
}

/// A service account just created, and what its key file names.
#[derive(Debug, Clone)]
pub struct CreatedServiceAccount {
    pub reseller: Customer,
    /// The Google Cloud project its e-mail address names.
    pub project_id: String,
    pub account: ServiceAccount,
    pub key: ServiceAccountKey,
}

/// The reseller whose primary domain is `domain`; a customer or nothing there is an
/// invalid `reseller`.
pub async fn reseller(store: &dyn Store, domain: &str) -> Result<Customer, OpError> {
    store
        .account(domain)
        .await?
        .filter(|a| a.reseller_public_id.is_some())
        .ok_or_else(|| invalid("reseller", format!("no reseller has the domain {domain}")))
}

/// The Cloud project partnerd files a reseller's service accounts and OAuth clients
/// under (`partnerd-partner-example` for `partner.example`).
pub fn project_id(reseller_domain: &str) -> String {
    format!("partnerd-{}", reseller_domain.replace('.', "-"))
}

/// Creates a service account of the reseller owning `reseller_domain`, with the key
/// whose public half is `public_key_pem`, authorized for domain-wide delegation in that
/// domain with the default scopes.
pub async fn create_service_account(
    store: &dyn Store,
    clock: &dyn Clock,
    reseller_domain: &str,
    public_key_pem: String,
) -> Result<CreatedServiceAccount, OpError> {
    let reseller = reseller(store, reseller_domain).await?;
    let now = clock.now();
    let project_id = project_id(&reseller.domain);
    let client_id = ids::new_numeric_id();
    let email = format!(
        "reseller-api-{}@{project_id}.iam.gserviceaccount.com",
        &client_id[..6]
    );
    let new_account = NewServiceAccount {
        account: ServiceAccount {
            client_id: client_id.clone(),
            account_id: reseller.id.clone(),
            email,
            created_at: now,
        },
        key: ServiceAccountKey {
            key_id: ids::new_key_id(),
            client_id: client_id.clone(),
            public_key_pem,
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
        resource_id: client_id,
        before: None,
        after: serde_json::to_value(&new_account.account).ok(),
        event_type: None,
    };
    store.create_service_account(&new_account, event).await?;
    Ok(CreatedServiceAccount {
        reseller,
        project_id,
        account: new_account.account,
        key: new_account.key,
    })
}

/// Google's limit on keys a service account holds at once.
pub const MAX_KEYS: usize = 10;

/// Adds a key, whose public half is `public_key_pem`, to the existing service account
/// `client_email` (key rotation: the old keys stay valid until removed).
pub async fn add_service_account_key(
    store: &dyn Store,
    clock: &dyn Clock,
    client_email: &str,
    public_key_pem: String,
) -> Result<CreatedServiceAccount, OpError> {
    let account = store
        .service_account_by_email(client_email)
        .await?
        .ok_or_else(|| {
            invalid(
                "serviceAccount",
                format!("no service account has the e-mail address {client_email}"),
            )
        })?;
    if store.service_account_keys_of(client_email).await?.len() >= MAX_KEYS {
        return Err(invalid(
            "serviceAccount",
            format!("the service account {client_email} already has {MAX_KEYS} keys"),
        ));
    }
    let reseller = store
        .account(&account.account_id)
        .await?
        .ok_or_else(|| invalid("serviceAccount", "its reseller no longer exists".into()))?;
    let now = clock.now();
    let key = ServiceAccountKey {
        key_id: ids::new_key_id(),
        client_id: account.client_id.clone(),
        public_key_pem,
        created_at: now,
    };
    let event = NewEvent {
        at: now,
        actor: "cli".into(),
        account_id: Some(account.account_id.clone()),
        action: "serviceAccount.keys.create".into(),
        resource_type: "serviceAccount".into(),
        resource_id: account.client_id.clone(),
        before: None,
        after: Some(serde_json::json!({"keyId": key.key_id})),
        event_type: None,
    };
    store.add_service_account_key(&key, event).await?;
    let project_id = client_email
        .split_once('@')
        .and_then(|(_, host)| host.split('.').next())
        .unwrap_or_default()
        .to_string();
    Ok(CreatedServiceAccount {
        reseller,
        project_id,
        account,
        key,
    })
}

#[cfg(test)]
mod tests {
    use partnerd_domain::SystemClock;

    use super::*;
    use crate::testing::ops;

    #[tokio::test]
    async fn a_reseller_and_its_key_are_created_once() {
        let ops = ops().await;
        let clock = SystemClock::new(0);
        let store = ops.store.as_ref();
        let made = create_reseller(
            store,
            &clock,
            "Partner.example",
            "Boss@partner.example",
            "long enough",
        )
        .await
        .expect("created");
        assert_eq!(made.account.domain, "partner.example");
        assert_eq!(made.admin.primary_email, "boss@partner.example");
        let again = create_reseller(
            store,
            &clock,
            "partner.example",
            "x@partner.example",
            "long enough",
        )
        .await
        .expect_err("twice");
        assert_eq!(
            again.violations()[0].message,
            "an account for partner.example already exists"
        );
        let outside = create_reseller(
            store,
            &clock,
            "other.example",
            "boss@partner.example",
            "long enough",
        )
        .await
        .expect_err("outside");
        assert_eq!(
            outside.violations()[0].message,
            "the admin must be an e-mail address in other.example"
        );

        let sa = create_service_account(store, &clock, "partner.example", "PEM".into())
            .await
            .expect("service account");
        assert_eq!(sa.project_id, "partnerd-partner-example");
        assert!(
            sa.account
                .email
                .ends_with("@partnerd-partner-example.iam.gserviceaccount.com")
        );
        let (stored, key) = store
            .service_account_key(&sa.key.key_id)
            .await
            .expect("read")
            .expect("stored");
        assert_eq!((stored, key), (sa.account.clone(), sa.key.clone()));
        let scopes = store
            .delegated_scopes(&made.account.id, &sa.account.client_id)
            .await
            .expect("read");
        assert_eq!(scopes.map(|s| s.len()), Some(DELEGATED_BY_DEFAULT.len()));
        let unknown = create_service_account(store, &clock, "nobody.example", "PEM".into())
            .await
            .expect_err("no reseller");
        assert_eq!(
            unknown.violations()[0].message,
            "no reseller has the domain nobody.example"
        );
    }
}
