use proptest::prelude::*;

use super::*;
use crate::customer::{Customer, CustomerType, PostalAddress};

const NOW: Millis = 1_767_225_600_000; // 2026-01-01T00:00:00Z

fn customer(kind: CustomerType, verified: bool) -> Customer {
    Customer {
        id: "C0cust0001".into(),
        domain: "example.com".into(),
        customer_type: kind,
        managed_by: Some("C0reseller".into()),
        alternate_email: None,
        phone_number: None,
        postal_address: PostalAddress::default(),
        primary_admin_email: None,
        domain_verified: verified,
        created_at: 0,
        reseller_public_id: None,
        tos_accepted_at: None,
        language: "en".into(),
        reseller_access: true,
        education: false,
        version: 1,
    }
}

fn seats(n: i64) -> Option<SeatsInput> {
    Some(SeatsInput {
        number_of_seats: Some(n),
        maximum_number_of_seats: Some(n),
        licensed_number_of_seats: None,
    })
}

fn order(sku: &str, plan: &str, n: i64) -> Order {
    Order {
        sku_id: Some(sku.into()),
        plan_name: Some(plan.into()),
        seats: seats(n),
        ..Default::default()
    }
}

fn buy(sku: &str, plan: &str, n: i64) -> Result<Subscription, RuleError> {
    let c = customer(CustomerType::Domain, false);
    Subscription::order(
        "1".into(),
        "C0reseller",
        Buyer {
            customer: &c,
            tos_accepted: true,
        },
        order(sku, plan, n),
        NOW,
    )
}

fn kind(r: Result<impl std::fmt::Debug, RuleError>) -> (RuleErrorKind, String) {
    let e = r.expect_err("expected a refusal");
    (e.kind, e.field)
}

#[test]
fn annual_monthly_is_returned_as_annual_with_a_year_of_commitment() {
    let s = buy("1010020027", "ANNUAL_MONTHLY_PAY", 5).expect("valid");
    assert_eq!(s.plan.wire_name(), "ANNUAL");
    let (start, end) = s.commitment.expect("annual has a commitment");
    assert_eq!(start, NOW);
    assert_eq!(end - start, 365 * DAY_MS);
    assert_eq!(
        s.renewal_type,
        Some(RenewalType::RenewCurrentUsersMonthlyPay)
    );
    assert_eq!(s.status(), "ACTIVE");
}

#[test]
fn a_year_after_a_leap_day_ends_on_the_28th() {
    let leap_day = 1_709_164_800_000; // 2024-02-29T00:00:00Z
    assert_eq!(one_year_after(leap_day), 1_740_700_800_000); // 2025-02-28
}

#[test]
fn seat_fields_follow_the_plan() {
    let only_max = Order {
        seats: Some(SeatsInput {
            maximum_number_of_seats: Some(5),
            ..Default::default()
        }),
        ..order("1010020027", "ANNUAL_MONTHLY_PAY", 0)
    };
    let c = customer(CustomerType::Domain, false);
    let b = Buyer {
        customer: &c,
        tos_accepted: true,
    };
    assert_eq!(
        kind(Subscription::order("1".into(), "r", b, only_max, NOW)),
        (RuleErrorKind::Required, "seats.numberOfSeats".into())
    );
    let licensed = Order {
        seats: Some(SeatsInput {
            maximum_number_of_seats: Some(5),
            licensed_number_of_seats: Some(1),
            ..Default::default()
        }),
        ..order("1010020027", "FLEXIBLE", 0)
    };
    assert_eq!(
        kind(Subscription::order("1".into(), "r", b, licensed, NOW)).0,
        RuleErrorKind::Invalid
    );
    assert_eq!(
        kind(buy("1010020027", "TRIAL", 11)),
        (RuleErrorKind::Invalid, "seats.maximumNumberOfSeats".into())
    );
    assert_eq!(
        kind(buy("1010020027", "FLEXIBLE", 0)).0,
        RuleErrorKind::Invalid
    );
    assert_eq!(
        kind(buy("1010010001", "FREE", 51)).0,
        RuleErrorKind::Invalid
    );
    assert!(buy("1010010001", "FREE", 50).is_ok());
}

