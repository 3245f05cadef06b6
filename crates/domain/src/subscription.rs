//! Subscriptions and their state machine (Reseller API spec sections 4 and 5).
//!
//! Every operation takes the current state and returns the next one with the
//! notifications it causes; nothing here reads a clock or a database.

use serde::{Deserialize, Serialize};

use crate::catalogue::{self, Group, Sku};
use crate::clock::Millis;
use crate::customer::{Customer, CustomerType};
use crate::error::{RuleError, RuleErrorKind};
use crate::plan::{CancellationReason, EventType, PlanName, RenewalType, SuspensionReason};

pub const DAY_MS: Millis = 86_400_000;
/// A trial holds at most this many seats.
pub const TRIAL_MAX_SEATS: u32 = 10;
pub const PURCHASE_ORDER_MAX: usize = 80;
pub const DEAL_CODE_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    /// Numeric, unique across the platform.
    pub id: String,
    pub customer_id: String,
    /// The reseller that manages it.
    pub reseller_id: String,
    pub sku_id: String,
    pub plan: PlanName,
    /// Start and end of the annual commitment.
    pub commitment: Option<(Millis, Millis)>,
    /// `numberOfSeats` on annual plans, `maximumNumberOfSeats` on the others.
    pub seats: u32,
    /// Users holding a licence of this SKU.
    pub licensed_seats: u32,
    pub renewal_type: Option<RenewalType>,
    pub purchase_order_id: Option<String>,
    pub deal_code: Option<String>,
    /// Sorted, without repeats; the subscription is SUSPENDED exactly while this is non-empty.
    pub suspension_reasons: Vec<SuspensionReason>,
    pub in_trial: bool,
    /// Set once the subscription was ever in trial, and kept after.
    pub trial_end: Option<Millis>,
    /// The paid plan chosen during a trial, started when the trial ends.
    pub pending_plan: Option<PendingPlan>,
    pub created_at: Millis,
    pub cancelled: Option<Cancellation>,
    pub version: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingPlan {
    pub plan: PlanName,
    pub seats: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cancellation {
    pub at: Millis,
    pub reason: CancellationReason,
}

/// The seat fields of a request, as sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeatsInput {
    pub number_of_seats: Option<i64>,
    pub maximum_number_of_seats: Option<i64>,
    pub licensed_number_of_seats: Option<i64>,
}

/// What a reseller is told about a change (one push notification each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub event_type: EventType,
    pub cancellation_reason: Option<CancellationReason>,
}

impl Notice {
    fn of(event_type: EventType) -> Notice {
        Notice {
            event_type,
            cancellation_reason: None,
        }
    }

    fn cancelled(reason: CancellationReason) -> Notice {
        Notice {
            event_type: EventType::SubscriptionCancelled,
            cancellation_reason: Some(reason),
        }
    }
}

/// The result of an operation: the new state and what to notify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub next: Subscription,
    pub notices: Vec<Notice>,
}

/// A request to buy a subscription.
#[derive(Debug, Clone, Default)]
pub struct Order {
    pub sku_id: Option<String>,
    pub plan_name: Option<String>,
    pub seats: Option<SeatsInput>,
    pub renewal_type: Option<String>,
    pub purchase_order_id: Option<String>,
    pub deal_code: Option<String>,
}

/// A `changePlan` request.
#[derive(Debug, Clone, Default)]
pub struct PlanChange {
    pub plan_name: Option<String>,
    pub seats: Option<SeatsInput>,
    pub purchase_order_id: Option<String>,
    pub deal_code: Option<String>,
}

fn condition(message: impl Into<String>) -> RuleError {
    RuleError {
        kind: RuleErrorKind::ConditionNotMet,
        field: String::new(),
        message: message.into(),
    }
}

fn bad_request(message: impl Into<String>) -> RuleError {
    RuleError {
        kind: RuleErrorKind::BadRequest,
        field: String::new(),
        message: message.into(),
    }
}

