"""Directory API users as a reseller admin: insert, get, patch, update,
delete / undelete, makeAdmin and list, on the customers the reseller manages.

A user's primary email decides which customer it belongs to. Every test makes
its own customer, so users never leak between tests.
"""

from __future__ import annotations

import pytest

from dir_helpers import (
    CRYPT_SHA512,
    DIR_PREFIX,
    NEVER_LOGGED_IN,
    SCOPE_DIR_CUSTOMER,
    SCOPE_DIR_USER,
    SCOPE_DIR_USER_RO,
    assert_user,
    emails_of,
    expect_error,
    get_user,
    google_timestamp,
    insert_ou,
    insert_user,
    language_of,
    list_users,
    list_users_page,
    md5_hex,
    new_reseller_customer,
    quick_user_body,
    rfc3339_ms,
    sha1_hex,
    user_body,
)
from helpers import unique_domain
from sub_helpers import fresh_reseller


def users(dsvc):
    return dsvc.users()


def test_every_timestamp_has_three_fractional_digits(dir_a, domain):
    """Google writes `2010-04-05T17:30:04.325Z`, trailing zeros kept: a reseller's
    fixed-width parser must read every creationTime and deletionTime, not nine in ten.
    Forty users make a trimmed zero (one time in ten) all but certain to show."""
    made = [insert_user(dir_a, quick_user_body(domain, f"ts{n:02d}")) for n in range(40)]
    for user in made:
        google_timestamp(user["creationTime"])
    listed = list_users(dir_a, domain=domain, maxResults=500)
    assert len(listed) == 40
    for user in listed:
        google_timestamp(user["creationTime"])
    for user in made[:10]:
        users(dir_a).delete(userKey=user["id"]).execute()
    gone = list_users(dir_a, domain=domain, showDeleted="true", maxResults=500)
    assert len(gone) == 10
    for user in gone:
        google_timestamp(user["deletionTime"])


# ---------------------------------------------------------------------------
# insert
# ---------------------------------------------------------------------------


def test_insert_returns_full_user(partnerd, dir_a, cid, domain):
    body = user_body(domain, "ana.lima", given="Ana", family="Lima")
    before = partnerd.now_ms()
    user = insert_user(dir_a, body)
    after = partnerd.now_ms()

    assert_user(user, customer_id=cid)
    assert user["primaryEmail"] == body["primaryEmail"]
    assert user["name"]["givenName"] == "Ana"
    assert user["name"]["familyName"] == "Lima"
    assert user["name"]["fullName"] == "Ana Lima"
    assert user["isAdmin"] is False
    assert user["isDelegatedAdmin"] is False
    assert user["suspended"] is False
    assert user["changePasswordAtNextLogin"] is False
    assert user["orgUnitPath"] == "/"
    assert user["lastLoginTime"] == NEVER_LOGGED_IN
    assert user["archived"] is False
    assert user["languages"] == [{"languageCode": "en", "preference": "preferred"}]
    created = rfc3339_ms(user["creationTime"])
    assert before - 2000 <= created <= after + 2000, f"creationTime {user['creationTime']} is not now"


def test_get_by_id_and_by_email_return_the_inserted_user(dir_a, cid, domain):
    user = insert_user(dir_a, user_body(domain, "bea"))
    by_id = assert_user(get_user(dir_a, user["id"]), customer_id=cid)
    by_email = get_user(dir_a, user["primaryEmail"])
    by_upper = get_user(dir_a, user["primaryEmail"].upper())

    assert by_id == by_email == by_upper
    for field in ("id", "primaryEmail", "name", "isAdmin", "suspended", "orgUnitPath", "customerId",
                  "creationTime", "languages"):
        assert by_id[field] == user[field], f"{field}: get {by_id[field]!r} != insert {user[field]!r}"


def test_user_ids_are_unique(dir_a, domain):
    ids = {insert_user(dir_a, quick_user_body(domain, f"u{i}"))["id"] for i in range(5)}
    assert len(ids) == 5


@pytest.mark.parametrize("field", ["primaryEmail", "name.givenName", "name.familyName", "password"])
def test_insert_requires_field(dir_a, domain, field):
    body = user_body(domain, "required")
    if field.startswith("name."):
        del body["name"][field.split(".")[1]]
    else:
        del body[field]
    expect_error(users(dir_a).insert(body=body), 400, "required", names=field.split(".")[-1])