#[test]
fn catalogue_rules_on_insert() {
    assert_eq!(
        kind(buy("nope", "FLEXIBLE", 1)),
        (RuleErrorKind::Invalid, "skuId".into())
    );
    assert_eq!(
        kind(buy("1010060001", "ANNUAL_MONTHLY_PAY", 1)),
        (RuleErrorKind::Invalid, "plan.planName".into())
    );
    assert_eq!(
        kind(buy("1010020027", "MONTHLY", 1)),
        (RuleErrorKind::Invalid, "plan.planName".into())
    );
    let team = customer(CustomerType::Team, false);
    let b = Buyer {
        customer: &team,
        tos_accepted: true,
    };
    let r = Subscription::order("1".into(), "r", b, order("1010020027", "FLEXIBLE", 1), NOW);
    assert_eq!(kind(r).0, RuleErrorKind::ConditionNotMet);
    assert!(
        Subscription::order("1".into(), "r", b, order("1010060001", "FLEXIBLE", 1), NOW).is_ok()
    );
    assert_eq!(
        kind(buy("Google-Vault", "FLEXIBLE", 1)).0,
        RuleErrorKind::ConditionNotMet,
        "unverified domain"
    );
    let verified = customer(CustomerType::Domain, true);
    let b = Buyer {
        customer: &verified,
        tos_accepted: false,
    };
    let vault = Subscription::order(
        "1".into(),
        "r",
        b,
        order("Google-Vault", "FLEXIBLE", 1),
        NOW,
    )
    .expect("verified");
    assert_eq!(
        vault.suspension_reasons,
        vec![SuspensionReason::PendingTosAcceptance]
    );
    let long_po = Order {
        purchase_order_id: Some("x".repeat(81)),
        ..order("1010020027", "FLEXIBLE", 1)
    };
    let c = customer(CustomerType::Domain, false);
    let b = Buyer {
        customer: &c,
        tos_accepted: true,
    };
    assert_eq!(
        kind(Subscription::order("1".into(), "r", b, long_po, NOW)),
        (RuleErrorKind::Invalid, "purchaseOrderId".into())
    );
}

#[test]
fn trials_end_into_the_chosen_plan_or_a_suspension() {
    let trial = buy("1010020027", "TRIAL", 10).expect("trial");
    assert!(trial.in_trial);
    assert_eq!(trial.trial_end, Some(NOW + 30 * DAY_MS));
    assert!(trial.advance(NOW + 30 * DAY_MS - 1).is_none());

    let ended = trial.advance(NOW + 31 * DAY_MS).expect("due");
    assert_eq!(
        ended.next.suspension_reasons,
        vec![SuspensionReason::TrialEnded]
    );
    assert!(!ended.next.in_trial);
    assert_eq!(
        ended.next.trial_end, trial.trial_end,
        "trialEndTime is kept"
    );

    let chosen = trial
        .change_plan(
            PlanChange {
                plan_name: Some("ANNUAL_MONTHLY_PAY".into()),
                seats: seats(20),
                ..Default::default()
            },
            NOW + DAY_MS,
        )
        .expect("change plan in trial");
    assert_eq!(chosen.next.plan, PlanName::Trial, "recorded, not started");
    let started = chosen.next.advance(NOW + 40 * DAY_MS).expect("due");
    assert_eq!(started.next.plan, PlanName::AnnualMonthlyPay);
    assert_eq!(started.next.seats, 20);
    assert_eq!(
        started.next.commitment.map(|c| c.0),
        Some(NOW + 30 * DAY_MS),
        "starts at the trial's end"
    );
}

