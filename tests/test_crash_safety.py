"""Crash safety: writes under load while the server is SIGKILLed again and again.

Each test runs its own server on a fresh database (SQLite file or PostgreSQL
scratch database). Worker threads order for new customers, one after the
other: customers.insert, subscriptions.insert (annual, so that each seat
change is a COMMITMENT_CHANGED notification), the customer's ToS acceptance
(control API), a few subscriptions.changeSeats with rising values, a
Directory users.insert, and a second user created with
changePasswordAtNextLogin who then changes password through the sign-in pages
(which queues a "Your password was changed" e-mail in the same commit).
Every restart runs with --smtp-url pointing at an SMTP server of the test
(aiosmtpd), so deliveries are cut by kills too. Meanwhile the main thread SIGKILLs the server at
random moments (0.2-1.5 s apart) and restarts it, at least 20 times
(``PARTNERD_CRASH_ROUNDS=N`` for a longer run; ``PARTNERD_CRASH_SEED`` to
replay a schedule).

Every request is classified: acknowledged (2xx, with its response), refused
(an HTTP error), not sent (connection refused: nothing reached a server, so
it is sent again) or unknown outcome (the connection died after the request
left). The writes go through plain ``requests`` with one connection per call:
Google's client (httplib2) silently re-sends a request whose connection
dropped, which would turn "unknown" into "maybe applied twice".

After the last restart the test proves:

- every acknowledged write is present with the acknowledged values; the seats
  of each subscription are the last acknowledged value or a later attempt
  whose answer was lost, and the log's changeSeats events are exactly the
  acknowledged values plus some of the lost ones, in order;
- nothing is half-applied: a subscription's customer exists, every resource
  in the event log exists, every existing customer and subscription has its
  creation event, and the last event of each subscription carries its stored
  state; unknown-outcome writes are absent or whole;
- push delivery resumes: every event with an eventType reaches the receiver
  (counted by distinct messageId per subscription and event type), and no
  push describes a change the log does not have;
- e-mail survives: every acknowledged password change has exactly one queued
  message (an unknown-outcome change at most one, no message without a
  change), and after the last restart every queued message reaches the SMTP
  server and is marked delivered (at least once: duplicates of a delivery cut
  by a kill are allowed, counted and reported).
"""

from __future__ import annotations

import random
import secrets
import threading
import time

import pytest
from googleapiclient.errors import HttpError

from chaos_helpers import NOT_SENT, RawClient, backend_params, by_resource, env_int, own_server, transport_failure_kind
from dir_helpers import DIR_PREFIX, DIRECTORY_SCOPES, quick_user_body, strong_password, user_body
from helpers import API_PREFIX, SCOPE_ORDER, domain_customer, unique_domain
from mail_helpers import FlowError, SmtpSink, change_password_at_signin, mail_list
from sub_helpers import BUSINESS_STARTER, PushReceiver, annual, decode_push_data, list_all

ROUNDS = env_int("PARTNERD_CRASH_ROUNDS", 20)
SEED = env_int("PARTNERD_CRASH_SEED", 0) or random.SystemRandom().randrange(1, 2**31)
WORKERS = 4
SEAT_STEPS = 4
PUSH_TIMEOUT = 90.0  # a delivery cut by a kill is retried when its 15 s lease ends
MAIL_TIMEOUT = 90.0  # likewise for e-mail, whose lease is 30 s
SEND_DEADLINE = 90.0


@pytest.fixture(params=backend_params())
def server(request, tmp_path):
    with own_server(request.param, tmp_path, resellers=("a",)) as s:
        yield s


# ---------------------------------------------------------------------------
# The load
# ---------------------------------------------------------------------------

ACKED, UNKNOWN, REFUSED = "acked", "unknown", "refused"


