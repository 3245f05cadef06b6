//! Transfer tokens: how a customer lets another reseller take it over.

use crate::clock::Millis;
use crate::error::{RuleError, RuleErrorKind};
use crate::plan::PlanName;
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
    /// The product groups (catalogue product IDs) the customer gave the receiving
    /// reseller purchase consent for with this token, i.e. chose to move; `None`: every
    /// group.
    pub product_groups: Option<Vec<String>>,
}

impl TransferToken {
    pub fn authorizes(&self, customer_id: &str, reseller_id: &str, now: Millis) -> bool {
        self.customer_id == customer_id && self.reseller_id == reseller_id && now < self.expires_at
    }

    /// Whether the customer consented to the receiving reseller buying `product_id`.
    pub fn consents_to(&self, product_id: &str) -> bool {
        self.product_groups
            .as_ref()
            .is_none_or(|groups| groups.iter().any(|g| g == product_id))
    }

    /// Refuses a move of `moving` (a subscription and the add-ons that go with it) when
    /// the customer gave no purchase consent for one of their product groups (seed 003:
    /// consent comes first).
    pub fn consents_to_all(&self, moving: &[&Subscription]) -> Result<(), RuleError> {
        for s in moving {
            let product = s.sku().map(|sku| sku.product_id).unwrap_or_default();
            if !self.consents_to(product) {
                let name = crate::licensing::product_name(product).unwrap_or(product);
                return Err(RuleError {
                    kind: RuleErrorKind::ConditionNotMet,
                    field: CONSENT_FIELD.into(),
                    message: format!(
                        "The customer has not given this reseller purchase consent for {name}."
                    ),
                });
            }
        }
        Ok(())
    }
}

/// The field a missing purchase consent is reported on, so that pages can say it their
/// way.
pub const CONSENT_FIELD: &str = "purchaseConsent";

/// Checks the product groups a customer chooses to move with a transfer token: each a
/// product of the catalogue, none twice. Returns them as stored.
pub fn product_groups(chosen: &[String]) -> Result<Vec<String>, RuleError> {
    let mut groups: Vec<String> = vec![];
    for (i, g) in chosen.iter().enumerate() {
        let g = g.trim();
        if crate::licensing::product_name(g).is_none() {
            return Err(RuleError::invalid(
                &format!("productGroups[{i}]"),
                format!("'{g}' is not a product ID"),
            ));
        }
        if !groups.iter().any(|have| have == g) {
            groups.push(g.to_string());
        }
    }
    if groups.is_empty() {
        return Err(RuleError::invalid(
            "productGroups",
            "choose at least one product group to move",
        ));
    }
    Ok(groups)
}