#[test]
fn start_paid_service_needs_a_chosen_plan() {
    let trial = buy("1010020027", "TRIAL", 5).expect("trial");
    assert_eq!(
        kind(trial.start_paid_service(NOW)).0,
        RuleErrorKind::ConditionNotMet
    );
    let chosen = trial
        .change_plan(
            PlanChange {
                plan_name: Some("FLEXIBLE".into()),
                seats: seats(30),
                ..Default::default()
            },
            NOW,
        )
        .expect("plan");
    let paid = chosen.next.start_paid_service(NOW + DAY_MS).expect("start");
    assert_eq!(paid.next.plan, PlanName::Flexible);
    assert_eq!(paid.next.seats, 30, "the 10-seat cap is lifted");
    assert!(!paid.next.in_trial);
}

#[test]
fn annual_seats_only_grow_within_a_term() {
    let s = buy("1010020027", "ANNUAL_YEARLY_PAY", 10).expect("annual");
    let up = s
        .change_seats(SeatsInput {
            number_of_seats: Some(15),
            ..Default::default()
        })
        .expect("up");
    assert_eq!(up.notices, vec![Notice::of(EventType::CommitmentChanged)]);
    assert_eq!(
        kind(up.next.change_seats(SeatsInput {
            number_of_seats: Some(14),
            ..Default::default()
        }))
        .0,
        RuleErrorKind::Invalid
    );
    assert_eq!(
        kind(s.change_seats(SeatsInput {
            maximum_number_of_seats: Some(20),
            ..Default::default()
        })),
        (RuleErrorKind::Invalid, "seats.numberOfSeats".into())
    );
    assert_eq!(
        kind(s.change_seats(SeatsInput::default())),
        (RuleErrorKind::Required, "seats.numberOfSeats".into())
    );
    let flex = buy("1010020027", "FLEXIBLE", 10).expect("flex");
    let down = flex
        .change_seats(SeatsInput {
            maximum_number_of_seats: Some(3),
            ..Default::default()
        })
        .expect("down");
    assert_eq!(down.next.seats, 3);
    // The annual plans' field on a flexible plan is the wrong field; neither is missing one.
    assert_eq!(
        kind(flex.change_seats(SeatsInput {
            number_of_seats: Some(12),
            ..Default::default()
        })),
        (RuleErrorKind::Invalid, "seats.maximumNumberOfSeats".into())
    );
    assert_eq!(
        kind(flex.change_seats(SeatsInput::default())),
        (RuleErrorKind::Required, "seats.maximumNumberOfSeats".into())
    );
}

#[test]
fn renewals_follow_the_renewal_type() {
    let s = buy("1010020027", "ANNUAL_MONTHLY_PAY", 12).expect("annual");
    let end = s.commitment.expect("term").1;
    let with = |r: RenewalType| {
        s.change_renewal(Some(r.as_str().into()))
            .expect("renewal")
            .next
            .advance(end)
            .expect("due")
            .next
    };

    let auto = with(RenewalType::AutoRenewYearlyPay);
    assert_eq!((auto.plan, auto.seats), (PlanName::AnnualYearlyPay, 12));
    assert_eq!(auto.commitment.map(|c| c.0), Some(end));
    let users = with(RenewalType::RenewCurrentUsersMonthlyPay);
    assert_eq!(users.seats, 1, "no licensed users: one seat");
    let flex = with(RenewalType::SwitchToPayAsYouGo);
    assert_eq!(
        (flex.plan, flex.seats, flex.commitment, flex.renewal_type),
        (PlanName::Flexible, 12, None, None)
    );
    let cancel = with(RenewalType::Cancel);
    assert_eq!(
        cancel.suspension_reasons,
        vec![SuspensionReason::RenewalWithTypeCancel]
    );
    assert_eq!(cancel.due_at(), None);

    let flexible = buy("1010020027", "FLEXIBLE", 3).expect("flex");
    assert_eq!(
        kind(flexible.change_renewal(Some("CANCEL".into()))).0,
        RuleErrorKind::ConditionNotMet
    );
    assert_eq!(
        kind(s.change_renewal(Some("AUTO_RENEW".into()))).0,
        RuleErrorKind::Invalid
    );
}

