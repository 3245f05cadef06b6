"""Helpers for the Licensing API suites (licence assignments and automatic
licensing).

A reseller admin manages the licences of the customers its reseller serves:
users come from the Directory API, seats from the customer's subscriptions
(Reseller API), assignments from the Licensing API. Automatic licensing is an
Admin console setting; partnerd exposes it through its control API. Everything
here talks to the server over HTTP only.
"""

from __future__ import annotations

import secrets

from googleapiclient.discovery import build

from dir_helpers import insert_user, quick_user_body
from helpers import assert_no_nulls
from sub_helpers import assert_error, get_sub

SCOPE_LICENSING = "https://www.googleapis.com/auth/apps.licensing"
LIC_PREFIX = "/apps/licensing/v1"

WORKSPACE = "Google-Apps"
CLOUD_IDENTITY = "101001"
DRIVE_STORAGE = "Google-Drive-storage"

ASSIGNMENT_FIELDS = {"kind", "etags", "selfLink", "userId", "productId", "productName", "skuId", "skuName"}


# ---------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------


def licensing(partnerd, reseller: dict, scopes=None, subject=None):
    """A fresh Licensing v1 service acting as ``reseller``'s admin (one per
    thread: the HTTP transport is not thread-safe)."""
    creds = partnerd.credentials(reseller, scopes if scopes is not None else [SCOPE_LICENSING], subject)
    return build_licensing(partnerd, creds)


def build_licensing(partnerd, creds):
    return build(
        "licensing", "v1",
        credentials=creds,
        client_options={"api_endpoint": partnerd.base_url + "/"},
        cache_discovery=False,
        static_discovery=True,
    )


# ---------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------


def new_user(dsvc, domain: str, local: str | None = None, org_unit: str | None = None) -> dict:
    """Insert a user of ``domain`` (cheap pre-hashed password), optionally in
    ``org_unit``."""
    extra = {"orgUnitPath": org_unit} if org_unit is not None else {}
    return insert_user(dsvc, quick_user_body(domain, local or "u-" + secrets.token_hex(4), **extra))


def new_users(dsvc, domain: str, count: int, prefix: str = "user") -> list:
    """``count`` users created one after the other (the order is creation order)."""
    return [new_user(dsvc, domain, f"{prefix}{i:03d}") for i in range(1, count + 1)]


# ---------------------------------------------------------------------------
# Assignments
# ---------------------------------------------------------------------------


def assignments(lic):
    return lic.licenseAssignments()


def assign(lic, sku: str, user, product: str = WORKSPACE) -> dict:
    """licenseAssignments.insert for ``user`` (a User resource or a key)."""
    key = user["primaryEmail"] if isinstance(user, dict) else user
    return assignments(lic).insert(productId=product, skuId=sku, body={"userId": key}).execute()


def get_assignment(lic, sku: str, user, product: str = WORKSPACE) -> dict:
    key = user["primaryEmail"] if isinstance(user, dict) else user
    return assignments(lic).get(productId=product, skuId=sku, userId=key).execute()


def assert_assignment(a: dict, product: str, sku: str, email: str, sku_name: str | None = None) -> dict:
    """Structural checks every LicenseAssignment must pass."""
    assert isinstance(a, dict), a
    assert_no_nulls(a)
    unknown = set(a) - ASSIGNMENT_FIELDS
    assert not unknown, f"LicenseAssignment has fields unknown to the discovery doc: {sorted(unknown)}: {a!r}"
    assert a.get("kind") == "licensing#licenseAssignment", a
    assert a.get("productId") == product, f"productId {a.get('productId')!r} != {product!r}: {a!r}"
    assert a.get("skuId") == sku, f"skuId {a.get('skuId')!r} != {sku!r}: {a!r}"
    assert isinstance(a.get("userId"), str) and a["userId"].lower() == email.lower(), (
        f"userId {a.get('userId')!r} != {email!r}: {a!r}"
    )
    for field in ("etags", "selfLink", "productName", "skuName"):
        assert isinstance(a.get(field), str) and a[field], f"{field} missing or not a string: {a!r}"
    if sku_name is not None:
        assert a["skuName"] == sku_name, f"skuName {a['skuName']!r} != {sku_name!r}"
    tail = f"/product/{product}/sku/{sku}/user/"
    assert tail in a["selfLink"], f"selfLink does not point at the assignment: {a['selfLink']!r}"
    return a


