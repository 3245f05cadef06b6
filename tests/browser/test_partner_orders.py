"""Ordering and changing subscriptions in the Partner Sales Console, in a browser: an
order on each plan type (annual monthly, annual yearly, flexible, trial), then licences,
plan, renewal, suspend and activate, an upgrade, a cancellation, the order history, and
ending the reseller relationship. The official Python client judges both directions:
what the console did, the API sees (subscriptions.get); what the API did, the console
shows on its next load. Customers are created through the API, as a reseller's code
would."""

from __future__ import annotations

import pytest

from browser.web import WORDS, customer_super_admin, sign_in, staff_user, word
from helpers import domain_customer

STARTER, STANDARD, PLUS = "1010020027", "1010020028", "1010020025"
VAULT = "Google-Vault"


def flat(text: str) -> str:
    return " ".join(text.split())


def main_text(page) -> str:
    return flat(page.locator("main").inner_text())


def row_of(page, product: str):
    """The subscriptions table's row of ``product``."""
    return page.locator("section[aria-labelledby=subs-heading] tbody tr").filter(has_text=product)


def open_customer(page, customer_id: str):
    response = page.goto(f"/partner/customers/{customer_id}")
    assert response.status == 200, f"customer page: HTTP {response.status}"


def order(page, shot, lang: str, customer_id: str, product: str, plan_label: str, seats: int,
          *, via_link: str = "new_service") -> None:
    """Orders ``product`` from the customer page: New service (or Upgrade), the card's
    Select, plan, Number of licenses, Continue, Confirm order."""
    open_customer(page, customer_id)
    if via_link == "new_service":
        page.get_by_role("link", name=word(lang, "new_service"), exact=True).click()
    else:
        row_of(page, via_link[1]).get_by_role("link", name=word(lang, via_link[0]), exact=True).click()
    page.wait_for_load_state("load")
    shot(page, f"cards-{product}")
    card = page.locator("li.product").filter(has=page.get_by_role("heading", name=product, exact=True))
    assert card.count() == 1, f"no card for {product}: {main_text(page)[:800]}"
    card.get_by_role("link", name=word(lang, "select"), exact=True).click()
    page.wait_for_load_state("load")
    page.get_by_label(word(lang, "plan"), exact=True).select_option(label=plan_label)
    page.get_by_label(word(lang, "number_of_licenses"), exact=True).fill(str(seats))
    shot(page, f"form-{product}")
    page.get_by_role("button", name=word(lang, "continue"), exact=True).click()
    page.wait_for_load_state("load")
    shot(page, f"summary-{product}")
    assert plan_label in main_text(page)
    page.get_by_role("button", name=word(lang, "confirm_order"), exact=True).click()
    page.wait_for_load_state("load")
    assert "/order/done" in page.url, f"{page.url}: {main_text(page)[:800]}"
    shot(page, f"ordered-{product}")


def act(page, shot, lang: str, customer_id: str, product: str, action: str, *,
        fill: dict | None = None, choose: dict | None = None) -> None:
    """Opens ``action`` of ``product``'s row, fills the confirmation page, confirms, and
    checks it came back to the customer page with a status line."""
    open_customer(page, customer_id)
    row_of(page, product).get_by_role("link", name=word(lang, action), exact=True).click()
    page.wait_for_load_state("load")
    for label, value in (fill or {}).items():
        page.get_by_label(label, exact=True).fill(value)
    for label, option in (choose or {}).items():
        page.get_by_label(label, exact=True).select_option(label=option)
    shot(page, f"{action}-confirm")
    page.get_by_role("button", name=word(lang, "confirm"), exact=True).click()
    page.wait_for_load_state("load")
    assert f"/partner/customers/{customer_id}?done=" in page.url, f"{page.url}: {main_text(page)[:800]}"
    assert page.get_by_role("status").count() >= 1
    shot(page, f"{action}-done")


def tr(lang: str, en: str, ja: str) -> str:
    return en if lang == "en" else ja


