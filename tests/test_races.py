"""Races: concurrent writes to one resource must serialize.

Every race starts its requests together (one barrier; clients and access
tokens are made beforehand) and is repeated a few rounds. The outcome must
be one that some serial order of the same requests would give, the event
log must tell the same story as the stored state, and no request may get a
5xx. Each round uses fresh resellers (from the CLI) so that its event log
holds only what the round did.

Covered: seat changes on one subscription, a transfer racing a suspension,
two transfers of one subscription (same receiver twice, two receivers),
licence assignments racing a seat reduction, orders of one SKU and orders of
several editions of one product for the same customer. Concurrent inserts of
one customer domain are in test_customers.py.

Racers are 8 or fewer on purpose: the server retries an optimistic write up
to 8 times, and a retry is needed only when another racer committed, so with
at most 8 racers each one settles without running out of attempts.
"""

from __future__ import annotations

import random

import google.auth.transport.requests
import pytest

from chaos_helpers import describe, race, status_of
from helpers import assert_http_error, domain_customer, execute_error
from lic_helpers import (
    SCOPE_LICENSING,
    WORKSPACE,
    assignments,
    build_licensing,
    holders,
    licensing,
    new_users,
)
from sub_helpers import (
    BUSINESS_PLUS,
    BUSINESS_STANDARD,
    BUSINESS_STARTER,
    ENTERPRISE_STARTER,
    assert_error,
    assert_gone,
    assert_subscription,
    flexible,
    fresh_reseller,
    get_sub,
    ids_of,
    insert_sub,
    list_all,
    new_customer,
)

ROUNDS = 3


def ready_service(partnerd, reseller):
    """A Reseller API client whose access token is already fetched."""
    creds = partnerd.credentials(reseller)
    creds.refresh(google.auth.transport.requests.Request())
    return partnerd.build_service(creds)


def ready_licensing(partnerd, reseller):
    creds = partnerd.credentials(reseller, scopes=[SCOPE_LICENSING])
    creds.refresh(google.auth.transport.requests.Request())
    return build_licensing(partnerd, creds)


def no_5xx(results):
    bad = [r for r in results if isinstance(status_of(r), int) and status_of(r) >= 500]
    transport = [r for r in results if not isinstance(status_of(r), int)]
    assert not bad and not transport, f"server errors or transport failures in a race:\n{describe(results)}"


def sub_log(partnerd, reseller, sid) -> list:
    return [e for e in partnerd.events(reseller["domain"]) if e["resourceId"] == sid]


def transfer_body(sub) -> dict:
    seats_key = "numberOfSeats" if sub["plan"]["isCommitmentPlan"] else "maximumNumberOfSeats"
    plan = "ANNUAL_MONTHLY_PAY" if sub["plan"]["planName"] == "ANNUAL" else sub["plan"]["planName"]
    return {"skuId": sub["skuId"], "plan": {"planName": plan}, "seats": {seats_key: sub["seats"][seats_key]}}


# ---------------------------------------------------------------------------
# changeSeats x 8 on one subscription
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_concurrent_seat_changes_serialize(partnerd, round_no):
    reseller = fresh_reseller(partnerd, "rseat")
    svc = partnerd.service(reseller)
    customer = new_customer(partnerd, svc)
    sub = insert_sub(svc, customer, flexible(BUSINESS_STARTER, 5))
    values = random.sample(range(10, 60), 8)
    services = [ready_service(partnerd, reseller) for _ in values]
    requests_ = [s.subscriptions().changeSeats(customerId=customer["customerId"], subscriptionId=sub["subscriptionId"],
                                               body={"maximumNumberOfSeats": v}) for s, v in zip(services, values)]
    results = race([r.execute for r in requests_])
    no_5xx(results)
    # Each change is valid on its own and there are no more racers than the
    # server's attempts: every one must be applied.
    assert all(kind == "ok" for kind, _ in results), f"round {round_no}: values {values}\n{describe(results)}"
    for (kind, got), v in zip(results, values):
        assert_subscription(got)
        assert got["seats"]["maximumNumberOfSeats"] == v, f"answer for {v} says {got['seats']}"
        assert got["subscriptionId"] == sub["subscriptionId"]

    stored = get_sub(svc, sub)
    changes = [e for e in sub_log(partnerd, reseller, sub["subscriptionId"]) if e["action"] == "subscription.changeSeats"]
    applied = [e["after"]["seats"] for e in changes]
    assert sorted(applied) == sorted(values), (
        f"round {round_no}: one changeSeats event per 2xx answer expected; answered {sorted(values)}, "
        f"log {applied}")
    # A serial history: each change starts from the state the previous one left.
    previous = 5
    for e in changes:
        assert e["before"]["seats"] == previous, f"lost update: {e['before']['seats']} != {previous} in {applied}"
        assert e["after"]["version"] > e["before"]["version"], e
        previous = e["after"]["seats"]
    assert stored["seats"]["maximumNumberOfSeats"] == applied[-1], (
        f"stored {stored['seats']} but the last change in the log set {applied[-1]}")
    assert stored["seats"]["maximumNumberOfSeats"] in values


