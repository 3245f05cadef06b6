"""Helpers for the Admin SDK Directory API suites (customers, users, orgunits).

A reseller admin uses the Directory API on the customers its reseller manages
(customerKey = the customer's ID) and on its own account ("my_customer").
Everything here talks to the server over HTTP only: Google's official client
for the APIs, ``requests`` for the control API.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import datetime
from importlib import resources

from googleapiclient.errors import HttpError

from helpers import assert_error_body, assert_no_nulls, domain_customer, execute_error

# ---------------------------------------------------------------------------
# Scopes
# ---------------------------------------------------------------------------

_AUTH = "https://www.googleapis.com/auth/"
SCOPE_DIR_USER = _AUTH + "admin.directory.user"
SCOPE_DIR_USER_RO = _AUTH + "admin.directory.user.readonly"
SCOPE_DIR_CUSTOMER = _AUTH + "admin.directory.customer"
SCOPE_DIR_CUSTOMER_RO = _AUTH + "admin.directory.customer.readonly"
SCOPE_DIR_ORGUNIT = _AUTH + "admin.directory.orgunit"
SCOPE_DIR_ORGUNIT_RO = _AUTH + "admin.directory.orgunit.readonly"

DIRECTORY_SCOPES = [SCOPE_DIR_USER, SCOPE_DIR_CUSTOMER, SCOPE_DIR_ORGUNIT]
DIRECTORY_SCOPES_RO = [SCOPE_DIR_USER_RO, SCOPE_DIR_CUSTOMER_RO, SCOPE_DIR_ORGUNIT_RO]

DIR_PREFIX = "/admin/directory/v1"

# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------

USER_ID_RE = re.compile(r"^[0-9]{21}$")
ORG_UNIT_ID_RE = re.compile(r"^id:[0-9A-Za-z]+$")
NEVER_LOGGED_IN = "1970-01-01T00:00:00.000Z"

# A well-formed SHA-512 crypt(3) hash (glibc test vector, 5000 rounds). It is
# longer than 100 characters: acceptable only as a hash, never as plaintext.
CRYPT_SHA512 = (
    "$6$rounds=5000$usesomesillystri$D4IrlXatmP7rx3P3InaxBeoomnAihCKRVQP22JZ6EY47"
    "Wc6BkroIuUUBOov1i.S5KPgErtP/EN5mcO.ChWQW21"
)


def sha1_hex(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def parse_rfc3339(value) -> datetime:
    assert isinstance(value, str), f"not a string timestamp: {value!r}"
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)", value)
    assert m, f"not an RFC 3339 timestamp: {value!r}"
    frac = (m.group(2) or ".0")[:7]
    tz = "+00:00" if m.group(3) == "Z" else m.group(3)
    return datetime.fromisoformat(m.group(1) + frac + tz)


# Google writes every Directory timestamp with exactly three fractional digits
# (`2010-04-05T17:30:04.325Z`), trailing zeros kept.
GOOGLE_TIMESTAMP_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def google_timestamp(value) -> datetime:
    """A timestamp in Google's one fixed width, parsed."""
    assert isinstance(value, str) and GOOGLE_TIMESTAMP_RE.fullmatch(value), \
        f"not Google's fixed-width timestamp (three fractional digits): {value!r}"
    return parse_rfc3339(value)


def rfc3339_ms(value) -> int:
    return round(parse_rfc3339(value).timestamp() * 1000)


# ---------------------------------------------------------------------------
# Discovery document (the copy bundled with google-api-python-client)
# ---------------------------------------------------------------------------

_DISCOVERY = None


def directory_discovery() -> dict:
    global _DISCOVERY
    if _DISCOVERY is None:
        doc = resources.files("googleapiclient.discovery_cache") / "documents" / "admin.directory_v1.json"
        _DISCOVERY = json.loads(doc.read_text(encoding="utf-8"))
    return _DISCOVERY


def dir_schema(name: str) -> dict:
    return directory_discovery()["schemas"][name]["properties"]


def _assert_known_fields(obj: dict, schema: str) -> None:
    unknown = set(obj) - set(dir_schema(schema))
    assert not unknown, f"{schema} has fields unknown to the discovery doc: {sorted(unknown)}: {obj!r}"


# ---------------------------------------------------------------------------
# Clients and customers
# ---------------------------------------------------------------------------


def new_reseller_customer(svc, domain: str | None = None) -> dict:
    """A fresh domain customer inserted through the Reseller API client ``svc``."""
    return svc.customers().insert(body=domain_customer(domain)).execute()


