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
/// subscription that pays for it and the licences already assigned from it.
pub fn check_assign(
    sku: &Sku,
    held: &[License],
    subscription: Option<&Subscription>,
    assigned: usize,
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
    if assigned >= sub.seats as usize {
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
