"""The Site Verification API as Google's provisioning codelab uses it
(https://developers.google.com/workspace/admin/reseller/v1/codelab/end-to-end): a token
for the customer's domain, the customer, its first admin and a subscription, then the
domain verified, all through google-api-python-client with domain-wide delegation.

partnerd runs no DNS: the token's placing is taken on trust (docs/compatibility.md).
"""

from __future__ import annotations

from googleapiclient.discovery import build

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