def test_insert_requires_name(dir_a, domain):
    expect_error(users(dir_a).insert(body=user_body(domain, "noname", name=None)), 400, "required")
    assert list_users(dir_a, domain=domain) == []


def test_failed_inserts_create_nobody(dir_a, domain):
    body = user_body(domain, "ghost")
    del body["password"]
    expect_error(users(dir_a).insert(body=body), 400, "required")
    expect_error(users(dir_a).get(userKey=f"ghost@{domain}"), 404, "notFound")


@pytest.mark.parametrize("field", ["givenName", "familyName"])
def test_name_parts_up_to_60_characters(dir_a, domain, field):
    ok = user_body(domain, "long-ok")
    ok["name"][field] = "A" * 60
    assert insert_user(dir_a, ok)["name"][field] == "A" * 60

    bad = user_body(domain, "long-bad")
    bad["name"][field] = "A" * 61
    expect_error(users(dir_a).insert(body=bad), 400, "invalid")
    expect_error(users(dir_a).get(userKey=bad["primaryEmail"]), 404, "notFound")


@pytest.mark.parametrize("length", [8, 100])
def test_password_length_bounds_accepted(dir_a, domain, length):
    user = insert_user(dir_a, user_body(domain, f"pw{length}", password="p" * length))
    assert "password" not in user


@pytest.mark.parametrize("length", [7, 101])
def test_password_length_out_of_bounds_is_invalid(dir_a, domain, length):
    body = user_body(domain, f"pw{length}", password="p" * length)
    expect_error(users(dir_a).insert(body=body), 400, "invalid")
    expect_error(users(dir_a).get(userKey=body["primaryEmail"]), 404, "notFound")


@pytest.mark.parametrize(
    "hash_function,hashed",
    [("SHA-1", sha1_hex("correct horse")), ("MD5", md5_hex("correct horse")), ("crypt", CRYPT_SHA512)],
    ids=["sha1", "md5", "crypt"],
)
def test_hashed_password_is_accepted_as_given(dir_a, cid, domain, hash_function, hashed):
    body = user_body(domain, "hashed-" + hash_function.lower().replace("-", ""), password=hashed,
                     hashFunction=hash_function)
    user = assert_user(insert_user(dir_a, body), customer_id=cid)
    assert "password" not in user and "hashFunction" not in user
    fetched = get_user(dir_a, user["id"])
    assert "password" not in fetched and "hashFunction" not in fetched


def test_password_is_never_returned(dir_a, domain):
    user = insert_user(dir_a, user_body(domain, "secret"))
    patched = users(dir_a).patch(userKey=user["id"], body={"password": "An0ther-Passw0rd"}).execute()
    listed = list_users(dir_a, domain=domain)
    for where, obj in [("insert", user), ("patch", patched), ("get", get_user(dir_a, user["id"]))] + [
        ("list", u) for u in listed
    ]:
        assert "password" not in obj, f"password returned by {where}: {obj!r}"
        assert "hashFunction" not in obj, f"hashFunction returned by {where}: {obj!r}"


def test_insert_flags_and_org_unit(dir_a, cid, domain):
    insert_ou(dir_a, cid, "Staff")
    user = insert_user(dir_a, user_body(domain, "flags", suspended=True, changePasswordAtNextLogin=True,
                                        orgUnitPath="/Staff"))
    assert user["suspended"] is True
    assert user["changePasswordAtNextLogin"] is True
    assert user["orgUnitPath"] == "/Staff"
    again = get_user(dir_a, user["id"])
    assert (again["suspended"], again["changePasswordAtNextLogin"], again["orgUnitPath"]) == (True, True, "/Staff")


def test_insert_into_missing_org_unit_fails(dir_a, domain):
    body = user_body(domain, "nowhere", orgUnitPath="/No-Such-Unit")
    expect_error(users(dir_a).insert(body=body), 400)
    expect_error(users(dir_a).get(userKey=body["primaryEmail"]), 404, "notFound")


def test_is_admin_in_insert_body_is_ignored(dir_a, domain):
    user = insert_user(dir_a, user_body(domain, "wannabe", isAdmin=True))
    assert user["isAdmin"] is False
    assert get_user(dir_a, user["id"])["isAdmin"] is False