#[test]
fn suspension_reasons_compose() {
    let c = customer(CustomerType::Domain, false);
    let b = Buyer {
        customer: &c,
        tos_accepted: false,
    };
    let s = Subscription::order("1".into(), "r", b, order("1010020027", "FLEXIBLE", 3), NOW)
        .expect("new");
    assert_eq!(s.status(), "SUSPENDED");
    assert_eq!(
        kind(s.suspend()).0,
        RuleErrorKind::BadRequest,
        "suspended for another reason"
    );
    assert_eq!(
        kind(s.activate(NOW)).0,
        RuleErrorKind::ConditionNotMet,
        "activate lifts only the reseller's suspension"
    );
    let active = s.accept_tos().expect("lifted").next;
    assert_eq!(active.status(), "ACTIVE");
    let suspended = active.suspend().expect("suspend").next;
    assert_eq!(
        suspended.suspension_reasons,
        vec![SuspensionReason::ResellerInitiated]
    );
    assert_eq!(suspended.suspend().expect("idempotent").next, suspended);
    assert_eq!(
        kind(suspended.change_seats(SeatsInput {
            maximum_number_of_seats: Some(4),
            ..Default::default()
        }))
        .0,
        RuleErrorKind::BadRequest
    );
    assert_eq!(
        suspended.activate(NOW).expect("activate").next.status(),
        "ACTIVE"
    );
    let trial = buy("1010020027", "TRIAL", 1).expect("trial");
    assert_eq!(kind(trial.suspend()).0, RuleErrorKind::ConditionNotMet);
}

#[test]
fn a_suspended_annual_term_restarts_on_activation_after_its_end() {
    let s = buy("1010020027", "ANNUAL_MONTHLY_PAY", 3)
        .expect("annual")
        .suspend()
        .expect("suspend")
        .next;
    assert_eq!(
        s.due_at(),
        None,
        "a suspended annual subscription does not renew"
    );
    let later = NOW + 400 * DAY_MS;
    let active = s.activate(later).expect("activate").next;
    assert_eq!(active.commitment.map(|c| c.0), Some(later));
}

#[test]
fn switching_skus() {
    let annual = buy("1010020028", "ANNUAL_MONTHLY_PAY", 3).expect("annual");
    let plus = catalogue::sku("1010020025").expect("plus");
    let starter = catalogue::sku("1010020027").expect("starter");
    assert_eq!(
        switch_kind(&annual, plus),
        Ok(EventType::SubscriptionUpgrade)
    );
    assert_eq!(
        kind(switch_kind(&annual, starter)).0,
        RuleErrorKind::ConditionNotMet
    );
    let yearly = buy("1010020028", "ANNUAL_YEARLY_PAY", 3).expect("yearly");
    assert_eq!(
        kind(switch_kind(&yearly, plus)).0,
        RuleErrorKind::ConditionNotMet
    );
    let flex = buy("1010020028", "FLEXIBLE", 3).expect("flex");
    assert_eq!(
        switch_kind(&flex, starter),
        Ok(EventType::SubscriptionDowngrade)
    );
}

#[test]
fn deletion_types() {
    let ws = buy("1010020027", "FLEXIBLE", 1).expect("ws");
    assert_eq!(
        kind(deletion(&ws, None, false)),
        (RuleErrorKind::Required, "deletionType".into())
    );
    for bad in ["downgrade", "suspend", "deletion_type_undefined", "bogus"] {
        assert_eq!(
            kind(deletion(&ws, Some(bad), true)).0,
            RuleErrorKind::Invalid,
            "{bad}"
        );
    }
    assert_eq!(
        kind(deletion(&ws, Some("cancel"), true)).0,
        RuleErrorKind::ConditionNotMet
    );
    assert_eq!(
        kind(deletion(&ws, Some("transfer_to_direct"), false)).0,
        RuleErrorKind::ConditionNotMet
    );
    assert_eq!(
        deletion(&ws, Some("transfer_to_direct"), true),
        Ok(Deletion::TransferToDirect)
    );
    let drive = buy("Google-Drive-storage-20GB", "FLEXIBLE", 1).expect("drive");
    assert_eq!(
        deletion(&drive, Some("cancel"), false),
        Ok(Deletion::Cancel)
    );
}