# ---------------------------------------------------------------------------
# A transfer racing a suspension
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_transfer_racing_suspend_has_one_outcome(partnerd, round_no):
    a = fresh_reseller(partnerd, "rtsa")
    b = fresh_reseller(partnerd, "rtsb")
    svc_a, svc_b = partnerd.service(a), partnerd.service(b)
    customer = new_customer(partnerd, svc_a)
    cid = customer["customerId"]
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, 4))
    token = partnerd.transfer_token(cid, b["publicId"])["customerAuthToken"]

    racer_a, racer_b = ready_service(partnerd, a), ready_service(partnerd, b)
    suspend = racer_a.subscriptions().suspend(customerId=cid, subscriptionId=sub["subscriptionId"])
    transfer = racer_b.subscriptions().insert(customerId=cid, customerAuthToken=token, body=transfer_body(sub))
    results = race([suspend.execute, transfer.execute])
    no_5xx(results)
    (s_kind, s_val), (t_kind, t_val) = results
    story = f"round {round_no}:\n{describe(results)}"
    assert (s_kind, t_kind) in {("ok", "error"), ("error", "ok")}, f"exactly one must succeed; {story}"

    log_a = sub_log(partnerd, a, sub["subscriptionId"])
    actions = [e["action"] for e in log_a]
    if t_kind == "ok":
        # Transferred first: A's subscription is gone, so there is nothing to suspend.
        assert_http_error(s_val, 404, "notFound")
        moved = t_val
        assert_subscription(moved)
        assert moved["status"] == "ACTIVE", moved
        assert_gone(svc_a, sub)
        assert ids_of(list_all(svc_b, customerId=cid)) == {moved["subscriptionId"]}
        assert svc_b.subscriptions().get(customerId=cid, subscriptionId=moved["subscriptionId"]).execute() == moved
        assert actions == ["subscription.insert", "subscription.transferOut"], f"{actions}; {story}"
        assert log_a[-1]["after"]["cancelled"]["reason"] == "TRANSFERRED_OUT", log_a[-1]
        assert not log_a[-1]["after"]["suspensionReasons"], log_a[-1]
        log_b = sub_log(partnerd, b, moved["subscriptionId"])
        assert [e["action"] for e in log_b] == ["subscription.transferIn"], log_b
        assert "alternateEmail" in svc_b.customers().get(customerId=cid).execute()
    else:
        # Suspended first: a suspended subscription cannot move.
        assert_error(t_val, 412, "conditionNotMet")
        suspended = s_val
        assert suspended["status"] == "SUSPENDED" and suspended["suspensionReasons"] == ["RESELLER_INITIATED"]
        assert get_sub(svc_a, sub) == suspended
        assert actions == ["subscription.insert", "subscription.suspend"], f"{actions}; {story}"
        assert log_a[-1]["after"]["suspensionReasons"] == ["RESELLER_INITIATED"]
        assert list_all(svc_b, customerId=cid, customerAuthToken=token) == []
        assert not [e for e in partnerd.events(b["domain"]) if e["action"].endswith("transferIn")]
        assert "alternateEmail" in svc_a.customers().get(customerId=cid).execute()


