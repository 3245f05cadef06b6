"""Two partnerd processes on one PostgreSQL database.

PostgreSQL is what one runs when one machine is not enough, so several
partnerd processes may share a database. The module starts server 1 on a
fresh scratch database, creates the resellers through it, then starts server
2 (its own port and control token) on the same database, and proves:

- an access token from either server's /token works on the other;
- writes through either are visible through the other at once, including
  list paging that follows nextPageToken from one server to the other;
- concurrent inserts of one customer domain split across both: one wins;
- the clock advanced through server 1's control API reaches server 2 within
  about two seconds (each process reads the shared offset every second);
- clock-driven transitions (trial ends) happening while both servers run are
  applied exactly once: one transition event per subscription;
- pushes queued while both run are delivered, each message once (delivery is
  at least once by contract; duplicates are counted and reported).

Skipped without PARTNERD_TEST_POSTGRES_URL, like every PostgreSQL case.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlsplit

import google.auth.transport.requests
import pytest
from google.oauth2 import service_account

from chaos_helpers import SlowPushReceiver, describe, needs_postgres, race, scratch_database, wait_until
from conftest import Partnerd
from helpers import SCOPE_ORDER, API_PREFIX, assert_http_error, domain_customer, load_key, unique_domain
from sub_helpers import (
    BUSINESS_STARTER,
    DAY_MS,
    PushReceiver,
    annual,
    assert_subscription,
    decode_push_data,
    flexible,
    ids_of,
    trial,
)

pytestmark = needs_postgres

CLOCK_SYNC_LIMIT_S = 2.5
TRIALS = 16
PUSH_TIMEOUT = 60.0


class Pair:
    def __init__(self, one: Partnerd, two: Partnerd):
        self.one, self.two = one, two
        self.servers = (one, two)

    def creds(self, token_server: Partnerd, reseller: dict, scopes=(SCOPE_ORDER,)):
        """Credentials that fetch their tokens from ``token_server``'s /token."""
        info = load_key(reseller["keyfile"])
        info["token_uri"] = token_server.base_url + "/token"
        creds = service_account.Credentials.from_service_account_info(info, scopes=list(scopes))
        return creds.with_subject(reseller["adminEmail"])

    def svc(self, api_server: Partnerd, reseller: dict, token_server: Partnerd | None = None):
        """A Reseller API client talking to ``api_server`` with a token from
        ``token_server`` (the same server by default); the token is fetched now."""
        creds = self.creds(token_server or api_server, reseller)
        creds.refresh(google.auth.transport.requests.Request())
        return api_server.build_service(creds)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    base = tmp_path_factory.mktemp("two-servers")
    (base / "one").mkdir()
    (base / "two").mkdir()
    with scratch_database("postgres", base) as db_url:
        one = Partnerd("postgres", db_url, base / "one")
        two = Partnerd("postgres", db_url, base / "two")
        try:
            one.start()
            tag = secrets.token_hex(4)
            one.create_reseller("a", f"two-a-{tag}.example")
            one.create_reseller("b", f"two-b-{tag}.example")
            two.resellers = one.resellers  # the same accounts, seen from server 2
            two.start()
            assert two.control_token != one.control_token
            yield Pair(one, two)
        finally:
            two.stop()
            one.stop()


def same(seen: dict, written: dict) -> bool:
    """Equal resources, read through either server. Only resourceUiUrl may
    differ: each test server has its own --public-url (behind one load
    balancer they would share it); its path must still be the same."""
    def strip(r):
        out = dict(r)
        url = out.pop("resourceUiUrl", None)
        return out, urlsplit(url).path if url else None

    return strip(seen) == strip(written)


def new_customer_on(pair, server, svc, *, tos=True) -> dict:
    customer = svc.customers().insert(body=domain_customer()).execute()
    if tos:
        server.accept_tos(customer["customerId"])
    return customer


# ---------------------------------------------------------------------------
# Tokens and visibility
# ---------------------------------------------------------------------------


def test_a_token_from_either_server_works_on_the_other(pair):
    one, two = pair.one, pair.two
    a = one.a
    for token_server, api_server in ((one, two), (two, one)):
        creds = pair.creds(token_server, a)
        creds.refresh(google.auth.transport.requests.Request())
        for server in (api_server, token_server):
            r = server.raw("GET", f"{API_PREFIX}/subscriptions", token=creds.token)
            assert r.status_code == 200, f"token from {token_server.base_url} on {server.base_url}: {r.text}"
        # And through the official client.
        svc = api_server.build_service(creds)
        created = svc.customers().insert(body=domain_customer()).execute()
        assert same(pair.svc(token_server, a).customers().get(customerId=created["customerId"]).execute(), created)
    # A token of reseller B is B's on both.
    b_token = pair.creds(two, one.b)
    b_token.refresh(google.auth.transport.requests.Request())
    r = one.raw("GET", f"{API_PREFIX}/customers/{created['customerId']}", token=b_token.token)
    assert r.status_code == 200 and "alternateEmail" not in r.json(), r.text


