"""The Partner Sales Console's customer list in a real browser: its columns, search,
filters, sorting and keyset paging, Download customers (super admins only), and editing a
customer's information — each outcome checked through the official Reseller API client,
and what the API changes shown by the console on the next load."""

from __future__ import annotations

import csv
import io
import secrets

import pytest

from browser.web import path_of, set_password, sign_in, staff_user
from helpers import address, domain_customer
from role_helpers import directory_as, grant


# The list's words in English and Japanese (the Japanese as the page's catalogue has them).
LIST_WORDS = {
    "en": {
        "columns": ["Name", "Domain", "Type", "Subscriptions", "Renewal date", "Creation date",
                    "Products", "License usage"],
        "search": "Search",
        "status": "Subscription status",
        "suspended": "Suspended",
        "sort": "Sort by",
        "renewal": "Renewal date",
        "next": "Next page",
        "first": "First page",
        "download": "Download customers",
        "edit_title": "Edit customer information",
        "organization": "Organization name",
        "alternate": "Alternate email",
        "save": "Save",
        "one_active": "1 active",
        "one_suspended": "1 suspended",
    },
    "ja": {
        "columns": ["組織名", "ドメイン", "タイプ", "サブスクリプション", "更新日", "作成日", "プロダクト",
                    "ライセンスの使用状況"],
        "search": "検索",
        "status": "サブスクリプションのステータス",
        "suspended": "停止中",
        "sort": "並べ替え",
        "renewal": "更新日",
        "next": "次のページ",
        "first": "最初のページ",
        "download": "顧客をダウンロード",
        "edit_title": "顧客情報の編集",
        "organization": "組織名",
        "alternate": "予備のメールアドレス",
        "save": "保存",
        "one_active": "有効 1 件",
        "one_suspended": "停止中 1 件",
    },
}


def own_reseller(partnerd, lang: str) -> dict:
    """A reseller of the test's own (its list holds only what the test puts there), its
    account's language ``lang`` (the admin's pages are in it)."""
    label = f"list-{lang}-{secrets.token_hex(3)}"
    reseller = partnerd.create_reseller(label, f"{label}.example")
    partnerd.directory(reseller).customers().patch(
        customerKey="my_customer", body={"language": lang}
    ).execute()
    return reseller


def column_texts(page, n: int) -> list:
    cells = page.locator(f"table.customers tbody tr td:nth-child({n})")
    return [" ".join(t.split()) for t in cells.all_inner_texts()]


def domains_shown(page) -> list:
    return column_texts(page, 2)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_list_is_searched_filtered_sorted_paged_and_downloaded(partnerd, new_page, shot, lang):
    w = LIST_WORDS[lang]
    reseller = own_reseller(partnerd, lang)
    svc = partnerd.service(reseller)
    tag = secrets.token_hex(3)
    customers = []
    for n in range(55):
        body = domain_customer(f"c{n:02d}-{tag}.com", address_overrides={"organizationName": f"Org {n:02d}"})
        customers.append(svc.customers().insert(body=body).execute())
    annual, flexible = customers[0], customers[1]
    for c in (annual, flexible):
        partnerd.accept_tos(c["customerId"])
    annual_sub = svc.subscriptions().insert(
        customerId=annual["customerId"],
        body={"skuId": "1010020027", "plan": {"planName": "ANNUAL_MONTHLY_PAY"},
              "seats": {"numberOfSeats": 5}},
    ).execute()
    svc.subscriptions().insert(
        customerId=flexible["customerId"],
        body={"skuId": "1010020028", "plan": {"planName": "FLEXIBLE"},
              "seats": {"maximumNumberOfSeats": 30}},
    ).execute()

    # A super admin whose own language setting is the page's (it wins over the browser's).
    admin = staff_user(partnerd, reseller, lang=lang, super_admin=True)
    page = new_page(lang)
    sign_in(page, lang, admin["email"], admin["password"], "/partner")
    assert path_of(page.url) == "/partner", page.url
    headers = [" ".join(t.split()) for t in page.locator("table.customers thead th").all_inner_texts()]
    assert headers == w["columns"], headers
    shown = domains_shown(page)
    assert len(shown) == 50 and shown[0] == annual["customerDomain"], shown[:3]
    assert column_texts(page, 4)[:3] == [w["one_active"], w["one_active"], ""], column_texts(page, 4)[:3]
    assert column_texts(page, 5)[0], "an annual subscription has a renewal date"
    assert column_texts(page, 5)[1] == "", "Flexible has none"
    assert column_texts(page, 8)[1] == "0 / 30", column_texts(page, 8)[1]
    shot(page, "list")

    # Keyset paging: the next page holds the last five, the first page link goes back.
    page.get_by_role("link", name=w["next"], exact=True).click()
    page.wait_for_load_state("load")
    assert domains_shown(page) == [c["customerDomain"] for c in customers[50:]]
    shot(page, "list-next-page")
    page.get_by_role("link", name=w["first"], exact=True).click()
    page.wait_for_load_state("load")
    assert domains_shown(page)[0] == annual["customerDomain"]

    # Search by the start of a name, in any case.
    page.get_by_label(w["search"], exact=True).fill("org 5")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state("load")
    assert domains_shown(page) == [c["customerDomain"] for c in customers[50:]]
    shot(page, "list-search")

    # What the API does, the list shows on the next load: suspend the annual one.
    svc.subscriptions().suspend(customerId=annual["customerId"], subscriptionId=annual_sub["subscriptionId"]).execute()
    page.get_by_label(w["search"], exact=True).fill("")
    page.get_by_label(w["status"], exact=True).select_option("suspended")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state("load")
    assert domains_shown(page) == [annual["customerDomain"]], domains_shown(page)
    assert column_texts(page, 4) == [w["one_suspended"]]
    shot(page, "list-filter-suspended")

    # Renewal order: the one annual customer first, the rest by domain after it.
    page.get_by_label(w["status"], exact=True).select_option("")
    page.get_by_label(w["sort"], exact=True).select_option("renewal")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state("load")
    shown = domains_shown(page)
    assert shown[0] == annual["customerDomain"] and shown[1] == flexible["customerDomain"], shown[:3]
    shot(page, "list-by-renewal")
    page.get_by_role("link", name=w["next"], exact=True).click()
    page.wait_for_load_state("load")
    assert len(domains_shown(page)) == 5, "renewal order pages neither skip nor repeat"

    # A date that is not one is marked beside its field, and no list is guessed.
    page.goto("/partner?renews_from=31.12.2027")
    assert page.locator("#renews_from").get_attribute("aria-invalid") == "true"
    assert page.locator("#renews_from-error").count() == 1
    assert page.locator("table.customers").count() == 0
    shot(page, "list-filter-error")

    # Download customers: the filtered list as CSV.
    page.goto("/partner?sku=1010020028")
    with page.expect_download() as download:
        page.get_by_role("link", name=w["download"], exact=True).click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert rows[0][:3] == [w["columns"][0], "Cloud Identity ID", w["columns"][1]], rows[0]
    assert [r[2] for r in rows[1:]] == [flexible["customerDomain"]], rows
    api_subs = svc.subscriptions().list(customerId=flexible["customerId"]).execute()["subscriptions"]
    assert len(api_subs) == 1 and api_subs[0]["skuId"] == "1010020028"


