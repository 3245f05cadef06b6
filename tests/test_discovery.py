"""The discovery service: clients that build themselves from discovery documents (and
tools that cache them) find partnerd's own address in `rootUrl`, at Google's two
addresses, and in the directory list."""

from __future__ import annotations

import pytest
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from helpers import SCOPE_ORDER, domain_customer
from lic_helpers import SCOPE_LICENSING

APIS = [("reseller", "v1"), ("admin", "directory_v1"), ("licensing", "v1"), ("siteVerification", "v1")]


def discovered(partnerd, api, version, creds, url_template):
    """A client generated from the document partnerd serves: no endpoint given."""
    return build(
        api, version,
        credentials=creds,
        discoveryServiceUrl=partnerd.base_url + url_template,
        static_discovery=False,
        cache_discovery=False,
    )


@pytest.mark.parametrize("api,version", APIS)
def test_each_document_points_at_partnerd(partnerd, api, version):
    r = partnerd.raw("GET", f"/discovery/v1/apis/{api}/{version}/rest")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    doc = r.json()
    assert (doc["name"], doc["version"]) == (api, version)
    assert doc["rootUrl"] == partnerd.base_url + "/"
    assert doc["baseUrl"] == partnerd.base_url + "/" + doc["servicePath"]
    assert doc["mtlsRootUrl"] == partnerd.base_url + "/"
    assert "googleapis.com/\"" not in r.text.replace("www.googleapis.com/auth", "")
    assert doc["resources"], "the whole document, methods and all"


def test_the_directory_lists_the_four_apis(partnerd):
    r = partnerd.raw("GET", "/discovery/v1/apis")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kind"] == "discovery#directoryList"
    assert [(i["name"], i["version"]) for i in body["items"]] == APIS
    for item in body["items"]:
        assert item["kind"] == "discovery#directoryItem"
        assert item["id"] == f"{item['name']}:{item['version']}"
        assert item["preferred"] is True
        follow = partnerd.raw("GET", item["discoveryRestUrl"].removeprefix(partnerd.base_url))
        assert follow.status_code == 200 and follow.json()["id"] == item["id"]
    only = partnerd.raw("GET", "/discovery/v1/apis", params={"name": "licensing", "preferred": "true"})
    assert [i["id"] for i in only.json()["items"]] == ["licensing:v1"]
    none = partnerd.raw("GET", "/discovery/v1/apis", params={"name": "drive"}).json()
    assert none == {"kind": "discovery#directoryList", "discoveryVersion": "v1"}
    bad = partnerd.raw("GET", "/discovery/v1/apis", params={"preferred": "yes"})
    assert bad.status_code == 400 and bad.json()["error"]["errors"][0]["location"] == "preferred"


def test_the_dollar_discovery_address_picks_the_api_by_host_then_version(partnerd):
    def api_of(version, **kw):
        r = partnerd.raw("GET", "/$discovery/rest", params={"version": version, **kw.pop("params", {})}, **kw)
        assert r.status_code == 200, r.text
        assert r.json()["rootUrl"] == partnerd.base_url + "/"
        return r.json()["id"]

    assert api_of("directory_v1") == "admin:directory_v1"
    assert api_of("v1") == "reseller:v1"
    assert api_of("v1", params={"api": "licensing"}) == "licensing:v1"
    port = partnerd.base_url.rsplit(":", 1)[1]
    assert api_of("v1", headers={"Host": f"licensing.partnerd.test:{port}"}) == "licensing:v1"
    # Host names are lower-case; Google serves this API at siteverification.googleapis.com.
    assert api_of("v1", headers={"Host": f"siteverification.partnerd.test:{port}"}) == "siteVerification:v1"
    missing = partnerd.raw("GET", "/$discovery/rest")
    assert missing.status_code == 400 and missing.json()["error"]["errors"][0]["location"] == "version"
    assert partnerd.raw("GET", "/$discovery/rest", params={"version": "v2"}).status_code == 404
    assert partnerd.raw("GET", "/discovery/v1/apis/drive/v3/rest").status_code == 404


@pytest.mark.parametrize("template", [
    "/discovery/v1/apis/{api}/{apiVersion}/rest",
    "/$discovery/rest?version={apiVersion}&api={api}",
])
def test_clients_built_from_served_discovery_drive_partnerd(partnerd, template):
    a = partnerd.a
    reseller = discovered(partnerd, "reseller", "v1", partnerd.credentials(a, scopes=[SCOPE_ORDER]), template)
    body = domain_customer()
    made = reseller.customers().insert(body=body).execute()
    assert made["customerDomain"] == body["customerDomain"]
    assert made["resourceUiUrl"].startswith(partnerd.base_url)
    got = reseller.customers().get(customerId=made["customerId"]).execute()
    assert got["customerId"] == made["customerId"]
    with pytest.raises(HttpError) as refused:
        reseller.customers().get(customerId="C0nothere").execute()
    assert refused.value.resp.status == 404

    directory = discovered(partnerd, "admin", "directory_v1", partnerd.directory_credentials(a), template)
    me = directory.users().get(userKey=a["adminEmail"]).execute()
    assert me["primaryEmail"] == a["adminEmail"]

    licensing = discovered(
        partnerd, "licensing", "v1", partnerd.credentials(a, scopes=[SCOPE_LICENSING]), template
    )
    listed = licensing.licenseAssignments().listForProduct(
        productId="Google-Apps", customerId=a["domain"]
    ).execute()
    assert listed["kind"] == "licensing#licenseAssignmentList"


def test_discovery_needs_no_token_and_is_never_faulted(partnerd):
    token = partnerd.access_token(partnerd.a)
    r = partnerd.control("POST", "faults", json={"method": "*", "status": 503})
    assert r.status_code == 200, r.text
    try:
        faulted = partnerd.raw("GET", "/apps/reseller/v1/subscriptions", token=token)
        assert faulted.status_code == 503, "the fault is live for the API"
        assert partnerd.raw("GET", "/discovery/v1/apis/reseller/v1/rest").status_code == 200
        assert partnerd.raw("GET", "/$discovery/rest", params={"version": "v1"}).status_code == 200
        assert partnerd.raw("GET", "/discovery/v1/apis").status_code == 200
    finally:
        assert partnerd.control("DELETE", "faults").status_code == 200