/// Checks moving the customer's subscription of `new`'s SKU to `new`'s reseller at
/// `now`, given every live subscription the customer holds: the plan must be one the
/// transfer rules allow (`transfer_plans`), whichever door the transfer came through.
/// Returns the subscription that moves.
pub fn source_of<'a>(
    new: &Subscription,
    held: &'a [Subscription],
    deal_code: Option<&str>,
    now: Millis,
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
    let allowed = transfer_plans(source, now);
    if !allowed.contains(&new.plan) {
        let names: Vec<&str> = allowed.iter().map(|p| p.wire_name()).collect();
        return Err(RuleError::invalid(
            "plan.planName",
            format!(
                "a transferred {} subscription may take only {}",
                source.plan.wire_name(),
                names.join(", ")
            ),
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

/// The plans a transferred subscription may take at the receiving reseller (transferred
/// subscriptions are new subscriptions), after the Partner Sales Console's rules
/// (spec A5): a Flexible subscription becomes Flexible or Annual; an Annual one stays
/// Annual, or becomes Flexible within 30 days of its term's end; one in its trial
/// becomes a trial again or a paid subscription; after a finished trial only a paid
/// plan. Plans the SKU is never sold on (Annual for some add-ons) are left out.
pub fn transfer_plans(source: &Subscription, now: Millis) -> Vec<PlanName> {
    use PlanName::{AnnualMonthlyPay, AnnualYearlyPay, Flexible, Trial};
    let near_term_end = source
        .commitment
        .is_some_and(|(_, end)| end.saturating_sub(now) <= 30 * DAY_MS);
    let candidates: &[PlanName] = match source.plan {
        Trial if source.in_trial => &[Trial, Flexible, AnnualMonthlyPay, AnnualYearlyPay],
        Trial => &[Flexible, AnnualMonthlyPay, AnnualYearlyPay],
        p if p.is_annual() && near_term_end => &[AnnualMonthlyPay, AnnualYearlyPay, Flexible],
        p if p.is_annual() => &[AnnualMonthlyPay, AnnualYearlyPay],
        _ => &[Flexible, AnnualMonthlyPay, AnnualYearlyPay],
    };
    candidates
        .iter()
        .copied()
        .filter(|p| source.sku().is_some_and(|sku| sku.allows(*p)))
        .collect()
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
            product_groups: None,
        };
        assert!(t.authorizes("C0a", "C0r", TOKEN_VALIDITY_MS - 1));
        assert!(!t.authorizes("C0a", "C0r", TOKEN_VALIDITY_MS));
        assert!(!t.authorizes("C0b", "C0r", 0));
        assert!(!t.authorizes("C0a", "C0x", 0));
    }

    #[test]
    fn a_token_consents_to_the_product_groups_the_customer_chose() {
        let mut t = TransferToken {
            digest: "d".into(),
            customer_id: "C0a".into(),
            reseller_id: "C0r".into(),
            created_at: 0,
            expires_at: TOKEN_VALIDITY_MS,
            product_groups: None,
        };
        let workspace = held(PlanName::Flexible, false, None);
        let mut vault = held(PlanName::Flexible, false, None);
        vault.sku_id = "Google-Vault".into();
        assert_eq!(t.consents_to_all(&[&workspace, &vault]), Ok(()));
        t.product_groups = Some(vec!["Google-Apps".into()]);
        assert_eq!(t.consents_to_all(&[&workspace]), Ok(()));
        let refused = t
            .consents_to_all(&[&workspace, &vault])
            .expect_err("no consent");
        assert_eq!(refused.kind, RuleErrorKind::ConditionNotMet);
        assert!(
            refused.message.contains("Google Vault"),
            "{}",
            refused.message
        );

        assert_eq!(
            product_groups(&[" Google-Apps".into(), "Google-Apps".into()]),
            Ok(vec!["Google-Apps".to_string()])
        );
        assert_eq!(
            product_groups(&["Google-Apps".into(), "Nope".into()]).map_err(|e| e.field),
            Err("productGroups[1]".to_string())
        );
        assert_eq!(
            product_groups(&[]).map_err(|e| e.field),
            Err("productGroups".to_string())
        );
    }

    fn held(plan: PlanName, in_trial: bool, term_end: Option<Millis>) -> Subscription {
        Subscription {
            id: "1".into(),
            customer_id: "C0a".into(),
            reseller_id: "C0r".into(),
            sku_id: "1010020027".into(),
            plan,
            commitment: term_end.map(|end| (0, end)),
            seats: 5,
            licensed_seats: 3,
            renewal_type: None,
            purchase_order_id: None,
            deal_code: None,
            suspension_reasons: Vec::new(),
            in_trial,
            trial_end: None,
            pending_plan: None,
            created_at: 0,
            cancelled: None,
            version: 1,
        }
    }

    #[test]
    fn the_plans_a_transfer_offers_follow_the_source_plan() {
        use PlanName::*;
        let now = 100 * DAY_MS;
        let annual = [AnnualMonthlyPay, AnnualYearlyPay];
        assert_eq!(
            transfer_plans(&held(Flexible, false, None), now),
            [Flexible, AnnualMonthlyPay, AnnualYearlyPay]
        );
        // Annual: Flexible only within 30 days of the term's end.
        assert_eq!(
            transfer_plans(&held(AnnualYearlyPay, false, Some(now + 31 * DAY_MS)), now),
            annual
        );
        assert_eq!(
            transfer_plans(&held(AnnualMonthlyPay, false, Some(now + 30 * DAY_MS)), now),
            [AnnualMonthlyPay, AnnualYearlyPay, Flexible]
        );
        let trial = transfer_plans(&held(Trial, true, None), now);
        assert_eq!(trial.first(), Some(&Trial), "{trial:?}");
        assert!(!transfer_plans(&held(Trial, false, None), now).contains(&Trial));
        // Only plans the SKU is sold on.
        let mut unknown = held(Flexible, false, None);
        unknown.sku_id = "no-such-sku".into();
        assert!(transfer_plans(&unknown, now).is_empty());
    }
}
