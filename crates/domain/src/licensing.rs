//! Licences (Licensing API): who holds which SKU, Cloud Identity Free's site-wide
//! allotment, and paid SKUs drawing on the customer's subscription seats.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::catalogue::{self, Sku};
use crate::clock::Millis;
use crate::error::{RuleError, RuleErrorKind};
use crate::subscription::Subscription;
use crate::user::User;

const PRODUCTS: &str = include_str!("../data/products.tsv");

/// Cloud Identity Free: every user holds it, up to the account's cap.
pub const CLOUD_IDENTITY_FREE_PRODUCT: &str = "101001";
pub const CLOUD_IDENTITY_FREE_SKU: &str = "1010010001";
/// Cloud Identity Free licences an account has without paid ones.
pub const CLOUD_IDENTITY_FREE_CAP: usize = 50;

static PRODUCT_NAMES: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    PRODUCTS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect()
});

pub fn product_name(product_id: &str) -> Option<&'static str> {
    PRODUCT_NAMES
        .iter()
        .find(|(id, _)| *id == product_id)
        .map(|(_, n)| *n)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct License {
    pub account_id: String,
    pub user_id: String,
    pub product_id: String,
    pub sku_id: String,
    pub created_at: Millis,
}

fn condition(message: impl Into<String>) -> RuleError {
    RuleError {
        kind: RuleErrorKind::ConditionNotMet,
        field: String::new(),
        message: message.into(),
    }
}

/// The SKU a request names, which must belong to the product.
pub fn sku_of(product_id: &str, sku_id: &str) -> Result<&'static Sku, RuleError> {
    catalogue::sku(sku_id)
        .filter(|s| s.product_id == product_id)
        .ok_or_else(|| {
            RuleError::invalid(
                "skuId",
                format!("'{sku_id}' is not a SKU of product '{product_id}'"),
            )
        })
}

pub fn is_cloud_identity_free(sku: &Sku) -> bool {
    sku.sku_id == CLOUD_IDENTITY_FREE_SKU
}

/// How many Cloud Identity Free licences an account has: the base allotment, raised to
/// the number of paid licences it holds.
pub fn cloud_identity_cap(paid_licences: usize) -> usize {
    CLOUD_IDENTITY_FREE_CAP.max(paid_licences)
}

/// The users holding Cloud Identity Free: the earliest created live users, up to the cap.
pub fn cloud_identity_holders(users: &[User], cap: usize) -> Vec<&User> {
    let mut live: Vec<&User> = users.iter().filter(|u| u.deleted_at.is_none()).collect();
    live.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
    live.truncate(cap);
    live
}

