"""Transport-level errors: routing, methods, malformed bodies, size limits.

All of them must come back in Google's error format and none may be a 5xx.
"""

from __future__ import annotations

import json

import pytest

from helpers import (
    API_PREFIX,
    assert_error_body,
    assert_http_error,
    assert_response_error,
    domain_customer,
    execute_error,
    unique_domain,
)

ONE_MIB = 1024 * 1024


@pytest.fixture
def token_a(partnerd):
    return partnerd.access_token(partnerd.a)


@pytest.fixture
def customer_a(partnerd):
    return partnerd.service(partnerd.a).customers().insert(body=domain_customer()).execute()


def json_headers():
    return {"Content-Type": "application/json"}


# ---------------------------------------------------------------------------
# routing
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"{API_PREFIX}/nope",
        f"{API_PREFIX}/customers/C012345ab/nothing-here",
        "/apps/reseller/v2/customers/example.com",
        "/definitely/not/a/route",
    ],
)
def test_unknown_route_is_404(partnerd, token_a, path):
    r = partnerd.raw("GET", path, token=token_a)
    assert_response_error(r, 404, "notFound", "NOT_FOUND")


@pytest.mark.parametrize(
    "method,path",
    [
        ("DELETE", "/customers/{cid}"),  # there is no customers.delete
        ("POST", "/customers/{cid}"),
        ("GET", "/customers"),  # there is no customers.list
        ("PUT", "/customers"),
    ],
)
def test_wrong_method_on_known_path_is_405(partnerd, token_a, customer_a, method, path):
    url = API_PREFIX + path.format(cid=customer_a["customerId"])
    kwargs = {"json": domain_customer()} if method in ("POST", "PUT") else {}
    r = partnerd.raw(method, url, token=token_a, **kwargs)
    assert r.status_code == 405, f"{method} {url}: HTTP {r.status_code}: {r.text[:500]}"
    assert "application/json" in r.headers.get("Content-Type", ""), r.headers
    assert_error_body(r.json(), 405)
    # And the customer is still there, unchanged.
    r = partnerd.raw("GET", f"{API_PREFIX}/customers/{customer_a['customerId']}", token=token_a)
    assert r.status_code == 200 and r.json() == customer_a


# ---------------------------------------------------------------------------
# malformed bodies
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw_body",
    [
        b"{not json",
        b'{"customerDomain": "x.com",}',
        b'{"customerDomain": "x.com"',
        b"\xff\xfe\x00garbage",
    ],
)
def test_malformed_json_on_insert_is_parse_error(partnerd, token_a, raw_body):
    r = partnerd.raw("POST", f"{API_PREFIX}/customers", token=token_a, data=raw_body, headers=json_headers())
    assert_response_error(r, 400, "parseError", "INVALID_ARGUMENT")


def test_malformed_json_on_patch_is_parse_error_and_changes_nothing(partnerd, token_a, customer_a):
    url = f"{API_PREFIX}/customers/{customer_a['customerId']}"
    for method in ("PATCH", "PUT"):
        r = partnerd.raw(method, url, token=token_a, data=b'{"alternateEmail": ', headers=json_headers())
        assert_response_error(r, 400, "parseError", "INVALID_ARGUMENT")
    r = partnerd.raw("GET", url, token=token_a)
    assert r.status_code == 200 and r.json() == customer_a


def test_unknown_top_level_field_is_parse_error(partnerd):
    svc = partnerd.service(partnerd.a)
    body = domain_customer()
    body["bogusField"] = 1
    err = execute_error(svc.customers().insert(body=body))
    assert_http_error(err, 400, "parseError", "INVALID_ARGUMENT")
    # Nothing was created.
    assert_http_error(execute_error(svc.customers().get(customerId=body["customerDomain"])), 404, "notFound")


def test_unknown_nested_field_is_parse_error(partnerd):
    svc = partnerd.service(partnerd.a)
    body = domain_customer()
    body["postalAddress"]["streetNumber"] = "12"
    err = execute_error(svc.customers().insert(body=body))
    assert_http_error(err, 400, "parseError", "INVALID_ARGUMENT")


def test_unknown_field_on_patch_is_parse_error(partnerd, customer_a):
    svc = partnerd.service(partnerd.a)
    err = execute_error(
        svc.customers().patch(customerId=customer_a["customerId"], body={"alternateEmial": "typo@alt-mail.example"})
    )
    assert_http_error(err, 400, "parseError", "INVALID_ARGUMENT")
    assert svc.customers().get(customerId=customer_a["customerId"]).execute() == customer_a


def test_empty_insert_body_is_400(partnerd, token_a):
    r = partnerd.raw("POST", f"{API_PREFIX}/customers", token=token_a, data=b"", headers=json_headers())
    err = assert_response_error(r, 400, status="INVALID_ARGUMENT")
    assert err["errors"][0]["reason"] in ("parseError", "required"), err


def test_empty_object_insert_is_required(partnerd, token_a):
    r = partnerd.raw("POST", f"{API_PREFIX}/customers", token=token_a, json={})
    assert_response_error(r, 400, "required", "INVALID_ARGUMENT")


# ---------------------------------------------------------------------------
# size limit
# ---------------------------------------------------------------------------