/// Operations a reseller, a customer or time can apply to a subscription.
#[derive(Debug, Clone)]
enum Op {
    Seats(i64, bool),
    Plan(u8, i64),
    Renewal(u8),
    StartPaid,
    Suspend,
    Activate,
    AcceptTos,
    Advance(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0i64..40, any::<bool>()).prop_map(|(n, annual_field)| Op::Seats(n, annual_field)),
        (0u8..5, 0i64..40).prop_map(|(p, n)| Op::Plan(p, n)),
        (0u8..8).prop_map(Op::Renewal),
        Just(Op::StartPaid),
        Just(Op::Suspend),
        Just(Op::Activate),
        Just(Op::AcceptTos),
        (0i64..800).prop_map(|days| Op::Advance(days * DAY_MS)),
    ]
}

const PLANS: [&str; 5] = [
    "ANNUAL_MONTHLY_PAY",
    "ANNUAL_YEARLY_PAY",
    "FLEXIBLE",
    "TRIAL",
    "FREE",
];

fn check_invariants(s: &Subscription) {
    assert!(s.seats >= s.licensed_seats, "seats below licensed users");
    assert!(s.seats >= 1);
    let mut sorted = s.suspension_reasons.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, s.suspension_reasons, "reasons sorted and unique");
    assert_eq!(s.status() == "SUSPENDED", !s.suspension_reasons.is_empty());
    assert_eq!(
        s.plan.is_annual(),
        s.commitment.is_some(),
        "annual exactly when committed"
    );
    assert_eq!(
        s.plan.is_annual(),
        s.renewal_type.is_some(),
        "renewal settings only on annual plans"
    );
    if s.in_trial {
        assert_eq!(s.plan, PlanName::Trial);
        assert!(s.seats <= TRIAL_MAX_SEATS);
        assert!(s.trial_end.is_some());
    }
    if let Some((start, end)) = s.commitment {
        assert!(end > start);
    }
}

proptest! {
    #[test]
    fn no_sequence_of_operations_breaks_an_invariant(
        plan in 0usize..3,
        initial_seats in 1i64..10,
        tos in any::<bool>(),
        ops in proptest::collection::vec(op(), 1..40),
    ) {
        let c = customer(CustomerType::Domain, true);
        let plan_name = ["ANNUAL_MONTHLY_PAY", "FLEXIBLE", "TRIAL"][plan];
        let mut s = Subscription::order(
            "1".into(), "r", Buyer { customer: &c, tos_accepted: tos },
            order("1010020028", plan_name, initial_seats), NOW,
        ).expect("valid order");
        let mut now = NOW;
        check_invariants(&s);
        for op in ops {
            let before = s.clone();
            let result = match op {
                Op::Seats(n, annual_field) => {
                    let input = if annual_field {
                        SeatsInput { number_of_seats: Some(n), ..Default::default() }
                    } else {
                        SeatsInput { maximum_number_of_seats: Some(n), ..Default::default() }
                    };
                    s.change_seats(input).map(Some)
                }
                Op::Plan(p, n) => s.change_plan(PlanChange { plan_name: Some(PLANS[p as usize].into()), seats: seats(n), ..Default::default() }, now).map(Some),
                Op::Renewal(r) => s.change_renewal(RenewalType::ALL.get(r as usize).map(|r| r.as_str().to_string())).map(Some),
                Op::StartPaid => s.start_paid_service(now).map(Some),
                Op::Suspend => s.suspend().map(Some),
                Op::Activate => s.activate(now).map(Some),
                Op::AcceptTos => Ok(s.accept_tos()),
                Op::Advance(by) => {
                    now += by;
                    let mut last = None;
                    while let Some(o) = s.advance(now) {
                        prop_assert!(o.next.due_at().is_none_or(|d| d > before.due_at().unwrap_or(i64::MIN)), "time moves forward");
                        s = o.next.clone();
                        check_invariants(&s);
                        last = Some(o);
                    }
                    Ok(last)
                }
            };
            match result {
                Ok(Some(outcome)) => {
                    let next = outcome.next;
                    if next != before {
                        prop_assert!(next.version > before.version, "every change raises the version");
                    }
                    let same_term = before.plan.is_annual() && next.plan.is_annual() && before.commitment == next.commitment;
                    if same_term {
                        prop_assert!(next.seats >= before.seats, "annual seats fell within a term");
                    }
                    check_invariants(&next);
                    s = next;
                }
                Ok(None) => {}
                Err(_) => prop_assert_eq!(&s, &before, "a refused operation changes nothing"),
            }
        }
    }
}