/// One calendar year after `start` (a 29 February start ends on 28 February).
pub fn one_year_after(start: Millis) -> Millis {
    let nanos = i128::from(start) * 1_000_000;
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp_nanos(nanos) else {
        return start + 365 * DAY_MS;
    };
    let next_year = t.year() + 1;
    let moved = t
        .replace_year(next_year)
        .or_else(|_| t.replace_day(28).and_then(|d| d.replace_year(next_year)));
    match moved {
        Ok(m) => (m.unix_timestamp_nanos() / 1_000_000) as Millis,
        Err(_) => start + 365 * DAY_MS,
    }
}

fn check_text_limit(field: &str, value: &Option<String>, max: usize) -> Result<(), RuleError> {
    match value {
        Some(v) if v.chars().count() > max => Err(RuleError::invalid(
            field,
            format!("at most {max} characters"),
        )),
        Some(v) if v.chars().any(char::is_control) => Err(RuleError::invalid(
            field,
            "control characters are not allowed",
        )),
        _ => Ok(()),
    }
}

fn non_blank(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Reads the seat count a plan uses from a request, checking the SKU's and the trial's limits.
fn seats_for(
    plan: PlanName,
    sku: &Sku,
    seats: Option<SeatsInput>,
    licensed: u32,
) -> Result<u32, RuleError> {
    let seats = seats.ok_or_else(|| RuleError::required("seats"))?;
    if seats.licensed_number_of_seats.is_some() {
        return Err(RuleError::invalid(
            "seats.licensedNumberOfSeats",
            "Licensed number of seats field is read-only",
        ));
    }
    let (field, value) = if plan.is_annual() {
        ("seats.numberOfSeats", seats.number_of_seats)
    } else {
        ("seats.maximumNumberOfSeats", seats.maximum_number_of_seats)
    };
    let value = value.ok_or_else(|| RuleError::required(field))?;
    if value < 1 {
        return Err(RuleError::invalid(field, "must be at least 1"));
    }
    let limit = if plan == PlanName::Trial {
        TRIAL_MAX_SEATS.min(sku.max_seats)
    } else {
        sku.max_seats
    };
    if value > i64::from(limit) {
        return Err(RuleError::invalid(
            field,
            format!("at most {limit} seats on this plan of {}", sku.sku_name),
        ));
    }
    let value = value as u32;
    if value < licensed {
        return Err(RuleError::invalid(
            field,
            format!("{licensed} users hold a licence; seats cannot be fewer"),
        ));
    }
    Ok(value)
}

/// What the customer is, as far as buying is concerned.
#[derive(Debug, Clone, Copy)]
pub struct Buyer<'a> {
    pub customer: &'a Customer,
    pub tos_accepted: bool,
}

