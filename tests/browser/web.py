"""Helpers for the console suites: the words the pages must show in each language,
users to sign in as (made through the Directory API), a ``requests`` client that signs
in through the forms, and servers of a test's own.

Everything talks to the server over HTTP only, like a browser or a reseller's code.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from urllib.parse import parse_qs, urlsplit

import requests
from bs4 import BeautifulSoup

from conftest import POSTGRES_URL, Partnerd, PostgresScratchDb
from dir_helpers import get_user, insert_user, user_body
from helpers import domain_customer

# ---------------------------------------------------------------------------
# Languages: the locale a browser context announces, and the words the pages use
# ---------------------------------------------------------------------------

LOCALES = {"en": "en-US", "id": "id-ID", "fr": "fr-FR", "ja": "ja-JP"}

# The names of the controls are an interface (DESIGN.md, "Consoles"): these are the
# words the pages must use. Entries missing in a language are not fixed by the contract.
WORDS = {
    "en": {
        "signin_title": "Sign in",
        "signin_button": "Sign in",
        "email": "Email",
        "password": "Password",
        "signout": "Sign out",
        "partner": "Partner Sales Console",
        "admin": "Admin console",
        "support": "Customer Service Portal",
        "language": "Language",
        "change_language": "Change language",
        "switch_account": "Switch account",
        "use_another": "Use another account",
        "signed_in_as": "Signed in as {email}",
        "use_account": "Use {email}",
        "failed": "Wrong email or password. Try again.",
        "throttled": "Too many failed attempts. Wait a few minutes and try again.",
        "suspended": "This account is suspended. Ask your administrator.",
        "password_title": "Change your password",
        "new_password": "New password",
        "confirm_password": "Confirm new password",
        "change_password": "Change password",
        "mismatch": "The passwords do not match.",
        "no_reseller_privilege": "This account has no reseller privilege",
        # Orders and subscriptions (Google's English help pages).
        "new_service": "New service",
        "select": "Select",
        "number_of_licenses": "Number of licenses",
        "plan": "Plan",
        "continue": "Continue",
        "confirm_order": "Confirm order",
        "order_history": "Order history",
        "admin_console_link": "Admin console",
        "change_licenses": "Change licenses",
        "change_license_cap": "Change license cap",
        "change_plan": "Change plan",
        "renewal_settings": "Renewal settings",
        "renewal_label": "At the end of the annual term",
        "start_paid_service": "Start paid service",
        "suspend_action": "Suspend",
        "activate_action": "Activate",
        "upgrade": "Upgrade",
        "downgrade": "Downgrade",
        "cancel_subscription": "Cancel subscription",
        "transfer_to_google": "Transfer to Google",
        "end_relationship": "End the reseller relationship",
        "confirm": "Confirm",
        "send_reminder": "Send a reminder e-mail",
        "tos_pending": "stays suspended until an administrator of the customer accepts the Google Terms of Service",
        "status_active": "Active",
        "status_suspended": "Suspended",
        "who_customer": "Customer",
        "seats_added": "{count}, added {change}",
        "create_customer": "Create customer",
        "product_family": "Primary product family",
        "organization_info": "Organization information",
        "domain_customer": "Domain customer",
        "team_customer": "Team customer",
        "education": "Educational institution",
        "organization_name": "Organization name",
        "domain": "Domain",
        "primary_email": "Primary email",
        "crm_id": "CRM ID",
        "contact_info": "Contact information",
        "contact_name": "Contact name",
        "alternate_email": "Alternate email",
        "phone": "Phone number",
        "postal_code": "Postal code",
        "country": "Country",
        "create": "Create",
        "purchase": "Purchase",
        "close": "Close",
        "transfer_token": "Transfer token",
        "import_button": "Import",
        "import_customer": "Import customer",
        "team_considerations": "Considerations for team customers",
    },
    "ja": {
        "signin_title": "ログイン",
        "signin_button": "ログイン",
        "email": "メールアドレス",
        "password": "パスワード",
        "signout": "ログアウト",
        "partner": "パートナー セールス コンソール",
        "admin": "管理コンソール",
        "support": "カスタマー サービス ポータル",
        "new_service": "新しいサービス",
        "select": "選択",
        "number_of_licenses": "ライセンス数",
        "plan": "プラン",
        "continue": "次へ",
        "confirm_order": "注文を確定",
        "order_history": "注文履歴",
        "admin_console_link": "管理コンソール",
        "change_licenses": "ライセンスを変更",
        "change_license_cap": "ライセンスの上限を変更",
        "change_plan": "プランを変更",
        "renewal_settings": "更新設定",
        "renewal_label": "年間契約期間の終了時",
        "start_paid_service": "有料サービスを開始",
        "suspend_action": "停止",
        "activate_action": "有効にする",
        "upgrade": "アップグレード",
        "downgrade": "ダウングレード",
        "cancel_subscription": "定期購入をキャンセル",
        "transfer_to_google": "Google に移管",
        "end_relationship": "販売パートナーとの関係を終了",
        "confirm": "確定",
        "send_reminder": "リマインダー メールを送信",
        # The seed's words: "Google 利用規約に同意".
        "tos_pending": "Google 利用規約に同意するまで",
        "status_active": "有効",
        "status_suspended": "停止中",
        "who_customer": "顧客",
        "seats_added": "{count}、{change} 追加",
        "subscriptions": "定期購入",
        "create_customer": "顧客を作成",
        "product_family": "メインのプロダクト ファミリー",
        "organization_info": "組織の情報",
        "domain_customer": "ドメインタイプのお客様",
        "team_customer": "チームタイプのお客様",
        "education": "教育機関",
        "domain": "ドメイン",
        "primary_email": "メインのメールアドレス",
        "crm_id": "CRM ID",
        "contact_name": "連絡先の名前",
        "alternate_email": "予備のメールアドレス",
        "phone": "電話番号",
        "country": "国",
        "create": "作成",
        "purchase": "購入",
        "close": "閉じる",
        "import_button": "インポート",
        "import_customer": "顧客をインポート",
        "transfer_token": "転送トークン",
        "team_considerations": "メールアドレス確認済みアカウントについて",
    },
    "id": {
        "signin_title": "Login",
        "signin_button": "Login",
        "password": "Sandi",
        "partner": "Konsol Partner Sales",
        "admin": "Konsol Admin",
        "support": "Portal Layanan Pelanggan",
        # The seeds' words: "langganan", "konsol Admin", Google Vault and the domain.
        "new_service": "Layanan baru",
        "select": "Pilih",
        "number_of_licenses": "Jumlah lisensi",
        "confirm_order": "Konfirmasi pesanan",
        "order_history": "Histori pesanan",
        "subscriptions": "Langganan",
        "unverified_note": "tidak dapat membeli layanan Google Workspace lainnya, seperti Google Vault, kecuali jika pelanggan tersebut memverifikasi domainnya",
        "create_customer": "Buat pelanggan",
        "product_family": "Kategori produk utama",
        "organization_info": "Informasi organisasi",
        "domain_customer": "Pelanggan domain",
        "team_customer": "Pelanggan Tim",
        "education": "Institusi Pendidikan",
        "contact_info": "Informasi kontak",
        "primary_email": "Alamat email",
        "alternate_email": "Alamat alternatif",
        "create": "Buat",
        "purchase": "Beli",
        "close": "Daftar pelanggan",
        "team_considerations": "Pertimbangan untuk pelanggan Tim",
    },
    "fr": {
        "signin_title": "Connexion",
        "signin_button": "Se connecter",
        "password": "Mot de passe",
        "partner": "Console Ventes partenaires",
        # The seeds' words: "abonnement", "console d'administration", Google Vault.
        "new_service": "Nouveau service",
        "select": "Sélectionner",
        "number_of_licenses": "Nombre de licences",
        "confirm_order": "Confirmer la commande",
        "order_history": "Historique des commandes",
        "subscriptions": "Abonnements",
        "unverified_note": "ne peut pas acheter d'autres services Google Workspace, comme Google Vault, à moins qu'il ne valide son domaine",
        "create_customer": "Créer un client",
        "product_family": "Famille de produits principale",
        "organization_info": "Informations sur l'organisation",
        "domain_customer": "Client d'un domaine",
        "team_customer": "Client dans une équipe",
        "education": "Établissement d'enseignement",
        "contact_info": "Coordonnées",
        "primary_email": "Adresse e-mail",
        "alternate_email": "Adresse secondaire",
        "create": "Créer",
        "purchase": "Acheter",
        "close": "Liste de clients",
        "team_considerations": "Remarques à l'intention des clients dans une équipe",
    },
}

CONSOLES = {"partner": "/partner", "admin": "/admin", "support": "/support"}


def word(lang: str, key: str, **values) -> str:
    text = WORDS[lang][key]
    return text.format(**values) if values else text


# ---------------------------------------------------------------------------
# Users to sign in as
# ---------------------------------------------------------------------------


def new_password() -> str:
    return "Pw-" + secrets.token_hex(10)


def languages(lang: str) -> list:
    """A Directory ``languages`` value whose preferred language is ``lang``."""
    return [{"languageCode": lang, "preference": "preferred"}]


def staff_user(partnerd, reseller: dict | None = None, *, local: str | None = None, lang: str | None = None,
               super_admin: bool = False, **fields) -> dict:
    """A new user of the reseller's own account with a known password, a super admin if
    asked. ``lang`` is sent as the user's preferred language (partnerd gives a new user
    its account's language: see ``reseller_for``). Returns the Directory user plus
    ``password``."""
    reseller = reseller or partnerd.a
    dsvc = partnerd.directory(reseller)
    password = fields.pop("password", None) or new_password()
    local = local or "staff-" + secrets.token_hex(4)
    if lang is not None:
        fields["languages"] = languages(lang)
    user = insert_user(dsvc, user_body(reseller["domain"], local, password=password, **fields))
    if super_admin:
        dsvc.users().makeAdmin(userKey=user["id"], body={"status": True}).execute()
    return {**user, "email": user["primaryEmail"], "password": password}


def customer_super_admin(partnerd, reseller: dict | None = None, *, lang: str = "en") -> dict:
    """A new customer of the reseller with a super admin (a customer's user, not reseller
    staff) who has a known password. Returns the admin plus ``password`` and ``customer``."""
    reseller = reseller or partnerd.a
    customer = partnerd.service(reseller).customers().insert(body=domain_customer()).execute()
    partnerd.accept_tos(customer["customerId"])
    dsvc = partnerd.directory(reseller)
    # The customer's language is its new users' language setting.
    dsvc.customers().patch(customerKey=customer["customerId"], body={"language": lang}).execute()
    password = new_password()
    admin = insert_user(dsvc, user_body(customer["customerDomain"], "boss", password=password,
                                        languages=languages(lang)))
    dsvc.users().makeAdmin(userKey=admin["id"], body={"status": True}).execute()
    return {**admin, "email": admin["primaryEmail"], "password": password, "customer": customer}


def directory_user(partnerd, email: str, reseller: dict | None = None) -> dict:
    return get_user(partnerd.directory(reseller or partnerd.a), email)


def suspend(partnerd, email: str, reseller: dict | None = None) -> dict:
    """Suspend the user with Directory API users.update (the whole user, suspended)."""
    dsvc = partnerd.directory(reseller or partnerd.a)
    user = get_user(dsvc, email)
    body = {
        "primaryEmail": user["primaryEmail"],
        "name": {"givenName": user["name"]["givenName"], "familyName": user["name"]["familyName"]},
        "orgUnitPath": user["orgUnitPath"],
        "changePasswordAtNextLogin": user["changePasswordAtNextLogin"],
        "suspended": True,
    }
    updated = dsvc.users().update(userKey=user["id"], body=body).execute()
    assert updated["suspended"] is True, updated
    return updated


def set_password(partnerd, email: str, password: str, reseller: dict | None = None, **fields) -> dict:
    dsvc = partnerd.directory(reseller or partnerd.a)
    return dsvc.users().patch(userKey=email, body={"password": password, **fields}).execute()


# ---------------------------------------------------------------------------
# A signed-in client without a browser
# ---------------------------------------------------------------------------


def find_form(html: str, action: str | None = None) -> tuple:
    """(action as written, hidden inputs) of the first form (posting to the path
    ``action``, if given)."""
    soup = BeautifulSoup(html, "html.parser")
    for form in soup.find_all("form"):
        if action is not None and urlsplit(form.get("action") or "").path != action:
            continue
        hidden = {i.get("name"): i.get("value", "") for i in form.find_all("input", type="hidden")}
        return form.get("action") or "", hidden
    raise AssertionError(f"no form posting to {action!r} on the page:\n{html[:3000]}")


def hidden_inputs(html: str, action: str | None = None) -> dict:
    """The hidden inputs of the first form (posting to ``action``, if given)."""
    return find_form(html, action)[1]


def text_of(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def query_of(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


class WebClient:
    """A browser-like client over ``requests``: it keeps cookies, reads the hidden
    ``csrf`` of each form from the page it GETs, and never follows redirects itself."""

    def __init__(self, base_url: str, *, headers: dict | None = None):
        self.base_url = base_url
        self.http = requests.Session()
        self.http.headers.update(headers or {})

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        return self.http.get(self.base_url + path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        return self.http.post(self.base_url + path, data=data, **kwargs)

    def find_form(self, page: str, action: str) -> tuple:
        """GET ``page``: (the URL its form posting to the path ``action`` is sent to, as
        written in the page, query included; that form's hidden fields)."""
        r = self.get(page)
        assert r.status_code == 200, f"GET {page}: HTTP {r.status_code}\n{r.text[:2000]}"
        return find_form(r.text, action)

    def form(self, page: str, action: str) -> dict:
        """GET ``page`` and return the hidden fields of its form posting to ``action``."""
        return self.find_form(page, action)[1]

    def submit(self, page: str, action: str, fields: dict | None = None, **kwargs) -> requests.Response:
        """Fill the form of ``page`` that posts to ``action`` and send it where the page
        says, like a browser would."""
        url, hidden = self.find_form(page, action)
        return self.post(url, {**hidden, **(fields or {})}, **kwargs)

    def sign_in(self, email: str, password: str, target: str | None = None) -> requests.Response:
        page = "/signin" if target is None else "/signin?continue=" + requests.utils.quote(target, safe="")
        return self.submit(page, "/signin", {"email": email, "password": password})

    def sign_in_ok(self, email: str, password: str, target: str | None = None) -> requests.Response:
        r = self.sign_in(email, password, target)
        assert r.status_code == 303, (
            f"signing in as {email} answered HTTP {r.status_code}, not 303\n{text_of(r.text)[:2000]}"
        )
        return r

    def session_cookie(self) -> str | None:
        return self.http.cookies.get("partnerd_session")

    def signed_in_as(self, path: str = "/") -> str | None:
        """The email the page's header names, or None when the page sends us to sign in."""
        r = self.get(path)
        if r.status_code in (302, 303) and urlsplit(r.headers.get("Location", "")).path == "/signin":
            return None
        assert r.status_code == 200, f"GET {path}: HTTP {r.status_code}\n{text_of(r.text)[:2000]}"
        m = re.search(r"Signed in as (\S+@\S+?)(?:\s|$)", text_of(r.text))
        assert m, f"GET {path} neither asks to sign in nor names the account:\n{text_of(r.text)[:2000]}"
        return m.group(1)


def to_signin(response: requests.Response) -> bool:
    """Whether a response sends the browser to the sign-in page."""
    return (
        response.status_code in (302, 303)
        and urlsplit(response.headers.get("Location", "")).path == "/signin"
    )


# ---------------------------------------------------------------------------
# A server of a test's own (throttling, cookie flags, session lifetimes)
# ---------------------------------------------------------------------------


class PublicUrlServer(Partnerd):
    """A server whose public URL is not the loopback address it listens on (as behind a
    TLS-terminating proxy). ``loopback`` is where tests reach it."""

    def __init__(self, *args, public_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.loopback = self.base_url
        self.base_url = public_url  # what ``start`` passes as --public-url

    def _wait_healthy(self) -> None:
        public, self.base_url = self.base_url, self.loopback
        try:
            super()._wait_healthy()
        finally:
            self.base_url = public


@contextlib.contextmanager
def own_server(backend: str, workdir, *, extra_args=(), public_url: str | None = None):
    """A fresh partnerd on a fresh database of ``backend``, with reseller "a". Its
    ``loopback`` attribute is the URL to send requests to."""
    scratch = None
    if backend == "sqlite":
        db_url = "sqlite://" + str((workdir / f"own-{secrets.token_hex(4)}.db").resolve())
    else:
        assert POSTGRES_URL, "postgres backend without PARTNERD_TEST_POSTGRES_URL"
        scratch = PostgresScratchDb(POSTGRES_URL)
        db_url = scratch.url
    if public_url is None:
        server = Partnerd(backend, db_url, workdir, extra_args=extra_args)
        server.loopback = server.base_url
    else:
        server = PublicUrlServer(backend, db_url, workdir, extra_args=extra_args, public_url=public_url)
    try:
        server.start()
        server.create_reseller("a", "reseller-a.example")
        yield server
    finally:
        server.stop()
        if scratch is not None:
            scratch.drop()


# ---------------------------------------------------------------------------
# The sign-in form in a browser
# ---------------------------------------------------------------------------


def field(page, lang: str, key: str, name: str):
    """The input labelled with the word ``key`` of ``lang`` (by name where the contract
    fixes no word for that language)."""
    label = WORDS[lang].get(key)
    if label is not None:
        return page.get_by_label(label, exact=True)
    return page.locator(f"input[name={name}]")


def button(page, lang: str, key: str, fallback_css: str = "form button[type=submit]"):
    label = WORDS[lang].get(key)
    if label is not None:
        return page.get_by_role("button", name=label, exact=True)
    return page.locator(fallback_css)


def fill_signin(page, lang: str, email: str, password: str) -> None:
    """Fill and send the sign-in form the page shows."""
    field(page, lang, "email", "email").fill(email)
    field(page, lang, "password", "password").fill(password)
    page.locator("main form").get_by_role("button").click()
    page.wait_for_load_state("load")


def sign_in(page, lang: str, email: str, password: str, target: str | None = None) -> None:
    """Open the sign-in page (continue=``target``) and sign in."""
    path = "/signin" if target is None else "/signin?continue=" + requests.utils.quote(target, safe="")
    page.goto(path)
    fill_signin(page, lang, email, password)


def problem_text(page) -> str:
    """The text of the form's problem message (role=alert)."""
    alert = page.get_by_role("alert")
    assert alert.count() >= 1, f"no message (role=alert) on {page.url}:\n{page.inner_text('body')[:2000]}"
    return " ".join(alert.first.inner_text().split())


def path_of(url: str) -> str:
    return urlsplit(url).path


def header_text(page) -> str:
    return " ".join(page.locator("header").first.inner_text().split())


def console_names_shown(page) -> set:
    """What names the console a page belongs to: its main heading, and the header's
    console switcher entry marked as the current page."""
    names = {" ".join(page.get_by_role("heading", level=1).first.inner_text().split())}
    current = page.locator("header nav [aria-current=page]")
    if current.count():
        names.add(" ".join(current.first.inner_text().split()))
    return names


def assert_console(page, lang: str, key: str) -> None:
    names = console_names_shown(page)
    assert word(lang, key) in names, f"{page.url} is not named {word(lang, key)!r}: {names}"
