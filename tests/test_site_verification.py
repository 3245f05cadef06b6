"""The Site Verification API as Google's provisioning codelab uses it
(https://developers.google.com/workspace/admin/reseller/v1/codelab/end-to-end): a token
for the customer's domain, the customer, its first admin and a subscription, then the
domain verified, all through google-api-python-client with domain-wide delegation.

partnerd runs no DNS: the token's placing is taken on trust (docs/compatibility.md).
"""

from __future__ import annotations

import secrets

import apiclient.discovery
import apiclient.http
from googleapiclient.discovery import build
from oauth2client.service_account import ServiceAccountCredentials

from dir_helpers import expect_error, quick_user_body
from helpers import domain_customer
from sub_helpers import flexible

SCOPE_SITE = "https://www.googleapis.com/auth/siteverification"
SCOPE_SITE_VERIFY_ONLY = "https://www.googleapis.com/auth/siteverification.verify_only"


def verification(partnerd, reseller: dict, scopes=None):
    """The client as a reseller builds it. google-api-python-client's `api_endpoint`
    replaces the document's rootUrl and servicePath together, so for this API (whose
    servicePath is `siteVerification/v1/`, unlike the other three) it names both."""
    creds = partnerd.credentials(reseller, scopes or [SCOPE_SITE])
    return build("siteVerification", "v1", credentials=creds, cache_discovery=False, static_discovery=True,
                 client_options={"api_endpoint": partnerd.base_url + "/siteVerification/v1/"})


def domain_site(domain: str) -> dict:
    return {"type": "INET_DOMAIN", "identifier": domain}


def test_the_codelab_flow_verifies_the_customers_domain(partnerd):
    reseller = partnerd.service(partnerd.a)
    directory = partnerd.directory(partnerd.a)
    sites = verification(partnerd, partnerd.a)
    body = domain_customer()
    domain = body["customerDomain"]

    # 1. The token to place in the domain's DNS.
    token = sites.webResource().getToken(body={"site": domain_site(domain), "verificationMethod": "DNS_TXT"}).execute()
    assert token["method"] == "DNS_TXT" and token["token"].startswith("google-site-verification="), token
    again = sites.webResource().getToken(body={"site": domain_site(domain.upper()), "verificationMethod": "DNS"}).execute()
    assert again == token, "the same token for the same site, and DNS is DNS_TXT"
    # 2-4. The customer, its first admin, a subscription.
    customer = reseller.customers().insert(body=body).execute()
    assert customer["customerDomainVerified"] is False
    admin = directory.users().insert(body=quick_user_body(domain, "admin")).execute()
    directory.users().makeAdmin(userKey=admin["id"], body={"status": True}).execute()
    reseller.subscriptions().insert(customerId=customer["customerId"], body=flexible("1010020027", 5)).execute()
    # 5. Verify.
    verified = sites.webResource().insert(verificationMethod="DNS_TXT", body={"site": domain_site(domain)}).execute()
    assert verified == {"id": f"dns%3A%2F%2F{domain}", "site": domain_site(domain), "owners": [partnerd.a["adminEmail"]]}
    assert reseller.customers().get(customerId=customer["customerId"]).execute()["customerDomainVerified"] is True
    assert sites.webResource().get(id=verified["id"]).execute() == verified
    assert verified in sites.webResource().list().execute()["items"]
    # Verifying again changes nothing.
    assert sites.webResource().insert(verificationMethod="DNS_TXT", body={"site": domain_site(domain)}).execute() == verified

    sites.webResource().delete(id=verified["id"]).execute()
    expect_error(sites.webResource().get(id=verified["id"]), 404, "notFound")
    assert reseller.customers().get(customerId=customer["customerId"]).execute()["customerDomainVerified"] is True


