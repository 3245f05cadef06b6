"""customers.insert / get / patch / update through Google's official client."""

from __future__ import annotations

import copy
import threading

import google.auth.transport.requests
import pytest
from googleapiclient.errors import HttpError

from helpers import (
    CUSTOMER_ID_RE,
    assert_customer_shape,
    assert_no_nulls,
    assert_http_error,
    domain_customer,
    execute_error,
    team_customer,
    unique_domain,
)


def insert(svc, body, **params):
    return svc.customers().insert(body=body, **params).execute()


def get(svc, key):
    return svc.customers().get(customerId=key).execute()


# ---------------------------------------------------------------------------
# insert / get basics
# ---------------------------------------------------------------------------


def test_insert_domain_customer_returns_full_resource(partnerd, svc_a):
    body = domain_customer()
    created = insert(svc_a, body)

    assert_customer_shape(created)
    assert created["kind"] == "reseller#customer"
    assert CUSTOMER_ID_RE.match(created["customerId"]), created["customerId"]
    assert created["customerDomain"] == body["customerDomain"]
    assert created["customerType"] == "domain"  # the default
    assert created["customerDomainVerified"] is False
    assert created["alternateEmail"] == body["alternateEmail"]
    assert created["phoneNumber"] == body["phoneNumber"]
    assert created["resourceUiUrl"].startswith(partnerd.base_url)
    addr = created["postalAddress"]
    assert addr["kind"] == "customers#address"
    for field, value in body["postalAddress"].items():
        assert addr[field] == value, f"postalAddress.{field}: {addr.get(field)!r} != {value!r}"


def test_get_by_id_and_by_domain_returns_same_customer(svc_a):
    body = domain_customer()
    created = insert(svc_a, body)

    by_id = get(svc_a, created["customerId"])
    by_domain = get(svc_a, body["customerDomain"])

    assert_customer_shape(by_id)
    assert by_id == created
    assert by_domain == created


def test_unset_fields_are_omitted_not_null(svc_a, svc_b):
    """Optional fields that were never set are absent from responses (Google
    never emits JSON null)."""
    body = domain_customer(phoneNumber=None, address_overrides={"addressLine1": None, "locality": None, "region": None})
    created = insert(svc_a, body)
    assert_no_nulls(created)
    assert_no_nulls(get(svc_a, created["customerId"]))
    team = insert(svc_a, team_customer())
    assert_no_nulls(team)
    assert_no_nulls(get(svc_b, created["customerId"]))  # minimal view


def test_customer_ids_are_unique(svc_a):
    ids = {insert(svc_a, domain_customer())["customerId"] for _ in range(5)}
    assert len(ids) == 5
    assert all(CUSTOMER_ID_RE.match(i) for i in ids), ids


def test_domain_is_stored_lower_case_and_looked_up_case_insensitively(svc_a):
    lower = unique_domain("mixedcase")
    created = insert(svc_a, domain_customer(lower.upper().replace("COM", "Com")))
    assert created["customerDomain"] == lower

    fetched = get(svc_a, lower.upper())
    assert fetched["customerId"] == created["customerId"]
    assert fetched["customerDomain"] == lower

    # The same domain in another case is a duplicate.
    err = execute_error(svc_a.customers().insert(body=domain_customer(lower.upper())))
    assert_http_error(err, 409, "duplicate", "ALREADY_EXISTS")


def test_get_unknown_customer_is_404(svc_a):
    assert_http_error(execute_error(svc_a.customers().get(customerId=unique_domain("nobody"))), 404, "notFound")
    assert_http_error(execute_error(svc_a.customers().get(customerId="C0zzzzzzz")), 404, "notFound")


def test_insert_ignores_kind_on_input(svc_a):
    body = domain_customer()
    body["kind"] = "reseller#customer"
    body["postalAddress"]["kind"] = "customers#address"
    created = insert(svc_a, body)
    assert created["kind"] == "reseller#customer"
    assert created["postalAddress"]["kind"] == "customers#address"
    assert created["customerDomain"] == body["customerDomain"]