class Worker:
    """One client thread's writes and what became of each."""

    def __init__(self, partnerd, reseller, stop: threading.Event, index: int):
        self.partnerd = partnerd
        self.stop = stop
        self.index = index
        token = partnerd.access_token(reseller, scopes=[SCOPE_ORDER, *DIRECTORY_SCOPES])
        self.api = RawClient(partnerd.base_url, token)
        self.control = RawClient(partnerd.base_url, partnerd.control_token)
        self.customers: list[dict] = []  # {"domain", "body", "outcome", "response"}
        self.subscriptions: list[dict] = []  # {"customerId", "body", "outcome", "response", "seats": [...]}
        self.users: list[dict] = []  # {"email", "body", "outcome", "response"}
        self.password_changes: list[dict] = []  # {"email", "outcome", "tries"}
        self.refusals: list[str] = []
        self.requests = 0

    def send(self, client: RawClient, method: str, path: str, body=None):
        """(ACKED, json) | (UNKNOWN, exception) | (REFUSED, response); re-sends
        what never reached a server."""
        deadline = time.monotonic() + SEND_DEADLINE
        while True:
            self.requests += 1
            try:
                resp = client.call(method, path, body)
            except Exception as e:  # noqa: BLE001 - classified below
                if transport_failure_kind(e) == NOT_SENT and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                return UNKNOWN, e
            if 200 <= resp.status_code < 300:
                return ACKED, (resp.json() if resp.content else {})
            self.refusals.append(f"{method} {path} {body!r} -> HTTP {resp.status_code}: {resp.text[:500]}")
            return REFUSED, resp

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            self.one_customer(n)

    def one_customer(self, n: int):
        domain = unique_domain(f"crash{self.index}")
        body = domain_customer(domain)
        outcome, got = self.send(self.api, "POST", f"{API_PREFIX}/customers", body)
        self.customers.append({"domain": domain, "body": body, "outcome": outcome, "response": got})
        if outcome != ACKED:
            return
        cid = got["customerId"]

        sub_body = annual(BUSINESS_STARTER, 1)
        outcome, got = self.send(self.api, "POST", f"{API_PREFIX}/customers/{cid}/subscriptions", sub_body)
        record = {"customerId": cid, "body": sub_body, "outcome": outcome, "response": got, "seats": []}
        self.subscriptions.append(record)
        if outcome != ACKED:
            return
        sid = got["subscriptionId"]

        # The admin accepts the ToS: idempotent, so sent until acknowledged.
        for _ in range(20):
            outcome, got = self.send(self.control, "POST", f"/partnerd/v1/customers/{cid}:acceptTos")
            if outcome == ACKED:
                break
        else:
            return
        record["tosAccepted"] = True

        for value in range(2, 2 + SEAT_STEPS):
            outcome, got = self.send(self.api, "POST",
                                     f"{API_PREFIX}/customers/{cid}/subscriptions/{sid}/changeSeats",
                                     {"numberOfSeats": value})
            record["seats"].append({"value": value, "outcome": outcome, "response": got})

        user = quick_user_body(domain, f"u{n}-{secrets.token_hex(3)}")
        outcome, got = self.send(self.api, "POST", f"{DIR_PREFIX}/users", user)
        self.users.append({"email": user["primaryEmail"], "body": user, "outcome": outcome, "response": got})

        # A user who must change password at sign-in (a plain password: the pages
        # verify argon2 hashes only), then the change, which queues an e-mail.
        password = strong_password()
        forced = user_body(domain, f"p{n}-{secrets.token_hex(3)}", password=password,
                           changePasswordAtNextLogin=True)
        outcome, got = self.send(self.api, "POST", f"{DIR_PREFIX}/users", forced)
        self.users.append({"email": forced["primaryEmail"], "body": forced, "outcome": outcome, "response": got})
        if outcome == ACKED:
            self.change_password(forced["primaryEmail"], password)

    def change_password(self, email: str, password: str):
        """The sign-in flow until its password form is answered. Signing in and
        the GETs change nothing the checks look at, so a flow cut before the
        password form was posted is started again; one cut after it is an
        unknown outcome."""
        deadline = time.monotonic() + SEND_DEADLINE
        record = {"email": email, "outcome": None, "tries": 0}
        self.password_changes.append(record)
        new_password = strong_password()
        while True:
            record["tries"] += 1
            steps: list[str] = []
            try:
                answer = change_password_at_signin(self.partnerd.base_url, email, password, new_password,
                                                   timeout=20, on_step=steps.append)
            except FlowError as e:
                record["outcome"] = REFUSED
                self.refusals.append(f"password change of {email}: {e}")
                return
            except Exception as e:  # noqa: BLE001 - classified below
                self.requests += len(steps)
                posted = steps and steps[-1] == "password" and transport_failure_kind(e) != NOT_SENT
                if posted:
                    record["outcome"] = UNKNOWN
                    return
                if time.monotonic() > deadline:
                    # Never posted: nothing changed.
                    record["outcome"] = "not-sent"
                    return
                time.sleep(0.05)
                continue
            self.requests += len(steps)
            if answer.status_code == 303:
                record["outcome"] = ACKED
            else:
                record["outcome"] = REFUSED
                self.refusals.append(f"password change of {email}: HTTP {answer.status_code}: {answer.text[:500]}")
            return


