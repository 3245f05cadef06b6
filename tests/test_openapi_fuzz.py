"""GET /openapi.json: partnerd's OpenAPI 3.0 document, and a bounded fuzz run
of every operation it describes with schemathesis.

The document must be valid OpenAPI 3.0.x, declare a bearer security scheme and
describe every route of the README's tables. The fuzz run (positive and
negative data for every operation, then positive data again with real path
parameters of a reseller of its own; PARTNERD_FUZZ_EXAMPLES examples per
operation and pass, 20 by default) checks that no request gets a 5xx and that
every 4xx is Google's error format with error.code equal to the HTTP status
(/token answers the OAuth format instead). API operations are called with that
reseller's token holding every scope, control routes with the control token.

schemathesis's own pytest integration (``schemathesis.pytest.from_fixture``)
does not run under pytest 9 (it sets ``Function._nodeid``), so operations are
driven through its documented Hypothesis API: ``operation.as_strategy()``
under ``@given``, ``case.call`` and ``case.validate_response``.
"""

from __future__ import annotations

import collections
import copy
import os
import re
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.configuration import set_hypothesis_home_dir
from openapi_spec_validator import OpenAPIV30SpecValidator
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from dir_helpers import insert_user, quick_user_body
from fault_helpers import ALL_SCOPES
from helpers import domain_customer, unique_domain
from sub_helpers import BUSINESS_STARTER, flexible, fresh_reseller

FUZZ_EXAMPLES = int(os.environ.get("PARTNERD_FUZZ_EXAMPLES", "20"))

# Routes the fuzz run must never call, by path (schemathesis exclude filter):
# - the fault routes: a generated fault (say method "*" with no count) would make
#   every later request of the session server, shared by the whole suite, fail;
# - the clock advance: it moves the platform clock that every test shares (and
#   that expires access tokens and ends trials).
EXCLUDED_PATHS = [
    "/partnerd/v1/faults",
    "/partnerd/v1/faults/{id}",
    "/partnerd/v1/clock:advance",
]
EXCLUDED_PATH_RE = re.compile(r"^/partnerd/v1/(faults(/.*)?|clock:advance)$")