#[test]
fn purchases_buy_switch_or_refuse() {
    let held = vec![buy("1010020028", "FLEXIBLE", 3).expect("standard")];
    let mut plus = buy("1010020025", "FLEXIBLE", 3).expect("plus");
    plus.id = "2".into();
    assert!(matches!(
        purchase(&plus, &held, Action::Unspecified, None),
        Ok(Purchase::Switch {
            event: EventType::SubscriptionUpgrade,
            ..
        })
    ));
    assert_eq!(
        kind(purchase(&plus, &held, Action::Buy, None)).0,
        RuleErrorKind::Duplicate
    );
    assert_eq!(
        kind(purchase(&plus, &held, Action::Switch, Some("1010020027"))),
        (RuleErrorKind::Invalid, "sourceSkuId".into())
    );
    assert!(purchase(&plus, &held, Action::Switch, Some("1010020028")).is_ok());
    let same = buy("1010020028", "FLEXIBLE", 1).expect("same sku");
    assert_eq!(
        kind(purchase(&same, &held, Action::Unspecified, None)).0,
        RuleErrorKind::Duplicate
    );
    let vault_buyer = customer(CustomerType::Domain, true);
    let vault = Subscription::order(
        "3".into(),
        "C0reseller",
        Buyer {
            customer: &vault_buyer,
            tos_accepted: true,
        },
        order("Google-Vault", "FLEXIBLE", 1),
        NOW,
    )
    .expect("vault");
    assert_eq!(
        purchase(&vault, &held, Action::Unspecified, None),
        Ok(Purchase::New)
    );
    assert_eq!(
        kind(purchase(&vault, &[], Action::Switch, None)),
        (RuleErrorKind::Invalid, "sourceSkuId".into())
    );
    assert_eq!(
        Action::parse(Some("upgrade")).map_err(|e| e.field),
        Err("action".into())
    );
}

