"""The Partner Sales Console's Create customer and Import pages in a browser: a domain
customer, a team customer and an educational institution are created through the form
(and the official client then sees them, with no subscription yet, and the welcome
e-mail is in the outbox with the temporary password); every field error shows beside
its field; a taken domain leads to the import, which moves a customer of another
reseller with a real transfer token (the API then sees the subscription moved); and
tokens that do not fit are explained. In English and Japanese, with the seeds' words
checked in Indonesian and French. ``shot`` photographs and axe-scans every screen."""

from __future__ import annotations

import secrets

import pytest

from browser.web import WORDS, path_of, sign_in, staff_user, word
from helpers import execute_error
from mail_helpers import mail_list
from sub_helpers import BUSINESS_STARTER, DAY_S, flexible, insert_sub, new_customer


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}.example"


def control(page, lang: str, key: str, name: str):
    """The control labelled with the word ``key`` of ``lang`` (by name where the
    contract fixes no word for that language)."""
    label = WORDS[lang].get(key)
    if label is not None:
        return page.locator("main").get_by_label(label, exact=True)
    return page.locator(f"main [name={name}]:not([type=hidden])")


def main_text(page) -> str:
    return " ".join(page.locator("main").inner_text().split())


def signed_in_staff(partnerd, reseller_for, new_page, lang: str, reseller=None):
    reseller = reseller or reseller_for(lang)
    user = staff_user(partnerd, reseller, lang=lang, super_admin=True)
    page = new_page(lang)
    sign_in(page, lang, user["email"], user["password"])
    assert path_of(page.url) in ("/", "/partner"), page.url
    return page, reseller


def open_create(page, lang: str, shot):
    page.goto("/partner")
    shot(page, "customers")
    page.locator("main").get_by_role("link", name=word(lang, "create_customer"), exact=True).click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == "/partner/customers/new", page.url
    shot(page, "create-form")


def fill_domain_customer(page, lang: str, domain: str, *, name: str = "Sakura Gakuen") -> None:
    control(page, lang, "organization_name", "organization_name").fill(name)
    control(page, lang, "domain", "domain").fill(domain)
    control(page, lang, "crm_id", "crm_id").fill("CRM-1001")
    control(page, lang, "contact_name", "contact_name").fill("Hanako Yamada")
    page.locator("main [name=address_line]").fill("1-1 Chiyoda")
    page.locator("main [name=locality]").fill("Tokyo")
    control(page, lang, "postal_code", "postal_code").fill("100-0001")
    control(page, lang, "country", "country").select_option("JP")
    control(page, lang, "alternate_email", "alternate_email").fill("it@sakura-mail.example")
    control(page, lang, "phone", "phone").fill("+81 3-1234-5678")


def click_create(page, lang: str) -> None:
    page.locator("main form").get_by_role("button", name=word(lang, "create"), exact=True).click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_domain_customer_is_created_and_the_api_sees_it(partnerd, reseller_for, new_page, shot, lang):
    page, reseller = signed_in_staff(partnerd, reseller_for, new_page, lang)
    open_create(page, lang, shot)
    main = page.locator("main")
    for key in ("product_family", "organization_info"):
        assert main.get_by_role("group", name=word(lang, key), exact=True).count() == 1, key
    assert main.get_by_label(word(lang, "domain_customer"), exact=True).is_checked()
    assert word(lang, "team_considerations") in main_text(page)
    # Only countries open to resale.
    offered = control(page, lang, "country", "country").locator("option").evaluate_all(
        "os => os.map(o => o.value)")
    assert "JP" in offered and "ID" in offered and "KP" not in offered and "CU" not in offered

    domain = unique("sakura")
    fill_domain_customer(page, lang, domain)
    click_create(page, lang)
    shot(page, "created")
    username = page.locator("#username").inner_text().strip()
    password = page.locator("#temporary-password").inner_text().strip()
    assert username == f"admin@{domain}", "the super admin is proposed as admin@ the domain"
    assert len(password) >= 12

    # What the console created, the API sees: the record, and no subscription yet.
    svc = partnerd.service(reseller)
    customer = svc.customers().get(customerId=domain).execute()
    assert customer["postalAddress"]["organizationName"] == "Sakura Gakuen"
    assert customer["postalAddress"]["countryCode"] == "JP"
    assert customer["postalAddress"]["postalCode"] == "100-0001"
    assert customer["alternateEmail"] == "it@sakura-mail.example"
    assert customer["phoneNumber"].replace(" ", "").replace("-", "") == "+81312345678"
    assert customer["customerType"] == "domain"
    assert "education" not in customer, "the console-only flag never reaches the wire"
    subs = svc.subscriptions().list(customerId=customer["customerId"]).execute()
    assert subs.get("subscriptions", []) == []

    # The welcome e-mail, to the admin and the alternate address, in the customer's language.
    for to in (username, "it@sakura-mail.example"):
        messages = [m for m in mail_list(partnerd, to=to) if m["customerId"] == customer["customerId"]]
        assert len(messages) == 1, messages
        message = messages[0]
        assert message["customerId"] == customer["customerId"]
        assert message["language"] == lang
        for needed in (username, password, partnerd.base_url + "/signin"):
            assert needed in message["text"], message["text"]

    purchase = main.get_by_role("link", name=word(lang, "purchase"), exact=True)
    assert purchase.get_attribute("href") == f"/partner/customers/{customer['customerId']}/order"
    main.get_by_role("link", name=word(lang, "close"), exact=True).click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == "/partner", page.url
    shot(page, "customers-after")
    assert domain in main_text(page)

    # The temporary password signs in once, straight into the forced change.
    first = new_page(lang)
    sign_in(first, lang, username, password)
    assert path_of(first.url) == "/signin/password", first.url
    shot(first, "first-sign-in")