def test_writes_through_either_server_are_visible_through_the_other(pair):
    one, two = pair.one, pair.two
    a = one.a
    svcs = {one: pair.svc(one, a), two: pair.svc(two, a)}
    prefix = "twovis-" + secrets.token_hex(3)
    made = []
    for i in range(7):
        writer = pair.servers[i % 2]
        reader = pair.servers[(i + 1) % 2]
        customer = svcs[writer].customers().insert(body=domain_customer(f"{prefix}-{i}.com")).execute()
        writer.accept_tos(customer["customerId"])
        assert same(svcs[reader].customers().get(customerId=customer["customerId"]).execute(), customer)
        sub = svcs[reader].subscriptions().insert(customerId=customer["customerId"],
                                                  body=annual(BUSINESS_STARTER, 2)).execute()
        assert sub["status"] == "ACTIVE", "the ToS acceptance through the other server is seen"
        assert same(svcs[writer].subscriptions().get(customerId=customer["customerId"],
                                                     subscriptionId=sub["subscriptionId"]).execute(), sub)
        changed = svcs[writer].subscriptions().changeSeats(
            customerId=customer["customerId"], subscriptionId=sub["subscriptionId"],
            body={"numberOfSeats": 3 + i}).execute()
        assert same(svcs[reader].subscriptions().get(customerId=customer["customerId"],
                                                     subscriptionId=sub["subscriptionId"]).execute(), changed)
        made.append(changed)

    # Paging that alternates servers page by page.
    seen, token, pages = [], None, 0
    while True:
        server = pair.servers[pages % 2]
        kwargs = {"customerNamePrefix": prefix, "maxResults": 2}
        if token:
            kwargs["pageToken"] = token
        page = svcs[server].subscriptions().list(**kwargs).execute()
        items = page.get("subscriptions", [])
        assert len(items) <= 2
        seen.extend(items)
        token = page.get("nextPageToken")
        pages += 1
        if not token:
            break
        assert pages < 20, "paging does not end"
    assert pages == 4, f"7 subscriptions in pages of 2 should be 4 pages, got {pages}"
    assert [s["subscriptionId"] for s in seen] == [s["subscriptionId"] for s in made], "order or content differs"
    assert all(same(x, y) for x, y in zip(seen, made)), (seen, made)
    for s in seen:
        assert_subscription(s)


def test_concurrent_inserts_of_one_domain_across_servers(pair):
    domain = unique_domain("tworace")
    racers = []
    for i in range(8):
        server = pair.servers[i % 2]
        reseller = server.a if i % 4 < 2 else server.b
        racers.append(pair.svc(server, reseller).customers().insert(body=domain_customer(domain)))
    results = race([r.execute for r in racers])
    wins = [v for k, v in results if k == "ok"]
    assert len(wins) == 1, f"{len(wins)} inserts of {domain} succeeded:\n{describe(results)}"
    for kind, err in results:
        if kind == "error":
            assert_http_error(err, 409, "duplicate", "ALREADY_EXISTS")
    for server in pair.servers:
        got = pair.svc(server, server.a).customers().get(customerId=domain).execute()
        assert got["customerId"] == wins[0]["customerId"]


# ---------------------------------------------------------------------------
# Pushes with two deliverers
# ---------------------------------------------------------------------------


def delivered_by_message(receiver: PushReceiver) -> dict:
    """{messageId: [decoded data of each delivery]}."""
    out: dict = {}
    for attempt in receiver.deliveries:
        out.setdefault(attempt["json"]["message"]["messageId"], []).append(decode_push_data(attempt["json"]))
    return out


def wire_pushes(pair, reseller, receiver):
    pair.svc(pair.one, reseller).resellernotify().register(
        serviceAccountEmailAddress=f"two-{secrets.token_hex(4)}@push-project.iam.gserviceaccount.com").execute()
    pair.two.set_push_endpoint(reseller["domain"], receiver.url)