def test_insert_accepts_customer_auth_token_for_new_domain(svc_a):
    body = domain_customer()
    created = insert(svc_a, body, customerAuthToken="0123456789abcdef0123456789abcdef")
    assert created["customerDomain"] == body["customerDomain"]
    assert get(svc_a, body["customerDomain"])["customerId"] == created["customerId"]


# ---------------------------------------------------------------------------
# team customers and customerType
# ---------------------------------------------------------------------------


def test_insert_team_customer_without_alternate_email(svc_a):
    body = team_customer()
    created = insert(svc_a, body)
    assert_customer_shape(created)
    assert created["customerType"] == "team"
    assert created["customerDomain"] == body["customerDomain"]
    assert created["primaryAdmin"]["primaryEmail"] == body["primaryAdmin"]["primaryEmail"]
    assert created["customerDomainVerified"] is False
    assert get(svc_a, created["customerId"])["customerType"] == "team"


def test_team_customer_requires_primary_admin_email(svc_a):
    err = execute_error(svc_a.customers().insert(body=team_customer(primaryAdmin=None)))
    assert_http_error(err, 400, "required", message_contains="primaryAdmin.primaryEmail")
    err = execute_error(svc_a.customers().insert(body=team_customer(primaryAdmin={})))
    assert_http_error(err, 400, "required", message_contains="primaryAdmin.primaryEmail")


def test_unknown_customer_type_is_invalid(svc_a):
    err = execute_error(svc_a.customers().insert(body=domain_customer(customerType="enterprise")))
    assert_http_error(err, 400, "invalid", message_contains="customerType")


def test_customer_type_cannot_change_on_patch_or_update(svc_a):
    created = insert(svc_a, domain_customer())
    cid = created["customerId"]

    err = execute_error(svc_a.customers().patch(customerId=cid, body={"customerType": "team"}))
    assert_http_error(err, 400, "invalid", message_contains="customerType")

    body = domain_customer(created["customerDomain"], customerType="team")
    err = execute_error(svc_a.customers().update(customerId=cid, body=body))
    assert_http_error(err, 400, "invalid", message_contains="customerType")

    assert get(svc_a, cid)["customerType"] == "domain"

    # Re-sending the current value is fine.
    patched = svc_a.customers().patch(customerId=cid, body={"customerType": "domain"}).execute()
    assert patched["customerType"] == "domain"
    updated = svc_a.customers().update(
        customerId=cid, body=domain_customer(created["customerDomain"], customerType="domain")
    ).execute()
    assert updated["customerType"] == "domain"


def test_team_customer_type_cannot_become_domain_via_patch(svc_a):
    created = insert(svc_a, team_customer())
    err = execute_error(svc_a.customers().patch(customerId=created["customerId"], body={"customerType": "domain"}))
    assert_http_error(err, 400, "invalid", message_contains="customerType")
    assert get(svc_a, created["customerId"])["customerType"] == "team"


# ---------------------------------------------------------------------------
# required fields
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field",
    [
        "customerDomain",
        "alternateEmail",
        "postalAddress",
        "postalAddress.contactName",
        "postalAddress.organizationName",
        "postalAddress.postalCode",
        "postalAddress.countryCode",
    ],
)
def test_domain_customer_required_fields(svc_a, field):
    body = domain_customer()
    if "." in field:
        parent, child = field.split(".")
        del body[parent][child]
        expected = field
    else:
        del body[field]
        expected = field
    err = execute_error(svc_a.customers().insert(body=body))
    assert_http_error(err, 400, "required", message_contains=expected)


def test_optional_address_fields_may_be_omitted(svc_a):
    body = domain_customer(
        phoneNumber=None,
        address_overrides={"addressLine1": None, "locality": None, "region": None},
    )
    created = insert(svc_a, body)
    assert "phoneNumber" not in created
    assert created["postalAddress"]["postalCode"] == "94043"