def list_page(lic, product: str, customer_id: str, sku: str | None = None, **params) -> dict:
    if sku is None:
        req = assignments(lic).listForProduct(productId=product, customerId=customer_id, **params)
    else:
        req = assignments(lic).listForProductAndSku(productId=product, skuId=sku, customerId=customer_id, **params)
    page = req.execute()
    assert page.get("kind") == "licensing#licenseAssignmentList", page
    assert_no_nulls(page)
    assert isinstance(page.get("items", []), list), page
    return page


def list_assignments(lic, product: str, customer_id: str, sku: str | None = None, *,
                     page_size: int | None = None, max_pages: int = 1000) -> list:
    """Every assignment a list call returns, following nextPageToken. Asserts
    each page respects ``page_size`` and nothing is returned twice."""
    out, token = [], None
    for _ in range(max_pages):
        params = {}
        if page_size is not None:
            params["maxResults"] = page_size
        if token:
            params["pageToken"] = token
        page = list_page(lic, product, customer_id, sku, **params)
        items = page.get("items", [])
        if page_size is not None:
            assert len(items) <= page_size, f"page of {len(items)} > maxResults {page_size}"
        out.extend(items)
        token = page.get("nextPageToken")
        if not token:
            break
        assert items, f"an empty page with a nextPageToken: {page!r}"
    else:
        raise AssertionError(f"licence list paging did not end within {max_pages} pages")
    keys = [(a["productId"], a["skuId"], a["userId"].lower()) for a in out]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    assert not dupes, f"assignments returned more than once: {dupes}"
    return out


def holders(lic, product: str, customer_id: str, sku: str | None = None) -> dict:
    """{user email (lower case): skuId} of every assignment listed."""
    return {a["userId"].lower(): a["skuId"] for a in list_assignments(lic, product, customer_id, sku)}


def emails(users) -> set:
    return {u["primaryEmail"].lower() for u in users}


def assert_lic_error(err, code: int, reason: str) -> dict:
    """A Google error of ``code``/``reason`` (412 carries FAILED_PRECONDITION)."""
    return assert_error(err, code, reason)


# ---------------------------------------------------------------------------
# Seats
# ---------------------------------------------------------------------------


def licensed(svc, sub) -> int:
    """The subscription's seats.licensedNumberOfSeats right now."""
    return get_sub(svc, sub)["seats"]["licensedNumberOfSeats"]


# ---------------------------------------------------------------------------
# Automatic licensing (control API)
# ---------------------------------------------------------------------------


def rule(org_unit: str, sku: str | None, product: str = WORKSPACE) -> dict:
    return {"orgUnitPath": org_unit, "productId": product, "skuId": sku}


def auto_path(customer_id: str) -> str:
    return f"customers/{customer_id}/autoLicensing"


def put_auto_licensing_raw(partnerd, customer_id: str, body):
    return partnerd.control("PUT", auto_path(customer_id), json=body)


def put_auto_licensing(partnerd, customer_id: str, rules: list, enabled: bool = True) -> dict:
    r = put_auto_licensing_raw(partnerd, customer_id, {"enabled": enabled, "rules": rules})
    assert r.status_code == 200, f"PUT autoLicensing: HTTP {r.status_code}: {r.text}"
    return r.json()


def get_auto_licensing(partnerd, customer_id: str) -> dict:
    r = partnerd.control("GET", auto_path(customer_id))
    assert r.status_code == 200, f"GET autoLicensing: HTTP {r.status_code}: {r.text}"
    return r.json()


def normalized_rules(rules) -> list:
    """Rules as comparable tuples (order-free; an omitted skuId reads as null)."""
    assert isinstance(rules, list), f"rules is not a list: {rules!r}"
    out = []
    for r in rules:
        assert isinstance(r, dict), f"rule is not an object: {r!r}"
        out.append((r.get("orgUnitPath"), r.get("productId"), r.get("skuId")))
    return sorted(out, key=repr)