def test_a_team_customer_and_an_educational_institution(partnerd, new_page, shot):
    lang = "en"
    page, reseller = signed_in_staff(partnerd, None, new_page, lang, reseller=partnerd.a)
    open_create(page, lang, shot)
    main = page.locator("main")
    main.get_by_label(word(lang, "team_customer"), exact=True).check()
    main.get_by_label(word(lang, "education"), exact=True).check()
    domain = unique("team")
    control(page, lang, "organization_name", "organization_name").fill("Robotics Club")
    control(page, lang, "domain", "domain").fill(domain)
    control(page, lang, "primary_email", "primary_email").fill("coach@club-mail.example")
    shot(page, "team-filled")
    click_create(page, lang)
    shot(page, "team-created")
    assert page.locator("#username").inner_text().strip() == "coach@club-mail.example"
    svc = partnerd.service(reseller)
    customer = svc.customers().get(customerId=domain).execute()
    assert customer["customerType"] == "team"
    assert "education" not in customer
    # The console shows the stored flag: the list's Type column and the customer's badge.
    page.goto("/partner?q=" + domain)
    shot(page, "team-listed")
    row = main.locator("tbody tr", has_text=domain)
    assert "Team customer" in row.inner_text() and "Educational institution" in row.inner_text()
    row.get_by_role("link").first.click()
    page.wait_for_load_state("load")
    shot(page, "team-page")
    assert main.locator(".badges li", has_text="Educational institution").count() == 1
    # A domain customer that is an educational institution, too.
    open_create(page, lang, shot)
    school = unique("school")
    fill_domain_customer(page, lang, school, name="Hill School")
    main.get_by_label(word(lang, "education"), exact=True).check()
    click_create(page, lang)
    shot(page, "school-created")
    page.goto("/partner?q=" + school)
    assert "Educational institution" in main.locator("tbody tr", has_text=school).inner_text()
    assert svc.customers().get(customerId=school).execute()["customerType"] == "domain"


def test_every_field_error_shows_beside_its_field_and_nothing_is_created(partnerd, new_page, shot):
    lang = "en"
    page, reseller = signed_in_staff(partnerd, None, new_page, lang, reseller=partnerd.a)
    open_create(page, lang, shot)
    domain = unique("bad")
    control(page, lang, "domain", "domain").fill("www." + domain)
    control(page, lang, "primary_email", "primary_email").fill("boss@elsewhere.example")
    control(page, lang, "alternate_email", "alternate_email").fill("not-an-address")
    control(page, lang, "phone", "phone").fill("12345")
    control(page, lang, "crm_id", "crm_id").fill("x" * 65)
    control(page, lang, "postal_code", "postal_code").fill("ABC")
    control(page, lang, "country", "country").select_option("JP")
    click_create(page, lang)
    shot(page, "errors")
    assert path_of(page.url) == "/partner/customers/new"
    expected = {
        "organization_name": "Enter a value.",
        "domain": "Enter a registered domain such as example.com, without www.",
        "contact_name": "Enter a value.",
        "postal_code": "Enter a postal code of the chosen country.",
        "alternate_email": "Enter a valid email address that is not on the customer's domain.",
        "phone": "Enter a real phone number starting with + and the country code.",
        "crm_id": "Use at most 64 characters.",
    }
    for name, message in expected.items():
        field = page.locator(f"main [name={name}]:not([type=hidden])")
        assert field.get_attribute("aria-invalid") == "true", name
        assert f"{name}-error" in (field.get_attribute("aria-describedby") or "").split(), name
        assert page.locator(f"#{name}-error").inner_text().strip() == message, name
    # What was typed is kept.
    assert control(page, lang, "domain", "domain").input_value() == "www." + domain
    assert control(page, lang, "country", "country").input_value() == "JP"
    # Nothing was created.
    svc = partnerd.service(reseller)
    for key in ("www." + domain, domain):
        error = execute_error(svc.customers().get(customerId=key))
        assert error.resp.status in (400, 404), key
    assert mail_list(partnerd, to="boss@elsewhere.example") == []


