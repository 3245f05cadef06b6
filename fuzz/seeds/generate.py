#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets: fuzz/seeds/<target>/<name>.

Each file is the byte encoding `arbitrary` (1.x) decodes into the target's `Input`
(fuzz/src/targets/*.rs), so a run starts from meaningful requests:

- u8: one byte; bool: one byte (odd = true); i32: four bytes little-endian;
- an enum: a u32 (little-endian) scaled to the variant count, then the variant's fields;
- a Vec that is not the last field: for each element a byte 1 then the element, then 0;
- the last field (a Vec<u8> body, or an enum whose last field is one) takes the rest.

Bodies may use the placeholders `crate::expand` replaces with run-time IDs ($USER$ ...).
Check what the seeds send with:
    PARTNERD_FUZZ_TRACE=1 fuzz/target/x86_64-unknown-linux-gnu/release/<target> -runs=0 fuzz/seeds/<target>
Run this script again after changing an `Input`; it rewrites every seed.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import struct

HERE = pathlib.Path(__file__).resolve().parent


def variant(index: int, count: int) -> bytes:
    """The u32 that `arbitrary`'s derived enums read as variant `index` of `count`."""
    value = -(-(index << 32) // count)  # ceil(index * 2^32 / count)
    assert (value * count) >> 32 == index and value < 2**32
    return struct.pack("<I", value)


def seeded(i: int) -> bytes:  # Key::Seeded(i) of {Seeded, Text}
    return variant(0, 2) + bytes([i])


def known(i: int) -> bytes:  # Param::Known(i) of {Absent, Known, Text}
    return variant(1, 3) + bytes([i])


def params(*pairs: tuple[int, int]) -> bytes:
    """Params: (name index, known value index) pairs."""
    out = b""
    for name, value in pairs:
        out += b"\x01" + bytes([name]) + known(value)
    return out + b"\x00"


def body(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode() if not isinstance(value, bytes) else value


ADDRESS = {
    "contactName": "Jane Roe",
    "organizationName": "Example Widgets Inc.",
    "addressLine1": "1600 Amphitheatre Parkway",
    "locality": "Mountain View",
    "region": "CA",
    "postalCode": "94043",
    "countryCode": "US",
}

SEEDS: dict[str, dict[str, bytes]] = {}


def reseller(route, customer=0, sub=0, query=params(), payload=b""):
    return bytes([route]) + seeded(customer) + seeded(sub) + query + body(payload)


SEEDS["reseller_bodies"] = {
    "customer-insert": reseller(0, payload={
        "customerDomain": "seed-new.com", "alternateEmail": "billing@alt-mail.example",
        "phoneNumber": "+1 650-253-0000", "postalAddress": ADDRESS}),
    "customer-insert-team": reseller(0, payload={
        "customerDomain": "seed-team.com", "customerType": "team",
        "primaryAdmin": {"primaryEmail": "owner@seed-team.com"}}),
    "customer-patch": reseller(1, payload={
        "alternateEmail": "it@alt-mail.example", "postalAddress": {"locality": "Paris", "countryCode": "FR"}}),
    "customer-update": reseller(2, payload={
        "customerDomain": "fuzz-customer.com", "alternateEmail": "billing@alt-mail.example",
        "phoneNumber": "+33 1 23 45 67 89", "postalAddress": ADDRESS, "kind": "reseller#customer"}),
    "sub-insert-flexible": reseller(3, payload={
        "skuId": "1010020028", "plan": {"planName": "FLEXIBLE"}, "seats": {"maximumNumberOfSeats": 3}}),
    "sub-insert-annual-switch": reseller(3, customer=2, query=params((1, 1)), payload={
        "skuId": "1010020025", "plan": {"planName": "ANNUAL_YEARLY_PAY"}, "seats": {"numberOfSeats": "7"},
        "renewalSettings": {"renewalType": "RENEW_CURRENT_USERS_MONTHLY_PAY"}, "purchaseOrderId": "PO-1"}),
    "sub-insert-transfer": reseller(3, query=params((0, 1)), payload={
        "skuId": "1010020027", "plan": {"planName": "TRIAL"}, "seats": {"maximumNumberOfSeats": 2},
        "customerId": "$CUSTOMER$", "dealCode": "deal"}),
    "change-plan": reseller(4, payload={
        "kind": "subscriptions#changePlanRequest", "planName": "ANNUAL_MONTHLY_PAY",
        "seats": {"numberOfSeats": 5}, "purchaseOrderId": "PO-2"}),
    "change-seats": reseller(5, payload={"kind": "subscriptions#seats", "maximumNumberOfSeats": 9}),
    "change-seats-annual": reseller(5, customer=2, sub=1, payload={"numberOfSeats": 6}),
    "change-renewal": reseller(6, customer=2, sub=1, payload={
        "kind": "subscriptions#renewalSettings", "renewalType": "AUTO_RENEW_YEARLY_PAY"}),
    "notify-register": reseller(7, payload={
        "serviceAccountEmailAddress": "pubsub@seed-project.iam.gserviceaccount.com"}),
}


def directory(route, customer=0, obj=0, payload=b""):
    return bytes([route]) + seeded(customer) + seeded(obj) + params() + body(payload)


SHA1_FUZZ = "0492e0df40077c04b1943dc1aadb32c659080fac"
SEEDS["directory_bodies"] = {
    "user-insert": directory(0, payload={
        "primaryEmail": "carol@fuzz-customer.com", "name": {"givenName": "Carol", "familyName": "Diaz"},
        "password": SHA1_FUZZ, "hashFunction": "SHA-1", "orgUnitPath": "/Fuzz1",
        "changePasswordAtNextLogin": True, "suspended": False}),
    "user-insert-plain": directory(0, payload={
        "primaryEmail": "dan@fuzz-customer.com", "name": {"givenName": "Dan", "familyName": "Ek"},
        "password": "Seed-password-1", "languages": [{"languageCode": "fr", "preference": "preferred"}]}),
    "user-patch": directory(1, obj=0, payload={
        "name": {"givenName": "Ana2"}, "orgUnitPath": "/Fuzz2", "suspended": False}),
    "user-update": directory(2, obj=3, payload={
        "primaryEmail": "bob@fuzz-customer.com", "name": {"givenName": "Bob", "familyName": "Ek"},
        "changePasswordAtNextLogin": True, "includeInGlobalAddressList": True}),
    "user-make-admin": directory(3, obj=2, payload={"status": True}),
    "user-undelete": directory(4, obj=0, payload={"orgUnitPath": "/"}),
    "customer-patch": directory(5, payload={
        "alternateEmail": "it@alt-mail.example", "language": "fr",
        "postalAddress": {"locality": "Lyon", "countryCode": "FR"}}),
    "customer-update": directory(6, payload={
        "alternateEmail": "it@alt-mail.example", "phoneNumber": "+1 650-253-0000",
        "postalAddress": dict(ADDRESS, organizationName="Widgets")}),
    "role-insert": directory(7, customer=2, payload={
        "roleName": "Seed role", "roleDescription": "from a seed",
        "rolePrivileges": [{"privilegeName": "$PRIVILEGE$", "serviceId": "$SERVICE$"}]}),
    "role-patch": directory(8, customer=2, obj=0, payload={"roleDescription": "patched"}),
    "role-update": directory(9, customer=2, obj=0, payload={
        "roleName": "Fuzz role", "rolePrivileges": [{"privilegeName": "$PRIVILEGE$", "serviceId": "$SERVICE$"}]}),
    "assignment-insert": directory(10, customer=2, payload={
        "roleId": "$ROLE$", "assignedTo": "$STAFF$", "scopeType": "CUSTOMER"}),
    "assignment-insert-unit": directory(10, customer=0, payload={
        "roleId": "$ROLE$", "assignedTo": "$USER$", "scopeType": "ORG_UNIT", "orgUnitId": "$UNIT$"}),
    "orgunit-insert": directory(11, payload={
        "name": "Seeded", "parentOrgUnitPath": "/Fuzz1", "description": "from a seed"}),
    "orgunit-insert-by-id": directory(11, payload={"name": "Seeded2", "parentOrgUnitId": "$UNIT2$"}),
    "orgunit-patch": directory(12, obj=1, payload={"description": "patched", "blockInheritance": False}),
    "orgunit-update": directory(13, obj=0, payload={"name": "Fuzz1", "parentOrgUnitPath": "/"}),
}


def licensing(route, product=0, sku=0, user=0, payload=b""):
    return bytes([route]) + seeded(product) + seeded(sku) + seeded(user) + body(payload)


SEEDS["licensing_bodies"] = {
    "insert": licensing(0, payload={"userId": "bob@fuzz-customer.com"}),
    "insert-by-id": licensing(0, sku=1, payload={"userId": "$USER2$"}),
    "patch": licensing(1, user=1, payload={"skuId": "1010020028"}),
    "update": licensing(2, user=1, payload={
        "userId": "ana@fuzz-customer.com", "skuId": "1010020027", "productId": "Google-Apps"}),
}


def query_params(route, a=0, b=0, c=0, query=params(), raw=b""):
    return bytes([route]) + seeded(a) + seeded(b) + seeded(c) + query + raw


SEEDS["query_params"] = {
    "subs-list": query_params(0, query=params((0, 0), (3, 0))),
    "subs-list-prefix": query_params(0, query=params((1, 0), (3, 1)), raw=b"alt=json&prettyPrint=false"),
    "customer-get": query_params(1, a=1),
    "sub-get": query_params(2),
    "watch": query_params(3, query=params((0, 0))),
    "register": query_params(4, query=params((0, 0))),
    "unregister": query_params(5, query=params((0, 1))),
    "dir-customer-get": query_params(6, a=2),
    "users-list": query_params(7, query=params((0, 2), (2, 0), (3, 0), (4, 1), (5, 0))),
    "users-list-domain": query_params(7, query=params((1, 0), (2, 5), (6, 0))),
    "users-list-raw": query_params(7, raw=b"customer=my_customer&query=name:'Ana%20Lima'&maxResults=2"),
    "user-get": query_params(8, a=1, query=params((0, 1), (1, 0))),
    "privileges": query_params(9, a=2),
    "roles-list": query_params(10, a=2, query=params((0, 0))),
    "role-get": query_params(11, a=2),
    "assignments-list": query_params(12, a=2, query=params((0, 0), (1, 4))),
    "assignment-get": query_params(13, a=2),
    "orgunits-list": query_params(14, query=params((0, 2), (1, 0))),
    "orgunit-get": query_params(15, b=2),
    "licences-product": query_params(16, query=params((0, 0), (1, 0))),
    "licences-sku": query_params(17, query=params((0, 0))),
    "licence-get": query_params(18, c=1),
}

TOKEN = ["Raw", "Base64", "Prefix", "Suffix", "Flip", "Truncate"]


def page(route, max_results, token, payload=b"", foreign=False):
    return bytes([route, max_results, 1 if foreign else 0]) + variant(TOKEN.index(token), len(TOKEN)) + payload


SEEDS["page_tokens"] = {
    "subs-raw": page(0, 1, "Raw", b"abc"),
    "subs-suffix": page(1, 1, "Prefix", b"0"),
    "subs-prefix-neg": page(0, 1, "Prefix", b"-1"),
    "subs-flip": page(2, 1, "Flip", struct.pack("<H", 3) + b"A"),
    "users-suffix": page(3, 1, "Suffix", b"bob@fuzz-customer.com"),
    "users-domain-truncate": page(4, 1, "Truncate", struct.pack("<H", 10)),
    "users-desc-suffix": page(5, 1, "Suffix", b"Ana"),
    "roles-base64": page(6, 2, "Base64", b"x\x01y"),
    "roles-customer": page(7, 1, "Suffix", b""),
    "assignments-foreign": page(8, 1, "Suffix", b"1", foreign=True),
    "licences-raw": page(9, 1, "Raw", b""),
    "licences-sku-suffix": page(10, 1, "Suffix", b"ana@fuzz-customer.com"),
}

JWT = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
FAKE = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJpc3MiOiJ4QHkuaWFtLmdzZXJ2aWNlYWNjb3VudC5jb20iLCJhdWQiOiJodHRwOi8vZnV6ei90b2tlbiJ9.c2ln"
)
SEEDS["token_form"] = {
    "jwt-bearer": b"\x00" + f"grant_type={JWT}&assertion={FAKE}".encode(),
    "no-assertion": b"\x00" + f"grant_type={JWT}&assertion=".encode(),
    "client-credentials": b"\x00grant_type=client_credentials&scope=openid",
    "refresh-token": b"\x00grant_type=refresh_token&client_id=1-x.apps.googleusercontent.com"
    b"&client_secret=GOCSPX-x&refresh_token=1//x&scope=https://www.googleapis.com/auth/apps.order",
    "refresh-no-client": b"\x00grant_type=refresh_token&refresh_token=1//x",
    "json": b"\x02" + body({"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": FAKE}),
    "repeated": b"\x00" + f"grant_type={JWT}&grant_type=x&assertion=a.b.c".encode(),
}

KEYS = ["alg", "kid", "typ", "iss", "sub", "aud", "scope", "iat", "exp", "nbf", "jti", "jku",
        "x5u", "crit", "cty", "email"]
JSON_VALUES = 9  # variants of JsonValue
SIGNATURES = ["Real", "Bytes", "Missing"]


def member(key: str, value: bytes) -> bytes:
    return b"\x01" + bytes([KEYS.index(key)]) + value


def kn(i: int) -> bytes:
    return variant(0, JSON_VALUES) + bytes([i])


def from_now(seconds: int) -> bytes:
    return variant(1, JSON_VALUES) + struct.pack("<i", seconds)


def jwt(header, claims, signature="Real", sig=b""):
    out = variant(0, 2)
    for part in (header, claims):
        for key, value in part:
            out += member(key, value)
        out += b"\x00"
    return out + variant(SIGNATURES.index(signature), len(SIGNATURES)) + sig


HEADER = [("alg", kn(0)), ("kid", kn(0)), ("typ", kn(0))]
CLAIMS = [("iss", kn(0)), ("sub", kn(0)), ("aud", kn(0)), ("scope", kn(0)), ("iat", kn(0)), ("exp", kn(0))]
SEEDS["jwt_assertion"] = {
    "valid": jwt(HEADER, CLAIMS),
    "valid-no-sub": jwt(HEADER, [c for c in CLAIMS if c[0] != "sub"]),
    "valid-google-aud": jwt(HEADER, [("aud", kn(1)) if c[0] == "aud" else c for c in CLAIMS]),
    "sub-other-customer": jwt(HEADER, [("sub", kn(1)) if c[0] == "sub" else c for c in CLAIMS]),
    "staff-reseller-scope": jwt(HEADER, [("sub", kn(2)), ("scope", kn(1))] + CLAIMS[:1] + CLAIMS[2:3] + CLAIMS[4:]),
    "times-from-now": jwt(HEADER, CLAIMS[:4] + [("iat", from_now(-30)), ("exp", from_now(3500))]),
    "bad-signature": jwt(HEADER, CLAIMS, "Bytes", b"\x00" * 256),
    "no-signature": jwt(HEADER, CLAIMS, "Missing"),
    "hs256": jwt([("alg", kn(1)), ("kid", kn(0))], CLAIMS, "Bytes", b"sig"),
    # Google's Node.js client names no key: every key of the issuer is tried.
    "valid-no-kid": jwt([("alg", kn(0)), ("typ", kn(0))], CLAIMS),
    "no-kid-bad-signature": jwt([("alg", kn(0))], CLAIMS, "Bytes", b"\x01" * 256),
    "no-kid-other-issuer": jwt([("alg", kn(0))], [("iss", kn(1))] + CLAIMS[1:]),
    "raw": variant(1, 2) + FAKE.encode(),
}


def batch_part(path: int, token: bool = True, fold: bool = False, bare: bool = False) -> bytes:
    # path, with_token, fold_content_id, extra_header (None), body (None), bare
    return b"\x01" + bytes([path, token, fold, 0, 0, bare])


def batch(*parts: bytes, lf: bool = False, unclosed: bool = False) -> bytes:
    return variant(0, 2) + b"".join(parts) + b"\x00" + bytes([lf, unclosed])


SEEDS["batch_bodies"] = {
    "gam-style": batch(batch_part(2, fold=True), batch_part(2, fold=True), batch_part(3), lf=True),
    "reseller-reads": batch(batch_part(0), batch_part(1), batch_part(4)),
    "refused-parts": batch(batch_part(5), batch_part(8), batch_part(9), batch_part(6, bare=True)),
    "no-token": batch(batch_part(0, token=False), batch_part(7, token=False)),
    "unclosed": batch(batch_part(0), unclosed=True),
    "raw": variant(1, 2) + b"--===============0123456789==\r\nContent-Type: application/http\r\n\r\n"
    b"GET /healthz HTTP/1.1\r\n\r\n--===============0123456789==--\r\n",
}

def main() -> None:
    for target, seeds in SEEDS.items():
        folder = HERE / target
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        for name, data in seeds.items():
            (folder / name).write_bytes(data)
        print(f"{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