def test_duplicate_primary_email_is_409(dir_a, domain):
    first = insert_user(dir_a, user_body(domain, "admin"))
    expect_error(users(dir_a).insert(body=user_body(domain, "admin", given="Other")), 409, "duplicate")
    expect_error(users(dir_a).insert(body=user_body(domain, "ADMIN", given="Other")), 409, "duplicate")
    assert get_user(dir_a, first["primaryEmail"])["name"]["givenName"] == "Ana"
    assert len(list_users(dir_a, domain=domain)) == 1


def test_email_in_other_resellers_customer_domain_is_forbidden(partnerd, dir_a):
    other = new_reseller_customer(partnerd.service(partnerd.b))
    body = user_body(other["customerDomain"], "intruder")
    expect_error(users(dir_a).insert(body=body), 403, "forbidden")
    assert list_users(partnerd.directory(partnerd.b), customer=other["customerId"]) == []


def test_email_in_unknown_domain_is_invalid(dir_a):
    expect_error(users(dir_a).insert(body=user_body(unique_domain("nobody"), "lost")), 400, "invalid")


def test_domain_decides_the_customer(dir_a, svc_a):
    one, two = new_reseller_customer(svc_a), new_reseller_customer(svc_a)
    u1 = insert_user(dir_a, user_body(one["customerDomain"], "same"))
    u2 = insert_user(dir_a, user_body(two["customerDomain"], "same"))
    assert u1["customerId"] == one["customerId"]
    assert u2["customerId"] == two["customerId"]
    assert emails_of(list_users(dir_a, customer=one["customerId"])) == [u1["primaryEmail"]]
    assert emails_of(list_users(dir_a, customer=two["customerId"])) == [u2["primaryEmail"]]


def test_user_in_resellers_own_account(partnerd):
    reseller = fresh_reseller(partnerd, "dirusr")
    dsvc = partnerd.directory(reseller)
    user = assert_user(insert_user(dsvc, user_body(reseller["domain"], "colleague")),
                       customer_id=reseller["customerId"])
    listed = {u["primaryEmail"]: u for u in list_users(dsvc, customer="my_customer")}
    assert set(listed) == {reseller["adminEmail"], user["primaryEmail"]}
    assert listed[reseller["adminEmail"]]["isAdmin"] is True
    assert listed[user["primaryEmail"]]["isAdmin"] is False
    assert emails_of(list_users(dsvc, customer=reseller["customerId"])) == emails_of(
        list_users(dsvc, customer="my_customer"))


# ---------------------------------------------------------------------------
# get
# ---------------------------------------------------------------------------


def test_get_unknown_user_is_404(dir_a, domain):
    insert_user(dir_a, user_body(domain, "known"))
    expect_error(users(dir_a).get(userKey=f"unknown@{domain}"), 404, "notFound")
    expect_error(users(dir_a).get(userKey="999999999999999999999"), 404, "notFound")


def test_other_reseller_cannot_see_or_change_the_user(dir_a, dir_b, domain, cid):
    user = insert_user(dir_a, user_body(domain, "private"))
    expect_error(users(dir_b).get(userKey=user["primaryEmail"]), 403, "forbidden")
    expect_error(users(dir_b).get(userKey=user["id"]), 403, "forbidden")
    expect_error(users(dir_b).patch(userKey=user["id"], body={"suspended": True}), 403, "forbidden")
    expect_error(users(dir_b).makeAdmin(userKey=user["id"], body={"status": True}), 403, "forbidden")
    expect_error(users(dir_b).delete(userKey=user["id"]), 403, "forbidden")
    expect_error(users(dir_b).list(customer=cid), 403, "forbidden")
    expect_error(users(dir_b).list(domain=domain), 403, "forbidden")

    still = get_user(dir_a, user["id"])
    assert still["suspended"] is False and still["isAdmin"] is False


def test_list_for_unknown_customer_is_forbidden(dir_a):
    expect_error(users(dir_a).list(customer="C0zzzzzzz"), 403, "forbidden")


# ---------------------------------------------------------------------------
# patch / update
# ---------------------------------------------------------------------------