# Every route of the README's tables: (HTTP method, path with each {param}
# written as {}).
_R = "/apps/reseller/v1"
_SUB = _R + "/customers/{}/subscriptions/{}"
_D = "/admin/directory/v1"
_L = "/apps/licensing/v1/product/{}"
_C = "/partnerd/v1"
EXPECTED_ROUTES = [
    # Reseller API
    ("post", _R + "/customers"),
    ("get", _R + "/customers/{}"),
    ("patch", _R + "/customers/{}"),
    ("put", _R + "/customers/{}"),
    ("post", _R + "/customers/{}/subscriptions"),
    ("get", _R + "/subscriptions"),
    ("get", _SUB),
    ("delete", _SUB),
    ("post", _SUB + "/changePlan"),
    ("post", _SUB + "/changeSeats"),
    ("post", _SUB + "/changeRenewalSettings"),
    ("post", _SUB + "/startPaidService"),
    ("post", _SUB + "/suspend"),
    ("post", _SUB + "/activate"),
    ("post", _R + "/resellernotify/register"),
    ("post", _R + "/resellernotify/unregister"),
    ("get", _R + "/resellernotify/getwatchdetails"),
    # Directory API
    ("get", _D + "/customers/{}"),
    ("patch", _D + "/customers/{}"),
    ("put", _D + "/customers/{}"),
    ("post", _D + "/users"),
    ("get", _D + "/users"),
    ("get", _D + "/users/{}"),
    ("patch", _D + "/users/{}"),
    ("put", _D + "/users/{}"),
    ("delete", _D + "/users/{}"),
    ("post", _D + "/users/{}/makeAdmin"),
    ("post", _D + "/users/{}/undelete"),
    ("get", _D + "/customer/{}/orgunits"),
    ("post", _D + "/customer/{}/orgunits"),
    ("get", _D + "/customer/{}/orgunits/{}"),
    ("patch", _D + "/customer/{}/orgunits/{}"),
    ("put", _D + "/customer/{}/orgunits/{}"),
    ("delete", _D + "/customer/{}/orgunits/{}"),
    ("get", _D + "/customer/{}/roles/ALL/privileges"),
    ("get", _D + "/customer/{}/roles"),
    ("post", _D + "/customer/{}/roles"),
    ("get", _D + "/customer/{}/roles/{}"),
    ("patch", _D + "/customer/{}/roles/{}"),
    ("put", _D + "/customer/{}/roles/{}"),
    ("delete", _D + "/customer/{}/roles/{}"),
    ("get", _D + "/customer/{}/roleassignments"),
    ("post", _D + "/customer/{}/roleassignments"),
    ("get", _D + "/customer/{}/roleassignments/{}"),
    ("delete", _D + "/customer/{}/roleassignments/{}"),
    # Licensing API
    ("get", _L + "/users"),
    ("get", _L + "/sku/{}/users"),
    ("post", _L + "/sku/{}/user"),
    ("get", _L + "/sku/{}/user/{}"),
    ("patch", _L + "/sku/{}/user/{}"),
    ("put", _L + "/sku/{}/user/{}"),
    ("delete", _L + "/sku/{}/user/{}"),
    # OAuth
    ("post", "/token"),
    # Control API
    ("get", _C + "/clock"),
    ("post", _C + "/clock:advance"),
    ("post", _C + "/customers/{}:acceptTos"),
    ("post", _C + "/customers/{}:verifyDomain"),
    ("post", _C + "/customers/{}:transferToken"),
    ("post", _C + "/customers/{}:setResellerAccess"),
    ("get", _C + "/customers/{}/autoLicensing"),
    ("put", _C + "/customers/{}/autoLicensing"),
    ("put", _C + "/resellers/{}/pushEndpoint"),
    ("get", _C + "/resellers/{}/events"),
    ("get", _C + "/mail"),
    ("post", _C + "/faults"),
    ("get", _C + "/faults"),
    ("delete", _C + "/faults"),
    ("delete", _C + "/faults/{}"),
]

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def normalize(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def documented_routes(doc: dict) -> set:
    return {
        (method.lower(), normalize(path))
        for path, item in doc.get("paths", {}).items()
        for method in item
        if method.lower() in HTTP_METHODS
    }


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def openapi_doc(partnerd) -> dict:
    r = partnerd.raw("GET", "/openapi.json")
    assert r.status_code == 200, f"GET /openapi.json: HTTP {r.status_code}: {r.text[:500]}"
    assert "application/json" in r.headers.get("Content-Type", ""), r.headers
    doc = r.json()
    assert isinstance(doc, dict), doc
    return doc


def test_openapi_json_needs_no_credentials(partnerd):
    r = partnerd.raw("GET", "/openapi.json", token="not-a-token")
    assert r.status_code == 200, f"/openapi.json with a bad bearer: HTTP {r.status_code}: {r.text[:300]}"


def test_document_is_valid_openapi_3_0(openapi_doc):
    assert re.fullmatch(r"3\.0\.\d+", str(openapi_doc.get("openapi"))), openapi_doc.get("openapi")
    errors = [e.message for e in OpenAPIV30SpecValidator(copy.deepcopy(openapi_doc)).iter_errors()]
    assert not errors, (
        f"/openapi.json is not valid OpenAPI 3.0 ({len(errors)} errors): {errors}\n"
        f"defaults of the wrong type: {_mistyped_defaults(openapi_doc)}"
    )
    # schemathesis loads it too.
    schema = schemathesis.openapi.from_dict(copy.deepcopy(openapi_doc))
    errors = [r.err() for r in schema.get_all_operations() if not _is_ok(r)]
    assert not errors, f"schemathesis cannot use some operations: {errors}"


_JSON_TYPES = {"integer": int, "number": (int, float), "string": str, "boolean": bool,
               "array": list, "object": dict}


def _mistyped_defaults(node, where="#"):
    """Every schema whose ``default`` is not of its declared ``type``."""
    found = []
    if isinstance(node, dict):
        declared = node.get("type")
        if "default" in node and isinstance(declared, str) and declared in _JSON_TYPES:
            value = node["default"]
            if not isinstance(value, _JSON_TYPES[declared]) or (declared == "integer" and isinstance(value, bool)):
                found.append(f"{where}: default {value!r} is not {declared}")
        for key, value in node.items():
            found.extend(_mistyped_defaults(value, f"{where}/{key}"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_mistyped_defaults(value, f"{where}/{i}"))
    return found


def test_document_declares_bearer_security(openapi_doc):
    schemes = openapi_doc.get("components", {}).get("securitySchemes", {})
    bearer = [name for name, s in schemes.items()
              if s.get("type") == "http" and str(s.get("scheme", "")).lower() == "bearer"]
    assert bearer, f"no http bearer security scheme: {schemes!r}"
    # The Reseller API's insert is secured by it (globally or per operation).
    op = openapi_doc["paths"]["/apps/reseller/v1/customers"]["post"]
    security = op.get("security", openapi_doc.get("security"))
    assert security and any(set(req) & set(bearer) for req in security), (
        f"customers.insert is not secured by {bearer}: {security!r}"
    )


def test_document_describes_every_readme_route(openapi_doc):
    documented = documented_routes(openapi_doc)
    missing = [f"{m.upper()} {p}" for m, p in EXPECTED_ROUTES if (m, p) not in documented]
    assert not missing, (
        f"{len(missing)} route(s) of the README missing from /openapi.json: {missing}\n"
        f"documented: {sorted(f'{m.upper()} {p}' for m, p in documented)}"
    )


def test_every_documented_route_exists(partnerd, openapi_doc):
    """Nothing is documented that the router lacks: each documented API or
    control route, called without credentials, answers 401 (an unknown route
    would be 404, a wrong method 405); the others are never 404 or 405."""
    wrong = []
    for path, item in openapi_doc["paths"].items():
        concrete = re.sub(r"\{[^}]*\}", "x1", path)
        for method in item:
            if method.lower() not in HTTP_METHODS or EXCLUDED_PATH_RE.match(path):
                continue
            kwargs = {"json": {}} if method.lower() in ("post", "put", "patch") else {}
            r = partnerd.raw(method.upper(), concrete, **kwargs)
            secured = path.startswith(("/apps/", "/admin/", "/partnerd/"))
            if (secured and r.status_code != 401) or r.status_code in (404, 405):
                wrong.append(f"{method.upper()} {concrete}: HTTP {r.status_code} {r.text[:150]}")
    assert not wrong, "documented routes not answering 401 without credentials (or 404/405):\n" + "\n".join(wrong)


# ---------------------------------------------------------------------------
# The fuzz run
# ---------------------------------------------------------------------------


def _is_ok(result) -> bool:
    try:
        result.ok()
        return True
    except Exception:
        return False


def google_error_format(ctx, response, case):
    """Every 4xx/5xx answer is Google's error format with error.code equal to
    the HTTP status (the OAuth token endpoint answers RFC 6749 errors)."""
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except Exception:
        raise AssertionError(f"HTTP {response.status_code} body is not JSON: {response.text[:300]!r}")
    if case.operation.path == "/token" and isinstance(body, dict) and isinstance(body.get("error"), str):
        assert body["error"], body
        assert isinstance(body.get("error_description", ""), str), body
        return None
    assert isinstance(body, dict) and set(body) == {"error"}, f"not a Google error body: {body!r}"
    err = body["error"]
    assert isinstance(err, dict), body
    assert err.get("code") == response.status_code, (
        f"error.code {err.get('code')!r} != HTTP {response.status_code}: {body!r}"
    )
    assert isinstance(err.get("message"), str) and err["message"], body
    assert isinstance(err.get("status"), str) and err["status"], body
    errors = err.get("errors")
    assert isinstance(errors, list) and errors, body
    for item in errors:
        for key in ("message", "domain", "reason"):
            assert isinstance(item.get(key), str) and item[key], f"errors[].{key} missing: {body!r}"
    return None


@pytest.fixture(scope="module")
def hypothesis_home(tmp_path_factory):
    """Keep Hypothesis's storage out of the work tree."""
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    yield
    set_hypothesis_home_dir(None)


@pytest.fixture(scope="module")
def fuzz_reseller(partnerd):
    """A reseller of its own: whatever the fuzz run creates, changes or
    unregisters (customers, users, roles, notification watches) stays with it,
    away from reseller a and b that the rest of the suite uses."""
    return fresh_reseller(partnerd, "fuzz")


@pytest.fixture(scope="module")
def known_ids(partnerd, fuzz_reseller) -> dict:
    """Real path parameters of the fuzz reseller (a customer with an active
    subscription and a user), by the parameter names the document may use.
    The anchored pass fixes these so the fuzzed bodies reach real resources
    instead of stopping at 404. Reseller domains are left out on purpose: a
    fuzzed push endpoint would send notifications to generated URLs."""
    svc = partnerd.service(fuzz_reseller)
    customer = svc.customers().insert(body=domain_customer(unique_domain("fuzzed"))).execute()
    cid = customer["customerId"]
    partnerd.accept_tos(cid)
    sub = svc.subscriptions().insert(customerId=cid, body=flexible(BUSINESS_STARTER, 20)).execute()
    dsvc = partnerd.directory(fuzz_reseller)
    user = insert_user(dsvc, quick_user_body(customer["customerDomain"], "fuzz-user"))
    return {
        "customerId": cid, "customerKey": cid, "customer": cid,
        "subscriptionId": sub["subscriptionId"],
        "userKey": user["primaryEmail"], "userId": user["primaryEmail"],
        "productId": "Google-Apps", "skuId": BUSINESS_STARTER,
    }


def _fuzz_test(operation, mode, base_url, headers, statuses, path_parameters=None):
    """A Hypothesis test of one operation in one generation mode."""

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case):
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=[not_a_server_error, google_error_format])

    return run


