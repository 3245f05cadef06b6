//! The `Subscription` resource and its request bodies as the discovery document
//! describes them. Seat counts are accepted as JSON numbers or numeric strings (one of
//! Google's own examples prints them as strings).

use partnerd_domain::catalogue;
use partnerd_domain::plan::PlanName;
use partnerd_domain::subscription::{SeatsInput, Subscription};
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Deserialize)]
#[serde(untagged)]
enum IntOrString {
    Int(i64),
    Str(String),
}

fn int_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<IntOrString>::deserialize(d)? {
        None => Ok(None),
        Some(IntOrString::Int(i)) => Ok(Some(i)),
        Some(IntOrString::Str(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("'{s}' is not a number"))),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeatsBody {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default, deserialize_with = "int_or_string")]
    number_of_seats: Option<i64>,
    #[serde(default, deserialize_with = "int_or_string")]
    maximum_number_of_seats: Option<i64>,
    #[serde(default, deserialize_with = "int_or_string")]
    licensed_number_of_seats: Option<i64>,
}

impl SeatsBody {
    pub fn input(self) -> SeatsInput {
        let _ = self.kind;
        SeatsInput {
            number_of_seats: self.number_of_seats,
            maximum_number_of_seats: self.maximum_number_of_seats,
            licensed_number_of_seats: self.licensed_number_of_seats,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanBody {
    #[serde(default)]
    pub plan_name: Option<String>,
    #[serde(default)]
    is_commitment_plan: Option<bool>,
    #[serde(default)]
    commitment_interval: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RenewalBody {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    pub renewal_type: Option<String>,
}

/// A `Subscription` as clients send it to `insert`; read-only fields are accepted and
/// ignored, except `seats.licensedNumberOfSeats`, which Google refuses.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubscriptionBody {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    customer_id: Option<String>,
    #[serde(default)]
    customer_domain: Option<String>,
    #[serde(default)]
    subscription_id: Option<String>,
    #[serde(default)]
    pub sku_id: Option<String>,
    #[serde(default)]
    sku_name: Option<String>,
    #[serde(default)]
    pub plan: Option<PlanBody>,
    #[serde(default)]
    pub seats: Option<SeatsBody>,
    #[serde(default)]
    pub renewal_settings: Option<RenewalBody>,
    #[serde(default)]
    pub purchase_order_id: Option<String>,
    #[serde(default)]
    pub deal_code: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    suspension_reasons: Option<Vec<String>>,
    #[serde(default)]
    trial_settings: Option<serde_json::Value>,
    #[serde(default)]
    creation_time: Option<String>,
    #[serde(default)]
    billing_method: Option<String>,
    #[serde(default)]
    resource_ui_url: Option<String>,
    #[serde(default)]
    transfer_info: Option<serde_json::Value>,
}

impl SubscriptionBody {
    pub fn order(self) -> partnerd_domain::subscription::Order {
        partnerd_domain::subscription::Order {
            sku_id: self.sku_id,
            plan_name: self.plan.and_then(|p| {
                let _ = (p.is_commitment_plan, p.commitment_interval);
                p.plan_name
            }),
            seats: self.seats.map(SeatsBody::input),
            renewal_type: self.renewal_settings.and_then(|r| {
                let _ = r.kind;
                r.renewal_type
            }),
            purchase_order_id: self.purchase_order_id,
            deal_code: self.deal_code,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePlanBody {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    pub plan_name: Option<String>,
    #[serde(default)]
    pub seats: Option<SeatsBody>,
    #[serde(default)]
    pub purchase_order_id: Option<String>,
    #[serde(default)]
    pub deal_code: Option<String>,
}

impl ChangePlanBody {
    pub fn change(self) -> partnerd_domain::subscription::PlanChange {
        let _ = self.kind;
        partnerd_domain::subscription::PlanChange {
            plan_name: self.plan_name,
            seats: self.seats.map(SeatsBody::input),
            purchase_order_id: self.purchase_order_id,
            deal_code: self.deal_code,
        }
    }
}

// ---- responses ------------------------------------------------------------------------

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionResource {
    kind: &'static str,
    customer_id: String,
    customer_domain: String,
    subscription_id: String,
    sku_id: String,
    sku_name: String,
    plan: PlanResource,
    seats: SeatsResource,
    #[serde(skip_serializing_if = "Option::is_none")]
    renewal_settings: Option<RenewalResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purchase_order_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deal_code: Option<String>,
    status: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suspension_reasons: Vec<&'static str>,
    trial_settings: TrialResource,
    creation_time: String,
    billing_method: &'static str,
    resource_ui_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    transfer_info: Option<TransferInfo>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PlanResource {
    plan_name: &'static str,
    is_commitment_plan: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    commitment_interval: Option<Interval>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Interval {
    start_time: String,
    end_time: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SeatsResource {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    number_of_seats: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    maximum_number_of_seats: Option<u32>,
    licensed_number_of_seats: u32,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RenewalResource {
    kind: &'static str,
    renewal_type: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct TrialResource {
    is_in_trial: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    trial_end_time: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferInfo {
    pub transferability_expiration_time: String,
    pub minimum_transferable_seats: u32,
}

impl SubscriptionResource {
    pub fn new(s: &Subscription, customer_domain: &str, public_url: &str) -> Self {
        let sku_name = catalogue::sku(&s.sku_id)
            .map(|k| k.sku_name.to_string())
            .unwrap_or_default();
        let annual = s.plan.is_annual();
        SubscriptionResource {
            kind: "reseller#subscription",
            customer_id: s.customer_id.clone(),
            customer_domain: customer_domain.to_string(),
            subscription_id: s.id.clone(),
            sku_id: s.sku_id.clone(),
            sku_name,
            plan: PlanResource {
                plan_name: s.plan.wire_name(),
                is_commitment_plan: annual,
                commitment_interval: s.commitment.map(|(start, end)| Interval {
                    start_time: start.to_string(),
                    end_time: end.to_string(),
                }),
            },
            seats: SeatsResource {
                kind: "subscriptions#seats",
                number_of_seats: annual.then_some(s.seats),
                maximum_number_of_seats: (!annual).then_some(s.seats),
                licensed_number_of_seats: s.licensed_seats,
            },
            renewal_settings: s.renewal_type.filter(|_| annual).map(|r| RenewalResource {
                kind: "subscriptions#renewalSettings",
                renewal_type: r.as_str(),
            }),
            purchase_order_id: s.purchase_order_id.clone(),
            deal_code: s.deal_code.clone(),
            status: s.status(),
            suspension_reasons: s.suspension_reasons.iter().map(|r| r.as_str()).collect(),
            trial_settings: TrialResource {
                is_in_trial: s.in_trial && s.plan == PlanName::Trial,
                trial_end_time: s.trial_end.map(|t| t.to_string()),
            },
            creation_time: s.created_at.to_string(),
            billing_method: "ONLINE",
            resource_ui_url: format!(
                "{public_url}/admin/customers/{}/subscriptions/{}",
                s.customer_id, s.id
            ),
            transfer_info: None,
        }
    }

    pub fn with_transfer_info(mut self, info: TransferInfo) -> Self {
        self.transfer_info = Some(info);
        self
    }
}

/// Read-only body fields are accepted without effect; this keeps the compiler quiet about them.
pub fn ignore_read_only(b: &SubscriptionBody) {
    let _ = (
        &b.kind,
        &b.customer_id,
        &b.customer_domain,
        &b.subscription_id,
        &b.sku_name,
        &b.status,
        &b.suspension_reasons,
        &b.trial_settings,
        &b.creation_time,
        &b.billing_method,
        &b.resource_ui_url,
        &b.transfer_info,
    );
}