def test_customer_information_is_edited_and_the_api_sees_it(partnerd, new_page, shot):
    reseller = own_reseller(partnerd, "en")
    svc = partnerd.service(reseller)
    customer = svc.customers().insert(body=domain_customer()).execute()
    w = LIST_WORDS["en"]
    page = new_page("en")
    sign_in(page, "en", reseller["adminEmail"], reseller["password"], "/partner")
    page.goto(f"/partner/customers/{customer['customerId']}")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text().strip() == w["edit_title"]
    assert page.get_by_label(w["organization"], exact=True).input_value() == address()["organizationName"]
    shot(page, "edit-form")
    page.get_by_label(w["organization"], exact=True).fill("Renamed Widgets")
    # An alternate email on the customer's own domain is refused beside its field.
    page.get_by_label(w["alternate"], exact=True).fill("ops@" + customer["customerDomain"])
    page.get_by_role("button", name=w["save"], exact=True).click()
    page.wait_for_load_state("load")
    alternate = page.get_by_label(w["alternate"], exact=True)
    assert alternate.get_attribute("aria-invalid") == "true"
    assert "alternate_email-error" in (alternate.get_attribute("aria-describedby") or "")
    assert page.get_by_label(w["organization"], exact=True).input_value() == "Renamed Widgets"
    shot(page, "edit-error")
    unchanged = svc.customers().get(customerId=customer["customerId"]).execute()
    assert unchanged["postalAddress"]["organizationName"] == address()["organizationName"]

    alternate.fill("ops@elsewhere.example")
    page.get_by_role("button", name=w["save"], exact=True).click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == f"/partner/customers/{customer['customerId']}", page.url
    assert "The customer information was saved." in page.get_by_role("status").first.inner_text()
    shot(page, "edit-saved")
    seen = svc.customers().get(customerId=customer["customerId"]).execute()
    assert seen["postalAddress"]["organizationName"] == "Renamed Widgets"
    assert seen["alternateEmail"] == "ops@elsewhere.example"

    # The customer switcher: a domain prefix opens that customer's page.
    other = svc.customers().insert(body=domain_customer()).execute()
    page.goto(f"/partner/customers/{customer['customerId']}/edit")
    page.get_by_role("searchbox", name="Switch customer", exact=True).fill(other["customerDomain"][:-4])
    page.get_by_role("button", name="Go", exact=True).click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == f"/partner/customers/{other['customerId']}", page.url
    shot(page, "switched")

    # What the API changes, the form shows on the next load.
    svc.customers().patch(customerId=customer["customerId"],
                          body={"postalAddress": {"organizationName": "Via API"}}).execute()
    page.goto(f"/partner/customers/{customer['customerId']}/edit")
    assert page.get_by_label(w["organization"], exact=True).input_value() == "Via API"


def test_only_super_admins_download_and_only_editors_edit(partnerd, new_page, shot):
    reseller = own_reseller(partnerd, "en")
    svc = partnerd.service(reseller)
    customer = svc.customers().insert(body=domain_customer()).execute()
    admin_dir = directory_as(partnerd, reseller)
    viewer = grant(partnerd, reseller, admin_dir, privileges=["RESELLER_VIEW_CUSTOMERS"])
    password = "Pw-" + secrets.token_hex(8)
    set_password(partnerd, viewer["email"], password, reseller, changePasswordAtNextLogin=False)
    page = new_page("en")
    sign_in(page, "en", viewer["email"], password, "/partner")
    assert path_of(page.url) == "/partner"
    assert customer["customerDomain"] in domains_shown(page)
    assert page.get_by_role("link", name=LIST_WORDS["en"]["download"], exact=True).count() == 0
    shot(page, "viewer-list")
    response = page.goto("/partner/customers.csv")
    assert response.status == 403, response.status
    assert "text/csv" not in (response.headers.get("content-type") or "")
    shot(page, "viewer-download-refused")
    page.goto(f"/partner/customers/{customer['customerId']}")
    assert page.get_by_role("link", name="Edit", exact=True).count() == 0, "Edit is offered to a viewer"
    response = page.goto(f"/partner/customers/{customer['customerId']}/edit")
    assert response.status == 403, response.status
    shot(page, "viewer-edit-refused")