# ---------------------------------------------------------------------------
# Two transfers of one subscription
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_same_receiver_transferring_twice_wins_once(partnerd, round_no):
    """The receiving reseller's integration sends the transfer order from
    several workers at once: one moves the subscription, the rest learn it
    is already theirs (409 duplicate)."""
    a = fresh_reseller(partnerd, "rtta")
    b = fresh_reseller(partnerd, "rttb")
    svc_a, svc_b = partnerd.service(a), partnerd.service(b)
    customer = new_customer(partnerd, svc_a)
    cid = customer["customerId"]
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STANDARD, 6))
    token = partnerd.transfer_token(cid, b["publicId"])["customerAuthToken"]

    racers = [ready_service(partnerd, b) for _ in range(6)]
    orders = [r.subscriptions().insert(customerId=cid, customerAuthToken=token, body=transfer_body(sub))
              for r in racers]
    results = race([o.execute for o in orders])
    no_5xx(results)
    wins = [v for k, v in results if k == "ok"]
    story = f"round {round_no}:\n{describe(results)}"
    assert len(wins) == 1, f"{len(wins)} transfers of one subscription succeeded; {story}"
    for kind, err in results:
        if kind == "error":
            assert_http_error(err, 409, "duplicate")
    moved = wins[0]
    assert ids_of(list_all(svc_b, customerId=cid)) == {moved["subscriptionId"]}
    assert_gone(svc_a, sub)
    out = [e for e in partnerd.events(a["domain"]) if e["action"] == "subscription.transferOut"]
    into = [e for e in partnerd.events(b["domain"]) if e["action"] == "subscription.transferIn"]
    assert len(out) == 1 and len(into) == 1, (out, into)
    assert into[0]["resourceId"] == moved["subscriptionId"]
    customer_moves = [e for e in partnerd.events(b["domain"]) if e["action"] == "customer.transferIn"]
    assert len(customer_moves) == 1, customer_moves


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_same_receiver_importing_the_customer_twice(partnerd, round_no):
    """customers.insert with the token, sent by several workers at once: the
    customer changes hands once; every answer is the full record or a 4xx."""
    a = fresh_reseller(partnerd, "rtca")
    b = fresh_reseller(partnerd, "rtcb")
    svc_a = partnerd.service(a)
    customer = new_customer(partnerd, svc_a)
    cid = customer["customerId"]
    token = partnerd.transfer_token(cid, b["publicId"])["customerAuthToken"]
    racers = [ready_service(partnerd, b) for _ in range(6)]
    imports = [r.customers().insert(customerAuthToken=token, body=domain_customer(customer["customerDomain"]))
               for r in racers]
    results = race([i.execute for i in imports])
    no_5xx(results)
    story = f"round {round_no}:\n{describe(results)}"
    wins = [v for k, v in results if k == "ok"]
    assert wins, f"no import succeeded; {story}"
    for w in wins:
        assert w["customerId"] == cid and "alternateEmail" in w, w
    for kind, err in results:
        if kind == "error":
            # A racer that lost may only be told to retry.
            assert err.resp.status == 409, story
            assert_http_error(err, 409)
    moves = [e for e in partnerd.events(b["domain"]) if e["action"] == "customer.transferIn"]
    assert len(moves) == 1, f"the customer changed hands {len(moves)} times; {story}"
    assert "alternateEmail" in partnerd.service(b).customers().get(customerId=cid).execute()
    assert "alternateEmail" not in svc_a.customers().get(customerId=cid).execute()


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_two_receivers_transferring_one_subscription(partnerd, round_no):
    """The customer's admin made tokens for two resellers, B and C, who both
    order the transfer at once. Run one after the other, the first wins and
    the second is refused: the customer's move to the first ends every other
    reseller's token (403). Raced, the result must be that history: one
    transfer, one live subscription, one owner, a log A -> winner."""
    a = fresh_reseller(partnerd, "r2ra")
    b = fresh_reseller(partnerd, "r2rb")
    c = fresh_reseller(partnerd, "r2rc")
    svc = {"a": partnerd.service(a), "b": partnerd.service(b), "c": partnerd.service(c)}
    customer = new_customer(partnerd, svc["a"])
    cid = customer["customerId"]
    sub = insert_sub(svc["a"], customer, flexible(BUSINESS_STARTER, 3))
    tokens = {x: partnerd.transfer_token(cid, r["publicId"])["customerAuthToken"] for x, r in (("b", b), ("c", c))}

    orders = [ready_service(partnerd, r).subscriptions().insert(customerId=cid, customerAuthToken=tokens[x],
                                                                body=transfer_body(sub))
              for x, r in (("b", b), ("c", c))]
    results = race([o.execute for o in orders])
    no_5xx(results)
    story = f"round {round_no}:\n{describe(results)}"
    kinds = [k for k, _ in results]
    assert sorted(kinds) == ["error", "ok"], f"exactly one transfer may win; {story}"
    winner, loser = ("b", "c") if kinds[0] == "ok" else ("c", "b")
    moved = results[0][1] if winner == "b" else results[1][1]
    assert_http_error(results[1][1] if winner == "b" else results[0][1], 403, "forbidden")

    ins = {x: [e for e in partnerd.events(r["domain"]) if e["action"] == "subscription.transferIn"]
           for x, r in (("b", b), ("c", c))}
    outs = [e for e in partnerd.events(a["domain"]) if e["action"] == "subscription.transferOut"]
    assert len(ins[winner]) == 1 and not ins[loser], (ins, story)
    assert len(outs) == 1 and outs[0]["resourceId"] == sub["subscriptionId"], (outs, story)
    assert_gone(svc["a"], sub)
    assert ids_of(list_all(svc[winner], customerId=cid)) == {moved["subscriptionId"]}, story
    assert "alternateEmail" in svc[winner].customers().get(customerId=cid).execute()
    assert "alternateEmail" not in svc[loser].customers().get(customerId=cid).execute()
    # The loser's token stays dead.
    err = execute_error(svc[loser].subscriptions().list(customerId=cid, customerAuthToken=tokens[loser]))
    assert_http_error(err, 403, "forbidden")


