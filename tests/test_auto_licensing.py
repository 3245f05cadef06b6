"""Automatic licensing: the Admin console setting that gives users created
afterwards a licence according to their organizational unit.

partnerd exposes the setting through its control API
(``/partnerd/v1/customers/{customerId}/autoLicensing``). What a user receives
is observed through the Licensing API (assignments) and the Reseller API
(subscriptions' licensedNumberOfSeats). For each product, the rule of the
nearest unit at or above the user's unit decides; a null skuId means "no
automatic licence here"; existing users keep what they have; a licence is
given only when the subscription has a free seat.

Every test makes its own customer (ToS accepted), units and users.
"""

from __future__ import annotations

import threading

import google.auth.transport.requests
import pytest

from dir_helpers import insert_ou, quick_user_body
from helpers import assert_response_error, execute_error
from lic_helpers import (
    DRIVE_STORAGE,
    WORKSPACE,
    assert_assignment,
    assert_lic_error,
    assign,
    assignments,
    auto_path,
    get_assignment,
    get_auto_licensing,
    holders,
    licensed,
    licensing,
    new_user,
    normalized_rules,
    put_auto_licensing,
    put_auto_licensing_raw,
    rule,
)
from sub_helpers import (
    BUSINESS_STARTER,
    DRIVE_20GB,
    ESSENTIALS,
    VAULT,
    annual,
    flexible,
    insert_sub,
    new_customer,
)

DEFAULT_SETTINGS = {"enabled": True, "rules": []}


@pytest.fixture
def lic_a(partnerd):
    return licensing(partnerd, partnerd.a)


@pytest.fixture
def cust(partnerd, svc_a):
    return new_customer(partnerd, svc_a)


def workspace_of(lic, cid, user):
    """The Google-Apps SKU ``user`` holds (None when it holds none)."""
    return holders(lic, WORKSPACE, cid).get(user["primaryEmail"].lower())


def assert_settings(settings: dict, enabled: bool, rules: list) -> None:
    assert isinstance(settings, dict), settings
    assert settings.get("enabled") is enabled, f"enabled {settings.get('enabled')!r} != {enabled!r}: {settings!r}"
    assert normalized_rules(settings.get("rules")) == normalized_rules(rules), (
        f"rules {settings.get('rules')!r} != {rules!r}"
    )


# ---------------------------------------------------------------------------
# The setting itself
# ---------------------------------------------------------------------------


def test_default_settings(partnerd, cid):
    assert get_auto_licensing(partnerd, cid) == DEFAULT_SETTINGS


def test_put_echoes_and_get_returns_the_settings(partnerd, dir_a, cid):
    insert_ou(dir_a, cid, "Contractors")
    rules = [rule("/", BUSINESS_STARTER), rule("/Contractors", None)]
    echoed = put_auto_licensing(partnerd, cid, rules)
    assert_settings(echoed, True, rules)
    assert_settings(get_auto_licensing(partnerd, cid), True, rules)

    # A second PUT replaces the whole setting.
    replaced = put_auto_licensing(partnerd, cid, [rule("/Contractors", ESSENTIALS)], enabled=False)
    assert_settings(replaced, False, [rule("/Contractors", ESSENTIALS)])
    assert_settings(get_auto_licensing(partnerd, cid), False, [rule("/Contractors", ESSENTIALS)])


def test_settings_are_per_customer(partnerd, svc_a, dir_a, cid):
    other = new_customer(partnerd, svc_a)
    insert_sub(svc_a, other, flexible(BUSINESS_STARTER, 5))
    put_auto_licensing(partnerd, cid, [rule("/", BUSINESS_STARTER)])
    assert get_auto_licensing(partnerd, other["customerId"]) == DEFAULT_SETTINGS

    user = new_user(dir_a, other["customerDomain"])
    lic = licensing(partnerd, partnerd.a)
    assert workspace_of(lic, other["customerId"], user) is None


@pytest.mark.parametrize(
    "body, reason",
    [
        ({"enabled": True, "rules": [rule("/", "1010029999")]}, "invalid"),
        ({"enabled": True, "rules": [rule("/", DRIVE_20GB)]}, "invalid"),  # a SKU of another product
        ({"enabled": True, "rules": [rule("/", BUSINESS_STARTER, "No-Such-Product")]}, "invalid"),
        ({"enabled": True, "rules": [rule("/Nowhere", BUSINESS_STARTER)]}, "invalid"),
        ({"enabled": True, "rules": [{"orgUnitPath": "/", "skuId": BUSINESS_STARTER}]}, "required"),
    ],
    ids=["unknown-sku", "sku-of-other-product", "unknown-product", "missing-org-unit", "missing-product"],
)
def test_bad_settings_are_rejected_and_change_nothing(partnerd, dir_a, cid, body, reason):
    insert_ou(dir_a, cid, "Sales")
    before = [rule("/Sales", ESSENTIALS)]
    put_auto_licensing(partnerd, cid, before)

    r = put_auto_licensing_raw(partnerd, cid, body)
    assert_response_error(r, 400, reason)
    assert_settings(get_auto_licensing(partnerd, cid), True, before)