impl Subscription {
    pub fn sku(&self) -> Option<&'static Sku> {
        catalogue::sku(&self.sku_id)
    }

    pub fn is_suspended(&self) -> bool {
        !self.suspension_reasons.is_empty()
    }

    pub fn status(&self) -> &'static str {
        if self.is_suspended() {
            "SUSPENDED"
        } else {
            "ACTIVE"
        }
    }

    pub fn is_live(&self) -> bool {
        self.cancelled.is_none()
    }

    /// When a live annual subscription out of trial renews: the end of its term. Flexible
    /// and trial subscriptions have no renewal date (the console's list shows none).
    pub fn renews_at(&self) -> Option<Millis> {
        if !self.is_live() || self.in_trial || !self.plan.is_annual() {
            return None;
        }
        self.commitment.map(|(_, end)| end)
    }

    /// When the next clock-driven transition is due, if any.
    pub fn due_at(&self) -> Option<Millis> {
        if !self.is_live() {
            return None;
        }
        if self.in_trial {
            return self.trial_end;
        }
        let held = self.suspension_reasons.iter().any(|r| {
            matches!(
                r,
                SuspensionReason::ResellerInitiated | SuspensionReason::RenewalWithTypeCancel
            )
        });
        match self.commitment {
            Some((_, end)) if self.plan.is_annual() && !held => Some(end),
            _ => None,
        }
    }

    fn with_reason(&self, reason: SuspensionReason) -> Subscription {
        let mut next = self.clone();
        if !next.suspension_reasons.contains(&reason) {
            next.suspension_reasons.push(reason);
            next.suspension_reasons.sort();
        }
        next
    }

    fn without_reason(&self, reason: SuspensionReason) -> Subscription {
        let mut next = self.clone();
        next.suspension_reasons.retain(|r| *r != reason);
        next
    }

    fn bumped(mut self) -> Subscription {
        self.version += 1;
        self
    }

    fn ensure_live_and_active(&self) -> Result<(), RuleError> {
        if self.is_suspended() {
            return Err(bad_request(format!(
                "The subscription {} is suspended ({}); activate it first.",
                self.id,
                self.suspension_reasons
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Ok(())
    }

    /// A new subscription ordered for `buyer`.
    pub fn order(
        id: String,
        reseller_id: &str,
        buyer: Buyer<'_>,
        order: Order,
        now: Millis,
    ) -> Result<Subscription, RuleError> {
        let sku_id = non_blank(order.sku_id).ok_or_else(|| RuleError::required("skuId"))?;
        let sku = catalogue::sku(&sku_id)
            .ok_or_else(|| RuleError::invalid("skuId", format!("'{sku_id}' is not a known SKU")))?;
        let plan_name =
            non_blank(order.plan_name).ok_or_else(|| RuleError::required("plan.planName"))?;
        let plan = PlanName::parse("plan.planName", &plan_name)?;
        if !sku.allows(plan) {
            return Err(RuleError::invalid(
                "plan.planName",
                format!(
                    "{} cannot be bought on the {} plan",
                    sku.sku_name,
                    plan.wire_name()
                ),
            ));
        }
        let seats = seats_for(plan, sku, order.seats, 0)?;
        check_text_limit(
            "purchaseOrderId",
            &order.purchase_order_id,
            PURCHASE_ORDER_MAX,
        )?;
        check_text_limit("dealCode", &order.deal_code, DEAL_CODE_MAX)?;
        may_buy(sku, buyer.customer)?;
        let renewal_type = match non_blank(order.renewal_type) {
            Some(r) if plan.is_annual() => Some(RenewalType::parse(&r)?),
            Some(r) => {
                RenewalType::parse(&r)?;
                None
            }
            None => plan.default_renewal(),
        };
        let in_trial = plan == PlanName::Trial;
        Ok(Subscription {
            id,
            customer_id: buyer.customer.id.clone(),
            reseller_id: reseller_id.to_string(),
            sku_id: sku.sku_id.to_string(),
            plan,
            commitment: plan.is_annual().then(|| (now, one_year_after(now))),
            seats,
            licensed_seats: 0,
            renewal_type,
            purchase_order_id: non_blank(order.purchase_order_id),
            deal_code: non_blank(order.deal_code),
            suspension_reasons: if buyer.tos_accepted {
                Vec::new()
            } else {
                vec![SuspensionReason::PendingTosAcceptance]
            },
            in_trial,
            trial_end: in_trial.then(|| now + Millis::from(sku.trial_days) * DAY_MS),
            pending_plan: None,
            created_at: now,
            cancelled: None,
            version: 1,
        })
    }

    /// `changeSeats`: values are totals.
    pub fn change_seats(&self, seats: SeatsInput) -> Result<Outcome, RuleError> {
        self.ensure_live_and_active()?;
        let sku = self.sku().ok_or_else(|| condition("unknown SKU"))?;
        if self.plan == PlanName::Free {
            return Err(condition("Seats of a free plan are managed by Google."));
        }
        // The other kind of plan's field alone is the "incorrect seat parameter" of
        // Google's changeSeats errors: 400 invalid, not a missing field.
        let (wanted, other, given, other_given) = if self.plan.is_annual() {
            (
                "numberOfSeats",
                "maximumNumberOfSeats",
                seats.number_of_seats,
                seats.maximum_number_of_seats,
            )
        } else {
            (
                "maximumNumberOfSeats",
                "numberOfSeats",
                seats.maximum_number_of_seats,
                seats.number_of_seats,
            )
        };
        if given.is_none() && other_given.is_some() {
            return Err(RuleError::invalid(
                &format!("seats.{wanted}"),
                format!(
                    "the {} plan counts seats in {wanted}, not {other}",
                    self.plan.as_str()
                ),
            ));
        }
        let value = seats_for(self.plan, sku, Some(seats), self.licensed_seats)?;
        if self.plan.is_annual() && value < self.seats {
            return Err(RuleError::invalid(
                "seats.numberOfSeats",
                format!(
                    "an annual commitment cannot fall below {} seats before it renews",
                    self.seats
                ),
            ));
        }
        let mut next = self.clone();
        next.seats = value;
        let notices = if self.plan.is_annual() && value != self.seats {
            vec![Notice::of(EventType::CommitmentChanged)]
        } else {
            Vec::new()
        };
        Ok(Outcome {
            next: next.bumped(),
            notices,
        })
    }

    /// `changePlan`: from TRIAL (recorded for the trial's end) or FLEXIBLE (at once).
    pub fn change_plan(&self, change: PlanChange, now: Millis) -> Result<Outcome, RuleError> {
        let trial_ended_only = self.suspension_reasons == [SuspensionReason::TrialEnded];
        if !trial_ended_only {
            self.ensure_live_and_active()?;
        }
        if !matches!(self.plan, PlanName::Trial | PlanName::Flexible) {
            return Err(condition(format!(
                "The {} plan cannot be changed with changePlan; set its renewal type instead.",
                self.plan.wire_name()
            )));
        }
        let sku = self.sku().ok_or_else(|| condition("unknown SKU"))?;
        let plan_name =
            non_blank(change.plan_name).ok_or_else(|| RuleError::required("planName"))?;
        let target = PlanName::parse("planName", &plan_name)?;
        if !target.is_paid() || !sku.allows(target) || target == self.plan {
            return Err(RuleError::invalid(
                "planName",
                format!(
                    "{} cannot move to the {} plan",
                    sku.sku_name,
                    target.wire_name()
                ),
            ));
        }
        let seats = seats_for(target, sku, change.seats, self.licensed_seats)?;
        check_text_limit(
            "purchaseOrderId",
            &change.purchase_order_id,
            PURCHASE_ORDER_MAX,
        )?;
        check_text_limit("dealCode", &change.deal_code, DEAL_CODE_MAX)?;
        let deal_code = non_blank(change.deal_code);
        if let (Some(have), Some(given)) = (&self.deal_code, &deal_code)
            && have != given
        {
            return Err(RuleError::invalid(
                "dealCode",
                "the subscription already has another deal code",
            ));
        }
        let mut next = self.clone();
        if let Some(po) = non_blank(change.purchase_order_id) {
            next.purchase_order_id = Some(po);
        }
        if deal_code.is_some() {
            next.deal_code = deal_code;
        }
        if self.in_trial {
            next.pending_plan = Some(PendingPlan {
                plan: target,
                seats,
            });
            return Ok(Outcome {
                next: next.bumped(),
                notices: Vec::new(),
            });
        }
        next.start_plan(target, seats, now);
        next = next.without_reason(SuspensionReason::TrialEnded);
        let notices = if self.plan == PlanName::Flexible && target.is_annual() {
            vec![Notice::of(EventType::PricePlanSwitched)]
        } else {
            vec![Notice::of(EventType::SubscriptionSuspensionRevoked)]
        };
        Ok(Outcome {
            next: next.bumped(),
            notices,
        })
    }

    fn start_plan(&mut self, plan: PlanName, seats: u32, at: Millis) {
        self.plan = plan;
        self.seats = seats;
        self.in_trial = false;
        self.pending_plan = None;
        self.commitment = plan.is_annual().then(|| (at, one_year_after(at)));
        self.renewal_type = plan.default_renewal();
    }

    /// `startPaidService`: ends the trial now and starts the plan chosen with changePlan.
    pub fn start_paid_service(&self, now: Millis) -> Result<Outcome, RuleError> {
        self.ensure_live_and_active()?;
        let pending = match (self.in_trial, self.pending_plan) {
            (true, Some(p)) => p,
            (false, _) => return Err(condition("The subscription is not in trial.")),
            (true, None) => {
                return Err(condition(
                    "Choose a paid plan with changePlan before starting paid service.",
                ));
            }
        };
        let mut next = self.clone();
        next.start_plan(pending.plan, pending.seats, now);
        Ok(Outcome {
            next: next.bumped(),
            notices: vec![Notice::of(EventType::SubscriptionTrialEnded)],
        })
    }

    /// `changeRenewalSettings`: annual plans only.
    pub fn change_renewal(&self, renewal_type: Option<String>) -> Result<Outcome, RuleError> {
        if !self.plan.is_annual() {
            return Err(condition(format!(
                "Renewal settings apply to annual plans only; this subscription is {}.",
                self.plan.wire_name()
            )));
        }
        let value = non_blank(renewal_type).ok_or_else(|| RuleError::required("renewalType"))?;
        let renewal = RenewalType::parse(&value).map_err(|_| {
            RuleError::invalid("renewalType", format!("'{value}' is not a renewal type"))
        })?;
        let mut next = self.clone();
        next.renewal_type = Some(renewal);
        Ok(Outcome {
            next: next.bumped(),
            notices: Vec::new(),
        })
    }

    /// `suspend`: a reseller suspends an active paid subscription.
    pub fn suspend(&self) -> Result<Outcome, RuleError> {
        if !self.plan.is_paid() || self.in_trial {
            return Err(condition(
                "Trial and free subscriptions cannot be suspended.",
            ));
        }
        if self
            .suspension_reasons
            .contains(&SuspensionReason::ResellerInitiated)
        {
            return Ok(Outcome {
                next: self.clone(),
                notices: Vec::new(),
            });
        }
        self.ensure_live_and_active()?;
        Ok(Outcome {
            next: self
                .with_reason(SuspensionReason::ResellerInitiated)
                .bumped(),
            notices: vec![Notice::of(EventType::SubscriptionSuspended)],
        })
    }

    /// `activate`: lifts only a reseller's own suspension. An annual term that ended
    /// while suspended starts afresh from today.
    pub fn activate(&self, now: Millis) -> Result<Outcome, RuleError> {
        if !self
            .suspension_reasons
            .contains(&SuspensionReason::ResellerInitiated)
        {
            return Err(condition(
                "Only a suspension by the reseller can be lifted with activate.",
            ));
        }
        let mut next = self.without_reason(SuspensionReason::ResellerInitiated);
        if let Some((_, end)) = next.commitment
            && next.plan.is_annual()
            && end <= now
        {
            next.commitment = Some((now, one_year_after(now)));
        }
        Ok(Outcome {
            next: next.bumped(),
            notices: vec![Notice::of(EventType::SubscriptionSuspensionRevoked)],
        })
    }

    /// The customer's super admin accepted the Terms of Service.
    pub fn accept_tos(&self) -> Option<Outcome> {
        if !self
            .suspension_reasons
            .contains(&SuspensionReason::PendingTosAcceptance)
        {
            return None;
        }
        Some(Outcome {
            next: self
                .without_reason(SuspensionReason::PendingTosAcceptance)
                .bumped(),
            notices: vec![Notice::of(EventType::SubscriptionSuspensionRevoked)],
        })
    }

    pub fn cancel(&self, reason: CancellationReason, now: Millis) -> Outcome {
        let mut next = self.clone();
        next.cancelled = Some(Cancellation { at: now, reason });
        Outcome {
            next: next.bumped(),
            notices: vec![Notice::cancelled(reason)],
        }
    }

    /// The next clock-driven transition, if one is due at or before `now`; it takes
    /// effect at its due time, not at `now`.
    pub fn advance(&self, now: Millis) -> Option<Outcome> {
        let due = self.due_at().filter(|d| *d <= now)?;
        if self.in_trial {
            let mut next = self.clone();
            match self.pending_plan {
                Some(p) => next.start_plan(p.plan, p.seats, due),
                None => {
                    next.in_trial = false;
                    next = next.with_reason(SuspensionReason::TrialEnded);
                }
            }
            return Some(Outcome {
                next: next.bumped(),
                notices: vec![Notice::of(EventType::SubscriptionTrialEnded)],
            });
        }
        Some(self.renew(due))
    }

    /// The annual term ended at `end`: renew as the renewal type says.
    fn renew(&self, end: Millis) -> Outcome {
        let mut next = self.clone();
        let renewal = self.renewal_type.or(self.plan.default_renewal());
        let current_users = self.licensed_seats.max(1);
        let mut renewed = |plan: PlanName, seats: u32| {
            next.plan = plan;
            next.seats = seats;
            next.commitment = Some((end, one_year_after(end)));
            Notice::of(EventType::SubscriptionRenewed)
        };
        let notice = match renewal {
            Some(RenewalType::AutoRenewMonthlyPay) => {
                Some(renewed(PlanName::AnnualMonthlyPay, self.seats))
            }
            Some(RenewalType::AutoRenewYearlyPay) => {
                Some(renewed(PlanName::AnnualYearlyPay, self.seats))
            }
            Some(RenewalType::RenewCurrentUsersMonthlyPay) => {
                Some(renewed(PlanName::AnnualMonthlyPay, current_users))
            }
            Some(RenewalType::RenewCurrentUsersYearlyPay) => {
                Some(renewed(PlanName::AnnualYearlyPay, current_users))
            }
            Some(RenewalType::RenewOnProposedOffer) | None => Some(renewed(self.plan, self.seats)),
            Some(RenewalType::SwitchToPayAsYouGo) => {
                next.plan = PlanName::Flexible;
                next.commitment = None;
                next.renewal_type = None;
                // Google sends no PRICE_PLAN_SWITCHED for this change at renewal.
                None
            }
            Some(RenewalType::Cancel) => {
                next = next.with_reason(SuspensionReason::RenewalWithTypeCancel);
                Some(Notice::of(EventType::SubscriptionSuspended))
            }
        };
        Outcome {
            next: next.bumped(),
            notices: notice.into_iter().collect(),
        }
    }

    /// A Google Workspace edition (the upgrade ladder).
    pub fn is_workspace(&self) -> bool {
        self.sku().is_some_and(|k| k.group == Group::Workspace)
    }

    /// An add-on (Vault, Drive storage) that moves with the Workspace subscription.
    pub fn is_add_on(&self) -> bool {
        self.sku().is_some_and(is_add_on)
    }

    /// The seats a receiving reseller must order at least to take it over.
    pub fn minimum_transferable_seats(&self) -> u32 {
        self.licensed_seats.max(1)
    }

    /// Only active subscriptions move, or those suspended for reasons a transfer survives.
    pub fn is_transferable(&self) -> bool {
        self.is_live()
            && self.suspension_reasons.iter().all(|r| {
                matches!(
                    r,
                    SuspensionReason::PendingTosAcceptance
                        | SuspensionReason::TrialEnded
                        | SuspensionReason::RenewalWithTypeCancel
                )
            })
    }
}

/// What `subscriptions.insert` was asked to do (`action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The server decides: buy, or switch from an edition of the same family.
    Unspecified,
    Buy,
    Switch,
}

impl Action {
    pub fn parse(value: Option<&str>) -> Result<Action, RuleError> {
        match value {
            None | Some("actionUnspecified") => Ok(Action::Unspecified),
            Some("buy") => Ok(Action::Buy),
            Some("switch") => Ok(Action::Switch),
            Some(other) => Err(RuleError::invalid(
                "action",
                format!("'{other}' is not one of buy, switch"),
            )),
        }
    }
}

/// How a new subscription joins what the customer holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purchase<'a> {
    New,
    /// Upgrade or downgrade: `from` ends with `PURCHASE_OF_SUBSUMING_SKU`.
    Switch {
        from: &'a Subscription,
        event: EventType,
    },
}

fn duplicate(message: impl Into<String>) -> RuleError {
    RuleError {
        kind: RuleErrorKind::Duplicate,
        field: String::new(),
        message: message.into(),
    }
}

/// Decides a purchase of `new` by its reseller for a customer holding `held` (every live
/// subscription of the customer, whoever manages it).
pub fn purchase<'a>(
    new: &Subscription,
    held: &'a [Subscription],
    action: Action,
    source_sku_id: Option<&str>,
) -> Result<Purchase<'a>, RuleError> {
    let sku = new
        .sku()
        .ok_or_else(|| RuleError::invalid("skuId", "unknown SKU"))?;
    let family = replaced_by(sku, &new.reseller_id, held)?;
    match (action, family) {
        (Action::Buy, Some(current)) => Err(duplicate(format!(
            "The customer already has {}; switch it instead of buying another edition.",
            current.sku().map(|k| k.sku_name).unwrap_or_default()
        ))),
        (Action::Switch, None) => Err(RuleError::invalid(
            "sourceSkuId",
            "the customer has no subscription to switch from",
        )),
        (Action::Switch, Some(current)) if source_sku_id != Some(current.sku_id.as_str()) => {
            Err(RuleError::invalid(
                "sourceSkuId",
                format!("the customer's current SKU is {}", current.sku_id),
            ))
        }
        (_, Some(current)) => Ok(Purchase::Switch {
            from: current,
            event: switch_kind(current, sku)?,
        }),
        (_, None) => Ok(Purchase::New),
    }
}