def test_patch_is_partial(dir_a, domain):
    user = insert_user(dir_a, user_body(domain, "patchy", given="Ana", family="Lima"))
    patched = users(dir_a).patch(userKey=user["id"], body={"name": {"givenName": "Anabela"}}).execute()
    assert patched["name"]["givenName"] == "Anabela"
    assert patched["name"]["familyName"] == "Lima"
    assert patched["name"]["fullName"] == "Anabela Lima"

    patched = users(dir_a).patch(userKey=user["primaryEmail"], body={"suspended": True}).execute()
    assert patched["suspended"] is True
    assert patched["name"]["givenName"] == "Anabela"

    fetched = get_user(dir_a, user["id"])
    assert fetched["suspended"] is True
    assert fetched["name"]["givenName"] == "Anabela"
    assert fetched["name"]["familyName"] == "Lima"
    assert fetched["primaryEmail"] == user["primaryEmail"]
    assert fetched["creationTime"] == user["creationTime"]


def test_patch_changes_etag(dir_a, domain):
    user = insert_user(dir_a, user_body(domain, "etag"))
    patched = users(dir_a).patch(userKey=user["id"], body={"changePasswordAtNextLogin": True}).execute()
    assert patched["etag"] != user["etag"]
    assert get_user(dir_a, user["id"])["etag"] == patched["etag"]


def test_patch_move_to_org_unit(dir_a, cid, domain):
    insert_ou(dir_a, cid, "Staff")
    user = insert_user(dir_a, user_body(domain, "mover"))
    patched = users(dir_a).patch(userKey=user["id"], body={"orgUnitPath": "/Staff"}).execute()
    assert patched["orgUnitPath"] == "/Staff"
    assert get_user(dir_a, user["id"])["orgUnitPath"] == "/Staff"

    expect_error(users(dir_a).patch(userKey=user["id"], body={"orgUnitPath": "/Missing"}), 400)
    assert get_user(dir_a, user["id"])["orgUnitPath"] == "/Staff"


@pytest.mark.parametrize("bad", [{"name": {"givenName": "A" * 61}}, {"password": "short"}],
                         ids=["long-name", "short-password"])
def test_patch_validates(dir_a, domain, bad):
    user = insert_user(dir_a, user_body(domain, "validated"))
    expect_error(users(dir_a).patch(userKey=user["id"], body=bad), 400, "invalid")
    assert get_user(dir_a, user["id"])["name"]["givenName"] == "Ana"


def test_patch_is_admin_is_ignored(dir_a, domain):
    user = insert_user(dir_a, user_body(domain, "sneaky"))
    users(dir_a).patch(userKey=user["id"], body={"isAdmin": True, "suspended": True}).execute()
    fetched = get_user(dir_a, user["id"])
    assert fetched["isAdmin"] is False
    assert fetched["suspended"] is True


def test_update_replaces_mutable_fields(dir_a, cid, domain):
    insert_ou(dir_a, cid, "Ops")
    user = insert_user(dir_a, user_body(domain, "replaced", given="Ana", family="Lima"))
    body = {
        "primaryEmail": user["primaryEmail"],
        "name": {"givenName": "Bruno", "familyName": "Souza"},
        "suspended": True,
        "changePasswordAtNextLogin": True,
        "orgUnitPath": "/Ops",
    }
    updated = users(dir_a).update(userKey=user["id"], body=body).execute()
    assert updated["name"]["givenName"] == "Bruno"
    assert updated["name"]["familyName"] == "Souza"
    assert updated["name"]["fullName"] == "Bruno Souza"
    assert updated["suspended"] is True
    assert updated["changePasswordAtNextLogin"] is True
    assert updated["orgUnitPath"] == "/Ops"
    assert updated["id"] == user["id"]
    assert get_user(dir_a, user["id"]) == updated


def test_update_resets_omitted_flags(dir_a, domain):
    user = insert_user(dir_a, user_body(domain, "reset", suspended=True, changePasswordAtNextLogin=True))
    body = {"primaryEmail": user["primaryEmail"], "name": {"givenName": "Ana", "familyName": "Lima"}}
    updated = users(dir_a).update(userKey=user["id"], body=body).execute()
    assert updated["suspended"] is False
    assert updated["changePasswordAtNextLogin"] is False


def test_change_primary_email_within_domain(dir_a, cid, domain):
    user = insert_user(dir_a, user_body(domain, "old-name"))
    new_email = f"new-name@{domain}"
    patched = users(dir_a).patch(userKey=user["id"], body={"primaryEmail": new_email}).execute()
    assert patched["primaryEmail"] == new_email
    assert patched["id"] == user["id"]
    assert get_user(dir_a, new_email)["id"] == user["id"]
    assert get_user(dir_a, user["id"])["primaryEmail"] == new_email
    assert new_email in emails_of(list_users(dir_a, customer=cid))
    assert user["primaryEmail"] not in emails_of(list_users(dir_a, customer=cid))


