"""GAM7 against partnerd, run inside a network namespace that holds only loopback
(`unshare -n`), so that nothing GAM tries can leave the machine, and a mount namespace
of its own (`-m`) whose /etc/hosts maps Google's token address to loopback: a partnerd on
SQLite, `partnerd gam setup`, then GAM's own commands, each outcome checked through the
Reseller, Directory and Licensing APIs with google-api-python-client; last, partnerd's
clock moves past the hour GAM's access token lasts, and GAM refreshes it at Google's
token address (google_front.py) before its next command goes through.

    unshare -n -m python tests/gam/scenario.py WORKDIR      (tests/test_gam.py runs it)

Environment: PARTNERD_BIN (the binary), GAM_BIN (GAM7's `gam`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests
from google.oauth2 import service_account
from googleapiclient.discovery import build

from google_front import TOKEN_HOST, Front, make_certificates, map_to_loopback

PARTNERD = os.environ["PARTNERD_BIN"]
GAM = os.environ["GAM_BIN"]
PORT = 8931
URL = f"http://127.0.0.1:{PORT}"
RESELLER = "gam-reseller.example"
ADMIN = f"admin@{RESELLER}"
CUSTOMER = "gam-customer.example"
CONTROL = "gam-scenario-control"
ORDER = "https://www.googleapis.com/auth/apps.order"
USER_SCOPE = "https://www.googleapis.com/auth/admin.directory.user"
GROUP_SCOPE = "https://www.googleapis.com/auth/admin.directory.group"
LICENSING = "https://www.googleapis.com/auth/apps.licensing"


def step(title: str) -> None:
    print(f"== {title}", flush=True)


def run(*args: str, env=None) -> str:
    proc = subprocess.run(list(args), capture_output=True, text=True, timeout=120, env=env)
    out = proc.stdout + proc.stderr
    print(out, flush=True)
    if proc.returncode != 0:
        raise SystemExit(f"`{' '.join(args)}` exited with {proc.returncode}")
    return out


def main(workdir: Path) -> None:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    # Nothing but loopback: GAM cannot reach Google even if it tried.
    routes = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
    assert [line.split(":")[1].strip() for line in routes.splitlines()] == ["lo"], routes
    ca, cert, key = make_certificates(workdir, TOKEN_HOST)
    map_to_loopback(workdir, TOKEN_HOST)

    db = f"sqlite://{workdir / 'partnerd.db'}"
    run(PARTNERD, "reseller", "create", "--database", db, "--domain", RESELLER,
        "--admin", ADMIN, "--password", "gam-scenario-pw")
    keyfile = workdir / "key.json"
    run(PARTNERD, "key", "create", "--database", db, "--reseller", RESELLER,
        "--out", str(keyfile), "--public-url", URL)
    server = subprocess.Popen([PARTNERD, "serve", "--database", db, "--listen", f"127.0.0.1:{PORT}",
                               "--no-demo", "--control-token", CONTROL],
                              stdout=open(workdir / "server.log", "w"), stderr=subprocess.STDOUT)
    front = Front(cert, key, PORT)
    try:
        for _ in range(300):
            try:
                if requests.get(URL + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        scenario(workdir, db, keyfile, ca, front)
    finally:
        front.close()
        server.terminate()
        server.wait(timeout=30)


def client(keyfile: Path, api: str, version: str, scope: str):
    creds = service_account.Credentials.from_service_account_file(str(keyfile), scopes=[scope])
    return build(api, version, credentials=creds.with_subject(ADMIN), static_discovery=True,
                 cache_discovery=False, client_options={"api_endpoint": URL + "/"})


def scenario(workdir: Path, db: str, keyfile: Path, ca: Path, front: Front) -> None:
    step("partnerd gam setup")
    cfg = workdir / "gam"
    printed = run(PARTNERD, "gam", "setup", "--database", db, "--reseller", RESELLER,
                  "--admin", ADMIN, "--dir", str(cfg), "--public-url", URL)
    assert printed.strip() == f"export GAMCFGDIR={cfg.resolve()}", printed
    for name in ("gam.cfg", "oauth2service.json", "client_secrets.json", "oauth2.txt"):
        assert (cfg / name).is_file(), name
    assert len(list((cfg / "gamcache").iterdir())) == 3
    env = {**os.environ, "GAMCFGDIR": str(cfg), "HOME": str(workdir)}

    def gam(*args: str) -> str:
        return run(GAM, *args, env=env)

    reseller = client(keyfile, "reseller", "v1", ORDER)

    step("gam create resoldcustomer")
    out = gam("create", "resoldcustomer", CUSTOMER, "contact", "Ann Lee", "email", "ann@alt-mail.example",
              "name", "Gam Customer", "address1", "1 Main St", "city", "Mountain View", "region", "CA",
              "postalcode", "94043", "country", "US")
    customer_id = re.search(r"Customer ID: (C0\w+), Created", out).group(1)
    got = reseller.customers().get(customerId=customer_id).execute()
    assert got["customerDomain"] == CUSTOMER
    assert got["postalAddress"]["contactName"] == "Ann Lee"

    step("gam info resoldcustomer")
    out = gam("info", "resoldcustomer", CUSTOMER)
    assert f"Customer ID: {customer_id}" in out and "Customer Type: domain" in out, out

    step("gam create resoldsubscription")
    out = gam("create", "resoldsubscription", CUSTOMER, "sku", "1010020027", "plan", "annual_monthly_pay",
              "seats", "5")
    subscription_id = re.search(r"Subscription: (\d+)", out).group(1)
    sub = reseller.subscriptions().get(customerId=customer_id, subscriptionId=subscription_id).execute()
    assert (sub["plan"]["planName"], sub["seats"]["numberOfSeats"]) == ("ANNUAL", 5), sub
    assert sub["renewalSettings"]["renewalType"] == "RENEW_CURRENT_USERS_MONTHLY_PAY", sub

    # The customer's admin accepts the Terms of Service (the control API stands in).
    r = requests.post(f"{URL}/partnerd/v1/customers/{customer_id}:acceptTos",
                      headers={"Authorization": f"Bearer {CONTROL}"}, timeout=30)
    assert r.status_code == 200, r.text

    step("gam update resoldsubscription (by SKU)")
    gam("update", "resoldsubscription", CUSTOMER, "1010020027", "seats", "8")
    sub = reseller.subscriptions().get(customerId=customer_id, subscriptionId=subscription_id).execute()
    assert sub["seats"]["numberOfSeats"] == 8 and sub["status"] == "ACTIVE", sub

    step("gam create user / info user")
    bob = f"bob@{CUSTOMER}"
    out = gam("create", "user", bob, "firstname", "Bob", "lastname", "Doe", "password", "Passw0rd!x-gam")
    assert f"User: {bob}, Created" in out, out
    directory = client(keyfile, "admin", "directory_v1", USER_SCOPE)
    user = directory.users().get(userKey=bob).execute()
    assert user["name"]["fullName"] == "Bob Doe" and user["customerId"] == customer_id, user

    step("gam create group / update group add member / info user (its groups)")
    team = f"team@{CUSTOMER}"
    # (A name or description would go through the Groups Settings API, which partnerd
    # does not serve; the group is named after its address.)
    out = gam("create", "group", team)
    assert f"Group: {team}, Created" in out, out
    gam("update", "group", team, "add", "owner", "user", bob)
    groups = client(keyfile, "admin", "directory_v1", GROUP_SCOPE)
    members = groups.members().list(groupKey=team).execute()["members"]
    assert [(m["email"], m["role"]) for m in members] == [(bob, "OWNER")], members
    out = gam("info", "user", bob)
    assert "Full Name: Bob Doe" in out and f"Customer ID: {customer_id}" in out, out
    assert re.search(rf"Groups: \(1\)\s+team: {team}\n", out), out

    step("gam user ... add license")
    gam("user", bob, "add", "license", "workspacebusinessstarter")
    licensing = client(keyfile, "licensing", "v1", LICENSING)
    held = licensing.licenseAssignments().get(productId="Google-Apps", skuId="1010020027", userId=bob).execute()
    assert held["userId"] == bob, held
    sub = reseller.subscriptions().get(customerId=customer_id, subscriptionId=subscription_id).execute()
    assert sub["seats"]["licensedNumberOfSeats"] == 1, sub

    step("the clock moves past an hour: GAM refreshes its token at Google's address")
    # GAM trusts the CA behind the front at oauth2.googleapis.com (its own setting).
    gam("config", "cacerts_pem", str(ca), "save", "version")
    assert front.requests == [], "no refresh was needed yet"
    r = requests.post(f"{URL}/partnerd/v1/clock:advance", json={"seconds": 3700},
                      headers={"Authorization": f"Bearer {CONTROL}"}, timeout=30)
    assert r.status_code == 200, r.text
    out = gam("info", "resoldcustomer", CUSTOMER)
    assert f"Customer ID: {customer_id}" in out, out
    assert ("POST", TOKEN_HOST, "/token") in front.requests, front.requests
    # Every later command goes through too (each refreshes, or uses what it refreshed).
    out = gam("info", "user", bob, "nogroups", "nolicenses")
    assert "Full Name: Bob Doe" in out, out

    print(json.dumps({"ok": True, "customerId": customer_id, "refreshes": len(front.requests)}), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