# ---------------------------------------------------------------------------
# customerDomain validation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_domain",
    [
        pytest.param(lambda d: "www." + d, id="www-prefix"),
        pytest.param(lambda d: d.split(".")[0], id="single-label"),
        pytest.param(lambda d: "-" + d, id="leading-hyphen"),
        pytest.param(lambda d: d.replace(".com", "-.com"), id="trailing-hyphen"),
        pytest.param(lambda d: d.replace("-", "_"), id="underscore"),
        pytest.param(lambda d: d.replace(".com", ".c0m"), id="digit-in-tld"),
        pytest.param(lambda d: d.replace(".com", ".123"), id="numeric-tld"),
        pytest.param(lambda d: d.replace(".com", "..com"), id="empty-label"),
        pytest.param(lambda d: d.replace(".com", " .com"), id="space"),
        pytest.param(lambda d: "user@" + d, id="email-not-domain"),
        pytest.param(lambda d: "b\u00fccher-" + d, id="non-ascii"),
        pytest.param(lambda d: d.replace("-", "\u0000"), id="nul-byte"),
    ],
)
def test_invalid_customer_domain_rejected(svc_a, make_domain):
    bad = make_domain(unique_domain("bad"))
    err = execute_error(svc_a.customers().insert(body=domain_customer(bad)))
    assert_http_error(err, 400, "invalid", message_contains="customerDomain")


def test_www_domain_rejected_even_when_bare_domain_is_free(svc_a):
    bare = unique_domain("www-check")
    err = execute_error(svc_a.customers().insert(body=domain_customer("www." + bare)))
    assert_http_error(err, 400, "invalid", message_contains="customerDomain")
    # Nothing was created for either form.
    assert_http_error(execute_error(svc_a.customers().get(customerId=bare)), 404, "notFound")
    assert_http_error(execute_error(svc_a.customers().get(customerId="www." + bare)), 404, "notFound")


def test_multi_label_and_hyphenated_domains_accepted(svc_a):
    for domain in (
        "sub." + unique_domain("multi"),
        unique_domain("a-b-c").replace(".com", ".co.uk"),
        unique_domain("x1").replace(".com", ".museum"),
    ):
        assert insert(svc_a, domain_customer(domain))["customerDomain"] == domain


# ---------------------------------------------------------------------------
# countryCode / postalCode / address lengths
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "country,postal",
    [
        ("US", "94043"),
        ("US", "94043-1351"),
        ("FR", "75008"),
        ("JP", "100-0001"),
        ("JP", "1000001"),
        ("ID", "10110"),
        ("GB", "SW1A 1AA"),
        ("GB", "EC1A 1BB"),
        ("DE", "10115"),
        ("BE", "1000"),
    ],
)
def test_valid_country_and_postal_code_accepted(svc_a, country, postal):
    created = insert(svc_a, domain_customer(address_overrides={"countryCode": country, "postalCode": postal}))
    assert created["postalAddress"]["countryCode"] == country
    assert created["postalAddress"]["postalCode"] == postal


@pytest.mark.parametrize("country", ["XX", "usa", "U", "KP", "IR", "CU", "SY"])
def test_invalid_or_embargoed_country_code_rejected(svc_a, country):
    body = domain_customer(address_overrides={"countryCode": country, "postalCode": "12345"})
    err = execute_error(svc_a.customers().insert(body=body))
    assert_http_error(err, 400, "invalid", message_contains="postalAddress.countryCode")


@pytest.mark.parametrize(
    "country,postal",
    [
        ("US", "ABCDE"),
        ("US", "9404"),
        ("US", "940431"),
        ("US", "94043-135"),
        ("FR", "7500"),
        ("FR", "75008A"),
        ("JP", "100-001"),
        ("JP", "ABC-DEFG"),
        ("ID", "1011"),
        ("GB", "12345"),
        ("DE", "1011"),
        ("DE", "101155"),
        ("BE", "10#0"),
        ("BE", "1234567890123"),
    ],
)
def test_invalid_postal_code_rejected(svc_a, country, postal):
    body = domain_customer(address_overrides={"countryCode": country, "postalCode": postal})
    err = execute_error(svc_a.customers().insert(body=body))
    assert_http_error(err, 400, "invalid", message_contains="postalAddress.postalCode")


ADDRESS_TEXT_FIELDS = [
    "contactName",
    "organizationName",
    "addressLine1",
    "addressLine2",
    "addressLine3",
    "locality",
    "region",
]