def directory_customer_id(customer: dict) -> str:
    return customer["customerId"] if "customerId" in customer else customer["id"]


# ---------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------


def strong_password() -> str:
    return "Pw-" + secrets.token_hex(8)


def user_body(domain: str, local: str | None = None, *, given: str = "Ana", family: str = "Lima",
              password: str | None = None, **overrides) -> dict:
    """A valid users.insert body for ``local@domain``. A None override removes
    the field."""
    body = {
        "primaryEmail": f"{local or 'user-' + secrets.token_hex(4)}@{domain}",
        "name": {"givenName": given, "familyName": family},
        "password": password or strong_password(),
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def quick_user_body(domain: str, local: str, given: str = "Ana", family: str = "Lima", **overrides) -> dict:
    """Like user_body, with a pre-hashed (SHA-1) password so bulk inserts stay cheap."""
    return user_body(domain, local, given=given, family=family, password=sha1_hex(local),
                     hashFunction="SHA-1", **overrides)


def insert_user(dsvc, body: dict) -> dict:
    return dsvc.users().insert(body=body).execute()


def get_user(dsvc, key: str) -> dict:
    return dsvc.users().get(userKey=key).execute()


def language_of(user: dict) -> str | None:
    """The languageCode of the user's preferred language."""
    langs = user.get("languages")
    assert isinstance(langs, list) and langs, f"user has no languages: {user!r}"
    preferred = [entry for entry in langs if entry.get("preference") == "preferred"]
    assert len(preferred) == 1, f"user must have exactly one preferred language: {langs!r}"
    return preferred[0].get("languageCode")


def assert_user(user: dict, *, customer_id: str | None = None) -> dict:
    """Structural checks every User response must pass."""
    assert isinstance(user, dict), user
    assert_no_nulls(user)
    _assert_known_fields(user, "User")
    assert user.get("kind") == "admin#directory#user", user
    assert isinstance(user.get("id"), str) and USER_ID_RE.match(user["id"]), f"id not 21 digits: {user!r}"
    assert isinstance(user.get("primaryEmail"), str) and "@" in user["primaryEmail"], user
    assert "password" not in user, f"the password came back: {user!r}"
    assert "hashFunction" not in user, f"hashFunction came back: {user!r}"
    name = user.get("name")
    assert isinstance(name, dict), user
    _assert_known_fields(name, "UserName")
    for field in ("givenName", "familyName", "fullName"):
        assert isinstance(name.get(field), str) and name[field], f"name.{field} missing: {user!r}"
    for field in ("isAdmin", "isDelegatedAdmin", "suspended", "changePasswordAtNextLogin", "agreedToTerms",
                  "archived"):
        assert isinstance(user.get(field), bool), f"{field} missing or not a boolean: {user!r}"
    assert not (user["isAdmin"] and user["isDelegatedAdmin"]), f"a super admin is not a delegated admin: {user!r}"
    assert isinstance(user.get("isMailboxSetup"), bool), user
    assert user["archived"] is False, user
    assert isinstance(user.get("orgUnitPath"), str) and user["orgUnitPath"].startswith("/"), user
    assert isinstance(user.get("customerId"), str) and user["customerId"], user
    if customer_id is not None:
        assert user["customerId"] == customer_id, f"customerId {user['customerId']!r} != {customer_id!r}"
    google_timestamp(user.get("creationTime"))
    if "deletionTime" in user:
        google_timestamp(user["deletionTime"])
    # A user agrees to the Terms of Service at its first sign-in, its lastLoginTime.
    google_timestamp(user.get("lastLoginTime"))
    assert (user["lastLoginTime"] != NEVER_LOGGED_IN) == user["agreedToTerms"], user
    language_of(user)
    assert isinstance(user.get("etag"), str) and user["etag"], user
    return user


def list_users_page(dsvc, **params) -> dict:
    page = dsvc.users().list(**params).execute()
    assert page.get("kind") == "admin#directory#users", page
    assert_no_nulls(page)
    assert isinstance(page.get("users", []), list), page
    return page


def list_users(dsvc, *, max_pages: int = 1000, **params) -> list:
    """Every user a users.list call returns, following nextPageToken; asserts
    that pages respect maxResults and that no user is returned twice."""
    out, token = [], None
    page_size = params.get("maxResults")
    for _ in range(max_pages):
        kwargs = dict(params)
        if token:
            kwargs["pageToken"] = token
        page = list_users_page(dsvc, **kwargs)
        items = page.get("users", [])
        if page_size is not None:
            assert len(items) <= page_size, f"page of {len(items)} > maxResults {page_size}"
        out.extend(items)
        token = page.get("nextPageToken")
        if not token:
            break
        assert items, f"an empty page with a nextPageToken: {page!r}"
    else:
        raise AssertionError(f"users.list paging did not end within {max_pages} pages")
    ids = [u["id"] for u in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"users returned more than once while paging: {dupes}"
    return out


def emails_of(users) -> list:
    return [u["primaryEmail"] for u in users]


# ---------------------------------------------------------------------------
# Customers (Directory view)
# ---------------------------------------------------------------------------


def assert_directory_customer(customer: dict) -> dict:
    assert isinstance(customer, dict), customer
    assert_no_nulls(customer)
    _assert_known_fields(customer, "Customer")
    assert customer.get("kind") == "admin#directory#customer", customer
    for field in ("id", "customerDomain", "language", "etag"):
        assert isinstance(customer.get(field), str) and customer[field], f"{field} missing: {customer!r}"
    google_timestamp(customer.get("customerCreationTime"))
    if "postalAddress" in customer:
        assert isinstance(customer["postalAddress"], dict), customer
        _assert_known_fields(customer["postalAddress"], "CustomerPostalAddress")
    return customer


# ---------------------------------------------------------------------------
# Org units
# ---------------------------------------------------------------------------


def assert_org_unit(ou: dict) -> dict:
    assert isinstance(ou, dict), ou
    assert_no_nulls(ou)
    _assert_known_fields(ou, "OrgUnit")
    assert ou.get("kind") == "admin#directory#orgUnit", ou
    assert isinstance(ou.get("name"), str) and ou["name"], ou
    assert isinstance(ou.get("orgUnitPath"), str) and ou["orgUnitPath"].startswith("/"), ou
    assert ou["orgUnitPath"].rsplit("/", 1)[1] == ou["name"], f"orgUnitPath does not end with name: {ou!r}"
    assert isinstance(ou.get("orgUnitId"), str) and ORG_UNIT_ID_RE.match(ou["orgUnitId"]), ou
    assert isinstance(ou.get("parentOrgUnitPath"), str) and ou["parentOrgUnitPath"].startswith("/"), ou
    expected_parent = ou["orgUnitPath"].rsplit("/", 1)[0] or "/"
    assert ou["parentOrgUnitPath"] == expected_parent, f"parentOrgUnitPath does not match orgUnitPath: {ou!r}"
    assert isinstance(ou.get("parentOrgUnitId"), str) and ORG_UNIT_ID_RE.match(ou["parentOrgUnitId"]), ou
    assert ou["parentOrgUnitId"] != ou["orgUnitId"], ou
    assert isinstance(ou.get("etag"), str) and ou["etag"], ou
    return ou


def insert_ou(dsvc, customer_id: str, name: str, parent: str | None = "/", **extra) -> dict:
    body = {"name": name, **extra}
    if parent is not None:
        body["parentOrgUnitPath"] = parent
    return dsvc.orgunits().insert(customerId=customer_id, body=body).execute()


def list_ous(dsvc, customer_id: str, **params) -> list:
    page = dsvc.orgunits().list(customerId=customer_id, **params).execute()
    assert page.get("kind") == "admin#directory#orgUnits", page
    assert_no_nulls(page)
    units = page.get("organizationUnits", [])
    assert isinstance(units, list), page
    return units


def paths_of(units) -> set:
    return {u["orgUnitPath"] for u in units}


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


def assert_dir_error(exc, code: int, reason: str | None = None, *, names: str | None = None) -> dict:
    """A Google error of ``code``/``reason``; ``names``, if given, must appear
    in the message (case-insensitively)."""
    assert isinstance(exc, HttpError), f"expected HttpError, got {type(exc).__name__}: {exc!r}"
    assert exc.resp.status == code, f"HTTP status {exc.resp.status} != {code}: {exc.content[:2000]!r}"
    try:
        body = json.loads(exc.content)
    except ValueError as e:  # pragma: no cover - failure path
        raise AssertionError(f"error response is not JSON: {exc.content[:2000]!r}") from e
    err = assert_error_body(body, code, reason)
    if names is not None:
        assert names.lower() in err["message"].lower(), f"error message does not name {names!r}: {err['message']!r}"
    return err


def expect_error(request, code: int, reason: str | None = None, *, names: str | None = None) -> dict:
    """Execute ``request``, which must fail with ``code``/``reason``."""
    return assert_dir_error(execute_error(request), code, reason, names=names)