def test_body_over_1mib_is_413(partnerd, token_a, customer_a):
    big = domain_customer()
    big["postalAddress"]["addressLine2"] = "x" * (ONE_MIB + 1024)
    data = json.dumps(big).encode()
    assert len(data) > ONE_MIB

    r = partnerd.raw("POST", f"{API_PREFIX}/customers", token=token_a, data=data, headers=json_headers())
    assert r.status_code == 413, f"HTTP {r.status_code}: {r.text[:500]}"
    assert_error_body(r.json(), 413)

    url = f"{API_PREFIX}/customers/{customer_a['customerId']}"
    r = partnerd.raw("PATCH", url, token=token_a, data=data, headers=json_headers())
    assert r.status_code == 413, f"HTTP {r.status_code}: {r.text[:500]}"
    assert_error_body(r.json(), 413)

    # The server is still healthy and the oversized insert created nothing.
    r = partnerd.raw("GET", f"{API_PREFIX}/customers/{big['customerDomain']}", token=token_a)
    assert_response_error(r, 404, "notFound")


def test_a_20mb_body_sent_whole_before_reading_gets_the_413(partnerd, token_a):
    """urllib (http.client, as httplib2) writes the whole body before it reads the answer:
    the server drains it and answers 413 in Google's format instead of a broken pipe."""
    import urllib.error
    import urllib.request

    data = b"{" + b" " * (20 * ONE_MIB) + b"}"
    request = urllib.request.Request(
        partnerd.base_url + f"{API_PREFIX}/customers",
        data=data,
        method="POST",
        headers={"Authorization": f"Bearer {token_a}", "Content-Type": "application/json"},
    )
    try:
        urllib.request.urlopen(request, timeout=60)
    except urllib.error.HTTPError as e:
        assert e.code == 413, e.code
        assert_error_body(json.loads(e.read()), 413)
    else:
        raise AssertionError("a 20 MB body was accepted")


def test_body_just_under_1mib_is_not_413(partnerd, token_a):
    body = domain_customer()
    body["postalAddress"]["addressLine2"] = "x" * 1000  # valid length
    body["alternateEmail"] = "billing@alt-mail.example"
    data = json.dumps(body).encode()
    # Pad with insignificant JSON whitespace up to just below 1 MiB.
    data = data[:-1] + b" " * (ONE_MIB - len(data) - 16) + b"}"
    assert len(data) < ONE_MIB
    r = partnerd.raw("POST", f"{API_PREFIX}/customers", token=token_a, data=data, headers=json_headers())
    # addressLine2 is 1000 chars: a validation error, not a size error.
    assert_response_error(r, 400, "invalid", message_contains="postalAddress.addressLine2")


# ---------------------------------------------------------------------------
# odd identifiers and system parameters: never a 5xx
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "C0" + "z" * 7,
        "c0abcdefg",
        "%00",
        "..%2F..%2Fetc%2Fpasswd",
        "a" * 5000,
        "%E2%98%83.com",
        "'%20OR%201=1--",
        "www." + "example.com",
    ],
)
def test_odd_customer_keys_are_404_not_5xx(partnerd, token_a, key):
    r = partnerd.raw("GET", f"{API_PREFIX}/customers/{key}", token=token_a)
    assert r.status_code in (400, 404), f"HTTP {r.status_code}: {r.text[:500]}"
    assert_error_body(r.json(), r.status_code)


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda b: b["postalAddress"].update(contactName="Jane\u0000Roe"), id="nul-in-contact"),
        pytest.param(lambda b: b.update(alternateEmail="x\u0000y@alt-mail.example"), id="nul-in-email"),
        pytest.param(lambda b: b["postalAddress"].update(locality="\U0001F600" * 255), id="255-emoji"),
        pytest.param(lambda b: b["postalAddress"].update(region="\ud800"), id="lone-surrogate"),
        pytest.param(lambda b: b.update(customerDomain=("a" * 63 + ".") * 4 + "com"), id="domain-over-253"),
        pytest.param(lambda b: b.update(customerDomain="a" * 64 + ".com"), id="label-over-63"),
        pytest.param(lambda b: b.update(phoneNumber="+" + "1" * 5000), id="huge-phone"),
        pytest.param(lambda b: b.update(customerDomain=12345), id="number-for-string"),
        pytest.param(lambda b: b.update(postalAddress="not an object"), id="string-for-object"),
    ],
)
def test_odd_body_values_never_5xx(partnerd, token_a, mutate):
    body = domain_customer()
    mutate(body)
    data = json.dumps(body).encode()
    r = partnerd.raw("POST", f"{API_PREFIX}/customers", token=token_a, data=data, headers=json_headers())
    assert r.status_code in (200, 400), f"HTTP {r.status_code}: {r.text[:500]}"
    if r.status_code == 400:
        assert_error_body(r.json(), 400)
        return
    created = r.json()
    fetched = partnerd.raw("GET", f"{API_PREFIX}/customers/{created['customerId']}", token=token_a)
    assert fetched.status_code == 200, fetched.text[:500]
    assert fetched.json() == created


def test_system_query_parameters_are_accepted(partnerd, token_a, customer_a):
    url = f"{API_PREFIX}/customers/{customer_a['customerId']}"
    r = partnerd.raw(
        "GET", url, token=token_a,
        params={"alt": "json", "prettyPrint": "false", "quotaUser": "tenant-42"},
    )
    assert r.status_code == 200, r.text
    assert r.json() == customer_a


def test_http_error_is_parsed_by_official_client(partnerd):
    svc = partnerd.service(partnerd.a)
    err = execute_error(svc.customers().get(customerId=unique_domain("missing")))
    assert err.status_code == 404
    assert isinstance(err.error_details, list) and err.error_details, err.error_details
    assert err.error_details[0]["reason"] == "notFound"
    assert err.reason and err.reason == json.loads(err.content)["error"]["message"]