@pytest.mark.parametrize("field", ADDRESS_TEXT_FIELDS)
def test_address_field_max_255_chars(svc_a, field):
    ok = insert(svc_a, domain_customer(address_overrides={field: "a" * 255}))
    assert ok["postalAddress"][field] == "a" * 255

    err = execute_error(svc_a.customers().insert(body=domain_customer(address_overrides={field: "a" * 256})))
    assert_http_error(err, 400, "invalid", message_contains=f"postalAddress.{field}")


def test_address_length_counts_characters_not_bytes(svc_a):
    name = "é" * 255  # 510 bytes in UTF-8, 255 characters
    created = insert(svc_a, domain_customer(address_overrides={"contactName": name}))
    assert created["postalAddress"]["contactName"] == name


# ---------------------------------------------------------------------------
# alternateEmail / phoneNumber
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["not-an-email", "user@", "@mail.example", "user name@mail.example", "a@b@c.example"])
def test_invalid_alternate_email_rejected(svc_a, email):
    err = execute_error(svc_a.customers().insert(body=domain_customer(alternateEmail=email)))
    assert_http_error(err, 400, "invalid", message_contains="alternateEmail")


@pytest.mark.parametrize("where", ["same-domain", "same-domain-upper", "subdomain"])
def test_alternate_email_on_customer_domain_rejected(svc_a, where):
    domain = unique_domain("altmail")
    email = {
        "same-domain": f"it@{domain}",
        "same-domain-upper": f"it@{domain.upper()}",
        "subdomain": f"it@mail.{domain}",
    }[where]
    err = execute_error(svc_a.customers().insert(body=domain_customer(domain, alternateEmail=email)))
    assert_http_error(err, 400, "invalid", message_contains="alternateEmail")
    assert_http_error(execute_error(svc_a.customers().get(customerId=domain)), 404, "notFound")


def test_alternate_email_on_lookalike_domain_is_fine(svc_a):
    domain = unique_domain("lookalike")
    created = insert(svc_a, domain_customer(domain, alternateEmail=f"it@not{domain}"))
    assert created["alternateEmail"] == f"it@not{domain}"


@pytest.mark.parametrize("phone", ["123", "not a phone", "650-253-0000", "+"])
def test_invalid_phone_number_silently_dropped(svc_a, phone):
    created = insert(svc_a, domain_customer(phoneNumber=phone))
    assert "phoneNumber" not in created or created["phoneNumber"] in ("", None), created
    fetched = get(svc_a, created["customerId"])
    assert not fetched.get("phoneNumber"), fetched


@pytest.mark.parametrize("phone", ["+1 650-253-0000", "+33 1 42 68 53 00"])
def test_valid_phone_number_kept(svc_a, phone):
    created = insert(svc_a, domain_customer(phoneNumber=phone))
    assert created["phoneNumber"] == phone
    assert get(svc_a, created["customerId"])["phoneNumber"] == phone


# ---------------------------------------------------------------------------
# duplicates and other resellers' customers
# ---------------------------------------------------------------------------


def test_duplicate_insert_same_reseller_is_409(svc_a):
    body = domain_customer()
    first = insert(svc_a, body)
    err = execute_error(svc_a.customers().insert(body=domain_customer(body["customerDomain"])))
    assert_http_error(err, 409, "duplicate", "ALREADY_EXISTS")
    # The original is untouched.
    assert get(svc_a, first["customerId"]) == first


def test_insert_domain_of_other_resellers_customer_is_409(svc_a, svc_b):
    theirs = insert(svc_b, domain_customer())
    err = execute_error(svc_a.customers().insert(body=domain_customer(theirs["customerDomain"])))
    assert_http_error(err, 409, "duplicate", "ALREADY_EXISTS")


@pytest.mark.parametrize("which", ["own", "other"])
def test_insert_a_resellers_own_domain_is_409(partnerd, svc_a, which):
    domain = partnerd.a["domain"] if which == "own" else partnerd.b["domain"]
    err = execute_error(svc_a.customers().insert(body=domain_customer(domain)))
    assert_http_error(err, 409, "duplicate", "ALREADY_EXISTS")