/// Whether `customer` may buy `sku` at all, on any plan: it is on sale, a team customer
/// buys only what team customers may, and a SKU that needs a verified domain waits for
/// one. `Subscription::order` and `offers_for` both ask this.
pub fn may_buy(sku: &Sku, customer: &Customer) -> Result<(), RuleError> {
    if !sku.purchasable {
        return Err(condition(format!("{} cannot be purchased.", sku.sku_name)));
    }
    if customer.customer_type == CustomerType::Team && !sku.team_customers_may_buy {
        return Err(condition(
            "Customer is not eligible to purchase this subscription",
        ));
    }
    if sku.needs_verified_domain && !customer.domain_verified {
        return Err(condition(format!(
            "{} needs a verified domain; {} is not verified yet.",
            sku.sku_name, customer.domain
        )));
    }
    Ok(())
}

/// The subscription of `reseller_id` that a purchase of `sku` would replace (an edition of
/// the same family), if any; refuses a SKU the customer already holds from anyone.
/// `purchase` and `offers_for` both ask this.
fn replaced_by<'a>(
    sku: &Sku,
    reseller_id: &str,
    held: &'a [Subscription],
) -> Result<Option<&'a Subscription>, RuleError> {
    if held.iter().any(|s| s.sku_id == sku.sku_id) {
        return Err(duplicate(format!(
            "The customer already has a {} subscription.",
            sku.sku_name
        )));
    }
    Ok(held
        .iter()
        .filter(|s| s.reseller_id == reseller_id)
        .find(|s| s.sku().is_some_and(|k| k.same_family(sku))))
}