#[test]
fn transfers_move_workspace_with_add_ons() {
    use crate::transfer::{moving_add_ons, source_of};
    let verified = customer(CustomerType::Domain, true);
    let b = Buyer {
        customer: &verified,
        tos_accepted: true,
    };
    let ws = Subscription::order(
        "1".into(),
        "C0loser",
        b,
        order("1010020027", "FLEXIBLE", 5),
        NOW,
    )
    .expect("ws");
    let vault = Subscription::order(
        "2".into(),
        "C0loser",
        b,
        order("Google-Vault", "FLEXIBLE", 5),
        NOW,
    )
    .expect("vault");
    let held = vec![ws.clone(), vault.clone()];
    let incoming = Subscription::order(
        "9".into(),
        "C0winner",
        b,
        order("1010020027", "FLEXIBLE", 5),
        NOW,
    )
    .expect("in");
    assert_eq!(
        source_of(&incoming, &held, None, NOW).map(|s| s.id.clone()),
        Ok("1".into())
    );
    assert_eq!(moving_add_ons(&ws, &held).len(), 1);
    assert_eq!(
        kind(source_of(&incoming, &held, Some("DEAL"), NOW)),
        (RuleErrorKind::Invalid, "dealCode".into())
    );
    let vault_in = Subscription::order(
        "8".into(),
        "C0winner",
        b,
        order("Google-Vault", "FLEXIBLE", 5),
        NOW,
    )
    .expect("in");
    assert_eq!(
        kind(source_of(&vault_in, &held, None, NOW)).0,
        RuleErrorKind::ConditionNotMet,
        "add-on alone"
    );
    let mut used = ws.clone();
    used.licensed_seats = 4;
    let small = Subscription::order(
        "7".into(),
        "C0winner",
        b,
        order("1010020027", "FLEXIBLE", 3),
        NOW,
    )
    .expect("in");
    assert_eq!(
        kind(source_of(&small, &[used], None, NOW)),
        (RuleErrorKind::Invalid, "seats.maximumNumberOfSeats".into())
    );
    let mine = Subscription {
        reseller_id: "C0winner".into(),
        ..ws
    };
    assert_eq!(
        kind(source_of(&incoming, &[mine], None, NOW)).0,
        RuleErrorKind::Duplicate
    );
    // The plan rules of a transfer hold for every door: an Annual subscription moves as
    // Flexible only within 30 days of its term's end.
    let annual = Subscription::order(
        "3".into(),
        "C0loser",
        b,
        order("1010020027", "ANNUAL_YEARLY_PAY", 5),
        NOW,
    )
    .expect("annual");
    let term_end = annual.commitment.expect("a term").1;
    assert_eq!(
        kind(source_of(
            &incoming,
            std::slice::from_ref(&annual),
            None,
            NOW
        )),
        (RuleErrorKind::Invalid, "plan.planName".into())
    );
    assert_eq!(
        source_of(
            &incoming,
            std::slice::from_ref(&annual),
            None,
            term_end - 29 * DAY_MS
        )
        .map(|s| s.id.clone()),
        Ok("3".into())
    );
}

/// Whether an order of `sku` on `plan` by C0reseller for `c`, who holds `held`, goes
/// through both rules an order passes (`Subscription::order`, then `purchase`, switching
/// from `source` when it names one).
fn accepted(c: &Customer, held: &[Subscription], sku: &str, plan: PlanName) -> bool {
    let buyer = Buyer {
        customer: c,
        tos_accepted: true,
    };
    let Ok(new) = Subscription::order(
        "99".into(),
        "C0reseller",
        buyer,
        order(sku, plan.wire_name(), 1),
        NOW,
    ) else {
        return false;
    };
    purchase(&new, held, Action::Unspecified, None).is_ok()
}

/// The customer's holdings the offers are checked against: nothing, one edition on each
/// plan and state, an Essentials edition, an add-on, another reseller's edition.
fn holdings() -> Vec<Vec<Subscription>> {
    let verified = customer(CustomerType::Domain, true);
    let team = customer(CustomerType::Team, false);
    let held = |c: &Customer, sku: &str, plan: &str| {
        Subscription::order(
            format!("h{sku}{plan}"),
            "C0reseller",
            Buyer {
                customer: c,
                tos_accepted: true,
            },
            order(sku, plan, 3),
            NOW,
        )
        .expect("a holding")
    };
    let standard = |plan| held(&verified, "1010020028", plan);
    let suspended = standard("FLEXIBLE").suspend().expect("suspend").next;
    let mut elsewhere = standard("FLEXIBLE");
    elsewhere.reseller_id = "C0another".into();
    vec![
        vec![],
        vec![standard("FLEXIBLE")],
        vec![standard("ANNUAL_MONTHLY_PAY")],
        vec![standard("ANNUAL_YEARLY_PAY")],
        vec![standard("TRIAL")],
        vec![suspended],
        vec![elsewhere],
        vec![held(&team, "1010060003", "ANNUAL_MONTHLY_PAY")],
        vec![
            standard("FLEXIBLE"),
            held(&verified, "Google-Vault", "FLEXIBLE"),
        ],
    ]
}