def sub_of(svc, customer_id: str, sku: str) -> dict:
    subs = svc.subscriptions().list(customerId=customer_id).execute().get("subscriptions", [])
    found = [s for s in subs if s["skuId"] == sku]
    assert len(found) == 1, f"{sku}: {[(s['skuId'], s['status']) for s in subs]}"
    return svc.subscriptions().get(customerId=customer_id, subscriptionId=found[0]["subscriptionId"]).execute()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_orders_and_subscription_changes_agree_with_the_api(partnerd, reseller_for, new_page, shot, lang):
    reseller = reseller_for(lang)
    svc = partnerd.service(reseller)
    user = staff_user(partnerd, reseller, lang=lang, super_admin=True)
    page = new_page(lang)
    sign_in(page, lang, user["email"], user["password"])
    plan = {
        "annual_monthly": tr(lang, "Annual Plan (Monthly Payment)", "年間プラン（月払い）"),
        "annual_yearly": tr(lang, "Annual Plan (Yearly Payment)", "年間プラン（年払い）"),
        "flexible": tr(lang, "Flexible Plan", "フレキシブル プラン"),
        "trial": tr(lang, "Trial", "試用版"),
    }

    # 1. Annual plan, monthly payment, for a customer that has not accepted the Terms yet.
    annual = svc.customers().insert(body=domain_customer()).execute()
    aid = annual["customerId"]
    order(page, shot, lang, aid, "Google Workspace Business Starter", plan["annual_monthly"], 12)
    assert word(lang, "tos_pending") in main_text(page), main_text(page)
    page.get_by_role("button", name=word(lang, "send_reminder"), exact=True).click()
    page.wait_for_load_state("load")
    assert page.get_by_role("status").count() >= 2, main_text(page)
    shot(page, "reminded")
    got = sub_of(svc, aid, STARTER)
    assert (got["plan"]["planName"], got["seats"]["numberOfSeats"]) == ("ANNUAL", 12), got
    assert got["status"] == "SUSPENDED" and got["suspensionReasons"] == ["PENDING_TOS_ACCEPTANCE"], got
    # The customer accepts the Terms (outside the console): the next load shows Active.
    partnerd.accept_tos(aid)
    open_customer(page, aid)
    assert word(lang, "status_active") in flat(row_of(page, "Business Starter").inner_text())
    shot(page, "accepted")

    # Licences of an annual plan: Change licenses, 12 -> 15; the history says "15, added 3".
    act(page, shot, lang, aid, "Business Starter", "change_licenses",
        fill={word(lang, "number_of_licenses"): "15"})
    assert sub_of(svc, aid, STARTER)["seats"]["numberOfSeats"] == 15
    history = page.locator("section[aria-labelledby=history-heading]")
    assert word(lang, "order_history") in flat(history.inner_text())
    assert word(lang, "seats_added", count=15, change=3) in flat(history.inner_text()), flat(history.inner_text())
    assert "subscription.changeSeats" not in flat(history.inner_text()), "raw action names shown"
    # Who: the reseller's user by name, and the customer for the Terms it accepted.
    who = history.locator("tbody td:nth-child(2)").all_inner_texts()
    assert user["email"] in who and word(lang, "who_customer") in who, who
    # Renewal settings: switch to the Flexible Plan at the end of the term.
    act(page, shot, lang, aid, "Business Starter", "renewal_settings",
        choose={word(lang, "renewal_label"): tr(lang, "Switch to the Flexible Plan", "フレキシブル プランに切り替え")})
    assert sub_of(svc, aid, STARTER)["renewalSettings"]["renewalType"] == "SWITCH_TO_PAY_AS_YOU_GO"
    # Upgrade: Business Starter -> Business Standard, on the annual plan, as a switch.
    order(page, shot, lang, aid, "Google Workspace Business Standard", plan["annual_monthly"], 15,
          via_link=("upgrade", "Business Starter"))
    got = sub_of(svc, aid, STANDARD)
    assert (got["plan"]["planName"], got["seats"]["numberOfSeats"], got["status"]) == ("ANNUAL", 15, "ACTIVE"), got
    skus = [s["skuId"] for s in svc.subscriptions().list(customerId=aid).execute().get("subscriptions", [])
            if s["status"] != "CANCELLED"]
    assert STARTER not in skus, skus
    # What the API does, the console shows: seats changed through the API.
    svc.subscriptions().changeSeats(customerId=aid, subscriptionId=got["subscriptionId"],
                                    body={"numberOfSeats": 20}).execute()
    open_customer(page, aid)
    assert "20" in flat(row_of(page, "Business Standard").inner_text())
    shot(page, "api-seats-shown")

    # 2. Annual plan, yearly payment; 3. Flexible with licence cap, plan change, suspend.
    verified = svc.customers().insert(body=domain_customer()).execute()
    vid = verified["customerId"]
    partnerd.accept_tos(vid)
    partnerd.verify_domain(vid)
    order(page, shot, lang, vid, "Google Workspace Business Plus", plan["flexible"], 20)
    got = sub_of(svc, vid, PLUS)
    assert (got["plan"]["planName"], got["seats"]["maximumNumberOfSeats"], got["status"]) == ("FLEXIBLE", 20, "ACTIVE")
    act(page, shot, lang, vid, "Business Plus", "change_license_cap", fill={word(lang, "number_of_licenses"): "25"})
    assert sub_of(svc, vid, PLUS)["seats"]["maximumNumberOfSeats"] == 25
    act(page, shot, lang, vid, "Business Plus", "suspend_action")
    assert sub_of(svc, vid, PLUS)["status"] == "SUSPENDED"
    open_customer(page, vid)
    assert word(lang, "status_suspended") in flat(row_of(page, "Business Plus").inner_text())
    act(page, shot, lang, vid, "Business Plus", "activate_action")
    assert sub_of(svc, vid, PLUS)["status"] == "ACTIVE"
    act(page, shot, lang, vid, "Business Plus", "change_plan",
        choose={word(lang, "plan"): plan["annual_yearly"]}, fill={word(lang, "number_of_licenses"): "25"})
    got = sub_of(svc, vid, PLUS)
    assert (got["plan"]["planName"], got["seats"]["numberOfSeats"]) == ("ANNUAL_YEARLY_PAY", 25), got
    # An add-on on the Flexible Plan, then Cancel subscription (a Workspace edition is
    # never offered for cancelling).
    order(page, shot, lang, vid, "Google Vault", plan["flexible"], 5)
    vault = sub_of(svc, vid, VAULT)
    open_customer(page, vid)
    assert row_of(page, "Business Plus").get_by_role("link", name=word(lang, "cancel_subscription")).count() == 0
    act(page, shot, lang, vid, "Google Vault", "cancel_subscription")
    from googleapiclient.errors import HttpError
    with pytest.raises(HttpError) as gone:
        svc.subscriptions().get(customerId=vid, subscriptionId=vault["subscriptionId"]).execute()
    assert gone.value.resp.status == 404

    # 4. Trial: ordered, a plan chosen for after it, then Start paid service.
    trial = svc.customers().insert(body=domain_customer()).execute()
    tid = trial["customerId"]
    partnerd.accept_tos(tid)
    order(page, shot, lang, tid, "Google Workspace Business Standard", plan["trial"], 5)
    got = sub_of(svc, tid, STANDARD)
    assert got["plan"]["planName"] == "TRIAL" and got["trialSettings"]["isInTrial"] is True, got
    act(page, shot, lang, tid, "Business Standard", "change_plan",
        choose={word(lang, "plan"): plan["flexible"]}, fill={word(lang, "number_of_licenses"): "5"})
    act(page, shot, lang, tid, "Business Standard", "start_paid_service")
    got = sub_of(svc, tid, STANDARD)
    assert got["plan"]["planName"] == "FLEXIBLE" and got["trialSettings"]["isInTrial"] is False, got

    # Ending the reseller relationship: a customer with a super admin and a subscription
    # bought through the API; the confirmation says what happens.
    admin = customer_super_admin(partnerd, reseller, lang=lang)
    did = admin["customer"]["customerId"]
    bought = svc.subscriptions().insert(customerId=did, body={
        "skuId": STARTER, "plan": {"planName": "FLEXIBLE"}, "seats": {"maximumNumberOfSeats": 3},
    }).execute()
    open_customer(page, did)
    assert row_of(page, "Business Starter").count() == 1, "the API's order is not shown"
    quick = page.locator("nav[aria-labelledby=quick-links-heading]")
    assert quick.get_by_role("link", name=word(lang, "admin_console_link"), exact=True).get_attribute("href") \
        == f"/admin/customers/{did}"
    row_of(page, "Business Starter").get_by_role("link", name=word(lang, "transfer_to_google"), exact=True).click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text().strip() == word(lang, "end_relationship")
    assert tr(lang, "cannot be undone", "元に戻せません") in main_text(page)
    shot(page, "transfer-confirm")
    page.get_by_role("button", name=word(lang, "confirm"), exact=True).click()
    page.wait_for_load_state("load")
    shot(page, "transferred")
    with pytest.raises(HttpError) as gone:
        svc.subscriptions().get(customerId=did, subscriptionId=bought["subscriptionId"]).execute()
    assert gone.value.resp.status in (403, 404)
    # The customer is no longer this reseller's: its page is a 404.
    response = page.goto(f"/partner/customers/{did}")
    assert response.status == 404