def test_change_primary_email_to_a_taken_one_is_409(dir_a, domain):
    first = insert_user(dir_a, user_body(domain, "first"))
    second = insert_user(dir_a, user_body(domain, "second"))
    expect_error(users(dir_a).patch(userKey=second["id"], body={"primaryEmail": first["primaryEmail"]}),
                 409, "duplicate")
    expect_error(users(dir_a).update(userKey=second["id"], body={
        "primaryEmail": first["primaryEmail"].upper(), "name": {"givenName": "Ana", "familyName": "Lima"}}),
        409, "duplicate")
    assert get_user(dir_a, second["id"])["primaryEmail"] == second["primaryEmail"]
    assert get_user(dir_a, first["primaryEmail"])["id"] == first["id"]


# ---------------------------------------------------------------------------
# makeAdmin
# ---------------------------------------------------------------------------


def test_make_admin_and_revoke(dir_a, cid, domain):
    user = insert_user(dir_a, user_body(domain, "boss"))
    result = users(dir_a).makeAdmin(userKey=user["primaryEmail"], body={"status": True}).execute()
    assert result in ("", {}, None), f"makeAdmin should answer with an empty body, got {result!r}"
    assert get_user(dir_a, user["id"])["isAdmin"] is True
    admins = list_users(dir_a, customer=cid, query="isAdmin=true")
    assert emails_of(admins) == [user["primaryEmail"]]

    users(dir_a).makeAdmin(userKey=user["id"], body={"status": False}).execute()
    assert get_user(dir_a, user["id"])["isAdmin"] is False
    assert list_users(dir_a, customer=cid, query="isAdmin=true") == []


def test_make_admin_requires_status(dir_a, domain):
    user = insert_user(dir_a, user_body(domain, "nostatus"))
    expect_error(users(dir_a).makeAdmin(userKey=user["id"], body={}), 400, "required")
    assert get_user(dir_a, user["id"])["isAdmin"] is False


def test_make_admin_of_unknown_user_is_404(dir_a, domain):
    insert_user(dir_a, user_body(domain, "someone"))
    expect_error(users(dir_a).makeAdmin(userKey=f"nobody@{domain}", body={"status": True}), 404, "notFound")


# ---------------------------------------------------------------------------
# delete / undelete
# ---------------------------------------------------------------------------


def test_delete_then_undelete(dir_a, cid, domain):
    keep = insert_user(dir_a, user_body(domain, "keep"))
    gone = insert_user(dir_a, user_body(domain, "gone"))

    users(dir_a).delete(userKey=gone["primaryEmail"]).execute()
    expect_error(users(dir_a).get(userKey=gone["primaryEmail"]), 404, "notFound")
    expect_error(users(dir_a).get(userKey=gone["id"]), 404, "notFound")
    assert emails_of(list_users(dir_a, customer=cid)) == [keep["primaryEmail"]]
    assert emails_of(list_users(dir_a, customer=cid, showDeleted="true")) == [gone["primaryEmail"]]

    users(dir_a).undelete(userKey=gone["id"], body={"orgUnitPath": "/"}).execute()
    back = get_user(dir_a, gone["primaryEmail"])
    assert back["id"] == gone["id"]
    assert back["name"] == gone["name"]
    assert sorted(emails_of(list_users(dir_a, customer=cid))) == sorted([keep["primaryEmail"], gone["primaryEmail"]])
    assert list_users(dir_a, customer=cid, showDeleted="true") == []


@pytest.mark.parametrize("body", [None, {}], ids=["no-body", "empty-body"])
def test_undelete_without_org_unit(dir_a, domain, body):
    user = insert_user(dir_a, user_body(domain, "lazarus"))
    users(dir_a).delete(userKey=user["id"]).execute()
    users(dir_a).undelete(userKey=user["id"], body=body).execute()
    back = get_user(dir_a, user["id"])
    assert back["primaryEmail"] == user["primaryEmail"]
    assert back["orgUnitPath"] == "/"