/// Checks assigning `sku` to a user who holds `held` (the user's licences), given the
/// subscription that pays for it. The seats in use are the subscription's own
/// `licensed_seats`, which every assignment raises under the subscription's version check,
/// so two requests for the last seat cannot both pass.
pub fn check_assign(
    sku: &Sku,
    held: &[License],
    subscription: Option<&Subscription>,
) -> Result<(), RuleError> {
    if is_cloud_identity_free(sku) {
        return Err(condition(
            "Cloud Identity Free is assigned automatically to every user.",
        ));
    }
    if held.iter().any(|l| l.sku_id == sku.sku_id) {
        return Err(condition(
            "User already has a license for the specified product and SKU.",
        ));
    }
    if held.iter().any(|l| l.product_id == sku.product_id) {
        return Err(condition(
            "User already has a license of another SKU of this product; reassign it with update.",
        ));
    }
    let sub = subscription.filter(|s| s.is_live()).ok_or_else(|| {
        condition(format!(
            "The customer has no {} subscription to draw licences from.",
            sku.sku_name
        ))
    })?;
    if sub.is_suspended() {
        return Err(condition("The subscription is suspended."));
    }
    if sub.licensed_seats >= sub.seats {
        return Err(condition(
            "Not enough available licenses for the product-SKU pair: raise the subscription's seats first.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, created: i64, deleted: bool) -> User {
        User {
            id: id.into(),
            account_id: "C0a".into(),
            primary_email: format!("{id}@a.example"),
            given_name: "A".into(),
            family_name: "B".into(),
            password_hash: String::new(),
            is_super_admin: false,
            suspended: false,
            created_at: created,
            org_unit_id: None,
            change_password_at_next_login: false,
            language: "en".into(),
            deleted_at: deleted.then_some(1),
            version: 1,
        }
    }

    #[test]
    fn cloud_identity_goes_to_the_first_users_up_to_the_cap() {
        let users = vec![
            user("3", 3, false),
            user("1", 1, false),
            user("2", 2, true),
            user("4", 4, false),
        ];
        let holders: Vec<&str> = cloud_identity_holders(&users, 2)
            .iter()
            .map(|u| u.id.as_str())
            .collect();
        assert_eq!(
            holders,
            vec!["1", "3"],
            "deleted users hold nothing; the earliest come first"
        );
        assert_eq!(cloud_identity_cap(10), 50);
        assert_eq!(cloud_identity_cap(70), 70);
    }

    #[test]
    fn paid_licences_draw_on_the_subscriptions_licensed_seats() {
        use crate::subscription::{Buyer, Order, SeatsInput};
        let customer = crate::customer::Customer {
            id: "C0a".into(),
            domain: "a.example".into(),
            customer_type: crate::customer::CustomerType::Domain,
            managed_by: Some("C0r".into()),
            alternate_email: None,
            phone_number: None,
            postal_address: Default::default(),
            primary_admin_email: None,
            domain_verified: false,
            created_at: 0,
            reseller_public_id: None,
            tos_accepted_at: Some(0),
            language: "en".into(),
            reseller_access: true,
            education: false,
            version: 1,
        };
        let order = Order {
            sku_id: Some("1010020027".into()),
            plan_name: Some("FLEXIBLE".into()),
            seats: Some(SeatsInput {
                maximum_number_of_seats: Some(1),
                ..Default::default()
            }),
            ..Default::default()
        };
        let mut sub = Subscription::order(
            "1".into(),
            "C0r",
            Buyer {
                customer: &customer,
                tos_accepted: true,
            },
            order,
            0,
        )
        .expect("order");
        let sku = sku_of("Google-Apps", "1010020027").expect("sku");
        assert!(check_assign(sku, &[], Some(&sub)).is_ok());
        sub.licensed_seats = 1;
        assert!(
            check_assign(sku, &[], Some(&sub)).is_err(),
            "the last seat is taken"
        );
        assert!(check_assign(sku, &[], None).is_err(), "no subscription");
        let held = License {
            account_id: "C0a".into(),
            user_id: "u".into(),
            product_id: "Google-Apps".into(),
            sku_id: "1010020028".into(),
            created_at: 0,
        };
        sub.licensed_seats = 0;
        assert!(
            check_assign(sku, &[held], Some(&sub)).is_err(),
            "another SKU of the product"
        );
        let ci = sku_of(CLOUD_IDENTITY_FREE_PRODUCT, CLOUD_IDENTITY_FREE_SKU).expect("ci");
        assert!(
            check_assign(ci, &[], Some(&sub)).is_err(),
            "Cloud Identity Free is automatic"
        );
    }

    #[test]
    fn products_and_skus() {
        assert_eq!(product_name("Google-Apps"), Some("Google Workspace"));
        assert!(sku_of("Google-Apps", "1010020027").is_ok());
        assert!(sku_of("Google-Vault", "1010020027").is_err());
        for s in catalogue::all() {
            assert!(
                product_name(s.product_id).is_some(),
                "{} has no product name",
                s.product_id
            );
        }
    }
}

/// Automatic licensing of new users (an Admin console setting): per product, the rule of
/// the nearest unit at or above a user's unit decides which SKU it gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AutoLicensing {
    /// Off turns automatic licensing off for everyone, whatever the rules say.
    #[serde(default = "on")]
    pub enabled: bool,
    #[serde(default)]
    pub rules: Vec<AutoRule>,
}

fn on() -> bool {
    true
}

fn root() -> String {
    "/".into()
}

impl Default for AutoLicensing {
    fn default() -> Self {
        AutoLicensing {
            enabled: true,
            rules: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AutoRule {
    #[serde(default = "root")]
    pub org_unit_path: String,
    #[serde(default)]
    pub product_id: String,
    /// `None`: no automatic licence of this product here (overrides the parent's rule).
    #[serde(default)]
    pub sku_id: Option<String>,
}

impl AutoLicensing {
    /// Checks every rule's SKU; paths are checked by the caller, who knows the units.
    pub fn check(&self) -> Result<(), RuleError> {
        for rule in &self.rules {
            if rule.product_id.trim().is_empty() {
                return Err(RuleError::required("rules.productId"));
            }
            if let Some(sku) = &rule.sku_id {
                sku_of(&rule.product_id, sku)
                    .map_err(|e| RuleError::invalid("rules.skuId", e.message))?;
            }
        }
        Ok(())
    }

    /// The SKUs a new user in the unit at `path` gets automatically.
    pub fn skus_for(&self, path: &str) -> Vec<&'static Sku> {
        if !self.enabled {
            return Vec::new();
        }
        let mut products: Vec<&str> = self.rules.iter().map(|r| r.product_id.as_str()).collect();
        products.sort();
        products.dedup();
        products
            .into_iter()
            .filter_map(|product| {
                self.rules
                    .iter()
                    .filter(|r| {
                        r.product_id == product && crate::directory::within(path, &r.org_unit_path)
                    })
                    .max_by_key(|r| r.org_unit_path.len())
                    .and_then(|r| r.sku_id.as_deref())
                    .and_then(|sku| sku_of(product, sku).ok())
            })
            .collect()
    }
}

#[cfg(test)]
mod auto_tests {
    use super::*;

    fn rule(path: &str, sku: Option<&str>) -> AutoRule {
        AutoRule {
            org_unit_path: path.into(),
            product_id: "Google-Apps".into(),
            sku_id: sku.map(str::to_string),
        }
    }

    #[test]
    fn nearest_unit_decides() {
        let auto = AutoLicensing {
            enabled: true,
            rules: vec![
                rule("/", Some("1010020027")),
                rule("/Contractors", None),
                rule("/Staff/Sales", Some("1010020028")),
            ],
        };
        let ids = |p: &str| {
            auto.skus_for(p)
                .iter()
                .map(|s| s.sku_id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("/"), vec!["1010020027"]);
        assert_eq!(ids("/Staff"), vec!["1010020027"], "inherits from the root");
        assert_eq!(
            ids("/Staff/Sales/East"),
            vec!["1010020028"],
            "overridden below"
        );
        assert!(
            ids("/Contractors/Temp").is_empty(),
            "turned off for the subtree"
        );
        let off = AutoLicensing {
            enabled: false,
            ..auto.clone()
        };
        assert!(off.skus_for("/").is_empty());
        assert!(auto.check().is_ok());
        let bad = AutoLicensing {
            enabled: true,
            rules: vec![rule("/", Some("Google-Vault"))],
        };
        assert!(bad.check().is_err());
    }
}