def test_pushes_queued_while_both_run_are_delivered_once(pair):
    reseller = pair.one.create_reseller("push", f"two-push-{secrets.token_hex(4)}.example")
    svcs = [pair.svc(s, reseller) for s in pair.servers]
    with PushReceiver() as receiver:
        wire_pushes(pair, reseller, receiver)
        subs = []
        for i in range(12):
            svc, server = svcs[i % 2], pair.servers[i % 2]
            customer = new_customer_on(pair, server, svc)
            sub = svc.subscriptions().insert(customerId=customer["customerId"], body=annual(BUSINESS_STARTER, 1)).execute()
            svcs[(i + 1) % 2].subscriptions().changeSeats(customerId=customer["customerId"],
                                                         subscriptionId=sub["subscriptionId"],
                                                         body={"numberOfSeats": 2}).execute()
            subs.append(sub)
        expected = [e for e in pair.one.events(reseller["domain"]) if e.get("eventType")]
        assert len(expected) == 24, [(e["action"], e.get("eventType")) for e in expected]
        want = {}
        for e in expected:
            want[(e["resourceId"], e["eventType"])] = want.get((e["resourceId"], e["eventType"]), 0) + 1

        def complete():
            got = {}
            for msgs in delivered_by_message(receiver).values():
                key = (msgs[0]["subscription_id"], msgs[0]["event_type"])
                got[key] = got.get(key, 0) + 1
            return got if got == want else None

        wait_until(complete, PUSH_TIMEOUT, what=f"{len(expected)} distinct pushes")
        time.sleep(3)  # let a duplicate, if any, arrive
        by_id = delivered_by_message(receiver)
        dupes = {mid: len(v) for mid, v in by_id.items() if len(v) > 1}
        assert not dupes, (
            f"{len(dupes)} of {len(by_id)} messages were delivered more than once by two servers: {dupes}")
        assert len(by_id) == len(expected)


# ---------------------------------------------------------------------------
# The shared clock
# ---------------------------------------------------------------------------


def test_clock_advanced_on_one_server_reaches_the_other(pair):
    one, two = pair.one, pair.two
    target = one.advance(7200)["now"]
    target_ms = one.now_ms() - 1000  # at least this, once server 2 follows
    started = time.monotonic()
    wait_until(lambda: two.now_ms() >= target_ms, 10, interval=0.05,
               what=f"server 2's clock to reach {target}")
    took = time.monotonic() - started
    assert took <= CLOCK_SYNC_LIMIT_S, f"server 2 followed the clock only after {took:.2f}s"
    # And the other way round.
    two.advance(3600)
    target_ms = two.now_ms() - 1000
    started = time.monotonic()
    wait_until(lambda: one.now_ms() >= target_ms, 10, interval=0.05, what="server 1's clock")
    took = time.monotonic() - started
    assert took <= CLOCK_SYNC_LIMIT_S, f"server 1 followed the clock only after {took:.2f}s"
    assert abs(one.now_ms() - two.now_ms()) < 1500