def test_unknown_customer_is_not_found(partnerd):
    r = partnerd.control("GET", auto_path("C0zzzzzzz"))
    assert r.status_code == 404, r.text
    r = put_auto_licensing_raw(partnerd, "C0zzzzzzz", {"enabled": True, "rules": []})
    assert r.status_code == 404, r.text


def test_setting_needs_the_control_token(partnerd, cid):
    path = "/partnerd/v1/" + auto_path(cid)
    reseller_token = partnerd.access_token(partnerd.a)
    for bearer in (None, reseller_token, "not-the-control-token"):
        r = partnerd.raw("PUT", path, token=bearer, json={"enabled": False, "rules": []})
        assert r.status_code == 401, f"PUT with {bearer!r}: HTTP {r.status_code} {r.text}"
        r = partnerd.raw("GET", path, token=bearer)
        assert r.status_code == 401, f"GET with {bearer!r}: HTTP {r.status_code} {r.text}"
    assert get_auto_licensing(partnerd, cid) == DEFAULT_SETTINGS


# ---------------------------------------------------------------------------
# What new users receive
# ---------------------------------------------------------------------------


def test_without_rules_new_users_get_no_paid_licence(svc_a, lic_a, dir_a, cust, cid, domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    user = new_user(dir_a, domain)
    assert workspace_of(lic_a, cid, user) is None
    assert licensed(svc_a, sub) == 0


def test_root_rule_licenses_new_users_everywhere(partnerd, svc_a, lic_a, dir_a, cust, cid, domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    insert_ou(dir_a, cid, "Sales")
    insert_ou(dir_a, cid, "EMEA", "/Sales")
    put_auto_licensing(partnerd, cid, [rule("/", BUSINESS_STARTER)])

    at_root = new_user(dir_a, domain, "root-user")
    deep = new_user(dir_a, domain, "deep-user", "/Sales/EMEA")

    for user in (at_root, deep):
        got = get_assignment(lic_a, BUSINESS_STARTER, user)
        assert_assignment(got, WORKSPACE, BUSINESS_STARTER, user["primaryEmail"], sub["skuName"])
    assert licensed(svc_a, sub) == 2


def test_existing_users_keep_what_they_have(partnerd, svc_a, lic_a, dir_a, cust, cid, domain):
    starter = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    essentials = insert_sub(svc_a, cust, flexible(ESSENTIALS, 5))
    bare = new_user(dir_a, domain, "bare")
    with_essentials = new_user(dir_a, domain, "essential")
    assign(lic_a, ESSENTIALS, with_essentials)

    put_auto_licensing(partnerd, cid, [rule("/", BUSINESS_STARTER)])
    newcomer = new_user(dir_a, domain, "newcomer")

    assert holders(lic_a, WORKSPACE, cid) == {
        with_essentials["primaryEmail"].lower(): ESSENTIALS,
        newcomer["primaryEmail"].lower(): BUSINESS_STARTER,
    }
    assert bare["primaryEmail"].lower() not in holders(lic_a, WORKSPACE, cid)
    assert (licensed(svc_a, starter), licensed(svc_a, essentials)) == (1, 1)


def test_child_unit_inherits_its_parents_rule(partnerd, svc_a, lic_a, dir_a, cust, cid, domain):
    insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    insert_sub(svc_a, cust, flexible(ESSENTIALS, 5))
    insert_ou(dir_a, cid, "Sales")
    insert_ou(dir_a, cid, "EMEA", "/Sales")
    insert_ou(dir_a, cid, "Paris", "/Sales/EMEA")
    insert_ou(dir_a, cid, "Ops")
    put_auto_licensing(partnerd, cid, [rule("/", BUSINESS_STARTER), rule("/Sales", ESSENTIALS)])

    users = {
        "/": new_user(dir_a, domain, "at-root"),
        "/Ops": new_user(dir_a, domain, "in-ops", "/Ops"),
        "/Sales": new_user(dir_a, domain, "in-sales", "/Sales"),
        "/Sales/EMEA": new_user(dir_a, domain, "in-emea", "/Sales/EMEA"),
        "/Sales/EMEA/Paris": new_user(dir_a, domain, "in-paris", "/Sales/EMEA/Paris"),
    }
    expected = {
        "/": BUSINESS_STARTER,
        "/Ops": BUSINESS_STARTER,
        "/Sales": ESSENTIALS,
        "/Sales/EMEA": ESSENTIALS,
        "/Sales/EMEA/Paris": ESSENTIALS,
    }
    held = holders(lic_a, WORKSPACE, cid)
    got = {unit: held.get(user["primaryEmail"].lower()) for unit, user in users.items()}
    assert got == expected


def test_child_rule_overrides_the_parent_even_deeper_down(partnerd, svc_a, lic_a, dir_a, cust, cid, domain):
    insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    insert_sub(svc_a, cust, flexible(ESSENTIALS, 5))
    insert_ou(dir_a, cid, "Sales")
    insert_ou(dir_a, cid, "EMEA", "/Sales")
    insert_ou(dir_a, cid, "Paris", "/Sales/EMEA")
    # The deepest rule wins over both ancestors, whatever the list order.
    put_auto_licensing(partnerd, cid, [rule("/Sales/EMEA", BUSINESS_STARTER), rule("/", ESSENTIALS),
                                       rule("/Sales", None)])

    at_root = new_user(dir_a, domain, "at-root")
    in_sales = new_user(dir_a, domain, "in-sales", "/Sales")
    in_paris = new_user(dir_a, domain, "in-paris", "/Sales/EMEA/Paris")
    held = holders(lic_a, WORKSPACE, cid)
    assert held == {
        at_root["primaryEmail"].lower(): ESSENTIALS,
        in_paris["primaryEmail"].lower(): BUSINESS_STARTER,
    }
    assert in_sales["primaryEmail"].lower() not in held


def test_null_sku_means_no_automatic_licence_there(partnerd, svc_a, lic_a, dir_a, cust, cid, domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    insert_ou(dir_a, cid, "Contractors")
    insert_ou(dir_a, cid, "Temp", "/Contractors")
    put_auto_licensing(partnerd, cid, [rule("/", BUSINESS_STARTER), rule("/Contractors", None)])

    contractor = new_user(dir_a, domain, "contractor", "/Contractors")
    temp = new_user(dir_a, domain, "temp", "/Contractors/Temp")
    employee = new_user(dir_a, domain, "employee")

    assert holders(lic_a, WORKSPACE, cid) == {employee["primaryEmail"].lower(): BUSINESS_STARTER}
    for user in (contractor, temp):
        assert_lic_error(execute_error(assignments(lic_a).get(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                                              userId=user["primaryEmail"])), 404, "notFound")
    assert licensed(svc_a, sub) == 1


def test_rules_apply_per_product(partnerd, svc_a, lic_a, dir_a, cust, cid, domain):
    starter = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    drive = insert_sub(svc_a, cust, flexible(DRIVE_20GB, 5))
    insert_ou(dir_a, cid, "Design")
    put_auto_licensing(partnerd, cid, [rule("/", BUSINESS_STARTER), rule("/Design", DRIVE_20GB, DRIVE_STORAGE)])

    designer = new_user(dir_a, domain, "designer", "/Design")
    clerk = new_user(dir_a, domain, "clerk")

    # The /Design rule for Drive storage does not replace the / rule for Workspace.
    assert holders(lic_a, WORKSPACE, cid) == {
        designer["primaryEmail"].lower(): BUSINESS_STARTER,
        clerk["primaryEmail"].lower(): BUSINESS_STARTER,
    }
    assert holders(lic_a, DRIVE_STORAGE, cid) == {designer["primaryEmail"].lower(): DRIVE_20GB}
    assert (licensed(svc_a, starter), licensed(svc_a, drive)) == (2, 1)


def test_disabled_turns_automatic_licensing_off_for_everyone(partnerd, svc_a, lic_a, dir_a, cust, cid, domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    insert_ou(dir_a, cid, "Sales")
    rules = [rule("/", BUSINESS_STARTER), rule("/Sales", BUSINESS_STARTER)]
    put_auto_licensing(partnerd, cid, rules, enabled=False)
    assert_settings(get_auto_licensing(partnerd, cid), False, rules)

    off_root = new_user(dir_a, domain, "off-root")
    off_sales = new_user(dir_a, domain, "off-sales", "/Sales")
    assert holders(lic_a, WORKSPACE, cid) == {}
    assert licensed(svc_a, sub) == 0

    put_auto_licensing(partnerd, cid, rules, enabled=True)
    on_sales = new_user(dir_a, domain, "on-sales", "/Sales")
    assert holders(lic_a, WORKSPACE, cid) == {on_sales["primaryEmail"].lower(): BUSINESS_STARTER}
    for user in (off_root, off_sales):  # re-enabling does not reach back to existing users
        assert workspace_of(lic_a, cid, user) is None
    assert licensed(svc_a, sub) == 1


@pytest.mark.parametrize("body", [flexible(BUSINESS_STARTER, 1), annual(BUSINESS_STARTER, 1)],
                         ids=["flexible", "annual"])
def test_no_free_seat_creates_the_user_without_a_licence(partnerd, svc_a, lic_a, dir_a, cust, cid, domain, body):
    sub = insert_sub(svc_a, cust, body)
    put_auto_licensing(partnerd, cid, [rule("/", BUSINESS_STARTER)])

    first = new_user(dir_a, domain, "first")
    second = new_user(dir_a, domain, "second")  # created all the same

    assert dir_a.users().get(userKey=second["id"]).execute()["primaryEmail"] == second["primaryEmail"]
    assert holders(lic_a, WORKSPACE, cid) == {first["primaryEmail"].lower(): BUSINESS_STARTER}
    assert licensed(svc_a, sub) == 1


def test_no_subscription_of_the_sku_creates_the_user_without_a_licence(partnerd, svc_a, lic_a, dir_a, cust, cid,
                                                                       domain):
    essentials = insert_sub(svc_a, cust, flexible(ESSENTIALS, 5))
    insert_ou(dir_a, cid, "Sales")
    put_auto_licensing(partnerd, cid, [rule("/", BUSINESS_STARTER), rule("/Sales", ESSENTIALS)])

    at_root = new_user(dir_a, domain, "at-root")
    in_sales = new_user(dir_a, domain, "in-sales", "/Sales")

    assert dir_a.users().get(userKey=at_root["id"]).execute()["primaryEmail"] == at_root["primaryEmail"]
    assert holders(lic_a, WORKSPACE, cid) == {in_sales["primaryEmail"].lower(): ESSENTIALS}
    assert licensed(svc_a, essentials) == 1


def test_automatically_given_licence_behaves_like_an_assigned_one(partnerd, svc_a, lic_a, dir_a, cust, cid, domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    put_auto_licensing(partnerd, cid, [rule("/", BUSINESS_STARTER)])
    user = new_user(dir_a, domain)
    assert licensed(svc_a, sub) == 1

    assert_lic_error(execute_error(assignments(lic_a).insert(productId=WORKSPACE, skuId=BUSINESS_STARTER,
                                                             body={"userId": user["primaryEmail"]})),
                     412, "conditionNotMet")
    assignments(lic_a).delete(productId=WORKSPACE, skuId=BUSINESS_STARTER, userId=user["primaryEmail"]).execute()
    assert licensed(svc_a, sub) == 0
    assert workspace_of(lic_a, cid, user) is None


def test_vault_rule_with_no_vault_subscription_leaves_workspace_alone(partnerd, svc_a, lic_a, dir_a, cust, cid,
                                                                      domain):
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 5))
    put_auto_licensing(partnerd, cid, [rule("/", BUSINESS_STARTER), rule("/", VAULT, "Google-Vault")])
    user = new_user(dir_a, domain)
    assert workspace_of(lic_a, cid, user) == BUSINESS_STARTER
    assert holders(lic_a, "Google-Vault", cid) == {}
    assert licensed(svc_a, sub) == 1


# ---------------------------------------------------------------------------
# Concurrency
# ---------------------------------------------------------------------------


CREATORS = 8


@pytest.mark.parametrize("round_no", [1, 2])
def test_concurrent_user_creation_never_oversubscribes(partnerd, svc_a, lic_a, round_no):
    """8 threads (own clients) create users at once while automatic licensing
    has one free seat to give: every user is created, exactly one gets it."""
    cust = new_customer(partnerd, svc_a)
    cid, domain = cust["customerId"], cust["customerDomain"]
    sub = insert_sub(svc_a, cust, flexible(BUSINESS_STARTER, 1))
    put_auto_licensing(partnerd, cid, [rule("/", BUSINESS_STARTER)])

    services = []
    for _ in range(CREATORS):
        creds = partnerd.directory_credentials(partnerd.a)
        creds.refresh(google.auth.transport.requests.Request())  # no token fetch inside the race
        services.append(partnerd.build_directory(creds))
    barrier = threading.Barrier(CREATORS)
    results: list = [None] * CREATORS

    def run(i):
        request = services[i].users().insert(body=quick_user_body(domain, f"racer{i}"))
        barrier.wait(timeout=30)
        try:
            results[i] = ("ok", request.execute())
        except Exception as e:  # noqa: BLE001 - every outcome is recorded and checked below
            results[i] = ("error", e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CREATORS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(r is not None for r in results), f"some creators did not finish: {results!r}"
    failed = [value for kind, value in results if kind != "ok"]
    assert not failed, f"user creation failed: {failed!r}"

    held = holders(lic_a, WORKSPACE, cid)
    created = {value["primaryEmail"].lower() for _, value in results}
    assert len(held) == 1 and set(held) <= created, (
        f"licences given: {held!r}; licensedNumberOfSeats now {licensed(svc_a, sub)}"
    )
    assert licensed(svc_a, sub) == 1
