//! Transfer tokens: how a customer lets another reseller take it over.

use crate::clock::Millis;
use crate::error::{RuleError, RuleErrorKind};
use crate::subscription::{DAY_MS, Subscription};

/// A transfer token is valid for 30 days, as the Reseller API documentation says (the
/// Admin console help says 14; integrators code against the API).
pub const TOKEN_VALIDITY_MS: Millis = 30 * DAY_MS;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferToken {
    /// SHA-256 digest of the hexadecimal `customerAuthToken`.
    pub digest: String,
    pub customer_id: String,
    /// The receiving reseller the customer's admin named.
    pub reseller_id: String,
    pub created_at: Millis,
    pub expires_at: Millis,
}

impl TransferToken {
    pub fn authorizes(&self, customer_id: &str, reseller_id: &str, now: Millis) -> bool {
        self.customer_id == customer_id && self.reseller_id == reseller_id && now < self.expires_at
    }
}

/// Checks moving the customer's subscription of `new`'s SKU to `new`'s reseller, given
/// every live subscription the customer holds; returns the subscription that moves.
pub fn source_of<'a>(
    new: &Subscription,
    held: &'a [Subscription],
    deal_code: Option<&str>,
) -> Result<&'a Subscription, RuleError> {
    if deal_code.is_some_and(|d| !d.trim().is_empty()) {
        return Err(RuleError::invalid(
            "dealCode",
            "deal codes cannot be used with transfers",
        ));
    }
    not_already_held(&new.sku_id, &new.reseller_id, held)?;
    let source = held
        .iter()
        .find(|s| s.sku_id == new.sku_id)
        .ok_or_else(|| {
            RuleError::invalid(
                "skuId",
                format!(
                    "the customer has no {} subscription to transfer",
                    new.sku_id
                ),
            )
        })?;
    if !source.is_transferable() {
        return Err(condition(
            "This subscription cannot be transferred in its current state.",
        ));
    }
    if source.is_add_on()
        && held
            .iter()
            .any(|s| s.is_workspace() && s.reseller_id == source.reseller_id)
    {
        return Err(condition(
            "Transfer the customer's Google Workspace subscription; its add-ons move with it.",
        ));
    }
    let minimum = source.minimum_transferable_seats();
    if new.seats < minimum {
        let field = if new.plan.is_annual() {
            "seats.numberOfSeats"
        } else {
            "seats.maximumNumberOfSeats"
        };
        return Err(RuleError::invalid(
            field,
            format!("at least {minimum} seats must be transferred"),
        ));
    }
    Ok(source)
}

/// Refuses moving a SKU to a reseller that already holds it for the customer (409): what
/// a receiver retrying its own finished transfer learns, whatever became of its token.
pub fn not_already_held(
    sku_id: &str,
    receiver: &str,
    held: &[Subscription],
) -> Result<(), RuleError> {
    if held
        .iter()
        .any(|s| s.sku_id == sku_id && s.reseller_id == receiver)
    {
        return Err(RuleError {
            kind: RuleErrorKind::Duplicate,
            field: String::new(),
            message: "This subscription is already yours.".into(),
        });
    }
    Ok(())
}

/// The add-ons that move along when `source`, a Workspace subscription, is transferred.
pub fn moving_add_ons<'a>(
    source: &Subscription,
    held: &'a [Subscription],
) -> Vec<&'a Subscription> {
    if !source.is_workspace() {
        return Vec::new();
    }
    held.iter()
        .filter(|s| s.is_add_on() && s.reseller_id == source.reseller_id)
        .collect()
}

/// Whether, once the subscriptions `moved` have gone to `receiver`, the customer still
/// holds something another reseller could hand over with the same token.
pub fn anything_left_to_move(held: &[Subscription], moved: &[&str], receiver: &str) -> bool {
    held.iter().any(|s| {
        s.reseller_id != receiver && s.is_transferable() && !moved.contains(&s.id.as_str())
    })
}

fn condition(message: &str) -> RuleError {
    RuleError {
        kind: RuleErrorKind::ConditionNotMet,
        field: String::new(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_for_one_customer_one_reseller_thirty_days() {
        let t = TransferToken {
            digest: "d".into(),
            customer_id: "C0a".into(),
            reseller_id: "C0r".into(),
            created_at: 0,
            expires_at: TOKEN_VALIDITY_MS,
        };
        assert!(t.authorizes("C0a", "C0r", TOKEN_VALIDITY_MS - 1));
        assert!(!t.authorizes("C0a", "C0r", TOKEN_VALIDITY_MS));
        assert!(!t.authorizes("C0b", "C0r", 0));
        assert!(!t.authorizes("C0a", "C0x", 0));
    }
}