def run_chaos(partnerd, workers: list[Worker], rng: random.Random, rounds: int) -> list[float]:
    threads = [threading.Thread(target=w.run, daemon=True) for w in workers]
    for t in threads:
        t.start()
    delays = []
    try:
        for _ in range(rounds):
            delay = rng.uniform(0.2, 1.5)
            delays.append(delay)
            time.sleep(delay)
            partnerd.kill9_and_restart()
        time.sleep(0.5)  # some writes against the last incarnation too
    finally:
        for w in workers:
            w.stop.set()
        for t in threads:
            t.join(timeout=SEND_DEADLINE + 60)
    assert not any(t.is_alive() for t in threads), "worker threads hung"
    return delays


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------


def get_or_none(request):
    try:
        return request.execute()
    except HttpError as e:
        if e.resp.status == 404:
            return None
        raise


def allowed_final_seats(record) -> tuple[int, set]:
    """(last acknowledged seats, every value the stored seats may have)."""
    last_acked = record["response"]["seats"]["numberOfSeats"]
    allowed = set()
    for attempt in record["seats"]:
        if attempt["outcome"] == ACKED:
            last_acked = attempt["value"]
            allowed = set()
        elif attempt["outcome"] == UNKNOWN:
            allowed.add(attempt["value"])
    return last_acked, allowed | {last_acked}


def check_seat_history(record, events) -> list[str]:
    """The subscription's changeSeats events: rising, every acknowledged value
    present, nothing that was never sent, nothing applied twice."""
    problems = []
    sid = record["response"]["subscriptionId"]
    applied = [e["after"]["seats"] for e in events if e["action"] == "subscription.changeSeats"]
    acked = [a["value"] for a in record["seats"] if a["outcome"] == ACKED]
    possible = {a["value"] for a in record["seats"] if a["outcome"] in (ACKED, UNKNOWN)}
    if applied != sorted(set(applied)):
        problems.append(f"subscription {sid}: changeSeats events not strictly rising (applied twice?): {applied}")
    missing = [v for v in acked if v not in applied]
    if missing:
        problems.append(f"subscription {sid}: acknowledged seat changes {missing} have no event; events {applied}")
    phantom = [v for v in applied if v not in possible]
    if phantom:
        problems.append(f"subscription {sid}: seat changes {phantom} applied but never sent or refused; "
                        f"attempts {[(a['value'], a['outcome']) for a in record['seats']]}")
    for e in events:
        if e["action"] == "subscription.changeSeats" and e.get("eventType") != "COMMITMENT_CHANGED":
            problems.append(f"subscription {sid}: annual seat change without COMMITMENT_CHANGED: {e!r}")
    return problems