def test_the_codelab_as_written_runs_with_oauth2client_and_its_scope_spelling(partnerd):
    """The codelab's "Put it all together" program, step by step as it is written: the
    `apiclient` names, oauth2client's ServiceAccountCredentials with `create_delegated`,
    its scopes spelled under reseller.googleapis.com, no `client_options`; only the key
    file, the reseller's admin, the customer's domain and where the documents come from
    are this server's."""
    scopes = [
        "https://reseller.googleapis.com/auth/apps.order",
        "https://reseller.googleapis.com/auth/siteverification",
        "https://reseller.googleapis.com/auth/admin.directory.user",
    ]
    credentials = ServiceAccountCredentials.from_json_keyfile_name(
        partnerd.a["keyfile"], scopes).create_delegated(partnerd.a["adminEmail"])
    documents = partnerd.base_url + "/discovery/v1/apis/{api}/{apiVersion}/rest"

    def service(name, version):
        return apiclient.discovery.build(serviceName=name, version=version, credentials=credentials,
                                         discoveryServiceUrl=documents, cache_discovery=False)

    reseller, directory, sites = service("reseller", "v1"), service("admin", "directory_v1"), \
        service("siteVerification", "v1")
    domain = domain_customer()["customerDomain"]
    first_admin = "marty.mcfly@" + domain

    token = sites.webResource().getToken(body={"site": domain_site(domain), "verificationMethod": "DNS_TXT"}).execute()
    assert token["token"].startswith("google-site-verification="), token
    try:
        reseller.customers().get(customerId=domain).execute()
        raise AssertionError("the customer does not exist yet")
    except apiclient.http.HttpError as error:
        assert int(error.resp["status"]) == 404, error
    customer = reseller.customers().insert(body={
        "customerDomain": domain, "alternateEmail": "marty.mcfly@gmail.com",
        "postalAddress": {"contactName": "Marty McFly", "organizationName": "Acme Corp", "postalCode": "10009",
                          "countryCode": "US"}}).execute()
    user = directory.users().insert(body={"primaryEmail": first_admin, "name": {"givenName": "Marty",
                                          "familyName": "McFly"}, "password": "Timecircuit88"}).execute()
    assert user["primaryEmail"] == first_admin
    directory.users().makeAdmin(userKey=first_admin, body={"status": True}).execute()
    subscription = reseller.subscriptions().insert(customerId=domain, body={
        "customerId": domain, "skuId": "1010020027", "plan": {"planName": "ANNUAL_MONTHLY_PAY"},
        "seats": {"numberOfSeats": 5},
        "renewalSettings": {"renewalType": "RENEW_CURRENT_USERS_MONTHLY_PAY"}}).execute()
    # Google answers ANNUAL_MONTHLY_PAY as ANNUAL.
    assert subscription["plan"]["planName"] == "ANNUAL" and subscription["seats"]["numberOfSeats"] == 5
    verified = sites.webResource().insert(verificationMethod="DNS_TXT", body={
        "site": domain_site(domain), "owners": [first_admin]}).execute()
    assert verified["owners"] == [partnerd.a["adminEmail"], first_admin], verified
    assert reseller.customers().get(customerId=customer["customerId"]).execute()["customerDomainVerified"] is True
    assert directory.users().get(userKey=first_admin).execute()["isAdmin"] is True


def test_owners_are_named_at_insert_and_changed_by_update_and_patch(partnerd):
    sites = verification(partnerd, partnerd.a)
    me = partnerd.a["adminEmail"]
    domain = domain_customer()["customerDomain"]
    made = sites.webResource().insert(verificationMethod="DNS_TXT", body={
        "site": domain_site(domain), "owners": ["IT@" + domain.upper(), "it@" + domain]}).execute()
    assert made["owners"] == [me, "it@" + domain], "addresses lower-cased, each once"
    site_id = made["id"]

    both = sites.webResource().update(id=site_id, body={"owners": [me, "it@" + domain, "cfo@" + domain]}).execute()
    assert both["owners"] == [me, "it@" + domain, "cfo@" + domain]
    assert sites.webResource().get(id=site_id).execute() == both
    same = sites.webResource().patch(id=site_id, body={}).execute()
    assert same == both, "a patch that names no owners changes nothing"
    fewer = sites.webResource().patch(id=site_id, body={"owners": [me, "cfo@" + domain]}).execute()
    assert fewer["owners"] == [me, "cfo@" + domain], "a named owner may be removed"
    # Google: "You cannot use this method to unverify the authenticated user's ownership".
    expect_error(sites.webResource().update(id=site_id, body={"owners": ["cfo@" + domain]}), 400, "invalid",
                 names="owners")
    expect_error(sites.webResource().patch(id=site_id, body={"owners": [me, "not an address"]}), 400, "invalid",
                 names="owners[1]")
    expect_error(sites.webResource().insert(verificationMethod="DNS_TXT", body={
        "site": domain_site(domain), "owners": ["nobody"]}), 400, "invalid", names="owners[0]")
    assert sites.webResource().get(id=site_id).execute() == fewer, "refused changes change nothing"
    expect_error(sites.webResource().update(id="dns%3A%2F%2Fnever-verified.example", body={"owners": [me]}), 404,
                 "notFound")