def test_fuzz_every_operation(partnerd, openapi_doc, fuzz_reseller, known_ids, hypothesis_home):
    token = partnerd.access_token(fuzz_reseller, scopes=ALL_SCOPES)
    api_auth = {"Authorization": f"Bearer {token}"}
    control_auth = {"Authorization": f"Bearer {partnerd.control_token}"}

    schema = schemathesis.openapi.from_dict(copy.deepcopy(openapi_doc))
    schema.config.update(base_url=partnerd.base_url)
    schema = schema.exclude(path=EXCLUDED_PATHS).exclude(path_regex=EXCLUDED_PATH_RE.pattern)

    failures: list[str] = []
    statuses: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    operations: list[str] = []
    anchored: list = []
    started = time.monotonic()

    def headers_for(path):
        if path.startswith("/partnerd/v1/"):
            return control_auth             # control API: the control token
        if path == "/token":
            return {}                       # the assertion is the credential
        return api_auth                     # Reseller, Directory, Licensing: the reseller's token

    def fuzz(operation, mode, label, path_parameters=None):
        run = _fuzz_test(operation, mode, partnerd.base_url, headers_for(operation.path),
                         statuses[label], path_parameters)
        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises a FailureGroup
            failures.append(f"{label} [{mode.value}]: {str(exc)[:3000]}")

    for result in schema.get_all_operations():
        operation = result.ok()
        assert not EXCLUDED_PATH_RE.match(operation.path), f"excluded path not excluded: {operation.path}"
        operations.append(operation.label)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode, operation.label)
        names = set(re.findall(r"\{([^}]*)\}", operation.path))
        fixed = {name: known_ids[name] for name in names if name in known_ids}
        if fixed:
            anchored.append((operation, fixed))

    # Anchored pass: valid data against real resources; deletions last so the
    # resources live through the other operations.
    anchored.sort(key=lambda item: item[0].method.upper() == "DELETE")
    for operation, fixed in anchored:
        label = f"{operation.label} (real ids)"
        operations.append(label)
        fuzz(operation, GenerationMode.POSITIVE, label, fixed)

    elapsed = time.monotonic() - started
    summary = "\n".join(f"  {label}: {dict(sorted(statuses[label].items()))}" for label in operations)
    print(f"\nfuzzed {len(operations)} operation passes x <= {FUZZ_EXAMPLES} examples per mode "
          f"in {elapsed:.1f}s on {partnerd.backend}:\n{summary}")

    assert not failures, f"{len(failures)} fuzz failure(s) on {partnerd.backend}:\n\n" + "\n\n".join(failures)
    # The credentials got through: an API operation answering 401 to every
    # request would make the whole run meaningless.
    never_authorized = [label for label in operations
                        if not label.endswith(" /token")
                        and statuses[label] and set(statuses[label]) == {401}]
    assert not never_authorized, f"operations that answered only 401: {never_authorized}"