def verify(partnerd, reseller, workers: list[Worker]) -> tuple[list[str], list[dict]]:
    """Every invariant; returns (problems, events)."""
    svc = partnerd.service(reseller)
    dsvc = partnerd.directory(reseller)
    problems: list[str] = []
    events = partnerd.events(reseller["domain"], page_size=1000)
    cust_events = by_resource(events, "customer")
    sub_events = by_resource(events, "subscription")

    # -- customers ------------------------------------------------------
    present_customers = {}
    for w in workers:
        for c in w.customers:
            stored = get_or_none(svc.customers().get(customerId=c["domain"]))
            if c["outcome"] == ACKED:
                ack = c["response"]
                if stored is None:
                    problems.append(f"acknowledged customer {ack['customerId']} ({c['domain']}) is lost")
                    continue
                if stored != ack:
                    problems.append(f"customer {ack['customerId']} differs from its acknowledgement:\n"
                                    f"  acked  {ack!r}\n  stored {stored!r}")
            elif stored is None:
                continue
            else:
                # Unknown outcome, present: it must be whole.
                body = c["body"]
                for field in ("customerDomain", "alternateEmail"):
                    if stored.get(field) != body[field]:
                        problems.append(f"unknown-outcome customer {c['domain']}: {field} "
                                        f"{stored.get(field)!r} != sent {body[field]!r}: {stored!r}")
                if stored.get("postalAddress", {}).get("postalCode") != body["postalAddress"]["postalCode"]:
                    problems.append(f"unknown-outcome customer {c['domain']} has a partial address: {stored!r}")
            present_customers[stored["customerId"]] = stored
            inserts = [e for e in cust_events.get(stored["customerId"], []) if e["action"] == "customer.insert"]
            if len(inserts) != 1:
                problems.append(f"customer {stored['customerId']} has {len(inserts)} customer.insert events")

    # -- subscriptions --------------------------------------------------
    listed = {s["subscriptionId"]: s for s in list_all(svc, page_size=100)}
    for sid, sub in listed.items():
        if sub["customerId"] not in present_customers:
            owner = get_or_none(svc.customers().get(customerId=sub["customerId"]))
            if owner is None:
                problems.append(f"subscription {sid} belongs to a customer that does not exist: {sub!r}")
        inserts = [e for e in sub_events.get(sid, []) if e["action"] == "subscription.insert"]
        if len(inserts) != 1:
            problems.append(f"subscription {sid} has {len(inserts)} subscription.insert events")
        last = sub_events.get(sid, [None])[-1]
        if last is None:
            problems.append(f"subscription {sid} has no event at all")
            continue
        after = last["after"]
        expected = {
            "customerId": sub["customerId"],
            "skuId": sub["skuId"],
            "seats": sub["seats"]["numberOfSeats"],
            "licensedSeats": sub["seats"]["licensedNumberOfSeats"],
            "suspensionReasons": sorted(sub.get("suspensionReasons", [])),
        }
        got = {k: (sorted(after.get(k) or []) if k == "suspensionReasons" else after.get(k)) for k in expected}
        if got != expected:
            problems.append(f"subscription {sid}: last event ({last['action']} #{last['id']}) says {got}, "
                            f"stored {expected}")

    acked_subs = set()
    for w in workers:
        for rec in w.subscriptions:
            if rec["outcome"] == ACKED:
                ack = rec["response"]
                sid = ack["subscriptionId"]
                acked_subs.add(sid)
                stored = listed.get(sid)
                if stored is None:
                    problems.append(f"acknowledged subscription {sid} of {rec['customerId']} is lost")
                    continue
                for field in ("customerId", "skuId", "creationTime", "plan", "customerDomain"):
                    if field == "plan":
                        same = stored["plan"]["planName"] == ack["plan"]["planName"]
                    else:
                        same = stored[field] == ack[field]
                    if not same:
                        problems.append(f"subscription {sid}: {field} {stored[field]!r} != acknowledged {ack[field]!r}")
                if rec.get("tosAccepted") and stored["status"] != "ACTIVE":
                    problems.append(f"subscription {sid}: ToS acceptance acknowledged but status is "
                                    f"{stored['status']} {stored.get('suspensionReasons')}")
                last_acked, allowed = allowed_final_seats(rec)
                seats = stored["seats"]["numberOfSeats"]
                if seats not in allowed:
                    problems.append(f"subscription {sid}: {seats} seats stored; last acknowledged {last_acked}, "
                                    f"allowed {sorted(allowed)}; attempts "
                                    f"{[(a['value'], a['outcome']) for a in rec['seats']]}")
                problems.extend(check_seat_history(rec, sub_events.get(sid, [])))
            elif rec["outcome"] == UNKNOWN:
                # Present or not; if present, whole and the only one of its SKU.
                mine = [s for s in listed.values() if s["customerId"] == rec["customerId"]]
                if len(mine) > 1:
                    problems.append(f"customer {rec['customerId']} has {len(mine)} subscriptions after one "
                                    f"unknown-outcome insert: {mine!r}")
                for s in mine:
                    if s["skuId"] != BUSINESS_STARTER or s["seats"].get("numberOfSeats") != 1:
                        problems.append(f"unknown-outcome subscription is not what was sent: {s!r}")
    for sid in listed:
        if sid not in acked_subs:
            owner = listed[sid]["customerId"]
            if not any(r["customerId"] == owner and r["outcome"] == UNKNOWN for w in workers for r in w.subscriptions):
                problems.append(f"subscription {sid} exists but was never ordered: {listed[sid]!r}")

    # -- every resource in the log exists --------------------------------
    for cid in cust_events:
        if cid not in present_customers and get_or_none(svc.customers().get(customerId=cid)) is None:
            problems.append(f"customer {cid} is in the event log but does not exist: {cust_events[cid]!r}")
    for sid, evs in sub_events.items():
        if sid not in listed:
            problems.append(f"subscription {sid} is in the event log but not stored: "
                            f"{[(e['id'], e['action']) for e in evs]}")

    # -- users ------------------------------------------------------------
    for w in workers:
        for u in w.users:
            stored = get_or_none(dsvc.users().get(userKey=u["email"]))
            if u["outcome"] == ACKED:
                if stored is None:
                    problems.append(f"acknowledged user {u['email']} is lost")
                    continue
                ack = u["response"]
                if stored.get("id") != ack.get("id") or stored.get("name", {}).get("givenName") != "Ana":
                    problems.append(f"user {u['email']} differs from its acknowledgement:\n"
                                    f"  acked  {ack!r}\n  stored {stored!r}")
            elif stored is not None and stored.get("primaryEmail") != u["email"]:
                problems.append(f"unknown-outcome user {u['email']} stored as {stored!r}")
    return problems, events