@pytest.mark.parametrize("lang", ["id", "fr"])
def test_the_order_pages_use_the_seeds_words(partnerd, reseller_for, new_page, shot, lang):
    reseller = reseller_for(lang)
    svc = partnerd.service(reseller)
    user = staff_user(partnerd, reseller, lang=lang, super_admin=True)
    page = new_page(lang)
    sign_in(page, lang, user["email"], user["password"])
    customer = svc.customers().insert(body=domain_customer()).execute()
    cid = customer["customerId"]
    open_customer(page, cid)
    shot(page, "customer")
    assert page.get_by_role("heading", name=word(lang, "subscriptions"), exact=True).count() == 1
    assert page.get_by_role("heading", name=word(lang, "order_history"), exact=True).count() == 1
    page.get_by_role("link", name=word(lang, "new_service"), exact=True).click()
    page.wait_for_load_state("load")
    shot(page, "cards")
    # The domain is not verified: the seeds' sentence about Google Vault, and no Vault card.
    assert word(lang, "unverified_note") in main_text(page), main_text(page)
    assert page.locator("li.product").filter(has_text="Google Vault").count() == 0
    card = page.locator("li.product").filter(has=page.get_by_role("heading", name="Google Workspace Business Starter", exact=True))
    card.get_by_role("link", name=word(lang, "select"), exact=True).click()
    page.wait_for_load_state("load")
    page.get_by_label(word(lang, "number_of_licenses"), exact=True).fill("2")
    shot(page, "form")
    page.locator("form button[value=review]").click()
    page.wait_for_load_state("load")
    shot(page, "summary")
    page.get_by_role("button", name=word(lang, "confirm_order"), exact=True).click()
    page.wait_for_load_state("load")
    shot(page, "ordered")
    got = sub_of(svc, cid, STARTER)
    assert got["status"] == "SUSPENDED" and got["suspensionReasons"] == ["PENDING_TOS_ACCEPTANCE"]