def test_delete_answers_with_an_empty_body(partnerd, dir_a, domain):
    user = insert_user(dir_a, user_body(domain, "rawdelete"))
    token = partnerd.access_token(partnerd.a, scopes=[SCOPE_DIR_USER])
    r = partnerd.raw("DELETE", f"{DIR_PREFIX}/users/{user['id']}", token=token)
    assert r.status_code in (200, 204), f"HTTP {r.status_code}: {r.text}"
    assert r.content.strip() in (b"", b"{}"), f"delete answered with a body: {r.text!r}"
    expect_error(users(dir_a).get(userKey=user["id"]), 404, "notFound")


def test_delete_unknown_user_is_404(dir_a, domain):
    insert_user(dir_a, user_body(domain, "present"))
    expect_error(users(dir_a).delete(userKey=f"absent@{domain}"), 404, "notFound")


def test_delete_twice_is_404(dir_a, domain):
    user = insert_user(dir_a, user_body(domain, "twice"))
    users(dir_a).delete(userKey=user["id"]).execute()
    expect_error(users(dir_a).delete(userKey=user["id"]), 404, "notFound")


# ---------------------------------------------------------------------------
# list
# ---------------------------------------------------------------------------


def test_list_needs_customer_or_domain(dir_a, domain):
    insert_user(dir_a, user_body(domain, "someone"))
    expect_error(users(dir_a).list(), 400, "badRequest")


def test_list_of_customer_without_users(dir_a, cid, domain):
    page = list_users_page(dir_a, customer=cid)
    assert page.get("users", []) == []
    assert "nextPageToken" not in page
    assert list_users_page(dir_a, domain=domain).get("users", []) == []


def test_list_by_customer_and_by_domain_agree(dir_a, cid, domain):
    made = [insert_user(dir_a, quick_user_body(domain, f"member{i}")) for i in range(3)]
    by_customer = list_users(dir_a, customer=cid)
    by_domain = list_users(dir_a, domain=domain)
    assert sorted(emails_of(by_customer)) == sorted(u["primaryEmail"] for u in made)
    assert sorted(emails_of(by_domain)) == sorted(emails_of(by_customer))
    for u in by_customer:
        assert_user(u, customer_id=cid)


@pytest.fixture
def people(dir_a, cid, domain):
    """Four users with distinct names; carla is a super admin in /Staff."""
    insert_ou(dir_a, cid, "Staff")
    made = {
        "ana.lima": insert_user(dir_a, quick_user_body(domain, "ana.lima", "Ana", "Lima")),
        "ana.costa": insert_user(dir_a, quick_user_body(domain, "ana.costa", "Beatriz", "Costa")),
        "bruno": insert_user(dir_a, quick_user_body(domain, "bruno", "Bruno", "Lima")),
        "carla": insert_user(dir_a, quick_user_body(domain, "carla", "Carla", "Souza", orgUnitPath="/Staff")),
    }
    users(dir_a).makeAdmin(userKey=made["carla"]["id"], body={"status": True}).execute()
    return made


@pytest.mark.parametrize(
    "query,expected",
    [
        ("email:ana*", {"ana.lima", "ana.costa"}),
        ("givenName:Ana", {"ana.lima"}),
        ("familyName:Lima", {"ana.lima", "bruno"}),
        ("isAdmin=true", {"carla"}),
        ("orgUnitPath=/Staff", {"carla"}),
        ("bruno", {"bruno"}),
        ("Costa", {"ana.costa"}),
        ("ana", {"ana.lima", "ana.costa"}),
    ],
)
def test_list_query(dir_a, cid, domain, people, query, expected):
    found = list_users(dir_a, customer=cid, query=query)
    assert sorted(emails_of(found)) == sorted(f"{local}@{domain}" for local in expected), f"query {query!r}"


def test_list_order_by(dir_a, cid, people):
    by_email = emails_of(list_users(dir_a, customer=cid, orderBy="email"))
    assert by_email == sorted(by_email) and len(by_email) == 4
    desc = emails_of(list_users(dir_a, customer=cid, orderBy="email", sortOrder="DESCENDING"))
    assert desc == sorted(by_email, reverse=True)

    given = [u["name"]["givenName"] for u in list_users(dir_a, customer=cid, orderBy="givenName")]
    assert given == ["Ana", "Beatriz", "Bruno", "Carla"]
    given_desc = [u["name"]["givenName"]
                  for u in list_users(dir_a, customer=cid, orderBy="givenName", sortOrder="DESCENDING")]
    assert given_desc == ["Carla", "Bruno", "Beatriz", "Ana"]

    family = [u["name"]["familyName"] for u in list_users(dir_a, customer=cid, orderBy="familyName")]
    assert family == ["Costa", "Lima", "Lima", "Souza"]