def verify_pushes(receiver: PushReceiver, events) -> list[str]:
    """Every notification in the log is delivered (distinct messageIds per
    subscription and event type), and nothing else is."""
    wanted: dict = {}
    for e in events:
        if e.get("eventType"):
            key = (e["resourceId"], e["eventType"])
            wanted[key] = wanted.get(key, 0) + 1

    def delivered() -> dict:
        got: dict = {}
        for attempt in receiver.deliveries:
            data = decode_push_data(attempt["json"])
            key = (data.get("subscription_id"), data.get("event_type"))
            got.setdefault(key, set()).add(attempt["json"]["message"]["messageId"])
        return got

    deadline = time.monotonic() + PUSH_TIMEOUT
    while True:
        got = delivered()
        short = {k: (n, len(got.get(k, ()))) for k, n in wanted.items() if len(got.get(k, ())) < n}
        if not short or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    problems = []
    if short:
        problems.append(f"{len(short)} notifications never delivered within {PUSH_TIMEOUT:.0f}s after the last "
                        f"restart ((subscription, type): (events, delivered)): {dict(list(short.items())[:20])}")
    extra = {k: len(ids) for k, ids in got.items() if len(ids) > wanted.get(k, 0)}
    if extra:
        problems.append(f"pushes for changes the event log does not have ((subscription, type): distinct "
                        f"messageIds): {extra}; log has {[wanted.get(k, 0) for k in extra]}")
    return problems


def verify_mail(partnerd, sink: SmtpSink, workers: list[Worker]) -> tuple[list[str], str]:
    """Every acknowledged password change's e-mail is queued once and, like
    every queued message, reaches the SMTP server and is marked delivered.
    Returns (problems, a summary with the duplicate count)."""
    problems: list[str] = []
    changes = {c["email"]: c for w in workers for c in w.password_changes}
    listed = mail_list(partnerd, page_size=500)
    by_to: dict = {}
    for m in listed:
        by_to.setdefault(m["to"], []).append(m)
    for email, c in changes.items():
        queued = by_to.get(email, [])
        if c["outcome"] == ACKED and len(queued) != 1:
            problems.append(f"acknowledged password change of {email} has {len(queued)} queued e-mails: {queued!r}")
        elif c["outcome"] != ACKED and len(queued) > (1 if c["outcome"] == UNKNOWN else 0):
            problems.append(f"{c['outcome']} password change of {email} has {len(queued)} queued e-mails")
    phantom = sorted(set(by_to) - set(changes))
    if phantom:
        problems.append(f"e-mail queued for users whose password never changed: {phantom[:20]}")

    expected = {f"<{m['id']}@127.0.0.1>": m["to"] for m in listed}
    deadline = time.monotonic() + MAIL_TIMEOUT
    while True:
        received = sink.by_message_id()
        missing = sorted(set(expected) - set(received))
        undelivered = [m["id"] for m in mail_list(partnerd, page_size=500) if m["deliveredAt"] is None]
        if (not missing and not undelivered) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if missing:
        problems.append(f"{len(missing)} of {len(expected)} queued e-mails never reached the SMTP server within "
                        f"{MAIL_TIMEOUT:.0f}s after the last restart: {missing[:20]}")
    if undelivered:
        problems.append(f"{len(undelivered)} e-mails not marked delivered: {undelivered[:20]}")
    given_up = [m for m in mail_list(partnerd, page_size=500) if m["failedAt"] is not None]
    if given_up:
        problems.append(f"e-mails given up: {given_up[:5]!r}")
    unexpected = sorted(set(received) - set(expected))
    if unexpected:
        problems.append(f"the SMTP server got messages the outbox does not list: {unexpected[:20]}")
    for m in sink.received():
        mid = str(m["message"]["Message-ID"]).strip()
        if mid in expected and m["rcpt"] != [expected[mid]]:
            problems.append(f"{mid} went to {m['rcpt']}, queued for {expected[mid]}")
    duplicates = {mid: n for mid, n in received.items() if n > 1}
    acked = sum(1 for c in changes.values() if c["outcome"] == ACKED)
    summary = (f"{acked} password changes acknowledged, {len(expected)} e-mails queued, "
               f"{sum(received.values())} SMTP deliveries ({sum(n - 1 for n in duplicates.values())} duplicates "
               f"of {len(duplicates)} messages: deliveries cut by a kill before they were recorded)")
    return problems, summary