def test_trials_ending_while_both_servers_run_end_once(pair):
    """Both processes apply due transitions in their background task every
    second. The clock is moved to just before the trials end, so that real
    time carries them over the edge while both servers look; then the event
    log must hold exactly one transition per subscription, and every push is
    delivered once."""
    reseller = pair.one.create_reseller("trial", f"two-trial-{secrets.token_hex(4)}.example")
    with PushReceiver() as receiver:
        wire_pushes(pair, reseller, receiver)
        svcs = [pair.svc(s, reseller) for s in pair.servers]
        trials = []
        for i in range(TRIALS):
            customer = new_customer_on(pair, pair.servers[i % 2], svcs[i % 2])
            trials.append(svcs[(i + 1) % 2].subscriptions().insert(
                customerId=customer["customerId"], body=trial(BUSINESS_STARTER, 2)).execute())
        ends = sorted(int(t["trialSettings"]["trialEndTime"]) for t in trials)
        spread_s = (ends[-1] - ends[0]) / 1000

        # Two seconds before the first trial ends; real time does the rest.
        pair.one.advance(max(0, (ends[0] - pair.one.now_ms()) // 1000 - 2))
        time.sleep(spread_s + 6)
        # Anything not yet due by real time (a slow machine): push it over the edge.
        pair.two.advance(2)
        time.sleep(2.5)

        log = [e for e in pair.one.events(reseller["domain"]) if e["resourceType"] == "subscription"]
        problems = []
        for t in trials:
            moves = [e for e in log if e["resourceId"] == t["subscriptionId"] and e["action"] == "subscription.transition"]
            if len(moves) != 1:
                problems.append(f"{t['subscriptionId']}: {len(moves)} transition events "
                                f"{[(e['id'], e['time'], e.get('eventType')) for e in moves]}")
            elif moves[0].get("eventType") != "SUBSCRIPTION_TRIAL_ENDED":
                problems.append(f"{t['subscriptionId']}: transition {moves[0]!r}")
        assert not problems, "trial ends applied other than once:\n" + "\n".join(problems)

        fresh = [pair.svc(s, reseller) for s in pair.servers]
        for i, t in enumerate(trials):
            got = fresh[i % 2].subscriptions().get(customerId=t["customerId"], subscriptionId=t["subscriptionId"]).execute()
            assert got["status"] == "SUSPENDED" and got["suspensionReasons"] == ["TRIAL_ENDED"], got
            assert got["trialSettings"]["isInTrial"] is False

        expected = [e for e in log if e.get("eventType")]
        assert len(expected) == 2 * TRIALS, [(e["action"], e.get("eventType")) for e in expected]
        wait_until(lambda: len(delivered_by_message(receiver)) >= len(expected), PUSH_TIMEOUT,
                   what=f"{len(expected)} distinct pushes")
        time.sleep(3)
        by_id = delivered_by_message(receiver)
        ended = [v[0]["subscription_id"] for v in by_id.values() if v[0]["event_type"] == "SUBSCRIPTION_TRIAL_ENDED"]
        assert sorted(ended) == sorted(t["subscriptionId"] for t in trials), "one TRIAL_ENDED push per trial"
        dupes = {mid: [d["event_type"] for d in v] for mid, v in by_id.items() if len(v) > 1}
        assert not dupes, (
            f"{len(dupes)} of {len(by_id)} messages were delivered more than once while both servers ran "
            f"(the clock moved by {((ends[0] - int(trials[0]['creationTime'])) / DAY_MS):.0f} days): {dupes}")


def test_flexible_subscription_created_on_one_is_listed_by_the_other_after_the_clock_moved(pair):
    """After the clock jumps (tokens of the old time expire), fresh clients
    on both servers see the same subscriptions."""
    a = pair.one.a
    svc1 = pair.svc(pair.one, a)
    customer = new_customer_on(pair, pair.one, svc1)
    sub = svc1.subscriptions().insert(customerId=customer["customerId"], body=flexible(BUSINESS_STARTER, 3)).execute()
    pair.two.advance(2 * 3600)
    time.sleep(CLOCK_SYNC_LIMIT_S)
    for server in pair.servers:
        listed = pair.svc(server, a).subscriptions().list(customerId=customer["customerId"]).execute()
        assert ids_of(listed.get("subscriptions", [])) == {sub["subscriptionId"]}


def test_pushes_in_flight_while_the_clock_moves_are_delivered_once(pair):
    """A process claims a push for a lease of 15 s before delivering it.
    Moving the platform clock (control API) while deliveries are in flight
    must not hand those deliveries to the other process as well: each message
    is still delivered once. The endpoint answers after one second, so a
    process's batch stays in flight for several seconds."""
    reseller = pair.one.create_reseller("slow", f"two-slow-{secrets.token_hex(4)}.example")
    with SlowPushReceiver(delay=1.0) as receiver:
        wire_pushes(pair, reseller, receiver)
        svcs = [pair.svc(s, reseller) for s in pair.servers]
        for i in range(8):
            customer = new_customer_on(pair, pair.servers[i % 2], svcs[i % 2])
            svcs[i % 2].subscriptions().insert(customerId=customer["customerId"],
                                               body=flexible(BUSINESS_STARTER, 2)).execute()
        wait_until(lambda: receiver.received, 30, what="a first delivery")
        pair.one.advance(86_400)
        wait_until(lambda: len(receiver.by_message()) >= 8, PUSH_TIMEOUT, what="8 distinct pushes")
        time.sleep(5)  # let a second copy, if any, arrive
        counts = receiver.by_message()
        assert len(counts) == 8, counts
        dupes = {mid: n for mid, n in counts.items() if n > 1}
        assert not dupes, (
            f"{len(dupes)} of 8 messages were delivered more than once after the clock moved "
            f"with deliveries in flight (messageId: copies): {dupes}")


def test_a_slow_endpoint_gets_each_push_once(pair):
    """Without any clock move: 20 pushes queued within a second or so for an
    endpoint that takes two seconds per request. A process claims every due
    push (up to 50) for a 15 s lease and delivers them one after the other;
    the other process must not deliver them again while they wait their
    turn in that batch."""
    reseller = pair.one.create_reseller("slow2", f"two-slow2-{secrets.token_hex(4)}.example")
    with SlowPushReceiver(delay=2.0) as receiver:
        svcs = [pair.svc(s, reseller) for s in pair.servers]
        customers = [new_customer_on(pair, pair.servers[i % 2], svcs[i % 2]) for i in range(20)]
        # Registered only now: the next 20 orders queue their pushes within a second or two.
        wire_pushes(pair, reseller, receiver)
        for i, customer in enumerate(customers):
            svcs[i % 2].subscriptions().insert(customerId=customer["customerId"],
                                               body=flexible(BUSINESS_STARTER, 2)).execute()
        wait_until(lambda: len(receiver.by_message()) >= 20, 120, what="20 distinct pushes")
        time.sleep(5)
        counts = receiver.by_message()
        assert len(counts) == 20, counts
        dupes = {mid: n for mid, n in counts.items() if n > 1}
        assert not dupes, (
            f"{len(dupes)} of 20 messages were delivered more than once by two processes to an endpoint "
            f"answering in 2 s (messageId: copies): {dupes}")
