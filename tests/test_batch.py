"""Google's batch protocol at `POST /batch`, through google-api-python-client's
BatchHttpRequest (its batch URI comes from the discovery document partnerd serves), and
the framing GAM writes: bare line feeds, a folded Content-ID, the outer request's
Authorization."""

from __future__ import annotations

import uuid

import pytest
import requests
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from dir_helpers import DIRECTORY_SCOPES
from helpers import SCOPE_ORDER, domain_customer
from lic_helpers import SCOPE_LICENSING


def served(partnerd, api, version, creds):
    return build(api, version, credentials=creds, static_discovery=False, cache_discovery=False,
                 discoveryServiceUrl=partnerd.base_url + "/discovery/v1/apis/{api}/{apiVersion}/rest")


def test_a_batch_of_reseller_calls_answers_each_in_its_own_words(partnerd):
    reseller = served(partnerd, "reseller", "v1", partnerd.credentials(partnerd.a, scopes=[SCOPE_ORDER]))
    existing = reseller.customers().insert(body=domain_customer()).execute()
    new_body = domain_customer()
    answers = {}

    def collect(request_id, response, exception):
        answers[request_id] = (response, exception)

    batch = reseller.new_batch_http_request(callback=collect)
    batch.add(reseller.customers().get(customerId=existing["customerId"]), request_id="get")
    batch.add(reseller.customers().get(customerId="C0missing"), request_id="missing")
    batch.add(reseller.customers().insert(body=new_body), request_id="insert")
    batch.add(reseller.customers().insert(body={**new_body, "alternateEmail": "x@alt.example"}),
              request_id="duplicate")
    batch.execute()

    assert answers["get"][0]["customerId"] == existing["customerId"] and answers["get"][1] is None
    missing = answers["missing"][1]
    assert isinstance(missing, HttpError) and missing.resp.status == 404
    assert answers["insert"][0]["customerDomain"] == new_body["customerDomain"]
    duplicate = answers["duplicate"][1]
    assert isinstance(duplicate, HttpError) and duplicate.resp.status == 409, "run in order: the insert won"
    got = reseller.customers().get(customerId=answers["insert"][0]["customerId"]).execute()
    assert got["customerDomain"] == new_body["customerDomain"]


def test_a_batch_mixes_apis_and_each_request_keeps_its_own_token(partnerd):
    directory = served(partnerd, "admin", "directory_v1", partnerd.directory_credentials(partnerd.a))
    licensing = served(partnerd, "licensing", "v1", partnerd.credentials(partnerd.a, scopes=[SCOPE_LICENSING]))
    answers = {}

    def collect(request_id, response, exception):
        answers[request_id] = (response, exception)

    batch = directory.new_batch_http_request(callback=collect)
    batch.add(directory.users().get(userKey=partnerd.a["adminEmail"]), request_id="me")
    batch.add(licensing.licenseAssignments().get(productId="Google-Apps", skuId="1010020028",
                                                 userId=partnerd.a["adminEmail"]), request_id="licence")
    # Reseller B's token reaches only B's own users.
    other = served(partnerd, "admin", "directory_v1", partnerd.directory_credentials(partnerd.b))
    batch.add(other.users().get(userKey=partnerd.a["adminEmail"]), request_id="foreign")
    batch.execute()
    assert answers["me"][0]["primaryEmail"] == partnerd.a["adminEmail"]
    assert answers["licence"][1].resp.status == 404
    # Judged by the address's account, as when sent alone: 403, whether or not the user exists.
    assert answers["foreign"][1].resp.status == 403
    assert answers["foreign"][0] is None


def gam_style_batch(partnerd, token: str, emails: list[str]) -> requests.Response:
    """The body GAM sends for `info user`: LF line ends, a Content-ID folded onto two
    lines, and each part's own authorization."""
    boundary = "===============1234567890=="
    base = uuid.uuid4()
    lines = []
    for i, email in enumerate(emails):
        lines += [f"--{boundary}", "Content-Type: application/http", "MIME-Version: 1.0",
                  "Content-Transfer-Encoding: binary", f"Content-ID: <{base} +", f" {i}>", "",
                  f"GET /admin/directory/v1/users/{email}?alt=json HTTP/1.1",
                  "Content-Type: application/json", f"authorization: Bearer {token}",
                  "Host: " + partnerd.base_url.split("//")[1], "", ""]
    lines.append(f"--{boundary}--")
    return requests.post(partnerd.base_url + "/batch", data="\n".join(lines).encode(), timeout=60,
                         headers={"Content-Type": f'multipart/mixed; boundary="{boundary}"'})