def test_list_paging_returns_each_user_once(dir_a, cid, domain):
    made = sorted(insert_user(dir_a, quick_user_body(domain, f"page{i:02d}"))["primaryEmail"] for i in range(7))
    first = list_users_page(dir_a, customer=cid, maxResults=3, orderBy="email")
    assert len(first["users"]) == 3
    assert first.get("nextPageToken")

    everyone = list_users(dir_a, customer=cid, maxResults=3, orderBy="email")
    assert emails_of(everyone) == made

    unordered = list_users(dir_a, customer=cid, maxResults=2)
    assert sorted(emails_of(unordered)) == made


def test_list_default_page_size_is_100(dir_a, cid, domain):
    for i in range(101):
        insert_user(dir_a, quick_user_body(domain, f"bulk{i:03d}"))
    page = list_users_page(dir_a, customer=cid)
    assert len(page["users"]) == 100
    assert page.get("nextPageToken")
    assert len(list_users(dir_a, customer=cid)) == 101
    assert len(list_users_page(dir_a, customer=cid, maxResults=500)["users"]) == 101


@pytest.mark.parametrize("bad", [0, 501])
def test_list_max_results_out_of_range_is_invalid(dir_a, cid, domain, bad):
    insert_user(dir_a, user_body(domain, "someone"))
    expect_error(users(dir_a).list(customer=cid, maxResults=bad), 400, "invalid")


def test_list_show_deleted_lists_deleted_users_only(dir_a, cid, domain):
    alive = insert_user(dir_a, quick_user_body(domain, "alive"))
    dead = insert_user(dir_a, quick_user_body(domain, "dead"))
    users(dir_a).delete(userKey=dead["id"]).execute()
    assert emails_of(list_users(dir_a, customer=cid, showDeleted="true")) == [dead["primaryEmail"]]
    assert emails_of(list_users(dir_a, customer=cid)) == [alive["primaryEmail"]]


# ---------------------------------------------------------------------------
# scopes
# ---------------------------------------------------------------------------


def test_user_readonly_scope_reads_but_cannot_write(partnerd, dir_a, cid, domain):
    user = insert_user(dir_a, user_body(domain, "readme"))
    ro = partnerd.directory(partnerd.a, scopes=[SCOPE_DIR_USER_RO])

    assert get_user(ro, user["id"]) == get_user(dir_a, user["id"])
    assert emails_of(list_users(ro, customer=cid)) == [user["primaryEmail"]]

    expect_error(users(ro).insert(body=user_body(domain, "nope")), 403, "insufficientPermissions")
    expect_error(users(ro).patch(userKey=user["id"], body={"suspended": True}), 403, "insufficientPermissions")
    expect_error(users(ro).update(userKey=user["id"], body={
        "primaryEmail": user["primaryEmail"], "name": {"givenName": "X", "familyName": "Y"}}),
        403, "insufficientPermissions")
    expect_error(users(ro).makeAdmin(userKey=user["id"], body={"status": True}), 403, "insufficientPermissions")
    expect_error(users(ro).delete(userKey=user["id"]), 403, "insufficientPermissions")

    after = get_user(dir_a, user["id"])
    assert (after["suspended"], after["isAdmin"], after["name"]["givenName"]) == (False, False, "Ana")
    assert emails_of(list_users(dir_a, customer=cid)) == [user["primaryEmail"]]


def test_customer_scope_cannot_use_users(partnerd, dir_a, domain):
    user = insert_user(dir_a, user_body(domain, "scoped"))
    dsvc = partnerd.directory(partnerd.a, scopes=[SCOPE_DIR_CUSTOMER])
    expect_error(users(dsvc).get(userKey=user["id"]), 403, "insufficientPermissions")
    expect_error(users(dsvc).insert(body=user_body(domain, "nope")), 403, "insufficientPermissions")


def test_user_scope_alone_is_enough(partnerd, cid, domain):
    dsvc = partnerd.directory(partnerd.a, scopes=[SCOPE_DIR_USER])
    user = insert_user(dsvc, user_body(domain, "enough"))
    assert user["customerId"] == cid
    assert language_of(user) == "en"