def test_a_second_verifier_cannot_be_removed_by_update(partnerd):
    """Each staff member who verifies a site placed a token; update cannot remove them."""
    sites = verification(partnerd, partnerd.a)
    me = partnerd.a["adminEmail"]
    directory = partnerd.directory(partnerd.a)
    staff = directory.users().insert(body=quick_user_body(partnerd.a["domain"], "sv-" + secrets.token_hex(4))).execute()
    directory.users().makeAdmin(userKey=staff["id"], body={"status": True}).execute()
    as_staff = build("siteVerification", "v1", credentials=partnerd.credentials(partnerd.a, [SCOPE_SITE],
                                                                               subject=staff["primaryEmail"]),
                     cache_discovery=False, static_discovery=True,
                     client_options={"api_endpoint": partnerd.base_url + "/siteVerification/v1/"})
    domain = domain_customer()["customerDomain"]
    sites.webResource().insert(verificationMethod="DNS_TXT", body={"site": domain_site(domain)}).execute()
    second = as_staff.webResource().insert(verificationMethod="DNS_TXT", body={"site": domain_site(domain)}).execute()
    assert second["owners"] == [me, staff["primaryEmail"]]
    expect_error(sites.webResource().update(id=second["id"], body={"owners": [me]}), 400, "invalid",
                 names="owners")
    assert sites.webResource().get(id=second["id"]).execute() == second


def test_bad_sites_and_methods_are_refused_naming_the_field(partnerd):
    sites = verification(partnerd, partnerd.a)
    domain = domain_customer()["customerDomain"]
    token = sites.webResource().getToken
    expect_error(token(body={"site": domain_site(domain), "verificationMethod": "FILE"}), 400, "invalid",
                 names="verificationMethod")
    expect_error(token(body={"verificationMethod": "DNS_TXT"}), 400, "required", names="site.type")
    expect_error(token(body={"site": {"type": "INET_DOMAIN"}, "verificationMethod": "DNS_TXT"}), 400, "required",
                 names="site.identifier")
    expect_error(token(body={"site": {"type": "ANDROID_APP", "identifier": "x"}, "verificationMethod": "DNS_TXT"}),
                 400, "invalid", names="site.type")
    expect_error(token(body={"site": domain_site(domain)}), 400, "required", names="verificationMethod")
    site = token(body={"site": {"type": "SITE", "identifier": f"https://{domain}/"},
                       "verificationMethod": "META"}).execute()
    assert site["token"].startswith('<meta name="google-site-verification" content="'), site
    expect_error(sites.webResource().insert(verificationMethod="META", body={"site": domain_site(domain)}), 400,
                 "invalid", names="verificationMethod")


def test_another_resellers_customer_is_not_verified_and_sites_stay_with_their_account(partnerd):
    reseller_a = partnerd.service(partnerd.a)
    customer = reseller_a.customers().insert(body=domain_customer()).execute()
    domain = customer["customerDomain"]
    sites_b = verification(partnerd, partnerd.b)
    expect_error(sites_b.webResource().insert(verificationMethod="DNS_TXT", body={"site": domain_site(domain)}), 403)
    assert reseller_a.customers().get(customerId=customer["customerId"]).execute()["customerDomainVerified"] is False
    a_token = verification(partnerd, partnerd.a).webResource().getToken(
        body={"site": domain_site(domain), "verificationMethod": "DNS_TXT"}).execute()
    b_token = sites_b.webResource().getToken(body={"site": domain_site(domain), "verificationMethod": "DNS_TXT"}).execute()
    assert a_token["token"] != b_token["token"], "a token is its reseller's"
    verified = verification(partnerd, partnerd.a).webResource().insert(
        verificationMethod="DNS_TXT", body={"site": domain_site(domain)}).execute()
    expect_error(sites_b.webResource().get(id=verified["id"]), 404, "notFound")
    expect_error(sites_b.webResource().delete(id=verified["id"]), 404, "notFound")
    assert verified["id"] not in {s["id"] for s in sites_b.webResource().list().execute().get("items", [])}


def test_scopes(partnerd):
    verify_only = verification(partnerd, partnerd.a, [SCOPE_SITE_VERIFY_ONLY])
    domain = domain_customer()["customerDomain"]
    verify_only.webResource().getToken(body={"site": domain_site(domain), "verificationMethod": "DNS_TXT"}).execute()
    made = verify_only.webResource().insert(verificationMethod="DNS_TXT", body={"site": domain_site(domain)}).execute()
    expect_error(verify_only.webResource().list(), 403, "insufficientPermissions")
    expect_error(verify_only.webResource().get(id=made["id"]), 403, "insufficientPermissions")
    no_site_scope = verification(partnerd, partnerd.a, ["https://www.googleapis.com/auth/apps.order"])
    expect_error(no_site_scope.webResource().getToken(
        body={"site": domain_site(domain), "verificationMethod": "DNS_TXT"}), 403, "insufficientPermissions")