def transfer_setup(partnerd, receiver: dict):
    """A customer of reseller A holding Business Starter, and its token for ``receiver``."""
    svc_a = partnerd.service(partnerd.a)
    customer = new_customer(partnerd, svc_a)
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, seats=7))
    token = partnerd.transfer_token(customer["customerId"], receiver["publicId"])["customerAuthToken"]
    return customer, sub, token


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_taken_domain_leads_to_an_import_with_a_real_token(partnerd, reseller_for, new_page, shot, lang):
    receiver = partnerd.b if lang == "en" else reseller_for(lang)
    customer, sub, token = transfer_setup(partnerd, receiver)
    domain = customer["customerDomain"]
    page, _ = signed_in_staff(partnerd, reseller_for, new_page, lang, reseller=receiver)
    open_create(page, lang, shot)
    fill_domain_customer(page, lang, domain)
    click_create(page, lang)
    # Not an error page: the import form, the domain filled in, and why.
    assert path_of(page.url) == "/partner/import", page.url
    shot(page, "import-existing")
    assert page.locator("main [name=domain]").input_value() == domain
    assert domain in page.locator("main .notice").inner_text()
    control(page, lang, "transfer_token", "token").fill(token)
    page.locator("main form").get_by_role("button", name=word(lang, "import_button"), exact=True).click()
    page.wait_for_load_state("load")
    shot(page, "import-choices")
    rows = page.locator("main tbody tr")
    assert rows.count() == 1
    assert "Business Starter" in rows.first.inner_text()
    seats = page.locator("main [name=seats_0]")
    assert int(seats.input_value()) >= int(seats.get_attribute("min"))
    plans = page.locator("main [name=plan_0] option").evaluate_all("os => os.map(o => o.value)")
    assert "FLEXIBLE" in plans and "TRIAL" not in plans, plans
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    shot(page, "imported")
    assert "Business Starter" in main_text(page)

    # The API sees the move: the receiver manages the customer and holds the subscription;
    # the losing reseller lost it and was told (its event log has the transfer out).
    svc_r = partnerd.service(receiver)
    view = svc_r.customers().get(customerId=customer["customerId"]).execute()
    assert "postalAddress" in view, "the receiver sees the whole customer now"
    held = svc_r.subscriptions().list(customerId=customer["customerId"]).execute()["subscriptions"]
    assert [s["skuId"] for s in held] == [BUSINESS_STARTER]
    svc_a = partnerd.service(partnerd.a)
    gone = execute_error(svc_a.subscriptions().get(customerId=sub["customerId"], subscriptionId=sub["subscriptionId"]))
    assert gone.resp.status in (403, 404)
    actions = [e.get("action") for e in partnerd.events(partnerd.a["domain"])
               if e.get("resourceId") == sub["subscriptionId"]]
    assert "subscription.transferOut" in actions, actions