def test_team_customer_domain_duplicate_is_409(svc_a, svc_b):
    team = insert(svc_b, team_customer())
    err = execute_error(svc_a.customers().insert(body=team_customer(team["customerDomain"])))
    assert_http_error(err, 409, "duplicate", "ALREADY_EXISTS")


def test_get_other_resellers_customer_is_minimal(svc_a, svc_b):
    theirs = insert(svc_b, domain_customer())
    for key in (theirs["customerId"], theirs["customerDomain"], theirs["customerDomain"].upper()):
        seen = get(svc_a, key)
        assert set(seen) - {"kind"} == {"customerId", "customerDomain", "customerType"}, seen
        assert seen["customerId"] == theirs["customerId"]
        assert seen["customerDomain"] == theirs["customerDomain"]
        assert seen["customerType"] == "domain"
        assert seen.get("kind", "reseller#customer") == "reseller#customer"
        assert_customer_shape(seen)

    team = insert(svc_b, team_customer())
    seen = get(svc_a, team["customerDomain"])
    assert set(seen) - {"kind"} == {"customerId", "customerDomain", "customerType"}, seen
    assert seen["customerType"] == "team"


def test_patch_or_update_other_resellers_customer_is_403(svc_a, svc_b):
    theirs = insert(svc_b, domain_customer())
    cid = theirs["customerId"]

    err = execute_error(svc_a.customers().patch(customerId=cid, body={"alternateEmail": "hijack@evil.example"}))
    assert_http_error(err, 403, "forbidden", "PERMISSION_DENIED")

    body = domain_customer(theirs["customerDomain"], alternateEmail="hijack@evil.example")
    err = execute_error(svc_a.customers().update(customerId=cid, body=body))
    assert_http_error(err, 403, "forbidden", "PERMISSION_DENIED")

    err = execute_error(
        svc_a.customers().patch(customerId=theirs["customerDomain"], body={"alternateEmail": "hijack@evil.example"})
    )
    assert_http_error(err, 403, "forbidden", "PERMISSION_DENIED")

    # Still unchanged for the owner.
    assert get(svc_b, cid) == theirs


def test_patch_and_update_unknown_customer_is_404(svc_a):
    domain = unique_domain("ghost")
    err = execute_error(svc_a.customers().patch(customerId=domain, body={"alternateEmail": "x@alt-mail.example"}))
    assert_http_error(err, 404, "notFound")
    err = execute_error(svc_a.customers().update(customerId=domain, body=domain_customer(domain)))
    assert_http_error(err, 404, "notFound")
    # update must not upsert
    assert_http_error(execute_error(svc_a.customers().get(customerId=domain)), 404, "notFound")


# ---------------------------------------------------------------------------
# patch / update semantics
# ---------------------------------------------------------------------------


def test_patch_is_partial(svc_a):
    created = insert(svc_a, domain_customer())
    cid = created["customerId"]

    patched = svc_a.customers().patch(customerId=cid, body={"postalAddress": {"locality": "Sunnyvale"}}).execute()
    assert_customer_shape(patched)
    expected = copy.deepcopy(created)
    expected["postalAddress"]["locality"] = "Sunnyvale"
    assert patched == expected
    assert get(svc_a, cid) == expected

    patched = svc_a.customers().patch(customerId=cid, body={"alternateEmail": "new-contact@alt-mail.example"}).execute()
    expected["alternateEmail"] = "new-contact@alt-mail.example"
    assert patched == expected
    assert get(svc_a, created["customerDomain"]) == expected


def test_patch_by_domain_name(svc_a):
    created = insert(svc_a, domain_customer())
    patched = svc_a.customers().patch(
        customerId=created["customerDomain"].upper(), body={"postalAddress": {"region": "NV"}}
    ).execute()
    assert patched["customerId"] == created["customerId"]
    assert patched["postalAddress"]["region"] == "NV"