/// What a customer may be offered to order: a SKU on the plans it is sold on, bought
/// anew or switched to from the edition it replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub sku: &'static Sku,
    pub plans: Vec<PlanName>,
    /// The subscription a switch replaces, and whether it is an upgrade or a downgrade.
    pub switch: Option<(Subscription, EventType)>,
}

impl Offer {
    pub fn is_upgrade(&self) -> bool {
        matches!(&self.switch, Some((_, EventType::SubscriptionUpgrade)))
    }
}

/// Every SKU `reseller_id` may order for `buyer`, who holds `held` (every live
/// subscription of the customer, whoever manages it), in catalogue order. Decided by the
/// same rules as `Subscription::order` and `purchase` (`may_buy`, `replaced_by`,
/// `switch_kind`), so a console never offers what an order would refuse, nor hides what
/// it would accept (the tests check both, SKU by SKU and plan by plan).
pub fn offers_for(buyer: Buyer<'_>, reseller_id: &str, held: &[Subscription]) -> Vec<Offer> {
    catalogue::all()
        .iter()
        .filter(|sku| may_buy(sku, buyer.customer).is_ok())
        .filter_map(|sku| {
            let switch = match replaced_by(sku, reseller_id, held).ok()? {
                None => None,
                Some(from) => Some((from.clone(), switch_kind(from, sku).ok()?)),
            };
            Some(Offer {
                sku,
                plans: sku.plans.clone(),
                switch,
            })
        })
        .collect()
}