# ---------------------------------------------------------------------------
# Licence assignments racing a seat reduction
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_licence_assignments_racing_a_seat_reduction(partnerd, round_no):
    """Six users are being given licences of a 6-seat flexible subscription
    while the reseller lowers it to 3 seats. Serial orders give exactly two
    outcomes: the reduction lands while at most 3 licences are out (it
    succeeds, exactly 3 assignments succeed and 3 get 412), or later (it is
    refused with 400 invalid and all 6 assignments succeed). At no commit may
    more licences be out than seats."""
    reseller = fresh_reseller(partnerd, "rlic")
    svc = partnerd.service(reseller)
    customer = new_customer(partnerd, svc)
    cid, domain = customer["customerId"], customer["customerDomain"]
    sub = insert_sub(svc, customer, flexible(BUSINESS_STARTER, 6))
    users = new_users(partnerd.directory(reseller), domain, 6, prefix=f"r{round_no}u")

    calls = []
    for u in users:
        lic = ready_licensing(partnerd, reseller)
        calls.append(assignments(lic).insert(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                             body={"userId": u["primaryEmail"]}).execute)
    reducer = ready_service(partnerd, reseller).subscriptions().changeSeats(
        customerId=cid, subscriptionId=sub["subscriptionId"], body={"maximumNumberOfSeats": 3})
    order = list(range(7))
    random.shuffle(order)  # the reducer starts at a random position
    shuffled = [(calls + [reducer.execute])[i] for i in order]
    raw = race(shuffled)
    results = [None] * 7
    for pos, i in enumerate(order):
        results[i] = raw[pos]
    no_5xx(results)
    story = f"round {round_no} (user 0-5, reducer 6):\n{describe(results)}"
    assigned = [users[i] for i in range(6) if results[i][0] == "ok"]
    reduced = results[6][0] == "ok"

    if reduced:
        assert results[6][1]["seats"]["maximumNumberOfSeats"] == 3
        assert len(assigned) == 3, f"seats went to 3; exactly 3 licences fit; {story}"
        for i in range(6):
            if results[i][0] == "error":
                assert_error(results[i][1], 412, "conditionNotMet")
    else:
        assert_error(results[6][1], 400, "invalid")
        assert len(assigned) == 6, f"the reduction was refused, so seats stayed 6 for 6 users; {story}"

    stored = get_sub(svc, sub)
    seats = stored["seats"]["maximumNumberOfSeats"]
    assert seats == (3 if reduced else 6), (stored, story)
    assert stored["seats"]["licensedNumberOfSeats"] == len(assigned), (stored, story)
    assert set(holders(licensing(partnerd, reseller), WORKSPACE, cid)) == {u["primaryEmail"].lower() for u in assigned}

    log = sub_log(partnerd, reseller, sub["subscriptionId"])
    for e in log:
        after = e["after"]
        assert after["licensedSeats"] <= after["seats"], f"more licences than seats at commit: {e!r}"
    licence_changes = [e for e in log if e["action"] == "subscription.licensedSeats"]
    assert len(licence_changes) == len(assigned), (
        f"{len(licence_changes)} licence commits for {len(assigned)} 2xx assignments; {story}")
    seat_changes = [e for e in log if e["action"] == "subscription.changeSeats"]
    assert len(seat_changes) == (1 if reduced else 0), seat_changes
    assert log[-1]["after"]["licensedSeats"] == len(assigned) and log[-1]["after"]["seats"] == seats