def parse_batch(resp: requests.Response) -> list[tuple[str, int, str]]:
    """(Content-ID, status, body) of each part of a multipart/mixed answer."""
    ctype = resp.headers["Content-Type"]
    assert ctype.startswith("multipart/mixed; boundary="), ctype
    boundary = ctype.split("boundary=", 1)[1].strip('"')
    out = []
    for chunk in resp.text.split(f"--{boundary}")[1:-1]:
        head, http = chunk.strip("\r\n").split("\r\n\r\n", 1)
        cid = next(line.split(":", 1)[1].strip() for line in head.split("\r\n")
                   if line.lower().startswith("content-id"))
        status_line, rest = http.split("\r\n", 1)
        body = rest.split("\r\n\r\n", 1)[1]
        out.append((cid, int(status_line.split()[1]), body.rstrip("\r\n")))
    assert resp.text.rstrip().endswith(f"--{boundary}--")
    return out


def test_gams_framing_is_read(partnerd):
    token = partnerd.access_token(partnerd.a, scopes=DIRECTORY_SCOPES)
    emails = [partnerd.a["adminEmail"], f"nobody@{partnerd.a['domain']}"] * 40
    resp = gam_style_batch(partnerd, token, emails)
    assert resp.status_code == 200, resp.text
    parts = parse_batch(resp)
    assert len(parts) == 80
    for i, (cid, status, body) in enumerate(parts):
        assert cid.startswith("<response-") and cid.endswith(f" + {i}>"), cid
        assert status == (200 if i % 2 == 0 else 404), (i, status, body)
    assert '"primaryEmail"' in parts[0][2]


def test_the_outer_authorization_applies_to_parts_without_one(partnerd):
    token = partnerd.access_token(partnerd.a, scopes=DIRECTORY_SCOPES)
    boundary = "b"
    body = (f"--{boundary}\r\nContent-Type: application/http\r\nContent-ID: <1>\r\n\r\n"
            f"GET /admin/directory/v1/users/{partnerd.a['adminEmail']} HTTP/1.1\r\n\r\n"
            f"--{boundary}\r\nContent-Type: application/http\r\nContent-ID: <2>\r\n\r\n"
            f"POST /batch HTTP/1.1\r\n\r\n--{boundary}--\r\n")
    headers = {"Content-Type": f"multipart/mixed; boundary={boundary}"}
    with_token = requests.post(partnerd.base_url + "/batch", data=body, timeout=30,
                               headers={**headers, "Authorization": f"Bearer {token}"})
    parts = parse_batch(with_token)
    assert [(c, s) for c, s, _ in parts] == [("<response-1>", 200), ("<response-2>", 400)]
    without = parse_batch(requests.post(partnerd.base_url + "/batch", data=body, timeout=30, headers=headers))
    assert without[0][1] == 401


@pytest.mark.parametrize("case", ["not-multipart", "no-end", "empty", "too-many"])
def test_a_malformed_batch_is_400_in_googles_format(partnerd, case):
    headers = {"Content-Type": "multipart/mixed; boundary=b"}
    part = "--b\r\nContent-Type: application/http\r\n\r\nGET /healthz HTTP/1.1\r\n\r\n"
    body = {
        "not-multipart": "{}",
        "no-end": part,
        "empty": "--b--\r\n",
        "too-many": part * 1001 + "--b--\r\n",
    }[case]
    if case == "not-multipart":
        headers = {"Content-Type": "application/json"}
    r = requests.post(partnerd.base_url + "/batch", data=body, headers=headers, timeout=60)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == 400 and r.json()["error"]["errors"][0]["reason"] == "badRequest"