def test_patch_postal_code_validated_against_existing_country(svc_a):
    created = insert(svc_a, domain_customer())  # US address
    cid = created["customerId"]
    err = execute_error(svc_a.customers().patch(customerId=cid, body={"postalAddress": {"postalCode": "ABCDE"}}))
    assert_http_error(err, 400, "invalid", message_contains="postalAddress.postalCode")
    # Changing country and postal code together is consistent and accepted.
    patched = svc_a.customers().patch(
        customerId=cid, body={"postalAddress": {"countryCode": "FR", "postalCode": "75008"}}
    ).execute()
    assert patched["postalAddress"]["countryCode"] == "FR"
    assert patched["postalAddress"]["postalCode"] == "75008"
    assert patched["postalAddress"]["contactName"] == created["postalAddress"]["contactName"]


@pytest.mark.parametrize(
    "patch_body,field",
    [
        ({"postalAddress": {"postalCode": "ABCDE"}}, "postalAddress.postalCode"),
        ({"postalAddress": {"countryCode": "KP"}}, "postalAddress.countryCode"),
        ({"postalAddress": {"contactName": "x" * 256}}, "postalAddress.contactName"),
        ({"alternateEmail": "not-an-email"}, "alternateEmail"),
        ({"alternateEmail": "SELF"}, "alternateEmail"),
        # A valid change bundled with an invalid one must not be half-applied.
        ({"postalAddress": {"locality": "Changed", "postalCode": "ABCDE"}}, "postalAddress.postalCode"),
        ({"alternateEmail": "ok@alt-mail.example", "postalAddress": {"countryCode": "XX"}},
         "postalAddress.countryCode"),
    ],
)
def test_failed_patch_leaves_no_partial_state(svc_a, patch_body, field):
    created = insert(svc_a, domain_customer())
    cid = created["customerId"]
    if patch_body.get("alternateEmail") == "SELF":
        patch_body = {"alternateEmail": f"me@{created['customerDomain']}"}
    err = execute_error(svc_a.customers().patch(customerId=cid, body=patch_body))
    assert_http_error(err, 400, "invalid", message_contains=field)
    assert get(svc_a, cid) == created


def test_update_replaces_mutable_fields(svc_a):
    original = domain_customer(address_overrides={"addressLine2": "Building 40", "addressLine3": "Floor 2"})
    created = insert(svc_a, original)
    cid = created["customerId"]

    replacement = {
        "customerDomain": created["customerDomain"],
        "alternateEmail": "finance@other-mail.example",
        "phoneNumber": "+33 1 42 68 53 00",
        "postalAddress": {
            "contactName": "Jean Dupont",
            "organizationName": "Exemple SARL",
            "addressLine1": "8 Rue de Londres",
            "locality": "Paris",
            "postalCode": "75009",
            "countryCode": "FR",
        },
    }
    updated = svc_a.customers().update(customerId=cid, body=replacement).execute()
    assert_customer_shape(updated)
    assert updated["customerId"] == cid
    assert updated["customerDomain"] == created["customerDomain"]
    assert updated["customerType"] == "domain"
    assert updated["alternateEmail"] == "finance@other-mail.example"
    assert updated["phoneNumber"] == "+33 1 42 68 53 00"
    addr = updated["postalAddress"]
    for field, value in replacement["postalAddress"].items():
        assert addr[field] == value, field
    # Fields missing from the PUT body are gone.
    for gone in ("addressLine2", "addressLine3", "region"):
        assert not addr.get(gone), f"update kept postalAddress.{gone}: {addr!r}"
    assert get(svc_a, cid) == updated


def test_update_round_trips_a_fetched_resource(svc_a):
    """The usual client pattern: get, change a field, PUT the whole object back
    (including read-only fields such as kind, customerId and resourceUiUrl)."""
    created = insert(svc_a, domain_customer())
    fetched = get(svc_a, created["customerId"])
    fetched["postalAddress"]["addressLine1"] = "1 New Street"
    updated = svc_a.customers().update(customerId=created["customerId"], body=fetched).execute()
    expected = copy.deepcopy(created)
    expected["postalAddress"]["addressLine1"] = "1 New Street"
    assert updated == expected
    assert get(svc_a, created["customerId"]) == expected