# ---------------------------------------------------------------------------
# Orders of one SKU / one product family for one customer
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_concurrent_orders_of_one_sku_one_wins(partnerd, round_no):
    reseller = fresh_reseller(partnerd, "rsku")
    svc = partnerd.service(reseller)
    customer = new_customer(partnerd, svc)
    racers = [ready_service(partnerd, reseller) for _ in range(8)]
    orders = [r.subscriptions().insert(customerId=customer["customerId"], body=flexible(BUSINESS_STARTER, 2 + i))
              for i, r in enumerate(racers)]
    results = race([o.execute for o in orders])
    no_5xx(results)
    story = f"round {round_no}:\n{describe(results)}"
    wins = [(i, v) for i, (k, v) in enumerate(results) if k == "ok"]
    assert len(wins) == 1, f"{len(wins)} subscriptions of one SKU were created; {story}"
    for kind, err in results:
        if kind == "error":
            assert_http_error(err, 409, "duplicate", "ALREADY_EXISTS")
    i, won = wins[0]
    assert won["seats"]["maximumNumberOfSeats"] == 2 + i
    live = list_all(svc, customerId=customer["customerId"])
    assert ids_of(live) == {won["subscriptionId"]}, live
    inserts = [e for e in partnerd.events(reseller["domain"]) if e["action"] == "subscription.insert"]
    assert [e["resourceId"] for e in inserts] == [won["subscriptionId"]], inserts


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_concurrent_orders_of_editions_leave_one_workspace_subscription(partnerd, round_no):
    """Four editions of Google Workspace ordered for one new customer at once.
    One after the other, the first is a new subscription and each later one
    an upgrade or downgrade that cancels the one before (flexible plans may
    go either way). Raced, the customer must still end with exactly one live
    Workspace subscription, and the log must be such a chain."""
    reseller = fresh_reseller(partnerd, "red")
    svc = partnerd.service(reseller)
    customer = new_customer(partnerd, svc)
    cid = customer["customerId"]
    editions = [BUSINESS_STARTER, BUSINESS_STANDARD, BUSINESS_PLUS, ENTERPRISE_STARTER]
    random.shuffle(editions)
    orders = [ready_service(partnerd, reseller).subscriptions().insert(customerId=cid, body=flexible(sku, 3))
              for sku in editions]
    results = race([o.execute for o in orders])
    no_5xx(results)
    story = f"round {round_no}, editions {editions}:\n{describe(results)}"
    live = list_all(svc, customerId=cid)
    assert len(live) == 1, (
        f"the customer holds {len(live)} live Workspace subscriptions "
        f"({sorted(s['skuId'] for s in live)}); {story}")
    for kind, err in results:
        if kind == "error":
            assert 400 <= err.resp.status < 500, story
            assert_http_error(err, err.resp.status)
    log = [e for e in partnerd.events(reseller["domain"]) if e["resourceType"] == "subscription"]
    inserts = [e for e in log if e["action"] == "subscription.insert"]
    ended = [e for e in log if e["action"] == "subscription.switchedFrom"]
    created = [e for e in inserts if e.get("eventType") == "NEW_SUBSCRIPTION_CREATED"]
    assert len(created) == 1, f"{len(created)} NEW_SUBSCRIPTION_CREATED for one customer; {story}"
    assert len(inserts) == sum(1 for k, _ in results if k == "ok"), (inserts, story)
    assert len(ended) == len(inserts) - 1, (
        f"{len(inserts)} orders went through but {len(ended)} earlier editions were cancelled; {story}")
    assert live[0]["subscriptionId"] == inserts[-1]["resourceId"], (live, [e["resourceId"] for e in inserts])