# ---------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------


def test_acknowledged_writes_survive_repeated_kill9(server):
    rng = random.Random(SEED)
    reseller = server.a
    with PushReceiver() as receiver, SmtpSink() as sink:
        # Every restart delivers e-mail; the first incarnation queues it only.
        server.extra_args = [*server.extra_args, "--smtp-url", sink.url]
        server.service(reseller).resellernotify().register(
            serviceAccountEmailAddress=f"crash-{secrets.token_hex(4)}@push-project.iam.gserviceaccount.com"
        ).execute()
        server.set_push_endpoint(reseller["domain"], receiver.url)

        stop = threading.Event()
        workers = [Worker(server, reseller, stop, i) for i in range(WORKERS)]
        started = time.monotonic()
        delays = run_chaos(server, workers, rng, ROUNDS)
        load_s = time.monotonic() - started

        acked = sum(1 for w in workers for c in w.customers if c["outcome"] == ACKED)
        unknown = sum(1 for w in workers for group in (w.customers, w.subscriptions, w.users)
                      for r in group if r["outcome"] == UNKNOWN)
        unknown += sum(1 for w in workers for r in w.subscriptions for a in r["seats"] if a["outcome"] == UNKNOWN)
        summary = (f"seed {SEED} (PARTNERD_CRASH_SEED), {len(delays)} kills over {load_s:.1f}s, "
                   f"{sum(w.requests for w in workers)} requests, {acked} customers acknowledged, "
                   f"{unknown} unknown outcomes")

        refusals = [r for w in workers for r in w.refusals]
        problems, events = verify(server, reseller, workers)
        problems += verify_pushes(receiver, events)
        mail_problems, mail_summary = verify_mail(server, sink, workers)
        problems += mail_problems
        notifications = sum(1 for e in events if e.get("eventType"))
        summary += (f", {len(events)} events, {notifications} notifications, "
                    f"{len(receiver.deliveries)} push deliveries, {mail_summary}")
        print(summary)
        if refusals:
            problems.insert(0, f"{len(refusals)} writes were refused (none should be): " + "\n  ".join(refusals[:15]))
        assert acked >= ROUNDS // 2, f"too little got through to prove anything: {summary}"
        changed = sum(1 for w in workers for c in w.password_changes if c["outcome"] == ACKED)
        assert changed >= ROUNDS // 4, f"too few password changes got through to prove anything: {summary}"
        assert not problems, (
            f"{summary}\n{len(problems)} problems:\n- " + "\n- ".join(problems[:40])
            + f"\nserver log tail:\n{server.server_log()[-4000:]}"
        )


def test_restart_after_kill9_while_idle_keeps_everything(server):
    """A baseline for the chaos test: a kill with nothing in flight loses nothing."""
    reseller = server.a
    svc = server.service(reseller)
    customer = svc.customers().insert(body=domain_customer()).execute()
    server.accept_tos(customer["customerId"])
    sub = svc.subscriptions().insert(customerId=customer["customerId"], body=annual(BUSINESS_STARTER, 2)).execute()
    changed = svc.subscriptions().changeSeats(customerId=customer["customerId"], subscriptionId=sub["subscriptionId"],
                                              body={"numberOfSeats": 4}).execute()
    before = server.events(reseller["domain"])
    server.kill9_and_restart()
    svc = server.service(reseller)
    assert svc.customers().get(customerId=customer["customerId"]).execute() == customer
    again = svc.subscriptions().get(customerId=customer["customerId"], subscriptionId=sub["subscriptionId"]).execute()
    assert again == changed
    assert server.events(reseller["domain"]) == before