TOKEN_WORDS = {
    "en": {"unknown": "This transfer token is not valid.",
           "other": "This transfer token was generated for another reseller.",
           "expired": "This transfer token has expired.",
           "stays": "Stays with its current reseller: the customer has not given you purchase consent for Google Workspace."},
    "ja": {"unknown": "この転送トークンは無効です。",
           "other": "この転送トークンは別の販売パートナー用に生成されました。",
           "expired": "この転送トークンは有効期限が切れています。",
           "stays": "現在の販売パートナーのままです: 顧客は Google Workspace の購入に関する同意をまだ付与していません。"},
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_tokens_that_do_not_fit_are_explained(partnerd, reseller_for, new_page, shot, lang):
    receiver = partnerd.b if lang == "en" else reseller_for(lang)
    customer, _, _ = transfer_setup(partnerd, receiver)
    # A token the customer made for yet another reseller.
    other = reseller_for("fr")
    elsewhere = partnerd.transfer_token(customer["customerId"], other["publicId"])["customerAuthToken"]
    page, _ = signed_in_staff(partnerd, reseller_for, new_page, lang, reseller=receiver)
    page.goto("/partner")
    page.locator("main").get_by_role("link", name=word(lang, "import_customer"), exact=True).click()
    page.wait_for_load_state("load")
    shot(page, "import-form")
    for case, value in (("unknown", "0123456789abcdef0123"), ("other", elsewhere)):
        page.locator("main [name=domain]").fill(customer["customerDomain"])
        control(page, lang, "transfer_token", "token").fill(value)
        page.locator("main form").get_by_role("button", name=word(lang, "import_button"), exact=True).click()
        page.wait_for_load_state("load")
        shot(page, f"token-{case}")
        token_field = page.locator("main [name=token]")
        assert token_field.get_attribute("aria-invalid") == "true"
        message = page.locator("#token-error").inner_text().strip()
        assert message.startswith(TOKEN_WORDS[lang][case]), message
        if case == "other":
            assert receiver["publicId"] in message, "the message names the reseller ID to give"
    # A token of the receiver's own that ran out: the platform clock moves 31 days on
    # (which ends console sessions too, as it ends access tokens: sign in again).
    expiring = partnerd.transfer_token(customer["customerId"], receiver["publicId"])["customerAuthToken"]
    partnerd.advance(31 * DAY_S)
    page, _ = signed_in_staff(partnerd, reseller_for, new_page, lang, reseller=receiver)
    page.goto("/partner/import")
    page.locator("main [name=domain]").fill(customer["customerDomain"])
    control(page, lang, "transfer_token", "token").fill(expiring)
    page.locator("main form").get_by_role("button", name=word(lang, "import_button"), exact=True).click()
    page.wait_for_load_state("load")
    shot(page, "token-expired")
    assert page.locator("main [name=token]").get_attribute("aria-invalid") == "true"
    message = page.locator("#token-error").inner_text().strip()
    assert message.startswith(TOKEN_WORDS[lang]["expired"]), message
    # Nothing moved.
    svc_a = partnerd.service(partnerd.a)
    assert "postalAddress" in svc_a.customers().get(customerId=customer["customerId"]).execute()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_what_the_customer_gave_no_purchase_consent_for_stays(partnerd, reseller_for, new_page, shot, lang):
    receiver = partnerd.b if lang == "en" else reseller_for(lang)
    svc_a = partnerd.service(partnerd.a)
    customer = new_customer(partnerd, svc_a)
    sub = insert_sub(svc_a, customer, flexible(BUSINESS_STARTER, seats=7))
    # The customer chose to move Google Vault only: no consent for Google Workspace.
    token = partnerd.transfer_token(customer["customerId"], receiver["publicId"], ["Google-Vault"])
    page, _ = signed_in_staff(partnerd, reseller_for, new_page, lang, reseller=receiver)
    page.goto("/partner/import")
    page.locator("main [name=domain]").fill(customer["customerDomain"])
    control(page, lang, "transfer_token", "token").fill(token["customerAuthToken"])
    page.locator("main form").get_by_role("button", name=word(lang, "import_button"), exact=True).click()
    page.wait_for_load_state("load")
    shot(page, "import-no-consent")
    row = page.locator("main tbody tr")
    assert row.count() == 1
    assert TOKEN_WORDS[lang]["stays"] in row.first.inner_text()
    assert page.locator("main [name=plan_0]").count() == 0
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    shot(page, "import-no-consent-confirmed")
    assert page.locator("main .problems li").count() >= 1
    # The subscription table stays, with the row that stays where it is.
    assert row.count() == 1 and TOKEN_WORDS[lang]["stays"] in row.first.inner_text()
    # The API agrees: the subscription and the customer stay with reseller A.
    assert get_sub_of(svc_a, sub)["skuId"] == BUSINESS_STARTER
    assert "postalAddress" in svc_a.customers().get(customerId=customer["customerId"]).execute()


def get_sub_of(svc, sub):
    return svc.subscriptions().get(customerId=sub["customerId"], subscriptionId=sub["subscriptionId"]).execute()


@pytest.mark.parametrize("lang", ["id", "fr"])
def test_the_seeds_words_name_the_create_form(partnerd, reseller_for, new_page, shot, lang):
    page, _ = signed_in_staff(partnerd, reseller_for, new_page, lang)
    open_create(page, lang, shot)
    main = page.locator("main")
    assert main.get_by_role("heading", level=1).inner_text().strip() == word(lang, "create_customer")
    for key in ("product_family", "organization_info", "contact_info"):
        assert main.get_by_role("group", name=word(lang, key), exact=True).count() == 1, key
    for key in ("domain_customer", "team_customer", "education", "primary_email", "alternate_email"):
        assert main.get_by_label(word(lang, key), exact=True).count() == 1, key
    assert main.get_by_role("button", name=word(lang, "create"), exact=True).count() == 1
    assert word(lang, "team_considerations") in main_text(page)
    # The result page's Purchase and Close.
    domain = unique(f"seed-{lang}")
    fill_domain_customer(page, lang, domain)
    click_create(page, lang)
    shot(page, "created")
    for key in ("purchase", "close"):
        assert main.get_by_role("link", name=word(lang, key), exact=True).count() == 1, key
