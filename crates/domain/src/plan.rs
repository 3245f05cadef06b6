//! Plans, renewal types, suspension and cancellation reasons, and the event types
//! resellers are notified of: the vocabulary of subscriptions.

use serde::{Deserialize, Serialize};

use crate::error::RuleError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlanName {
    AnnualMonthlyPay,
    AnnualYearlyPay,
    Flexible,
    Trial,
    Free,
}

impl PlanName {
    /// Parses a request's `planName`; `ANNUAL` is what Google returns for the monthly-pay
    /// annual plan, so clients that echo a resource back send it too.
    pub fn parse(field: &str, value: &str) -> Result<PlanName, RuleError> {
        match value {
            "ANNUAL_MONTHLY_PAY" | "ANNUAL" => Ok(PlanName::AnnualMonthlyPay),
            "ANNUAL_YEARLY_PAY" => Ok(PlanName::AnnualYearlyPay),
            "FLEXIBLE" => Ok(PlanName::Flexible),
            "TRIAL" => Ok(PlanName::Trial),
            "FREE" => Ok(PlanName::Free),
            other => Err(RuleError::invalid(
                field,
                format!("'{other}' is not a plan"),
            )),
        }
    }

    /// The name responses carry: `ANNUAL_MONTHLY_PAY` is returned as `ANNUAL`.
    pub fn wire_name(self) -> &'static str {
        match self {
            PlanName::AnnualMonthlyPay => "ANNUAL",
            PlanName::AnnualYearlyPay => "ANNUAL_YEARLY_PAY",
            PlanName::Flexible => "FLEXIBLE",
            PlanName::Trial => "TRIAL",
            PlanName::Free => "FREE",
        }
    }

    /// The stored name (as serialized), which the console list filters by.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanName::AnnualMonthlyPay => "ANNUAL_MONTHLY_PAY",
            PlanName::AnnualYearlyPay => "ANNUAL_YEARLY_PAY",
            PlanName::Flexible => "FLEXIBLE",
            PlanName::Trial => "TRIAL",
            PlanName::Free => "FREE",
        }
    }

    pub fn is_annual(self) -> bool {
        matches!(self, PlanName::AnnualMonthlyPay | PlanName::AnnualYearlyPay)
    }

    pub fn is_paid(self) -> bool {
        matches!(
            self,
            PlanName::AnnualMonthlyPay | PlanName::AnnualYearlyPay | PlanName::Flexible
        )
    }

    pub fn default_renewal(self) -> Option<RenewalType> {
        match self {
            PlanName::AnnualMonthlyPay => Some(RenewalType::RenewCurrentUsersMonthlyPay),
            PlanName::AnnualYearlyPay => Some(RenewalType::RenewCurrentUsersYearlyPay),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RenewalType {
    AutoRenewMonthlyPay,
    AutoRenewYearlyPay,
    RenewCurrentUsersMonthlyPay,
    RenewCurrentUsersYearlyPay,
    RenewOnProposedOffer,
    SwitchToPayAsYouGo,
    Cancel,
}

impl RenewalType {
    pub const ALL: [RenewalType; 7] = [
        RenewalType::AutoRenewMonthlyPay,
        RenewalType::AutoRenewYearlyPay,
        RenewalType::RenewCurrentUsersMonthlyPay,
        RenewalType::RenewCurrentUsersYearlyPay,
        RenewalType::RenewOnProposedOffer,
        RenewalType::SwitchToPayAsYouGo,
        RenewalType::Cancel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RenewalType::AutoRenewMonthlyPay => "AUTO_RENEW_MONTHLY_PAY",
            RenewalType::AutoRenewYearlyPay => "AUTO_RENEW_YEARLY_PAY",
            RenewalType::RenewCurrentUsersMonthlyPay => "RENEW_CURRENT_USERS_MONTHLY_PAY",
            RenewalType::RenewCurrentUsersYearlyPay => "RENEW_CURRENT_USERS_YEARLY_PAY",
            RenewalType::RenewOnProposedOffer => "RENEW_ON_PROPOSED_OFFER",
            RenewalType::SwitchToPayAsYouGo => "SWITCH_TO_PAY_AS_YOU_GO",
            RenewalType::Cancel => "CANCEL",
        }
    }

    pub fn parse(value: &str) -> Result<RenewalType, RuleError> {
        RenewalType::ALL
            .into_iter()
            .find(|r| r.as_str() == value)
            .ok_or_else(|| {
                RuleError::invalid(
                    "renewalSettings.renewalType",
                    format!("'{value}' is not a renewal type"),
                )
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SuspensionReason {
    PendingTosAcceptance,
    RenewalWithTypeCancel,
    ResellerInitiated,
    TrialEnded,
    Other,
}

impl SuspensionReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SuspensionReason::PendingTosAcceptance => "PENDING_TOS_ACCEPTANCE",
            SuspensionReason::RenewalWithTypeCancel => "RENEWAL_WITH_TYPE_CANCEL",
            SuspensionReason::ResellerInitiated => "RESELLER_INITIATED",
            SuspensionReason::TrialEnded => "TRIAL_ENDED",
            SuspensionReason::Other => "OTHER",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CancellationReason {
    TransferredOut,
    PurchaseOfSubsumingSku,
    ResellerInitiated,
    Other,
}

impl CancellationReason {
    pub fn as_str(self) -> &'static str {
        match self {
            CancellationReason::TransferredOut => "TRANSFERRED_OUT",
            CancellationReason::PurchaseOfSubsumingSku => "PURCHASE_OF_SUBSUMING_SKU",
            CancellationReason::ResellerInitiated => "RESELLER_INITIATED",
            CancellationReason::Other => "OTHER",
        }
    }
}

/// What resellers are notified of (Reseller API push notifications).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventType {
    NewSubscriptionCreated,
    SubscriptionTrialEnded,
    PricePlanSwitched,
    CommitmentChanged,
    SubscriptionRenewed,
    SubscriptionSuspended,
    SubscriptionSuspensionRevoked,
    SubscriptionCancelled,
    SubscriptionConverted,
    SubscriptionUpgrade,
    SubscriptionDowngrade,
    LicenseAssignmentChanged,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::NewSubscriptionCreated => "NEW_SUBSCRIPTION_CREATED",
            EventType::SubscriptionTrialEnded => "SUBSCRIPTION_TRIAL_ENDED",
            EventType::PricePlanSwitched => "PRICE_PLAN_SWITCHED",
            EventType::CommitmentChanged => "COMMITMENT_CHANGED",
            EventType::SubscriptionRenewed => "SUBSCRIPTION_RENEWED",
            EventType::SubscriptionSuspended => "SUBSCRIPTION_SUSPENDED",
            EventType::SubscriptionSuspensionRevoked => "SUBSCRIPTION_SUSPENSION_REVOKED",
            EventType::SubscriptionCancelled => "SUBSCRIPTION_CANCELLED",
            EventType::SubscriptionConverted => "SUBSCRIPTION_CONVERTED",
            EventType::SubscriptionUpgrade => "SUBSCRIPTION_UPGRADE",
            EventType::SubscriptionDowngrade => "SUBSCRIPTION_DOWNGRADE",
            EventType::LicenseAssignmentChanged => "LICENSE_ASSIGNMENT_CHANGED",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_names() {
        assert_eq!(
            PlanName::parse("p", "ANNUAL_MONTHLY_PAY"),
            Ok(PlanName::AnnualMonthlyPay)
        );
        assert_eq!(
            PlanName::parse("p", "ANNUAL"),
            Ok(PlanName::AnnualMonthlyPay)
        );
        assert_eq!(PlanName::AnnualMonthlyPay.wire_name(), "ANNUAL");
        assert!(PlanName::parse("p", "annual").is_err());
        assert!(PlanName::AnnualYearlyPay.is_annual() && !PlanName::Flexible.is_annual());
    }

    #[test]
    fn renewal_types_round_trip() {
        for r in RenewalType::ALL {
            assert_eq!(RenewalType::parse(r.as_str()), Ok(r));
        }
        assert!(RenewalType::parse("AUTO_RENEW").is_err());
    }
}