/// Whether moving from `from` to `to` is an upgrade, checked against the plan rules.
pub fn switch_kind(from: &Subscription, to: &Sku) -> Result<EventType, RuleError> {
    let from_sku = from.sku().ok_or_else(|| condition("unknown SKU"))?;
    from.ensure_live_and_active()?;
    if from.in_trial {
        return Err(condition(
            "A subscription in trial cannot switch SKU; start paid service first.",
        ));
    }
    let upgrade = to.rank > from_sku.rank;
    if !upgrade && from.plan.is_annual() {
        return Err(condition(
            "An annual commitment cannot be downgraded before it renews.",
        ));
    }
    if upgrade && from.plan == PlanName::AnnualYearlyPay {
        return Err(condition(
            "An ANNUAL_YEARLY_PAY subscription cannot be upgraded directly; switch its renewal to pay-as-you-go first.",
        ));
    }
    Ok(if upgrade {
        EventType::SubscriptionUpgrade
    } else {
        EventType::SubscriptionDowngrade
    })
}

/// How `subscriptions.delete` ends a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    Cancel,
    TransferToDirect,
}

pub fn deletion(
    sub: &Subscription,
    deletion_type: Option<&str>,
    customer_has_super_admin: bool,
) -> Result<Deletion, RuleError> {
    let kind = match deletion_type.map(str::trim).filter(|d| !d.is_empty()) {
        None => return Err(RuleError::required("deletionType")),
        Some("cancel") => Deletion::Cancel,
        Some("transfer_to_direct") => Deletion::TransferToDirect,
        Some(other) => {
            return Err(RuleError::invalid(
                "deletionType",
                format!("'{other}' is not supported; use cancel or transfer_to_direct"),
            ));
        }
    };
    let sku = sub.sku().ok_or_else(|| condition("unknown SKU"))?;
    match kind {
        Deletion::Cancel if sku.product_id == "Google-Apps" => Err(condition(
            "Google Workspace subscriptions cannot be cancelled with deletionType=cancel; \
             set the renewal type to CANCEL or use transfer_to_direct.",
        )),
        Deletion::TransferToDirect if !customer_has_super_admin => Err(condition(
            "The customer has no administrator to take over billing.",
        )),
        _ => Ok(kind),
    }
}

/// Add-ons of a customer's Workspace subscription move with it in transfers.
pub fn is_add_on(sku: &Sku) -> bool {
    matches!(sku.group, Group::AddOn(_))
}

#[cfg(test)]
#[path = "subscription_tests.rs"]
mod tests;