@pytest.mark.parametrize(
    "mutate,reason,field",
    [
        (lambda b: b.pop("alternateEmail"), "required", "alternateEmail"),
        (lambda b: b["postalAddress"].pop("contactName"), "required", "postalAddress.contactName"),
        (lambda b: b["postalAddress"].pop("postalCode"), "required", "postalAddress.postalCode"),
        (lambda b: b["postalAddress"].update(postalCode="ABCDE"), "invalid", "postalAddress.postalCode"),
        (lambda b: b["postalAddress"].update(countryCode="CU"), "invalid", "postalAddress.countryCode"),
        (lambda b: b["postalAddress"].update(region="r" * 256), "invalid", "postalAddress.region"),
        (lambda b: b.update(alternateEmail="bad@@x"), "invalid", "alternateEmail"),
    ],
)
def test_update_validates_like_insert(svc_a, mutate, reason, field):
    created = insert(svc_a, domain_customer())
    body = domain_customer(created["customerDomain"], alternateEmail="changed@alt-mail.example")
    mutate(body)
    err = execute_error(svc_a.customers().update(customerId=created["customerId"], body=body))
    assert_http_error(err, 400, reason, message_contains=field)
    assert get(svc_a, created["customerId"]) == created


# ---------------------------------------------------------------------------
# concurrency and persistence
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("mixed_case", [False, True], ids=["same-case", "mixed-case"])
def test_concurrent_inserts_of_same_domain_exactly_one_wins(partnerd, mixed_case):
    threads_n = 16
    domain = unique_domain("race")
    services = []
    for i in range(threads_n):
        # Half the racers are reseller A, half reseller B. Tokens are fetched
        # up front so the inserts themselves reach the server together.
        creds = partnerd.credentials(partnerd.a if i % 2 == 0 else partnerd.b)
        creds.refresh(google.auth.transport.requests.Request())
        services.append(partnerd.build_service(creds))
    barrier = threading.Barrier(threads_n)
    results: list = [None] * threads_n

    def worker(i):
        spelled = domain.upper() if (mixed_case and i % 4 >= 2) else domain
        req = services[i].customers().insert(body=domain_customer(spelled))
        try:
            barrier.wait(timeout=60)
            results[i] = ("ok", req.execute())
        except Exception as e:  # noqa: BLE001 - every outcome is checked below
            results[i] = e

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "insert threads hung"

    wins = [r[1] for r in results if isinstance(r, tuple)]
    conflicts = [r for r in results if isinstance(r, HttpError) and r.resp.status == 409]
    others = [r for r in results if not isinstance(r, tuple) and r not in conflicts]
    assert not others, f"unexpected outcomes: {others!r}"
    assert len(wins) == 1, f"{len(wins)} inserts succeeded: {wins!r}"
    assert len(conflicts) == threads_n - 1
    for e in conflicts:
        assert_http_error(e, 409, "duplicate", "ALREADY_EXISTS")

    seen = get(partnerd.service(partnerd.a), domain)
    assert seen["customerId"] == wins[0]["customerId"]
    assert seen["customerDomain"] == domain


def test_customer_survives_kill9_restart(partnerd):
    svc = partnerd.service(partnerd.a)
    body = domain_customer(address_overrides={"addressLine2": "Suite 5"})
    created = insert(svc, body)
    patched = svc.customers().patch(
        customerId=created["customerId"], body={"postalAddress": {"locality": "Palo Alto"}}
    ).execute()

    partnerd.kill9_and_restart()

    # Fresh credentials and client: nothing cached on the client side.
    svc = partnerd.service(partnerd.a)
    assert get(svc, created["customerId"]) == patched
    assert get(svc, created["customerDomain"]) == patched
    err = execute_error(svc.customers().insert(body=domain_customer(created["customerDomain"])))
    assert_http_error(err, 409, "duplicate", "ALREADY_EXISTS")
    # The other reseller's view is still minimal after restart.
    minimal = get(partnerd.service(partnerd.b), created["customerId"])
    assert set(minimal) - {"kind"} == {"customerId", "customerDomain", "customerType"}