#[test]
fn offers_are_exactly_what_an_order_accepts() {
    let buyers = [
        customer(CustomerType::Domain, true),
        customer(CustomerType::Domain, false),
        customer(CustomerType::Team, false),
        customer(CustomerType::Team, true),
    ];
    let plans = [
        PlanName::AnnualMonthlyPay,
        PlanName::AnnualYearlyPay,
        PlanName::Flexible,
        PlanName::Trial,
        PlanName::Free,
    ];
    let (mut offered_count, mut refused_count) = (0, 0);
    for c in &buyers {
        for held in holdings() {
            let buyer = Buyer {
                customer: c,
                tos_accepted: true,
            };
            let offers = offers_for(buyer, "C0reseller", &held);
            for sku in catalogue::all() {
                let offer = offers.iter().find(|o| o.sku.sku_id == sku.sku_id);
                for plan in plans {
                    let offered = offer.is_some_and(|o| o.plans.contains(&plan));
                    assert_eq!(
                        offered,
                        accepted(c, &held, sku.sku_id, plan),
                        "{} on {plan:?} for a {:?} customer (verified {}) holding {:?}",
                        sku.sku_name,
                        c.customer_type,
                        c.domain_verified,
                        held.iter().map(|s| (&s.sku_id, s.plan)).collect::<Vec<_>>()
                    );
                    if offered {
                        offered_count += 1;
                    } else {
                        refused_count += 1;
                    }
                }
                // A switch offer is accepted as the switch it says, from the SKU it names.
                if let Some(Offer {
                    switch: Some((from, event)),
                    plans,
                    ..
                }) = offer
                {
                    let new = Subscription::order(
                        "99".into(),
                        "C0reseller",
                        buyer,
                        order(sku.sku_id, plans[0].wire_name(), 1),
                        NOW,
                    )
                    .expect("an offered plan is accepted");
                    let how = purchase(&new, &held, Action::Switch, Some(&from.sku_id));
                    assert!(
                        matches!(how, Ok(Purchase::Switch { event: e, .. }) if e == *event),
                        "{how:?}"
                    );
                }
            }
        }
    }
    // Both sides of the equivalence were exercised.
    assert!(offered_count > 100 && refused_count > 100);
}

#[test]
fn offers_follow_the_customer() {
    let ids = |c: &Customer, held: &[Subscription]| -> Vec<&'static str> {
        offers_for(
            Buyer {
                customer: c,
                tos_accepted: false,
            },
            "C0reseller",
            held,
        )
        .iter()
        .map(|o| o.sku.sku_id)
        .collect()
    };
    let team = customer(CustomerType::Team, false);
    // Team customers see the Essentials family (and Cloud Identity Free), nothing else.
    assert_eq!(
        ids(&team, &[]),
        ["1010060001", "1010060003", "1010060005", "1010010001"]
    );
    let unverified = customer(CustomerType::Domain, false);
    assert!(!ids(&unverified, &[]).contains(&"Google-Vault"));
    let verified = customer(CustomerType::Domain, true);
    assert!(ids(&verified, &[]).contains(&"Google-Vault"));
    // Holding Business Standard on Flexible: the other editions are switches, up or down.
    let standard = buy("1010020028", "FLEXIBLE", 3).expect("standard");
    let offers = offers_for(
        Buyer {
            customer: &verified,
            tos_accepted: true,
        },
        "C0reseller",
        std::slice::from_ref(&standard),
    );
    let starter = offers
        .iter()
        .find(|o| o.sku.sku_id == "1010020027")
        .expect("starter");
    assert!(!starter.is_upgrade() && starter.switch.is_some());
    let plus = offers
        .iter()
        .find(|o| o.sku.sku_id == "1010020025")
        .expect("plus");
    assert!(plus.is_upgrade());
    assert!(!offers.iter().any(|o| o.sku.sku_id == "1010020028"));
    // On an annual plan nothing goes down before renewal.
    let annual = buy("1010020028", "ANNUAL_MONTHLY_PAY", 3).expect("annual");
    let offers = offers_for(
        Buyer {
            customer: &verified,
            tos_accepted: true,
        },
        "C0reseller",
        &[annual],
    );
    assert!(!offers.iter().any(|o| o.sku.sku_id == "1010020027"));
    assert!(offers.iter().any(|o| o.sku.sku_id == "1010020025"));
}
